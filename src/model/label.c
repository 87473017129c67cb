/* The words on the ladder: flags, numbers, options and annotations. */
#include "config.h"

#include "tl_label.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* Bit 8 is the old NS bit, which Wireshark 4.0 calls AE (accurate ECN). */
static const char *const flag_names[] = {
	"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE",
};

static size_t join_flags(unsigned flags, const char *sep, const char *none,
                         char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < 9; i++) {
		if (!(flags & (1u << i)))
			continue;
		len = tl_bappend(buf, size, len, "%s%s", len ? sep : "",
		                 flag_names[i]);
	}
	if (!len)
		len = tl_bappend(buf, size, 0, "%s", none);
	return len;
}

size_t tl_label_flags(unsigned flags, char *buf, size_t size)
{
	return join_flags(flags, ", ", "<None>", buf, size);
}

size_t tl_label_flags_tsv(unsigned flags, char *buf, size_t size)
{
	/* The segment table names the eight classic flags only. */
	return join_flags(flags & 0xffu, "|", "-", buf, size);
}

size_t tl_format_addr(unsigned ip_version, const uint8_t *addr, char *buf,
                      size_t size)
{
	if (!inet_ntop(ip_version == 6 ? AF_INET6 : AF_INET, addr, buf,
	               (socklen_t)size)) {
		buf[0] = '\0';
		return 0;
	}
	return strlen(buf);
}

size_t tl_format_endpoint(unsigned ip_version, const uint8_t *addr, int port,
                          char *buf, size_t size)
{
	char a[64];
	tl_format_addr(ip_version, addr, a, sizeof a);
	if (port < 0)
		return tl_bappend(buf, size, 0, "%s", a);
	if (ip_version == 6)
		return tl_bappend(buf, size, 0, "[%s]:%d", a, port);
	return tl_bappend(buf, size, 0, "%s:%d", a, port);
}

void tl_format_endpoints(const struct tl_conn *conn, unsigned dir,
                         char *from, char *to, size_t size)
{
	if (!size)
		return;
	if (!conn) {
		tl_bappend(from, size, 0, "?");
		tl_bappend(to, size, 0, "?");
		return;
	}
	dir &= 1u;
	tl_format_endpoint(conn->ip_version, conn->addr[dir], conn->port[dir],
	                   from, size);
	tl_format_endpoint(conn->ip_version, conn->addr[!dir],
	                   conn->port[!dir], to, size);
}

static size_t syn_options(const struct tl_syn_options *o, bool tsval,
                          char *buf, size_t size, size_t len)
{
	if (o->present & TL_OPT_MSS)
		len = tl_bappend(buf, size, len, " MSS=%u", o->mss);
	if (o->present & TL_OPT_SACK_PERM)
		len = tl_bappend(buf, size, len, " SACK_PERM");
	if (tsval && (o->present & TL_OPT_TIMESTAMP))
		len = tl_bappend(buf, size, len, " TSval=%u", o->tsval);
	if (o->present & TL_OPT_WSCALE) {
		unsigned shift = o->wscale > 14 ? 14 : o->wscale;
		len = tl_bappend(buf, size, len, " WS=%u", 1u << shift);
	}
	return len;
}

size_t tl_label_synopts(const struct tl_syn_options *o, bool tsval,
                        char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	return syn_options(o, tsval, buf, size, 0);
}

size_t tl_label_segment(const struct tl_seg *seg, const struct tl_conn *conn,
                        unsigned parts, int absolute, char *buf, size_t size)
{
	unsigned flags = tl_seg_flags(seg), dir = tl_seg_dir(seg);
	size_t len = tl_label_flags(flags, buf, size);
	uint32_t seq = seg->seq, ack = seg->ack;
	if (absolute && conn) {
		seq += conn->dir[dir].base;
		ack += conn->dir[!dir].base;
	}
	if (parts & TL_LABEL_SEQ)
		len = tl_bappend(buf, size, len, " Seq=%u", seq);
	if ((parts & TL_LABEL_ACK) && (flags & TL_TH_ACK))
		len = tl_bappend(buf, size, len, " Ack=%u", ack);
	if (parts & TL_LABEL_WIN)
		len = tl_bappend(buf, size, len, " Win=%u", seg->win);
	if (parts & TL_LABEL_LEN)
		len = tl_bappend(buf, size, len, " Len=%u", seg->len);
	if ((parts & TL_LABEL_SYNOPTS) && (flags & TL_TH_SYN) && conn)
		len = syn_options(&conn->dir[dir].syn, parts & TL_LABEL_TSVAL,
		                  buf, size, len);
	return len;
}

