/*
 * gen-capture.c - deterministic generator of realistic TCP traffic captures
 * for the tcpladder benchmark.  No libpcap needed: writes pcap / pcapng
 * directly.
 *
 * Build:  cc -O2 -o gen-capture gen-capture.c -lm
 * Usage:  gen-capture [-n PACKETS] [-s SEED] [-c CONCURRENCY]
 *                     [-l en10mb|sll] [-f pcap|pcapng] [-S SNAPLEN]
 *                     [-w OUTFILE|-]
 *         gen-capture -m CONNECTIONS [-o] [-l ...] [-f ...] [-w OUTFILE|-]
 *
 * It runs a small discrete-event simulation of hundreds of concurrent TCP
 * connections between clients (192.0.2.0/24, 2001:db8:1::/64) and servers
 * (198.51.100.0/24, 2001:db8:2::/64) as seen from one capture point that sits
 * between a "near" leg (LAN: short delay, almost no loss) and a "far" leg
 * (WAN: longer delay, 0-5% loss, a little reordering).  Each endpoint runs a
 * simplified but real TCP: three-way handshake with MSS/SACK_PERM/TS/WS
 * options, slow start / congestion avoidance, delayed ACKs, SACK and D-SACK
 * blocks, fast retransmit after three duplicate ACKs with NewReno-style
 * recovery, RTO with backoff, receive-window autotuning, slow readers that
 * close the window (zero window, persist probes, window updates), keep-alives
 * on idle interactive connections, FIN closes, RST closes and aborts,
 * refused connections, port reuse, a few capture drops, plus DNS lookups over
 * UDP before some connections.  Packets are written in capture-time order, so
 * timestamps are monotone.  The same seed gives the same traffic, whatever the
 * link type or file format.
 *
 * -m CONNECTIONS writes something else: that many short connections, all
 * open at once (every handshake first, then one request and its ACK each,
 * then every close; -o leaves them open). The view's select-all and its
 * memory bounds are timed on it (bench/many-conns.sh).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ rng -- */
static uint64_t rng_state;
static inline uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline double urand(void) { return (rnd() >> 11) * 0x1.0p-53; }
static inline uint32_t rrange(uint32_t lo, uint32_t hi) /* inclusive */
{
    return lo + (uint32_t)(rnd() % ((uint64_t)hi - lo + 1));
}
static inline double rexp(double mean) { return -mean * log(1.0 - urand()); }
/* log-uniform in [lo, hi] */
static inline double rlogu(double lo, double hi)
{
    return exp(log(lo) + urand() * (log(hi) - log(lo)));
}

/* ------------------------------------------------------------- constants -- */
#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL
#define T_INF INT64_MAX

enum { F_FIN = 1, F_SYN = 2, F_RST = 4, F_PSH = 8, F_ACK = 16 };
enum { EV_CAP, EV_ARRIVE, EV_TIMER, EV_START, EV_UDP };
enum { TM_RTO, TM_DELACK, TM_PERSIST, TM_APP, TM_CLOSE, TM_READ, TM_KA,
       TM_ABORT, NTIMERS };
enum { ST_CLOSED, ST_SYN_SENT, ST_SYN_RCVD, ST_EST, ST_DEAD };
enum { K_DOWN, K_UP, K_INTERACTIVE };

#define MAXR 40     /* max request/response rounds */
#define NSACK 8     /* sender scoreboard ranges */
#define NOOO 16     /* receiver out-of-order ranges */

/* --------------------------------------------------------------- types -- */
typedef struct {
    uint32_t seq, ack;  /* relative: sender's / peer's stream positions */
    uint32_t len;       /* payload bytes */
    uint32_t win;       /* raw 16-bit window field */
    uint32_t tsval, tsecr;
    uint32_t sack[4][2];
    uint8_t flags, nsack, keepalive;
} seg_t;

typedef struct ev {
    int64_t t;
    uint64_t ord;
    struct conn *c;
    uint32_t gen;
    uint8_t type, dir, sub;
    seg_t seg; /* EV_CAP / EV_ARRIVE; for EV_UDP: seg.len = dns payload kind */
    struct ev *next_free;
} ev_t;

typedef struct {
    int64_t delay;      /* one-way delay capture point <-> host, ns */
    double loss;        /* per packet */
    double reorder;     /* probability of extra delay */
    double ns_per_byte; /* serialisation */
    int64_t free_at[2]; /* per direction of travel (0: c->s, 1: s->c) */
} leg_t;

typedef struct {
    int state;
    uint32_t isn;
    uint8_t ws, off_ts, off_sack, off_ws, ttl;
    uint16_t mss_adv;
    uint32_t ts_off;
    uint16_t ipid;
    /* sender */
    uint32_t una, smax, rtx_ptr, rtx_end, written;
    int fin_queued;
    uint32_t smss, cwnd, ssthresh, recover, rec_hole, rwnd;
    int dupacks, in_rec, rto_count;
    uint32_t sacked[NSACK][2];
    int nsacked;
    int64_t rto_base, rto_cur, persist_iv;
    /* receiver */
    uint32_t rnxt, peer_fin_pos, right_edge, last_adv;
    int peer_fin_seen, eof;
    uint32_t ooo[NOOO][2];
    int nooo;
    uint32_t last_ooo_s;
    uint32_t dsack_s, dsack_e;
    int have_dsack;
    uint32_t unread, rcv_space, rcv_max, delivered;
    int segs_unacked, quick, ack_now;
    uint32_t ts_recent;
    /* app */
    int slow_reader;
    double read_rate;
    int64_t read_iv;
    int round;        /* next round to write */
    int finished;
    /* timers */
    int64_t tdl[NTIMERS];
    int64_t tpend_t[NTIMERS];
    uint8_t tpend[NTIMERS];
    uint32_t tgen[NTIMERS];
    int64_t think_until;
} ep_t;

typedef struct conn {
    ep_t ep[2]; /* 0 client, 1 server */
    uint8_t v6, kind, client_closes, rst_close, refused, aborter, ka;
    uint8_t ts_ok, sack_ok, ws_ok, done, counted;
    uint8_t cip[16], sip[16];
    uint16_t cport, sport, dns_port, dns_id;
    uint32_t idx;
    uint32_t flow[2];
    leg_t leg[2]; /* 0 client side, 1 server side */
    int nrounds;
    uint32_t cum_req[MAXR], cum_resp[MAXR];
    int64_t think_mean, sthink_mean, ka_iv;
    int refs;
} conn_t;

/* ------------------------------------------------------------- globals -- */
static int opt_sll = 0, opt_pcapng = 0;
static uint32_t opt_snap = 128;
static uint64_t opt_npkts = 200000;
static int opt_conc = 400;
static FILE *out;
static uint64_t written_pkts = 0, written_bytes = 0;
static uint64_t st_retx = 0, st_data = 0, st_tcp = 0, st_udp = 0, st_conns = 0;
static uint64_t st_rc[8];
static int cur_cause = 0;
static uint64_t st_rst = 0, st_zwp = 0, st_ka = 0, st_capdrop = 0;
static int active = 0;
static int stop_new = 0;
static const int64_t base_epoch_s = 1700000000;
static int64_t now_t;
static uint32_t conn_counter = 0;

/* recently finished 4-tuples for port reuse */
typedef struct { uint8_t v6, cip[16], sip[16]; uint16_t cport, sport; } tuple_t;
static tuple_t recent[64];
static int nrecent = 0;
static uint16_t next_port[2][256];

/* ---------------------------------------------------------------- heap -- */
typedef struct { int64_t t; uint64_t ord; ev_t *e; } hent_t;
static hent_t *heap;
static size_t hn = 0, hcap = 0;
static uint64_t ord_ctr = 0;
static ev_t *ev_free = NULL;

static ev_t *ev_alloc(void)
{
    ev_t *e = ev_free;
    if (e) { ev_free = e->next_free; return e; }
    enum { CH = 4096 };
    ev_t *blk = malloc(sizeof(ev_t) * CH);
    if (!blk) { perror("malloc"); exit(1); }
    for (int i = 1; i < CH; i++) { blk[i].next_free = ev_free; ev_free = &blk[i]; }
    return &blk[0];
}
static inline int hless(const hent_t *a, const hent_t *b)
{
    return a->t < b->t || (a->t == b->t && a->ord < b->ord);
}
static void hpush(ev_t *e)
{
    if (hn == hcap) {
        hcap = hcap ? hcap * 2 : 65536;
        heap = realloc(heap, hcap * sizeof(hent_t));
        if (!heap) { perror("realloc"); exit(1); }
    }
    hent_t x = { e->t, e->ord = ord_ctr++, e };
    size_t i = hn++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!hless(&x, &heap[p])) break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i] = x;
}
static ev_t *hpop(void)
{
    if (!hn) return NULL;
    ev_t *top = heap[0].e;
    hent_t x = heap[--hn];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const hent_t *mv = &x;
        if (l < hn && hless(&heap[l], mv)) { m = l; mv = &heap[l]; }
        if (r < hn && hless(&heap[r], mv)) { m = r; mv = &heap[r]; }
        if (m == i) break;
        heap[i] = heap[m];
        i = m;
    }
    if (hn) heap[i] = x;
    return top;
}

