/* Command line: every option, its help line and its checks. */
#include "config.h"

#include "tl_options.h"

#include "tl_dfilter.h"
#include "tl_fields.h"
#include "tl_keys.h"
#include "tl_util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
"Usage: tcpladder [OPTIONS] [-r FILE | -i IF] [FILTER EXPRESSION...]\n"
"Draw a Wireshark-style TCP flow graph (ladder diagram) in the terminal.\n"
"\n"
"Input:\n"
"  -r, --read FILE        read a pcap or pcapng file ('-' for standard input)\n"
"  -i, --interface IF     capture live from IF (needs root or CAP_NET_RAW)\n"
"  -f, --filter EXPR      BPF filter, as in tcpdump (or give it after the options)\n"
"  -c, --count N          stop after N packets\n"
"      --max-connections N  connections text and tsv track at once\n"
"                         (default 262144); past that, the one idle longest\n"
"                         is forgotten\n"
"  -s, --snaplen N        bytes captured per packet (default 262144)\n"
"  -B, --buffer-size KiB  kernel capture buffer (default 32768 KiB); what\n"
"                         the kernel drops is marked on the ladder\n"
"  -p, --no-promiscuous-mode  do not put the interface in promiscuous mode\n"
"  -w, --write FILE       also save every captured packet to a pcap file\n"
"                         (published at the end, never over a file, a link\n"
"                         or a device; exit status 4 if a write fails)\n"
"      --force            let -w replace an existing regular file\n"
"  -Z, --user USER        drop privileges to USER once the device or file is\n"
"                         open (default: the user who ran sudo, if any)\n"
"      --no-drop          keep root privileges\n"
"\n"
"Output:\n"
"  -T, --output FORMAT    ui (full screen, default on a terminal that can\n"
"                         address the cursor), text (the ladder as text,\n"
"                         default otherwise, as with TERM=dumb), tsv\n"
"                         (the segment table: one row per TCP segment),\n"
"                         fields (the -e fields, as tshark -T fields)\n"
"                         or svg, html (a picture of the ladder for slides,\n"
"                         the payload of the connection shown under it;\n"
"                         html adds the segment table and hover details)\n"
"                         or sender (the sender model per segment: cwnd,\n"
"                         ssthresh, ca_state, phase, RTO, retransmission\n"
"                         cause)\n"
"      --cc NAME          the congestion control the sender model replays:\n"
"                         cubic (default, Linux's) or reno\n"
"      --graph KIND       with svg or html: ladder (default), tsg (sequence\n"
"                         numbers over time) or flight (bytes in flight)\n"
"      --rows N           with svg or html: at most N rows per picture\n"
"                         (default 1000, at most 20000)\n"
"      --page K           with svg or html: rows (K-1)*N+1 to K*N\n"
"  -e FIELD               with -T fields: a Wireshark field to print, as\n"
"                         tshark -e (repeatable; see tcpladder(1) for the list)\n"
"  -E KEY=VALUE           with -T fields, as tshark -E: header=y|n,\n"
"                         separator=/t|/s|C, occurrence=f|l|a,\n"
"                         aggregator=,|/s|C, quote=d|s|n\n"
"  -Y, --display-filter F show only the segments Wireshark's display filter F\n"
"                         selects (tshark 4.0's language: tcp.flags.syn == 1\n"
"                         and tcp.analysis.flags, ip.addr == 10.0.0.0/8 ...);\n"
"                         in the view, its rows and connections (f clears)\n"
"  -S, --stream N         show connection N only (tcp.stream); repeatable,\n"
"                         or a list like 0,3,5\n"
"  -z follow,tcp,MODE,N  after the rest, connection N's payload as tshark\n"
"                         -z follow prints it (MODE ascii, hex or raw; N\n"
"                         also ADDR:PORT,ADDR:PORT, IPv6 as [ADDR]:PORT);\n"
"                         repeatable\n"
"  -q, --quiet            print only the -z sections\n"
"      --by-host          one column per address instead of address:port\n"
"      --absolute         absolute sequence numbers (default: relative)\n"
"  -t, --time FORMAT      r: seconds since the first packet (default),\n"
"                         d: since the previous row, a: time of day\n"
"      --width N          text width (default: terminal, then COLUMNS, then 120);\n"
"                         no -T text line is wider (from 60 up): labels wrap\n"
"      --ascii            plain ASCII instead of UTF-8 box drawing\n"
"      --no-color         no colors (so does the NO_COLOR variable)\n"
"      --theme NAME       dark (default), light or projector (high contrast,\n"
"                         bold); each paints its own background\n"
"      --replay[=SPEED]   draw a file at its original pace times SPEED\n"
"      --max-segments N   the full-screen view keeps at most N segments; past\n"
"                         that, the oldest closed connections go first, then\n"
"                         the oldest rows; open connections stay (the status\n"
"                         line says so, and when N is too small for them)\n"
"      --max-memory SIZE  the same for the memory it keeps: 512M, 2G...\n"
"                         (default: a quarter of the RAM; 0: no limit)\n"
"      --step             wait for a key before each segment (with the UI)\n"
"  -h, --help             this help\n"
"  -V, --version          version\n"
"\n"
"Examples:\n"
"  tcpladder -r lab.pcapng\n"
"  tcpladder -r big.pcap -T tsv > segments.tsv\n"
"  sudo tcpladder -i veth0 tcp port 9\n"
"  tcpladder -r http.pcap -S 2 -T text --width 140\n"
"  tcpladder -r lab.pcap -S 0 -T svg > stream0.svg\n"
"  tcpladder -r http.pcap -q -z follow,tcp,ascii,0\n"
"  tcpladder -r lab.pcap -Y 'tcp.analysis.retransmission' -T tsv\n"
"  tcpladder -r lab.pcap -T fields -e frame.number -e tcp.analysis.ack_rtt\n";

