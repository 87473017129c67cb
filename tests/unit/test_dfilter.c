/* Display filters: what the parser rejects, with tshark 4.0's words and
 * the offending token; and what compiled filters match on a made-up
 * segment. */
#include "config.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "tl_app.h"
#include "tl_dfilter.h"
#include "tl_model.h"

struct err_case {
	const char *filter;
	const char *message;    /* the start of the message */
	size_t pos, len;        /* the token pointed at */
};

static const struct err_case errors[] = {
	{ "tcp.port xor 1", "\"xor\" was unexpected", 9, 3 },
	{ "tcp.port == 9 ^^ tcp.len == 0", "\"^\" was unexpected", 14, 1 },
	{ "foo", "foo is neither a field nor a protocol name", 0, 3 },
	{ "foo == 1", "Left side of \"==\" expression must be a field", 0, 3 },
	{ "TCP.port == 9", "Left side of \"==\"", 0, 8 },
	{ "\"tcp\"", "\"tcp\" is neither a field", 0, 5 },
	{ "tcp.port == ", "Unexpected end of filter expression", 12, 0 },
	{ "tcp.port == 9 and", "Unexpected end of filter expression", 17, 0 },
	{ "(tcp.port == 9", "Unexpected end", 14, 0 },
	{ "tcp.port == 9)", "\")\" was unexpected", 13, 1 },
	{ "()", "\")\" was unexpected", 1, 1 },
	{ "and", "\"and\" was unexpected", 0, 3 },
	{ "tcp.port = 9", "\"=\" was unexpected", 9, 1 },
	{ "tcp.port == 9 tcp", "\"tcp\" was unexpected", 14, 3 },
	{ "tcp.port == 9x", "\"9x\" is not a valid number", 12, 2 },
	{ "tcp.stream == 0.5", "\"0.5\" is not a valid number", 14, 3 },
	{ "tcp.port == 70000", "\"70000\" too big for this field, maximum "
	  "65535", 12, 5 },
	/* ipv6.flow is 4.0's FT_UINT24: 24 bits, not rounded up to 32. */
	{ "ipv6.flow & 0x1000000", "\"0x1000000\" too big for this field, "
	  "maximum 16777215", 12, 9 },
	{ "tcp.len in {1, 5000000000}", "\"5000000000\" too big for this "
	  "field, maximum 4294967295", 15, 10 },
	{ "tcp.port == \"9\"", "Unsigned integer (2 bytes) cannot be "
	  "converted from a string", 12, 3 },
	{ "tcp.port in {9 5001}", "\"5001\" was unexpected", 15, 4 },
	{ "tcp.port in {9,}", "\"}\" was unexpected", 15, 1 },
	{ "tcp.port in {}", "\"}\" was unexpected", 13, 1 },
	{ "tcp.flags.syn == true", "\"true\" cannot be found among the "
	  "possible values for tcp.flags.syn", 17, 4 },
	{ "tcp.analysis.flags == 1", "tcp.analysis.flags (type=Label) cannot "
	  "participate in == comparison", 0, 18 },
	{ "frame.time_relative > 1s", "\"1s\" is not a valid time", 22, 2 },
	{ "ip.addr == 300.1.1.1", "\"300.1.1.1\" is not a valid hostname or "
	  "IPv4 address", 11, 9 },
	{ "ip.addr == 192.0.2.1/33", "Netmask bits in a CIDR IPv4 address "
	  "should be <= 32, not 33", 11, 12 },
	{ "tcp.port == ip.src", "tcp.port and ip.src are not of compatible "
	  "types", 12, 6 },
	{ "tcp.port contains 9", "tcp.port (type=Unsigned integer (2 bytes)) "
	  "cannot participate in contains comparison", 0, 8 },
	{ "tcp.port matches \"9\"", "tcp.port (type=Unsigned integer (2 "
	  "bytes)) cannot participate in matches", 0, 8 },
	{ "tcp.flags.str matches \"[\"", "Regex compilation error", 22, 3 },
	{ "tcp.flags.ack & 1", "FT_BOOLEAN cannot &", 0, 13 },
	{ "tcp.flags.str == \"abc", "The string starting here is not closed",
	  17, 4 },
	/* 4.0's slices, functions and arithmetic. */
	{ "tcp.port[0] == 0", "\"tcp.port\" is a Unsigned integer (2 bytes) "
	  "and cannot be sliced", 0, 8 },
	{ "ip.src[a] == 1", "\"a\" is not a valid number", 7, 1 },
	{ "tcp.payload[0:", "The right bracket was missing from a slice",
	  14, 0 },
	{ "foo(tcp.port) == 1", "Function 'foo' does not exist", 0, 3 },
	{ "len() == 1", "Function len needs at least 1 arguments", 0, 3 },
	{ "count(1) == 1", "Only fields can be used as parameter for count()",
	  0, 13 },
	{ "upper(tcp.port) == \"A\"", "Only string type fields can be used "
	  "as parameter for upper()", 0, 22 },
	{ "abs(tcp.flags.str) > 1", "'tcp.flags.str' is not a valid argument "
	  "to 'abs'()", 0, 22 },
	{ "max(tcp.srcport, ip.src) == 1", "Arguments to 'max' must have the "
	  "same type", 0, 29 },
	{ "string(tcp.flags.syn) == \"1\"", "String conversion for field "
	  "\"tcp.flags.syn\" is not supported", 0, 28 },
	{ "tcp.flags.str + 1 == 2", "FT_STRING cannot +.", 0, 22 },
	{ "tcp.len + == 1", "\"==\" was unexpected", 10, 2 },
	{ "tcp.len-1 == 1", "Left side of \"==\" expression must be a field "
	  "or function, not tcp.len-1", 0, 9 },
	{ "ip.src#x == 1.1.1.1", "\"x\" was unexpected", 7, 1 },
	/* Protocols named alone: 4.0's names only. */
	{ "vlann", "vlann is neither a field nor a protocol name", 0, 5 },
	{ "tcp and Eth", "Eth is neither a field nor a protocol name", 8, 3 },
	{ "capwap.dat", "capwap.dat is neither a field", 0, 10 },
	/* HTTP's fields have 4.0's types. */
	{ "http.response.code == \"200\"", "Unsigned integer (2 bytes) "
	  "cannot be converted from a string", 22, 5 },
	{ "http.request.method in {\"GET\" \"HEAD\"}", "\"\"HEAD\"\" was "
	  "unexpected", 30, 6 },
	{ "http.response.code == 2OO", "\"2OO\" is not a valid number", 22,
	  3 },
	/* Found by tests/filter-fuzz.py against libwireshark 4.0. */
	{ "tcp.port == 0b2", "\"0b2\" is not a valid number", 12, 3 },
	{ "tcp.port == 'ab'", "'ab' is not a valid character constant", 12,
	  4 },
	{ "tcp.port == ''", "Empty character constant", 12, 2 },
	{ "tcp.port == '\\777'", "'\\777' is too large", 12, 6 },
	{ "tcp.flags.str == \"\\u00\"", "\\u00 is not a valid universal "
	  "character name", 18, 4 },
	{ "tcp.flags.str == \"\\ud800\"", "\\ud800 is not a valid", 18, 6 },
	{ "tcp.hdr_len == -256", "\"256\" too big for this field, maximum "
	  "255", 16, 3 },
	{ "tcp.ack_raw == -2147483648", "2147483648: 2147483648 overflows "
	  "gint32", 16, 10 },
	{ "tcp.window_size_scalefactor == 2147483648", "\"2147483648\" too "
	  "big for this field, maximum 2147483647", 31, 10 },
	{ "tcp.flags.str == -1", "FT_STRING cannot -.", 17, 1 },
	{ "tcp.flags.syn == -1", "FT_BOOLEAN cannot -.", 17, 1 },
	{ "frame.time_relative == 0.1234567891", "\"0.1234567891\" is not a "
	  "valid time", 23, 12 },
	{ "eth.src == 1", "\"1\" contains too few bytes to be a valid "
	  "Ethernet address", 11, 1 },
	{ "eth.src == \"00:11:22:33:44:55\"", "Ethernet or other MAC address "
	  "cannot be converted from a string", 11, 19 },
	{ "frame.time > 0", "\"0\" is not a valid absolute time", 13, 1 },
	{ "udp.port contains \"a\"", "udp.port (type=Unsigned integer (2 "
	  "bytes)) cannot participate in contains comparison", 0, 8 },
	{ "tcp.analysis.tfo_syn == 1", "tcp.analysis.tfo_syn (type=Label) "
	  "cannot participate in == comparison", 0, 20 },
	{ "tcp.options > data", "tcp.options and data are not of compatible "
	  "types", 14, 4 },
	{ "tcp.flags.syn == tcp.port", "tcp.flags.syn and tcp.port are not of "
	  "compatible types", 17, 8 },
	{ "ip & 1", "FT_PROTOCOL cannot &", 0, 2 },
	{ "tcp.options == 1:2", "\"1:2\" is not a valid byte string", 15, 3 },
	{ "frame == 0xfff", "\"0xfff\" is not a valid byte string", 9, 5 },
	{ "tcp.port == ${ip.idx}", "macro 'ip.idx' does not exist", 0, 0 },
	{ "tcp.len == ${tcp.analysis.flags}", "macro 'tcp.analysis.flags' does "
	  "not exist", 0, 0 },
	{ "${ip.id}", "ip.id is neither a field nor a protocol name", 2, 5 },
	{ ".foo", "\"foo\" is not a valid protocol or protocol field", 0, 4 },
	{ "tcp.port# 1", "Expected digit or \"[\", not \" \"", 9, 1 },
	{ "abs(tcp.len)", "You cannot test whether a function is present", 0,
	  12 },
	{ "ip.addr[:0] == 01", "Range :0 isn't valid because length 0 isn't "
	  "positive", 8, 2 },
	{ "tcp.len + frame.time_relative > 1", "FT_INT64 and FT_RELATIVE_TIME "
	  "are not of compatible types", 0, 33 },
	{ "ip.ttl bitwise_and 'a'", "'a' is not a valid arithmetic operand",
	  19, 3 },
	{ "ip.flags.df == true", "\"true\" cannot be found among the possible "
	  "values for ip.flags.df", 15, 4 },
	{ "frame.time_relative > 1.2:3", "\"1.2:3\" is not a valid time", 22,
	  5 },
	{ "-443 -443 any_eq tcp.len", "Constant arithmetic expression on the "
	  "LHS is invalid", 0, 9 },
	{ "http.host contains frame.time_relative", "http.host and "
	  "frame.time_relative are not of compatible types", 19, 19 },
};

