/* tcpladder-delay: delay, jitter and reordering for the offline lab
 * (tcpladder-lab(1)), on an NFQUEUE queue. The kernel here has no netem, so
 * iptables sends the lab link's packets to a queue, this program holds each
 * one's verdict for the delay and then accepts it unchanged.
 *
 * It asks for the packets' metadata only (NFQNL_COPY_META) and answers
 * NF_ACCEPT without a payload: the kernel's own buffer goes on, so nothing
 * it holds can be altered. Every packet it was given is accepted exactly
 * once: on time, at once when --reorder draws it, and early when it is
 * told to stop (SIGTERM, SIGINT), never dropped. What the kernel itself
 * dropped (queue full, socket buffer full) is read back from
 * /proc/net/netfilter/nfnetlink_queue and reported. */
#include "config.h"

#include "schedule.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define QUEUE_MAXLEN 65536u
#define RCVBUF_BYTES (16u << 20)

static const char *prog = "tcpladder-delay";
static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stats_wanted;

struct helper {
	struct dl_sched sched;
	struct nfq_handle *h;
	struct nfq_q_handle *qh;
	unsigned queue;
	const char *stats_path;
	uint64_t start_ns;
	uint64_t enobufs;        /* messages the socket buffer lost */
	uint64_t verdict_errors;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		stats_wanted = 1;
	else
		stop_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: %s [--queue N] [--delay DUR] [--jitter DUR] [--reorder P%%]\n"
	    "       [--seed N] [--stats FILE]\n"
	    "Holds every packet of NFQUEUE queue N (default 0) for DUR (40ms,\n"
	    "1.5ms, 500us) plus or minus the jitter, keeping their order; --reorder\n"
	    "sends P%% of them at once, ahead of those held. --stats writes what it\n"
	    "measured to FILE every second and at the end (SIGUSR1: now).\n"
	    "Runs until SIGTERM or SIGINT, then accepts what it holds and exits 0.\n"
	    "See tcpladder-lab(1).\n", prog);
}

static void accept_id(struct helper *hp, uint32_t id)
{
	if (nfq_set_verdict(hp->qh, id, NF_ACCEPT, 0, NULL) < 0)
		hp->verdict_errors++;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg,
                     struct nfq_data *nfa, void *data)
{
	struct helper *hp = data;
	(void)qh;
	(void)msg;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	if (!ph)
		return 0;
	uint32_t id = ntohl(ph->packet_id);
	if (dl_arrive(&hp->sched, id, now_ns()) == DL_NOW)
		accept_id(hp, id);
	return 0;
}

/* The kernel's counters for our queue: a line of
 * /proc/net/netfilter/nfnetlink_queue is "queue portid waiting copy_mode
 * copy_range queue_dropped user_dropped id_sequence 1". */
static void kernel_drops(unsigned queue, unsigned long long *full,
                         unsigned long long *user)
{
	FILE *f = fopen("/proc/net/netfilter/nfnetlink_queue", "r");
	unsigned q;
	unsigned long long portid, waiting, mode, range, qd, ud;
	*full = *user = 0;
	if (!f)
		return;
	while (fscanf(f, "%u %llu %llu %llu %llu %llu %llu %*u %*u", &q,
	              &portid, &waiting, &mode, &range, &qd, &ud) == 7) {
		if (q == queue) {
			*full = qd;
			*user = ud;
		}
	}
	fclose(f);
}

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* key value lines, written to a temporary name and renamed, so a reader
 * never sees half of them. */
