/*
 * floor.c - the benchmark floor: a bare pcap_next_ex() loop over a capture
 * file.  Nothing any tool built on libpcap does can be faster than this.
 *
 * Build: cc -O2 -o floor floor.c -lpcap
 * Usage: floor FILE
 * Prints the number of packets read (and captured bytes, to keep the loop
 * honest).
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: floor FILE\n");
        return 2;
    }
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "floor: %s\n", err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t n = 0, bytes = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        n++;
        bytes += h->caplen;
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "floor: %s\n", pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    pcap_close(p);
    printf("packets %llu captured_bytes %llu\n", (unsigned long long)n, (unsigned long long)bytes);
    return 0;
}
