/* Retained segments and the frame-level entry point of the model. */
#include "config.h"

#include "tl_model.h"
#include "tl_reasm.h"

#include "tl_app.h"
#include "tl_capture.h"

#include <stdlib.h>
#include <string.h>

/* 54 bits of microseconds reach 285 years either side of the first
 * packet: more than any two timestamps capture.c lets through can differ
 * by (2 * 2^32 s), so a merged trace of any span keeps its times. */
#define TL_SEG_TIME_MAX ((INT64_C(1) << 53) - 1)

void tl_seg_pack(struct tl_seg *s, int64_t time_us, unsigned flags,
                 unsigned dir)
{
	if (time_us > TL_SEG_TIME_MAX)
		time_us = TL_SEG_TIME_MAX;
	else if (time_us < -TL_SEG_TIME_MAX - 1)
		time_us = -TL_SEG_TIME_MAX - 1;
	s->packed = ((uint64_t)time_us & UINT64_C(0x3fffffffffffff)) |
	            ((uint64_t)(flags & 0x1ffu) << 54) |
	            ((uint64_t)(dir & 1u) << 63);
}

void tl_segstore_init(struct tl_segstore *st)
{
	memset(st, 0, sizeof *st);
}

void tl_segstore_free(struct tl_segstore *st)
{
	for (uint32_t i = 0; i < st->chunk_count; i++)
		free(st->chunks[i]);
	free(st->chunks);
	for (uint32_t i = 0; i < st->note_chunk_count; i++)
		free(st->note_chunks[i]);
	free(st->note_chunks);
	for (uint32_t i = 0; i < st->cc_chunk_count; i++)
		free(st->cc_chunks[i]);
	free(st->cc_chunks);
	for (uint32_t i = 0; i < st->sack_chunk_count; i++)
		free(st->sack_chunks[i]);
	free(st->sack_chunks);
	free(st->proto_runs);
	memset(st, 0, sizeof *st);
}

static void add_seg_chunk(struct tl_segstore *st)
{
	st->chunks = tl_xgrow(st->chunks, &st->chunk_cap,
	                      (uint64_t)st->chunk_count + 1, 16,
	                      sizeof *st->chunks);
	st->chunks[st->chunk_count++] =
		tl_xmalloc(TL_SEG_CHUNK * sizeof(struct tl_seg));
}

static void add_note_chunk(struct tl_segstore *st)
{
	st->note_chunks = tl_xgrow(st->note_chunks, &st->note_chunk_cap,
	                           (uint64_t)st->note_chunk_count + 1, 16,
	                           sizeof *st->note_chunks);
	st->note_chunks[st->note_chunk_count++] =
		tl_xmalloc(TL_NOTE_CHUNK * sizeof(struct tl_seg_note));
}

uint32_t tl_segstore_append(struct tl_segstore *st, const struct tl_seg *seg,
                            const struct tl_seg_note *note)
{
	uint32_t index = st->count;
	if (index >> TL_SEG_CHUNK_BITS == st->chunk_count)
		add_seg_chunk(st);
	st->chunks[index >> TL_SEG_CHUNK_BITS][index & (TL_SEG_CHUNK - 1)] =
		*seg;
	if (note) {
		uint32_t n = st->note_count;
		if (n >> TL_NOTE_CHUNK_BITS == st->note_chunk_count)
			add_note_chunk(st);
		struct tl_seg_note *slot = tl_segstore_note_at(st, n);
		*slot = *note;
		slot->seg_index = index;
		st->note_count = n + 1;
	}
	st->count = index + 1;
	return index;
}

void tl_segstore_add_sack(struct tl_segstore *st, uint32_t index,
                          const struct tl_seg_sack *sack)
{
	uint32_t n = st->sack_count;
	if (n >> TL_NOTE_CHUNK_BITS == st->sack_chunk_count) {
		st->sack_chunks = tl_xgrow(st->sack_chunks,
		                           &st->sack_chunk_cap,
		                           (uint64_t)st->sack_chunk_count + 1,
		                           16, sizeof *st->sack_chunks);
		st->sack_chunks[st->sack_chunk_count++] = tl_xmalloc(
			TL_NOTE_CHUNK * sizeof(struct tl_seg_sack));
	}
	struct tl_seg_sack *slot = tl_segstore_sack_at(st, n);
	*slot = *sack;
	slot->seg_index = index;
	st->sack_count = n + 1;
}

