/* pcapng, read block by block (see capture_pcapng.h). */
#include "config.h"

#include "capture_pcapng.h"
#include "tl_decode.h"

#include <errno.h>
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_OPB 0x00000002u      /* obsolete Packet Block */
#define BT_SPB 0x00000003u
#define BT_EPB 0x00000006u
#define DLT_NFLOG_ 239
#define BT_JOURNAL 0x00000009u  /* systemd journal export */
#define BT_CUSTOM 0x00000BADu
#define BT_CUSTOM_COPY 0x40000BADu
#define BOM 0x1A2B3C4Du

#define OPT_END 0
#define OPT_IF_TSRESOL 9
#define OPT_IF_TSOFFSET 14

/* tshark (wiretap) refuses blocks over 16 MiB; so do we: a length past it
 * is damage, not a packet. */
#define MAX_BLOCK (16u * 1024 * 1024)
#define MAX_INTERFACES 65536

struct iface {
	int dlt;
	uint32_t snaplen;
	uint64_t units;         /* timestamp ticks per second */
	int64_t offset_sec;     /* if_tsoffset */
	uint32_t index;         /* over all sections */
};

struct tl_pcapng {
	FILE *f;
	char *name;
	bool swap;              /* the section's byte order is not ours */
	struct iface *ifs;
	uint32_t if_count, if_cap;
	uint32_t if_total;      /* interfaces seen in all sections */
	uint8_t *buf;           /* the current block's body */
	uint32_t buf_cap;
	uint64_t blocks;
	long section;           /* offset of the section's header (-1: none) */
	bool have_first;
	tl_nsec first_ts;       /* of the first record */
	char err[256];
};

bool tl_pcapng_magic(const uint8_t b[4])
{
	return b[0] == 0x0A && b[1] == 0x0D && b[2] == 0x0D && b[3] == 0x0A;
}

static uint32_t get32(const struct tl_pcapng *ng, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return ng->swap ? __builtin_bswap32(v) : v;
}

static uint16_t get16(const struct tl_pcapng *ng, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return ng->swap ? __builtin_bswap16(v) : v;
}

static uint64_t get64(const struct tl_pcapng *ng, const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return ng->swap ? __builtin_bswap64(v) : v;
}

static void fail(struct tl_pcapng *ng, const char *what)
{
	snprintf(ng->err, sizeof ng->err, "damaged pcapng: %s (block %llu)",
	         what, (unsigned long long)ng->blocks + 1);
}

/* Reads exactly n bytes; false at EOF or error (cut says which). */
static bool read_exact(struct tl_pcapng *ng, void *p, size_t n, bool *cut)
{
	size_t got = fread(p, 1, n, ng->f);
	*cut = got != n && !ferror(ng->f);
	if (got == n)
		return true;
	if (ferror(ng->f))
		snprintf(ng->err, sizeof ng->err, "read error: %s",
		         strerror(errno));
	return false;
}

enum blk { BLK_OK, BLK_END, BLK_ERR };

/* The next block: *type and its body (without the type, length and
 * trailing length words) in ng->buf, *len bytes. */
