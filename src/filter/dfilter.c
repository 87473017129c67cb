/* Display filters with tshark 4.0's syntax and meaning over the field
 * table (tl_fields.h). The language, as 4.0 has it (docs/analysis.md,
 * "Display filters"): or/||, and/&&, not/!, parentheses; a field alone
 * ("present"); comparisons == != === !== ~= > < >= <= and their words;
 * "in {a, b, c..d}" and "not in"; contains; matches and ~ (PCRE2,
 * caseless, on bytes: "·+" repeats the last byte of the dot, as in 4.0); "field & mask"; CIDR for addresses; field against field.
 * 4.0 has no exclusive or (neither ^^ nor xor). Compiled once into a
 * tree; matching reads each field at most once per node. */
#include "config.h"

#include "tl_dfilter.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- tokens -------------------------------------------------------------- */

enum tok {
	T_END, T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_COMMA, T_DOTDOT,
	T_AND, T_OR, T_NOT, T_BITAND, T_REL, T_IN, T_CONTAINS, T_MATCHES,
	T_WORD, T_STRING, T_BAD,
	T_LBRACK, T_RBRACK, T_HASH, T_ARITH,    /* 4.0's value expressions */
	T_CHAR,                 /* 'a': a character constant, in str[0] */
	T_REF,                  /* ${field} */
};

enum rel { R_EQ, R_NE, R_ALL_EQ, R_ANY_NE, R_GT, R_LT, R_GE, R_LE };

struct token {
	enum tok t;
	enum rel rel;
	size_t pos, len;        /* in the text */
	char *str;              /* T_STRING: the unescaped value */
	size_t str_len;
};

/* Tokens whose str the token owns. */
static bool owns_str(enum tok t)
{
	return t == T_STRING || t == T_CHAR;
}

/* Whether the word of t is followed by "(" (blanks between allowed). */
static bool before_paren(const char *text, const struct token *t)
{
	const char *c = text + t->pos + t->len;
	while (isspace((unsigned char)*c))
		c++;
	return *c == '(';
}

static bool word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == ':' || c == '-' ||
	       c == '/';
}

/* ---- the tree -------------------------------------------------------------- */

enum node_kind { N_AND, N_OR, N_NOT, N_TRUE, N_EXISTS, N_CMP, N_IN,
                 N_CONTAINS, N_MATCHES, N_FALSE, N_VCMP, N_VEXISTS,
                 N_PROTO };

struct vexpr;

struct literal {
	int64_t i;              /* integers, booleans, times (ns) */
	uint8_t addr[16];
	unsigned prefix;        /* CIDR bits; 32 or 128 for a host */
	uint8_t *bytes;         /* strings and byte strings */
	size_t len;
	int64_t hi;             /* N_IN ranges: i..hi */
	uint8_t hi_addr[16];    /* N_IN ranges of addresses: addr..hi_addr */
	bool range;
};

struct node {
	enum node_kind kind;
	struct node *a, *b;
	const struct tl_field *field;
	enum rel rel;
	bool has_mask;
	uint64_t mask;
	const struct tl_field *rfield;  /* field against field */
	struct literal *lits;
	unsigned nlits;
	pcre2_code *re;
	struct vexpr *va, *vb;          /* N_VCMP, N_VEXISTS */
	bool vcontains;                 /* N_VCMP: va contains vb */
	bool vmatches;                  /* N_VCMP: va matches re */
	unsigned memo;                  /* 0, or 1 + its slot in conn_memo */
	bool memo_flags;                /* the slot is one of the flags' */
	unsigned proto;                 /* N_PROTO: TL_PROTO_* */
};

/* The view's memo (tl_dfilter_match_seg): a subtree that reads only a
 * segment's addresses, ports and stream (tl_field_of_conn) has one
 * answer per stream and direction, worked out once. v holds, per stream
 * and direction, one byte per slot: 0 not known, 1 false, 2 true; for
 * the connection conn[stream] (another, or none: the answers go). A
 * subtree that reads only the flags (tl_field_of_flags) has one answer
 * per value of the record's nine flag bits: fv, FLAG_VALUES per slot. */
#define FLAG_VALUES 512
struct conn_memo {
	unsigned slots, fslots;
	uint32_t cap;                   /* streams */
	uint8_t *v;
	const struct tl_conn **conn;
	uint8_t *fv;
};

/* The TL_REC_* bits (tl_model.h), by their index. */
#define REC_GAP_KINDS 9

struct tl_dfilter {
	struct node *root;
	bool wants_bif;
	bool wants_sender;      /* names a tcpladder.* field */
	bool wants_http;        /* names an http.* field */
	struct conn_memo *memo; /* NULL: no such subtree */
	unsigned rec_gaps;      /* TL_REC_*: what the view's records lack */
	const char *gap_name[REC_GAP_KINDS];  /* the first field of each */
};

struct parser {
	const char *text;
	struct token tok;
	char *err;
	size_t err_size, err_pos, err_len;
	bool failed;
	bool wants_bif;
	bool wants_sender;      /* names a tcpladder.* field */
	bool wants_http;        /* names an http.* field */
	unsigned rec_gaps;
	const char *gap_name[REC_GAP_KINDS];
	bool absent;            /* the test names a field tcpladder lacks */
	const struct tl_field *partner; /* converting a literal: its field */
};

/* A field or protocol named whose value the view's records lack (gaps:
 * TL_REC_*): the first name of each kind, for the view's message. */
static void note_gaps(struct parser *p, unsigned gaps, const char *name)
{
	for (unsigned k = 0; k < REC_GAP_KINDS; k++)
		if ((gaps >> k) & 1u && !p->gap_name[k])
			p->gap_name[k] = name;
	p->rec_gaps |= gaps;
}

static void fail_at(struct parser *p, size_t pos, size_t len,
                    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fail_at(struct parser *p, size_t pos, size_t len,
                    const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	p->err_pos = pos;
	p->err_len = len;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, p->err_size, fmt, ap);
	va_end(ap);
}

static void fail_tok(struct parser *p)
{
	if (p->tok.t == T_END)
		fail_at(p, strlen(p->text), 0,
		        "Unexpected end of filter expression");
	else
		fail_at(p, p->tok.pos, p->tok.len > 1 && p->tok.t == T_BAD
		        ? 1 : p->tok.len, "\"%.*s\" was unexpected in this "
		        "context", (int)(p->tok.t == T_BAD ? 1 : p->tok.len),
		        p->text + p->tok.pos);
}

static bool is_word(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && !memcmp(s, w, n);
}

static unsigned hex_digit(char h)
{
	return isdigit((unsigned char)h) ? (unsigned)(h - '0')
	                                 : (unsigned)(tolower((unsigned char)h) - 'a' + 10);
}

/* The escape at s[*i] (a backslash), as 4.0 reads it: \a \b \f \n \r
 * \t \v \\ \" \', \x with one or two hex digits, one to three octal
 * digits up to 255; any other is an error. Leaves *i past it; -1 on an
 * error (said). */
static int escape(struct parser *p, const char *s, size_t *i)
{
	static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
	size_t at = *i;
	char c = s[at + 1];
	const char *k = strchr(from, c);
	if (c && k) {
		*i = at + 2;
		return (unsigned char)to[k - from];
	}
	unsigned v = 0, digits = 0;
	size_t j = at + 1;
	if (c == 'u' || c == 'U')
		return -2;      /* a universal character name: lex_string */
	if (c == 'x') {
		for (j++; digits < 2 && isxdigit((unsigned char)s[j]); j++, digits++)
			v = v * 16 + hex_digit(s[j]);
	} else {
		for (; digits < 3 && s[j] >= '0' && s[j] <= '7'; j++, digits++)
			v = v * 8 + (unsigned)(s[j] - '0');
	}
	if (!digits) {
		fail_at(p, at, 2, "\\%c is not a valid character escape sequence",
		        c);
		return -1;
	}
	if (v > 255) {
		fail_at(p, at, j - at, "%.*s is larger than 255.", (int)(j - at),
		        s + at);
		return -1;
	}
	*i = j;
	return (int)v;
}

/* Ends a string literal read from start into out (n bytes): the token,
 * or an error when the text ended at i before the closing quote. */
static void end_string(struct parser *p, size_t start, size_t i, char *out,
                       size_t n)
{
	if (p->text[i] != '"') {
		free(out);
		fail_at(p, start, i - start, "The string starting here is not "
		        "closed");
		p->tok.t = T_BAD;
		return;
	}
	out[n] = '\0';
	p->tok = (struct token){ .t = T_STRING, .pos = start,
	                         .len = i + 1 - start, .str = out,
	                         .str_len = n };
}

/* r"..." (4.0): backslashes are the string's own, for regular
 * expressions; one before a quote keeps the quote in. */
static void lex_raw_string(struct parser *p, size_t start)
{
	const char *s = p->text;
	size_t i = start + 2, n = 0;
	char *out = tl_xmalloc(strlen(s + start) + 1);
	while (s[i] && s[i] != '"') {
		if (s[i] == '\\' && s[i + 1])
			out[n++] = s[i++];
		out[n++] = s[i++];
	}
	end_string(p, start, i, out, n);
}

/* \uXXXX or \UXXXXXXXX at s[*i] (4.0): exactly 4 or 8 hex digits, a
 * code point that is not a surrogate, written out in UTF-8. The bytes
 * written, or 0 on an error (said). */
static size_t universal(struct parser *p, const char *s, size_t *i,
                        char *out)
{
	size_t at = *i, want = s[at + 1] == 'u' ? 4 : 8, d = 0;
	uint32_t v = 0;
	for (; d < want && isxdigit((unsigned char)s[at + 2 + d]); d++)
		v = v * 16 + hex_digit(s[at + 2 + d]);
	if (d < want || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff) {
		fail_at(p, at, 2 + d, "%.*s is not a valid universal character "
		        "name", (int)(2 + d), s + at);
		return 0;
	}
	*i = at + 2 + d;
	size_t n = 0;
	if (v < 0x80) {
		out[n++] = (char)v;
	} else if (v < 0x800) {
		out[n++] = (char)(0xc0 | v >> 6);
		out[n++] = (char)(0x80 | (v & 0x3f));
	} else if (v < 0x10000) {
		out[n++] = (char)(0xe0 | v >> 12);
		out[n++] = (char)(0x80 | ((v >> 6) & 0x3f));
		out[n++] = (char)(0x80 | (v & 0x3f));
	} else {
		out[n++] = (char)(0xf0 | v >> 18);
		out[n++] = (char)(0x80 | ((v >> 12) & 0x3f));
		out[n++] = (char)(0x80 | ((v >> 6) & 0x3f));
		out[n++] = (char)(0x80 | (v & 0x3f));
	}
	return n;
}

/* 'c' (4.0): one character, or \\, \', \", \x with one or two hex
 * digits, \ with one to three octal digits up to 255. */
static void lex_char(struct parser *p, size_t start)
{
	const char *s = p->text;
	size_t i = start + 1;
	while (s[i] && s[i] != '\'') {
		if (s[i] == '\\' && s[i + 1])
			i++;
		i++;
	}
	if (s[i] != '\'') {
		fail_at(p, start, i - start, "The character constant starting "
		        "here is not closed");
		p->tok.t = T_BAD;
		return;
	}
	size_t n = i + 1 - start;
	const char *b = s + start + 1;
	size_t bl = i - start - 1;
	int v = -1;
	if (bl == 1 && b[0] != '\\') {
		v = (unsigned char)b[0];
	} else if (bl == 2 && b[0] == '\\' && strchr("\\'\"", b[1])) {
		v = (unsigned char)b[1];
	} else if (bl >= 2 && b[0] == '\\' && (b[1] == 'x' ||
	                                      (b[1] >= '0' && b[1] <= '7'))) {
		unsigned x = 0, d = 0;
		size_t j = 1;
		if (b[1] == 'x')
			for (j = 2; j < bl && d < 2 && isxdigit((unsigned char)b[j]);
			     j++, d++)
				x = x * 16 + hex_digit(b[j]);
		else
			for (; j < bl && d < 3 && b[j] >= '0' && b[j] <= '7';
			     j++, d++)
				x = x * 8 + (unsigned)(b[j] - '0');
		if (d && j == bl && x > 255) {
			fail_at(p, start, n, "%.*s is too large to be a valid "
			        "character constant.", (int)n, s + start);
			p->tok.t = T_BAD;
			return;
		}
		if (d && j == bl)
			v = (int)x;
	}
	if (v < 0) {
		fail_at(p, start, n, bl ? "%.*s is not a valid character "
		        "constant." : "Empty character constant.", (int)n,
		        s + start);
		p->tok.t = T_BAD;
		return;
	}
	char *out = tl_xmalloc(2);
	out[0] = (char)v;
	out[1] = '\0';
	p->tok = (struct token){ .t = T_CHAR, .pos = start, .len = n,
	                         .str = out, .str_len = 1 };
}

/* ${field} (4.0): a reference to the field's value in the frame the
 * user selected; tshark has none, so it has no value. Any other name in
 * braces is a macro, and there are none. */
static void lex_ref(struct parser *p, size_t start)
{
	const char *s = p->text;
	size_t i = start + 2;
	while (s[i] && s[i] != '}')
		i++;
	size_t nl = i - start - 2;
	const char *name = s + start + 2;
	if (s[i] != '}' || !nl) {
		fail_at(p, 0, 0, "macro not closed");
		p->tok.t = T_BAD;
		return;
	}
	for (size_t k = 0; k < nl; k++)
		if (!isalnum((unsigned char)name[k]) && name[k] != '_' &&
		    name[k] != '.' && name[k] != '-') {
			fail_at(p, 0, 0, "invalid character in macro name");
			p->tok.t = T_BAD;
			return;
		}
	const struct tl_field *f = tl_field_find(name, nl);
	if (!f)
		f = tl_field_elsewhere(name, nl);
	if (!f || f->type == TL_FT_NONE || f->base == TL_BASE_NAME) {
		fail_at(p, 0, 0, "macro '%.*s' does not exist", (int)nl, name);
		p->tok.t = T_BAD;
		return;
	}
	p->tok = (struct token){ .t = T_REF, .pos = start,
	                         .len = i + 1 - start };
}