const struct tl_seg_sack *tl_segstore_sack(const struct tl_segstore *st,
                                           uint32_t seg_index)
{
	uint32_t lo = 0, hi = st->sack_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (tl_segstore_sack_at(st, mid)->seg_index < seg_index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->sack_count &&
	    tl_segstore_sack_at(st, lo)->seg_index == seg_index)
		return tl_segstore_sack_at(st, lo);
	return NULL;
}

bool tl_model_sack(const struct tl_model *m, struct tl_seg_sack *sk)
{
	const struct tl_packet *p = &m->pkt;
	memset(sk, 0, sizeof *sk);
	if (!(p->opt.present & TL_OPT_SACK) || !p->opt.sack_count ||
	    !m->info.conn)
		return false;
	uint32_t base = m->info.conn->dir[!m->info.dir].base;
	unsigned n = p->opt.sack_count < TL_SEG_SACK_MAX
	             ? p->opt.sack_count : TL_SEG_SACK_MAX;
	for (unsigned i = 0; i < n; i++) {
		sk->edge[i][0] = p->opt.sack[i][0] - base;
		sk->edge[i][1] = p->opt.sack[i][1] - base;
	}
	sk->count = n;
	return true;
}

static void keep_sack(struct tl_model *m, uint32_t index)
{
	struct tl_seg_sack sk;
	if (tl_model_sack(m, &sk))
		tl_segstore_add_sack(&m->segs, index, &sk);
}

void tl_segstore_set_cc(struct tl_segstore *st, uint32_t index,
                        const struct tl_sender_vals *v)
{
	/* Chunks up to the segment's, the ones before zeroed (no values). */
	while (st->cc_chunk_count <= index >> TL_SEG_CHUNK_BITS) {
		st->cc_chunks = tl_xgrow(st->cc_chunks, &st->cc_chunk_cap,
		                         (uint64_t)st->cc_chunk_count + 1, 16,
		                         sizeof *st->cc_chunks);
		st->cc_chunks[st->cc_chunk_count++] =
			tl_xcalloc(TL_SEG_CHUNK, sizeof(struct tl_seg_cc));
	}
	tl_seg_cc_pack(tl_segstore_cc_at(st, index), v);
}

void tl_segstore_sender(const struct tl_segstore *st, uint32_t index,
                        struct tl_sender_vals *v)
{
	if (index >= st->count || index >> TL_SEG_CHUNK_BITS >=
	                          st->cc_chunk_count) {
		memset(v, 0, sizeof *v);
		return;
	}
	tl_seg_cc_unpack(tl_segstore_cc_at(st, index), v);
}

const struct tl_seg_note *tl_segstore_note(const struct tl_segstore *st,
                                           uint32_t seg_index)
{
	uint32_t lo = 0, hi = st->note_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (tl_segstore_note_at(st, mid)->seg_index < seg_index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->note_count &&
	    tl_segstore_note_at(st, lo)->seg_index == seg_index)
		return tl_segstore_note_at(st, lo);
	return NULL;
}

void tl_segstore_set_protos(struct tl_segstore *st, uint32_t index,
                            uint64_t protos)
{
	if (st->proto_run_count &&
	    st->proto_runs[st->proto_run_count - 1].protos == protos)
		return;
	st->proto_runs = tl_xgrow(st->proto_runs, &st->proto_run_cap,
	                          (uint64_t)st->proto_run_count + 1, 16,
	                          sizeof *st->proto_runs);
	st->proto_runs[st->proto_run_count++] =
		(struct tl_seg_protos){ index, protos };
}