enum {
	OPT_FORCE = 256, OPT_BY_HOST, OPT_ABSOLUTE, OPT_WIDTH, OPT_ASCII,
	OPT_NO_COLOR, OPT_THEME, OPT_REPLAY, OPT_STEP, OPT_NO_DROP,
	OPT_GRAPH, OPT_ROWS, OPT_PAGE, OPT_CC,
	OPT_MAX_CONNECTIONS, OPT_MAX_SEGMENTS, OPT_MAX_MEMORY,
};

static const struct option long_options[] = {
	{ "read", required_argument, NULL, 'r' },
	{ "interface", required_argument, NULL, 'i' },
	{ "filter", required_argument, NULL, 'f' },
	{ "count", required_argument, NULL, 'c' },
	{ "max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS },
	{ "max-segments", required_argument, NULL, OPT_MAX_SEGMENTS },
	{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
	{ "snaplen", required_argument, NULL, 's' },
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "no-promiscuous-mode", no_argument, NULL, 'p' },
	{ "write", required_argument, NULL, 'w' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "user", required_argument, NULL, 'Z' },
	{ "no-drop", no_argument, NULL, OPT_NO_DROP },
	{ "output", required_argument, NULL, 'T' },
	{ "stream", required_argument, NULL, 'S' },
	{ "by-host", no_argument, NULL, OPT_BY_HOST },
	{ "absolute", no_argument, NULL, OPT_ABSOLUTE },
	{ "time", required_argument, NULL, 't' },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "replay", optional_argument, NULL, OPT_REPLAY },
	{ "step", no_argument, NULL, OPT_STEP },
	{ "graph", required_argument, NULL, OPT_GRAPH },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "page", required_argument, NULL, OPT_PAGE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "display-filter", required_argument, NULL, 'Y' },
	{ "cc", required_argument, NULL, OPT_CC },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", tl_progname());
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help' for the options.\n", tl_progname());
	exit(2);
}

static long parse_number(const char *s, long min, long max, const char *what)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s must be a number from %ld to %ld, "
		         "not '%%s'", what, min, max);
		usage_error(msg, s);
	}
	return v;
}

static void add_streams(struct tl_options *opt, const char *list)
{
	char *copy = tl_xstrdup(list), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		long v = parse_number(tok, 0, UINT32_MAX - 1, "-S");
		opt->streams = tl_xrealloc(opt->streams, opt->stream_count + 1,
		                           sizeof *opt->streams);
		opt->streams[opt->stream_count++] = (uint32_t)v;
	}
	free(copy);
}

static void add_follow(struct tl_options *opt, const char *arg)
{
	char err[256];
	struct tl_follow_spec spec;
	if (!tl_follow_spec_parse(&spec, arg, err, sizeof err))
		usage_error("%s", err);
	opt->follows = tl_xrealloc(opt->follows, opt->follow_count + 1,
	                           sizeof *opt->follows);
	opt->follows[opt->follow_count++] = spec;
}