static void test_errors(void)
{
	for (size_t i = 0; i < CHECK_COUNT(errors); i++) {
		const struct err_case *e = &errors[i];
		char err[256] = "";
		size_t pos = 99, len = 99;
		check_context = e->filter;
		struct tl_dfilter *df = tl_dfilter_compile(e->filter, err,
		                                           sizeof err, &pos, &len);
		CHECK(df == NULL);
		tl_dfilter_free(df);
		CHECK_MSG(!strncmp(err, e->message, strlen(e->message)),
		          "message '%s'", err);
		CHECK_MSG(!strchr(err, '\n'), "one line: '%s'", err);
		CHECK_MSG(pos == e->pos && len == e->len, "points at %zu+%zu, "
		          "not %zu+%zu", pos, len, e->pos, e->len);
	}
	check_context = NULL;
}

/* A SYN from 192.0.2.1:41003 to 192.0.2.2:9 with MSS and SACK-permitted,
 * fed through the model so every field has its value. */
static const uint8_t syn_frame[] = {
	0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00,
	0x45, 0, 0, 48, 0, 1, 0, 0, 64, 6, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
	0xa0, 0x2b, 0, 9, 0xce, 0xc0, 0x5b, 0x56, 0, 0, 0, 0, 0x70, 0x02,
	0xfa, 0xf0, 0x45, 0xe0, 0, 0, 2, 4, 0x05, 0xb4, 4, 2, 0, 0,
};

