#!/bin/sh
# The sender model's phase band in -T svg and -T html: one strip per row in
# the phase the model gives that row (-T fields tcpladder.phase), its letter
# where a phase starts, the legend under the title.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
check() {
	what=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $what"
	else failed=$((failed + 1)); echo "not ok $n - $what"; fi
}

for cap in lab-ooo lab-zerowin v4-upload-loss; do
	f="$srcdir/tests/data/$cap.pcap"
	"$TCPLADDER" -r "$f" -T svg --rows 1000 >"$tmp/$cap.svg" 2>/dev/null
	check "$cap: -T svg exits 0" [ $? -eq 0 ]
	if command -v xmllint >/dev/null 2>&1; then
		check "$cap: valid SVG" xmllint --noout "$tmp/$cap.svg"
	fi
	# The strips' phases, row by row, are the model's.
	"$TCPLADDER" -r "$f" -T fields -e tcpladder.phase >"$tmp/want" 2>/dev/null
	sed -n 's/^<rect class="phase \([a-z_]*\)".*/\1/p' "$tmp/$cap.svg" >"$tmp/got"
	check "$cap: one strip per row in the model's phase ($(wc -l <"$tmp/want") rows)" \
		cmp -s "$tmp/want" "$tmp/got"
	# A letter wherever the phase changes, and on the first row.
	want=$(awk 'NR == 1 || $0 != prev { n++ } { prev = $0 } END { print n }' "$tmp/want")
	got=$(grep -c '^<text x="11" y="[0-9]*" font-size="13" font-weight="bold" text-anchor="middle" fill="#ffffff">[SART]</text>$' "$tmp/$cap.svg")
	check "$cap: a letter where each phase starts ($want)" [ "$want" = "$got" ]
	check "$cap: the legend" grep -q 'class="phase-legend".*S slow start.*A congestion avoidance.*R fast recovery.*T timeout' "$tmp/$cap.svg"
done
check "lab-ooo: R at the fast retransmission (frame 8), A after it" \
	sh -c "grep -A1 'class=\"phase fast_recovery\" x=\"4\" y=\"342\"' '$tmp/lab-ooo.svg' | grep -q '>R</text>' &&
	       grep -A1 'class=\"phase congestion_avoidance\" x=\"4\" y=\"388\"' '$tmp/lab-ooo.svg' | grep -q '>A</text>'"
check "lab-zerowin: a timeout strip" grep -q 'class="phase rto_recovery"' "$tmp/lab-zerowin.svg"

"$TCPLADDER" -r "$srcdir/tests/data/lab-ooo.pcap" -T html >"$tmp/ooo.html" 2>/dev/null
check "-T html: the band in the page's ladder" \
	sh -c "[ \$(grep -c '<rect class=\"phase ' '$tmp/ooo.html') -eq 10 ] && grep -q 'phase-legend' '$tmp/ooo.html'"

echo "1..$n"
[ "$failed" -eq 0 ]