static enum tl_output parse_output(const char *s)
{
	if (!strcmp(s, "text")) return TL_OUT_TEXT;
	if (!strcmp(s, "tsv")) return TL_OUT_TSV;
	if (!strcmp(s, "svg")) return TL_OUT_SVG;
	if (!strcmp(s, "html")) return TL_OUT_HTML;
	if (!strcmp(s, "fields")) return TL_OUT_FIELDS;
	if (!strcmp(s, "sender")) return TL_OUT_SENDER;
	if (!strcmp(s, "ui") || !strcmp(s, "curses")) return TL_OUT_UI;
	usage_error("unknown output format '%s' (use ui, text, tsv, fields, "
	            "sender, svg or html)", s);
}

static enum tl_time_format parse_time(const char *s)
{
	if (!strcmp(s, "r")) return TL_TIME_RELATIVE;
	if (!strcmp(s, "d")) return TL_TIME_DELTA;
	if (!strcmp(s, "a") || !strcmp(s, "ad")) return TL_TIME_ABSOLUTE;
	usage_error("unknown time format '%s' (use r, d or a)", s);
}

static double parse_speed(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v > 0) || v > 1e6)
		usage_error("--replay speed must be a positive number, not '%s'",
		            s);
	return v;
}

static void join_filter(struct tl_options *opt, int argc, char **argv)
{
	size_t n = 1;
	for (int i = optind; i < argc; i++)
		n += strlen(argv[i]) + 1;
	opt->filter_storage = tl_xmalloc(n);
	opt->filter_storage[0] = '\0';
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strcat(opt->filter_storage, " ");
		strcat(opt->filter_storage, argv[i]);
	}
	opt->cap.filter = opt->filter_storage;
}

/* "512M", "2G", "1.5G", "65536K", "0": bytes, binary units. */
static uint64_t parse_size(const char *s, const char *what)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	double unit = 1;
	switch (*end) {
	case 'k': case 'K': unit = 1024.0; end++; break;
	case 'm': case 'M': unit = 1048576.0; end++; break;
	case 'g': case 'G': unit = 1073741824.0; end++; break;
	case 't': case 'T': unit = 1099511627776.0; end++; break;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (errno || end == s || *end || !(v >= 0) || v * unit > 1e18)
		usage_error("bad size '%s' (like 512M or 2G)", s);
	uint64_t bytes = (uint64_t)(v * unit);
	if (bytes && bytes < (16u << 20)) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s %%s: at least 16M (or 0: no "
		         "limit)", what);
		usage_error(msg, s);
	}
	return bytes;
}

/* A quarter of the RAM: room for the rest of the machine on a laptop
 * that captures for days. */
static uint64_t default_max_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	if (pages <= 0 || size <= 0)
		return UINT64_C(1) << 30;
	uint64_t quarter = (uint64_t)pages * (uint64_t)size / 4;
	return quarter < (UINT64_C(64) << 20) ? UINT64_C(64) << 20 : quarter;
}

/* A second -r or -w would silently win over the first: refuse it. */
static void set_once(const char **slot, const char *value, const char *what)
{
	if (*slot)
		usage_error("%s given twice: give it once", what);
	*slot = value;
}

static void add_field(struct tl_options *opt, const char *name)
{
	if (!tl_field_find(name, strlen(name)) &&
	    !tl_field_known_elsewhere(name, strlen(name)))
		usage_error("-e %s: no such field (tcpladder(1) lists the "
		            "fields)", name);
	opt->fields = tl_xrealloc(opt->fields, opt->field_count + 1,
	                          sizeof *opt->fields);
	opt->fields[opt->field_count++] = name;
}

/* "/t" and "/s" are a tab and a space, as in tshark. */
static const char *separator_value(const char *v)
{
	if (!strcmp(v, "/t"))
		return "\t";
	if (!strcmp(v, "/s"))
		return " ";
	return v;
}