static void write_stats(struct helper *hp, const char *state)
{
	if (!hp->stats_path)
		return;
	const struct dl_stats *st = &hp->sched.st;
	char tmp[PATH_MAX];
	unsigned long long full, user;
	kernel_drops(hp->queue, &full, &user);
	if (snprintf(tmp, sizeof tmp, "%s.tmp", hp->stats_path) >=
	    (int)sizeof tmp)
		return;
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, tmp,
		        strerror(errno));
		return;
	}
	fprintf(f, "state %s\npid %ld\nqueue %u\nuptime_s %.1f\n", state,
	        (long)getpid(), hp->queue, (double)(now_ns() - hp->start_ns) / 1e9);
	fprintf(f, "delay_ms %.3f\njitter_ms %.3f\nreorder_pct %.4f\n",
	        ms(hp->sched.p.delay_ns), ms(hp->sched.p.jitter_ns),
	        hp->sched.p.reorder_ppm / 10000.0);
	fprintf(f, "packets %" PRIu64 "\ndelayed %" PRIu64 "\nreordered %"
	        PRIu64 "\noverflow %" PRIu64 "\nflushed %" PRIu64 "\n"
	        "held_now %u\nmax_held %u\n", st->packets, st->delayed,
	        st->reordered, st->overflow, st->flushed, hp->sched.count,
	        st->max_held);
	if (st->delayed)
		fprintf(f, "hold_min_ms %.3f\nhold_avg_ms %.3f\nhold_max_ms %.3f\n"
		        "late_avg_ms %.3f\nlate_max_ms %.3f\n",
		        ms(st->hold_min_ns), ms(st->hold_sum_ns / st->delayed),
		        ms(st->hold_max_ns), ms(st->late_sum_ns / st->delayed),
		        ms(st->late_max_ns));
	fprintf(f, "kernel_queue_full_drops %llu\nkernel_socket_drops %llu\n"
	        "recv_enobufs %" PRIu64 "\nverdict_errors %" PRIu64 "\n", full,
	        user, hp->enobufs, hp->verdict_errors);
	if (fclose(f) != 0 || rename(tmp, hp->stats_path) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog,
		        hp->stats_path, strerror(errno));
		unlink(tmp);
	}
}

/* A packet's delay is as exact as the wake-up: the smallest timer slack,
 * and a real-time priority when allowed (root), so a busy machine does
 * not make packets late. The loop sleeps between packets, so it takes
 * little CPU however high its priority. */
static void be_punctual(void)
{
	struct sched_param sp = { .sched_priority = 10 };
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
		fprintf(stderr, "%s: no real-time priority (%s): delays may be "
		        "late on a busy machine\n", prog, strerror(errno));
}

static int open_queue(struct helper *hp)
{
	hp->h = nfq_open();
	if (!hp->h) {
		fprintf(stderr, "%s: cannot open a netfilter queue handle: %s "
		        "(needs CAP_NET_ADMIN and nfnetlink_queue)\n", prog,
		        strerror(errno));
		return -1;
	}
	hp->qh = nfq_create_queue(hp->h, (uint16_t)hp->queue, on_packet, hp);
	if (!hp->qh) {
		fprintf(stderr, "%s: cannot bind NFQUEUE queue %u: %s (another "
		        "program on it?)\n", prog, hp->queue, strerror(errno));
		return -1;
	}
	if (nfq_set_mode(hp->qh, NFQNL_COPY_META, 0) < 0) {
		fprintf(stderr, "%s: cannot set the queue's copy mode: %s\n",
		        prog, strerror(errno));
		return -1;
	}
	/* Room for every packet of a lab's round trip and more; what does
	 * not fit would be dropped by the kernel, and is reported. */
	if (nfq_set_queue_maxlen(hp->qh, QUEUE_MAXLEN) < 0)
		fprintf(stderr, "%s: cannot raise the queue length: %s\n", prog,
		        strerror(errno));
	nfnl_rcvbufsiz(nfq_nfnlh(hp->h), RCVBUF_BYTES);
	return 0;
}

static int read_packets(struct helper *hp, char *buf, size_t size)
{
	int fd = nfq_fd(hp->h);
	for (;;) {
		ssize_t n = recv(fd, buf, size, MSG_DONTWAIT);
		if (n > 0) {
			nfq_handle_packet(hp->h, buf, (int)n);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		              errno == EINTR))
			return 0;
		if (n < 0 && errno == ENOBUFS) {
			/* The kernel counted what it lost (user_dropped). */
			hp->enobufs++;
			continue;
		}
		fprintf(stderr, "%s: reading the queue: %s\n", prog,
		        n < 0 ? strerror(errno) : "closed");
		return -1;
	}
}

