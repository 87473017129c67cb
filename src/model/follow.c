/* Following a TCP stream: reassembly as Wireshark 4.0's follow tap does it
 * (rules in tl_follow.h), and tshark's -z follow output. */
#include "config.h"

#include "tl_follow.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_decode.h"
#include "tl_model.h"
#include "tl_render.h"
#include "tl_util.h"

/* Sequence space comparisons, modulo 2^32. */
static bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(b - a) < 0; }

/* Early segments kept per direction: beyond that, a segment that comes
 * early is dropped (its bytes become part of a later gap). */
#define EARLY_MAX 65536u

void tl_follow_seg_init(struct tl_follow_seg *fs, const struct tl_seg *seg,
                        const struct tl_packet *pkt, const uint8_t *frame)
{
	fs->frame = seg->frame;
	fs->ip_version = pkt->ip_version;
	fs->src = pkt->src;
	fs->dst = pkt->dst;
	fs->sport = pkt->sport;
	fs->dport = pkt->dport;
	fs->flags = pkt->flags;
	fs->seq = seg->seq;
	fs->ack = seg->ack;
	fs->seglen = pkt->seglen;
	fs->payload = frame + pkt->payload_offset;
	fs->caplen = pkt->payload_caplen;
}

void tl_follow_init(struct tl_follow *f, uint64_t max_bytes)
{
	memset(f, 0, sizeof *f);
	f->max_bytes = max_bytes;
}

void tl_follow_free(struct tl_follow *f)
{
	for (int d = 0; d < 2; d++) {
		for (uint32_t i = 0; i < f->early_count[d]; i++)
			free(f->early[d][i].data);
		free(f->early[d]);
	}
	free(f->chunks);
	free(f->data);
	memset(f, 0, sizeof *f);
}

uint64_t tl_follow_bytes(const struct tl_follow *f)
{
	return f->data_cap + (uint64_t)f->cap * sizeof *f->chunks +
	       f->early_bytes +
	       ((uint64_t)f->early_cap[0] + f->early_cap[1]) *
	       sizeof(struct tl_follow_early);
}

/* Whether n more bytes may be kept; past the bound the follow stops for
 * good (a view says so), rather than keep a stream with holes in it. */
static bool room_for(struct tl_follow *f, uint64_t n)
{
	if (f->full)
		return false;
	if (f->max_bytes && tl_follow_bytes(f) + n > f->max_bytes) {
		f->full = true;
		return false;
	}
	return true;
}

static void append_chunk(struct tl_follow *f, unsigned node, uint32_t frame,
                         uint32_t seq, const uint8_t *p, uint32_t len,
                         uint32_t missing)
{
	uint64_t cap = f->data_cap;
	if (f->data_len + len > cap) {
		cap = cap ? cap : 4096;
		while (cap < f->data_len + len)
			cap *= 2;
	}
	/* What the arrays will hold once grown, not only the bytes. */
	if (!room_for(f, (cap - f->data_cap) +
	              (f->count + 1 > f->cap ? (uint64_t)(f->cap ? f->cap : 64)
	               * sizeof *f->chunks : 0)))
		return;
	if (f->data_len + len > f->data_cap) {
		if (cap != (size_t)cap)
			tl_fatal("out of memory");
		f->data = tl_xrealloc(f->data, (size_t)cap, 1);
		f->data_cap = cap;
	}
	f->chunks = tl_xgrow(f->chunks, &f->cap, (uint64_t)f->count + 1, 64,
	                     sizeof *f->chunks);
	struct tl_follow_chunk *c = &f->chunks[f->count++];
	c->frame = frame;
	c->seq = seq;
	c->off = f->data_len;
	c->len = len;
	c->missing = missing;
	c->node = (uint8_t)node;
	c->gap = missing != 0 || !p;
	if (len)
		memcpy(f->data + f->data_len, p, len);
	f->data_len += len;
	if (!c->gap)
		f->bytes_per_node[node] += len;
}

