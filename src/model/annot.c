/* Annotation kinds and their colours, shared by the terminal and the
 * pictures. */
#include "config.h"

#include "tl_annot.h"

#include "tl_track.h"

enum tl_annot_kind tl_annot_kind(unsigned an)
{
	if (an & (TL_AN_RETRANSMISSION | TL_AN_FAST_RETRANSMISSION |
	          TL_AN_SPURIOUS_RETRANSMISSION))
		return TL_ANNOT_RTX;
	if (an & TL_AN_OUT_OF_ORDER)
		return TL_ANNOT_OOO;
	if (an & (TL_AN_LOST_SEGMENT | TL_AN_ACK_LOST_SEGMENT))
		return TL_ANNOT_LOST;
	if (an & TL_AN_DUPLICATE_ACK)
		return TL_ANNOT_DUPACK;
	if (an & (TL_AN_ZERO_WINDOW | TL_AN_WINDOW_FULL |
	          TL_AN_ZERO_WINDOW_PROBE | TL_AN_ZERO_WINDOW_PROBE_ACK))
		return TL_ANNOT_WINDOW;
	if (an & TL_AN_WIRESHARK_MASK)
		return TL_ANNOT_OTHER;
	if (an & TL_AN_WINDOW_CHANGE)
		return TL_ANNOT_CHANGE;
	return TL_ANNOT_NONE;
}

/* xterm-256 colours 160, 178, 170, 208, 33, 71 and 242: what ui_draw.c
 * asks the terminal for in the default theme. */
static const char *const colors[TL_ANNOT_KIND_COUNT] = {
	[TL_ANNOT_NONE] = "#303030",
	[TL_ANNOT_RTX] = "#d70000",
	[TL_ANNOT_DUPACK] = "#d7af00",
	[TL_ANNOT_OOO] = "#d75fd7",
	[TL_ANNOT_LOST] = "#ff8700",
	[TL_ANNOT_WINDOW] = "#0087ff",
	[TL_ANNOT_OTHER] = "#5faf5f",
	[TL_ANNOT_CHANGE] = "#6c6c6c",
};

static const char *const inks[TL_ANNOT_KIND_COUNT] = {
	[TL_ANNOT_NONE] = "#ffffff",
	[TL_ANNOT_RTX] = "#ffffff",
	[TL_ANNOT_DUPACK] = "#000000",
	[TL_ANNOT_OOO] = "#000000",
	[TL_ANNOT_LOST] = "#000000",
	[TL_ANNOT_WINDOW] = "#ffffff",
	[TL_ANNOT_OTHER] = "#000000",
	[TL_ANNOT_CHANGE] = "#ffffff",
};

static const char *const names[TL_ANNOT_KIND_COUNT] = {
	[TL_ANNOT_NONE] = "plain",
	[TL_ANNOT_RTX] = "retransmission",
	[TL_ANNOT_DUPACK] = "dup-ack",
	[TL_ANNOT_OOO] = "out-of-order",
	[TL_ANNOT_LOST] = "lost",
	[TL_ANNOT_WINDOW] = "window",
	[TL_ANNOT_OTHER] = "other",
	[TL_ANNOT_CHANGE] = "window-change",
};

const char *tl_annot_color(enum tl_annot_kind kind)
{
	return kind < TL_ANNOT_KIND_COUNT ? colors[kind] : colors[0];
}

const char *tl_annot_ink(enum tl_annot_kind kind)
{
	return kind < TL_ANNOT_KIND_COUNT ? inks[kind] : inks[0];
}

const char *tl_annot_name(enum tl_annot_kind kind)
{
	return kind < TL_ANNOT_KIND_COUNT ? names[kind] : names[0];
}
