/* The chooser of hosts and server ports (H in the ladder and the list): the
 * hosts and server ports seen so far, busiest first, with their connection
 * and segment counts, growing while a capture runs. Choosing one limits the
 * ladder to its connections, the ones still to come included; the first
 * entry (or H again) shows every connection. */
#include "config.h"

#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_label.h"

#define REBUILD_MS 300

uint16_t ui_conn_server_port(const struct tl_conn *c)
{
	/* A SYN seen: endpoint 0 sent it, endpoint 1 listens. Otherwise the
	 * lower port is the better guess (ephemeral ports are high). */
	if (c->syn_time_set)
		return c->port[1];
	return c->port[0] < c->port[1] ? c->port[0] : c->port[1];
}

static bool same_host(const struct ui_pick *p, unsigned ver,
                      const uint8_t *addr)
{
	return p->ip_version == ver &&
	       !memcmp(p->addr, addr, ver == 6 ? 16 : 4);
}

bool ui_pick_admits(const struct ui_pick *p, const struct tl_conn *c)
{
	switch (p->kind) {
	case UI_PICK_HOST:
		return same_host(p, c->ip_version, c->addr[0]) ||
		       same_host(p, c->ip_version, c->addr[1]);
	case UI_PICK_PORT:
		return ui_conn_server_port(c) == p->port;
	default:
		return true;
	}
}

void ui_pick_name(const struct ui_pick *p, char *buf, size_t size)
{
	char a[80];
	switch (p->kind) {
	case UI_PICK_HOST:
		tl_format_addr(p->ip_version, p->addr, a, sizeof a);
		snprintf(buf, size, "host %s", a);
		break;
	case UI_PICK_PORT:
		snprintf(buf, size, "port %u", p->port);
		break;
	default:
		snprintf(buf, size, "all connections");
		break;
	}
}

/* ---- the table ------------------------------------------------------------ */

static int key_cmp(const struct ui_pick *a, const struct ui_pick *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == UI_PICK_PORT)
		return a->port < b->port ? -1 : a->port > b->port;
	if (a->ip_version != b->ip_version)
		return a->ip_version < b->ip_version ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof a->addr);
}

static int by_key(const void *a, const void *b)
{
	return key_cmp(&((const struct ui_hosts_entry *)a)->pick,
	               &((const struct ui_hosts_entry *)b)->pick);
}

/* Busiest first; ties in a fixed order, so rows do not swap places. */
static int by_activity(const void *a, const void *b)
{
	const struct ui_hosts_entry *x = a, *y = b;
	if (x->segs != y->segs)
		return x->segs > y->segs ? -1 : 1;
	if (x->conns != y->conns)
		return x->conns > y->conns ? -1 : 1;
	return key_cmp(&x->pick, &y->pick);
}

static void push(struct ui_hosts_state *h, const struct ui_pick *p,
                 uint64_t segs)
{
	h->e = tl_xgrow(h->e, &h->cap, (uint64_t)h->count + 1, 64,
	                sizeof *h->e);
	struct ui_hosts_entry *e = &h->e[h->count++];
	memset(e, 0, sizeof *e);
	e->pick = *p;
	e->conns = 1;
	e->segs = segs;
}

static void rebuild(struct ui *ui)
{
	struct ui_hosts_state *h = &ui->hosts;
	const struct tl_tracker *tr = &ui->m.tracker;
	struct ui_pick keep = h->count && h->cur >= 0 &&
	                      h->cur < (int64_t)h->count
	                      ? h->e[h->cur].pick : ui->ladder.pick;
	h->count = 0;
	struct ui_pick all = { .kind = UI_PICK_NONE };
	push(h, &all, 0);
	h->e[0].conns = 0;
	for (uint32_t s = 0; s < tr->stream_count; s++) {
		const struct tl_conn *c = tl_tracker_stream(tr, s);
		if (!c)
			continue;
		uint64_t segs = c->dir[0].segments + c->dir[1].segments;
		h->e[0].conns++;
		h->e[0].segs += segs;
		struct ui_pick p = { .kind = UI_PICK_HOST,
		                     .ip_version = c->ip_version };
		size_t alen = c->ip_version == 6 ? 16 : 4;
		memcpy(p.addr, c->addr[0], alen);
		push(h, &p, segs);
		if (memcmp(c->addr[0], c->addr[1], alen)) {
			memcpy(p.addr, c->addr[1], alen);
			push(h, &p, segs);
		}
		struct ui_pick q = { .kind = UI_PICK_PORT,
		                     .port = ui_conn_server_port(c) };
		push(h, &q, segs);
	}
	/* Sorted by key, equal keys merge into one entry. */
	qsort(h->e + 1, h->count - 1, sizeof *h->e, by_key);
	uint32_t n = 1;
	for (uint32_t i = 1; i < h->count; i++) {
		if (n > 1 && !key_cmp(&h->e[n - 1].pick, &h->e[i].pick)) {
			h->e[n - 1].conns += h->e[i].conns;
			h->e[n - 1].segs += h->e[i].segs;
		} else {
			h->e[n++] = h->e[i];
		}
	}
	h->count = n;
	qsort(h->e + 1, h->count - 1, sizeof *h->e, by_activity);
	h->built_streams = tr->stream_count;
	h->built_segs = ui->m.segs.count;
	h->cur = 0;
	for (uint32_t i = 0; i < h->count; i++)
		if (!key_cmp(&h->e[i].pick, &keep))
			h->cur = i;
}