uint64_t tl_segstore_protos(const struct tl_segstore *st, uint32_t index)
{
	/* the last run that starts at or before index */
	uint32_t lo = 0, hi = st->proto_run_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (st->proto_runs[mid].seg_index <= index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? st->proto_runs[lo - 1].protos : 0;
}

void tl_model_init(struct tl_model *m, bool retain)
{
	memset(m, 0, sizeof *m);
	tl_tracker_init(&m->tracker);
	tl_segstore_init(&m->segs);
	m->retain = retain;
}

void tl_model_free(struct tl_model *m)
{
	tl_tracker_free(&m->tracker);
	tl_segstore_free(&m->segs);
	tl_app_free(m->app);
	m->app = NULL;
	tl_reasm_free(m->reasm);
	m->reasm = NULL;
	tl_reasm_free(m->capwap_reasm);
	m->capwap_reasm = NULL;
	tl_sender_free(m->sender);
	m->sender = NULL;
	free(m->drops.v);
	memset(&m->drops, 0, sizeof m->drops);
	free(m->forgets);
	m->forgets = NULL;
	m->forget_count = m->forget_cap = 0;
}

uint64_t tl_model_kernel_drops(struct tl_model *m, uint64_t total)
{
	struct tl_drop_marks *d = &m->drops;
	/* A counter that went back (a reopened handle) is a new base. */
	if (total <= d->total) {
		d->total = total;
		return 0;
	}
	uint64_t n = total - d->total;
	d->total = total;
	struct tl_drop_mark *last = d->count ? &d->v[d->count - 1] : NULL;
	if (last && (last->after_frame == m->frames ||
	             d->count == TL_DROP_MARKS_MAX)) {
		last->count += n;
		return n;
	}
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = tl_xrealloc(d->v, d->cap, sizeof *d->v);
	}
	d->v[d->count++] = (struct tl_drop_mark){ m->frames, n };
	return n;
}

uint64_t tl_model_poll_drops(struct tl_model *m, struct tl_capture *cap)
{
	uint64_t recv, drop;
	if (!tl_capture_stats(cap, &recv, &drop))
		return 0;
	return tl_model_kernel_drops(m, drop);
}

uint64_t tl_model_drops_between(const struct tl_model *m, uint32_t lo,
                                uint32_t hi)
{
	const struct tl_drop_marks *d = &m->drops;
	/* The first marker at or after lo. */
	uint32_t a = 0, b = d->count;
	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		if (d->v[mid].after_frame < lo)
			a = mid + 1;
		else
			b = mid;
	}
	uint64_t sum = 0;
	for (; a < d->count && d->v[a].after_frame < hi; a++)
		sum += d->v[a].count;
	return sum;
}

size_t tl_drop_text(uint64_t count, char *buf, size_t size)
{
	char digits[32], grouped[48];
	int n = snprintf(digits, sizeof digits, "%llu",
	                 (unsigned long long)count);
	size_t g = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	return tl_bappend(buf, size, 0, "%s packet%s dropped by the kernel "
	                  "here", grouped, count == 1 ? "" : "s");
}

void tl_model_enable_app(struct tl_model *m)
{
	if (!m->app)
		m->app = tl_app_new();
}

void tl_seg_from_info(struct tl_seg *seg, struct tl_seg_note *note,
                      bool *has_note, const struct tl_packet *pkt,
                      const struct tl_seg_info *info, uint32_t frame,
                      int64_t time_us)
{
	tl_seg_pack(seg, time_us, pkt->flags, info->dir);
	seg->frame = frame;
	seg->stream = info->conn->stream;
	seg->seq = info->seq_rel;
	seg->ack = info->ack_rel;
	seg->win = info->win_scaled;
	seg->len = (uint16_t)(pkt->seglen > 0xffff ? 0xffff : pkt->seglen);
	seg->analysis = info->analysis;
	*has_note = info->analysis != 0;
	if (*has_note) {
		note->seg_index = 0;
		note->prev_window = info->prev_window;
		if (info->analysis & TL_AN_DUPLICATE_ACK) {
			note->ref_frame = info->dupack_frame;
			note->dupack_num = info->dupack_num;
		} else {
			int64_t us = tl_nsec_to_us(info->rto);
			note->ref_frame = info->rto_frame;
			note->rto_us = us < 0 ? 0 : us > UINT32_MAX
			               ? UINT32_MAX : (uint32_t)us;
		}
	}
}