static enum blk next_block(struct tl_pcapng *ng, uint32_t *type,
                           uint32_t *len)
{
	uint8_t hdr[12];
	bool cut;
	size_t got = fread(hdr, 1, 8, ng->f);
	if (got == 0 && feof(ng->f))
		return BLK_END;
	if (got != 8) {
		if (ferror(ng->f))
			snprintf(ng->err, sizeof ng->err, "read error: %s",
			         strerror(errno));
		else
			fail(ng, "the file ends inside a block header");
		return BLK_ERR;
	}
	uint32_t raw_type;
	memcpy(&raw_type, hdr, 4);
	if (tl_pcapng_magic(hdr)) {
		/* A new section: its byte-order magic says how to read the
		 * length (the type reads the same both ways). A pipe has no
		 * offsets (and is never read again). */
		long at = ftell(ng->f);
		ng->section = at >= 8 ? at - 8 : -1;
		if (!read_exact(ng, hdr + 8, 4, &cut)) {
			if (cut)
				fail(ng, "the file ends inside a section header");
			return BLK_ERR;
		}
		uint32_t bom;
		memcpy(&bom, hdr + 8, 4);
		if (bom == BOM)
			ng->swap = false;
		else if (__builtin_bswap32(bom) == BOM)
			ng->swap = true;
		else {
			fail(ng, "a section header with no byte-order magic");
			return BLK_ERR;
		}
	}
	*type = get32(ng, hdr);
	uint32_t total = get32(ng, hdr + 4);
	uint32_t head = *type == BT_SHB ? 12 : 8;
	if (total < head + 4 || total % 4 || total > MAX_BLOCK) {
		fail(ng, "a block length that is not a multiple of 4 between 12 "
		         "bytes and 16 MiB");
		return BLK_ERR;
	}
	uint32_t body = total - 8 - 4;    /* without the two length words */
	if (body > ng->buf_cap) {
		uint32_t cap = ng->buf_cap ? ng->buf_cap : 4096;
		while (cap < body)
			cap *= 2;
		ng->buf = tl_xrealloc(ng->buf, cap, 1);
		ng->buf_cap = cap;
	}
	if (head == 12)
		memcpy(ng->buf, hdr + 8, 4);
	uint32_t rest = body - (head - 8);
	uint8_t trail[4];
	if (!read_exact(ng, ng->buf + (head - 8), rest, &cut) ||
	    !read_exact(ng, trail, 4, &cut)) {
		if (cut)
			fail(ng, "the file ends inside a block");
		return BLK_ERR;
	}
	if (get32(ng, trail) != total) {
		fail(ng, "a block whose trailing length differs from its "
		         "leading one");
		return BLK_ERR;
	}
	ng->blocks++;
	*len = body;
	return BLK_OK;
}

/* if_tsresol: 10^-n, or 2^-n with the top bit set; ticks per second, or
 * 0 for one we cannot use (more than 10^18 or 2^63 per second). */
static uint64_t resolution(uint8_t v)
{
	unsigned n = v & 0x7f;
	if (v & 0x80)
		return n < 63 ? UINT64_C(1) << n : 0;
	if (n > 18)
		return 0;
	uint64_t u = 1;
	while (n--)
		u *= 10;
	return u;
}

/* pcapng names link types by their LINKTYPE_ value, which is the DLT_
 * value except for a few (raw IP above all). */
static int linktype_to_dlt(int lt)
{
	switch (lt) {
	case 100: return DLT_ATM_RFC1483;
	case 101: return DLT_RAW;
	case 102: return DLT_SLIP_BSDOS;
	case 103: return DLT_PPP_BSDOS;
	default: return lt;
	}
}

static bool add_interface(struct tl_pcapng *ng, const uint8_t *b,
                          uint32_t len)
{
	if (len < 8) {
		fail(ng, "an interface description shorter than 8 bytes");
		return false;
	}
	if (ng->if_total >= MAX_INTERFACES) {
		fail(ng, "more than 65536 interfaces");
		return false;
	}
	struct iface in = {
		.dlt = linktype_to_dlt(get16(ng, b)),
		.snaplen = get32(ng, b + 4),
		.units = 1000000,
		.index = ng->if_total,
	};
	for (uint32_t at = 8; len - at >= 4;) {
		uint16_t code = get16(ng, b + at);
		uint16_t olen = get16(ng, b + at + 2);
		at += 4;
		if (code == OPT_END || olen > len - at)
			break;
		if (code == OPT_IF_TSRESOL && olen >= 1) {
			in.units = resolution(b[at]);
			if (!in.units) {
				fail(ng, "an interface with a timestamp "
				         "resolution finer than 10^-18 s");
				return false;
			}
		} else if (code == OPT_IF_TSOFFSET && olen >= 8) {
			in.offset_sec = (int64_t)get64(ng, b + at);
		}
		at += (olen + 3u) & ~3u;
		if (at > len)
			break;
	}
	if (ng->if_count == ng->if_cap) {
		ng->if_cap = ng->if_cap ? ng->if_cap * 2 : 4;
		ng->ifs = tl_xrealloc(ng->ifs, ng->if_cap, sizeof *ng->ifs);
	}
	ng->ifs[ng->if_count++] = in;
	ng->if_total++;
	return true;
}