static void parse_field_option(struct tl_options *opt, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		usage_error("-E %s: give KEY=VALUE (header, separator, "
		            "occurrence, aggregator or quote)", arg);
	size_t kl = (size_t)(eq - arg);
	const char *v = eq + 1;
	bool one = v[0] && !v[1];
	if (kl == 6 && !strncmp(arg, "header", kl) && one &&
	    strchr("yn", v[0])) {
		opt->field_header = v[0] == 'y';
	} else if (kl == 9 && !strncmp(arg, "separator", kl) && *v) {
		opt->field_separator = separator_value(v);
	} else if (kl == 10 && !strncmp(arg, "occurrence", kl) && one &&
	           strchr("fla", v[0])) {
		opt->field_occurrence = v[0];
	} else if (kl == 10 && !strncmp(arg, "aggregator", kl) && *v) {
		opt->field_aggregator = separator_value(v);
	} else if (kl == 5 && !strncmp(arg, "quote", kl) && one &&
	           strchr("dsn", v[0])) {
		opt->field_quote = v[0] == 'd' ? '"' : v[0] == 's' ? '\'' : 0;
	} else {
		usage_error("-E %s: not one of header=y|n, separator=/t|/s|C, "
		            "occurrence=f|l|a, aggregator=,|/s|C, quote=d|s|n",
		            arg);
	}
}

/* One line: what is wrong, then where: tshark's message and its caret,
 * folded into the line. */
static void compile_display_filter(struct tl_options *opt)
{
	char err[512];
	size_t pos = 0, len = 0;
	opt->dfilter = tl_dfilter_compile(opt->display_filter, err, sizeof err,
	                                  &pos, &len);
	if (opt->dfilter)
		return;
	const char *f = opt->display_filter;
	if (len)
		fprintf(stderr, "%s: -Y '%s': %s (column %zu: '%.*s')\n",
		        tl_progname(), f, err, pos + 1, (int)len, f + pos);
	else
		fprintf(stderr, "%s: -Y '%s': %s (column %zu)\n",
		        tl_progname(), f, err, pos + 1);
	exit(2);
}

static void check_combinations(struct tl_options *opt)
{
	if (opt->display_filter)
		compile_display_filter(opt);
	if (opt->output == TL_OUT_FIELDS && !opt->field_count)
		usage_error("%s", "-T fields needs at least one -e FIELD");
	if (opt->field_count && opt->output != TL_OUT_FIELDS)
		usage_error("%s", "-e goes with -T fields");
	if (!opt->field_separator)
		opt->field_separator = "\t";
	if (!opt->field_aggregator)
		opt->field_aggregator = ",";
	if (!opt->field_occurrence)
		opt->field_occurrence = 'a';
	if (!opt->max_memory_set)
		opt->max_memory = default_max_memory();
	if (opt->cap.file && opt->cap.device)
		usage_error("%s", "give either -r FILE or -i IF, not both");
	if (!opt->cap.file && !opt->cap.device)
		usage_error("%s", "nothing to read: give -r FILE or -i IF");
	if (opt->drop_user && opt->no_drop)
		usage_error("%s", "-Z and --no-drop contradict each other");
	if (opt->step && !opt->replay_speed)
		opt->replay_speed = 1.0;
	bool picture = opt->output == TL_OUT_SVG || opt->output == TL_OUT_HTML;
	if (!picture && (opt->graph || opt->rows || opt->page))
		usage_error("%s", "--graph, --rows and --page go with -T svg or "
		            "-T html");
	if ((opt->follow_count || opt->quiet) && (picture ||
	    opt->output == TL_OUT_UI))
		usage_error("%s", "-z and -q go with -T text or -T tsv");
	if (!opt->rows)
		opt->rows = 1000;
	if (!opt->page)
		opt->page = 1;
}