static void lex_string(struct parser *p, size_t start)
{
	const char *s = p->text;
	size_t i = start + 1;
	char *out = tl_xmalloc(2 * strlen(s + start) + 4);
	size_t n = 0;
	while (s[i] && s[i] != '"') {
		if (s[i] == '\\' && s[i + 1]) {
			int c = escape(p, s, &i);
			if (c == -2) {
				size_t w = universal(p, s, &i, out + n);
				if (w) {
					n += w;
					continue;
				}
			}
			if (c < 0) {
				free(out);
				p->tok.t = T_BAD;
				return;
			}
			out[n++] = (char)c;
			continue;
		}
		out[n++] = s[i++];
	}
	end_string(p, start, i, out, n);
}

static void next(struct parser *p)
{
	const char *s = p->text;
	size_t i = p->tok.pos + p->tok.len;
	if (owns_str(p->tok.t))
		free(p->tok.str);
	while (isspace((unsigned char)s[i]))
		i++;
	p->tok = (struct token){ .t = T_BAD, .pos = i, .len = 1 };
	struct { const char *op; enum tok t; enum rel rel; } ops[] = {
		{ "===", T_REL, R_ALL_EQ }, { "!==", T_REL, R_ANY_NE },
		{ "==", T_REL, R_EQ }, { "!=", T_REL, R_NE },
		{ "~=", T_REL, R_ANY_NE }, { ">=", T_REL, R_GE },
		{ "<=", T_REL, R_LE }, { "&&", T_AND, 0 }, { "||", T_OR, 0 },
		{ "..", T_DOTDOT, 0 }, { ">", T_REL, R_GT }, { "<", T_REL, R_LT },
		{ "!", T_NOT, 0 }, { "&", T_BITAND, 0 }, { "~", T_MATCHES, 0 },
		{ "(", T_LPAREN, 0 }, { ")", T_RPAREN, 0 }, { "{", T_LBRACE, 0 },
		{ "}", T_RBRACE, 0 }, { ",", T_COMMA, 0 },
		{ "[", T_LBRACK, 0 }, { "]", T_RBRACK, 0 }, { "#", T_HASH, 0 },
		{ "+", T_ARITH, 0 }, { "*", T_ARITH, 0 }, { "%", T_ARITH, 0 },
	};
	if (!s[i]) {
		p->tok.t = T_END;
		p->tok.len = 0;
		return;
	}
	if (s[i] == '"') {
		lex_string(p, i);
		return;
	}
	if ((s[i] == 'r' || s[i] == 'R') && s[i + 1] == '"') {
		lex_raw_string(p, i);
		return;
	}
	if (s[i] == '\'') {
		lex_char(p, i);
		return;
	}
	if (s[i] == '$' && s[i + 1] == '{') {
		lex_ref(p, i);
		return;
	}
	/* A word: up to a character that cannot be in one, or "..". */
	size_t j = i;
	while (word_char((unsigned char)s[j]) &&
	       !(s[j] == '.' && s[j + 1] == '.'))
		j++;
	if (j > i) {
		p->tok.len = j - i;
		p->tok.t = T_WORD;
		static const struct { const char *w; enum tok t; int rel; } words[] = {
			{ "and", T_AND, 0 }, { "or", T_OR, 0 }, { "not", T_NOT, 0 },
			{ "in", T_IN, 0 }, { "contains", T_CONTAINS, 0 },
			{ "matches", T_MATCHES, 0 }, { "eq", T_REL, R_EQ },
			{ "ne", T_REL, R_NE }, { "all_eq", T_REL, R_ALL_EQ },
			{ "any_ne", T_REL, R_ANY_NE }, { "any_eq", T_REL, R_EQ },
			{ "all_ne", T_REL, R_NE }, { "gt", T_REL, R_GT },
			{ "lt", T_REL, R_LT }, { "ge", T_REL, R_GE },
			{ "le", T_REL, R_LE }, { "bitwise_and", T_BITAND, 0 },
		};
		for (size_t k = 0; k < sizeof words / sizeof *words; k++)
			if (is_word(s + i, j - i, words[k].w)) {
				p->tok.t = words[k].t;
				p->tok.rel = (enum rel)words[k].rel;
			}
		return;
	}
	for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
		size_t n = strlen(ops[k].op);
		if (!strncmp(s + i, ops[k].op, n)) {
			p->tok.t = ops[k].t;
			p->tok.rel = ops[k].rel;
			p->tok.len = n;
			return;
		}
	}
}

/* ---- literals --------------------------------------------------------------- */

static void free_vexpr(struct vexpr *e);

static void free_node(struct node *n)
{
	if (!n)
		return;
	free_node(n->a);
	free_node(n->b);
	for (unsigned i = 0; i < n->nlits; i++)
		free(n->lits[i].bytes);
	free(n->lits);
	if (n->re)
		pcre2_code_free(n->re);
	free_vexpr(n->va);
	free_vexpr(n->vb);
	free(n);
}

static const char *type_name(const struct tl_field *f)
{
	static char buf[64];
	switch (f->type) {
	case TL_FT_NONE: return "Label";
	case TL_FT_BYTES:
		return f->base == TL_BASE_ETHER ? "Ethernet or other MAC address"
		                                : "Protocol";
	case TL_FT_BOOL: return "Boolean";
	case TL_FT_FRAMENUM: return "Frame number";
	case TL_FT_TIME:
		return f->base == TL_BASE_ABSTIME ? "Date and time"
		                                  : "Time offset";
	case TL_FT_IPV4: return "IPv4 address";
	case TL_FT_IPV6: return "IPv6 address";
	case TL_FT_STRING: return "Character string";
	case TL_FT_INT:
		snprintf(buf, sizeof buf, "Signed integer (%u byte%s)",
		         f->bits / 8, f->bits > 8 ? "s" : "");
		return buf;
	}
	snprintf(buf, sizeof buf, "Unsigned integer (%u byte%s)",
	         (f->bits + 7) / 8, f->bits > 8 ? "s" : "");
	return buf;
}

/* 4.0's name of a field's type in its "cannot" messages. */
static const char *ft_of(const struct tl_field *f)
{
	switch (f->type) {
	case TL_FT_NONE: return "FT_NONE";
	case TL_FT_BYTES:
		return f->base == TL_BASE_ETHER ? "FT_ETHER"
		       : f->base == TL_BASE_NAME ? "FT_PROTOCOL" : "FT_BYTES";
	case TL_FT_BOOL: return "FT_BOOLEAN";
	case TL_FT_TIME:
		return f->base == TL_BASE_ABSTIME ? "FT_ABSOLUTE_TIME"
		                                  : "FT_RELATIVE_TIME";
	case TL_FT_IPV4: return "FT_IPv4";
	case TL_FT_IPV6: return "FT_IPv6";
	case TL_FT_STRING: return "FT_STRING";
	default: return "FT_UINT32";
	}
}

/* An unsigned number as 4.0's scanner reads it: decimal, 0x hex, 0
 * octal, 0b binary (0b alone is 0). */
static bool parse_mag(const char *s, size_t n, uint64_t *out)
{
	char buf[80];
	if (!n || n >= sizeof buf || s[0] == '-' || s[0] == '+')
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B')) {
		uint64_t v = 0;
		for (size_t i = 2; i < n; i++) {
			if ((buf[i] != '0' && buf[i] != '1') || v >> 63)
				return false;
			v = v * 2 + (uint64_t)(buf[i] - '0');
		}
		*out = v;
		return true;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 0);
	if (errno || *end || end == buf || buf[0] == ' ')
		return false;
	*out = v;
	return true;
}

static bool parse_int(const char *s, size_t n, int64_t *out)
{
	bool neg = n && s[0] == '-';
	uint64_t v;
	if (!parse_mag(s + neg, n - neg, &v) || v > INT64_MAX)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/* "[-]S[.F]" seconds, to nanoseconds. */
static bool parse_time(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	int64_t sec = 0, ns = 0;
	size_t digits = 0;
	/* 4.0's scanner splits ".5" and "5." apart. */
	if (i < n && s[i] == '.')
		return false;
	if (n && s[n - 1] == '.')
		return false;
	for (; i < n && isdigit((unsigned char)s[i]); i++, digits++) {
		if (sec > INT64_MAX / 10 / 1000000000)
			return false;
		sec = sec * 10 + (s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		i++;
		int64_t scale = 100000000;
		for (; i < n && isdigit((unsigned char)s[i]); i++, digits++) {
			if (!scale)
				return false;   /* 4.0: nanoseconds at most */
			ns += (s[i] - '0') * scale;
			scale /= 10;
		}
		/* 4.0 reads no further than the fraction's digits ("1.2.3"
		 * is 1.2 s), but its scanner ends a word at a colon. */
		if (digits && !memchr(s + i, ':', n - i))
			i = n;
	}
	if (i != n || !digits)
		return false;
	*out = (sec * 1000000000 + ns) * (neg ? -1 : 1);
	return true;
}

static bool parse_addr(const struct tl_field *f, const char *s, size_t n,
                       struct literal *l, struct parser *p, size_t pos)
{
	char buf[80];
	if (n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	bool v6 = f->type == TL_FT_IPV6;
	unsigned max = v6 ? 128 : 32;
	l->prefix = max;
	char *slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		char *end;
		long bits = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || bits < 0)
			return false;
		if (bits > (long)max) {
			fail_at(p, pos, n, "Netmask bits in a CIDR %s address "
			        "should be <= %u, not %ld", v6 ? "IPv6" : "IPv4",
			        max, bits);
			return false;
		}
		l->prefix = (unsigned)bits;
	}
	memset(l->addr, 0, sizeof l->addr);
	return inet_pton(v6 ? AF_INET6 : AF_INET, buf, l->addr) == 1;
}

/* Byte strings: "04:02", "04-02", "04.02", or one or two hex digits. */
static bool parse_bytes(const char *s, size_t n, struct literal *l)
{
	/* One byte may be written 0x45 (not 0x4, not 0x456). */
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (n != 4 || !isxdigit((unsigned char)s[2]) ||
		    !isxdigit((unsigned char)s[3]))
			return false;
		l->bytes = tl_xmalloc(1);
		l->bytes[0] = (uint8_t)(hex_digit(s[2]) * 16 + hex_digit(s[3]));
		l->len = 1;
		return true;
	}
	uint8_t *out = tl_xmalloc(n / 2 + 2);
	size_t k = 0, i = 0;
	while (i < n) {
		size_t d = 0;
		unsigned v = 0;
		while (i < n && d < 2 && isxdigit((unsigned char)s[i])) {
			char h = s[i++];
			v = v * 16 + (unsigned)(isdigit((unsigned char)h) ? h - '0'
			          : tolower((unsigned char)h) - 'a' + 10);
			d++;
		}
		/* 4.0 reads "1:2" as no byte string (":2" is left over). */
		if (!d || (d == 1 && ((i < n && s[i] == ':') ||
		                      (k && s[i - 2] == ':')))) {
			free(out);
			return false;
		}
		out[k++] = (uint8_t)v;
		if (i < n && (s[i] == ':' || s[i] == '-' || s[i] == '.'))
			if (++i == n) {
				free(out);
				return false;
			}
	}
	l->bytes = out;
	l->len = k;
	return true;
}

/* A boolean's value by name, as 4.0 reads it: True, TRUE, False, FALSE
 * for any; then the field's own names, in any case: the flags' "Set"
 * and "Not set", the others' "true" and "false". */
static bool bool_name(const struct tl_field *f, const char *s, size_t n,
                      int64_t *out)
{
	bool flag = !strncmp(f->name, "tcp.flags.", 10) ||
	            !strncmp(f->name, "ip.flags.", 9);
	const char *yes = flag ? "set" : "true", *no = flag ? "not set"
	                                                    : "false";
	if (is_word(s, n, "True") || is_word(s, n, "TRUE") ||
	    (strlen(yes) == n && !strncasecmp(s, yes, n))) {
		*out = 1;
		return true;
	}
	if (is_word(s, n, "False") || is_word(s, n, "FALSE") ||
	    (strlen(no) == n && !strncasecmp(s, no, n))) {
		*out = 0;
		return true;
	}
	return false;
}

/* 'c' for f: a number for integers, one byte for strings and bytes. */
static bool char_literal(struct parser *p, const struct tl_field *f,
                         struct literal *l)
{
	const struct token *t = &p->tok;
	uint8_t c = (uint8_t)t->str[0];
	switch (f->type) {
	case TL_FT_UINT: case TL_FT_INT: case TL_FT_FRAMENUM:
		l->i = c;
		return true;
	case TL_FT_BOOL:
		l->i = c != 0;
		return true;
	case TL_FT_STRING:
	case TL_FT_BYTES:
		if (f->base == TL_BASE_ETHER)
			break;
		l->bytes = tl_xmalloc(2);
		l->bytes[0] = c;
		l->bytes[1] = '\0';
		l->len = 1;
		return true;
	default:
		break;
	}
	fail_at(p, t->pos, t->len, "%s cannot be converted from a character "
	        "constant (%.*s)", type_name(f), (int)t->len, p->text + t->pos);
	return false;
}

/* An Ethernet address: a byte string of exactly six bytes. */
static bool ether_literal(struct parser *p, const struct tl_field *f,
                          struct literal *l)
{
	const struct token *t = &p->tok;
	const char *s = p->text + t->pos;
	(void)f;
	if (!parse_bytes(s, t->len, l)) {
		fail_at(p, t->pos, t->len, "\"%.*s\" is not a valid Ethernet "
		        "address.", (int)t->len, s);
		return false;
	}
	if (l->len != 6) {
		fail_at(p, t->pos, t->len, "\"%.*s\" contains too %s bytes to "
		        "be a valid Ethernet address.", (int)t->len, s,
		        l->len < 6 ? "few" : "many");
		free(l->bytes);
		l->bytes = NULL;
		return false;
	}
	return true;
}