static void drop_early(struct tl_follow *f, unsigned d, uint32_t i)
{
	struct tl_follow_early *e = f->early[d];
	f->early_bytes -= e[i].len;
	free(e[i].data);
	memmove(&e[i], &e[i + 1], (f->early_count[d] - i - 1) * sizeof *e);
	uint32_t n = --f->early_count[d];
	for (uint32_t k = 0; k < n; k++)
		if (!k || seq_gt(f->early_low[d], e[k].seq))
			f->early_low[d] = e[k].seq;
}

/* One step of fitting early segments of direction d into the stream:
 * appends what one of them adds, or a gap when ack (if use_ack) shows the
 * receiver had bytes the capture lacks. False once nothing more fits. */
static bool fit_early(struct tl_follow *f, unsigned d, uint32_t ack,
                      bool use_ack, uint32_t frame)
{
	uint32_t n = f->early_count[d];
	if (!n)
		return false;
	struct tl_follow_early *e = f->early[d];
	/* Every ACK asks: most find all of them still beyond the next byte
	 * and not acknowledged, which the lowest alone tells (so a hole
	 * that stays open costs no scan per ACK). */
	if (seq_gt(f->early_low[d], f->next[d]) &&
	    !(use_ack && seq_gt(ack, f->early_low[d])))
		return false;
	uint32_t lowest = e[0].seq;
	for (uint32_t i = 0; i < n; i++) {
		if (seq_gt(lowest, e[i].seq))
			lowest = e[i].seq;
		if (seq_lt(e[i].seq, f->next[d])) {
			/* Starts before the next byte: only its tail, if it
			 * reaches past it, is new. */
			uint32_t end = e[i].seq + e[i].len;
			if (seq_gt(end, f->next[d])) {
				uint32_t skip = f->next[d] - e[i].seq;
				append_chunk(f, d, e[i].frame, f->next[d],
				             e[i].data + skip, e[i].len - skip, 0);
				f->next[d] = end;
			}
			drop_early(f, d, i);
			return true;
		}
		if (e[i].seq == f->next[d]) {
			if (e[i].len)
				append_chunk(f, d, e[i].frame, e[i].seq,
				             e[i].data, e[i].len, 0);
			f->next[d] += e[i].len;
			drop_early(f, d, i);
			return true;
		}
	}
	if (use_ack && seq_gt(ack, lowest)) {
		/* tshark's text and a NUL, so the bytes printed agree. */
		char text[64];
		int32_t missing = (int32_t)(lowest - f->next[d]);
		int len = snprintf(text, sizeof text,
		                   "[%d bytes missing in capture file]",
		                   (int)missing);
		append_chunk(f, d, frame, f->next[d], (const uint8_t *)text,
		             (uint32_t)len + 1, missing ? (uint32_t)missing : 1);
		f->next[d] = lowest;
		return true;
	}
	return false;
}

static void keep_early(struct tl_follow *f, unsigned d, uint32_t frame,
                       uint32_t seq, const uint8_t *p, uint32_t len)
{
	if (f->early_count[d] >= EARLY_MAX ||
	    !room_for(f, len + sizeof(struct tl_follow_early)))
		return;
	f->early[d] = tl_xgrow(f->early[d], &f->early_cap[d],
	                       (uint64_t)f->early_count[d] + 1, 8,
	                       sizeof *f->early[d]);
	if (!f->early_count[d] || seq_gt(f->early_low[d], seq))
		f->early_low[d] = seq;
	struct tl_follow_early *e = &f->early[d][f->early_count[d]++];
	e->frame = frame;
	e->seq = seq;
	e->len = len;
	e->data = tl_xmalloc(len ? len : 1);
	memcpy(e->data, p, len);
	f->early_bytes += len;
}