static void release_due(struct helper *hp, bool flush)
{
	uint32_t id;
	uint64_t now = now_ns();
	while (dl_pop(&hp->sched, now, flush, &id))
		accept_id(hp, id);
}

static int run(struct helper *hp)
{
	static char buf[65536] __attribute__((aligned));
	struct pollfd pfd = { .fd = nfq_fd(hp->h), .events = POLLIN };
	sigset_t open_mask;
	sigemptyset(&open_mask);
	uint64_t next_stats = now_ns();
	int rc = 0;
	while (!stop_signal) {
		uint64_t now = now_ns(), due, wait = 1000000000ULL;
		if (dl_next_due(&hp->sched, &due))
			wait = due > now ? due - now : 0;
		if (next_stats > now && next_stats - now < wait)
			wait = next_stats - now;
		struct timespec ts = { (time_t)(wait / 1000000000ULL),
		                       (long)(wait % 1000000000ULL) };
		/* Signals are blocked except inside ppoll: no stop is missed
		 * between the check and the wait. */
		int n = ppoll(&pfd, 1, &ts, &open_mask);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "%s: poll: %s\n", prog, strerror(errno));
			rc = 1;
			break;
		}
		if (n > 0 && read_packets(hp, buf, sizeof buf) < 0) {
			rc = 1;
			break;
		}
		release_due(hp, false);
		if (stats_wanted || now_ns() >= next_stats) {
			stats_wanted = 0;
			write_stats(hp, "running");
			next_stats = now_ns() + 1000000000ULL;
		}
	}
	/* Whatever is still held goes now, early rather than lost. */
	release_due(hp, true);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "queue", required_argument, NULL, 'q' },
		{ "delay", required_argument, NULL, 'd' },
		{ "jitter", required_argument, NULL, 'j' },
		{ "reorder", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "stats", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dl_params p = { .seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() };
	struct helper hp = { .queue = 0 };
	char *end;
	unsigned long v;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || v > 65535) {
				fprintf(stderr, "%s: --queue: '%s' is not a queue "
				        "number (0-65535)\n", prog, optarg);
				return 2;
			}
			hp.queue = (unsigned)v;
			break;
		case 'd':
		case 'j':
			if (!dl_parse_duration(optarg,
			                       c == 'd' ? &p.delay_ns : &p.jitter_ns)) {
				fprintf(stderr, "%s: --%s: '%s' is not a duration "
				        "(e.g. 20ms, 1.5ms, 500us; at most 1 hour)\n",
				        prog, c == 'd' ? "delay" : "jitter", optarg);
				return 2;
			}
			break;
		case 'r':
			if (!dl_parse_percent(optarg, &p.reorder_ppm)) {
				fprintf(stderr, "%s: --reorder: '%s' is not a "
				        "percentage (e.g. 1%%, 0.5%%)\n", prog, optarg);
				return 2;
			}
			break;
		case 's':
			errno = 0;
			p.seed = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg) {
				fprintf(stderr, "%s: --seed: '%s' is not a number\n",
				        prog, optarg);
				return 2;
			}
			break;
		case 'o':
			hp.stats_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!dl_init(&hp.sched, &p, QUEUE_MAXLEN)) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 3;
	}
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	be_punctual();
	hp.start_ns = now_ns();
	int rc = 1;
	if (open_queue(&hp) == 0) {
		write_stats(&hp, "running");
		rc = run(&hp);
		write_stats(&hp, rc == 0 ? "stopped" : "failed");
	}
	if (hp.qh)
		nfq_destroy_queue(hp.qh);
	if (hp.h)
		nfq_close(hp.h);
	dl_free(&hp.sched);
	return rc;
}