/* An absolute time as 4.0 reads one: "Nov 12, 1999 08:55:44.123" or
 * "2011-07-04 12:34:56" (a T for the space, a date alone, fractions,
 * " UTC" or "Z" after); only checked, as no row has frame.time. */
static bool abs_time(struct parser *p, const struct tl_field *f,
                     const char *s, size_t n, struct literal *l)
{
	static const char *const forms[] = {
		"%b %d, %Y %H:%M:%S", "%b %d, %Y %H:%M", "%Y-%m-%d %H:%M:%S",
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
	};
	char buf[96];
	(void)f;
	memset(l, 0, sizeof *l);
	if (n < sizeof buf) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
			struct tm tm;
			memset(&tm, 0, sizeof tm);
			const char *end = strptime(buf, forms[k], &tm);
			if (!end)
				continue;
			if (*end == '.')
				for (end++; isdigit((unsigned char)*end); end++)
					;
			if (!strcmp(end, " UTC") || !strcmp(end, "Z") ||
			    !strcmp(end, " ") )
				end += strlen(end);
			if (!*end)
				return true;
		}
	}
	fail_at(p, p->tok.pos, p->tok.len, "\"%.*s\" is not a valid absolute "
	        "time. Example: \"Nov 12, 1999 08:55:44.123\" or "
	        "\"2011-07-04 12:34:56\"", (int)n, s);
	return false;
}

/* Converts the current token to a value of f's type. */
static bool literal_for(struct parser *p, const struct tl_field *f,
                        struct literal *l)
{
	const struct token *t = &p->tok;
	const char *s = p->text + t->pos;
	size_t n = t->len;
	memset(l, 0, sizeof *l);
	if (t->t == T_CHAR)
		return char_literal(p, f, l);
	if (t->t == T_STRING && f->base == TL_BASE_ETHER) {
		fail_at(p, t->pos, n, "%s cannot be converted from a string "
		        "(%.*s)", type_name(f), (int)n, s);
		return false;
	}
	if (t->t == T_STRING && f->base == TL_BASE_ABSTIME)
		return abs_time(p, f, t->str, t->str_len, l);
	if (t->t == T_STRING && f->type == TL_FT_BOOL &&
	    bool_name(f, t->str, t->str_len, &l->i))
		return true;
	if (t->t == T_STRING) {
		if (f->type == TL_FT_STRING || f->type == TL_FT_BYTES) {
			l->bytes = tl_xmalloc(t->str_len + 1);
			memcpy(l->bytes, t->str, t->str_len + 1);
			l->len = t->str_len;
			return true;
		}
		fail_at(p, t->pos, n, "%s cannot be converted from a string "
		        "(%.*s)", type_name(f), (int)n, s);
		return false;
	}
	if (t->t != T_WORD) {
		fail_tok(p);
		return false;
	}
	/* "-1": 4.0's unary minus on the literal, for numbers only. */
	if (n > 1 && s[0] == '-' && f->type != TL_FT_UINT &&
	    f->type != TL_FT_INT && f->type != TL_FT_FRAMENUM &&
	    !(f->type == TL_FT_TIME && f->base != TL_BASE_ABSTIME)) {
		fail_at(p, t->pos, 1, "%s cannot -.", ft_of(f));
		return false;
	}
	if (f->base == TL_BASE_ETHER)
		return ether_literal(p, f, l);
	if (f->base == TL_BASE_ABSTIME)
		return abs_time(p, f, s, n, l);
	switch (f->type) {
	case TL_FT_BOOL:
		if (bool_name(f, s, n, &l->i))
			return true;
		uint64_t bv;
		if (parse_mag(s, n, &bv)) {
			l->i = bv != 0;
			return true;
		}
		fail_at(p, t->pos, n, "\"%.*s\" cannot be found among the "
		        "possible values for %s", (int)n, s, f->name);
		return false;
	case TL_FT_UINT:
	case TL_FT_INT:
	case TL_FT_FRAMENUM: {
		/* 4.0 checks the number against the field's width, then
		 * applies a minus in front (so -255 is a uint8's, -256 not). */
		bool neg = s[0] == '-';
		uint64_t v;
		if (!parse_mag(s + neg, n - neg, &v)) {
			fail_at(p, t->pos, n, "\"%.*s\" is not a valid number",
			        (int)n, s);
			return false;
		}
		/* 4.0's integer types are 8, 16, 24, 32 or 64 bits wide. */
		unsigned w = f->bits <= 8 ? 8 : f->bits <= 16 ? 16
		           : f->bits <= 24 ? 24 : f->bits <= 32 ? 32 : 64;
		uint64_t max = f->type == TL_FT_INT ? (UINT64_C(1) << (w - 1)) - 1
		             : w < 64 ? (UINT64_C(1) << w) - 1 : UINT64_MAX;
		if (v > max) {
			fail_at(p, t->pos + neg, n - neg, "\"%.*s\" too big for "
			        "this field, maximum %llu", (int)(n - neg),
			        s + neg, (unsigned long long)max);
			return false;
		}
		/* An unsigned field's negative value is a signed one of its
		 * width (32 or 64 bits). */
		if (neg && f->type != TL_FT_INT &&
		    v > (w < 64 ? (uint64_t)INT32_MAX : (uint64_t)INT64_MAX)) {
			fail_at(p, t->pos + neg, n - neg, "%.*s: %.*s overflows "
			        "gint%u", (int)(n - neg), s + neg, (int)(n - neg),
			        s + neg, w < 64 ? 32 : 64);
			return false;
		}
		l->i = (int64_t)(neg ? 0 - v : v);
		return true;
	}
	case TL_FT_TIME:
		if (parse_time(s, n, &l->i))
			return true;
		fail_at(p, t->pos, n, "\"%.*s\" is not a valid time", (int)n, s);
		return false;
	case TL_FT_IPV4:
	case TL_FT_IPV6:
		if (parse_addr(f, s, n, l, p, t->pos))
			return true;
		fail_at(p, t->pos, n, "\"%.*s\" is not a valid hostname or %s "
		        "address", (int)n, s,
		        f->type == TL_FT_IPV4 ? "IPv4" : "IPv6");
		return false;
	case TL_FT_STRING:
		l->bytes = tl_xmalloc(n + 1);
		memcpy(l->bytes, s, n);
		l->bytes[n] = '\0';
		l->len = n;
		return true;
	case TL_FT_BYTES:
		if (parse_bytes(s, n, l))
			return true;
		fail_at(p, t->pos, n, "\"%.*s\" is not a valid byte string",
		        (int)n, s);
		return false;
	}
	fail_tok(p);
	return false;
}

/* ---- parser ------------------------------------------------------------------ */

static const struct tl_field *field_of(struct parser *p,
                                       const struct token *t, bool *known)
{
	*known = false;
	if (t->t == T_REF) {
		*known = true;
		return NULL;    /* no value: absent_field types it */
	}
	if (t->t != T_WORD)
		return NULL;
	const struct tl_field *f = tl_field_find(p->text + t->pos, t->len);
	if (f) {
		*known = true;
		if (tl_field_needs_bif(f))
			p->wants_bif = true;
		if (tl_field_needs_sender(f))
			p->wants_sender = true;
		if (tl_field_needs_http(f))
			p->wants_http = true;
		note_gaps(p, tl_field_record_gaps(f), f->name);
		return f;
	}
	*known = tl_field_known_elsewhere(p->text + t->pos, t->len);
	return NULL;
}

static struct node *new_node(enum node_kind k)
{
	struct node *n = tl_xcalloc(1, sizeof *n);
	n->kind = k;
	return n;
}

static struct node *parse_or(struct parser *p);

/* 4.0 orders every type but a label (bytes and protocols too). */
static bool orderable(const struct tl_field *f)
{
	return f->type != TL_FT_NONE;
}

static const char *rel_text(const struct parser *p, const struct token *t)
{
	static char buf[16];
	snprintf(buf, sizeof buf, "%.*s", (int)(t->len < 15 ? t->len : 15),
	         p->text + t->pos);
	return buf;
}

/* Whether 4.0 compares field a with field b (a on the left): integers
 * of any width with each other and with a boolean on the right, bytes
 * with bytes (Ethernet addresses too), protocols with protocols,
 * otherwise the same type. */
static bool same_kind(const struct tl_field *a, const struct tl_field *b)
{
	bool ia = a->type == TL_FT_UINT || a->type == TL_FT_INT ||
	          a->type == TL_FT_FRAMENUM;
	bool ib = b->type == TL_FT_UINT || b->type == TL_FT_INT ||
	          b->type == TL_FT_FRAMENUM;
	if (ia)
		return ib || b->type == TL_FT_BOOL;
	if (a->type == TL_FT_NONE || a->type != b->type)
		return false;
	if (a->type == TL_FT_BYTES || a->type == TL_FT_TIME)
		return (a->base == TL_BASE_NAME) == (b->base == TL_BASE_NAME) &&
		       (a->base == TL_BASE_ABSTIME) == (b->base == TL_BASE_ABSTIME);
	return true;
}

/* A protocol tcpladder knows only by name (tl_proto_find): 4.0 types it
 * as a protocol, bytes. */
static const struct tl_field any_protocol = {
	.name = "", .type = TL_FT_BYTES, .base = TL_BASE_NAME,
};

/* The type 4.0 gives a name the table does not hold (known says it is
 * 4.0's), for checking a test that names it; the test is then marked
 * absent (no row has a value for it). */
static const struct tl_field *absent_field(struct parser *p,
                                           const struct token *t)
{
	size_t pos = t->pos, len = t->len;
	if (t->t == T_REF) {
		pos += 2;
		len -= 3;
		const struct tl_field *held = tl_field_find(p->text + pos, len);
		if (held) {
			p->absent = true;
			return held;
		}
	}
	const struct tl_field *f = tl_field_elsewhere(p->text + pos, len);
	p->absent = true;
	return f ? f : &any_protocol;
}

/* A protocol or subtree named alone is present when one of its fields
 * is: this table says which. The link and tunnel protocols the decoder
 * crosses are present when 4.0 dissected them in the frame (tl_packet's
 * protos); the others are never on a row we show. */
static void protocol_presence(struct parser *p, const char *name,
                              size_t len, struct node *n)
{
	int proto = tl_proto_find(name, len);
	if (proto >= 0) {
		n->kind = N_PROTO;
		n->proto = (unsigned)proto;
		return;
	}
	/* Fields of a header 4.0 always adds (tl_field_elsewhere), present
	 * with it, though tcpladder keeps no value for them. */
	static const char *const alias[][2] = {
		{ "frame", NULL }, { "tcp", NULL },
		{ "ip", "ip.src" }, { "ipv6", "ipv6.src" },
		{ "frame.protocols", NULL }, { "frame.time", NULL },
		{ "ip.flags", "ip.src" }, { "ip.flags.rb", "ip.src" },
		{ "ip.dsfield", "ip.src" }, { "ip.checksum", "ip.src" },
		{ "ip.frag_offset", "ip.src" }, { "ipv6.nxt", "ipv6.src" },
		{ "ipv6.tclass", "ipv6.src" },
	};
	/* The option items: present when the header has that kind. */
	if (is_word(name, len, "tcp.options.eol") ||
	    is_word(name, len, "tcp.options.nop")) {
		n->kind = N_CMP;
		n->rel = R_EQ;
		n->field = tl_field_find("tcp.option_kind", 15);
		note_gaps(p, tl_field_record_gaps(n->field),
		          name[len - 1] == 'p' ? "tcp.options.nop"
		                               : "tcp.options.eol");
		n->lits = tl_xcalloc(1, sizeof *n->lits);
		n->lits[0].i = name[len - 1] == 'p';    /* nop: 1, eol: 0 */
		n->nlits = 1;
		return;
	}
	static const char *const eth[] = { "eth.src", "eth.dst", "eth.addr",
	                                   "eth.type" };
	for (size_t i = 0; i < sizeof eth / sizeof *eth; i++)
		if (is_word(name, len, eth[i])) {
			n->kind = N_PROTO;
			n->proto = (unsigned)tl_proto_find("eth", 3);
			return;
		}
	for (size_t i = 0; i < sizeof alias / sizeof *alias; i++) {
		if (!is_word(name, len, alias[i][0]))
			continue;
		if (!alias[i][1]) {
			n->kind = N_TRUE;
			return;
		}
		n->kind = N_EXISTS;
		n->field = tl_field_find(alias[i][1], strlen(alias[i][1]));
		note_gaps(p, tl_field_record_gaps(n->field), alias[i][0]);
		return;
	}
}

static struct node *parse_set(struct parser *p, const struct tl_field *f)
{
	struct node *n = new_node(N_IN);
	n->field = f;
	next(p);        /* past { */
	for (;;) {
		struct literal l;
		if (!literal_for(p, f, &l))
			break;
		size_t lit_pos = p->tok.pos, lit_len = p->tok.len;
		next(p);
		if (p->tok.t == T_DOTDOT) {
			next(p);
			struct literal hi;
			if (!literal_for(p, f, &hi)) {
				free(l.bytes);
				break;
			}
			free(hi.bytes);
			if (!orderable(f)) {
				fail_at(p, lit_pos, lit_len, "%s cannot be a range",
				        f->name);
				free(l.bytes);
				break;
			}
			l.range = true;
			l.hi = hi.i;
			memcpy(l.hi_addr, hi.addr, sizeof l.hi_addr);
			next(p);
		}
		n->lits = tl_xrealloc(n->lits, n->nlits + 1, sizeof *n->lits);
		n->lits[n->nlits++] = l;
		if (p->tok.t == T_RBRACE) {
			next(p);
			return n;
		}
		if (p->tok.t != T_COMMA) {
			fail_tok(p);
			break;
		}
		next(p);
	}
	fail_tok(p);
	free_node(n);
	return NULL;
}

/* ---- value expressions (4.0): slices, layers, functions, arithmetic ------- */

/* What tshark 4.0 accepts beside "field OP literal": tcp.payload[0:4],
 * ip.src#1, len() count() upper() lower() string() abs() max() min(),
 * + - * / % and {} on integers and times, a field with - in front. The
 * values are computed per segment, every combination of the operands'
 * occurrences, as 4.0 does (docs/analysis.md, "Display filters"). */