static size_t add_cause(char *buf, size_t size, size_t at, uint64_t n,
                        const char *one, const char *many, const char *tail)
{
	if (!n || at >= size)
		return at;
	int w = snprintf(buf + at, size - at, "%s%llu %s%s", at ? ", " : "",
	                 (unsigned long long)n, n == 1 ? one : many, tail);
	return w < 0 ? at : at + (size_t)w;
}

bool tl_model_unread_text(const struct tl_model *m, char *buf, size_t size)
{
	const struct tl_model_unread *u = &m->unread;
	char tail[96];
	size_t at = 0;
	if (size)
		buf[0] = 0;
	at = add_cause(buf, size, at, u->fragments, "IP fragment",
	               "IP fragments", " never reassembled (the rest of "
	               "their datagram never came whole)");
	at = add_cause(buf, size, at, u->fragments_cut, "IP fragment",
	               "IP fragments", " cut by the snap length (tshark "
	               "cannot reassemble them either)");
	snprintf(tail, sizeof tail, " given up at the reassembly bound (%u "
	         "datagrams or %u MiB held)", TL_REASM_MAX_DATAGRAMS,
	         TL_REASM_MAX_BYTES >> 20);
	at = add_cause(buf, size, at, u->fragments_evicted, "IP fragment",
	               "IP fragments", tail);
	at = add_cause(buf, size, at, u->cut, "packet", "packets",
	               " cut short before a TCP header could be read");
	snprintf(tail, sizeof tail, " inside a GRE tunnel of an unsupported "
	         "payload type (0x%04x)", u->tunnel_type);
	at = add_cause(buf, size, at, u->tunnel, "packet", "packets", tail);
	at = add_cause(buf, size, at, u->too_deep, "packet", "packets",
	               " nested deeper than tshark reads (496 layers, 20 VLAN tags)");
	at = add_cause(buf, size, at, u->amsdu_more, "TCP segment",
	               "TCP segments", " after the first in an 802.11 A-MSDU "
	               "(analysed, but a frame has one row: its first)");
	at = add_cause(buf, size, at, u->tunnel_fragments, "CAPWAP fragment",
	               "CAPWAP fragments", " never reassembled (the rest of "
	               "their packet never came)");
	at = add_cause(buf, size, at, u->encrypted, "MACsec frame",
	               "MACsec frames", " encrypted (tshark cannot read them "
	               "either)");
	snprintf(tail, sizeof tail, " on an interface of an unsupported link "
	         "type (%d)", u->link_type);
	at = add_cause(buf, size, at, u->link, "packet", "packets", tail);
	return at > 0;
}

void tl_model_enable_sender(struct tl_model *m, enum tl_cc cc)
{
	if (!m->sender)
		m->sender = tl_sender_new(cc);
}

/* Connections the tracker just let go of take their labels' state along. */
static void forget_dropped(struct tl_model *m)
{
	for (uint32_t i = 0; m->app && i < m->tracker.dropped_count; i++)
		tl_app_forget(m->app, m->tracker.dropped[i]);
	for (uint32_t i = 0; m->sender && i < m->tracker.dropped_count; i++)
		tl_sender_forget(m->sender, m->tracker.dropped[i]);
}

/* What this segment's frame holds that its record cannot say (TL_REC_*):
 * the view's filter reads such fields from the frame once any frame had
 * them. */
