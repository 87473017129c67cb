/* Segment details: what the model knows (flags spelled out, relative and
 * absolute numbers, window scaling, the analysis explained) and, when the
 * input is a file we can read again, every IP and TCP header field, each
 * option, and the payload in hex and ASCII. Full screen (Enter) or as the
 * ladder's lower pane (d). */
#include "config.h"

#include "ui.h"

#include "tl_explain.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tl_app.h"
#include "tl_decode.h"
#include "tl_fields.h"
#include "tl_label.h"

#define MAX_HEX_BYTES 65536

static void push_line(struct ui_detail_state *d, int role, const char *s)
{
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->lines = tl_xrealloc(d->lines, (size_t)d->cap,
		                       sizeof *d->lines);
		d->roles = tl_xrealloc(d->roles, (size_t)d->cap,
		                       sizeof *d->roles);
	}
	d->lines[d->count] = tl_xstrdup(s);
	d->roles[d->count++] = (uint8_t)role;
}

static void add_line(struct ui *ui, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_line(struct ui *ui, int role, const char *fmt, ...)
{
	struct ui_detail_state *d = &ui->detail;
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* A line wider than the screen goes on under the label column, so
	 * nothing is cut (the last column is the scroll mark's). */
	int width = ui->cols - 3;
	const char *p = buf;
	bool first = true;
	if (width < 30)
		width = 30;
	do {
		char part[2048];
		int room = first ? width : width - 7;
		size_t end = 0;
		int cells = 0;
		while (p[end] && cells < room) {
			end++;
			while (((unsigned char)p[end] & 0xc0) == 0x80)
				end++;
			cells++;
		}
		size_t cut = end;
		if (p[end]) {
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = end;
		}
		snprintf(part, sizeof part, "%s%.*s", first ? "" : "       ",
		         (int)cut, p);
		push_line(d, role, part);
		p += cut;
		while (*p == ' ')
			p++;
		first = false;
	} while (*p);
}

static void clear_lines(struct ui *ui)
{
	struct ui_detail_state *d = &ui->detail;
	for (int i = 0; i < d->count; i++)
		free(d->lines[i]);
	d->count = 0;
}

void ui_detail_free(struct ui *ui)
{
	clear_lines(ui);
	free(ui->detail.lines);
	free(ui->detail.roles);
	ui->detail.lines = NULL;
	ui->detail.roles = NULL;
	ui->detail.cap = 0;
}

/* Word-wraps text after a label column of indent cells. */
static void add_wrapped(struct ui *ui, int role, const char *label,
                        const char *text, int width)
{
	const char *p = text;
	bool first = true;
	if (width < 30)
		width = 30;
	while (*p) {
		int len = (int)strlen(p), cut = len;
		if (len > width) {
			cut = width;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
		}
		add_line(ui, role, "%-7s%.*s", first ? label : "", cut, p);
		first = false;
		p += cut;
		while (*p == ' ')
			p++;
	}
}

static const char *const flag_words[9] = {
	"FIN (finish)", "SYN (synchronize)", "RST (reset)", "PSH (push)",
	"ACK (acknowledgment)", "URG (urgent)", "ECE (ECN echo)",
	"CWR (congestion window reduced)", "NS (nonce sum)",
};

static void flags_spelled(unsigned flags, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < 9; i++)
		if (flags & (1u << i))
			n = tl_bappend(buf, size, n, "%s%s", n ? ", " : "",
			               flag_words[i]);
	if (!n)
		tl_bappend(buf, size, 0, "none");
}

static void window_text(const struct tl_seg *seg, const struct tl_conn *c,
                        const struct tl_packet *pkt, char *buf, size_t size)
{
	unsigned d = tl_seg_dir(seg);
	int ws = c->dir[d].win_scale;
	bool syn = tl_seg_flags(seg) & TL_TH_SYN;
	if (syn) {
		snprintf(buf, size, "%u (a SYN's window is never scaled)",
		         seg->win);
	} else if (ws >= 0) {
		unsigned raw = pkt ? pkt->window : seg->win >> ws;
		snprintf(buf, size, "%u scaled  (raw %u x %u, window scale "
		         "from the handshake)", seg->win, raw, 1u << ws);
	} else if (ws == -2) {
		snprintf(buf, size, "%u  (no window scaling on this connection)",
		         seg->win);
	} else {
		snprintf(buf, size, "%u  (scale unknown: the handshake was not "
		         "captured, shown unscaled)", seg->win);
	}
}

static void ip_lines(struct ui *ui, const struct tl_frame *f,
                     const struct tl_packet *pkt)
{
	const uint8_t *h = f->data + pkt->ip_offset;
	uint32_t avail = f->caplen - pkt->ip_offset;
	char src[64], dst[64];
	if (pkt->encap_count) {
		/* The layers crossed to reach the inner IP header. */
		char path[256];
		size_t at = 0;
		unsigned shown = pkt->encap_count < TL_MAX_ENCAPS
		                 ? pkt->encap_count : TL_MAX_ENCAPS;
		path[0] = 0;
		for (unsigned i = 0; i < shown && at < sizeof path; i++) {
			int w = snprintf(path + at, sizeof path - at, "%s%s@%u",
			                 i ? " > " : "",
			                 tl_encap_name(pkt->encap[i].kind),
			                 pkt->encap[i].offset);
			at = w < 0 ? at : at + (size_t)w;
		}
		add_line(ui, R_NORMAL, "Tunnel %s%s (%u layers; @ = byte "
		         "offset)", path, pkt->encap_count > shown ? " > ..."
		         : "", pkt->encap_count);
	}
	tl_format_addr(pkt->ip_version, pkt->src, src, sizeof src);
	tl_format_addr(pkt->ip_version, pkt->dst, dst, sizeof dst);
	if (pkt->ip_version == 4 && avail >= 20) {
		unsigned frag = tl_get_be16(h + 6);
		char fl[32];
		snprintf(fl, sizeof fl, "%s%s%s", frag & 0x8000 ? " RB" : "",
		         frag & 0x4000 ? " DF" : "", frag & 0x2000 ? " MF" : "");
		if (!fl[0])
			snprintf(fl, sizeof fl, " none");
		add_line(ui, R_NORMAL, "IPv4   version 4  header %u B  tos 0x%02x"
		         " (DSCP %u, ECN %u)  total length %u  id 0x%04x (%u)",
		         (h[0] & 0xf) * 4u, h[1], h[1] >> 2, h[1] & 3,
		         tl_get_be16(h + 2), tl_get_be16(h + 4),
		         tl_get_be16(h + 4));
		add_line(ui, R_NORMAL, "       flags%s  fragment offset %u  ttl "
		         "%u  protocol %u%s  checksum 0x%04x", fl,
		         (frag & 0x1fff) * 8u, h[8], h[9],
		         h[9] == 6 ? " (TCP)" : "", tl_get_be16(h + 10));
		add_line(ui, R_NORMAL, "       source %s  destination %s", src,
		         dst);
	} else if (pkt->ip_version == 6 && avail >= 40) {
		uint32_t w = tl_get_be32(h);
		add_line(ui, R_NORMAL, "IPv6   version 6  traffic class 0x%02x  "
		         "flow label 0x%05x  payload length %u  next header %u%s"
		         "  hop limit %u", (w >> 20) & 0xff, w & 0xfffff,
		         tl_get_be16(h + 4), h[6], h[6] == 6 ? " (TCP)" : "",
		         h[7]);
		if (pkt->ip_header_len > 40)
			add_line(ui, R_NORMAL, "       %u bytes of extension "
			         "headers", pkt->ip_header_len - 40);
		add_line(ui, R_NORMAL, "       source %s", src);
		add_line(ui, R_NORMAL, "       destination %s", dst);
	}
}

static void option_lines(struct ui *ui, const struct tl_frame *f,
                         const struct tl_packet *pkt,
                         const struct tl_conn *c, unsigned dir)
{
	uint32_t hl = pkt->tcp_header_len;
	uint32_t off = pkt->tcp_offset + 20;
	uint32_t end = pkt->tcp_offset + hl;
	if (end > f->caplen)
		end = f->caplen;
	if (hl <= 20) {
		add_line(ui, R_NORMAL, "       options: none");
		return;
	}
	add_line(ui, R_NORMAL, "       options: %u bytes", hl - 20);
	const uint8_t *p = f->data;
	uint32_t peer_base = c->dir[!dir].base;
	while (off < end) {
		uint8_t kind = p[off];
		if (kind == 0) {
			add_line(ui, R_NORMAL, "         EOL (end of options)");
			break;
		}
		if (kind == 1) {
			add_line(ui, R_NORMAL, "         NOP");
			off++;
			continue;
		}
		if (end - off < 2 || p[off + 1] < 2 || p[off + 1] > end - off) {
			add_line(ui, R_RTX, "         kind %u: length runs past "
			         "the header (malformed)", kind);
			break;
		}
		uint8_t len = p[off + 1];
		const uint8_t *v = p + off + 2;
		if (kind == 2 && len == 4) {
			add_line(ui, R_NORMAL, "         MSS %u", tl_get_be16(v));
		} else if (kind == 3 && len == 3) {
			add_line(ui, R_NORMAL, "         window scale shift %u "
			         "(multiply by %u)%s", v[0],
			         1u << (v[0] > 14 ? 14 : v[0]),
			         v[0] > 14 ? ", above 14: used as 14" : "");
		} else if (kind == 4 && len == 2) {
			add_line(ui, R_NORMAL, "         SACK permitted");
		} else if (kind == 5 && len >= 10 && (len - 2) % 8 == 0) {
			add_line(ui, R_NORMAL, "         SACK %u block%s", (len - 2) / 8,
			         len > 10 ? "s" : "");
			for (int i = 0; i + 8 <= len - 2; i += 8) {
				uint32_t l = tl_get_be32(v + i);
				uint32_t r = tl_get_be32(v + i + 4);
				add_line(ui, R_NORMAL, "           left %u right %u "
				         "(relative %u-%u)", l, r, l - peer_base,
				         r - peer_base);
			}
		} else if (kind == 8 && len == 10) {
			add_line(ui, R_NORMAL, "         timestamps TSval %u TSecr "
			         "%u", tl_get_be32(v), tl_get_be32(v + 4));
		} else {
			char hex[128];
			size_t n = 0;
			hex[0] = '\0';
			for (int i = 0; i < len - 2 && i < 32; i++)
				n = tl_bappend(hex, sizeof hex, n, "%02x", v[i]);
			add_line(ui, R_NORMAL, "         kind %u, length %u%s%s%s",
			         kind, len,
			         kind == 2 || kind == 3 || kind == 4 ||
			                 kind == 5 || kind == 8
			                 ? " (wrong length for its kind)"
			                 : " (not decoded)",
			         n ? ": " : "", hex);
		}
		off += len;
	}
}

static void hex_lines(struct ui *ui, const struct tl_frame *f,
                      const struct tl_packet *pkt)
{
	uint32_t n = pkt->payload_caplen;
	add_line(ui, R_HEADER, "data   %u byte%s%s", pkt->seglen,
	         pkt->seglen == 1 ? "" : "s",
	         n < pkt->seglen ? " (only part captured)" : "");
	if (n > MAX_HEX_BYTES)
		n = MAX_HEX_BYTES;
	const uint8_t *p = f->data + pkt->payload_offset;
	for (uint32_t i = 0; i < n; i += 16) {
		char hex[64], asc[20];
		size_t h = 0;
		int a = 0;
		for (uint32_t j = 0; j < 16; j++) {
			if (i + j < n) {
				h = tl_bappend(hex, sizeof hex, h, "%02x%s",
				               p[i + j], j == 7 ? "  " : " ");
				uint8_t b = p[i + j];
				asc[a++] = b >= 32 && b < 127 ? (char)b : '.';
			} else {
				h = tl_bappend(hex, sizeof hex, h, "   %s",
				               j == 7 ? " " : "");
			}
		}
		asc[a] = '\0';
		add_line(ui, R_NORMAL, "       %04x  %s %s", i, hex, asc);
	}
	if (pkt->payload_caplen > MAX_HEX_BYTES)
		add_line(ui, R_HINT, "       (first %u bytes shown)",
		         MAX_HEX_BYTES);
}

/* A frame older than the ring, from the -w file being written (flushed
 * first; opened on the first need, once it holds its header). */
static bool written_frame(struct ui *ui, const struct tl_seg *seg,
                          struct tl_frame *f)
{
	char err[512];
	uint32_t frame = seg->frame;
	const char *path = tl_capture_flush_write(ui->cap);
	if (!path)
		return false;
	if (!ui->rr_w) {
		FILE *in = fopen(path, "rb");
		if (!in)
			return false;
		ui->rr_w = ui_reread_open(in, path, NULL, err, sizeof err);
		if (!ui->rr_w)
			return false;
	}
	if (!ui_reread_frame(ui->rr_w, frame, f, err, sizeof err))
		return false;
	/* Frames -w could not save (another link type) would shift the
	 * numbers: the frame read must be this segment's. */
	const struct tl_conn *c = tl_tracker_stream(&ui->m.tracker,
	                                            seg->stream);
	struct tl_packet pkt;
	unsigned d = tl_seg_dir(seg);
	return c && tl_decode_frame(f->dlt, f->data, f->caplen, &pkt) ==
	            TL_DECODE_TCP && pkt.sport == c->port[d] &&
	       pkt.dport == c->port[!d] && c->dir[d].base_set &&
	       pkt.seq - c->dir[d].base == seg->seq;
}

/* The frame's bytes again: from the capture file, from the -w file once
 * it holds them, or from the ring of recent frames. False, with the lines
 * that say why, when none has it. */
static bool frame_bytes(struct ui *ui, const struct tl_seg *seg,
                        struct tl_frame *f)
{
	char err[512];
	if (ui->rr) {
		if (ui_reread_frame(ui->rr, seg->frame, f, err, sizeof err))
			return true;
		add_line(ui, R_ERROR, "       %s", err);
		return false;
	}
	bool cut = false;
	if (ui->ring_on && tl_ring_get(&ui->ring, seg->frame, f, &cut)) {
		if (cut)
			add_line(ui, R_HINT, "       (the ring of recent frames "
			         "keeps the first %u bytes of a frame)",
			         ui->ring.keep);
		return true;
	}
	if (written_frame(ui, seg, f))
		return true;
	if (!ui->ring_on) {
		add_line(ui, R_HINT, "       (header fields and payload need a "
		         "capture file that can be read again; %s)",
		         ui->live ? "this is a live capture"
		                  : "this input cannot be reread");
		return false;
	}
	char mib[32];
	ui_format_bytes((uint64_t)ui->ring.data_cap +
	                (uint64_t)ui->ring.e_cap * TL_RING_ENTRY_BYTES, mib,
	                sizeof mib);
	uint32_t oldest = tl_ring_oldest(&ui->ring);
	add_line(ui, R_HINT, "       (header fields and payload: frame %u was "
	         "let go from the ring of recent frames, which keeps the "
	         "latest %u, from frame %u on, in %sB; %s)", seg->frame,
	         ui->ring.count, oldest, mib, ui->opt->cap.write_file
	         ? "the -w file could not give it back either"
	         : "with -w FILE, older frames are read again from FILE");
	return false;
}

static void reread_lines(struct ui *ui, const struct tl_seg *seg,
                         const struct tl_conn *c)
{
	struct tl_frame f;
	if (!frame_bytes(ui, seg, &f))
		return;
	struct tl_packet pkt;
	enum tl_decode_result res = tl_decode_frame(f.dlt, f.data, f.caplen,
	                                            &pkt);
	if (res == TL_DECODE_FRAGMENT || res == TL_DECODE_TUNNEL_FRAGMENT) {
		/* The row is the datagram the model put back together; this
		 * pane decodes one frame, so it cannot show the whole. */
		add_line(ui, R_HINT, "       frame %u completes a datagram put "
		         "together from %s fragments: the fields above are the "
		         "whole datagram's; header lines are shown only for "
		         "segments carried in one frame", seg->frame,
		         res == TL_DECODE_FRAGMENT ? "IP" : "CAPWAP");
		return;
	}
	if (res != TL_DECODE_TCP) {
		add_line(ui, R_ERROR, "       frame %u no longer decodes as TCP",
		         seg->frame);
		return;
	}
	unsigned d = tl_seg_dir(seg);
	add_line(ui, R_HINT, "       %u bytes on the wire, %u captured",
	         f.len, f.caplen);
	ip_lines(ui, &f, &pkt);
	char fl[256];
	flags_spelled(pkt.flags, fl, sizeof fl);
	add_line(ui, R_NORMAL, "TCP    source port %u  destination port %u",
	         pkt.sport, pkt.dport);
	add_line(ui, R_NORMAL, "       sequence %u (relative %u)  "
	         "acknowledgment %u (relative %u)", pkt.seq,
	         pkt.seq - c->dir[d].base, pkt.ack,
	         (pkt.flags & TL_TH_ACK) ? pkt.ack - c->dir[!d].base : 0);
	add_line(ui, R_NORMAL, "       header %u B (data offset %u)  flags "
	         "0x%03x = %s", pkt.tcp_header_len, pkt.tcp_header_len / 4,
	         pkt.flags, fl);
	add_line(ui, R_NORMAL, "       window %u (raw field)  checksum 0x%04x  "
	         "urgent pointer %u", pkt.window, pkt.checksum, pkt.urgent);
	option_lines(ui, &f, &pkt, c, d);
	hex_lines(ui, &f, &pkt);
}

/* One of Wireshark's analysis values of a kept segment, as -T fields and
 * the view's filter read it: 0 when absent. */
static int64_t an_value(const struct ui *ui, uint32_t idx, const char *name)
{
	const struct tl_field *f = tl_field_find(name, strlen(name));
	struct tl_fctx c = {
		.m = &ui->m, .seg = tl_segstore_get(&ui->m.segs, idx),
		.note = tl_segstore_note(&ui->m.segs, idx), .seg_index = idx,
	};
	struct tl_fval v[TL_FIELD_MAX_VALUES];
	if (!f || !tl_field_values(&c, f, v))
		return 0;
	return f->type == TL_FT_TIME ? v[0].i : (int64_t)v[0].u;
}

/* The frame an ACK acknowledges and its round trip; the timeout a
 * retransmission waited (tcp.analysis.acks_frame, ack_rtt, rto and
 * rto_frame: docs/analysis.md). */
static void ack_rto_lines(struct ui *ui, uint32_t idx)
{
	char t[32];
	uint32_t acked = (uint32_t)an_value(ui, idx, "tcp.analysis.acks_frame");
	if (acked) {
		ui_format_duration(an_value(ui, idx, "tcp.analysis.ack_rtt"), t,
		                   sizeof t);
		add_line(ui, R_NORMAL, "acks   frame %u, RTT %s  (marked %s in "
		         "the ladder)", acked, t, ui->utf8 ? "\u25c0" : "<");
	}
	uint32_t rto_frame = (uint32_t)an_value(ui, idx,
	                                        "tcp.analysis.rto_frame");
	if (rto_frame) {
		ui_format_duration(an_value(ui, idx, "tcp.analysis.rto"), t,
		                   sizeof t);
		add_line(ui, R_RTX, "rto    %s, counted from frame %u (the "
		         "oldest unacknowledged)", t, rto_frame);
	}
}

/* The application label, and what the connection carried: its HTTP
 * exchanges (HTTP/2 streams) with when each started and finished. */
/* What the sender model says of the segment: the data sender's state when
 * it left (an ACK: after the sender took it), and why it changed. */
static void sender_lines(struct ui *ui, const struct tl_seg *seg,
                         uint32_t idx, int width)
{
	struct tl_sender_vals v;
	tl_segstore_sender(&ui->m.segs, idx, &v);
	if (!v.valid)
		return;
	char ss[16], why[256];
	if (v.ssthresh >= TL_SSTHRESH_INFINITE)
		snprintf(ss, sizeof ss, "%s", ui->utf8 ? "\u221e" : "inf");
	else
		snprintf(ss, sizeof ss, "%u", v.ssthresh);
	add_line(ui, R_NORMAL, "sender cwnd %u (%llu B)  ssthresh %s  %s, %s  "
	         "RTO %u ms  (%s)", v.cwnd,
	         (unsigned long long)tl_sender_cwnd_bytes(&v), ss,
	         tl_ca_state_name(v.ca_state), tl_phase_name(v.phase),
	         v.rto_us / 1000, seg->len ? "when sent" : "after this ACK");
	if (v.rtx_cause)
		add_line(ui, R_RTX, "       sent again: %s",
		         v.rtx_cause == TL_RTX_RTO ? "after a timeout (rto)"
		         : v.rtx_cause == TL_RTX_FAST ? "fast retransmit (fast)"
		         : v.rtx_cause == TL_RTX_TLP ? "tail loss probe (tlp)"
		         : v.rtx_cause == TL_RTX_SPURIOUS
		                 ? "every byte was ACKed already (spurious)"
		                 : "these bytes were never sent before "
		                   "(never_sent)");
	if (tl_sender_why(&v, why, sizeof why))
		add_wrapped(ui, v.event == TL_SEV_TIMEOUT ||
		            v.event == TL_SEV_RECOVERY ? R_RTX : R_NORMAL,
		            "", why, width);
}

static void app_lines(struct ui *ui, const struct tl_seg *seg, int width)
{
	size_t len = 0;
	const char *lab = tl_app_label(ui->m.app, seg->frame, &len);
	const struct tl_app_conn *ac = tl_app_conn(ui->m.app, seg->stream);
	if (lab) {
		char buf[TL_APP_LABEL_MAX + 1];
		memcpy(buf, lab, len);
		buf[len] = '\0';
		add_wrapped(ui, R_NORMAL, "app", buf, width);
	}
	if (!ac || ac->proto == TL_APP_UNKNOWN)
		return;
	char line[512];
	tl_app_conn_summary(ac, line, sizeof line);
	add_line(ui, R_HEADER, "conn   %s", line);
	for (uint32_t i = 0; i < ac->stream_count && i < 200; i++) {
		const struct tl_app_stream *s = &ac->streams[i];
		tl_app_stream_line(ac, s, line, sizeof line);
		add_line(ui, s->held ? R_RTX : R_NORMAL, "       %s", line);
	}
}

void ui_detail_build(struct ui *ui, uint32_t idx)
{
	struct ui_detail_state *ds = &ui->detail;
	if (ds->seg_index == idx && ds->absolute == ui->absolute_seq &&
	    ds->cols == ui->cols && ds->count)
		return;
	clear_lines(ui);
	ds->seg_index = idx;
	ds->absolute = ui->absolute_seq;
	ds->cols = ui->cols;
	const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, idx);
	const struct tl_seg_note *note = tl_segstore_note(&ui->m.segs, idx);
	const struct tl_conn *c = tl_tracker_stream(&ui->m.tracker,
	                                            seg->stream);
	unsigned d = tl_seg_dir(seg);
	char src[80], dst[80], t[48], ta[48], fl[256], win[160];
	tl_format_endpoint(c->ip_version, c->addr[d], c->port[d], src,
	                   sizeof src);
	tl_format_endpoint(c->ip_version, c->addr[!d], c->port[!d], dst,
	                   sizeof dst);
	enum tl_time_format keep = ui->time_format;
	ui->time_format = TL_TIME_RELATIVE;
	ui_format_time(ui, tl_seg_time_us(seg), 0, false, 6, t, sizeof t);
	ui->time_format = TL_TIME_ABSOLUTE;
	ui_format_time(ui, tl_seg_time_us(seg), 0, false, 6, ta, sizeof ta);
	ui->time_format = keep;
	add_line(ui, R_HEADER, "frame %u   t=%s s (%s)   %s %s %s   stream %u",
	         seg->frame, t, ta, src, ui->gl->arrow, dst, seg->stream);
	unsigned flags = tl_seg_flags(seg);
	flags_spelled(flags, fl, sizeof fl);
	add_line(ui, R_NORMAL, "flags  0x%03x = %s", flags, fl);
	uint32_t base = c->dir[d].base, pbase = c->dir[!d].base;
	add_line(ui, R_NORMAL, "seq    %u relative  (%u absolute; initial "
	         "sequence number %u)%s", seg->seq, seg->seq + base, base,
	         seg->len ? "" : "");
	if (seg->len)
		add_line(ui, R_NORMAL, "       carries bytes %u-%u, next sequence "
		         "number %u", seg->seq, seg->seq + seg->len - 1,
		         seg->seq + seg->len);
	if (flags & TL_TH_ACK)
		add_line(ui, R_NORMAL, "ack    %u relative  (%u absolute): the "
		         "next byte expected from the peer", seg->ack,
		         seg->ack + pbase);
	else
		add_line(ui, R_NORMAL, "ack    none (ACK flag not set)");
	const struct tl_seg_sack *sk = tl_segstore_sack(&ui->m.segs, idx);
	if (sk && sk->count) {
		/* The blocks as the label shows them, then what they say. */
		char blocks[256];
		size_t bn = tl_label_sack(sk, seg, c, ui->absolute_seq, blocks,
		                          sizeof blocks, 0);
		uint32_t have = 0;
		for (uint32_t i = 0; i < sk->count && i < TL_SEG_SACK_MAX; i++)
			have += sk->edge[i][1] - sk->edge[i][0];
		const char *b = bn > 6 ? blocks + 6 : blocks;  /* " SACK " */
		add_line(ui, R_NORMAL, "sack   %s: %u block%s beyond Ack=, "
		         "%u bytes the receiver already holds (each block: "
		         "first byte, byte after the last; Wireshark's SLE, "
		         "SRE)", b, sk->count,
		         sk->count == 1 ? "" : "s", have);
	}
	ack_rto_lines(ui, idx);
	window_text(seg, c, NULL, win, sizeof win);
	add_line(ui, R_NORMAL, "window %s", win);
	add_line(ui, R_NORMAL, "len    %u byte%s of payload", seg->len,
	         seg->len == 1 ? "" : "s");
	if (flags & TL_TH_SYN) {
		/* The options alone: the flags are no offer ("SYN, ACK"
		 * is the segment's kind, already on the flags line). */
		char opts[256];
		size_t n = tl_label_synopts(&c->dir[d].syn, false, opts,
		                            sizeof opts);
		add_line(ui, R_NORMAL, "offers%s", n ? opts : " no options");
	}
	int width = ui->cols - 10;
	if (seg->analysis) {
		char an[512], why[2048];
		tl_label_analysis(seg, note, !ui->utf8, an, sizeof an);
		tl_explain_segment(&ui->m.segs, idx, c, why, sizeof why);
		int role = ui_analysis_role(seg->analysis);
		add_line(ui, role, "%-7s%s", "why", an);
		if (*why)
			add_wrapped(ui, role, "", why, width);
	} else {
		add_line(ui, R_HINT, "why    no analysis flags: an ordinary "
		         "segment");
	}
	sender_lines(ui, seg, idx, width);
	app_lines(ui, seg, width);
	reread_lines(ui, seg, c);
}