enum vkind { V_FIELD, V_PROTO, V_LIT, V_FUNC, V_ARITH, V_NEG, V_SLICE };
enum vtype { VT_INT, VT_TIME, VT_BYTES, VT_STRING, VT_IPV4, VT_IPV6,
             VT_BOOL, VT_NONE };
enum vfunc { VF_LEN, VF_COUNT, VF_UPPER, VF_LOWER, VF_STRING, VF_ABS,
             VF_MAX, VF_MIN };
enum vproto { VP_FRAME, VP_IP, VP_IPV6, VP_TCP, VP_PAYLOAD };

struct vexpr {
	enum vkind kind;
	enum vtype type;
	const struct tl_field *field;   /* V_FIELD */
	unsigned layer;                 /* #N; 0: every layer */
	int proto;                      /* V_PROTO */
	int op;                         /* V_ARITH: the character; V_FUNC */
	struct token tok;               /* V_LIT: as written */
	struct literal lit;             /* V_LIT once converted */
	bool converted;
	int64_t start, len;             /* V_SLICE; len < 0: to the end */
	struct vexpr *a, *b;            /* operands; V_FUNC: a, then b->... */
	struct vexpr *next;             /* V_FUNC's further arguments */
	bool ref;                       /* V_PROTO: a ${field} */
	struct vexpr *more;             /* V_SLICE: its further ranges */
};

struct vval {
	int64_t i;
	const uint8_t *p;
	uint32_t len;
	uint8_t buf[64];
};

static void free_vexpr(struct vexpr *e)
{
	while (e) {
		struct vexpr *nx = e->next;
		free_vexpr(e->a);
		free_vexpr(e->b);
		free_vexpr(e->more);
		if (e->kind == V_LIT && owns_str(e->tok.t))
			free(e->tok.str);
		free(e->lit.bytes);
		free(e);
		e = nx;
	}
}

static struct vexpr *new_vexpr(enum vkind k)
{
	struct vexpr *e = tl_xcalloc(1, sizeof *e);
	e->kind = k;
	e->type = VT_NONE;
	return e;
}

static enum vtype vtype_of_field(const struct tl_field *f)
{
	switch (f->type) {
	case TL_FT_TIME: return VT_TIME;
	case TL_FT_BYTES: return VT_BYTES;
	case TL_FT_STRING: return VT_STRING;
	case TL_FT_IPV4: return VT_IPV4;
	case TL_FT_IPV6: return VT_IPV6;
	case TL_FT_BOOL: return VT_BOOL;
	case TL_FT_NONE: return VT_NONE;
	}
	return VT_INT;
}

static const char *ft_name(enum vtype t)
{
	switch (t) {
	case VT_INT: return "FT_INT64";
	case VT_TIME: return "FT_RELATIVE_TIME";
	case VT_BYTES: return "FT_BYTES";
	case VT_STRING: return "FT_STRING";
	case VT_IPV4: return "FT_IPv4";
	case VT_IPV6: return "FT_IPv6";
	case VT_BOOL: return "FT_BOOLEAN";
	default: return "FT_PROTOCOL";
	}
}

static bool is_func(const char *s, size_t n, int *f)
{
	static const char *const names[] = { "len", "count", "upper", "lower",
	                                     "string", "abs", "max", "min" };
	for (int i = 0; i < 8; i++)
		if (is_word(s, n, names[i])) {
			*f = i;
			return true;
		}
	return false;
}

/* The protocols whose bytes a filter can read, by enum vproto. */
static const char *const vproto_names[] = { "frame", "ip", "ipv6", "tcp",
                                            "tcp.payload" };

static bool proto_of(const char *s, size_t n, int *pr)
{
	for (int i = 0; i < 5; i++)
		if (is_word(s, n, vproto_names[i])) {
			*pr = i;
			return true;
		}
	return false;
}

/* Whether the test starting at the current token needs value
 * expressions: looks ahead to the end of the test, then puts the token
 * back. */
static bool wants_vexpr(struct parser *p)
{
	struct token save = p->tok;
	if (owns_str(save.t)) {
		save.str = tl_xmalloc(save.str_len + 1);
		memcpy(save.str, p->tok.str, save.str_len + 1);
	}
	bool failed = p->failed, want = false, first = true, proto = false;
	bool bytes = false;
	enum tok prev = T_END;
	int depth = 0, pr;
	for (; p->tok.t != T_END && p->tok.t != T_BAD; first = false) {
		const struct token *t = &p->tok;
		const char *w = p->text + t->pos;
		/* "tcp contains ...": a protocol's bytes, not a field. */
		if (first && t->t == T_WORD && proto_of(w, t->len, &pr))
			proto = true;
		if (first && t->t == T_WORD) {
			const struct tl_field *f = tl_field_find(w, t->len);
			if (!f)
				f = tl_field_elsewhere(w, t->len);
			bytes = is_word(w, t->len, "tcp.payload") ||
			        (f && f->type == TL_FT_BYTES &&
			         f->base != TL_BASE_NAME);
		}
		if (t->t == T_IN)
			break;
		/* "field & field": a mask read from the segment. */
		if (prev == T_BITAND && t->t == T_WORD &&
		    (tl_field_find(w, t->len) ||
		     tl_field_known_elsewhere(w, t->len))) {
			want = true;
			break;
		}
		/* "tcp.len -1": a subtraction. */
		if (t->t == T_WORD && w[0] == '-' && t->len > 1 &&
		    (prev == T_WORD || prev == T_RPAREN || prev == T_RBRACK ||
		     prev == T_RBRACE)) {
			want = true;
			break;
		}
		prev = t->t;
		/* "bytes & mask": bytes, not an integer's bits. */
		if (!first && bytes && t->t == T_BITAND) {
			want = true;
			break;
		}
		if (!first && proto && (t->t == T_CONTAINS ||
		                        t->t == T_MATCHES || t->t == T_REL)) {
			want = true;
			break;
		}
		if (depth == 0 && (t->t == T_AND || t->t == T_OR ||
		                   t->t == T_RPAREN))
			break;
		if (t->t == T_LPAREN)
			depth++;
		if (t->t == T_RPAREN)
			depth--;
		/* tcp.payload: bytes the table does not hold as a field. */
		if (t->t == T_LBRACK || t->t == T_HASH || t->t == T_ARITH ||
		    t->t == T_LBRACE ||
		    (first && t->t == T_WORD &&
		     is_word(w, t->len, "tcp.payload")) ||
		    (t->t == T_WORD && (is_word(w, t->len, "/") ||
		                        is_word(w, t->len, "-") ||
		                        (w[0] == '-' && t->len > 1 &&
		                         isalpha((unsigned char)w[1])) ||
		                        before_paren(p->text, t)))) {
			want = true;
			break;
		}
		next(p);
	}
	if (owns_str(p->tok.t))
		free(p->tok.str);
	p->tok = save;
	p->failed = failed;
	return want;
}

static struct vexpr *parse_vbits(struct parser *p);

/* [i], [i:n], [i-j], [:n], [i:]: start and length (-1: to the end). */
static bool parse_range(struct parser *p, struct vexpr *e);

/* [r], or [r,r,...]: the ranges' bytes end to end (4.0); the first range
 * is e's, the others hang on e->more. */
static bool parse_slice(struct parser *p, struct vexpr *e)
{
	next(p);        /* past [ */
	for (struct vexpr *r = e;;) {
		if (!parse_range(p, r))
			return false;
		if (p->tok.t != T_COMMA)
			break;
		next(p);
		r->more = new_vexpr(V_SLICE);
		r = r->more;
	}
	if (p->tok.t != T_RBRACK) {
		if (p->tok.t == T_END)
			fail_at(p, p->tok.pos, 0, "The right bracket was "
			        "missing from a slice.");
		else
			fail_tok(p);
		return false;
	}
	next(p);
	return true;
}

/* One range of a slice, and the token after it. */
static bool parse_range(struct parser *p, struct vexpr *e)
{
	const struct token *t = &p->tok;
	const char *s = p->text + t->pos;
	char buf[64];
	if (t->t != T_WORD || t->len >= sizeof buf) {
		fail_tok(p);
		return false;
	}
	memcpy(buf, s, t->len);
	buf[t->len] = '\0';
	char *colon = strchr(buf, ':'), *dash = strchr(buf + 1, '-');
	char *end;
	e->start = 0;
	e->len = 1;
	if (colon) {
		*colon = '\0';
		e->start = buf[0] ? strtoll(buf, &end, 10) : 0;
		bool ok = !buf[0] || !*end;
		e->len = colon[1] ? strtoll(colon + 1, &end, 10) : -1;
		ok = ok && (!colon[1] || (!*end && e->len >= 0));
		if (!ok)
			goto bad;
	} else if (dash) {
		*dash = '\0';
		e->start = strtoll(buf, &end, 10);
		if (*end)
			goto bad;
		int64_t last = strtoll(dash + 1, &end, 10);
		if (*end || last < e->start)
			goto bad;
		e->len = last - e->start + 1;
	} else {
		e->start = strtoll(buf, &end, 10);
		if (*end)
			goto bad;
	}
	if (e->len == 0) {
		fail_at(p, t->pos, t->len, "Range %.*s isn't valid because "
		        "length 0 isn't positive", (int)t->len, s);
		return false;
	}
	next(p);
	return true;
bad:
	fail_at(p, t->pos, t->len, "\"%.*s\" is not a valid number.",
	        (int)t->len, s);
	return false;
}

static struct vexpr *parse_vfunc(struct parser *p, int fn)
{
	struct token name = p->tok;
	next(p);        /* the name */
	next(p);        /* ( */
	struct vexpr *e = new_vexpr(V_FUNC);
	e->op = fn;
	struct vexpr **at = &e->a;
	unsigned n = 0;
	while (p->tok.t != T_RPAREN) {
		struct vexpr *arg = parse_vbits(p);
		if (!arg) {
			free_vexpr(e);
			return NULL;
		}
		*at = arg;
		at = &arg->next;
		n++;
		if (p->tok.t == T_COMMA)
			next(p);
		else if (p->tok.t != T_RPAREN) {
			fail_tok(p);
			free_vexpr(e);
			return NULL;
		}
	}
	next(p);
	bool many = fn == VF_MAX || fn == VF_MIN;
	if (!n || (!many && n > 1)) {
		fail_at(p, name.pos, name.len, n ? "Function %.*s takes "
		        "only 1 argument." : "Function %.*s needs at least 1 "
		        "arguments.", (int)name.len, p->text + name.pos);
		free_vexpr(e);
		return NULL;
	}
	return e;
}

static struct vexpr *parse_vprimary(struct parser *p)
{
	const struct token *t = &p->tok;
	const char *w = p->text + t->pos;
	int fn, pr;
	if (t->t == T_LBRACE) {
		next(p);
		struct vexpr *e = parse_vbits(p);
		if (e && p->tok.t != T_RBRACE) {
			fail_tok(p);
			free_vexpr(e);
			return NULL;
		}
		if (e)
			next(p);
		return e;
	}
	if (t->t == T_WORD && before_paren(p->text, t)) {
		if (!is_func(w, t->len, &fn)) {
			fail_at(p, t->pos, t->len, "Function '%.*s' does not "
			        "exist", (int)t->len, w);
			return NULL;
		}
		return parse_vfunc(p, fn);
	}
	if (t->t == T_WORD && w[0] == '-' && t->len > 1 &&
	    (isalpha((unsigned char)w[1]) || w[1] == '_')) {
		/* "-tcp.len": the word took the sign. */
		struct vexpr *e = new_vexpr(V_NEG);
		p->tok.pos++;
		p->tok.len--;
		e->a = parse_vprimary(p);
		if (!e->a) {
			free_vexpr(e);
			return NULL;
		}
		return e;
	}
	bool known;
	const struct tl_field *f = field_of(p, t, &known);
	struct vexpr *e;
	if (f) {
		e = new_vexpr(V_FIELD);
		e->field = f;
		e->type = vtype_of_field(f);
	} else if (t->t == T_WORD && proto_of(w, t->len, &pr)) {
		e = new_vexpr(V_PROTO);
		e->proto = pr;
		e->type = VT_BYTES;
		note_gaps(p, TL_REC_BYTES, vproto_names[pr]);
	} else if ((t->t == T_WORD || t->t == T_REF) && known) {
		e = new_vexpr(V_PROTO);     /* a field we do not hold */
		e->proto = -1;
		e->ref = t->t == T_REF;
		bool absent = p->absent;
		e->field = absent_field(p, t);
		p->absent = absent;
		e->type = vtype_of_field(e->field);
		f = e->field;
	} else if (t->t == T_WORD || owns_str(t->t)) {
		e = new_vexpr(V_LIT);
		e->tok = *t;
		if (owns_str(t->t)) {
			e->tok.str = tl_xmalloc(t->str_len + 1);
			memcpy(e->tok.str, t->str, t->str_len + 1);
		}
		next(p);
		return e;
	} else {
		fail_tok(p);
		return NULL;
	}
	struct token ft = *t;
	next(p);
	if (p->tok.t == T_HASH) {
		size_t hash_end = p->tok.pos + 1;
		next(p);
		int64_t layer;
		if (p->tok.pos != hash_end) {
			fail_at(p, hash_end, 1, "Expected digit or \"[\", not "
			        "\"%c\"", p->text[hash_end]);
			free_vexpr(e);
			return NULL;
		}
		if (p->tok.t != T_WORD ||
		    !parse_int(p->text + p->tok.pos, p->tok.len, &layer) ||
		    layer < 0) {
			fail_tok(p);
			free_vexpr(e);
			return NULL;
		}
		e->layer = (unsigned)(layer ? layer : 1);
		next(p);
	}
	while (p->tok.t == T_LBRACK) {
		if (e->type != VT_BYTES && e->type != VT_STRING &&
		    e->type != VT_IPV4 && e->type != VT_IPV6) {
			fail_at(p, ft.pos, ft.len, "\"%.*s\" is a %s and cannot "
			        "be sliced into a sequence of bytes", (int)ft.len,
			        p->text + ft.pos, f ? type_name(f) : "Label");
			free_vexpr(e);
			return NULL;
		}
		struct vexpr *sl = new_vexpr(V_SLICE);
		sl->a = e;
		sl->type = VT_BYTES;
		e = sl;
		if (!parse_slice(p, sl)) {
			free_vexpr(e);
			return NULL;
		}
	}
	return e;
}