static bool same_endpoint(const struct tl_follow *f, unsigned n,
                          const uint8_t *addr, uint16_t port)
{
	size_t alen = f->ip_version == 6 ? 16 : 4;
	return f->port[n] == port && !memcmp(f->addr[n], addr, alen);
}

void tl_follow_add(struct tl_follow *f, const struct tl_follow_seg *s)
{
	size_t alen = s->ip_version == 6 ? 16 : 4;
	if (!f->have_nodes) {
		f->have_nodes = true;
		f->ip_version = s->ip_version;
		memset(f->addr, 0, sizeof f->addr);
		memcpy(f->addr[0], s->src, alen);
		memcpy(f->addr[1], s->dst, alen);
		f->port[0] = s->sport;
		f->port[1] = s->dport;
	}
	unsigned d = same_endpoint(f, 0, s->src, s->sport) &&
	             s->ip_version == f->ip_version ? 0 : 1;
	uint32_t seq = s->seq + ((s->flags & TL_TH_SYN) ? 1u : 0u);
	uint32_t len = s->seglen;
	uint32_t caplen = s->caplen < s->seglen ? s->caplen : s->seglen;
	const uint8_t *p = s->payload;

	/* This segment may acknowledge early bytes of the other side whose
	 * predecessors the capture missed. */
	while (fit_early(f, !d, s->ack, true, s->frame))
		;
	if (!f->written[d] && !f->next[d])
		f->next[d] = seq;
	if (seq_lt(seq, f->next[d])) {
		uint32_t end = seq + len;
		if (seq_gt(end, f->next[d])) {
			uint32_t skip = f->next[d] - seq;
			if (caplen <= skip) {
				caplen = 0;
			} else {
				p += skip;
				caplen -= skip;
			}
			seq = f->next[d];
			len = end - seq;
		}
	}
	if (!caplen || seq_lt(seq, f->next[d]))
		return;
	if (seq == f->next[d]) {
		append_chunk(f, d, s->frame, seq, p, caplen, 0);
		f->next[d] += len;
		f->written[d] += caplen;
		while (fit_early(f, d, 0, false, s->frame))
			;
	} else {
		keep_early(f, d, s->frame, seq, p, caplen);
	}
}

size_t tl_follow_node_name(const struct tl_follow *f, unsigned n, char *out,
                           size_t size)
{
	char a[INET6_ADDRSTRLEN] = "";
	if (!f || !f->have_nodes)
		return (size_t)snprintf(out, size, ":0");
	inet_ntop(f->ip_version == 6 ? AF_INET6 : AF_INET, f->addr[n], a,
	          sizeof a);
	return (size_t)snprintf(out, size, f->ip_version == 6 ? "[%s]:%u"
	                                                       : "%s:%u",
	                        a, f->port[n]);
}

/* ---- -z follow,tcp,MODE,FILTER[,RANGE] ---- */

