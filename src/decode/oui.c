/* Whether the first three bytes of a MAC address are a registered OUI, as
 * tshark 4.0 judges it when it guesses what an MPLS pseudowire carries:
 * from the manuf file of Wireshark's data directory, which 4.0 reads at
 * start (the same file, so the same guess). Read once, when a pseudowire
 * first needs it. Without the file, an OUI counts as registered when it
 * is universally administered and unicast (two bits of its first byte):
 * right for real equipment, wrong for the few universal OUIs nobody
 * registered. */
#include "config.h"

#include "decode_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_util.h"

#ifndef TL_MANUF_PATH
#define TL_MANUF_PATH "/usr/share/wireshark/manuf"
#endif

static const char *path = TL_MANUF_PATH;
static bool loaded;
static bool have_file;
static uint32_t *ouis;          /* sorted */
static size_t oui_count;

void tl_decode_oui_file(const char *file)
{
	free(ouis);
	ouis = NULL;
	oui_count = 0;
	loaded = have_file = false;
	path = file;
}

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "00:1B:21<tab>..." or "00-1B-21 ...": a 24-bit prefix. Longer ones
 * (MA-M, MA-S: "/28", "/36") name part of an OUI, not the OUI. */
static bool parse_line(const char *s, uint32_t *oui)
{
	uint32_t v = 0;
	for (int i = 0; i < 3; i++) {
		int hi = hex((unsigned char)s[3 * i]);
		int lo = hi < 0 ? -1 : hex((unsigned char)s[3 * i + 1]);
		if (lo < 0)
			return false;
		v = v << 8 | (uint32_t)(hi << 4 | lo);
		char sep = s[3 * i + 2];
		if (i < 2 && sep != ':' && sep != '-')
			return false;
		if (i == 2 && sep != '\t' && sep != ' ')
			return false;
	}
	*oui = v;
	return true;
}

static int cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void load(void)
{
	loaded = true;
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f)
		return;
	char line[512];
	size_t cap = 0;
	bool at_start = true;   /* the rest of a long line is no line */
	while (fgets(line, sizeof line, f)) {
		bool start = at_start;
		at_start = strchr(line, '\n') != NULL;
		uint32_t oui;
		if (!start || !parse_line(line, &oui))
			continue;
		if (oui_count == cap) {
			cap = cap ? cap * 2 : 4096;
			ouis = tl_xrealloc(ouis, cap, sizeof *ouis);
		}
		ouis[oui_count++] = oui;
	}
	have_file = !ferror(f);
	fclose(f);
	qsort(ouis, oui_count, sizeof *ouis, cmp);
}

bool tl_oui_known(const uint8_t *mac)
{
	if (!loaded)
		load();
	if (!have_file)
		return !(mac[0] & 0x03);
	uint32_t oui = (uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2];
	return bsearch(&oui, ouis, oui_count, sizeof *ouis, cmp) != NULL;
}
