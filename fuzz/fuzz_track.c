/* libFuzzer target: a sequence of frames through tl_model_frame with the
 * segments retained, so the tracker's per-connection state machines run,
 * then every row through the segment table and the text ladder.
 *
 * Byte 0: bit 7 chooses synthetic segments (else raw frames), bits 0-3 the
 * link type of raw frames, bits 4-6 a bound on live connections (as
 * --max-connections: idle ones are evicted, rows are then rendered as each
 * segment is analysed, as run_batch does) or, with segments retained, a
 * view limit (--max-segments 100 or 3, or a byte bound so small that every
 * frame makes the model let rows go), checked after every frame.
 * Byte 1: output settings.
 * Raw frames: [u16 length, little endian][i8 time step, ms][frame].
 * Synthetic segments, 16 bytes each plus options, built into IPv4/IPv6 TCP
 * between two hosts on four client ports, so the fuzzer need not learn
 * headers to reach the analysis:
 *   [0] bits 0-1 client port, bit 2 direction, bit 3 IPv6, bits 4-7 time
 *   [1] flags  [2-5] seq  [6-9] ack  [10-11] window  [12-13] payload length
 *   [14] option bytes that follow (0-40)  [15] bit 0 cut the options */
#include "config.h"

#include <stdlib.h>

#include "tl_decode.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 4096

static size_t synth_frame(const uint8_t *r, size_t avail, uint8_t *f,
                          uint32_t *caplen, size_t *used)
{
	if (avail < 16)
		return 0;
	unsigned optlen = r[14] > 40 ? 40 : r[14];
	optlen &= ~3u;
	if (avail - 16 < optlen)
		optlen = (unsigned)(avail - 16) & ~3u;
	bool v6 = r[0] & 8, dir = r[0] & 4;
	uint16_t cport = (uint16_t)(40000 + (r[0] & 3));
	uint16_t plen = (uint16_t)(r[12] | (r[13] << 8));
	unsigned thl = 20 + optlen;
	unsigned iphl = v6 ? 40 : 20;
	uint32_t total = iphl + thl + plen;
	if (total > 0xffff) {
		plen = (uint16_t)(0xffff - iphl - thl);
		total = 0xffff;
	}
	memset(f, 0, iphl + thl);
	if (v6) {
		f[0] = 0x60;
		f[4] = (uint8_t)((thl + plen) >> 8);
		f[5] = (uint8_t)(thl + plen);
		f[6] = 6;
		f[7] = 64;
		f[8] = 0x20; f[9] = 0x01; f[10] = 0x0d; f[11] = 0xb8;
		f[24] = 0x20; f[25] = 0x01; f[26] = 0x0d; f[27] = 0xb8;
		f[8 + 15] = dir ? 2 : 1;
		f[24 + 15] = dir ? 1 : 2;
	} else {
		f[0] = 0x45;
		f[2] = (uint8_t)(total >> 8);
		f[3] = (uint8_t)total;
		f[8] = 64;
		f[9] = 6;
		f[12] = 192; f[13] = 0; f[14] = 2; f[15] = dir ? 2 : 1;
		f[16] = 192; f[17] = 0; f[18] = 2; f[19] = dir ? 1 : 2;
	}
	uint8_t *t = f + iphl;
	uint16_t sport = dir ? 80 : cport, dport = dir ? cport : 80;
	t[0] = (uint8_t)(sport >> 8); t[1] = (uint8_t)sport;
	t[2] = (uint8_t)(dport >> 8); t[3] = (uint8_t)dport;
	memcpy(t + 4, r + 2, 8);            /* seq, ack */
	t[12] = (uint8_t)((thl / 4) << 4);
	t[13] = r[1];
	memcpy(t + 14, r + 10, 2);          /* window */
	memcpy(t + 20, r + 16, optlen);
	/* The payload itself is not captured (as with a short snap length);
	 * its length comes from the IP header. Optionally cut the options. */
	*caplen = iphl + thl;
	if ((r[15] & 1) && optlen)
		*caplen = iphl + 20 + (r[15] >> 1) % optlen;
	*used = 16 + optlen;
	return 1;
}

/* What the views rely on after rows were let go: frames in order, notes
 * in order on annotated rows, the bound kept. */
static void check_retained(const struct tl_model *m)
{
	const struct tl_segstore *st = &m->segs;
	if (m->limits.max_segments && st->count > m->limits.max_segments)
		abort();
	uint32_t note = 0;
	for (uint32_t i = 0; i < st->count; i++) {
		const struct tl_seg *s = tl_segstore_get(st, i);
		if (i && s->frame <= tl_segstore_get(st, i - 1)->frame)
			abort();
		if (!tl_tracker_stream(&m->tracker, s->stream))
			abort();    /* a row of a forgotten connection */
		bool has = note < st->note_count &&
		           tl_segstore_note_at(st, note)->seg_index == i;
		if (has != (s->analysis != 0))
			abort();
		note += has;
	}
	if (note != st->note_count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	bool synthetic = data[0] & 0x80;
	int dlt = synthetic ? DLT_RAW : fuzz_dlts[(data[0] & 15) % FUZZ_DLT_COUNT];
	struct tl_options opt;
	fuzz_options(&opt, data[1]);
	static const uint32_t max_live[8] = { 0, 0, 0, 0, 1, 2, 3, 16 };
	unsigned mode = (data[0] >> 4) & 7;
	uint32_t bound = max_live[mode];
	static struct tl_model m;
	static struct fuzz_sink sink;
	tl_model_init(&m, bound == 0);
	if (bound) {
		tl_tracker_set_max_live(&m.tracker, bound);
		fuzz_sink_init(&sink, &opt);
	} else if (mode) {
		static const uint32_t segs[4] = { 0, 100, 3, 0 };
		tl_model_set_limits(&m, segs[mode], mode == 3 ? 1 : 0);
		tl_model_enable_app(&m);
	}
	size_t pos = 2;
	tl_nsec ts = INT64_C(1700000000) * TL_NSEC_PER_SEC;
	static uint8_t frame[0x10000 + 128];
	for (unsigned n = 0; n < MAX_FRAMES && pos < size; n++) {
		uint32_t caplen;
		size_t used;
		const uint8_t *src;
		if (synthetic) {
			if (!synth_frame(data + pos, size - pos, frame, &caplen,
			                 &used))
				break;
			ts += (tl_nsec)(data[pos] >> 4) * 7 * 1000000;
			src = frame;
		} else {
			if (size - pos < 3)
				break;
			caplen = (uint32_t)(data[pos] | (data[pos + 1] << 8));
			ts += (tl_nsec)(int8_t)data[pos + 2] * 1000000;
			pos += 3;
			if (caplen > size - pos)
				caplen = (uint32_t)(size - pos);
			used = caplen;
			/* An exact-size copy so reads past caplen are caught. */
			memcpy(frame, data + pos, caplen);
			src = frame;
		}
		uint8_t *exact = malloc(caplen ? caplen : 1);
		memcpy(exact, src, caplen);
		struct tl_seg seg;
		struct tl_seg_note note;
		bool has_note;
		if (tl_model_frame(&m, dlt, exact, caplen, ts, &seg, &note,
		                   &has_note) && bound)
			fuzz_sink_row(&sink, &m, &seg, has_note ? &note : NULL);
		if (!bound && mode)
			check_retained(&m);
		free(exact);
		pos += used;
	}
	if (bound)
		fuzz_sink_finish(&sink, &m);
	else
		fuzz_render_all(&m, &opt);
	tl_model_free(&m);
	return 0;
}