static bool new_section(struct tl_pcapng *ng, const uint8_t *b, uint32_t len)
{
	if (len < 16) {
		fail(ng, "a section header shorter than 16 bytes");
		return false;
	}
	if (get16(ng, b + 4) != 1) {
		fail(ng, "a section of a major version other than 1");
		return false;
	}
	ng->if_count = 0;       /* interface numbers start again */
	return true;
}

/* Seconds since the epoch, as tl_nsec, kept where differences of two
 * still fit (as capture.c does for libpcap's). */
#define MAX_TS_SEC (INT64_C(1) << 32)
static tl_nsec ticks_to_nsec(const struct iface *in, uint64_t ticks)
{
	uint64_t sec = ticks / in->units, frac = ticks % in->units;
	int64_t s = sec > (uint64_t)INT64_MAX / 2 ? INT64_MAX / 2
	                                            : (int64_t)sec;
	if (in->offset_sec > 0 && s > INT64_MAX / 2 - in->offset_sec)
		s = INT64_MAX / 2;
	else
		s += in->offset_sec;
	if (s > MAX_TS_SEC)
		s = MAX_TS_SEC;
	else if (s < -MAX_TS_SEC)
		s = -MAX_TS_SEC;
	unsigned __int128 ns = (unsigned __int128)frac * 1000000000u /
	                       in->units;
	return s * TL_NSEC_PER_SEC + (int64_t)ns;
}

struct tl_pcapng *tl_pcapng_open(FILE *f, const char *name, char *err,
                                 size_t errsize)
{
	struct tl_pcapng *ng = tl_xcalloc(1, sizeof *ng);
	ng->section = -1;
	ng->f = f;
	ng->name = tl_xstrdup(name);
	uint32_t type, len;
	bool first = true;
	for (;;) {
		enum blk r = next_block(ng, &type, &len);
		if (r == BLK_END && !first)
			break;          /* no interface at all: no packets */
		if (r != BLK_OK || (first && type != BT_SHB)) {
			snprintf(err, errsize, "%s: %s", name,
			         r == BLK_OK || r == BLK_END
			                 ? "not a pcapng file" : ng->err);
			tl_pcapng_close(ng);
			return NULL;
		}
		first = false;
		if (type == BT_SHB && !new_section(ng, ng->buf, len)) {
			snprintf(err, errsize, "%s: %s", name, ng->err);
			tl_pcapng_close(ng);
			return NULL;
		}
		if (type == BT_IDB) {
			if (!add_interface(ng, ng->buf, len)) {
				snprintf(err, errsize, "%s: %s", name, ng->err);
				tl_pcapng_close(ng);
				return NULL;
			}
			break;
		}
		if (type == BT_EPB || type == BT_SPB || type == BT_OPB) {
			snprintf(err, errsize, "%s: damaged pcapng: a packet "
			         "before any interface description", name);
			tl_pcapng_close(ng);
			return NULL;
		}
	}
	return ng;
}

void tl_pcapng_close(struct tl_pcapng *ng)
{
	if (!ng)
		return;
	if (ng->f)
		fclose(ng->f);
	free(ng->ifs);
	free(ng->buf);
	free(ng->name);
	free(ng);
}

FILE *tl_pcapng_file(const struct tl_pcapng *ng)
{
	return ng->f;
}

