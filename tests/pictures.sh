#!/bin/sh
# Pictures (-T svg, -T html): validate them with xmllint, render them with
# headless Chromium and check the PNG with python3-pil (tests/picture-check.py):
# arrows where the SVG says, annotation colours in the annotated rows, the
# time-sequence graph's retransmissions where the segment table has them.
#
# Outside CI a missing chromium, xmllint or PIL skips the test (exit 77) with
# a message; with CI set it fails.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
DATA=$srcdir/tests/data
CHECK=$srcdir/tests/picture-check.py
n=0 failed=0

need() {
	if [ -n "${CI:-}" ]; then
		echo "Bail out! $1 (CI: install it with scripts/setup-debian.sh)"
		exit 1
	fi
	echo "1..0 # SKIP $1 (scripts/setup-debian.sh installs it)"
	exit 77
}
command -v xmllint >/dev/null 2>&1 || need "xmllint (libxml2-utils) not installed"
CHROMIUM=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c; break; fi
done
[ -n "$CHROMIUM" ] || need "chromium not installed"
# Debian's python3 has PIL (python3-pil); another python3 first in PATH
# (pyenv) may not.
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import PIL' >/dev/null 2>&1; then PY=$p; break; fi
done
[ -n "$PY" ] || need "python3-pil not installed"

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -s "$tmp/log" ] && sed 's/^/#   /' "$tmp/log" | head -20
}
check() {   # check NAME COMMAND...
	name=$1; shift
	if "$@" >"$tmp/log" 2>&1; then ok "$name"; sed 's/^/  /' "$tmp/log" | grep '^  #' ; else not_ok "$name"; fi
}

# xmllint --html knows HTML 4 only: it reports the inline SVG's elements
# ("Tag svg invalid") and nothing else may be reported. The page is
# well-formed XML as well, which xmllint checks strictly.
html_valid() {
	xmllint --html --noout "$1" 2>"$tmp/html.err"
	grep 'HTML parser error' "$tmp/html.err" |
		grep -Ev 'Tag (svg|g|title|rect|line|text|polygon|path|circle|clipPath) invalid' &&
		return 1
	xmllint --noout "$1"
}

# The PNG of a file at the size the picture asks for (SVG: its width and
# height; HTML: the size given).
shot() {   # shot FILE_OR_URL PNG WIDTH HEIGHT
	prof=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --hide-scrollbars --disable-dev-shm-usage \
		--user-data-dir="$prof" --screenshot="$2" \
		--window-size="$3,$4" "$1" >/dev/null 2>&1
	rm -rf "$prof"
	[ -s "$2" ]
}
svg_size() {
	sed -n 's/^<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$1" | head -n 1
}
render_svg() {   # render_svg SVG PNG
	set -- "$1" "$2" $(svg_size "$1")
	shot "$1" "$2" "$3" "$4"
}

OOO=$DATA/lab-ooo.pcap
LOSS=$DATA/v4-upload-loss.pcap

# ---- the lab's out-of-order exchange -------------------------------------
"$TCPLADDER" -r "$OOO" -T svg >"$tmp/ooo.svg" 2>"$tmp/err"
check "lab-ooo: -T svg exits 0" [ $? -eq 0 ]
check "lab-ooo: SVG valid (xmllint --noout)" xmllint --noout "$tmp/ooo.svg"
check "lab-ooo: labels are real text" grep -q '>PSH, ACK Seq=29 Ack=1 Win=64240 Len=30</text>' "$tmp/ooo.svg"
check "lab-ooo: annotations in the UI's words" grep -q '>\[TCP Out-Of-Order\]</text>' "$tmp/ooo.svg"
check "lab-ooo: window change noted" grep -q '>win 64240→64182</text>' "$tmp/ooo.svg"
check "lab-ooo: chromium renders the SVG" render_svg "$tmp/ooo.svg" "$tmp/ooo.png"
check "lab-ooo: arrows, badges and colours where expected" \
	"$PY" "$CHECK" ladder "$tmp/ooo.svg" "$tmp/ooo.png" \
	6=lost 7=dup-ack 8=out-of-order