static struct vexpr *parse_vunary(struct parser *p)
{
	if (p->tok.t == T_ARITH && p->text[p->tok.pos] == '+') {
		next(p);        /* 4.0's unary plus changes nothing */
		return parse_vunary(p);
	}
	if (p->tok.t == T_WORD && is_word(p->text + p->tok.pos, p->tok.len,
	                                  "-")) {
		next(p);
		struct vexpr *e = new_vexpr(V_NEG);
		e->a = parse_vunary(p);
		if (!e->a) {
			free_vexpr(e);
			return NULL;
		}
		return e;
	}
	return parse_vprimary(p);
}

static int arith_op(const struct parser *p, bool mul)
{
	const struct token *t = &p->tok;
	char c = p->text[t->pos];
	if (t->t == T_ARITH)
		return (c == '+') != mul ? c : 0;
	if (t->t == T_WORD && t->len == 1 && (c == '-' || c == '/'))
		return (c == '-') != mul ? c : 0;
	/* "tcp.len -1": the word took the minus of a subtraction. */
	if (t->t == T_WORD && c == '-' && !mul)
		return '-';
	return 0;
}

static struct vexpr *parse_vchain(struct parser *p, int level)
{
	struct vexpr *a = level == 2 ? parse_vunary(p)
	                             : parse_vchain(p, level + 1);
	for (;;) {
		int op = level == 0 ? (p->tok.t == T_BITAND ? '&' : 0)
		                    : arith_op(p, level == 2);
		if (!a || !op)
			return a;
		if (p->tok.t == T_WORD && p->tok.len > 1) {
			p->tok.pos++;   /* past the minus only */
			p->tok.len--;
		} else {
			next(p);
		}
		struct vexpr *b = level == 2 ? parse_vunary(p)
		                             : parse_vchain(p, level + 1);
		if (!b) {
			free_vexpr(a);
			return NULL;
		}
		struct vexpr *e = new_vexpr(V_ARITH);
		e->op = op;
		e->a = a;
		e->b = b;
		a = e;
	}
}

static struct vexpr *parse_vbits(struct parser *p)
{
	return parse_vchain(p, 0);
}

/* Types: a literal takes its partner's; functions say what they take. */
static bool vcheck(struct parser *p, struct vexpr *e, enum vtype want);

static bool vconvert(struct parser *p, struct vexpr *e, enum vtype want)
{
	static const uint8_t ft[] = {
		[VT_INT] = TL_FT_INT, [VT_TIME] = TL_FT_TIME,
		[VT_BYTES] = TL_FT_BYTES, [VT_STRING] = TL_FT_STRING,
		[VT_IPV4] = TL_FT_IPV4, [VT_IPV6] = TL_FT_IPV6,
		[VT_BOOL] = TL_FT_BOOL, [VT_NONE] = TL_FT_INT,
	};
	struct tl_field f = { .name = "", .type = ft[want], .bits = 64 };
	/* Beside a field of that type, a literal takes the field's own
	 * (its width, an Ethernet address). */
	if (p->partner && vtype_of_field(p->partner) == want)
		f = *p->partner;
	struct token keep = p->tok;
	p->tok = e->tok;
	const char *w = p->text + e->tok.pos;
	bool ok;
	/* One byte may be written 0x45. */
	if (want == VT_BYTES && e->tok.t == T_WORD && e->tok.len == 4 &&
	    w[0] == '0' && (w[1] == 'x' || w[1] == 'X') &&
	    isxdigit((unsigned char)w[2]) && isxdigit((unsigned char)w[3])) {
		e->lit.bytes = tl_xmalloc(1);
		e->lit.bytes[0] = (uint8_t)strtoul(w + 2, NULL, 16);
		e->lit.len = 1;
		ok = true;
	} else {
		ok = literal_for(p, &f, &e->lit);
	}
	p->tok = keep;
	e->type = want == VT_NONE ? VT_INT : want;
	e->converted = ok;
	return ok;
}

/* Whether e reads a field or protocol (is not made of literals only). */
static bool names_field(const struct vexpr *e)
{
	if (!e)
		return false;
	if (e->kind == V_FIELD || e->kind == V_PROTO || e->kind == V_FUNC)
		return true;
	return names_field(e->a) || names_field(e->b);
}

/* Checks y, a literal taking the type of x (and x's field's own, when x
 * is a field). */
static bool vcheck_beside(struct parser *p, struct vexpr *y,
                          const struct vexpr *x)
{
	/* -field and field + 1 convert as the field does. */
	while (x->kind == V_NEG || (x->kind == V_ARITH && x->a->kind != V_LIT))
		x = x->a;
	p->partner = (x->kind == V_FIELD || x->kind == V_PROTO) ? x->field
	                                                        : NULL;
	bool ok = vcheck(p, y, x->type);
	p->partner = NULL;
	return ok;
}

static bool is_number(enum vtype t)
{
	return t == VT_INT || t == VT_TIME;
}

static bool vcheck(struct parser *p, struct vexpr *e, enum vtype want)
{
	switch (e->kind) {
	case V_FIELD:
	case V_PROTO:
		return true;
	case V_LIT:
		return vconvert(p, e, want);
	case V_SLICE:
		return vcheck(p, e->a, VT_NONE);
	case V_NEG:
		if (!vcheck(p, e->a, want))
			return false;
		e->type = e->a->type;
		if (!is_number(e->type)) {
			fail_at(p, e->a->tok.pos, e->a->tok.len, "%s cannot "
			        "be negated", ft_name(e->type));
			return false;
		}
		return true;
	case V_ARITH: {
		struct vexpr *x = e->a->kind == V_LIT ? e->b : e->a;
		struct vexpr *y = x == e->a ? e->b : e->a;
		if (!vcheck(p, x, want) || !vcheck_beside(p, y, x))
			return false;
		e->type = x->type;
		/* A protocol's bytes take no mask (tcp.payload is bytes). */
		bool proto = x->kind == V_PROTO &&
		             (x->field ? x->field->base == TL_BASE_NAME
		                       : x->proto != VP_PAYLOAD);
		if (e->op == '&' && proto) {
			fail_at(p, 0, 0, "FT_PROTOCOL cannot &.");
			return false;
		}
		bool ok = e->op == '&'
			? (e->type == VT_INT || e->type == VT_BYTES)
			: is_number(e->type) &&
			  (e->type == VT_INT || e->op == '+' || e->op == '-');
		if (!ok) {
			fail_at(p, 0, 0, "%s cannot %c.", ft_name(e->type),
			        e->op);
			return false;
		}
		if (e->a->type != e->b->type) {
			fail_at(p, 0, 0, "%s and %s are not of compatible "
			        "types", ft_name(e->a->type),
			        ft_name(e->b->type));
			return false;
		}
		return true;
	}
	case V_FUNC: {
		static const char *const names[] = { "len", "count", "upper",
			"lower", "string", "abs", "max", "min" };
		const char *name = names[e->op];
		for (struct vexpr *a = e->a; a; a = a->next)
			if (!vcheck(p, a, e->op >= VF_ABS ? want : VT_NONE))
				return false;
		struct vexpr *a = e->a;
		bool field = a->kind == V_FIELD ||
		             (a->kind == V_PROTO && !a->ref);
		switch (e->op) {
		case VF_LEN: case VF_COUNT: case VF_STRING:
			if (!field) {
				fail_at(p, 0, 0, "Only fields can be used as "
				        "parameter for %s()", name);
				return false;
			}
			if (e->op == VF_STRING && a->type == VT_BOOL) {
				fail_at(p, 0, 0, "String conversion for field "
				        "\"%s\" is not supported", a->field
				        ? a->field->name : "?");
				return false;
			}
			e->type = e->op == VF_STRING ? VT_STRING : VT_INT;
			return true;
		case VF_UPPER: case VF_LOWER:
			if (!field || a->type != VT_STRING) {
				fail_at(p, 0, 0, "Only string type fields can "
				        "be used as parameter for %s()", name);
				return false;
			}
			e->type = VT_STRING;
			return true;
		default:
			for (struct vexpr *x = e->a; x; x = x->next) {
				/* max() and min() take any type, abs()
				 * numbers. */
				if (x->type == VT_NONE ||
				    (e->op == VF_ABS && x->type == e->a->type &&
				     !is_number(x->type) && x->type != VT_BOOL)) {
					fail_at(p, 0, 0, "'%s' is not a valid "
					        "argument to '%s'()", x->field
					        ? x->field->name : "?", name);
					return false;
				}
				if (x->type != e->a->type) {
					fail_at(p, 0, 0, "Arguments to '%s' must "
					        "have the same type (expected %s, "
					        "got %s)", name,
					        ft_name(e->a->type),
					        ft_name(x->type));
					return false;
				}
			}
			e->type = e->a->type;
			return true;
		}
	}
	}
	return false;
}

/* The regular expression of "matches", from the string token at p
 * (case-insensitive, as 4.0 compiles it). */
static pcre2_code *compile_regex(struct parser *p, const char *re, size_t len)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, len, PCRE2_CASELESS,
	                                 &ec, &off, NULL);
	if (!code) {
		char msg[160];
		pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg);
		fail_at(p, p->tok.pos, p->tok.len, "Regex compilation error: %s",
		        msg);
	}
	return code;
}

/* "value matches "re"": the value's bytes against the expression. */
static struct node *parse_vmatches(struct parser *p, struct node *n,
                                   size_t start)
{
	struct vexpr *a = n->va;
	next(p);
	if (p->tok.t != T_STRING) {
		fail_at(p, p->tok.pos, p->tok.len, "Matches right side must be "
		        "a string");
	} else if (a->kind == V_LIT || !vcheck(p, a, VT_NONE)) {
		if (!p->err_len && !p->err_pos) {
			p->err_pos = start;
			p->err_len = p->tok.pos - start;
		}
	} else if (a->type != VT_BYTES && a->type != VT_STRING) {
		fail_at(p, start, p->tok.pos - start, "%s cannot participate "
		        "in matches comparison", ft_name(a->type));
	} else if ((n->re = compile_regex(p, p->tok.str, p->tok.str_len))) {
		n->kind = N_VCMP;
		n->vmatches = true;
		next(p);
		return n;
	}
	free_node(n);
	return NULL;
}

/* "left OP right", or a value alone (present). */
static struct node *parse_vtest(struct parser *p)
{
	size_t start = p->tok.pos;
	struct vexpr *a = parse_vbits(p);
	if (!a)
		return NULL;
	size_t lhs_len = p->tok.pos - start;
	while (lhs_len && isspace((unsigned char)p->text[start + lhs_len - 1]))
		lhs_len--;
	struct node *n = new_node(N_VEXISTS);
	n->va = a;
	if (p->tok.t == T_REL) {
		n->kind = N_VCMP;
		n->rel = p->tok.rel;
		next(p);
		n->vb = parse_vbits(p);
		if (!n->vb) {
			free_node(n);
			return NULL;
		}
	} else if (p->tok.t == T_CONTAINS) {
		n->kind = N_VCMP;
		n->vcontains = true;
		next(p);
		n->vb = parse_vbits(p);
		if (!n->vb) {
			free_node(n);
			return NULL;
		}
	} else if (p->tok.t == T_MATCHES) {
		return parse_vmatches(p, n, start);
	} else if (p->tok.t == T_IN) {
		fail_at(p, p->tok.pos, p->tok.len, "\"%.*s\" after a slice, "
		        "function or arithmetic is not supported here",
		        (int)p->tok.len, p->text + p->tok.pos);
		free_node(n);
		return NULL;
	}
	size_t len = p->tok.pos > start ? p->tok.pos - start : 0;
	struct vexpr *x = n->vb && a->kind == V_LIT ? n->vb : a;
	struct vexpr *y = x == a ? n->vb : a;
	if (!names_field(x)) {
		fail_at(p, start, x == a ? lhs_len : len, x->kind == V_LIT
		        ? "Constant expression is invalid"
		        : "Constant arithmetic expression on the LHS is invalid.");
		free_node(n);
		return NULL;
	}
	if (!y && x->kind == V_FUNC) {
		fail_at(p, start, len, "You cannot test whether a function is "
		        "present.");
		free_node(n);
		return NULL;
	}
	if (y && x->kind == V_FIELD && x->type == VT_NONE) {
		fail_at(p, start, len, "%s (type=Label) cannot participate in "
		        "comparison", x->field->name);
		free_node(n);
		return NULL;
	}
	if (!vcheck(p, x, VT_NONE) || (y && !vcheck_beside(p, y, x))) {
		if (!p->err_len && !p->err_pos) {
			p->err_pos = start;
			p->err_len = len;
		}
		free_node(n);
		return NULL;
	}
	if (n->vcontains && x->type != VT_BYTES && x->type != VT_STRING) {
		fail_at(p, start, len, "%s cannot participate in contains "
		        "comparison", ft_name(x->type));
		free_node(n);
		return NULL;
	}
	/* A string and a slice (bytes) compare, as in 4.0. */
	if (y && y->type != x->type && !(x->type == VT_INT &&
	                                 y->type == VT_BOOL) &&
	    !((x->type == VT_STRING || x->type == VT_BYTES) &&
	      (y->type == VT_STRING || y->type == VT_BYTES) &&
	      (x->kind == V_SLICE || y->kind == V_SLICE)) &&
	    !(n->vcontains && y->type == VT_BYTES)) {
		fail_at(p, start, len, "%s and %s are not of compatible types",
		        ft_name(x->type), ft_name(y->type));
		free_node(n);
		return NULL;
	}
	return n;
}