int tl_pcapng_first_dlt(const struct tl_pcapng *ng)
{
	return ng->if_count ? ng->ifs[0].dlt : 1;
}

uint32_t tl_pcapng_first_snaplen(const struct tl_pcapng *ng)
{
	return ng->if_count ? ng->ifs[0].snaplen : 0;
}

const char *tl_pcapng_error(const struct tl_pcapng *ng)
{
	return ng->err;
}

bool tl_pcapng_tell(const struct tl_pcapng *ng, struct tl_pcapng_pos *pos)
{
	pos->off = ftell(ng->f);
	pos->section = ng->section;
	pos->swap = ng->swap;
	pos->if_count = ng->if_count;
	pos->if_total = ng->if_total;
	pos->blocks = ng->blocks;
	return pos->off >= 0 && pos->section >= 0;
}

bool tl_pcapng_seek(struct tl_pcapng *ng, const struct tl_pcapng_pos *pos)
{
	if (pos->section == ng->section && pos->if_count <= ng->if_count) {
		/* The same section: its first if_count interfaces are the
		 * ones described before pos. */
		if (fseek(ng->f, pos->off, SEEK_SET) != 0)
			goto failed;
	} else {
		/* Another section: its interfaces are read again from its
		 * header up to pos. */
		if (fseek(ng->f, pos->section, SEEK_SET) != 0)
			goto failed;
		ng->if_total = pos->if_total - pos->if_count;
		for (;;) {
			long at = ftell(ng->f);
			if (at < 0)
				goto failed;
			if (at >= pos->off)
				break;
			uint32_t type, len;
			if (next_block(ng, &type, &len) != BLK_OK ||
			    (type == BT_SHB && !new_section(ng, ng->buf, len)) ||
			    (type == BT_IDB && !add_interface(ng, ng->buf, len)))
				return false;
		}
		if (ng->if_count != pos->if_count ||
		    ng->if_total != pos->if_total) {
			fail(ng, "the file changed while it was read");
			return false;
		}
	}
	ng->section = pos->section;
	ng->swap = pos->swap;
	ng->if_count = pos->if_count;
	ng->if_total = pos->if_total;
	ng->blocks = pos->blocks;
	return true;
failed:
	snprintf(ng->err, sizeof ng->err, "cannot seek: %s", strerror(errno));
	return false;
}

static const struct iface *iface_of(struct tl_pcapng *ng, uint32_t id)
{
	if (id >= ng->if_count) {
		fail(ng, "a packet of an interface that was never described");
		return NULL;
	}
	return &ng->ifs[id];
}

/* NFLOG's TLV lengths and types are in the capturing host's byte order,
 * which a pcapng section records: a section of the other order has them
 * turned to ours, as libpcap and wiretap do, so the decoder reads them
 * little-endian. The data is our block buffer. */
static void nflog_to_host(uint8_t *p, uint32_t caplen)
{
	uint32_t off = 4;
	while (caplen >= 4 && off <= caplen - 4) {
		uint8_t t = p[off];
		p[off] = p[off + 1];
		p[off + 1] = t;
		t = p[off + 2];
		p[off + 2] = p[off + 3];
		p[off + 3] = t;
		uint32_t len = (uint32_t)p[off] | (uint32_t)p[off + 1] << 8;
		if (len < 4)
			break;
		off += (len + 3) & ~3u;
	}
}

/* Fills frame from a packet's fields; false if they contradict the
 * block. */