size_t tl_label_sack(const struct tl_seg_sack *sack, const struct tl_seg *seg,
                     const struct tl_conn *conn, int absolute, char *buf,
                     size_t size, size_t len)
{
	if (!sack || !sack->count)
		return len;
	uint32_t base = absolute && conn ? conn->dir[!tl_seg_dir(seg)].base
	                                 : 0;
	unsigned n = sack->count < TL_SEG_SACK_MAX ? sack->count
	                                           : TL_SEG_SACK_MAX;
	for (unsigned i = 0; i < n; i++)
		len = tl_bappend(buf, size, len, "%s%u-%u", i ? "," : " SACK ",
		                 sack->edge[i][0] + base,
		                 sack->edge[i][1] + base);
	return len;
}

/* Wireshark prepends each label to Info in this order, so the last one
 * applied is printed first; we print them as Info reads. */
static const struct {
	uint16_t bit;
	const char *text;
} info_order[] = {
	{ TL_AN_ZERO_WINDOW_PROBE_ACK, "ZeroWindowProbeAck" },
	{ TL_AN_ZERO_WINDOW, "ZeroWindow" },
	{ TL_AN_ZERO_WINDOW_PROBE, "ZeroWindowProbe" },
	{ TL_AN_DUPLICATE_ACK, NULL },
	{ TL_AN_KEEP_ALIVE_ACK, "Keep-Alive ACK" },
	{ TL_AN_KEEP_ALIVE, "Keep-Alive" },
	{ TL_AN_WINDOW_FULL, "Window Full" },
	{ TL_AN_WINDOW_UPDATE, "Window Update" },
	{ TL_AN_ACK_LOST_SEGMENT, "ACKed unseen segment" },
	{ TL_AN_LOST_SEGMENT, "Previous segment not captured" },
	{ TL_AN_SPURIOUS_RETRANSMISSION, "Spurious Retransmission" },
	{ TL_AN_FAST_RETRANSMISSION, "Fast Retransmission" },
	{ TL_AN_OUT_OF_ORDER, "Out-Of-Order" },
	{ TL_AN_RETRANSMISSION, "Retransmission" },
	{ TL_AN_REUSED_PORTS, "Port numbers reused" },
};

size_t tl_label_analysis(const struct tl_seg *seg,
                         const struct tl_seg_note *note, int ascii,
                         char *buf, size_t size)
{
	unsigned an = seg->analysis;
	size_t len = 0;
	buf[0] = '\0';
	/* Spurious and fast retransmissions also carry the plain bit; Info
	 * names only the specific kind. */
	if (an & (TL_AN_SPURIOUS_RETRANSMISSION | TL_AN_FAST_RETRANSMISSION))
		an &= ~(unsigned)TL_AN_RETRANSMISSION;
	for (size_t i = 0; i < sizeof info_order / sizeof info_order[0]; i++) {
		if (!(an & info_order[i].bit))
			continue;
		const char *sep = len ? " " : "";
		if (info_order[i].bit == TL_AN_DUPLICATE_ACK)
			len = tl_bappend(buf, size, len, "%s[TCP Dup ACK %u#%u]",
			                 sep, note ? note->ref_frame : 0,
			                 note ? note->dupack_num : 0);
		else
			len = tl_bappend(buf, size, len, "%s[TCP %s]", sep,
			                 info_order[i].text);
	}
	if ((an & TL_AN_WINDOW_CHANGE) && note)
		len = tl_bappend(buf, size, len, "%swin %u%s%u", len ? " " : "",
		                 note->prev_window, ascii ? "->" : "\u2192",
		                 seg->win);
	return len;
}