static struct node *parse_test1(struct parser *p);

/* One test; one naming a field tcpladder lacks (checked as 4.0 checks it)
 * is false on every row, its "not in" true. */
static struct node *parse_test(struct parser *p)
{
	p->absent = false;
	struct node *n = parse_test1(p);
	if (n && p->absent) {
		bool neg = n->kind == N_NOT;
		free_node(n);
		n = new_node(N_FALSE);
		if (neg) {
			struct node *no = new_node(N_NOT);
			no->a = n;
			n = no;
		}
	}
	p->absent = false;
	return n;
}

static struct node *parse_test1(struct parser *p)
{
	if (wants_vexpr(p))
		return parse_vtest(p);
	struct token ft = p->tok;
	if (ft.t != T_WORD && ft.t != T_STRING && ft.t != T_REF) {
		fail_tok(p);
		return NULL;
	}
	/* ".tcp.port": 4.0's dot before a name that must be a field. */
	if (ft.t == T_WORD && ft.len > 1 && p->text[ft.pos] == '.') {
		if (!tl_field_find(p->text + ft.pos + 1, ft.len - 1) &&
		    !tl_field_known_elsewhere(p->text + ft.pos + 1,
		                              ft.len - 1)) {
			fail_at(p, ft.pos, ft.len, "\"%.*s\" is not a valid "
			        "protocol or protocol field.", (int)ft.len - 1,
			        p->text + ft.pos + 1);
			return NULL;
		}
		p->tok.pos++;
		p->tok.len--;
		ft = p->tok;
	}
	bool known;
	const struct tl_field *f = field_of(p, &ft, &known);
	next(p);
	enum tok op = p->tok.t;
	bool relation = op == T_REL || op == T_IN || op == T_CONTAINS ||
	                op == T_MATCHES || op == T_BITAND;
	if (op == T_NOT) {
		/* "field not in {...}" */
		struct token save = p->tok;
		next(p);
		if (p->tok.t != T_IN) {
			if (owns_str(p->tok.t))
				free(p->tok.str);
			p->tok = save;
		} else {
			relation = true;
			op = T_IN;
			ft.rel = R_NE;      /* marks the negation */
		}
	}
	if (!f && !known) {
		if (relation)
			fail_at(p, ft.pos, ft.len, "Left side of \"%s\" expression "
			        "must be a field or function, not %.*s",
			        rel_text(p, &p->tok), (int)ft.len,
			        p->text + ft.pos);
		else
			fail_at(p, ft.pos, ft.len, "%.*s is neither a field nor a "
			        "protocol name", (int)ft.len, p->text + ft.pos);
		return NULL;
	}
	if (!relation && ft.t == T_REF) {
		fail_at(p, ft.pos + 2, ft.len - 3, "%.*s is neither a field nor "
		        "a protocol name.", (int)ft.len - 3, p->text + ft.pos + 2);
		return NULL;
	}
	if (!relation) {
		struct node *n = new_node(f ? N_EXISTS : N_FALSE);
		n->field = f;
		if (!f)
			protocol_presence(p, p->text + ft.pos, ft.len, n);
		return n;
	}
	if (!f)
		f = absent_field(p, &ft);
	struct token optok = p->tok;
	if (f->type == TL_FT_NONE && op != T_IN) {
		fail_at(p, ft.pos, ft.len, "%s (type=Label) cannot participate "
		        "in %s comparison", f->name, rel_text(p, &optok));
		return NULL;
	}
	struct node *n = NULL;
	if (op == T_IN) {
		next(p);
		if (p->tok.t != T_LBRACE) {
			fail_tok(p);
			return NULL;
		}
		if (f->type == TL_FT_NONE) {
			fail_at(p, ft.pos, ft.len, "%s (type=Label) cannot "
			        "participate in in comparison", f->name);
			return NULL;
		}
		n = parse_set(p, f);
		if (n && ft.rel == R_NE) {
			struct node *no = new_node(N_NOT);
			no->a = n;
			n = no;
		}
		return n;
	}
	if (op == T_CONTAINS || op == T_MATCHES) {
		/* A protocol's bytes (http) take both, other bytes
		 * only contains, as in 4.0. */
		bool textual = f->type == TL_FT_STRING ||
		               f->type == TL_FT_BYTES;
		if (!textual) {
			fail_at(p, ft.pos, ft.len, "%s (type=%s) cannot participate "
			        "in %s comparison", f->name, type_name(f),
			        op == T_CONTAINS ? "contains" : "matches");
			return NULL;
		}
		next(p);
		/* A field on the right must be of a type f contains. */
		bool rk;
		const struct tl_field *rf = op == T_CONTAINS
		                            ? field_of(p, &p->tok, &rk) : NULL;
		if (op == T_CONTAINS && !rf && rk && p->tok.t == T_WORD)
			rf = tl_field_elsewhere(p->text + p->tok.pos, p->tok.len);
		if (rf && rf->type != TL_FT_STRING && rf->type != TL_FT_BYTES) {
			fail_at(p, p->tok.pos, p->tok.len, "%s and %.*s are not "
			        "of compatible types.", f->name, (int)p->tok.len,
			        p->text + p->tok.pos);
			return NULL;
		}
		n = new_node(op == T_CONTAINS ? N_CONTAINS : N_MATCHES);
		n->field = f;
		n->lits = tl_xcalloc(1, sizeof *n->lits);
		if (op == T_MATCHES && p->tok.t != T_STRING) {
			fail_at(p, p->tok.pos, p->tok.len, "Matches right side "
			        "must be a string");
			free_node(n);
			return NULL;
		}
		/* The expression is text whatever the field. */
		static const struct tl_field text = { .name = "",
		                                      .type = TL_FT_STRING };
		if (!literal_for(p, op == T_MATCHES ? &text : f, &n->lits[0])) {
			free_node(n);
			return NULL;
		}
		n->nlits = 1;
		if (op == T_MATCHES &&
		    !(n->re = compile_regex(p, (const char *)n->lits[0].bytes,
		                            n->lits[0].len))) {
			free_node(n);
			return NULL;
		}
		next(p);
		return n;
	}
	n = new_node(N_CMP);
	n->field = f;
	if (op == T_BITAND) {
		if (f->type != TL_FT_UINT && f->type != TL_FT_INT &&
		    f->type != TL_FT_FRAMENUM) {
			fail_at(p, ft.pos, ft.len, "%s cannot &.", ft_of(f));
			free_node(n);
			return NULL;
		}
		next(p);
		struct literal m;
		if (p->tok.t == T_CHAR) {
			fail_at(p, p->tok.pos, p->tok.len, "%.*s is not a valid "
			        "arithmetic operand.", (int)p->tok.len,
			        p->text + p->tok.pos);
			free_node(n);
			return NULL;
		}
		if (!literal_for(p, f, &m)) {
			free_node(n);
			return NULL;
		}
		n->has_mask = true;
		n->mask = (uint64_t)m.i;
		next(p);
		if (p->tok.t != T_REL) {
			n->kind = N_EXISTS;     /* field & mask != 0 */
			return n;
		}
		optok = p->tok;
	}
	n->rel = optok.rel;
	if ((n->rel == R_GT || n->rel == R_LT || n->rel == R_GE ||
	     n->rel == R_LE) && !orderable(f)) {
		fail_at(p, ft.pos, ft.len, "%s (type=%s) cannot participate in "
		        "%s comparison", f->name, type_name(f),
		        rel_text(p, &optok));
		free_node(n);
		return NULL;
	}
	next(p);
	bool rknown;
	const struct tl_field *rf = field_of(p, &p->tok, &rknown);
	if (!rf && rknown)
		rf = absent_field(p, &p->tok);
	if (rf) {
		if (!same_kind(f, rf)) {
			fail_at(p, p->tok.pos, p->tok.len, "%s and %.*s are not of "
			        "compatible types", f->name, (int)p->tok.len,
			        p->text + p->tok.pos);
			free_node(n);
			return NULL;
		}
		n->rfield = rf;
		next(p);
		return n;
	}
	n->lits = tl_xcalloc(1, sizeof *n->lits);
	if (!literal_for(p, f, &n->lits[0])) {
		free_node(n);
		return NULL;
	}
	n->nlits = 1;
	next(p);
	return n;
}

static struct node *parse_unary(struct parser *p)
{
	if (p->tok.t == T_NOT) {
		next(p);
		struct node *a = parse_unary(p);
		if (!a)
			return NULL;
		struct node *n = new_node(N_NOT);
		n->a = a;
		return n;
	}
	if (p->tok.t == T_LPAREN) {
		next(p);
		struct node *n = parse_or(p);
		if (!n)
			return NULL;
		if (p->tok.t != T_RPAREN) {
			fail_tok(p);
			free_node(n);
			return NULL;
		}
		next(p);
		return n;
	}
	return parse_test(p);
}

static struct node *parse_and(struct parser *p)
{
	struct node *a = parse_unary(p);
	while (a && p->tok.t == T_AND) {
		next(p);
		struct node *b = parse_unary(p);
		if (!b) {
			free_node(a);
			return NULL;
		}
		struct node *n = new_node(N_AND);
		n->a = a;
		n->b = b;
		a = n;
	}
	return a;
}

static struct node *parse_or(struct parser *p)
{
	struct node *a = parse_and(p);
	while (a && p->tok.t == T_OR) {
		next(p);
		struct node *b = parse_and(p);
		if (!b) {
			free_node(a);
			return NULL;
		}
		struct node *n = new_node(N_OR);
		n->a = a;
		n->b = b;
		a = n;
	}
	return a;
}

/* Whether n reads no field but those of(field) says yes to. */
static bool reads_only(const struct node *n,
                       bool (*of)(const struct tl_field *))
{
	switch (n->kind) {
	case N_AND: case N_OR:
		return reads_only(n->a, of) && reads_only(n->b, of);
	case N_NOT: return reads_only(n->a, of);
	case N_TRUE: case N_FALSE: return true;
	case N_EXISTS: case N_IN: case N_CONTAINS: case N_MATCHES:
		return of(n->field);
	case N_CMP: return of(n->field) && (!n->rfield || of(n->rfield));
	default: return false;
	}
}

/* A slot for each largest subtree that reads only the connection's
 * fields, or only the flags (a constant needs none). */
static void assign_memo(struct node *n, unsigned *slots, unsigned *fslots)
{
	bool conn = reads_only(n, tl_field_of_conn);
	if (conn || reads_only(n, tl_field_of_flags)) {
		if (n->kind == N_TRUE || n->kind == N_FALSE)
			return;
		n->memo_flags = !conn;
		n->memo = conn ? ++*slots : ++*fslots;
		return;
	}
	if (n->kind == N_AND || n->kind == N_OR) {
		assign_memo(n->a, slots, fslots);
		assign_memo(n->b, slots, fslots);
	} else if (n->kind == N_NOT) {
		assign_memo(n->a, slots, fslots);
	}
}

struct tl_dfilter *tl_dfilter_compile(const char *text, char *err,
                                      size_t err_size, size_t *err_pos,
                                      size_t *err_len)
{
	struct parser p = { .text = text, .err = err, .err_size = err_size };
	p.tok = (struct token){ .t = T_BAD, .pos = 0, .len = 0 };
	next(&p);
	/* An empty filter (4.0: blanks only) keeps every row. */
	struct node *root = p.failed ? NULL : p.tok.t == T_END
	                    ? new_node(N_TRUE) : parse_or(&p);
	if (root && p.tok.t != T_END) {
		fail_tok(&p);
		free_node(root);
		root = NULL;
	}
	if (!root && !p.failed)
		fail_tok(&p);
	if (owns_str(p.tok.t))
		free(p.tok.str);
	if (!root) {
		if (err_pos)
			*err_pos = p.err_pos;
		if (err_len)
			*err_len = p.err_len;
		return NULL;
	}
	struct tl_dfilter *df = tl_xcalloc(1, sizeof *df);
	df->root = root;
	df->wants_bif = p.wants_bif;
	df->wants_sender = p.wants_sender;
	df->wants_http = p.wants_http;
	df->rec_gaps = p.rec_gaps;
	memcpy(df->gap_name, p.gap_name, sizeof df->gap_name);
	unsigned slots = 0, fslots = 0;
	assign_memo(root, &slots, &fslots);
	if (slots || fslots) {
		df->memo = tl_xcalloc(1, sizeof *df->memo);
		df->memo->slots = slots;
		df->memo->fslots = fslots;
		if (fslots)
			df->memo->fv = tl_xcalloc(fslots, FLAG_VALUES);
	}
	return df;
}

void tl_dfilter_free(struct tl_dfilter *df)
{
	if (!df)
		return;
	free_node(df->root);
	if (df->memo) {
		free(df->memo->v);
		free(df->memo->conn);
		free(df->memo->fv);
		free(df->memo);
	}
	free(df);
}

bool tl_dfilter_wants_bif(const struct tl_dfilter *df)
{
	return df->wants_bif;
}

bool tl_dfilter_wants_sender(const struct tl_dfilter *df)
{
	return df->wants_sender;
}

bool tl_dfilter_wants_http(const struct tl_dfilter *df)
{
	return df->wants_http;
}

unsigned tl_dfilter_record_gaps(const struct tl_dfilter *df)
{
	return df->rec_gaps;
}

bool tl_dfilter_gap_named(const struct tl_dfilter *df, unsigned gaps,
                          const char **field, const char **why)
{
	static const char *const whys[REC_GAP_KINDS] = {
		"is read from the frame's bytes, which the view's rows do "
		"not keep",
		"is read from every IP header, and a frame here has more "
		"than one (a tunnel or a fragment), which the view's rows do "
		"not keep",
		"counts nanoseconds, and the view's rows keep microseconds",
		"is read from the header, and a segment here sets TCP's "
		"reserved flag bits, which the view's rows do not keep",
		"is found among the rows kept, and rows were let go "
		"(--max-segments, --max-memory)",
		"is found among the rows kept, and a segment here has its "
		"header cut by the snap length (tshark shows no analysis "
		"there)",
		"is analysis, and a frame here carries several segments "
		"(an A-MSDU), of which the view's row keeps the first",
		"is an ACK number, and a segment here without the ACK flag "
		"carries one, which the view's rows do not keep",
		"is read from the TCP header, and a segment here has less "
		"than 20 bytes of it captured (read as 0, as -Y does)",
	};
	unsigned miss = df->rec_gaps & gaps;
	for (unsigned k = 0; k < REC_GAP_KINDS; k++)
		if ((miss >> k) & 1u) {
			if (field)
				*field = df->gap_name[k];
			if (why)
				*why = whys[k];
			return true;
		}
	return false;
}

