/* The small services of the lab (RFC 862 echo, RFC 863 discard, RFC 867
 * daytime), known by port rather than by their bytes. */
#include "config.h"

#include "app_int.h"

#include <stdio.h>
#include <string.h>

enum tl_app_proto app_port_proto(const struct tl_conn *conn)
{
	for (int i = 1; i >= 0; i--) {
		switch (conn->port[i]) {
		case 7: return TL_APP_ECHO;
		case 9: return TL_APP_DISCARD;
		case 13: return TL_APP_DAYTIME;
		}
	}
	return TL_APP_UNKNOWN;
}

/* Text protocols need no reassembly: each segment's bytes are shown as
 * they are, quoted. */
void app_text_label(struct tl_app *a, const struct tl_seg *seg,
                    const uint8_t *payload, uint32_t caplen)
{
	char text[96], lab[104];
	uint32_t n = caplen < seg->len ? caplen : seg->len;
	app_safe_text(text, sizeof text, payload, n < 200 ? n : 200, 60);
	snprintf(lab, sizeof lab, "\"%s\"%s", text,
	         n < seg->len ? " (cut)" : "");
	app_label_commit(a, seg->frame, lab, strlen(lab), false);
}
