/*
 * parse_loop.c - the practical ceiling for any TCP tracker: a pcap_next_ex()
 * loop that also parses the link layer (Ethernet with VLAN tags, Linux cooked
 * v1/v2, raw IP, BSD loopback), IPv4 / IPv6 (with extension headers) and the
 * TCP header, and looks up / inserts the connection's 4-tuple (direction
 * independent) in an open-addressing hash table, updating a small per-flow
 * record.  A real tracker does all of this and more.
 *
 * Build: cc -O2 -o parse_loop parse_loop.c -lpcap
 * Usage: parse_loop FILE
 * Prints packets counted, TCP segments and distinct 4-tuples.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

typedef struct {
    uint8_t a[16], b[16]; /* a <= b (with ports) */
    uint16_t pa, pb;
    uint8_t v6, used;
    uint8_t pad[2];
} key_t_;

typedef struct {
    key_t_ k;
    uint32_t stream;
    uint32_t last_seq[2];
    uint64_t pkts;
    uint64_t bytes;
} flow_t;

static flow_t *tab;
static size_t tcap, tcount;

static inline uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

static uint64_t hash_key(const key_t_ *k)
{
    uint64_t w[4];
    memcpy(w, k->a, 16);
    memcpy(w + 2, k->b, 16);
    uint64_t h = 0x243f6a8885a308d3ULL;
    h = mix(h, w[0]); h = mix(h, w[1]); h = mix(h, w[2]); h = mix(h, w[3]);
    h = mix(h, ((uint64_t)k->pa << 32) | ((uint64_t)k->pb << 16) | k->v6);
    return h;
}

static int key_eq(const key_t_ *x, const key_t_ *y)
{
    return x->pa == y->pa && x->pb == y->pb && x->v6 == y->v6 &&
           !memcmp(x->a, y->a, 16) && !memcmp(x->b, y->b, 16);
}

static void grow(void)
{
    size_t ocap = tcap;
    flow_t *old = tab;
    tcap = tcap ? tcap * 2 : 1024;
    tab = calloc(tcap, sizeof *tab);
    if (!tab) { perror("calloc"); exit(1); }
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].k.used) continue;
        size_t j = hash_key(&old[i].k) & (tcap - 1);
        while (tab[j].k.used) j = (j + 1) & (tcap - 1);
        tab[j] = old[i];
    }
    free(old);
}

static flow_t *lookup_insert(const key_t_ *k)
{
    if (2 * (tcount + 1) > tcap) grow();
    size_t j = hash_key(k) & (tcap - 1);
    while (tab[j].k.used) {
        if (key_eq(&tab[j].k, k)) return &tab[j];
        j = (j + 1) & (tcap - 1);
    }
    tab[j].k = *k;
    tab[j].k.used = 1;
    tab[j].stream = (uint32_t)tcount++;
    return &tab[j];
}

static inline uint16_t rd16(const u_char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t rd32(const u_char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: parse_loop FILE\n");
        return 2;
    }
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "parse_loop: %s\n", err);
        return 1;
    }
    int dlt = pcap_datalink(p);
    struct pcap_pkthdr *h;
    const u_char *d;
    uint64_t n = 0, ntcp = 0, payload = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        n++;
        uint32_t cl = h->caplen, off;
        uint16_t et;
        switch (dlt) {
        case DLT_EN10MB:
            if (cl < 14) continue;
            et = rd16(d + 12);
            off = 14;
            while ((et == 0x8100 || et == 0x88a8) && cl >= off + 4) {
                et = rd16(d + off + 2);
                off += 4;
            }
            break;
        case DLT_LINUX_SLL:
            if (cl < 16) continue;
            et = rd16(d + 14);
            off = 16;
            break;
        case DLT_LINUX_SLL2:
            if (cl < 20) continue;
            et = rd16(d);
            off = 20;
            break;
        case DLT_NULL:
        case DLT_LOOP: {
            if (cl < 4) continue;
            uint32_t af = dlt == DLT_NULL ? (uint32_t)(d[0] | d[1] << 8 | d[2] << 16 | (uint32_t)d[3] << 24) : rd32(d);
            et = af == 2 ? 0x0800 : (af == 10 || af == 24 || af == 28 || af == 30) ? 0x86dd : 0;
            off = 4;
            break;
        }
        case DLT_RAW:
        case 14:
        case 228:
        case 229:
            if (cl < 1) continue;
            et = (d[0] >> 4) == 6 ? 0x86dd : 0x0800;
            off = 0;
            break;
        default:
            continue;
        }
        key_t_ k;
        memset(&k, 0, sizeof k);
        const u_char *src, *dst;
        int alen;
        uint32_t iplen, l4, l4end;
        if (et == 0x0800) {
            if (cl < off + 20 || (d[off] >> 4) != 4) continue;
            uint32_t ihl = (d[off] & 15) * 4;
            if (d[off + 9] != 6 || ihl < 20) continue;
            if (rd16(d + off + 6) & 0x1fff) continue; /* non-first fragment */
            iplen = rd16(d + off + 2);
            src = d + off + 12;
            dst = d + off + 16;
            alen = 4;
            l4 = off + ihl;
            l4end = off + iplen;
        } else if (et == 0x86dd) {
            if (cl < off + 40 || (d[off] >> 4) != 6) continue;
            uint8_t nh = d[off + 6];
            src = d + off + 8;
            dst = d + off + 24;
            alen = 16;
            l4 = off + 40;
            l4end = l4 + rd16(d + off + 4);
            int bad = 0;
            while (nh != 6) {
                if (nh == 0 || nh == 43 || nh == 60) {
                    if (cl < l4 + 2) { bad = 1; break; }
                    nh = d[l4];
                    l4 += 8 + d[l4 + 1] * 8;
                } else if (nh == 44) {
                    if (cl < l4 + 8 || (rd16(d + l4 + 2) & 0xfff8)) { bad = 1; break; }
                    nh = d[l4];
                    l4 += 8;
                } else { bad = 1; break; }
            }
            if (bad) continue;
            k.v6 = 1;
        } else
            continue;
        if (cl < l4 + 20) continue;
        const u_char *t = d + l4;
        uint16_t sp = rd16(t), dp = rd16(t + 2);
        uint32_t thl = (t[12] >> 4) * 4;
        if (thl < 20) continue;
        int c = memcmp(src, dst, alen);
        int fwd = c < 0 || (c == 0 && sp <= dp);
        if (fwd) {
            memcpy(k.a, src, alen); memcpy(k.b, dst, alen); k.pa = sp; k.pb = dp;
        } else {
            memcpy(k.a, dst, alen); memcpy(k.b, src, alen); k.pa = dp; k.pb = sp;
        }
        flow_t *f = lookup_insert(&k);
        f->pkts++;
        uint32_t plen = l4end > l4 + thl ? l4end - l4 - thl : 0;
        f->bytes += plen;
        f->last_seq[!fwd] = rd32(t + 4) + plen;
        payload += plen;
        ntcp++;
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "parse_loop: %s\n", pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    pcap_close(p);
    printf("packets %llu tcp %llu flows %llu payload_bytes %llu\n", (unsigned long long)n,
           (unsigned long long)ntcp, (unsigned long long)tcount, (unsigned long long)payload);
    return 0;
}