bool tl_dfilter_record_answers(const struct tl_dfilter *df,
                               const struct tl_model *m, const char **field,
                               const char **why)
{
	unsigned have = TL_REC_BYTES | (m ? m->record_gaps : 0);
	if (m && m->evicted.segments)
		have |= TL_REC_EVICTED;
	return !tl_dfilter_gap_named(df, have, field, why);
}

/* ---- matching ------------------------------------------------------------------ */

static int cmp_i(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* Times order as 4.0's nstime_cmp does: by nanoseconds within the same
 * second, otherwise by the difference of the seconds cut to a signed 32-bit
 * int, so two times more than 68 years apart compare backwards
 * (docs/filters.md). */
static int cmp_time(int64_t a, int64_t b)
{
	int64_t as = a / 1000000000, bs = b / 1000000000;
	if (as == bs)
		return cmp_i(a % 1000000000, b % 1000000000);
	int32_t d = (int32_t)(uint32_t)((uint64_t)as - (uint64_t)bs);
	return d < 0 ? -1 : d > 0;
}

static int cmp_bytes(const uint8_t *a, size_t an, const uint8_t *b,
                     size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? (c < 0 ? -1 : 1) : cmp_i((int64_t)an, (int64_t)bn);
}

/* An integer value as a signed 64-bit number (unsigned fields fit). */
static int64_t ival(const struct tl_field *f, const struct tl_fval *v)
{
	return f->type == TL_FT_INT || f->type == TL_FT_TIME ? v->i
	                                                     : (int64_t)v->u;
}

static bool addr_in(const struct tl_field *f, const uint8_t *a,
                    const struct literal *l)
{
	unsigned bits = l->prefix, full = bits / 8;
	(void)f;
	if (memcmp(a, l->addr, full))
		return false;
	if (bits % 8) {
		uint8_t m = (uint8_t)(0xff << (8 - bits % 8));
		if ((a[full] & m) != (l->addr[full] & m))
			return false;
	}
	return true;
}

/* Compares a value with a literal: <0, 0, >0; addresses with a CIDR
 * literal are "equal" inside the network. */
static int cmp_lit(const struct tl_field *f, const struct tl_fval *v,
                   const struct literal *l)
{
	switch (f->type) {
	case TL_FT_IPV4:
	case TL_FT_IPV6: {
		if (addr_in(f, v->addr, l))
			return 0;
		return cmp_bytes(v->addr, f->type == TL_FT_IPV4 ? 4 : 16,
		                 l->addr, f->type == TL_FT_IPV4 ? 4 : 16);
	}
	case TL_FT_STRING:
		return cmp_bytes(v->bytes, v->len, l->bytes, l->len);
	case TL_FT_BYTES:
		/* 4.0 orders byte strings by length first. */
		if (v->len != l->len)
			return v->len < l->len ? -1 : 1;
		return cmp_bytes(v->bytes, v->len, l->bytes, l->len);
	case TL_FT_BOOL:
		return cmp_i(v->u != 0, l->i);
	case TL_FT_TIME:
		return cmp_time(v->i, l->i);
	default:
		return cmp_i(ival(f, v), l->i);
	}
}

static int cmp_vals(const struct tl_field *f, const struct tl_fval *a,
                    const struct tl_field *g, const struct tl_fval *b)
{
	switch (f->type) {
	case TL_FT_IPV4: return cmp_bytes(a->addr, 4, b->addr, 4);
	case TL_FT_IPV6: return cmp_bytes(a->addr, 16, b->addr, 16);
	case TL_FT_STRING: return cmp_bytes(a->bytes, a->len, b->bytes, b->len);
	case TL_FT_BYTES:
		if (a->len != b->len)
			return a->len < b->len ? -1 : 1;
		return cmp_bytes(a->bytes, a->len, b->bytes, b->len);
	case TL_FT_TIME:
		if (g->type == TL_FT_TIME)
			return cmp_time(a->i, b->i);
		return cmp_i(ival(f, a), ival(g, b));
	default: return cmp_i(ival(f, a), ival(g, b));
	}
}

static bool rel_holds(enum rel r, int c)
{
	switch (r) {
	case R_EQ: case R_ALL_EQ: return c == 0;
	case R_NE: case R_ANY_NE: return c != 0;
	case R_GT: return c > 0;
	case R_LT: return c < 0;
	case R_GE: return c >= 0;
	case R_LE: return c <= 0;
	}
	return false;
}

/* 4.0's quantifiers: == > < >= <= and !== hold for some pair, != and ===
 * for every pair; a missing field makes every comparison false. */
static bool every_pair(enum rel r)
{
	return r == R_NE || r == R_ALL_EQ;
}

/* ---- their values ----------------------------------------------------- */

static unsigned veval(const struct vexpr *e, const struct tl_fctx *c,
                      struct vval *out);

/* One value per IP header of that version, tunnels' outer ones first (as
 * 4.0 lists them): the header, or with rest the datagram it starts. */
static unsigned ip_layers(const struct tl_fctx *c, unsigned version,
                          bool rest, struct vval *out)
{
	const uint8_t *hdr[TL_FIELD_IP_LAYERS_MAX];
	uint32_t hlen[TL_FIELD_IP_LAYERS_MAX], whole[TL_FIELD_IP_LAYERS_MAX];
	unsigned n = tl_field_ip_layers(c, version, hdr, hlen, whole);
	if (n > TL_FIELD_MAX_VALUES)
		n = TL_FIELD_MAX_VALUES;
	for (unsigned i = 0; i < n; i++) {
		out[i].p = hdr[i];
		out[i].len = rest ? whole[i] : hlen[i];
	}
	return n;
}

static unsigned proto_bytes(const struct vexpr *e, const struct tl_fctx *c,
                            struct vval *out)
{
	if (c->seg || !c->m || e->proto < 0)
		return 0;       /* the view keeps no bytes */
	const struct tl_model *m = c->m;
	const struct tl_packet *pk = &m->pkt;
	switch (e->proto) {
	case VP_FRAME:
		out->p = c->data;
		out->len = c->caplen;
		return c->data != NULL;
	case VP_IP:
	case VP_IPV6:
		return ip_layers(c, e->proto == VP_IP ? 4 : 6, false, out);
	default: {
		if (!m->pkt_data || pk->tcp_offset >= m->pkt_caplen)
			return 0;
		uint32_t avail = m->pkt_caplen - pk->tcp_offset;
		uint32_t hl = pk->tcp_header_len < avail ? pk->tcp_header_len
		                                        : avail;
		if (e->proto == VP_TCP) {
			out->p = m->pkt_data + pk->tcp_offset;
			out->len = hl;
			return 1;
		}
		uint32_t n = avail - hl;
		if (n > pk->seglen)
			n = pk->seglen;
		out->p = m->pkt_data + pk->tcp_offset + hl;
		out->len = n;
		return n > 0;
	}
	}
}

static unsigned field_vals(const struct vexpr *e, const struct tl_fctx *c,
                           struct vval *out)
{
	struct tl_fval v[TL_FIELD_MAX_VALUES];
	if (e->layer > 1)
		return 0;       /* one IP and TCP layer */
	unsigned n = tl_field_values(c, e->field, v);
	for (unsigned i = 0; i < n; i++) {
		struct vval *o = &out[i];
		switch (e->type) {
		case VT_IPV4:
		case VT_IPV6:
			o->len = e->type == VT_IPV4 ? 4 : 16;
			memcpy(o->buf, v[i].addr, o->len);
			o->p = o->buf;
			break;
		case VT_BYTES:
		case VT_STRING:
			o->p = v[i].bytes;
			o->len = v[i].len;
			break;
		case VT_BOOL:
			o->i = v[i].u != 0;
			break;
		default:
			o->i = ival(e->field, &v[i]);
			break;
		}
	}
	return n;
}

/* Where range r of a slice lies in len bytes: false when outside. */
static bool range_at(const struct vexpr *r, int64_t len, int64_t *at,
                     int64_t *want)
{
	*at = r->start < 0 ? len + r->start : r->start;
	*want = r->len < 0 ? len - *at : r->len;
	return *at >= 0 && *want >= 0 && *at + *want <= len;
}

/* Several ranges: their bytes copied end to end into the value's own
 * buffer (at most its size); a range outside the value: no value. */
static unsigned slice_ranges(const struct vexpr *e, struct vval *out,
                             unsigned n)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t tmp[sizeof out[i].buf];
		uint32_t w = 0;
		bool ok = true;
		for (const struct vexpr *r = e; r && ok; r = r->more) {
			int64_t at, want;
			ok = range_at(r, out[i].len, &at, &want);
			for (int64_t b = 0; ok && b < want && w < sizeof tmp; b++)
				tmp[w++] = out[i].p[at + b];
		}
		if (!ok)
			continue;
		memcpy(out[k].buf, tmp, w);
		out[k].p = out[k].buf;
		out[k].len = w;
		k++;
	}
	return k;
}

static unsigned slice_vals(const struct vexpr *e, const struct tl_fctx *c,
                           struct vval *out)
{
	unsigned n = veval(e->a, c, out), k = 0;
	if (e->more)
		return slice_ranges(e, out, n);
	for (unsigned i = 0; i < n; i++) {
		int64_t len = out[i].len, at = e->start < 0 ? len + e->start
		                                            : e->start;
		int64_t want = e->len < 0 ? len - at : e->len;
		if (at < 0 || want < 0 || at + want > len)
			continue;       /* out of range: no value */
		bool own = out[i].p == out[i].buf;
		const uint8_t *from = out[i].p;
		if (k != i)
			out[k] = out[i];
		out[k].p = own ? out[k].buf + at : from + at;
		out[k].len = (uint32_t)want;
		k++;
	}
	return k;
}

static int64_t arith(int op, int64_t a, int64_t b, bool *ok)
{
	switch (op) {
	case '+': return (int64_t)((uint64_t)a + (uint64_t)b);
	case '-': return (int64_t)((uint64_t)a - (uint64_t)b);
	case '*': return (int64_t)((uint64_t)a * (uint64_t)b);
	case '&': return a & b;
	}
	if (b == 0 || (a == INT64_MIN && b == -1)) {
		*ok = false;    /* 4.0: division by zero has no value */
		return 0;
	}
	return op == '/' ? a / b : a % b;
}

static int vcmp(enum vtype t, const struct vval *a, const struct vval *b);

static unsigned func_vals(const struct vexpr *e, const struct tl_fctx *c,
                          struct vval *out)
{
	struct vval in[TL_FIELD_MAX_VALUES];
	unsigned n = veval(e->a, c, in);
	switch (e->op) {
	case VF_COUNT:
		if (!n)
			return 0;
		out[0].i = n;
		return 1;
	case VF_LEN:
		for (unsigned i = 0; i < n; i++)
			out[i].i = e->a->type == VT_INT || e->a->type == VT_BOOL
			           ? (int64_t)(e->a->field->bits + 7) / 8
			           : (int64_t)in[i].len;
		return n;
	case VF_UPPER:
	case VF_LOWER:
		for (unsigned i = 0; i < n; i++) {
			uint32_t len = in[i].len < sizeof out[i].buf
			               ? in[i].len : sizeof out[i].buf;
			for (uint32_t j = 0; j < len; j++) {
				int ch = in[i].p[j];
				out[i].buf[j] = (uint8_t)(ch < 128 ? e->op == VF_UPPER
				                          ? toupper(ch) : tolower(ch)
				                          : ch);
			}
			out[i].p = out[i].buf;
			out[i].len = len;
		}
		return n;
	case VF_STRING: {
		if (!e->a->field || e->a->layer > 1)
			return 0;
		struct tl_fval v[TL_FIELD_MAX_VALUES];
		unsigned m = tl_field_values(c, e->a->field, v);
		for (unsigned i = 0; i < m; i++) {
			char tmp[128];
			size_t w = tl_field_format(e->a->field, &v[i], tmp,
			                           sizeof tmp);
			if (w > sizeof out[i].buf)
				w = sizeof out[i].buf;
			memcpy(out[i].buf, tmp, w);
			out[i].p = out[i].buf;
			out[i].len = (uint32_t)w;
		}
		return m;
	}
	case VF_ABS:
		for (unsigned i = 0; i < n; i++)
			out[i].i = in[i].i < 0 ? -in[i].i : in[i].i;
		return n;
	default: {
		/* Any type orders (vcmp); the best value is copied out, its
		 * bytes with it when they are the value's own. */
		bool have = false;
		for (const struct vexpr *a = e->a; a; a = a->next) {
			unsigned m = veval(a, c, in);
			for (unsigned i = 0; i < m; i++) {
				int d = have ? vcmp(e->type, &in[i], &out[0]) : 0;
				if (have && (e->op == VF_MAX ? d <= 0 : d >= 0))
					continue;
				bool own = !is_number(e->type) &&
				           e->type != VT_BOOL &&
				           in[i].p >= in[i].buf &&
				           in[i].p < in[i].buf + sizeof in[i].buf;
				out[0] = in[i];
				if (own)
					out[0].p = out[0].buf +
					           (in[i].p - in[i].buf);
				have = true;
			}
		}
		return have;
	}
	}
}