static bool matches(struct tl_model *m, const char *filter)
{
	char err[256];
	struct tl_dfilter *df = tl_dfilter_compile(filter, err, sizeof err,
	                                           NULL, NULL);
	CHECK_MSG(df != NULL, "%s: %s", filter, err);
	if (!df)
		return false;
	struct tl_fctx c = { .m = m, .data = syn_frame,
	                     .caplen = sizeof syn_frame,
	                     .len = sizeof syn_frame, .frame = 1,
	                     .ts = m->last_ts };
	bool r = tl_dfilter_match(df, &c);
	tl_dfilter_free(df);
	return r;
}

static void test_matching(void)
{
	struct tl_model m;
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	tl_model_init(&m, false);
	CHECK(tl_model_frame(&m, 1, syn_frame, sizeof syn_frame,
	                     INT64_C(1000000000), &seg, &note, &has_note));
	static const struct { const char *f; bool want; } cases[] = {
		{ "tcp.flags.syn == 1 and tcp.flags.ack == 0", true },
		{ "tcp.flags.syn", true },
		{ "tcp.flags.ack", true },      /* present, though 0 */
		{ "tcp.flags.ack == 1", false },
		{ "tcp.flags.syn == True", true },
		{ "tcp.flags.syn == 2", true },
		{ "tcp.port == 9", true },
		{ "tcp.port != 9", false },     /* all not equal */
		{ "tcp.port ~= 9", true },      /* any not equal */
		{ "tcp.port !== 9", true },
		{ "tcp.port === 9", false },
		{ "tcp.port in {80, 443, 9}", true },
		{ "tcp.port in {1..8}", false },
		{ "tcp.port not in {1..8}", true },
		{ "tcp.srcport > tcp.dstport", true },
		{ "ip.addr == 192.0.2.0/24", true },
		{ "ip.src == 192.0.2.2", false },
		{ "ip.addr == 192.0.2.2", true },
		{ "tcp.flags & 0x02", true },
		{ "tcp.flags & 0x12 == 0x12", false },
		{ "tcp.options.mss_val == 1460", true },
		{ "tcp.options.wscale.shift != 7", false },  /* absent */
		{ "tcp.options.sack_perm", true },
		{ "tcp.options.sack_perm == 1", false },
		{ "tcp.options.sack_perm == 04:02", true },
		{ "tcp.flags.str contains \"S\"", true },
		{ "tcp.flags.str matches \"s\"", true },     /* caseless */
		{ "tcp.flags.str matches \"^S\"", false },
		{ "tcp.analysis.flags", false },
		{ "!tcp.analysis.flags && tcp", true },
		{ "frame.time_relative == 0", true },
		{ "tcp.seq == -1", false },
		{ "http", false },
		{ "ip && !ipv6", true },
		{ "tcp.port == 9 or tcp.port == 10 and tcp.len > 0", true },
		{ "(tcp.port == 9 or tcp.port == 10) and tcp.len > 0", false },
		/* 4.0's literals and forms tests/filter-fuzz.py found. */
		{ "", true },
		{ "  ", true },
		{ "tcp.port == 0b1001", true },
		{ "tcp.port == 0b", false },
		{ "tcp.flags == '\\x02'", true },
		{ "tcp.flags.str == \"\\u00b7\\u00b7\\u00b7\\u00b7\\u00b7\\u00b7"
		  "\\u00b7\\u00b7\\u00b7\\u00b7S\\u00b7\"", true },
		{ "tcp.flags.syn == Set", true },
		{ "tcp.flags.ack == \"Not set\"", true },
		{ "tcp.port bitwise_and 3 == 1", true },
		{ "tcp.hdr_len == -255", false },
		{ "+tcp.seq == 0", true },
		{ "tcp.len -1 == -1", true },
		{ "tcp.len == ${tcp.len}", false },     /* no selected frame */
		{ "tcp.len != ${tcp.len}", false },
		{ ".tcp.port == 9", true },
		{ "len (tcp.options.sack_perm) == 2", true },
		{ "tcp.options.sack_perm > 04:01", true },
		{ "tcp.options.sack_perm & 04:00", true },
		{ "tcp.srcport > tcp.flags.syn", true },
		{ "max(tcp.flags.str) == tcp.flags.str", true },
		{ "eth.src == 00:01:02:03:04:06", false },  /* not held */
		{ "not eth.src == 00:01:02:03:04:06", true },
		{ "udp.port not in {53}", true },
		/* and what they select, as tshark -Y does. */
		{ "tcp.srcport + 0", true },            /* not zero */
		{ "tcp.len * 1", false },
		{ "-tcp.len", false },
		{ "tcp.port > -7", false },             /* incomparable */
		{ "tcp.port ~= -7", false },
		{ "tcp.port != -7", true },
		{ "tcp.port in {-7, 1}", false },
		{ "eth.src", true },                    /* with its header */
		{ "ip.dsfield and ip.flags", true },
		{ "ipv6.tclass", false },
		{ "frame.protocols", true },
		{ "tcp[0:2,13] == a0:2b:02", true },     /* ranges end to end */
		{ "tcp.options.sack_perm[1,0] == 02:04", true },
		{ "tcp.options.sack_perm[1,0] == 04:02", false },
		{ "tcp.options.sack_perm[0,9]", false },  /* past the end */
		{ "frame.time_relative == 0.0.5", true },  /* 4.0 stops at .5 */
		{ "tcp.srcport & tcp.dstport", true },     /* 41003 & 9 */
		{ "tcp.srcport & tcp.len", false },
		{ "tcp.options.nop", false },            /* none */
		{ "tcp.options.eol", true },             /* kind 0 */
		{ "ip ne 10", true },                    /* the header's bytes */
		{ "ip > 45", true },
		{ "tcp.port === -7", true },             /* not any ~= */
		{ "tcp.options.sack_perm < 05", false }, /* longer first */
		{ "tcp.options.sack_perm > ff", true },
	};
	for (size_t i = 0; i < CHECK_COUNT(cases); i++)
		CHECK_MSG(matches(&m, cases[i].f) == cases[i].want, "%s: %s",
		          cases[i].f, cases[i].want ? "no match" : "matched");
	tl_model_free(&m);
}