static size_t explain_retransmission(const struct tl_seg *seg,
                                     const struct tl_seg_note *note,
                                     char *buf, size_t size, size_t len)
{
	unsigned an = seg->analysis;
	uint32_t first = seg->seq, last = seg->seq + seg->len - 1;
	if (an & TL_AN_SPURIOUS_RETRANSMISSION)
		return tl_bappend(buf, size, len,
		    "Spurious retransmission: the receiver had already "
		    "acknowledged bytes %u-%u, so this copy was not needed. ",
		    first, last);
	if (an & TL_AN_FAST_RETRANSMISSION)
		return tl_bappend(buf, size, len,
		    "Fast retransmission: sent again within 20 ms of the "
		    "receiver's second or later duplicate ACK asking for byte "
		    "%u. ", seg->seq);
	if (an & TL_AN_OUT_OF_ORDER)
		return tl_bappend(buf, size, len,
		    "Out-of-order: bytes %u-%u come after higher ones, sooner "
		    "than the handshake round trip (or 3 ms): reordered, not "
		    "resent. ", first, last);
	if (an & TL_AN_RETRANSMISSION) {
		if (note && note->ref_frame)
			return tl_bappend(buf, size, len,
			    "Retransmission: this sequence space was sent "
			    "before; the oldest unacknowledged segment is frame "
			    "%u, %.3f ms earlier. ", note->ref_frame,
			    (double)note->rto_us / 1e3);
		return tl_bappend(buf, size, len,
		    "Retransmission: this sequence space was sent before. ");
	}
	return len;
}

/* Sentences that need no numbers, in the order they are told; the dup-ACK
 * entry marks where its numbered sentence goes. */
static const struct {
	uint16_t bit;
	const char *text;
} plain_sentences[] = {
	{ TL_AN_WINDOW_UPDATE,
	  "Window update: only the advertised window changed." },
	{ TL_AN_WINDOW_FULL, "Window full: this segment fills the receiver's "
	  "advertised window exactly." },
	{ TL_AN_KEEP_ALIVE, "Keep-alive: one byte below the next expected "
	  "sequence number, to check the peer is still there." },
	{ TL_AN_KEEP_ALIVE_ACK,
	  "Keep-alive ACK: the peer answers a keep-alive." },
	{ TL_AN_DUPLICATE_ACK, NULL },
	{ TL_AN_ZERO_WINDOW_PROBE, "Zero-window probe: one byte sent into a "
	  "closed window to ask whether it has opened." },
	{ TL_AN_ZERO_WINDOW, "Zero window: the receiver's buffer is full; the "
	  "sender must stop." },
	{ TL_AN_ZERO_WINDOW_PROBE_ACK,
	  "Zero-window probe ACK: the window is still closed." },
};

size_t tl_explain_analysis(const struct tl_seg *seg,
                           const struct tl_seg_note *note,
                           const struct tl_conn *conn, char *buf, size_t size)
{
	unsigned an = seg->analysis;
	size_t len = 0;
	buf[0] = '\0';
	(void)conn;
	if (an & TL_AN_REUSED_PORTS)
		len = tl_bappend(buf, size, len,
		    "Port numbers reused: a SYN with a new ISN on a 4-tuple "
		    "already seen starts a new connection. ");
	len = explain_retransmission(seg, note, buf, size, len);
	if (an & TL_AN_LOST_SEGMENT)
		len = tl_bappend(buf, size, len,
		    "Previous segment not captured: this segment starts at "
		    "byte %u, beyond the highest byte seen so far in this "
		    "direction. ", seg->seq);
	if (an & TL_AN_ACK_LOST_SEGMENT)
		len = tl_bappend(buf, size, len,
		    "ACKed unseen segment: Ack=%u acknowledges bytes that were "
		    "never captured. ", seg->ack);
	for (size_t i = 0; i < sizeof plain_sentences / sizeof plain_sentences[0];
	     i++) {
		if (plain_sentences[i].bit == TL_AN_DUPLICATE_ACK) {
			if ((an & TL_AN_DUPLICATE_ACK) && note)
				len = tl_bappend(buf, size, len,
				    "Duplicate ACK #%u of frame %u: the receiver "
				    "is still missing byte %u. ", note->dupack_num,
				    note->ref_frame, seg->ack);
		} else if (an & plain_sentences[i].bit) {
			len = tl_bappend(buf, size, len, "%s ",
			                 plain_sentences[i].text);
		}
	}
	if ((an & TL_AN_WINDOW_CHANGE) && note)
		len = tl_bappend(buf, size, len,
		    "The advertised window changed from %u to %u bytes. ",
		    note->prev_window, seg->win);
	while (len && buf[len - 1] == ' ')
		buf[--len] = '\0';
	return len;
}