static unsigned veval(const struct vexpr *e, const struct tl_fctx *c,
                      struct vval *out)
{
	switch (e->kind) {
	case V_FIELD: return field_vals(e, c, out);
	case V_PROTO: return proto_bytes(e, c, out);
	case V_LIT:
		if (e->type == VT_BYTES || e->type == VT_STRING) {
			out->p = e->lit.bytes;
			out->len = (uint32_t)e->lit.len;
		} else if (e->type == VT_IPV4 || e->type == VT_IPV6) {
			out->len = e->type == VT_IPV4 ? 4 : 16;
			memcpy(out->buf, e->lit.addr, out->len);
			out->p = out->buf;
		} else {
			out->i = e->lit.i;
		}
		return 1;
	case V_SLICE: return slice_vals(e, c, out);
	case V_FUNC: return func_vals(e, c, out);
	case V_NEG: {
		unsigned n = veval(e->a, c, out);
		for (unsigned i = 0; i < n; i++)
			out[i].i = (int64_t)(0 - (uint64_t)out[i].i);
		return n;
	}
	case V_ARITH: {
		struct vval a[TL_FIELD_MAX_VALUES], b[TL_FIELD_MAX_VALUES];
		unsigned na = veval(e->a, c, a), nb = veval(e->b, c, b), k = 0;
		for (unsigned i = 0; i < na; i++)
			for (unsigned j = 0; j < nb && k < TL_FIELD_MAX_VALUES;
			     j++) {
				if (e->type == VT_BYTES) {
					uint32_t len = a[i].len < b[j].len
					               ? a[i].len : b[j].len;
					if (len > sizeof out[k].buf)
						len = sizeof out[k].buf;
					for (uint32_t x = 0; x < len; x++)
						out[k].buf[x] = a[i].p[x] & b[j].p[x];
					out[k].p = out[k].buf;
					out[k].len = len;
					k++;
					continue;
				}
				bool ok = true;
				int64_t bi = b[j].i;
				int64_t ai = a[i].i;
				/* A time and an integer: the integer is in
				 * seconds. */
				if (e->a->type == VT_TIME && e->b->type != VT_TIME)
					bi *= 1000000000;
				if (e->b->type == VT_TIME && e->a->type != VT_TIME)
					ai *= 1000000000;
				out[k].i = arith(e->op, ai, bi, &ok);
				k += ok;
			}
		return k;
	}
	}
	return 0;
}

/* Bytes order as 4.0's: the shorter first, then memcmp. */
static int vcmp(enum vtype t, const struct vval *a, const struct vval *b)
{
	switch (t) {
	case VT_BYTES:
	case VT_IPV4:
	case VT_IPV6:
		if (a->len != b->len)
			return a->len < b->len ? -1 : 1;
		return cmp_bytes(a->p, a->len, b->p, b->len);
	case VT_STRING:
		return cmp_bytes(a->p, a->len, b->p, b->len);
	case VT_TIME:
		return cmp_time(a->i, b->i);
	default:
		return cmp_i(a->i, b->i);
	}
}

static bool contains(const uint8_t *h, size_t hn, const uint8_t *nd,
                     size_t nn);

/* What contains and matches search in a protocol named alone: 4.0 reads
 * from where the protocol starts to the end of what it carries (len(ip)
 * and ip[...] stay within the header, see proto_bytes). */
static unsigned proto_rest(const struct vexpr *e, const struct tl_fctx *c,
                           struct vval *out)
{
	if ((e->proto == VP_IP || e->proto == VP_IPV6) && !c->seg && c->m)
		return ip_layers(c, e->proto == VP_IP ? 4 : 6, true, out);
	unsigned n = proto_bytes(e, c, out);
	if (!n || !c->m)
		return n;
	const struct tl_model *m = c->m;
	const struct tl_packet *pk = &m->pkt;
	if (e->proto == VP_TCP) {
		uint32_t avail = m->pkt_caplen - pk->tcp_offset;
		uint64_t whole = (uint64_t)pk->tcp_header_len + pk->seglen;
		out->len = whole < avail ? (uint32_t)whole : avail;
	}
	return n;
}

static bool bytes_match(const pcre2_code *re, const struct vval *v,
                        unsigned n)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	bool hit = false;
	for (unsigned i = 0; i < n && !hit; i++)
		hit = pcre2_match(re, (PCRE2_SPTR)v[i].p, v[i].len, 0, 0, md,
		                  NULL) >= 0;
	pcre2_match_data_free(md);
	return hit;
}

static bool match_vcmp(const struct node *n, const struct tl_fctx *c)
{
	struct vval a[TL_FIELD_MAX_VALUES], b[TL_FIELD_MAX_VALUES];
	unsigned na = veval(n->va, c, a);
	if (n->kind == N_VEXISTS) {
		/* Arithmetic alone (a mask, a sum, a negation) tests for a
		 * value that is not zero, as 4.0 does. */
		if (n->va->kind != V_ARITH && n->va->kind != V_NEG)
			return na != 0;
		for (unsigned i = 0; i < na; i++) {
			if (n->va->type != VT_BYTES && a[i].i)
				return true;
			for (uint32_t j = 0; n->va->type == VT_BYTES &&
			     j < a[i].len; j++)
				if (a[i].p[j])
					return true;
		}
		return false;
	}
	if ((n->vcontains || n->vmatches) && n->va->kind == V_PROTO)
		na = proto_rest(n->va, c, a);
	if (n->vmatches)
		return bytes_match(n->re, a, na);
	unsigned nb = na ? veval(n->vb, c, b) : 0;
	if (!na || !nb)
		return false;
	if (n->vcontains) {
		for (unsigned i = 0; i < na; i++)
			for (unsigned j = 0; j < nb; j++)
				if (contains(a[i].p, a[i].len, b[j].p,
				             b[j].len))
					return true;
		return false;
	}
	enum vtype t = n->va->kind == V_LIT ? n->vb->type : n->va->type;
	/* A time against an integer literal: seconds. */
	bool all = every_pair(n->rel);
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nb; j++) {
			bool ok = rel_holds(n->rel, vcmp(t, &a[i], &b[j]));
			if (all && !ok)
				return false;
			if (!all && ok)
				return true;
		}
	return all;
}

static bool match_cmp(const struct node *n, const struct tl_fctx *c)
{
	struct tl_fval a[TL_FIELD_MAX_VALUES], b[TL_FIELD_MAX_VALUES];
	unsigned na = tl_field_values(c, n->field, a);
	if (!na)
		return false;
	if (n->has_mask)
		for (unsigned i = 0; i < na; i++)
			a[i].u &= n->mask;
	unsigned nb = n->rfield ? tl_field_values(c, n->rfield, b) : 1;
	if (!nb)
		return false;
	/* 4.0 cannot compare an unsigned field with a negative number:
	 * every comparison fails, so only != (not ==) and === (not ~=)
	 * hold. */
	if (!n->rfield && n->lits[0].i < 0 && (n->field->type == TL_FT_UINT ||
	                                       n->field->type == TL_FT_FRAMENUM))
		return n->rel == R_NE || n->rel == R_ALL_EQ;
	bool all = every_pair(n->rel);
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nb; j++) {
			int cmp = n->rfield ? cmp_vals(n->field, &a[i], n->rfield,
			                               &b[j])
			                    : cmp_lit(n->field, &a[i], &n->lits[0]);
			bool ok = rel_holds(n->rel, cmp);
			if (all && !ok)
				return false;
			if (!all && ok)
				return true;
		}
	return all;
}

static bool is_addr(const struct tl_field *f)
{
	return f->type == TL_FT_IPV4 || f->type == TL_FT_IPV6;
}

/* An address range compares the addresses as numbers, ends included (as
 * 4.0 does: 192.0.2.1..192.0.2.5). */
static bool in_addr_range(const struct tl_field *f, const struct tl_fval *v,
                          const struct literal *l)
{
	size_t n = f->type == TL_FT_IPV4 ? 4 : 16;
	return cmp_bytes(v->addr, n, l->addr, n) >= 0 &&
	       cmp_bytes(v->addr, n, l->hi_addr, n) <= 0;
}

static bool match_in(const struct node *n, const struct tl_fctx *c)
{
	struct tl_fval a[TL_FIELD_MAX_VALUES];
	unsigned na = tl_field_values(c, n->field, a);
	for (unsigned i = 0; i < na; i++)
		for (unsigned k = 0; k < n->nlits; k++) {
			const struct literal *l = &n->lits[k];
			if (l->range && is_addr(n->field)) {
				if (in_addr_range(n->field, &a[i], l))
					return true;
			} else if (l->range &&
			           n->field->type == TL_FT_TIME) {
				if (cmp_time(a[i].i, l->i) >= 0 &&
				    cmp_time(a[i].i, l->hi) <= 0)
					return true;
			} else if (l->i < 0 &&
			           (n->field->type == TL_FT_UINT ||
			            n->field->type == TL_FT_FRAMENUM)) {
				continue;       /* incomparable, as above */
			} else if (l->range) {
				int64_t v = n->field->type == TL_FT_BOOL
				            ? (int64_t)(a[i].u != 0)
				            : ival(n->field, &a[i]);
				if (v >= l->i && v <= l->hi)
					return true;
			} else if (cmp_lit(n->field, &a[i], l) == 0) {
				return true;
			}
		}
	return false;
}

static bool contains(const uint8_t *h, size_t hn, const uint8_t *nd,
                     size_t nn)
{
	if (!nn)
		return true;
	for (size_t i = 0; i + nn <= hn; i++)
		if (!memcmp(h + i, nd, nn))
			return true;
	return false;
}

static bool match_text(const struct node *n, const struct tl_fctx *c)
{
	struct tl_fval a[TL_FIELD_MAX_VALUES];
	unsigned na = tl_field_values(c, n->field, a);
	for (unsigned i = 0; i < na; i++) {
		if (n->kind == N_CONTAINS) {
			if (contains(a[i].bytes, a[i].len, n->lits[0].bytes,
			             n->lits[0].len))
				return true;
			continue;
		}
		pcre2_match_data *md =
			pcre2_match_data_create_from_pattern(n->re, NULL);
		int rc = pcre2_match(n->re, (PCRE2_SPTR)a[i].bytes, a[i].len, 0,
		                     0, md, NULL);
		pcre2_match_data_free(md);
		if (rc >= 0)
			return true;
	}
	return false;
}

static bool eval(const struct node *n, const struct tl_fctx *c)
{
	struct tl_fval v[TL_FIELD_MAX_VALUES];
	switch (n->kind) {
	case N_AND: return eval(n->a, c) && eval(n->b, c);
	case N_OR: return eval(n->a, c) || eval(n->b, c);
	case N_NOT: return !eval(n->a, c);
	case N_TRUE: return true;
	case N_FALSE: return false;
	case N_PROTO: return tl_proto_present(c, n->proto);
	case N_EXISTS: {
		unsigned k = tl_field_values(c, n->field, v);
		if (!n->has_mask)
			return k != 0;
		for (unsigned i = 0; i < k; i++)
			if (v[i].u & n->mask)
				return true;
		return false;
	}
	case N_CMP: return match_cmp(n, c);
	case N_IN: return match_in(n, c);
	case N_CONTAINS:
	case N_MATCHES: return match_text(n, c);
	case N_VCMP:
	case N_VEXISTS: return match_vcmp(n, c);
	}
	return false;
}

bool tl_dfilter_match(const struct tl_dfilter *df, const struct tl_fctx *c)
{
	return eval(df->root, c);
}

/* The memo's bytes for this stream and direction, cleared when the
 * stream's connection is not the one they were worked out for. */
static uint8_t *memo_row(struct conn_memo *mm, uint32_t stream, unsigned dir,
                         const struct tl_conn *conn)
{
	if (stream >= mm->cap) {
		uint32_t old = mm->cap, cap = stream + 1024;
		mm->v = tl_xrealloc(mm->v, (size_t)cap * 2, mm->slots);
		mm->conn = tl_xrealloc(mm->conn, cap, sizeof *mm->conn);
		memset(mm->v + (size_t)old * 2 * mm->slots, 0,
		       (size_t)(cap - old) * 2 * mm->slots);
		memset(mm->conn + old, 0, (cap - old) * sizeof *mm->conn);
		mm->cap = cap;
	}
	uint8_t *v = mm->v + (size_t)stream * 2 * mm->slots;
	if (mm->conn[stream] != conn) {
		memset(v, 0, 2 * mm->slots);
		mm->conn[stream] = conn;
	}
	return v + dir * mm->slots;
}

/* The memo's row is found when a memoized subtree is first reached: a
 * filter whose other side decides never pays for it. */
struct memo_walk {
	struct conn_memo *mm;
	const struct tl_seg *seg;
	uint8_t *row;
};

static bool eval_memo(const struct node *n, const struct tl_fctx *c,
                      struct memo_walk *w)
{
	if (n->memo) {
		uint8_t *v;
		if (n->memo_flags) {
			v = &w->mm->fv[(size_t)(n->memo - 1) * FLAG_VALUES +
			               tl_seg_flags(w->seg)];
		} else {
			if (!w->row)
				w->row = memo_row(w->mm, w->seg->stream,
				                  tl_seg_dir(w->seg),
				                  tl_tracker_stream(
				                          &c->m->tracker,
				                          w->seg->stream));
			v = &w->row[n->memo - 1];
		}
		if (!*v)
			*v = eval(n, c) ? 2 : 1;
		return *v == 2;
	}
	switch (n->kind) {
	case N_AND: return eval_memo(n->a, c, w) && eval_memo(n->b, c, w);
	case N_OR: return eval_memo(n->a, c, w) || eval_memo(n->b, c, w);
	case N_NOT: return !eval_memo(n->a, c, w);
	default: return eval(n, c);
	}
}

bool tl_dfilter_match_seg(const struct tl_dfilter *df,
                          const struct tl_model *m, uint32_t index)
{
	const struct tl_seg *seg = tl_segstore_get(&m->segs, index);
	struct tl_fctx c = { .m = m, .seg = seg, .frame = seg->frame,
	                     .seg_index = index };
	if (seg->analysis & (TL_AN_DUPLICATE_ACK | TL_AN_RETRANSMISSION))
		c.note = tl_segstore_note(&m->segs, index);
	if (!df->memo)
		return eval(df->root, &c);
	struct memo_walk w = { df->memo, seg, NULL };
	return eval_memo(df->root, &c, &w);
}