void ui_hosts_open(struct ui *ui)
{
	struct ui_hosts_state *h = &ui->hosts;
	h->back = ui->view;
	h->count = 0;
	h->top = 0;
	rebuild(ui);
	ui_set_view(ui, UI_VIEW_HOSTS);
}

void ui_hosts_free(struct ui *ui)
{
	free(ui->hosts.e);
	memset(&ui->hosts, 0, sizeof ui->hosts);
}

/* ---- drawing -------------------------------------------------------------- */

static int body_rows(const struct ui *ui)
{
	return ui->rows - 4;    /* title, header, status and a blank line */
}

static void hosts_draw(struct ui *ui)
{
	struct ui_hosts_state *h = &ui->hosts;
	static int64_t built_ms;
	if ((h->built_streams != ui->m.tracker.stream_count ||
	     h->built_segs != ui->m.segs.count) &&
	    ui_now_ms() - built_ms >= REBUILD_MS) {
		rebuild(ui);
		built_ms = ui_now_ms();
	}
	uint32_t hosts = 0, ports = 0;
	for (uint32_t i = 1; i < h->count; i++) {
		if (h->e[i].pick.kind == UI_PICK_HOST)
			hosts++;
		else
			ports++;
	}
	char mid[256];
	snprintf(mid, sizeof mid, "hosts and ports  %u host%s  %u server "
	         "port%s", hosts, hosts == 1 ? "" : "s", ports,
	         ports == 1 ? "" : "s");
	ui_draw_title(ui, mid, "? help  q back");
	int rows = body_rows(ui);
	if (h->cur < h->top)
		h->top = h->cur;
	if (h->cur >= h->top + rows)
		h->top = h->cur - rows + 1;
	if (h->top < 0)
		h->top = 0;
	/* The counts on the right, the name gets what is left. */
	int name_w = ui->cols - 2 - 26;
	char line[512];
	snprintf(line, sizeof line, "  %-*s %11s %13s", name_w, "show",
	         "connections", "segments");
	ui_put(ui, 1, 0, ui->cols, line, R_HEADER, true);
	for (int i = 0; i < rows; i++) {
		int64_t row = h->top + i;
		if (row >= (int64_t)h->count)
			break;
		const struct ui_hosts_entry *e = &h->e[row];
		char name[128], conns[32], segs[32];
		ui_pick_name(&e->pick, name, sizeof name);
		ui_format_count(e->conns, conns, sizeof conns);
		ui_format_count(e->segs, segs, sizeof segs);
		bool shown = ui->ladder.pick.kind != UI_PICK_NONE
		             ? !key_cmp(&e->pick, &ui->ladder.pick)
		             : row == 0 && ui->ladder.all_streams;
		snprintf(line, sizeof line, "%s %-*.*s %11s %13s",
		         shown ? "*" : " ", name_w, name_w, name, conns, segs);
		int y = 2 + i;
		bool sel = row == h->cur;
		if (sel) {
			attrset(A_REVERSE);
			mvhline(y, 0, ' ', ui->cols);
			attrset(A_NORMAL);
		}
		ui_draw_reverse(sel);
		ui_put(ui, y, 0, ui->cols, line, R_NORMAL, row == 0);
		ui_draw_reverse(false);
	}
	if (h->count <= 1)
		ui_put(ui, 3, 2, ui->cols - 4, ui->input_done
		       ? "No TCP connections in this capture."
		       : "Waiting for TCP connections...", R_HINT, false);
	ui_draw_status(ui, "Enter show on the ladder  / search  H all  q back"
	               "  (* shown now)");
}

