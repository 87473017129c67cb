/* Unit tests for src/filter/match.c: the connection filter matches whole fields,
 * the row search everything a row shows. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "tl_match.h"
#include "tl_model.h"
#include "tl_track.h"

#include "check.h"

static struct tl_conn conn(uint32_t stream, const char *a0, int p0,
                           const char *a1, int p1)
{
	struct tl_conn c;
	memset(&c, 0, sizeof c);
	c.stream = stream;
	bool v6 = strchr(a0, ':') != NULL;
	c.ip_version = v6 ? 6 : 4;
	CHECK(inet_pton(v6 ? AF_INET6 : AF_INET, a0, c.addr[0]) == 1);
	CHECK(inet_pton(v6 ? AF_INET6 : AF_INET, a1, c.addr[1]) == 1);
	c.port[0] = (uint16_t)p0;
	c.port[1] = (uint16_t)p1;
	return c;
}

static void test_conn_whole_fields(void)
{
	struct tl_conn c3 = conn(3, "192.0.2.1", 40000, "192.0.2.2", 80);
	struct tl_conn c13 = conn(13, "192.0.2.10", 40013, "192.0.2.2", 8080);
	/* "3" is stream 3, not 13 */
	CHECK(tl_match_conn(&c3, "3"));
	CHECK(!tl_match_conn(&c13, "3"));
	CHECK(tl_match_conn(&c13, "13"));
	/* ports whole */
	CHECK(tl_match_conn(&c3, "80"));
	CHECK(!tl_match_conn(&c13, "80"));
	CHECK(tl_match_conn(&c13, "8080"));
	/* addresses whole: .1 is not .10 */
	CHECK(tl_match_conn(&c3, "192.0.2.1"));
	CHECK(!tl_match_conn(&c13, "192.0.2.1"));
	CHECK(tl_match_conn(&c3, "192.0.2.2:80"));
	CHECK(!tl_match_conn(&c13, "192.0.2.2:80"));
	/* every word must match */
	CHECK(tl_match_conn(&c3, "192.0.2.2 80"));
	CHECK(!tl_match_conn(&c3, "192.0.2.2 8080"));
	CHECK(tl_match_conn(&c3, ""));
	/* IPv6, case insensitive */
	struct tl_conn c6 = conn(1, "2001:db8::1", 5000, "2001:db8::2", 443);
	CHECK(tl_match_conn(&c6, "2001:DB8::2"));
	CHECK(tl_match_conn(&c6, "[2001:db8::2]:443"));
	CHECK(!tl_match_conn(&c6, "2001:db8::"));
	/* the state's name */
	CHECK(tl_match_conn(&c3, tl_conn_state_name(c3.state)));
}

static bool row(const struct tl_seg *s, const struct tl_seg_note *n,
                const struct tl_conn *c, const char *text)
{
	struct tl_match_query q;
	tl_match_compile(&q, text);
	return tl_match_row(s, n, c, NULL, 0, &q);
}

static void test_row_everything_shown(void)
{
	struct tl_conn c = conn(0, "192.0.2.1", 40000, "192.0.2.2", 80);
	struct tl_seg s;
	memset(&s, 0, sizeof s);
	tl_seg_pack(&s, 0, TL_TH_ACK, 0);
	s.ack = 986;
	s.win = 501;
	CHECK(row(&s, NULL, &c, "ack=986"));
	CHECK(row(&s, NULL, &c, "192.0.2.2:80"));
	CHECK(!row(&s, NULL, &c, "Dup ACK"));
	s.analysis = TL_AN_DUPLICATE_ACK;
	struct tl_seg_note note;
	memset(&note, 0, sizeof note);
	CHECK(row(&s, &note, &c, "dup ack"));
	CHECK(tl_match_annotated(&s, NULL));
	s.analysis = 0;
	CHECK(!tl_match_annotated(&s, NULL));
	CHECK(!tl_match_hol(NULL, 1));
	/* what a query could be in, decided once */
	struct tl_match_query q;
	tl_match_compile(&q, "no such text");
	CHECK(!q.in_label && !q.in_endpoint);
	tl_match_compile(&q, "Win=501");
	CHECK(q.in_label && !q.in_endpoint);
	tl_match_compile(&q, "2001:DB8::1");
	CHECK(q.in_endpoint);
	s.analysis = 0;
	CHECK(row(&s, NULL, &c, "WIN=501"));
	CHECK(row(&s, NULL, &c, "192.0.2.1:40000"));
}

static const struct check_test tests[] = {
	CHECK_TEST(test_conn_whole_fields),
	CHECK_TEST(test_row_everything_shown),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}