void tl_options_parse(struct tl_options *opt, int argc, char **argv)
{
	memset(opt, 0, sizeof *opt);
	opt->cap.promisc = true;
	int c;
	opterr = 0;   /* our own messages name the program, not its path */
	while ((c = getopt_long(argc, argv, "+:r:i:f:c:s:B:pw:Z:T:S:t:z:qe:E:Y:hV",
	                        long_options, NULL)) != -1) {
		switch (c) {
		case 'r': set_once(&opt->cap.file, optarg, "-r"); break;
		case 'i': set_once(&opt->cap.device, optarg, "-i"); break;
		case 'f': set_once(&opt->cap.filter, optarg, "-f"); break;
		case 'c':
			opt->count = (uint32_t)parse_number(optarg, 1,
			                                    UINT32_MAX, "-c");
			break;
		case OPT_MAX_CONNECTIONS:
			opt->max_connections = (uint32_t)parse_number(
				optarg, 16, 100000000, "--max-connections");
			break;
		case OPT_MAX_SEGMENTS:
			opt->max_segments = (uint32_t)parse_number(
				optarg, 0, UINT32_MAX, "--max-segments");
			if (opt->max_segments && opt->max_segments < 100)
				usage_error("--max-segments %s: keep at least 100 "
				            "(or 0: no limit)", optarg);
			break;
		case OPT_MAX_MEMORY:
			opt->max_memory = parse_size(optarg, "--max-memory");
			opt->max_memory_set = true;
			break;
		case 's':
			opt->cap.snaplen = (int)parse_number(optarg, 64, 262144, "-s");
			break;
		case 'B':
			opt->cap.buffer_kib =
				(int)parse_number(optarg, 64, 4194304, "-B");
			break;
		case 'p': opt->cap.promisc = false; break;
		case 'w': set_once(&opt->cap.write_file, optarg, "-w"); break;
		case OPT_FORCE: opt->cap.force_write = true; break;
		case 'Z': set_once(&opt->drop_user, optarg, "-Z"); break;
		case OPT_NO_DROP: opt->no_drop = true; break;
		case 'T': opt->output = parse_output(optarg); break;
		case 'S': add_streams(opt, optarg); break;
		case 'e': add_field(opt, optarg); break;
		case 'E': parse_field_option(opt, optarg); break;
		case 'Y': set_once(&opt->display_filter, optarg, "-Y"); break;
		case OPT_BY_HOST: opt->by_host = true; break;
		case OPT_ABSOLUTE: opt->absolute_seq = true; break;
		case 't': opt->time_format = parse_time(optarg); break;
		case OPT_WIDTH:
			opt->width = (int)parse_number(optarg, 40, 1000, "--width");
			break;
		case OPT_ASCII: opt->ascii = true; break;
		case OPT_NO_COLOR: opt->no_color = true; break;
		case OPT_THEME:
			if (!strcmp(optarg, "projector"))
				opt->theme = TL_THEME_PROJECTOR;
			else if (!strcmp(optarg, "light"))
				opt->theme = TL_THEME_LIGHT;
			else if (strcmp(optarg, "dark") &&
			         strcmp(optarg, "default"))
				usage_error("unknown theme '%s' (use dark, light "
				            "or projector)", optarg);
			break;
		case OPT_REPLAY:
			opt->replay_speed = optarg ? parse_speed(optarg) : 1.0;
			break;
		case OPT_STEP: opt->step = true; break;
		case OPT_GRAPH:
			if (!strcmp(optarg, "ladder"))
				opt->graph = 0;
			else if (!strcmp(optarg, "tsg"))
				opt->graph = 1;         /* TL_GRAPH_TSG + 1 */
			else if (!strcmp(optarg, "flight"))
				opt->graph = 2;         /* TL_GRAPH_FLIGHT + 1 */
			else
				usage_error("unknown graph '%s' (use ladder, tsg "
				            "or flight)", optarg);
			break;
		case OPT_CC:
			if (!tl_cc_parse(optarg, &opt->cc))
				usage_error("unknown congestion control '%s' (use "
				            "cubic or reno)", optarg);
			break;
		case OPT_ROWS:
			opt->rows = (uint32_t)parse_number(optarg, 1, 20000,
			                                   "--rows");
			break;
		case OPT_PAGE:
			opt->page = (uint32_t)parse_number(optarg, 1, 1000000000,
			                                   "--page");
			break;
		case 'z': add_follow(opt, optarg); break;
		case 'q': opt->quiet = true; break;
		case 'h':
			fputs(usage_text, stdout);
			fputs("\nKeys in the full-screen view (also on its ? "
			      "screen):\n\n", stdout);
			tl_key_help_print(stdout);
			exit(tl_stdout_close());
		case 'V':
			printf("tcpladder %s\n", PACKAGE_VERSION);
			exit(tl_stdout_close());
		case ':':
			usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			usage_error("unknown option '%s'", optopt && optopt != '?'
			            ? (char[]){ '-', (char)optopt, '\0' }
			            : argv[optind - 1]);
		}
	}
	if (optind < argc) {
		if (opt->cap.filter)
			usage_error("%s", "give the filter either with -f or after "
			            "the options, not both");
		join_filter(opt, argc, argv);
	}
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		opt->no_color = true;
	check_combinations(opt);
}

void tl_options_free(struct tl_options *opt)
{
	free(opt->streams);
	free(opt->filter_storage);
	free(opt->follows);
	free(opt->fields);
	tl_dfilter_free(opt->dfilter);
}

bool tl_options_wants_stream(const struct tl_options *opt, uint32_t stream)
{
	if (!opt->stream_count)
		return true;
	for (uint32_t i = 0; i < opt->stream_count; i++)
		if (opt->streams[i] == stream)
			return true;
	return false;
}