static ev_t *sched(conn_t *c, int type, int64_t t)
{
    ev_t *e = ev_alloc();
    e->t = t < now_t ? now_t : t;
    e->c = c;
    e->type = type;
    e->dir = 0; e->sub = 0; e->gen = 0;
    if (c) c->refs++;
    return e; /* caller fills and calls hpush */
}

/* --------------------------------------------------------- output file -- */
static uint8_t fbuf[16 + 40 + 60 + 65536 + 64];

static void put16(uint8_t *p, uint32_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static void le32(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }
static void le16(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; }

static void write_file_header(void)
{
    uint32_t lt = opt_sll ? 113 : 1;
    if (!opt_pcapng) {
        uint8_t h[24];
        le32(h, 0xa1b2c3d4); le16(h + 4, 2); le16(h + 6, 4);
        le32(h + 8, 0); le32(h + 12, 0); le32(h + 16, opt_snap); le32(h + 20, lt);
        fwrite(h, 1, 24, out);
    } else {
        uint8_t shb[28];
        le32(shb, 0x0a0d0d0a); le32(shb + 4, 28); le32(shb + 8, 0x1a2b3c4d);
        le16(shb + 12, 1); le16(shb + 14, 0);
        le32(shb + 16, 0xffffffff); le32(shb + 20, 0xffffffff); le32(shb + 24, 28);
        fwrite(shb, 1, 28, out);
        uint8_t idb[20];
        le32(idb, 1); le32(idb + 4, 20); le16(idb + 8, lt); le16(idb + 10, 0);
        le32(idb + 12, opt_snap); le32(idb + 16, 20);
        fwrite(idb, 1, 20, out);
    }
}

static void write_record(int64_t t, const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
    int64_t us = t / 1000;
    int64_t sec = base_epoch_s + us / 1000000, usec = us % 1000000;
    if (!opt_pcapng) {
        uint8_t h[16];
        le32(h, (uint32_t)sec); le32(h + 4, (uint32_t)usec); le32(h + 8, caplen); le32(h + 12, wirelen);
        fwrite(h, 1, 16, out);
        fwrite(data, 1, caplen, out);
        written_bytes += 16 + caplen;
    } else {
        uint32_t pad = (4 - (caplen & 3)) & 3;
        uint32_t tot = 32 + caplen + pad;
        uint64_t ts = (uint64_t)sec * 1000000 + usec;
        uint8_t h[28], tail[8] = {0};
        le32(h, 6); le32(h + 4, tot); le32(h + 8, 0);
        le32(h + 12, (uint32_t)(ts >> 32)); le32(h + 16, (uint32_t)ts);
        le32(h + 20, caplen); le32(h + 24, wirelen);
        fwrite(h, 1, 28, out);
        fwrite(data, 1, caplen, out);
        le32(tail + pad, tot);
        fwrite(tail, 1, pad + 4, out);
        written_bytes += tot;
    }
    written_pkts++;
}

static uint32_t csum_add(uint32_t s, const uint8_t *p, size_t n)
{
    while (n > 1) { s += (uint32_t)p[0] << 8 | p[1]; p += 2; n -= 2; }
    if (n) s += (uint32_t)p[0] << 8;
    return s;
}
static uint16_t csum_fold(uint32_t s)
{
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void host_mac(uint8_t *m, const conn_t *c, int side)
{
    const uint8_t *ip = side ? c->sip : c->cip;
    m[0] = 0x02; m[1] = side ? 0x5e : 0x1c; m[2] = c->v6 ? 6 : 4;
    m[3] = ip[c->v6 ? 13 : 1]; m[4] = ip[c->v6 ? 14 : 2]; m[5] = ip[c->v6 ? 15 : 3];
}

/* link + IP header; returns offset of L4 header.  l4len = L4 header+payload */
static size_t put_link_ip(const conn_t *c, int from, int proto, uint32_t l4len,
                          const uint8_t *srcip, const uint8_t *dstip, uint8_t ttl,
                          uint16_t ipid, uint32_t flow)
{
    uint8_t *p = fbuf;
    size_t off;
    uint16_t et = c->v6 ? 0x86dd : 0x0800;
    if (!opt_sll) {
        host_mac(p, c, !from);
        host_mac(p + 6, c, from);
        put16(p + 12, et);
        off = 14;
    } else {
        put16(p, from ? 4 : 0); /* 0 = to us, 4 = outgoing */
        put16(p + 2, 1);        /* ARPHRD_ETHER */
        put16(p + 4, 6);
        host_mac(p + 6, c, from);
        p[12] = p[13] = 0;
        put16(p + 14, et);
        off = 16;
    }
    p += off;
    if (!c->v6) {
        p[0] = 0x45; p[1] = 0; put16(p + 2, 20 + l4len); put16(p + 4, ipid);
        put16(p + 6, 0x4000); p[8] = ttl; p[9] = proto; p[10] = p[11] = 0;
        memcpy(p + 12, srcip, 4); memcpy(p + 16, dstip, 4);
        put16(p + 10, csum_fold(csum_add(0, p, 20)));
        return off + 20;
    }
    put32(p, 0x60000000u | (flow & 0xfffff));
    put16(p + 4, l4len); p[6] = proto; p[7] = ttl;
    memcpy(p + 8, srcip, 16); memcpy(p + 24, dstip, 16);
    return off + 40;
}

static uint32_t pseudo_sum(const conn_t *c, const uint8_t *s, const uint8_t *d, int proto, uint32_t len)
{
    uint32_t sum = 0;
    int n = c->v6 ? 16 : 4;
    sum = csum_add(sum, s, n);
    sum = csum_add(sum, d, n);
    sum += proto;
    sum += len & 0xffff;
    sum += len >> 16;
    return sum;
}


static void write_tcp(conn_t *c, int from, const seg_t *s, int64_t t)
{
    ep_t *a = &c->ep[from];
    ep_t *b = &c->ep[!from];
    uint8_t opt[40];
    size_t ol = 0;
    if (s->flags & F_SYN) {
        int ts = a->off_ts, sack = a->off_sack, ws = a->off_ws;
        if (from == 1) { ts = c->ts_ok; sack = c->sack_ok; ws = c->ws_ok; }
        opt[ol++] = 2; opt[ol++] = 4; put16(opt + ol, a->mss_adv); ol += 2;
        if (sack && ts) {
            opt[ol++] = 4; opt[ol++] = 2;
            opt[ol++] = 8; opt[ol++] = 10; put32(opt + ol, s->tsval); put32(opt + ol + 4, s->tsecr); ol += 8;
        } else if (ts) {
            opt[ol++] = 1; opt[ol++] = 1;
            opt[ol++] = 8; opt[ol++] = 10; put32(opt + ol, s->tsval); put32(opt + ol + 4, s->tsecr); ol += 8;
        } else if (sack) {
            opt[ol++] = 1; opt[ol++] = 1; opt[ol++] = 4; opt[ol++] = 2;
        }
        if (ws) { opt[ol++] = 1; opt[ol++] = 3; opt[ol++] = 3; opt[ol++] = a->ws; }
    } else if (!(s->flags & F_RST)) {
        if (c->ts_ok) {
            opt[ol++] = 1; opt[ol++] = 1;
            opt[ol++] = 8; opt[ol++] = 10; put32(opt + ol, s->tsval); put32(opt + ol + 4, s->tsecr); ol += 8;
        }
        if (s->nsack) {
            opt[ol++] = 1; opt[ol++] = 1; opt[ol++] = 5; opt[ol++] = 2 + 8 * s->nsack;
            for (int i = 0; i < s->nsack; i++) {
                put32(opt + ol, b->isn + s->sack[i][0]);
                put32(opt + ol + 4, b->isn + s->sack[i][1]);
                ol += 8;
            }
        }
    }
    uint32_t thl = 20 + ol;
    uint32_t l4len = thl + s->len;
    const uint8_t *sip = from ? c->sip : c->cip, *dip = from ? c->cip : c->sip;
    size_t off = put_link_ip(c, from, 6, l4len, sip, dip, a->ttl, a->ipid++, c->flow[from]);
    uint8_t *p = fbuf + off;
    put16(p, from ? c->sport : c->cport);
    put16(p + 2, from ? c->cport : c->sport);
    put32(p + 4, a->isn + s->seq);
    put32(p + 8, (s->flags & F_ACK) ? b->isn + s->ack : 0);
    p[12] = (thl / 4) << 4;
    p[13] = s->flags;
    put16(p + 14, s->win);
    p[16] = p[17] = 0;
    p[18] = p[19] = 0;
    memcpy(p + 20, opt, ol);
    uint32_t wire = off + l4len;
    uint32_t cap = wire < opt_snap ? wire : opt_snap;
    if (cap < off + thl) cap = off + thl; /* never cut the TCP header */
    uint32_t pay = cap - off - thl;
    uint8_t *pp = p + thl;
    uint32_t o = s->seq + 0x9e37 * from + c->idx * 0x10001;
    for (uint32_t i = 0; i < pay; i++) pp[i] = (uint8_t)(((o + i) * 2654435761u) >> 24);
    uint32_t sum = pseudo_sum(c, sip, dip, 6, l4len);
    sum = csum_add(sum, p, thl + pay);
    put16(p + 16, csum_fold(sum));
    write_record(t, fbuf, cap, wire);
    st_tcp++;
}

static size_t dns_name(uint8_t *p, uint32_t idx)
{
    char host[32];
    size_t n = 0;
    int hl = snprintf(host, sizeof host, "s%u", idx % 5000);
    p[n++] = hl; memcpy(p + n, host, hl); n += hl;
    p[n++] = 7; memcpy(p + n, "example", 7); n += 7;
    p[n++] = 3; memcpy(p + n, "com", 3); n += 3;
    p[n++] = 0;
    return n;
}

static void write_dns(conn_t *c, int resp, int64_t t)
{
    uint8_t d[128];
    size_t n = 0;
    put16(d, c->dns_id); put16(d + 2, resp ? 0x8180 : 0x0100);
    put16(d + 4, 1); put16(d + 6, resp ? 1 : 0); put16(d + 8, 0); put16(d + 10, 0);
    n = 12;
    n += dns_name(d + n, c->idx);
    put16(d + n, c->v6 ? 28 : 1); put16(d + n + 2, 1); n += 4;
    if (resp) {
        put16(d + n, 0xc00c); put16(d + n + 2, c->v6 ? 28 : 1); put16(d + n + 4, 1);
        put32(d + n + 6, 300); put16(d + n + 10, c->v6 ? 16 : 4); n += 12;
        memcpy(d + n, c->sip, c->v6 ? 16 : 4); n += c->v6 ? 16 : 4;
    }
    uint8_t rip[16];
    if (c->v6) { memcpy(rip, c->sip, 16); rip[14] = 0; rip[15] = 0x53; }
    else { memcpy(rip, c->sip, 4); rip[3] = 53; }
    uint32_t l4len = 8 + n;
    const uint8_t *sip = resp ? rip : c->cip, *dip = resp ? c->cip : rip;
    size_t off = put_link_ip(c, resp, 17, l4len, sip, dip, resp ? 60 : c->ep[0].ttl,
                             (uint16_t)(c->dns_id * 7 + resp), c->flow[0] ^ 0x55);
    uint8_t *p = fbuf + off;
    put16(p, resp ? 53 : c->dns_port); put16(p + 2, resp ? c->dns_port : 53);
    put16(p + 4, l4len); p[6] = p[7] = 0;
    memcpy(p + 8, d, n);
    uint16_t ck = csum_fold(csum_add(pseudo_sum(c, sip, dip, 17, l4len), p, l4len));
    put16(p + 6, ck ? ck : 0xffff);
    uint32_t wire = off + l4len;
    write_record(t, fbuf, wire < opt_snap ? wire : opt_snap, wire);
    st_udp++;
}

/* ------------------------------------------------------------ the path -- */
static uint32_t wire_size(const conn_t *c, const seg_t *s)
{
    return 14 + (c->v6 ? 40 : 20) + 20 + (c->ts_ok ? 12 : 0) + (s->nsack ? 4 + 8 * s->nsack : 0) + s->len;
}

static void xmit(conn_t *c, int from, seg_t *s)
{
    ep_t *a = &c->ep[from];
    int64_t ms = now_t / NS_PER_MS;
    s->tsval = (uint32_t)(ms + a->ts_off);
    if (s->flags & F_ACK || (s->flags & F_SYN)) s->tsecr = (s->flags & F_ACK) ? a->ts_recent : 0;
    leg_t *l = &c->leg[from];
    uint32_t sz = wire_size(c, s);
    int64_t dep = now_t > l->free_at[from] ? now_t : l->free_at[from];
    dep += (int64_t)(sz * l->ns_per_byte);
    l->free_at[from] = dep;
    if (urand() < l->loss) return; /* lost before the capture point */
    int64_t t = dep + l->delay;
    if (urand() < l->reorder) t += (int64_t)rrange(100, 1500) * 1000;
    ev_t *e = sched(c, EV_CAP, t);
    e->dir = from;
    e->seg = *s;
    hpush(e);
}

static void on_cap(ev_t *e)
{
    conn_t *c = e->c;
    int from = e->dir;
    if (e->t >= 0) {
        if (urand() < 0.00015) st_capdrop++;
        else write_tcp(c, from, &e->seg, e->t);
    }
    leg_t *l = &c->leg[!from];
    uint32_t sz = wire_size(c, &e->seg);
    int64_t dep = e->t > l->free_at[from] ? e->t : l->free_at[from];
    dep += (int64_t)(sz * l->ns_per_byte);
    l->free_at[from] = dep;
    if (urand() < l->loss) return; /* lost after the capture point */
    int64_t t = dep + l->delay;
    if (urand() < l->reorder) t += (int64_t)rrange(100, 1500) * 1000;
    ev_t *n = sched(c, EV_ARRIVE, t);
    n->dir = !from;
    n->seg = e->seg;
    hpush(n);
}

/* -------------------------------------------------------------- timers -- */
static void tarm(conn_t *c, int d, int k, int64_t t)
{
    ep_t *ep = &c->ep[d];
    ep->tdl[k] = t;
    if (!ep->tpend[k] || t < ep->tpend_t[k]) {
        ep->tgen[k]++;
        ev_t *e = sched(c, EV_TIMER, t);
        e->dir = d; e->sub = k; e->gen = ep->tgen[k];
        hpush(e);
        ep->tpend[k] = 1;
        ep->tpend_t[k] = t;
    }
}
static inline void tcancel(conn_t *c, int d, int k) { c->ep[d].tdl[k] = 0; }

/* ------------------------------------------------------------- helpers -- */
static inline uint32_t stream_end(const ep_t *ep) { return 1 + ep->written + (ep->fin_queued ? 1 : 0); }
static inline uint32_t umin(uint32_t a, uint32_t b) { return a < b ? a : b; }
static inline uint32_t umax(uint32_t a, uint32_t b) { return a > b ? a : b; }

static void conn_check_done(conn_t *c);

static uint32_t adv_window(conn_t *c, int d)
{
    ep_t *ep = &c->ep[d];
    uint32_t w = ep->rcv_max > ep->unread ? ep->rcv_max - ep->unread : 0;
    if (w > ep->rcv_space) w = ep->rcv_space;
    if (ep->rnxt + w < ep->right_edge) w = ep->right_edge - ep->rnxt;
    return w;
}

/* fill ack, window and SACK fields of an outgoing segment */
static void fill_ack(conn_t *c, int d, seg_t *s)
{
    ep_t *ep = &c->ep[d];
    s->nsack = 0;
    if (!(s->flags & F_ACK)) { s->ack = 0; s->win = umin(ep->rcv_space, 65535); return; }
    s->ack = ep->rnxt;
    uint32_t w = adv_window(c, d);
    uint32_t field;
    if (s->flags & F_SYN) field = umin(w, 65535);
    else if (c->ws_ok) field = umin(w >> ep->ws, 65535);
    else field = umin(w, 65535);
    s->win = field;
    uint32_t adv = (s->flags & F_SYN) ? field : (c->ws_ok ? field << ep->ws : field);
    ep->last_adv = adv;
    if (ep->rnxt + adv > ep->right_edge) ep->right_edge = ep->rnxt + adv;
    if (c->sack_ok && !(s->flags & F_SYN)) {
        int max = c->ts_ok ? 3 : 4, n = 0;
        if (ep->have_dsack) {
            s->sack[n][0] = ep->dsack_s; s->sack[n][1] = ep->dsack_e; n++;
            ep->have_dsack = 0;
        }
        int first = -1;
        for (int i = 0; i < ep->nooo; i++)
            if (ep->ooo[i][0] <= ep->last_ooo_s && ep->last_ooo_s < ep->ooo[i][1]) first = i;
        if (first >= 0 && n < max) { s->sack[n][0] = ep->ooo[first][0]; s->sack[n][1] = ep->ooo[first][1]; n++; }
        for (int i = 0; i < ep->nooo && n < max; i++) {
            if (i == first) continue;
            s->sack[n][0] = ep->ooo[i][0]; s->sack[n][1] = ep->ooo[i][1]; n++;
        }
        s->nsack = n;
    }
    ep->ack_now = 0;
    ep->segs_unacked = 0;
    tcancel(c, d, TM_DELACK);
}

static uint32_t next_sacked_start(const ep_t *ep, uint32_t p)
{
    uint32_t best = UINT32_MAX;
    for (int i = 0; i < ep->nsacked; i++)
        if (ep->sacked[i][0] > p && ep->sacked[i][0] < best) best = ep->sacked[i][0];
    return best;
}
static uint32_t skip_sacked(const ep_t *ep, uint32_t p)
{
    int moved = 1;
    while (moved) {
        moved = 0;
        for (int i = 0; i < ep->nsacked; i++)
            if (ep->sacked[i][0] <= p && p < ep->sacked[i][1]) { p = ep->sacked[i][1]; moved = 1; }
    }
    return p;
}
static uint32_t sacked_between(const ep_t *ep, uint32_t a, uint32_t b)
{
    uint32_t n = 0;
    for (int i = 0; i < ep->nsacked; i++) {
        uint32_t s = umax(a, ep->sacked[i][0]), e = umin(b, ep->sacked[i][1]);
        if (e > s) n += e - s;
    }
    return n;
}
static uint32_t highest_sacked(const ep_t *ep)
{
    uint32_t h = 0;
    for (int i = 0; i < ep->nsacked; i++) h = umax(h, ep->sacked[i][1]);
    return h;
}

/* emit one segment starting at stream position p with at most maxlen data
 * bytes; returns sequence space consumed */
static uint32_t emit_at(conn_t *c, int d, uint32_t p, uint32_t maxlen)
{
    ep_t *ep = &c->ep[d];
    seg_t s;
    memset(&s, 0, sizeof s);
    s.seq = p;
    uint32_t space;
    if (p == 0) {
        s.flags = F_SYN | (d == 1 ? F_ACK : 0);
        space = 1;
    } else {
        uint32_t dend = 1 + ep->written;
        uint32_t len = p < dend ? umin(maxlen, dend - p) : 0;
        s.len = len;
        s.flags = F_ACK;
        space = len;
        if (len && p + len == dend) s.flags |= F_PSH;
        if (ep->fin_queued && p + len == dend) { s.flags |= F_FIN; space++; }
        if (!space) return 0;
        if (len) st_data++;
    }
    if (p + space <= ep->smax && space) { st_retx++; st_rc[cur_cause]++; }
    fill_ack(c, d, &s);
    xmit(c, d, &s);
    if (p + space > ep->smax) ep->smax = p + space;
    if (!ep->tdl[TM_RTO]) tarm(c, d, TM_RTO, now_t + ep->rto_cur);
    return space;
}

static void send_pure(conn_t *c, int d, uint8_t flags, uint32_t seq)
{
    seg_t s;
    memset(&s, 0, sizeof s);
    s.seq = seq;
    s.flags = flags;
    if (flags & F_ACK) fill_ack(c, d, &s);
    else { s.win = 0; }
    xmit(c, d, &s);
}

static void sender_output(conn_t *c, int d)
{
    ep_t *ep = &c->ep[d];
    if (ep->state == ST_DEAD) return;
    if ((d == 0 && ep->state == ST_SYN_SENT) || (d == 1 && ep->state == ST_SYN_RCVD)) {
        if (ep->smax == 0) emit_at(c, d, 0, 0);
        else if (ep->rtx_ptr < ep->rtx_end) { emit_at(c, d, 0, 0); ep->rtx_ptr = ep->rtx_end; }
        return;
    }
    if (ep->state != ST_EST) return;
    for (int guard = 0; guard < 256; guard++) {
        if (ep->rtx_ptr < ep->rtx_end) {
            uint32_t p = skip_sacked(ep, umax(ep->rtx_ptr, ep->una));
            if (p >= ep->rtx_end) { ep->rtx_ptr = ep->rtx_end; continue; }
            uint32_t out = p - ep->una - sacked_between(ep, ep->una, p);
            if (out >= ep->cwnd && out > 0) break;
            uint32_t lim = umin(ep->smss, umin(ep->rtx_end, next_sacked_start(ep, p)) - p);
            cur_cause = 1;
            uint32_t sp = emit_at(c, d, p, lim ? lim : 1);
            cur_cause = 0;
            ep->rtx_ptr = p + (sp ? sp : 1);
            continue;
        }
        uint32_t se = stream_end(ep);
        if (se <= ep->smax) break;
        uint32_t dend = 1 + ep->written;
        uint32_t flight = ep->smax - ep->una;
        if (ep->smax >= dend) { /* only the FIN is left */
            cur_cause = 5; emit_at(c, d, ep->smax, 0); cur_cause = 0;
            break;
        }
        uint32_t wnd = umin(ep->cwnd, ep->rwnd);
        if (flight >= wnd) break;
        uint32_t room = wnd - flight;
        uint32_t avail = dend - ep->smax;
        uint32_t len = umin(ep->smss, umin(avail, room));
        if (len < ep->smss && len < avail && flight > 0) break; /* SWS avoidance */
        if (len == 0) break;
        cur_cause = 6; emit_at(c, d, ep->smax, len); cur_cause = 0;
    }
    /* persist: data waiting, zero window, nothing in flight */
    if (stream_end(ep) > ep->smax && ep->rwnd == 0 && ep->una == ep->smax && 1 + ep->written > ep->smax) {
        if (!ep->tdl[TM_PERSIST]) tarm(c, d, TM_PERSIST, now_t + ep->persist_iv);
    }
}

static void output(conn_t *c, int d)
{
    ep_t *ep = &c->ep[d];
    if (ep->state == ST_DEAD || ep->state == ST_CLOSED) return;
    sender_output(c, d);
    if (ep->ack_now && ep->state >= ST_SYN_RCVD) send_pure(c, d, F_ACK, ep->smax);
}

static void kill_ep(conn_t *c, int d)
{
    ep_t *ep = &c->ep[d];
    ep->state = ST_DEAD;
    ep->finished = 1;
    for (int k = 0; k < NTIMERS; k++) ep->tdl[k] = 0;
}

/* ----------------------------------------------------------------- app -- */
static void app_write(conn_t *c, int d, uint32_t n) { c->ep[d].written += n; }

static void app_close(conn_t *c, int d)
{
    ep_t *ep = &c->ep[d];
    if (ep->fin_queued || ep->state == ST_DEAD) return;
    if (c->rst_close) {
        send_pure(c, d, F_RST | F_ACK, ep->smax);
        st_rst++;
        kill_ep(c, d);
        conn_check_done(c);
        return;
    }
    ep->fin_queued = 1;
}

static void client_round(conn_t *c)
{
    ep_t *ep = &c->ep[0];
    int r = ep->round;
    if (r >= c->nrounds) return;
    app_write(c, 0, c->cum_req[r] - (r ? c->cum_req[r - 1] : 0));
    ep->round++;
}

/* called after data was delivered to endpoint d */
static void app_delivered(conn_t *c, int d)
{
    ep_t *ep = &c->ep[d];
    if (d == 1) {
        /* server: answer each complete request after a think time */
        if (ep->round < c->nrounds && ep->delivered >= c->cum_req[ep->round] && !ep->tdl[TM_APP])
            tarm(c, 1, TM_APP, now_t + (int64_t)rexp((double)c->sthink_mean) + 50000);
    } else {
        int r = ep->round - 1;
        if (r >= 0 && ep->delivered >= c->cum_resp[r] && !ep->tdl[TM_APP] && !ep->tdl[TM_CLOSE]) {
            if (ep->round < c->nrounds) {
                int64_t think = (int64_t)rexp((double)c->think_mean) + 20000;
                ep->think_until = now_t + think;
                tarm(c, 0, TM_APP, now_t + think);
                if (c->ka && think > c->ka_iv) tarm(c, 0, TM_KA, now_t + c->ka_iv);
            } else if (c->client_closes) {
                tarm(c, 0, TM_CLOSE, now_t + rrange(10, 3000) * 1000LL);
            }
        }
    }
}

/* ------------------------------------------------------------ receiving -- */
static void sack_merge(ep_t *ep, uint32_t s, uint32_t e)
{
    if (e <= ep->una || e <= s) return;
    if (s < ep->una) s = ep->una;
    for (int i = 0; i < ep->nsacked; i++) {
        if (s <= ep->sacked[i][1] && ep->sacked[i][0] <= e) {
            s = umin(s, ep->sacked[i][0]);
            e = umax(e, ep->sacked[i][1]);
            ep->sacked[i][0] = ep->sacked[--ep->nsacked][0];
            ep->sacked[i][1] = ep->sacked[ep->nsacked][1];
            i = -1;
        }
    }
    if (ep->nsacked < NSACK) {
        ep->sacked[ep->nsacked][0] = s;
        ep->sacked[ep->nsacked][1] = e;
        ep->nsacked++;
    }
}
static void sack_trim(ep_t *ep)
{
    for (int i = 0; i < ep->nsacked; i++) {
        if (ep->sacked[i][1] <= ep->una) {
            ep->sacked[i][0] = ep->sacked[--ep->nsacked][0];
            ep->sacked[i][1] = ep->sacked[ep->nsacked][1];
            i--;
        } else if (ep->sacked[i][0] < ep->una) ep->sacked[i][0] = ep->una;
    }
}

static void sender_ack(conn_t *c, int d, const seg_t *s)
{
    ep_t *ep = &c->ep[d];
    uint32_t ack = s->ack;
    uint32_t nw = s->win;
    if (c->ws_ok && !(s->flags & F_SYN)) nw <<= c->ep[!d].ws;
    if (c->sack_ok)
        for (int i = 0; i < s->nsack; i++) sack_merge(ep, s->sack[i][0], s->sack[i][1]);
    if (ack > ep->smax) {
        if (ack <= stream_end(ep)) ep->smax = ack; /* accepted window probe */
        else return;
    }
    if (ack > ep->una) {
        uint32_t acked = ack - ep->una;
        ep->una = ack;
        ep->dupacks = 0;
        ep->rto_count = 0;
        sack_trim(ep);
        if (ep->rtx_ptr < ep->una) ep->rtx_ptr = ep->una;
        if (ep->rtx_end < ep->rtx_ptr) ep->rtx_end = ep->rtx_ptr;
        if (ep->in_rec) {
            if (ack >= ep->recover) {
                ep->in_rec = 0;
                ep->cwnd = ep->ssthresh;
            } else {
                /* partial ACK: retransmit the next hole */
                uint32_t p = skip_sacked(ep, umax(ep->una, ep->rec_hole));
                uint32_t lost_end = c->sack_ok ? highest_sacked(ep) : ep->una + 1;
                if (p < ep->smax && p < lost_end) {
                    uint32_t lim = umin(ep->smss, umin(ep->smax, next_sacked_start(ep, p)) - p);
                    cur_cause = 2; emit_at(c, d, p, lim); cur_cause = 0;
                    ep->rec_hole = umax(ep->rec_hole, p + lim);
                }
                ep->cwnd = ep->cwnd > acked ? ep->cwnd - acked + ep->smss : ep->smss;
            }
        } else if (ep->cwnd < ep->ssthresh) {
            ep->cwnd += umin(acked, 2 * ep->smss);
        } else {
            ep->cwnd += umax(1, ep->smss * ep->smss / ep->cwnd);
        }
        if (ep->cwnd > 4u << 20) ep->cwnd = 4u << 20;
        ep->rto_cur = ep->rto_base;
        if (ep->una < ep->smax) tarm(c, d, TM_RTO, now_t + ep->rto_cur);
        else tcancel(c, d, TM_RTO);
    } else if (ack == ep->una && s->len == 0 && !(s->flags & (F_SYN | F_FIN)) &&
               nw == ep->rwnd && ep->una < ep->smax && !s->keepalive) {
        ep->dupacks++;
        if (ep->dupacks == 3 && !ep->in_rec && ep->una >= ep->recover) {
            uint32_t flight = ep->smax - ep->una;
            ep->ssthresh = umax(flight / 2, 2 * ep->smss);
            ep->cwnd = ep->ssthresh + 3 * ep->smss;
            ep->in_rec = 1;
            ep->recover = ep->smax;
            uint32_t lim = umin(ep->smss, umin(ep->smax, next_sacked_start(ep, ep->una)) - ep->una);
            cur_cause = 3; emit_at(c, d, ep->una, lim ? lim : 1); cur_cause = 0;
            ep->rec_hole = ep->una + lim;
            tarm(c, d, TM_RTO, now_t + ep->rto_cur);
        } else if (ep->dupacks > 3 && ep->in_rec) {
            ep->cwnd += ep->smss;
            if (c->sack_ok) {
                uint32_t hs = highest_sacked(ep);
                uint32_t p = skip_sacked(ep, umax(ep->rec_hole, ep->una));
                if (p < hs) {
                    uint32_t lim = umin(ep->smss, umin(hs, next_sacked_start(ep, p)) - p);
                    cur_cause = 4; emit_at(c, d, p, lim); cur_cause = 0;
                    ep->rec_hole = p + lim;
                }
            }
        }
    }
    ep->rwnd = nw;
    if (nw > 0) { tcancel(c, d, TM_PERSIST); ep->persist_iv = ep->rto_base; }
}

static void ooo_insert(ep_t *ep, uint32_t s, uint32_t e)
{
    /* merge into sorted list */
    uint32_t ns = s, ne = e;
    int i = 0, w = 0;
    uint32_t tmp[NOOO + 1][2];
    int n = 0, placed = 0;
    for (i = 0; i < ep->nooo; i++) {
        uint32_t a = ep->ooo[i][0], b = ep->ooo[i][1];
        if (b < ns) { tmp[n][0] = a; tmp[n][1] = b; n++; }
        else if (ne < a) {
            if (!placed) { tmp[n][0] = ns; tmp[n][1] = ne; n++; placed = 1; }
            tmp[n][0] = a; tmp[n][1] = b; n++;
        } else { ns = umin(ns, a); ne = umax(ne, b); }
    }
    if (!placed) { tmp[n][0] = ns; tmp[n][1] = ne; n++; }
    if (n > NOOO) n = NOOO;
    for (w = 0; w < n; w++) { ep->ooo[w][0] = tmp[w][0]; ep->ooo[w][1] = tmp[w][1]; }
    ep->nooo = n;
    ep->last_ooo_s = s;
}

static void receiver_data(conn_t *c, int d, const seg_t *s)
{
    ep_t *ep = &c->ep[d];
    uint32_t space = s->len + ((s->flags & F_FIN) ? 1 : 0);
    if (space == 0) {
        if (s->seq < ep->rnxt) ep->ack_now = 1; /* keep-alive */
        return;
    }
    uint32_t sq = s->seq, e = sq + space;
    if (e <= ep->rnxt) { /* duplicate */
        ep->ack_now = 1;
        if (c->sack_ok) { ep->have_dsack = 1; ep->dsack_s = sq; ep->dsack_e = e; }
        return;
    }
    uint32_t edge = ep->rnxt + ep->last_adv;
    if (edge < ep->right_edge) edge = ep->right_edge;
    if (e - ((s->flags & F_FIN) ? 1 : 0) > edge) { /* beyond the window */
        ep->ack_now = 1;
        return;
    }
    if (s->flags & F_FIN) { ep->peer_fin_seen = 1; ep->peer_fin_pos = e - 1; }
    if (sq <= ep->rnxt) {
        int had_ooo = ep->nooo > 0;
        ep->rnxt = e;
        while (ep->nooo && ep->ooo[0][0] <= ep->rnxt) {
            ep->rnxt = umax(ep->rnxt, ep->ooo[0][1]);
            memmove(ep->ooo[0], ep->ooo[1], sizeof(ep->ooo[0]) * (ep->nooo - 1));
            ep->nooo--;
        }
        int fin_now = ep->peer_fin_seen && ep->rnxt > ep->peer_fin_pos && !ep->eof;
        uint32_t data_end = ep->peer_fin_seen && ep->rnxt > ep->peer_fin_pos ? ep->peer_fin_pos : ep->rnxt;
        uint32_t newbytes = data_end - 1 - ep->delivered;
        ep->delivered += newbytes;
        ep->unread += newbytes;
        if (!ep->slow_reader) ep->unread = 0;
        else if (ep->unread && !ep->tdl[TM_READ]) tarm(c, d, TM_READ, now_t + ep->read_iv);
        if (ep->rcv_space < ep->rcv_max) ep->rcv_space = umin(ep->rcv_max, ep->rcv_space + 2 * newbytes);
        if (had_ooo || fin_now) ep->ack_now = 1;
        else {
            ep->segs_unacked++;
            if (ep->quick > 0) { ep->quick--; ep->ack_now = 1; }
            else if (ep->segs_unacked >= 2) ep->ack_now = 1;
            else if (!ep->tdl[TM_DELACK]) tarm(c, d, TM_DELACK, now_t + 40 * NS_PER_MS);
        }
        if (newbytes) app_delivered(c, d);
        if (fin_now) {
            ep->eof = 1;
            if (!ep->fin_queued) {
                if (urand() < 0.5) app_close(c, d);
                else tarm(c, d, TM_CLOSE, now_t + rrange(50, 3000) * 1000LL);
            }
        }
    } else {
        ooo_insert(ep, sq, e);
        ep->ack_now = 1;
    }
}

static void ep_check_finished(conn_t *c, int d)
{
    ep_t *ep = &c->ep[d];
    if (!ep->finished && ep->fin_queued && ep->una >= stream_end(ep) && ep->eof) {
        ep->finished = 1;
        for (int k = 0; k < NTIMERS; k++) ep->tdl[k] = 0;
    }
}

static void ep_input(conn_t *c, int d, const seg_t *s)
{
    ep_t *ep = &c->ep[d];
    ep_t *peer = &c->ep[!d];
    if (ep->state == ST_DEAD) {
        if (d == 1 && c->refused && (s->flags & F_SYN)) {
            send_pure(c, 1, F_RST | F_ACK, 0);
            st_rst++;
            return;
        }
        if (d == c->aborter - 1 && !(s->flags & F_RST) && s->len > 0 && (s->flags & F_ACK)) {
            send_pure(c, d, F_RST, s->ack);
            st_rst++;
        }
        return;
    }
    if (s->flags & F_RST) {
        kill_ep(c, d);
        conn_check_done(c);
        return;
    }
    if (s->flags & F_SYN) {
        ep->ts_recent = s->tsval;
        if (d == 1 && !(s->flags & F_ACK)) {
            if (c->refused) {
                ep->isn = 0;
                ep->rnxt = 1;
                ep->state = ST_SYN_RCVD;
                send_pure(c, 1, F_RST | F_ACK, 0);
                st_rst++;
                kill_ep(c, 1);
                return;
            }
            if (ep->state == ST_CLOSED) {
                ep->state = ST_SYN_RCVD;
                ep->rnxt = 1;
                ep->right_edge = 0;
                emit_at(c, 1, 0, 0);
            } else if (ep->state == ST_SYN_RCVD) {
                emit_at(c, 1, 0, 0); /* retransmitted SYN: resend SYN-ACK */
            } else {
                ep->ack_now = 1;
                output(c, d);
            }
            return;
        }
        if (d == 0 && (s->flags & F_ACK)) {
            if (ep->state == ST_SYN_SENT && s->ack == 1) {
                ep->state = ST_EST;
                ep->una = 1;
                ep->rnxt = 1;
                ep->rtx_ptr = ep->rtx_end = 1;
                ep->rwnd = s->win;
                ep->rto_count = 0;
                ep->rto_cur = ep->rto_base;
                tcancel(c, 0, TM_RTO);
                ep->ack_now = 1;
                output(c, 0); /* the handshake's ACK */
                client_round(c);
                output(c, 0);
            } else {
                ep->ack_now = 1;
                output(c, 0);
            }
            return;
        }
        return;
    }
    if (ep->state == ST_SYN_SENT || ep->state == ST_CLOSED) return;
    if (c->ts_ok && s->seq <= ep->rnxt) ep->ts_recent = s->tsval;
    if (s->flags & F_ACK) {
        if (ep->state == ST_SYN_RCVD && s->ack >= 1) {
            ep->state = ST_EST;
            ep->una = umax(ep->una, 1);
            ep->rtx_ptr = umax(ep->rtx_ptr, 1);
            ep->rtx_end = umax(ep->rtx_end, 1);
            ep->rto_count = 0;
            ep->rto_cur = ep->rto_base;
            tcancel(c, d, TM_RTO);
        }
        if (ep->state == ST_EST) sender_ack(c, d, s);
    }
    if (ep->state == ST_EST) receiver_data(c, d, s);
    (void)peer;
    output(c, d);
    ep_check_finished(c, d);
    conn_check_done(c);
}

/* --------------------------------------------------------- timers fire -- */
static void on_timer(conn_t *c, int d, int k)
{
    ep_t *ep = &c->ep[d];
    ep->tdl[k] = 0;
    if (ep->state == ST_DEAD || ep->finished) return;
    switch (k) {
    case TM_RTO:
        if (ep->una >= ep->smax) return;
        if (++ep->rto_count > 5) { /* give up */
            kill_ep(c, 0); kill_ep(c, 1);
            conn_check_done(c);
            return;
        }
        ep->ssthresh = umax((ep->smax - ep->una) / 2, 2 * ep->smss);
        ep->cwnd = ep->smss;
        ep->in_rec = 0;
        ep->dupacks = 0;
        ep->recover = ep->smax;
        ep->rtx_ptr = ep->una;
        ep->rtx_end = ep->smax;
        ep->rto_cur = ep->rto_cur * 2 > 10 * NS_PER_S ? 10 * NS_PER_S : ep->rto_cur * 2;
        tarm(c, d, TM_RTO, now_t + ep->rto_cur);
        output(c, d);
        break;
    case TM_DELACK:
        if (ep->segs_unacked) { ep->ack_now = 1; output(c, d); }
        break;
    case TM_PERSIST:
        if (ep->rwnd == 0 && ep->una == ep->smax && 1 + ep->written > ep->smax) {
            /* zero window probe: one byte of new data */
            seg_t s;
            memset(&s, 0, sizeof s);
            s.seq = ep->smax;
            s.len = 1;
            s.flags = F_ACK;
            fill_ack(c, d, &s);
            xmit(c, d, &s);
            st_zwp++;
            ep->persist_iv = umin(ep->persist_iv * 2, 4 * NS_PER_S) ;
            if (ep->persist_iv < 200 * NS_PER_MS) ep->persist_iv = 200 * NS_PER_MS;
            tarm(c, d, TM_PERSIST, now_t + ep->persist_iv);
        }
        break;
    case TM_APP:
        if (d == 0) { client_round(c); output(c, 0); }
        else {
            int r = ep->round;
            if (r < c->nrounds && ep->delivered >= c->cum_req[r]) {
                app_write(c, 1, c->cum_resp[r] - (r ? c->cum_resp[r - 1] : 0));
                ep->round++;
                if (ep->round == c->nrounds && !c->client_closes) app_close(c, 1);
                output(c, 1);
                if (ep->round < c->nrounds && ep->delivered >= c->cum_req[ep->round])
                    tarm(c, 1, TM_APP, now_t + 50000);
            }
        }
        break;
    case TM_CLOSE:
        app_close(c, d);
        output(c, d);
        break;
    case TM_READ: {
        if (!ep->unread) break;
        uint32_t before = adv_window(c, d);
        uint32_t n;
        int64_t next = ep->read_iv;
        n = (uint32_t)(ep->read_rate * (double)ep->read_iv / 1e9);
        if (n < 1) n = 1;
        if (n > ep->unread) n = ep->unread;
        ep->unread -= n;
        if (urand() < 0.01) next = (int64_t)rrange(300, 2500) * NS_PER_MS; /* app stalls */
        uint32_t after = adv_window(c, d);
        uint32_t last = ep->last_adv;
        (void)before;
        if ((after >= 2 * last && after - last >= 2 * c->ep[!d].smss) ||
            (last < c->ep[!d].smss && after >= c->ep[!d].smss))
            ep->ack_now = 1;
        output(c, d);
        if (ep->unread) tarm(c, d, TM_READ, now_t + next);
        break;
    }
    case TM_KA:
        if (d == 0 && ep->una == ep->smax && now_t + c->ka_iv / 4 < ep->think_until) {
            seg_t s;
            memset(&s, 0, sizeof s);
            s.seq = ep->smax - 1;
            s.flags = F_ACK;
            s.keepalive = 1;
            fill_ack(c, d, &s);
            xmit(c, d, &s);
            st_ka++;
            if (now_t + c->ka_iv < ep->think_until) tarm(c, 0, TM_KA, now_t + c->ka_iv);
        }
        break;
    case TM_ABORT:
        if (ep->state == ST_EST && !ep->fin_queued) {
            send_pure(c, d, F_RST | F_ACK, ep->smax);
            st_rst++;
            c->aborter = d + 1;
            kill_ep(c, d);
            conn_check_done(c);
        }
        break;
    }
}

/* ---------------------------------------------------------- connections -- */
static void new_conn(int64_t t);

static void conn_check_done(conn_t *c)
{
    if (c->done) return;
    int dead = c->ep[0].state == ST_DEAD || c->ep[1].state == ST_DEAD;
    if (!(dead || (c->ep[0].finished && c->ep[1].finished))) return;
    c->done = 1;
    active--;
    tuple_t *r = &recent[nrecent++ % 64];
    r->v6 = c->v6; memcpy(r->cip, c->cip, 16); memcpy(r->sip, c->sip, 16);
    r->cport = c->cport; r->sport = c->sport;
    if (!stop_new) new_conn(now_t + (int64_t)rexp(3.0 * NS_PER_MS));
}

static void set_leg(leg_t *l, int far)
{
    memset(l, 0, sizeof *l);
    l->free_at[0] = l->free_at[1] = -1000 * NS_PER_S;
    if (!far) {
        l->delay = rrange(40, 600) * 1000LL;
        l->loss = 0.0003;
        l->reorder = 0;
        l->ns_per_byte = 8.0; /* 1 Gbit/s */
    } else {
        l->delay = (int64_t)(rlogu(2.0, 120.0) * NS_PER_MS);
        double u = urand();
        l->loss = u < 0.25 ? 0.0005 : rlogu(0.004, 0.06);
        l->reorder = urand() < 0.3 ? 0.01 : 0.001;
        l->ns_per_byte = 8000.0 / rlogu(5.0, 300.0); /* Mbit/s */
    }
}

static uint32_t rsize_resp(void)
{
    double u = urand();
    if (u < 0.65) return (uint32_t)rlogu(800, 60e3);
    if (u < 0.95) return (uint32_t)rlogu(60e3, 2e6);
    return (uint32_t)rlogu(2e6, 30e6);
}

static void init_ep(conn_t *c, ep_t *ep, int server)
{
    ep->isn = (uint32_t)rnd();
    ep->ts_off = (uint32_t)rnd();
    ep->ipid = (uint16_t)rnd();
    int windows = !server && urand() < 0.3;
    ep->ws = server ? rrange(7, 9) : (windows ? 8 : 7);
    ep->off_ts = server ? urand() < 0.96 : (windows ? urand() < 0.5 : urand() < 0.97);
    ep->off_sack = urand() < 0.97;
    ep->off_ws = urand() < 0.96;
    if (c->v6) ep->mss_adv = urand() < 0.85 ? 1440 : 1380;
    else {
        double u = urand();
        ep->mss_adv = u < 0.8 ? 1460 : u < 0.9 ? 1400 : u < 0.95 ? 1380 : 1360;
    }
    ep->ttl = server ? 64 : (windows ? 128 : 64);
    ep->rcv_max = server ? (uint32_t)rlogu(128e3, 4e6) : (uint32_t)rlogu(256e3, 6e6);
    ep->rcv_space = windows ? 65535 : 64240;
    ep->state = ST_CLOSED;
    ep->quick = 10;
    ep->ssthresh = 1u << 30;
    ep->rto_cur = NS_PER_S;
}

static void new_conn(int64_t t)
{
    conn_t *c = calloc(1, sizeof *c);
    if (!c) { perror("calloc"); exit(1); }
    c->idx = conn_counter++;
    active++;
    st_conns++;
    c->v6 = urand() < 0.2;
    double ku = urand();
    c->kind = ku < 0.76 ? K_DOWN : ku < 0.88 ? K_UP : K_INTERACTIVE;
    if (nrecent > 0 && urand() < 0.01) {
        tuple_t *r = &recent[rnd() % (nrecent < 64 ? nrecent : 64)];
        c->v6 = r->v6; memcpy(c->cip, r->cip, 16); memcpy(c->sip, r->sip, 16);
        c->cport = r->cport; c->sport = r->sport;
    } else {
        uint32_t h = rrange(1, 254);
        uint32_t sh = (uint32_t)rlogu(1, 250);
        if (sh == 53) sh = 54;
        if (!c->v6) {
            c->cip[0] = 192; c->cip[1] = 0; c->cip[2] = 2; c->cip[3] = h;
            c->sip[0] = 198; c->sip[1] = 51; c->sip[2] = 100; c->sip[3] = sh;
        } else {
            static const uint8_t p1[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
            static const uint8_t p2[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0};
            memcpy(c->cip, p1, 8); memcpy(c->sip, p2, 8);
            c->cip[15] = h; c->sip[15] = sh;
            if (h % 3 == 0) { c->cip[8] = 0x02; c->cip[9] = 0x1c; c->cip[12] = h; } /* some SLAAC-ish */
        }
        uint16_t *np = &next_port[c->v6][h];
        if (*np < 32768) *np = 32768 + rrange(0, 20000);
        *np += rrange(1, 60);
        if (*np > 60999) *np = 32768 + (*np - 61000);
        c->cport = *np;
        double su = urand();
        if (c->kind == K_INTERACTIVE) c->sport = su < 0.6 ? 22 : su < 0.8 ? 993 : 6697;
        else if (c->kind == K_UP) c->sport = su < 0.5 ? 443 : su < 0.8 ? 445 : 5201;
        else c->sport = su < 0.85 ? 443 : su < 0.95 ? 8443 : 853;
    }
    c->client_closes = urand() < 0.7;
    c->rst_close = urand() < 0.03;
    c->refused = urand() < 0.01;
    /* path */
    int client_far = urand() < 0.35;
    set_leg(&c->leg[0], client_far);
    set_leg(&c->leg[1], !client_far);
    init_ep(c, &c->ep[0], 0);
    init_ep(c, &c->ep[1], 1);
    c->ts_ok = c->ep[0].off_ts && c->ep[1].off_ts;
    c->sack_ok = c->ep[0].off_sack && c->ep[1].off_sack;
    c->ws_ok = c->ep[0].off_ws && c->ep[1].off_ws;
    int64_t rtt = 2 * (c->leg[0].delay + c->leg[1].delay);
    for (int d = 0; d < 2; d++) {
        ep_t *ep = &c->ep[d];
        ep->smss = umin(c->ep[0].mss_adv, c->ep[1].mss_adv) - (c->ts_ok ? 12 : 0);
        ep->cwnd = 10 * ep->smss;
        if (!c->ws_ok && ep->rcv_max > 65535) ep->rcv_max = 65535;
        if (ep->rcv_max < 4 * ep->smss) ep->rcv_max = 4 * ep->smss;
        ep->rto_base = rtt * 5 / 2 + 20 * NS_PER_MS;
        if (ep->rto_base < 200 * NS_PER_MS) ep->rto_base = 200 * NS_PER_MS;
        ep->persist_iv = ep->rto_base;
    }
    c->flow[0] = (uint32_t)rnd() & 0xfffff;
    c->flow[1] = (uint32_t)rnd() & 0xfffff;
    /* application */
    uint32_t req = 0, resp = 0;
    if (c->kind == K_DOWN) {
        c->nrounds = urand() < 0.7 ? 1 : (int)rrange(2, 6);
        for (int r = 0; r < c->nrounds; r++) {
            req += rrange(150, 1200);
            resp += rsize_resp();
            c->cum_req[r] = req; c->cum_resp[r] = resp;
        }
        c->think_mean = (int64_t)(rlogu(5, 300) * NS_PER_MS);
    } else if (c->kind == K_UP) {
        c->nrounds = 1;
        c->cum_req[0] = (uint32_t)rlogu(20e3, 8e6);
        c->cum_resp[0] = rrange(100, 400);
        c->think_mean = 10 * NS_PER_MS;
    } else {
        c->nrounds = (int)rrange(5, MAXR);
        for (int r = 0; r < c->nrounds; r++) {
            req += rrange(30, 300);
            resp += (uint32_t)rlogu(30, 3000);
            c->cum_req[r] = req; c->cum_resp[r] = resp;
        }
        c->think_mean = (int64_t)(rlogu(100, 2000) * NS_PER_MS);
        c->ka = urand() < 0.6;
        c->ka_iv = rrange(400, 1200) * NS_PER_MS;
    }
    c->sthink_mean = (int64_t)(rlogu(0.1, 30) * NS_PER_MS);
    /* slow reader on the bulk receiving side */
    if (c->kind != K_INTERACTIVE && urand() < 0.08) {
        ep_t *rx = &c->ep[c->kind == K_DOWN ? 0 : 1];
        rx->slow_reader = 1;
        rx->rcv_max = umax((uint32_t)rlogu(24e3, 200e3), 4 * rx->smss);
        rx->read_rate = rlogu(20e3, 600e3);
        rx->read_iv = rrange(5, 60) * NS_PER_MS;
    }
    /* DNS lookup first, sometimes */
    int64_t ts = t;
    if (urand() < 0.3) {
        c->dns_port = rrange(1024, 65535);
        c->dns_id = (uint16_t)rnd();
        ev_t *q = sched(c, EV_UDP, t);
        q->sub = 0;
        hpush(q);
        int64_t rt = t + (int64_t)(rlogu(0.3, 40) * NS_PER_MS);
        ev_t *a = sched(c, EV_UDP, rt);
        a->sub = 1;
        hpush(a);
        ts = rt + rrange(30, 400) * 1000LL;
    }
    ev_t *e = sched(c, EV_START, ts);
    hpush(e);
    if (urand() < 0.02) tarm(c, 0, TM_ABORT, ts + (int64_t)(rlogu(50, 3000) * NS_PER_MS));
}

static void start_conn(conn_t *c)
{
    ep_t *ep = &c->ep[0];
    ep->state = ST_SYN_SENT;
    ep->rto_cur = NS_PER_S;
    c->ep[1].rto_cur = NS_PER_S;
    emit_at(c, 0, 0, 0);
}

/* ------------------------------------------------------ many connections -- */
/* Connection i: client 192.0.2.(1 + i % 250):(1024 + i / 250), server
 * 198.51.100.(1 + i % 16):80. One column per client port in the ladder. */
static void many_conn(conn_t *c, uint32_t i)
{
    memset(c, 0, sizeof *c);
    c->idx = i;
    c->cip[0] = 192; c->cip[1] = 0; c->cip[2] = 2; c->cip[3] = (uint8_t)(1 + i % 250);
    c->sip[0] = 198; c->sip[1] = 51; c->sip[2] = 100; c->sip[3] = (uint8_t)(1 + i % 16);
    c->cport = (uint16_t)(1024 + i / 250);
    c->sport = 80;
    for (int d = 0; d < 2; d++) {
        c->ep[d].isn = (uint32_t)(i * 2654435761u) ^ (d ? 0x5a5a5a5au : 0);
        c->ep[d].mss_adv = 1460;
        c->ep[d].ttl = 64;
    }
}

static void many_seg(conn_t *c, int from, uint8_t flags, uint32_t seq,
                     uint32_t ack, uint32_t len, int64_t *t)
{
    seg_t s;
    memset(&s, 0, sizeof s);
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    s.len = len;
    s.win = 65535;
    write_tcp(c, from, &s, *t);
    *t += 10000;        /* 10 us apart */
}

static void write_many(uint32_t n, int open)
{
    conn_t c;
    int64_t t = 0;
    for (uint32_t i = 0; i < n; i++) {
        many_conn(&c, i);
        many_seg(&c, 0, F_SYN, 0, 0, 0, &t);
        many_seg(&c, 1, F_SYN | F_ACK, 0, 1, 0, &t);
        many_seg(&c, 0, F_ACK, 1, 1, 0, &t);
    }
    for (uint32_t i = 0; i < n; i++) {
        many_conn(&c, i);
        many_seg(&c, 0, F_ACK | F_PSH, 1, 1, 100, &t);
        many_seg(&c, 1, F_ACK, 1, 101, 0, &t);
    }
    for (uint32_t i = 0; i < n && !open; i++) {
        many_conn(&c, i);
        many_seg(&c, 0, F_ACK | F_FIN, 101, 1, 0, &t);
        many_seg(&c, 1, F_ACK | F_FIN, 1, 102, 0, &t);
        many_seg(&c, 0, F_ACK, 102, 2, 0, &t);
    }
    st_conns = n;
}

/* ---------------------------------------------------------------- main -- */
static void usage(void)
{
    fprintf(stderr,
            "usage: gen-capture [-n PACKETS] [-s SEED] [-c CONCURRENCY] [-l en10mb|sll]\n"
            "                   [-f pcap|pcapng] [-S SNAPLEN] [-w OUTFILE|-] [-q]\n"
            "       gen-capture -m CONNECTIONS [-o] [-l ...] [-f ...] [-w OUTFILE|-]\n"
            "  -n  packets to write (default 200000; suffixes k, M)\n"
            "  -s  seed (default 1)\n"
            "  -c  target number of concurrent connections (default 400)\n"
            "  -l  link type: en10mb (Ethernet, default) or sll (Linux cooked)\n"
            "  -f  file format: pcap (default, microseconds) or pcapng\n"
            "  -S  snap length (default 128: every header is captured)\n"
            "  -m  instead: that many short connections, all open at once\n"
            "  -o  with -m: never close them\n");
    exit(2);
}

static uint64_t parse_count(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*end == 'k' || *end == 'K') v *= 1e3;
    else if (*end == 'm' || *end == 'M') v *= 1e6;
    return (uint64_t)v;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    const char *path = "-";
    int quiet = 0, o, many_open = 0;
    uint64_t many = 0;
    while ((o = getopt(argc, argv, "n:s:c:l:f:S:w:qm:oh")) != -1) {
        switch (o) {
        case 'n': opt_npkts = parse_count(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        case 'c': opt_conc = atoi(optarg); break;
        case 'l':
            if (!strcmp(optarg, "sll") || !strcmp(optarg, "linux-sll")) opt_sll = 1;
            else if (!strcmp(optarg, "en10mb") || !strcmp(optarg, "ether")) opt_sll = 0;
            else usage();
            break;
        case 'f':
            if (!strcmp(optarg, "pcapng")) opt_pcapng = 1;
            else if (!strcmp(optarg, "pcap")) opt_pcapng = 0;
            else usage();
            break;
        case 'S': opt_snap = (uint32_t)atoi(optarg); break;
        case 'w': path = optarg; break;
        case 'q': quiet = 1; break;
        case 'm': many = parse_count(optarg); break;
        case 'o': many_open = 1; break;
        default: usage();
        }
    }
    if (opt_snap < 120) opt_snap = 120;
    if (opt_snap > 65535) opt_snap = 65535;
    if (opt_conc < 1) opt_conc = 1;
    out = strcmp(path, "-") ? fopen(path, "wb") : stdout;
    if (!out) { perror(path); return 1; }
    setvbuf(out, NULL, _IOFBF, 1 << 22);
    rng_state = seed * 0x2545f4914f6cdd1dULL + 0x1234567;
    write_file_header();
    if (many) {
        if (many > 250u * 64512u) {
            fprintf(stderr, "gen-capture: -m: at most %u connections\n", 250u * 64512u);
            return 2;
        }
        write_many((uint32_t)many, many_open);
        if (fflush(out) || (out != stdout && fclose(out))) { perror("write"); return 1; }
        if (!quiet)
            fprintf(stderr, "gen-capture: %llu packets, %llu connections%s, %.1f MB\n",
                    (unsigned long long)written_pkts, (unsigned long long)st_conns,
                    many_open ? " left open" : "", written_bytes / 1e6);
        return 0;
    }

    now_t = -3 * NS_PER_S;
    for (int i = 0; i < opt_conc; i++)
        new_conn(-3 * NS_PER_S + (int64_t)(urand() * 4.0 * NS_PER_S));

    ev_t *e;
    uint64_t stop_at = opt_npkts - opt_npkts / 64;
    int64_t last_t = -1;
    while (written_pkts < opt_npkts && (e = hpop())) {
        now_t = e->t;
        conn_t *c = e->c;
        switch (e->type) {
        case EV_CAP: on_cap(e); break;
        case EV_ARRIVE: ep_input(c, e->dir, &e->seg); break;
        case EV_TIMER: {
            ep_t *ep = &c->ep[e->dir];
            int k = e->sub;
            if (e->gen == ep->tgen[k]) {
                ep->tpend[k] = 0;
                if (ep->tdl[k]) {
                    if (now_t < ep->tdl[k]) tarm(c, e->dir, k, ep->tdl[k]);
                    else on_timer(c, e->dir, k);
                }
            }
            break;
        }
        case EV_START: start_conn(c); break;
        case EV_UDP: if (now_t >= 0) write_dns(c, e->sub, now_t); break;
        }
        if (now_t >= 0 && now_t > last_t) last_t = now_t;
        if (!stop_new && written_pkts >= stop_at) stop_new = 1;
        if (--c->refs == 0 && c->done) free(c);
        e->next_free = ev_free;
        ev_free = e;
    }
    if (fflush(out) || (out != stdout && fclose(out))) { perror("write"); return 1; }
    if (!quiet)
        fprintf(stderr,
                "gen-capture: %llu packets (%llu TCP, %llu UDP), %.1f MB, %.2f s of traffic, "
                "%llu connections started, data segments %llu, retransmitted %llu (%.2f%%), "
                "RST %llu, zero-window probes %llu, keep-alives %llu, capture drops %llu\n",
                (unsigned long long)written_pkts, (unsigned long long)st_tcp, (unsigned long long)st_udp,
                written_bytes / 1e6, last_t / 1e9, (unsigned long long)st_conns,
                (unsigned long long)st_data, (unsigned long long)st_retx,
                st_data ? 100.0 * st_retx / st_data : 0.0, (unsigned long long)st_rst,
                (unsigned long long)st_zwp, (unsigned long long)st_ka, (unsigned long long)st_capdrop);
    if (!quiet && getenv("GEN_DEBUG"))
        fprintf(stderr, "retx causes: other %llu rto %llu partial %llu fast %llu sackhole %llu fin %llu new %llu\n",
                (unsigned long long)st_rc[0], (unsigned long long)st_rc[1], (unsigned long long)st_rc[2],
                (unsigned long long)st_rc[3], (unsigned long long)st_rc[4], (unsigned long long)st_rc[5], (unsigned long long)st_rc[6]);
    return 0;
}