/* The view's predicate over retained segments: what the record keeps. */
static void test_retained(void)
{
	struct tl_model m;
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	tl_model_init(&m, true);
	CHECK(tl_model_frame(&m, 1, syn_frame, sizeof syn_frame,
	                     INT64_C(1000000000), &seg, &note, &has_note));
	CHECK_UINT(m.segs.count, 1);
	static const struct { const char *f; bool want; } cases[] = {
		{ "tcp.flags.syn == 1 and tcp.flags.ack == 0", true },
		{ "tcp.port == 9 && ip.src == 192.0.2.1", true },
		{ "ip.dst == 192.0.2.1", false },
		{ "tcp.stream == 0 and frame.number == 1", true },
		{ "tcp.len == 0 and tcp.seq == 0 and tcp.nxtseq == 1", true },
		{ "tcp.window_size == 64240", true },
		{ "tcp.analysis.flags", false },
		{ "tcp.options.mss_val", false },       /* not kept */
		{ "ipv6", false },
	};
	char err[256];
	for (size_t i = 0; i < CHECK_COUNT(cases); i++) {
		struct tl_dfilter *df = tl_dfilter_compile(cases[i].f, err,
		                                           sizeof err, NULL, NULL);
		CHECK_MSG(df != NULL, "%s: %s", cases[i].f, err);
		if (df)
			CHECK_MSG(tl_dfilter_match_seg(df, &m, 0) == cases[i].want,
			          "%s", cases[i].f);
		tl_dfilter_free(df);
	}
	tl_model_free(&m);
}