static void note_record_gaps(struct tl_model *m, bool joined, bool cut,
                             tl_nsec ts)
{
	const struct tl_packet *p = &m->pkt;
	if (joined || p->outer_ip_count)
		m->record_gaps |= TL_REC_LAYERS;
	if (cut)
		m->record_gaps |= TL_REC_CUT;
	if (p->amsdu_next)
		m->record_gaps |= TL_REC_AMSDU;
	if (!(p->flags & TL_TH_ACK) && p->ack)
		m->record_gaps |= TL_REC_RAWACK;
	if ((ts - m->start_time) % 1000)
		m->record_gaps |= TL_REC_NSEC;
	if (p->tcp_offset < m->pkt_caplen && m->pkt_caplen - p->tcp_offset > 12 &&
	    (m->pkt_data[p->tcp_offset + 12] & 0x0e))
		m->record_gaps |= TL_REC_RESERVED;
	if (p->tcp_offset > m->pkt_caplen || m->pkt_caplen - p->tcp_offset < 20)
		m->record_gaps |= TL_REC_SHORT;
}

/* Takes a fragment into table *r (made when the first one comes); true
 * with the whole datagram in *data when it is the last one missing.
 * The caller copies the table's counts of pieces never completed. */
static bool reassembled(struct tl_reasm **r, const struct tl_packet *pkt,
                        const uint8_t **data, uint32_t *caplen)
{
	if (!*r)
		*r = tl_reasm_new();
	const uint8_t *whole;
	uint32_t len;
	bool done = tl_reasm_add(*r, pkt, *data, &whole, &len);
	if (!done)
		return false;
	*data = whole;
	*caplen = len;
	return true;
}

/* The IP table's pieces never part of a whole datagram, by cause. */
static void count_fragments(struct tl_model *m)
{
	struct tl_reasm_counts n = tl_reasm_counts(m->reasm);
	m->unread.fragments = n.held + n.damaged;
	m->unread.fragments_cut = n.cut;
	m->unread.fragments_evicted = n.evicted;
}

/* Keeps the frame's IP headers around a fragment (the fields list them
 * before the joined packet's own), as the last fragment shows them. */
static void keep_frame_ips(struct tl_model *m)
{
	m->frag_outer_count = m->pkt.outer_ip_count;
	memcpy(m->frag_outer, m->pkt.outer_ip,
	       m->pkt.outer_ip_count * sizeof *m->frag_outer);
}

/* A first IPv4 fragment the snap length cut is never reassembled; tshark
 * still reads the TCP header in it, files it under its connection (a
 * stream number, tcp.time_delta's base) and analyses nothing, as it does
 * with a header quoted in an ICMP error. No row here (docs/analysis.md).
 * A first IPv6 fragment it shows as data only: nothing to file. */
static void cut_first_fragment(struct tl_model *m, const uint8_t *data,
                               uint32_t caplen, uint32_t frame, tl_nsec ts)
{
	const struct tl_packet *p = &m->pkt;
	if (p->ip_version != 4 || p->frag.offset != 0 || p->frag.proto != 6 ||
	    p->frag.data_len >= p->frag.data_wire)
		return;
	struct tl_packet q = *p;
	q.ip_payload_len = p->frag.data_wire;
	enum tl_decode_result r = tl_decode_tcp(data, caplen,
	                                        p->frag.data_off, &q);
	if (r != TL_DECODE_TCP && r != TL_DECODE_TCP_CUT)
		return;
	tl_tracker_quoted(&m->tracker, &q, frame, ts);
	forget_dropped(m);
}

/* A TCP header cut in its options: 4.0 stops dissecting at the cut, before
 * it shows the SEQ/ACK analysis subtree, so no flag, RTT, acknowledged
 * frame or bytes in flight is shown for it (the analysis itself ran, and
 * later segments see its effects). */
static void hide_analysis(struct tl_seg_info *in)
{
	in->analysis = 0;
	in->an_tree = false;
	in->acks_frame = 0;
	in->ack_rtt = 0;
	in->dupack_num = in->dupack_frame = 0;
	in->rto = 0;
	in->rto_frame = 0;
	in->bytes_in_flight = in->push_bytes_sent = 0;
}