/* ---- keys ----------------------------------------------------------------- */

static char hosts_search[128];

/* The next entry (after the cursor, wrapping) whose name holds the text. */
static void search_next(struct ui *ui, int dir)
{
	struct ui_hosts_state *h = &ui->hosts;
	int64_t n = h->count;
	if (!hosts_search[0] || !n)
		return;
	for (int64_t k = 1; k <= n; k++) {
		int64_t i = ((h->cur + dir * k) % n + n) % n;
		char name[128];
		ui_pick_name(&h->e[i].pick, name, sizeof name);
		if (strstr(name, hosts_search)) {
			h->cur = i;
			return;
		}
	}
	ui_message(ui, true, "Not found: %s", hosts_search);
}

static void search_done(struct ui *ui, const char *text, bool ok)
{
	if (!ok || !text[0])
		return;
	snprintf(hosts_search, sizeof hosts_search, "%s", text);
	search_next(ui, 1);
}

static void choose(struct ui *ui, const struct ui_pick *p)
{
	struct ui_hosts_state *h = &ui->hosts;
	bool from_list = h->back == UI_VIEW_LIST ||
	                 (h->back == UI_VIEW_LADDER &&
	                  ui->ladder.opened_from_list);
	if (p->kind == UI_PICK_NONE)
		ui_ladder_show_all(ui);
	else
		ui_ladder_show_pick(ui, p);
	ui->ladder.opened_from_list = from_list;
	ui->ladder.follow = ui->arriving;
	ui_ladder_update(ui);
	ui_set_view(ui, UI_VIEW_LADDER);
	char name[128];
	ui_pick_name(p, name, sizeof name);
	ui_message(ui, false, "The ladder shows %s%s (H chooses again)", name,
	           p->kind != UI_PICK_NONE && ui->arriving
	           ? ", and those still to come" : "");
}

static enum ui_key_result hosts_key(struct ui *ui, int ch)
{
	struct ui_hosts_state *h = &ui->hosts;
	int64_t n = h->count, page = body_rows(ui) - 1;
	if (page < 1)
		page = 1;
	switch (ch) {
	case KEY_UP: case 'k': h->cur--; break;
	case KEY_DOWN: case 'j': h->cur++; break;
	case KEY_PPAGE: case 2: h->cur -= page; break;
	case KEY_NPAGE: case 6: h->cur += page; break;
	case KEY_HOME: case 'g': h->cur = 0; break;
	case KEY_END: case 'G': h->cur = n - 1; break;
	case '\n': case '\r': case KEY_ENTER:
		if (h->cur >= 0 && h->cur < n)
			choose(ui, &h->e[h->cur].pick);
		return UI_KEY_HANDLED;
	case 'H': {
		struct ui_pick all = { .kind = UI_PICK_NONE };
		choose(ui, &all);
		return UI_KEY_HANDLED;
	}
	case '/':
		ui_prompt_start(ui, "Search hosts and ports: ", hosts_search,
		                false, search_done);
		return UI_KEY_HANDLED;
	case 'n': search_next(ui, 1); break;
	case 'N': search_next(ui, -1); break;
	case 'q': case 27:
		ui_set_view(ui, h->back);
		return UI_KEY_HANDLED;
	default:
		return UI_KEY_UNHANDLED;
	}
	if (h->cur >= n)
		h->cur = n - 1;
	if (h->cur < 0)
		h->cur = 0;
	return UI_KEY_HANDLED;
}

static void hosts_mouse(struct ui *ui, int y, int x, int wheel)
{
	struct ui_hosts_state *h = &ui->hosts;
	(void)x;
	if (wheel) {
		h->cur += wheel * 3;
	} else if (y >= 2 && y < 2 + body_rows(ui)) {
		h->cur = h->top + (y - 2);
	}
	if (h->cur >= (int64_t)h->count)
		h->cur = (int64_t)h->count - 1;
	if (h->cur < 0)
		h->cur = 0;
}

const struct ui_view ui_view_hosts = {
	.name = "hosts and ports",
	.draw = hosts_draw,
	.key = hosts_key,
	.mouse = hosts_mouse,
};
