#!/bin/sh
# follow.sh -- -z follow,tcp,raw|ascii|hex,N against tshark 4.0, byte for
# byte, for every connection of every capture in tests/data and
# ../shared/captures (skipped when missing), plus synthetic captures of the
# reassembly's corner cases made here with Scapy (tests/follow-synth.py:
# retransmissions with more data, out-of-order halves, gaps the ACKs prove,
# keep-alives, zero-window probes, FIN with data, a sequence wrap), and the
# options' errors.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
SRC=${srcdir:-$TOP}
SHARED=${SHARED_CAPTURES:-$SRC/../shared/captures}

if ! command -v tshark >/dev/null 2>&1; then
	echo "1..0 # SKIP tshark not installed"
	exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tl-follow.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
status=0

set -- "$SRC"/tests/data/*.pcap* "$SRC"/tests/data/synth/*.pcap
if [ -d "$SHARED" ]; then
	# tests/data/ppa holds copies of some of these.
	set -- "$@" $(find "$SHARED" -name '*.pcap*' | sort)
else
	echo "# $SHARED missing: tests/data only"
	set -- "$@" "$SRC"/tests/data/ppa/*.pcapng
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if "$PY" -c "import scapy" 2>/dev/null; then
	"$PY" "$SRC/tests/follow-synth.py" "$TMP" >/dev/null || status=1
	set -- "$@" "$TMP"/*.pcap
else
	echo "# python3-scapy missing: no synthetic corner cases"
fi
python3 "$SRC/tests/follow-check.py" "$BIN" "$@" || status=1

# Options: what tshark takes, and clear usage errors for the rest.
n=0
t() {   # t DESCRIPTION EXPECTED-STATUS ARGS...
	local what=$1 want=$2
	shift 2
	"$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
	local got=$?
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what (exit $got, wanted $want)"
		sed 's/^/#   /' "$TMP/err"
		status=1
	fi
}
D=$SRC/tests/data
t "-z follow,udp is refused" 2 -r "$D/lab-discard.pcap" -q -z follow,udp,raw,0
t "-z with an unknown mode is refused" 2 -r "$D/lab-discard.pcap" -z follow,tcp,utf8,0
t "-z with junk after N is refused" 2 -r "$D/lab-discard.pcap" -z follow,tcp,raw,0x
t "-z with IPv4 and IPv6 ends is refused" 2 -r "$D/lab-discard.pcap" \
	-z 'follow,tcp,raw,192.0.2.1:1,[2001:db8::1]:2'
t "-z with port 0 is refused" 2 -r "$D/lab-discard.pcap" -z follow,tcp,raw,192.0.2.1:0,192.0.2.2:9
t "-z with -T svg is refused" 2 -r "$D/lab-discard.pcap" -T svg -z follow,tcp,raw,0
t "-z by address" 0 -r "$D/lab-discard.pcap" -q -z follow,tcp,ascii,192.0.2.2:9,192.0.2.1:41002
n=$((n + 1))
if tshark -r "$D/lab-discard.pcap" -q -z follow,tcp,ascii,192.0.2.2:9,192.0.2.1:41002 2>/dev/null |
	cmp -s - "$TMP/out"; then
	echo "ok $n - by address: as tshark prints it"
else
	echo "not ok $n - by address: differs from tshark"; status=1
fi
# Without -q the ladder comes first, then the section.
"$BIN" -r "$D/lab-discard.pcap" -T tsv -z follow,tcp,raw,0 >"$TMP/out" 2>&1
n=$((n + 1))
if head -1 "$TMP/out" | grep -q '^frame' && tail -1 "$TMP/out" | grep -q '^=====' &&
	grep -q '^Follow: tcp,raw$' "$TMP/out"; then
	echo "ok $n - without -q: the table, then the section"
else
	echo "not ok $n - without -q: the table, then the section"; status=1
fi
# A full disk is reported (exit 4); a reader that went away is not.
if [ -w /dev/full ]; then
	"$BIN" -r "$D/lab-discard.pcap" -q -z follow,tcp,raw,0 >/dev/full 2>"$TMP/err"
	got=$?
	n=$((n + 1))
	if [ $got -eq 4 ] && grep -q 'standard output.*: No space left' "$TMP/err"; then
		echo "ok $n - a full disk: exit 4 and the reason"
	else
		echo "not ok $n - a full disk: exit 4 and the reason (exit $got)"; status=1
	fi
fi
# -q alone prints nothing.
"$BIN" -r "$D/lab-discard.pcap" -q >"$TMP/out" 2>&1
n=$((n + 1))
if [ ! -s "$TMP/out" ]; then echo "ok $n - -q alone prints nothing"
else echo "not ok $n - -q alone prints nothing"; status=1; fi
# -T html: the selected connection's payload after the tables.
"$BIN" -r "$SRC/tests/data/ppa/http_espn.pcapng" -S 0 -T html >"$TMP/page.html" 2>"$TMP/err"
n=$((n + 1))
if grep -q '^<h2>Stream 0: the payload</h2>' "$TMP/page.html" &&
	grep -q '<span class="n1" title="frame 7, 430 bytes">HTTP/1.1 301 Moved Permanently' "$TMP/page.html" &&
	grep -q '&lt;/body&gt;&lt;/html&gt;' "$TMP/page.html"; then
	echo "ok $n - -T html: the payload section, escaped"
else
	echo "not ok $n - -T html: the payload section, escaped"; status=1
fi
# -T svg: the same section under the ladder, every line a <text> that
# fits the picture, every byte XML-safe; not in the graphs.
svgcheck() {   # svgcheck NAME SVG: valid XML, lines inside the picture
	"$PY" - "$2" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
w, h = float(root.get("width")), float(root.get("height"))
cols = int((w - 124) / (17 * 0.61))
secs = [g for g in root.iter(NS + "g") if g.get("class") == "follow"]
assert secs, "no follow section"
for g in secs:
    for t in g.iter(NS + "text"):
        y = float(t.get("y"))
        assert 0 < y <= h - 10, "line below the picture: y=%s h=%s" % (y, h)
        text = "".join(t.itertext())
        if t.get("x") == "100":
            assert len(text) <= cols, "line wider than the picture: %r" % text
            assert all(0x20 <= ord(c) < 0x7f for c in text), repr(text)
PYEOF
}
"$BIN" -r "$SRC/tests/data/ppa/http_espn.pcapng" -S 0 -T svg >"$TMP/espn.svg" 2>"$TMP/err"
n=$((n + 1))
if grep -q '>Stream 0: the payload</text>' "$TMP/espn.svg" &&
	grep -q '<text x="100" y="[0-9]*" fill="#00439c">HTTP/1.1 301 Moved Permanently</text>' "$TMP/espn.svg" &&
	grep -q '<text x="84" y="[0-9]*" text-anchor="end" fill="#555555">7</text><text x="100" y="[0-9]*" fill="#00439c">HTTP/1.1 301' "$TMP/espn.svg" &&
	grep -q '>&lt;/body&gt;&lt;/html&gt;</text>' "$TMP/espn.svg" &&
	grep -q '>Content-Length: 227</text>' "$TMP/espn.svg"; then
	echo "ok $n - -T svg: the payload section, a line per text line, escaped"
else
	echo "not ok $n - -T svg: the payload section, a line per text line, escaped"; status=1
fi
n=$((n + 1))
if svgcheck espn "$TMP/espn.svg" 2>"$TMP/err"; then
	echo "ok $n - -T svg: valid XML, every line inside the picture"
else
	echo "not ok $n - -T svg: valid XML, every line inside the picture"; sed 's/^/# /' "$TMP/err"; status=1
fi
if [ -f "$TMP/follow_two_holes.pcap" ]; then
	"$BIN" -r "$TMP/follow_two_holes.pcap" -T svg >"$TMP/holes.svg" 2>"$TMP/err"
	n=$((n + 1))
	if svgcheck holes "$TMP/holes.svg" 2>"$TMP/err" &&
		grep -q 'font-weight="bold">\[10 bytes missing in capture file\]</text>' "$TMP/holes.svg" &&
		grep -q '>\.\.\.\. end</text>' "$TMP/holes.svg"; then
		echo "ok $n - -T svg: gaps marked, control bytes and bytes past ASCII as dots"
	else
		echo "not ok $n - -T svg: gaps marked, control bytes and bytes past ASCII as dots"; status=1
	fi
fi
"$BIN" -r "$SRC/tests/data/ppa/http_espn.pcapng" -S 0 -T svg --graph tsg >"$TMP/tsg.svg" 2>"$TMP/err"
n=$((n + 1))
if ! grep -q 'class="follow"' "$TMP/tsg.svg"; then echo "ok $n - -T svg --graph: no payload section"
else echo "not ok $n - -T svg --graph: no payload section"; status=1; fi
echo "1..$n"
exit $status