/* A request in one segment from 192.0.2.1:41003 to 192.0.2.2:80 (no
 * handshake seen): its http.* fields, with the HTTP reader on. */
static void test_http(void)
{
	static const char req[] = "GET /files/1KB?x=1 HTTP/1.1\r\n"
	                          "Host:  example.com\r\n"
	                          "User-Agent: t/1\r\n"
	                          "Content-Length: 0\r\n\r\n";
	uint8_t f[sizeof syn_frame + sizeof req];
	size_t plen = sizeof req - 1, n = 14 + 20 + 20 + plen;
	memcpy(f, syn_frame, 14 + 20 + 20);
	f[14 + 2] = (uint8_t)((n - 14) >> 8);
	f[14 + 3] = (uint8_t)(n - 14);
	f[34 + 2] = 0;
	f[34 + 3] = 80;
	f[34 + 12] = 0x50;
	f[34 + 13] = 0x18;      /* PSH, ACK */
	memcpy(f + 54, req, plen);
	struct tl_model m;
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	tl_model_init(&m, false);
	tl_model_enable_app(&m);
	tl_app_want_http(m.app);
	CHECK(tl_model_frame(&m, 1, f, (uint32_t)n, INT64_C(1000000000), &seg,
	                     &note, &has_note));
	static const struct { const char *f; bool want; } cases[] = {
		{ "http", true },
		{ "http.request && !http.response", true },
		{ "http.request.method == \"GET\"", true },
		{ "http.request.method == \"get\"", false },
		{ "http.request.uri contains \"files\"", true },
		{ "http.request.uri == \"/files/1KB?x=1\"", true },
		{ "http.request.version == \"HTTP/1.1\"", true },
		{ "http.host == \"example.com\"", true },
		{ "http.content_length == 0", true },
		{ "http.user_agent == \"t/1\"", true },
		{ "http.server", false },
		{ "http.response.code", false },
		{ "http matches \"^GET /files\"", true },
		{ "http contains \"Host:\"", true },
	};
	char err[256];
	for (size_t i = 0; i < CHECK_COUNT(cases); i++) {
		struct tl_dfilter *df = tl_dfilter_compile(cases[i].f, err,
		                                           sizeof err, NULL, NULL);
		CHECK_MSG(df != NULL, "%s: %s", cases[i].f, err);
		if (!df)
			continue;
		CHECK_MSG(tl_dfilter_wants_http(df), "%s", cases[i].f);
		struct tl_fctx c = { .m = &m, .data = f, .caplen = (uint32_t)n,
		                     .len = (uint32_t)n, .frame = 1,
		                     .ts = m.last_ts };
		CHECK_MSG(tl_dfilter_match(df, &c) == cases[i].want, "%s",
		          cases[i].f);
		tl_dfilter_free(df);
	}
	/* TCP fields alone do not start the HTTP reader. */
	struct tl_dfilter *df = tl_dfilter_compile("tcp.port == 80", err,
	                                           sizeof err, NULL, NULL);
	CHECK(df && !tl_dfilter_wants_http(df));
	tl_dfilter_free(df);
	tl_model_free(&m);
}