"$TCPLADDER" -r "$OOO" -T html >"$tmp/ooo.html"
check "lab-ooo: HTML valid (xmllint --html, and as XML)" html_valid "$tmp/ooo.html"
check "lab-ooo: HTML is self-contained (no external scripts, styles, fonts)" \
	eval '! grep -Eiq "(src|href)=\"|@import|url\((http|file|//)" "$tmp/ooo.html"'
check "lab-ooo: chromium renders the page" shot "$tmp/ooo.html" "$tmp/ooo-page.png" 1500 1400
check "lab-ooo: page shows the annotation colours" \
	"$PY" "$CHECK" colors "$tmp/ooo-page.png" lost dup-ack out-of-order
prof=$(mktemp -d "$tmp/profile.XXXXXX")
timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	--disable-background-networking --disable-component-update \
	--disable-sync --no-first-run --disable-dev-shm-usage --user-data-dir="$prof" \
	--dump-dom "file://$(cd "$tmp" && pwd)/ooo.html#f8" >"$tmp/dom.html" 2>/dev/null
check "lab-ooo: the page's script shows a segment's details (#f8)" \
	grep -q 'id="details">frame 8  stream 0' "$tmp/dom.html"

# ---- the lossy upload ----------------------------------------------------
"$TCPLADDER" -r "$LOSS" -T svg --rows 60 >"$tmp/loss.svg" 2>"$tmp/err"
check "upload-loss: --rows 60 exits 0" [ $? -eq 0 ]
check "upload-loss: says the picture was cut" grep -q 'rows 1 to 60 of 267' "$tmp/err"
check "upload-loss: SVG valid" xmllint --noout "$tmp/loss.svg"
check "upload-loss: footer names the next page" grep -q -- '--page 2 shows the next' "$tmp/loss.svg"
check "upload-loss: chromium renders the SVG" render_svg "$tmp/loss.svg" "$tmp/loss.png"
check "upload-loss: fast retransmission red, dup ACKs yellow" \
	"$PY" "$CHECK" ladder "$tmp/loss.svg" "$tmp/loss.png" \
	33=retransmission 18=dup-ack 32=dup-ack 12=other
"$TCPLADDER" -r "$LOSS" -T svg --rows 60 --page 6 >/dev/null 2>"$tmp/err"
check "upload-loss: an empty page is refused" grep -q -- '--page 6 is empty: the selection has 267 rows, 5 pages' "$tmp/err"

"$TCPLADDER" -r "$LOSS" -T tsv >"$tmp/loss.tsv"
"$TCPLADDER" -r "$LOSS" -T svg --graph tsg >"$tmp/tsg.svg"
check "upload-loss tsg: SVG valid" xmllint --noout "$tmp/tsg.svg"
check "upload-loss tsg: chromium renders it" render_svg "$tmp/tsg.svg" "$tmp/tsg.png"
check "upload-loss tsg: retransmissions and dup ACKs where the table has them" \
	"$PY" "$CHECK" tsg "$tmp/tsg.svg" "$tmp/tsg.png" "$tmp/loss.tsv"
"$TCPLADDER" -r "$LOSS" -T svg --graph flight >"$tmp/flight.svg"
check "upload-loss flight: SVG valid" xmllint --noout "$tmp/flight.svg"
check "upload-loss flight: chromium renders it" render_svg "$tmp/flight.svg" "$tmp/flight.png"
check "upload-loss flight: retransmissions marked" \
	"$PY" "$CHECK" colors "$tmp/flight.png" retransmission dup-ack

"$TCPLADDER" -r "$LOSS" -T html >"$tmp/loss.html"
check "upload-loss: HTML valid" html_valid "$tmp/loss.html"
check "upload-loss: HTML has the segment table" grep -q '<tr id="r33" data-frame="33">' "$tmp/loss.html"
check "upload-loss: chromium renders the page" shot "$tmp/loss.html" "$tmp/loss-page.png" 1500 1600
check "upload-loss: page shows red and yellow" \
	"$PY" "$CHECK" colors "$tmp/loss-page.png" retransmission dup-ack

if [ -n "${KEEP_PICTURES:-}" ]; then
	mkdir -p "$KEEP_PICTURES" && cp "$tmp"/*.png "$tmp"/*.svg "$tmp"/*.html "$KEEP_PICTURES"/
fi
echo "1..$n"
[ "$failed" -eq 0 ]