void ui_detail_draw_area(struct ui *ui, int y0, int y1, int *scroll,
                         bool focused)
{
	struct ui_detail_state *d = &ui->detail;
	int rows = y1 - y0;
	if (rows < 1)
		return;
	if (*scroll > d->count - rows)
		*scroll = d->count - rows;
	if (*scroll < 0)
		*scroll = 0;
	for (int i = 0; i < rows && *scroll + i < d->count; i++) {
		int k = *scroll + i;
		ui_put(ui, y0 + i, 1, ui->cols - 2, d->lines[k], d->roles[k],
		       d->roles[k] == R_HEADER);
	}
	if (*scroll > 0)
		ui_put(ui, y0, ui->cols - 1, 1, ui->gl->up, R_HINT, false);
	if (*scroll + rows < d->count)
		ui_put(ui, y1 - 1, ui->cols - 1, 1, ui->gl->down,
		       focused ? R_HEADER : R_HINT, false);
}

/* ---- the full-screen view ------------------------------------------------- */

static void detail_draw(struct ui *ui)
{
	struct ui_ladder_state *l = &ui->ladder;
	if (!ui_ladder_count(ui)) {
		ui_set_view(ui, ui->detail.back);
		return;
	}
	uint32_t idx = ui_ladder_seg_at(ui, l->cur);
	ui_detail_build(ui, idx);
	const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, idx);
	char mid[128];
	snprintf(mid, sizeof mid, "segment details  frame %u  stream %u",
	         seg->frame, seg->stream);
	ui_draw_title(ui, mid, "? help  q back  Q quit");
	ui_detail_draw_area(ui, 1, ui->rows - 1, &ui->detail.scroll, true);
	ui_draw_status(ui, "Up/Down scroll  Left/Right segment  / search  "
	               "r absolute  q back");
}