/* Segment k of a made-up exchange: connection conn (client 192.0.2.1+conn
 * port 40000+conn, server 192.0.2.100 port 9 or 80), from the server when
 * back; flags SYN, ACK, PSH|ACK in turn. */
static uint32_t exchange_frame(uint8_t *f, unsigned conn, bool back,
                               unsigned k)
{
	memcpy(f, syn_frame, sizeof syn_frame);
	uint8_t *ip = f + 14, *th = ip + 20;
	uint8_t client = (uint8_t)(1 + conn), server = 100;
	uint16_t cport = (uint16_t)(40000 + conn), sport = conn % 2 ? 80 : 9;
	ip[15] = back ? server : client;
	ip[19] = back ? client : server;
	uint16_t src = back ? sport : cport, dst = back ? cport : sport;
	th[0] = (uint8_t)(src >> 8); th[1] = (uint8_t)src;
	th[2] = (uint8_t)(dst >> 8); th[3] = (uint8_t)dst;
	uint32_t seq = 1000u * k;
	for (int i = 0; i < 4; i++)
		th[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
	static const uint8_t flags[] = { 0x02, 0x10, 0x18 };
	th[13] = flags[k % 3];
	return sizeof syn_frame;
}

/* The view's memo (answers per stream and direction) never answers
 * otherwise than a filter worked out afresh for that one segment. */
static void test_memo(void)
{
	static const char *const filters[] = {
		"tcp.port == 80",
		"ip.src == 192.0.2.100 and tcp.flags.push == 1",
		"tcp.srcport == 9 or tcp.flags.syn == 1",
		"not ip.addr == 192.0.2.2 && tcp.stream in {1, 3}",
		"tcp.dstport == tcp.srcport or ip.dst == 192.0.2.0/30",
		"tcp.port > 40001 and not (tcp.flags.ack == 1 or ip.src == "
		"192.0.2.100)",
		"!(tcp.stream == 2) && ip",
		"tcp.flags.syn == 1 and tcp.flags.ack == 0",
		"tcp.flags & 0x12 == 0x10 and tcp.port == 9",
		"tcp.flags.push == 1 || tcp.flags.fin == 1 || ip.src == 192.0.2.3",
		"not tcp.flags.ack == 1 and tcp.len == 0",
	};
	struct tl_model m;
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	uint8_t f[sizeof syn_frame];
	unsigned from_server = 0;
	tl_model_init(&m, true);
	for (unsigned k = 0; k < 12; k++)
		for (unsigned c = 0; c < 5; c++) {
			bool back = (k + c) % 2;
			uint32_t n = exchange_frame(f, c, back, k);
			if (tl_model_frame(&m, 1, f, n,
			                   INT64_C(1000000000) + k * 1000 + c,
			                   &seg, &note, &has_note))
				from_server += back;
		}
	CHECK(m.segs.count >= 50);
	char err[256];
	for (size_t i = 0; i < CHECK_COUNT(filters); i++) {
		struct tl_dfilter *df = tl_dfilter_compile(filters[i], err,
		                                           sizeof err, NULL,
		                                           NULL);
		CHECK_MSG(df != NULL, "%s: %s", filters[i], err);
		if (!df)
			continue;
		unsigned hits = 0;
		for (int round = 0; round < 2; round++)
			for (uint32_t j = 0; j < m.segs.count; j++) {
				struct tl_dfilter *fresh = tl_dfilter_compile(
					filters[i], err, sizeof err, NULL, NULL);
				bool want = tl_dfilter_match_seg(fresh, &m, j);
				bool got = tl_dfilter_match_seg(df, &m, j);
				CHECK_MSG(got == want, "%s: segment %u (round %d)",
				          filters[i], j, round);
				hits += got;
				tl_dfilter_free(fresh);
			}
		CHECK_MSG(hits > 0 && hits < 2 * m.segs.count,
		          "%s: %u of %u", filters[i], hits, 2 * m.segs.count);
		tl_dfilter_free(df);
	}
	struct tl_dfilter *df = tl_dfilter_compile("ip.src == 192.0.2.100",
	                                           err, sizeof err, NULL, NULL);
	unsigned hits = 0;
	for (uint32_t j = 0; j < m.segs.count; j++)
		hits += tl_dfilter_match_seg(df, &m, j);
	CHECK_UINT(hits, from_server);
	tl_dfilter_free(df);
	tl_model_free(&m);
}

/* syn_frame with a VLAN tag (vlan), or inside VXLAN (udp_vxlan): an
 * outer Ethernet, IPv4 and UDP header to port 4789, the VXLAN header. */
static uint32_t wrapped_frame(uint8_t *f, bool vlan, bool udp_vxlan)
{
	uint32_t n = 0;
	if (udp_vxlan) {
		static const uint8_t outer[] = {
			0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00,
			0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0,
			198, 51, 100, 1, 198, 51, 100, 2,
			0x30, 0x39, 0x12, 0xb5, 0, 0, 0, 0,
			0x08, 0, 0, 0, 0, 0, 1, 0,
		};
		memcpy(f, outer, sizeof outer);
		n = sizeof outer;
		uint32_t ip_len = 20 + 8 + 8 + sizeof syn_frame;
		f[16] = (uint8_t)(ip_len >> 8);
		f[17] = (uint8_t)ip_len;
		f[38] = (uint8_t)((ip_len - 20) >> 8);
		f[39] = (uint8_t)(ip_len - 20);
	}
	memcpy(f + n, syn_frame, 12);
	n += 12;
	if (vlan) {
		static const uint8_t tag[] = { 0x81, 0x00, 0x00, 0x0a };
		memcpy(f + n, tag, sizeof tag);
		n += sizeof tag;
	}
	memcpy(f + n, syn_frame + 12, sizeof syn_frame - 12);
	return n + (uint32_t)(sizeof syn_frame - 12);
}

/* Protocols named alone are present when the frame had them: the last
 * frame's decoded packet (streaming), a retained row's kept protocols
 * (the view), also once rows were let go. */
static void test_protocols(void)
{
	static const struct { bool vlan, vxlan; const char *f; bool want; }
	cases[] = {
		{ false, false, "eth", true },
		{ false, false, "udp", false },
		{ false, false, "vlan", false },
		{ false, false, "eth && ip && !vlan && !udp", true },
		{ false, false, "ethertype", false },   /* 4.0: no item */
		{ false, false, "sll or null or gre or mpls", false },
		{ true, false, "vlan", true },
		{ true, false, "eth && vlan && !ieee8021ad", true },
		{ false, true, "udp && vxlan && eth", true },
		{ false, true, "gre || geneve || vlan", false },
		{ true, true, "vlan && udp", true },
	};
	uint8_t f[128];
	char err[256];
	for (size_t i = 0; i < CHECK_COUNT(cases); i++) {
		struct tl_model m;
		struct tl_seg seg;
		struct tl_seg_note note;
		bool has_note;
		uint32_t n = wrapped_frame(f, cases[i].vlan, cases[i].vxlan);
		check_context = cases[i].f;
		tl_model_init(&m, true);
		CHECK(tl_model_frame(&m, 1, f, n, INT64_C(1000000000), &seg,
		                     &note, &has_note));
		struct tl_dfilter *df = tl_dfilter_compile(cases[i].f, err,
		                                           sizeof err, NULL, NULL);
		CHECK_MSG(df != NULL, "%s", err);
		if (df) {
			struct tl_fctx c = { .m = &m, .data = f, .caplen = n,
			                     .len = n, .frame = 1,
			                     .ts = m.last_ts };
			CHECK_MSG(tl_dfilter_match(df, &c) == cases[i].want,
			          "streaming");
			CHECK_MSG(tl_dfilter_match_seg(df, &m, 0) ==
			          cases[i].want, "retained");
		}
		tl_dfilter_free(df);
		tl_model_free(&m);
	}
	check_context = NULL;

	/* Rows of one connection, tagged or not in a pattern (runs of
	 * different lengths); then rows let go (a bound on the rows): each
	 * row kept still answers for its own frame. */
	struct tl_model m;
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	tl_model_init(&m, true);
	struct tl_dfilter *vlan = tl_dfilter_compile("vlan", err, sizeof err,
	                                             NULL, NULL);
	struct tl_dfilter *udp = tl_dfilter_compile("udp", err, sizeof err,
	                                            NULL, NULL);
	CHECK(vlan && udp);
	if (!vlan || !udp)
		return;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			tl_model_set_limits(&m, 40, 0);
		for (unsigned k = 0; k < 120; k++) {
			bool tagged = (k / 3) % 2 || k % 7 == 0;
			uint32_t n = wrapped_frame(f, tagged, k % 11 == 5);
			uint8_t *th = f + n - 28;   /* the TCP header */
			th[7] = (uint8_t)k;     /* a new seq: no retransmission */
			tl_model_frame(&m, 1, f, n, INT64_C(1000000000) + k,
			               &seg, &note, &has_note);
		}
		CHECK(m.segs.count > 0);
		if (pass == 1)
			CHECK_MSG(m.segs.count <= 40, "%u rows kept",
			          m.segs.count);
		for (uint32_t j = 0; j < m.segs.count; j++) {
			uint32_t k = (tl_segstore_get(&m.segs, j)->frame - 1) % 120;
			bool tagged = (k / 3) % 2 || k % 7 == 0;
			CHECK_MSG(tl_dfilter_match_seg(vlan, &m, j) == tagged,
			          "row %u (frame %u): vlan", j,
			          tl_segstore_get(&m.segs, j)->frame);
			CHECK_MSG(tl_dfilter_match_seg(udp, &m, j) ==
			          (k % 11 == 5), "row %u: udp", j);
		}
	}
	tl_dfilter_free(vlan);
	tl_dfilter_free(udp);
	tl_model_free(&m);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_protocols),
	CHECK_TEST(test_memo),
	CHECK_TEST(test_retained),
	CHECK_TEST(test_errors),
	CHECK_TEST(test_matching),
	CHECK_TEST(test_http),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}