/* The segments after the first in an 802.11 A-MSDU: tshark analyses each
 * (stream numbers, sequence state) but the frame's row is the first one;
 * what it flags in the others is the frame's too (its tcp.analysis
 * fields hold them all). They get no row, no sender model and no
 * application labels. */
static void more_subframes(struct tl_model *m, const uint8_t *data,
                           uint32_t caplen, uint32_t frame, tl_nsec ts)
{
	struct tl_packet q;
	struct tl_seg_info info;
	uint32_t next = m->pkt.amsdu_next;
	forget_dropped(m);
	m->tracker.dropped_count = 0;
	while (next) {
		enum tl_decode_result r = tl_decode_amsdu(data, caplen, next,
		                                          &q);
		if (r != TL_DECODE_TCP && r != TL_DECODE_TCP_CUT)
			break;
		if (q.amsdu_next <= next)   /* never backwards */
			q.amsdu_next = 0;
		next = q.amsdu_next;
		tl_tracker_segment(&m->tracker, &q, frame, ts, &info);
		if (r == TL_DECODE_TCP)
			m->info.analysis |= info.analysis;
		m->unread.amsdu_more++;
		forget_dropped(m);
		m->tracker.dropped_count = 0;
	}
}

bool tl_model_frame(struct tl_model *m, int dlt, const uint8_t *data,
                    uint32_t caplen, tl_nsec ts, struct tl_seg *seg,
                    struct tl_seg_note *note, bool *has_note)
{
	if (m->frames == UINT32_MAX)
		return false;   /* numbers never wrap: see tl_model_frames_done */
	uint32_t frame = ++m->frames;
	if (!m->have_start) {
		m->have_start = true;
		m->start_time = ts;
		m->last_ts = ts;
	}
	/* A record without a time of its own (a pcapng block tshark counts
	 * as a frame) is no frame.time_delta's reference, as in 4.0. */
	if (dlt != TL_DLT_NONE) {
		m->prev_ts = m->last_ts;
		m->last_ts = ts;
	}
	const uint8_t *frame_data = NULL;  /* set when fragments were joined */
	m->frag_outer_count = 0;
	uint32_t frame_caplen = 0, frame_ip = 0;
	uint64_t frame_protos;
	enum tl_decode_result r;
	bool joined, cut = false;
	switch (tl_decode_frame(dlt, data, caplen, &m->pkt)) {
	case TL_DECODE_TCP:
		break;
	case TL_DECODE_TCP_CUT:
		/* Options cut short (by the snap length, mostly): tshark
		 * analyses the segment and prints its fields, but shows no
		 * analysis for it (the cut stops its dissection first). */
		tl_tracker_segment(&m->tracker, &m->pkt, frame, ts, &m->info);
		if (m->sender)
			tl_sender_segment(m->sender, &m->pkt, &m->info, ts,
			                  &m->sender_vals);
		hide_analysis(&m->info);
		cut = true;
		goto row;
	case TL_DECODE_TRUNCATED:
		m->truncated++;
		m->unread.cut++;
		return false;
	case TL_DECODE_MALFORMED:
		m->malformed++;
		return false;
	case TL_DECODE_FRAGMENT:
		/* tshark's ip.* are the last fragment's own header. */
		frame_data = data;
		frame_caplen = caplen;
		frame_ip = m->pkt.frag.hdr_off;
		keep_frame_ips(m);
		joined = reassembled(&m->reasm, &m->pkt, &data, &caplen);
		count_fragments(m);
		if (!joined) {
			cut_first_fragment(m, data, caplen, frame, ts);
			return false;
		}
		/* 4.0 lists the frame's protocols before the datagram's. */
		frame_protos = m->pkt.protos;
		r = tl_decode_ip(data, caplen, 0, &m->pkt);
		m->pkt.protos |= frame_protos;
		switch (r) {
		case TL_DECODE_TCP:
			break;
		case TL_DECODE_ICMP_TCP:        /* an error sent in pieces */
			tl_tracker_quoted(&m->tracker, &m->pkt, frame, ts);
			forget_dropped(m);
			m->not_tcp++;
			return false;
		case TL_DECODE_MALFORMED:
		case TL_DECODE_TRUNCATED:       /* whole, yet short: damage */
			m->malformed++;
			return false;
		case TL_DECODE_TOO_DEEP:
			m->unread.too_deep++;
			return false;
		case TL_DECODE_TUNNEL:
			if (!m->unread.tunnel++)
				m->unread.tunnel_type = m->pkt.tunnel_type;
			return false;
		default:
			m->not_tcp++;   /* or in a tunnel: read whole */
			return false;
		}
		break;
	case TL_DECODE_TOO_DEEP:
		m->unread.too_deep++;
		return false;
	case TL_DECODE_ENCRYPTED:
		m->unread.encrypted++;
		return false;
	case TL_DECODE_TUNNEL_FRAGMENT:
		/* CAPWAP's: tshark joins the payloads and reads the whole on
		 * the frame that completes it, under that frame's headers. */
		frame_data = data;
		frame_caplen = caplen;
		frame_ip = m->pkt.ip_offset;
		keep_frame_ips(m);
		joined = reassembled(&m->capwap_reasm, &m->pkt, &data,
		                     &caplen);
		m->unread.tunnel_fragments =
			tl_reasm_unfinished(m->capwap_reasm);
		if (!joined)
			return false;
		if (tl_decode_capwap_payload(data, caplen, m->pkt.frag.binding,
		                             &m->pkt) == TL_DECODE_TCP)
			break;
		m->not_tcp++;
		return false;
	case TL_DECODE_ICMP_TCP:
		tl_tracker_quoted(&m->tracker, &m->pkt, frame, ts);
		forget_dropped(m);
		m->not_tcp++;
		return false;
	case TL_DECODE_TUNNEL:
		if (!m->unread.tunnel++)
			m->unread.tunnel_type = m->pkt.tunnel_type;
		return false;
	case TL_DECODE_UNSUPPORTED:
		if (!m->unread.link++)
			m->unread.link_type = dlt;
		return false;
	default:
		m->not_tcp++;
		return false;
	}
	tl_tracker_segment(&m->tracker, &m->pkt, frame, ts, &m->info);
	if (m->sender)
		tl_sender_segment(m->sender, &m->pkt, &m->info, ts,
		                  &m->sender_vals);
row:
	if (m->pkt.amsdu_next)
		more_subframes(m, data, caplen, frame, ts);
	m->pkt_data = data;
	m->pkt_caplen = caplen;
	m->ip_data = frame_data ? frame_data : data;
	m->ip_caplen = frame_data ? frame_caplen : caplen;
	m->ip_offset = frame_data ? frame_ip : m->pkt.ip_offset;
	note_record_gaps(m, frame_data != NULL, cut, ts);
	forget_dropped(m);
	m->tcp_segments++;
	tl_seg_from_info(seg, note, has_note, &m->pkt, &m->info, frame,
	                 tl_nsec_to_us(ts - m->start_time));
	if (m->retain) {
		uint32_t i = tl_segstore_append(&m->segs, seg,
		                                *has_note ? note : NULL);
		if (m->sender)
			tl_segstore_set_cc(&m->segs, i, &m->sender_vals);
		keep_sack(m, i);
		tl_segstore_set_protos(&m->segs, i, m->pkt.protos);
	}
	if (m->app) {
		/* Streaming front ends print a row at once: earlier labels
		 * are done with. */
		if (!m->retain && !m->app_keeps_labels)
			tl_app_clear_labels(m->app);
		tl_app_segment(m->app, m->info.conn, seg,
		               data + m->pkt.payload_offset, m->pkt.payload_caplen);
	}
	if (m->segment_hook)
		m->segment_hook(m->segment_hook_ctx, seg, &m->pkt, data);
	/* Last: letting connections go frees what info points to. */
	if (m->retain && tl_model_over_limits(m))
		tl_model_evict(m);
	return true;
}