/* / n N: the lines of the details, as in every view. */
static char detail_search[128];

static bool line_has(const char *line, const char *want)
{
	size_t n = strlen(want);
	for (; *line; line++)
		if (strncasecmp(line, want, n) == 0)
			return true;
	return false;
}

static void search_lines(struct ui *ui, int dir)
{
	struct ui_detail_state *d = &ui->detail;
	if (!detail_search[0]) {
		ui_message(ui, false, "No search yet: / asks for one");
		return;
	}
	for (int i = d->scroll + dir; i >= 0 && i < d->count; i += dir) {
		if (line_has(d->lines[i], detail_search)) {
			d->scroll = i;
			return;
		}
	}
	ui_message(ui, true, "Not found %s: %s", dir > 0 ? "below" : "above",
	           detail_search);
}

static void detail_search_done(struct ui *ui, const char *text, bool ok)
{
	if (!ok || !text[0])
		return;
	snprintf(detail_search, sizeof detail_search, "%s", text);
	/* The line on top counts too. */
	ui->detail.scroll--;
	search_lines(ui, 1);
	if (ui->detail.scroll < 0)
		ui->detail.scroll = 0;
}

static enum ui_key_result detail_key(struct ui *ui, int ch)
{
	struct ui_detail_state *d = &ui->detail;
	struct ui_ladder_state *l = &ui->ladder;
	int page = ui->rows - 3;
	int64_t n = ui_ladder_count(ui);
	switch (ch) {
	case KEY_UP: case 'k': d->scroll--; break;
	case KEY_DOWN: case 'j': d->scroll++; break;
	case KEY_PPAGE: case 2: d->scroll -= page; break;
	case KEY_NPAGE: case 6: case ' ': d->scroll += page; break;
	case KEY_HOME: case 'g': d->scroll = 0; break;
	case KEY_END: case 'G': d->scroll = d->count; break;
	case KEY_RIGHT: case '.': case ']':
		if (l->cur + 1 < n) {
			l->cur++;
			d->scroll = 0;
		}
		break;
	case KEY_LEFT: case ',': case '[':
		if (l->cur > 0) {
			l->cur--;
			d->scroll = 0;
		}
		break;
	case '/':
		ui_prompt_start(ui, "Search the details: ", detail_search,
		                false, detail_search_done);
		break;
	case 'n': search_lines(ui, 1); break;
	case 'N': search_lines(ui, -1); break;
	case 'p':       /* follow the stream, as in the ladder */
		if (n) {
			const struct tl_seg *s = tl_segstore_get(&ui->m.segs,
				ui_ladder_seg_at(ui, l->cur));
			ui_follow_open(ui, s->stream, s->frame,
			               UI_VIEW_DETAIL);
		}
		break;
	case 'r':
		ui->absolute_seq = !ui->absolute_seq;
		break;
	case '\n': case '\r': case KEY_ENTER:
		ui_set_view(ui, d->back);
		break;
	default:
		return UI_KEY_UNHANDLED;
	}
	if (d->scroll < 0)
		d->scroll = 0;
	return UI_KEY_HANDLED;
}

static void detail_mouse(struct ui *ui, int y, int x, int wheel)
{
	(void)y;
	(void)x;
	ui->detail.scroll += wheel * 3;
	if (ui->detail.scroll < 0)
		ui->detail.scroll = 0;
}

static void detail_enter(struct ui *ui)
{
	ui->detail.scroll = 0;
	ui->ladder.follow = false;
}

const struct ui_view ui_view_detail = {
	.name = "details",
	.enter = detail_enter,
	.draw = detail_draw,
	.key = detail_key,
	.mouse = detail_mouse,
};