static bool packet(struct tl_pcapng *ng, const struct iface *in,
                   uint64_t ticks, uint32_t caplen, uint32_t len,
                   const uint8_t *data, uint32_t room, struct tl_frame *fr)
{
	if (caplen > room) {
		fail(ng, "a packet longer than its block");
		return false;
	}
	if (ng->swap && in->dlt == DLT_NFLOG_ && __BYTE_ORDER__ ==
	    __ORDER_LITTLE_ENDIAN__ && data >= ng->buf)
		nflog_to_host(ng->buf + (data - ng->buf), caplen);
	fr->data = data;
	fr->caplen = caplen;
	fr->len = len < caplen ? caplen : len;
	fr->ts = ticks_to_nsec(in, ticks);
	fr->dlt = in->dlt;
	if (!ng->have_first) {
		ng->have_first = true;
		ng->first_ts = fr->ts;
	}
	return true;
}

/* A record tshark counts as a frame but that holds no packet and no time
 * of its own (it shows none; its time is taken as 0, the epoch). */
static void record(struct tl_pcapng *ng, struct tl_frame *fr)
{
	fr->data = ng->buf;
	fr->caplen = 0;
	fr->len = 0;
	fr->ts = 0;
	fr->dlt = TL_DLT_NONE;
	if (!ng->have_first) {
		ng->have_first = true;
		ng->first_ts = 0;
	}
}

/* An enhanced or obsolete packet block: they differ only in the width of
 * the interface number (32 bits, 16 in the obsolete one). */
static enum tl_next timed_packet(struct tl_pcapng *ng, const uint8_t *b,
                                 uint32_t len, bool obsolete,
                                 struct tl_frame *fr, uint32_t *ifindex)
{
	if (len < 20) {
		fail(ng, "a packet block shorter than 20 bytes");
		return TL_NEXT_ERROR;
	}
	const struct iface *in = iface_of(ng, obsolete ? get16(ng, b)
	                                               : get32(ng, b));
	if (!in || !packet(ng, in, (uint64_t)get32(ng, b + 4) << 32 |
	                           get32(ng, b + 8),
	                   get32(ng, b + 12), get32(ng, b + 16), b + 20,
	                   len - 20, fr))
		return TL_NEXT_ERROR;
	*ifindex = in->index;
	return TL_NEXT_FRAME;
}

enum tl_next tl_pcapng_next(struct tl_pcapng *ng, struct tl_frame *fr,
                            uint32_t *ifindex)
{
	for (;;) {
		uint32_t type, len;
		enum blk r = next_block(ng, &type, &len);
		if (r == BLK_END)
			return TL_NEXT_END;
		if (r == BLK_ERR)
			return TL_NEXT_ERROR;
		const uint8_t *b = ng->buf;
		const struct iface *in;
		switch (type) {
		case BT_SHB:
			if (!new_section(ng, b, len))
				return TL_NEXT_ERROR;
			break;
		case BT_IDB:
			if (!add_interface(ng, b, len))
				return TL_NEXT_ERROR;
			break;
		case BT_EPB:
		case BT_OPB:
			return timed_packet(ng, b, len, type == BT_OPB, fr,
			                    ifindex);
		case BT_SPB: {
			/* No timestamp and no captured length: interface 0,
			 * as much as its snap length and the block allow. */
			if (len < 4) {
				fail(ng, "a simple packet block shorter than 4 "
				         "bytes");
				return TL_NEXT_ERROR;
			}
			if (!(in = iface_of(ng, 0)))
				return TL_NEXT_ERROR;
			uint32_t orig = get32(ng, b), cap = orig;
			if (in->snaplen && cap > in->snaplen)
				cap = in->snaplen;
			if (cap > len - 4)
				cap = len - 4;
			packet(ng, in, 0, cap, orig, b + 4, len - 4, fr);
			/* tshark shows no time for it: relative time 0. */
			fr->ts = ng->first_ts;
			*ifindex = in->index;
			return TL_NEXT_FRAME;
		}
		case BT_CUSTOM:
		case BT_CUSTOM_COPY:
		case BT_JOURNAL:
			record(ng, fr);
			*ifindex = UINT32_MAX;
			return TL_NEXT_FRAME;
		default:
			break;  /* statistics, names, journals...: not ours */
		}
	}
}