static bool parse_endpoint(const char **pp, uint8_t *ip_version,
                           uint8_t addr[16], uint16_t *port)
{
	const char *p = *pp, *end;
	char text[INET6_ADDRSTRLEN + 1];
	if (*p != ',')
		return false;
	p++;
	if (*p == '[') {
		end = strchr(++p, ']');
		if (!end || end[1] != ':')
			return false;
		*ip_version = 6;
	} else {
		end = strchr(p, ':');
		if (!end)
			return false;
		*ip_version = 4;
	}
	size_t n = (size_t)(end - p);
	if (!n || n >= sizeof text)
		return false;
	memcpy(text, p, n);
	text[n] = '\0';
	if (inet_pton(*ip_version == 6 ? AF_INET6 : AF_INET, text, addr) != 1)
		return false;
	p = end + (*ip_version == 6 ? 2 : 1);
	char *num_end;
	unsigned long v = strtoul(p, &num_end, 10);
	if (num_end == p || *p == '-' || *p == '+' || v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	*pp = num_end;
	return true;
}

bool tl_follow_spec_parse(struct tl_follow_spec *spec, const char *arg,
                          char *err, size_t errsize)
{
	static const struct { const char *name; enum tl_follow_mode mode; }
	modes[] = {
		{ "ascii", TL_FOLLOW_ASCII }, { "hex", TL_FOLLOW_HEX },
		{ "raw", TL_FOLLOW_RAW },
	};
	memset(spec, 0, sizeof *spec);
	const char *p = arg;
	if (strncmp(p, "follow,tcp,", 11)) {
		snprintf(err, errsize, "-z %s: only follow,tcp,MODE,N is known "
		         "(MODE ascii, hex or raw)", arg);
		return false;
	}
	p += 11;
	size_t i;
	for (i = 0; i < sizeof modes / sizeof *modes; i++) {
		size_t n = strlen(modes[i].name);
		if (!strncmp(p, modes[i].name, n) && p[n] == ',') {
			spec->mode = modes[i].mode;
			p += n;
			break;
		}
	}
	if (i == sizeof modes / sizeof *modes) {
		snprintf(err, errsize, "-z %s: the mode is ascii, hex or raw",
		         arg);
		return false;
	}
	char *end;
	if (p[1] != '[' && !strchr(p + 1, ':')) {
		unsigned long long v = strtoull(p + 1, &end, 10);
		if (end == p + 1 || p[1] == '-' || p[1] == '+' ||
		    (*end && *end != ',') || v >= UINT32_MAX) {
			snprintf(err, errsize, "-z %s: bad stream number", arg);
			return false;
		}
		spec->stream = (uint32_t)v;
		p = end;
	} else {
		uint8_t v0 = 0, v1 = 0;
		if (!parse_endpoint(&p, &v0, spec->addr[0], &spec->port[0]) ||
		    !parse_endpoint(&p, &v1, spec->addr[1], &spec->port[1])) {
			snprintf(err, errsize, "-z %s: give a stream number or "
			         "ADDR:PORT,ADDR:PORT (IPv6 as [ADDR]:PORT)", arg);
			return false;
		}
		if (v0 != v1) {
			snprintf(err, errsize, "-z %s: one IPv4 and one IPv6 "
			         "address", arg);
			return false;
		}
		spec->by_address = true;
		spec->ip_version = v0;
	}
	if (*p) {
		snprintf(err, errsize, "-z %s: unexpected '%s'", arg, p);
		return false;
	}
	return true;
}

bool tl_follow_spec_match(const struct tl_follow_spec *spec, uint32_t stream,
                          const struct tl_follow_seg *s)
{
	if (!spec->by_address)
		return stream == spec->stream;
	if (s->ip_version != spec->ip_version)
		return false;
	size_t n = s->ip_version == 6 ? 16 : 4;
	for (int k = 0; k < 2; k++)
		if (s->sport == spec->port[k] && s->dport == spec->port[!k] &&
		    !memcmp(s->src, spec->addr[k], n) &&
		    !memcmp(s->dst, spec->addr[!k], n))
			return true;
	return false;
}

static void print_filter(const struct tl_follow_spec *spec, struct tl_out *o)
{
	char line[600];
	if (!spec->by_address) {
		snprintf(line, sizeof line, "Filter: tcp.stream eq %u\n",
		         spec->stream);
		tl_out_str(o, line);
		return;
	}
	char a[2][INET6_ADDRSTRLEN];
	int af = spec->ip_version == 6 ? AF_INET6 : AF_INET;
	const char *v = spec->ip_version == 6 ? "v6" : "";
	inet_ntop(af, spec->addr[0], a[0], sizeof a[0]);
	inet_ntop(af, spec->addr[1], a[1], sizeof a[1]);
	snprintf(line, sizeof line,
	         "Filter: ((ip%s.src eq %s and tcp.srcport eq %u) and "
	         "(ip%s.dst eq %s and tcp.dstport eq %u)) or "
	         "((ip%s.src eq %s and tcp.srcport eq %u) and "
	         "(ip%s.dst eq %s and tcp.dstport eq %u))\n",
	         v, a[0], spec->port[0], v, a[1], spec->port[1],
	         v, a[1], spec->port[1], v, a[0], spec->port[0]);
	tl_out_str(o, line);
}

static const char hexdigits[] = "0123456789abcdef";

size_t tl_follow_hex_line(uint32_t offset, const uint8_t *p, unsigned n,
                          char *out)
{
	/* offset(8) 2 spaces, 16 x "hh " with one more space after the
	 * 8th, a space, then the ASCII at column 60. */
	snprintf(out, 9, "%08X", offset);
	memset(out + 8, ' ', 52);
	size_t h = 10, a = 60;
	for (unsigned i = 0; i < n && i < 16; i++) {
		out[h++] = hexdigits[p[i] >> 4];
		out[h++] = hexdigits[p[i] & 15];
		h++;
		out[a++] = p[i] >= ' ' && p[i] < 0x7f ? (char)p[i] : '.';
		if (i == 7) {
			h++;
			out[a++] = ' ';
		}
	}
	if (out[a - 1] == ' ')
		a--;    /* as tshark: even when the byte itself was a space */
	out[a] = '\0';
	return a;
}

static void print_chunk(const struct tl_follow *f,
                        const struct tl_follow_chunk *c,
                        enum tl_follow_mode mode, uint32_t *pos,
                        struct tl_out *o)
{
	const uint8_t *p = f->data + c->off;
	const char *indent = c->node ? "\t" : "";
	char line[96];
	switch (mode) {
	case TL_FOLLOW_ASCII:
		snprintf(line, sizeof line, "%s%u\n", indent, c->len);
		tl_out_str(o, line);
		for (uint32_t i = 0; i < c->len; i += 4096) {
			char buf[4096];
			uint32_t n = c->len - i < 4096 ? c->len - i : 4096;
			for (uint32_t k = 0; k < n; k++) {
				uint8_t b = p[i + k];
				buf[k] = b == '\r' || b == '\n' ||
				         (b >= 0x20 && b < 0x7f) ? (char)b : '.';
			}
			tl_out_write(o, buf, n);
		}
		tl_out_write(o, "\n", 1);
		break;
	case TL_FOLLOW_RAW:
		tl_out_str(o, indent);
		for (uint32_t i = 0; i < c->len; i += 2048) {
			char buf[4096];
			uint32_t n = c->len - i < 2048 ? c->len - i : 2048;
			for (uint32_t k = 0; k < n; k++) {
				buf[2 * k] = hexdigits[p[i + k] >> 4];
				buf[2 * k + 1] = hexdigits[p[i + k] & 15];
			}
			tl_out_write(o, buf, 2 * (size_t)n);
		}
		tl_out_write(o, "\n", 1);
		break;
	case TL_FOLLOW_HEX:
		for (uint32_t i = 0; i < c->len; i += 16) {
			unsigned n = c->len - i < 16 ? c->len - i : 16;
			tl_out_str(o, indent);
			size_t len = tl_follow_hex_line(*pos + i, p + i, n, line);
			line[len++] = '\n';
			tl_out_write(o, line, len);
		}
		break;
	}
	*pos += c->len;
}

void tl_follow_print(const struct tl_follow *f,
                     const struct tl_follow_spec *spec, struct tl_out *o)
{
	static const char rule[] =
		"===================================================================\n";
	static const char *mode_name[] = { "ascii", "hex", "raw" };
	char line[128];
	tl_out_str(o, "\n");
	tl_out_str(o, rule);
	snprintf(line, sizeof line, "Follow: tcp,%s\n", mode_name[spec->mode]);
	tl_out_str(o, line);
	print_filter(spec, o);
	for (unsigned n = 0; n < 2; n++) {
		char name[80];
		tl_follow_node_name(f, n, name, sizeof name);
		snprintf(line, sizeof line, "Node %u: %s\n", n, name);
		tl_out_str(o, line);
	}
	uint32_t pos[2] = { 0, 0 };
	for (uint32_t i = 0; f && i < f->count; i++)
		print_chunk(f, &f->chunks[i], spec->mode,
		            &pos[f->chunks[i].node], o);
	tl_out_str(o, rule);
}

/* ---- HTTP/2 frames ---------------------------------------------------------- */

enum { H2_START, H2_SKIP_HEAD, H2_PREFACE, H2_HEADER, H2_PAYLOAD, H2_STOP };

static const char h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
#define H2_PREFACE_LEN 24u

void tl_follow_h2_init(struct tl_follow_h2 *h, uint32_t max_frames)
{
	memset(h, 0, sizeof *h);
	h->max_frames = max_frames;
}

void tl_follow_h2_free(struct tl_follow_h2 *h)
{
	free(h->frames);
	tl_follow_h2_init(h, h->max_frames);
}

static struct tl_follow_h2_frame *h2_record(struct tl_follow_h2 *h,
                                            const struct tl_follow *f,
                                            uint32_t chunk, uint8_t kind)
{
	h->frames = tl_xgrow(h->frames, &h->cap, (uint64_t)h->count + 1, 64,
	                     sizeof *h->frames);
	struct tl_follow_h2_frame *r = &h->frames[h->count++];
	memset(r, 0, sizeof *r);
	r->chunk = chunk;
	r->frame = f->chunks[chunk].frame;
	r->node = f->chunks[chunk].node;
	r->kind = kind;
	return r;
}

/* Whether max_frames is reached: then a last record says so and both
 * directions stop (a gap's record may still come: two at most). */
static bool h2_full(struct tl_follow_h2 *h, const struct tl_follow *f,
                    uint32_t chunk)
{
	if (!h->max_frames || h->count + 1 < h->max_frames)
		return false;
	h2_record(h, f, chunk, TL_H2_FULL);
	h->dir[0].state = h->dir[1].state = H2_STOP;
	return true;
}

/* The how-manieth frame of this name in the same segment (the labels list
 * them in order; two SETTINGS[0] in one segment are told apart so). */
static void h2_set_end(struct tl_follow_h2 *h, uint32_t i, uint32_t frame)
{
	struct tl_follow_h2_frame *r = &h->frames[i];
	r->end_frame = frame;
	for (uint32_t k = i; k-- > 0;) {
		const struct tl_follow_h2_frame *o = &h->frames[k];
		if (o->node != r->node || o->kind != TL_H2_FRAME)
			continue;
		if (o->end_frame != frame)
			break;
		if (o->type == r->type && o->sid == r->sid)
			r->nth++;
	}
}

/* The first bytes of a direction say what it is: the preface (a client
 * with prior knowledge), an HTTP/1.x answer (the 101 of an upgrade: frames
 * after its head), a request (an upgrade's client: the preface after its
 * head), or a frame (a server with prior knowledge). */
static void h2_start(struct tl_follow_h2 *h, const struct tl_follow *f,
                     uint32_t chunk, struct tl_follow_h2_dir *d)
{
	const uint8_t *p = d->hdr;
	if (!memcmp(p, "PRI *", 5))
		d->state = H2_PREFACE;
	else if (!memcmp(p, "HTTP/", 5))
		d->state = H2_SKIP_HEAD;
	else if (p[0] >= 'A' && p[0] <= 'Z') {
		d->state = H2_SKIP_HEAD;
		d->preface_after = true;
	}
	if (d->state == H2_SKIP_HEAD) {
		if (!h2_full(h, f, chunk))
			h2_record(h, f, chunk, TL_H2_HTTP1);
	} else if (d->state == H2_START) {
		d->state = H2_HEADER;
	}
	d->matched = 0;
}

static void h2_byte(struct tl_follow_h2 *h, const struct tl_follow *f,
                    uint32_t chunk, struct tl_follow_h2_dir *d, uint8_t b);

static void h2_bytes(struct tl_follow_h2 *h, const struct tl_follow *f,
                     uint32_t chunk, struct tl_follow_h2_dir *d,
                     const uint8_t *p, uint32_t n)
{
	for (uint32_t k = 0; k < n && d->state != H2_STOP; k++) {
		if (d->state == H2_PAYLOAD && d->left > 1 && n - k > 1) {
			/* Payload is skipped, not read byte by byte. */
			uint32_t take = d->left - 1 < n - k - 1 ? d->left - 1
			                                       : n - k - 1;
			d->left -= take;
			k += take - 1;
			continue;
		}
		h2_byte(h, f, chunk, d, p[k]);
	}
}

static void h2_byte(struct tl_follow_h2 *h, const struct tl_follow *f,
                    uint32_t chunk, struct tl_follow_h2_dir *d, uint8_t b)
{
	switch (d->state) {
	case H2_START:
		d->hdr[d->hdr_len++] = b;
		if (d->hdr_len == 5) {
			uint8_t first[5];
			memcpy(first, d->hdr, 5);
			d->hdr_len = 0;
			h2_start(h, f, chunk, d);
			h2_bytes(h, f, chunk, d, first, 5);
		}
		return;
	case H2_SKIP_HEAD:
		d->matched = b == "\r\n\r\n"[d->matched] ? d->matched + 1
		           : b == '\r' ? 1 : 0;
		if (d->matched == 4) {
			d->matched = 0;
			d->state = d->preface_after ? H2_PREFACE : H2_HEADER;
		}
		return;
	case H2_PREFACE:
		if (b != (uint8_t)h2_preface[d->matched]) {
			h2_record(h, f, chunk, TL_H2_LOST);
			d->state = H2_STOP;
			return;
		}
		if (++d->matched == H2_PREFACE_LEN) {
			if (h2_full(h, f, chunk))
				return;
			struct tl_follow_h2_frame *r = h2_record(h, f, chunk,
			                                         TL_H2_PREFACE);
			r->end_frame = r->frame;
			r->len = H2_PREFACE_LEN;
			d->state = H2_HEADER;
		}
		return;
	case H2_HEADER: {
		d->hdr[d->hdr_len++] = b;
		if (d->hdr_len < 9)
			return;
		d->hdr_len = 0;
		if (h2_full(h, f, chunk))
			return;
		struct tl_follow_h2_frame *r = h2_record(h, f, chunk,
		                                         TL_H2_FRAME);
		r->len = ((uint32_t)d->hdr[0] << 16) |
		         ((uint32_t)d->hdr[1] << 8) | d->hdr[2];
		r->type = d->hdr[3];
		r->flags = d->hdr[4];
		r->sid = tl_get_be32(d->hdr + 5) & 0x7fffffffu;
		d->cur = h->count - 1;
		d->left = r->len;
		if (r->len)
			d->state = H2_PAYLOAD;
		else
			h2_set_end(h, d->cur, r->frame);
		return;
	}
	case H2_PAYLOAD:
		if (--d->left == 0) {
			h2_set_end(h, d->cur, f->chunks[chunk].frame);
			d->state = H2_HEADER;
		}
		return;
	default:
		return;
	}
}

void tl_follow_h2_update(struct tl_follow_h2 *h, const struct tl_follow *f)
{
	for (; f && h->chunks_done < f->count; h->chunks_done++) {
		uint32_t i = h->chunks_done;
		const struct tl_follow_chunk *c = &f->chunks[i];
		struct tl_follow_h2_dir *d = &h->dir[c->node];
		if (d->state == H2_STOP)
			continue;
		if (c->gap) {
			h2_record(h, f, i, TL_H2_LOST);
			d->state = H2_STOP;
			continue;
		}
		h2_bytes(h, f, i, d, f->data + c->off, c->len);
	}
}
