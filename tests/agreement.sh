#!/bin/sh
# Agreement with tshark 4.0: for every capture in ../shared/captures and
# tests/data, `tcpladder -T tsv` must equal the table tests/tshark-table.py
# builds from `tshark -T fields`, on every column of every segment.
# Divergences we keep on purpose are listed in tests/agreement-known.tsv
# (capture, frame, reason) and are compared without the analysis column.
# Without tshark the test is skipped, except in CI where it fails.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
: "${SHARED_CAPTURES:=$srcdir/../shared/captures}"
known="$srcdir/tests/agreement-known.tsv"

if ! command -v tshark >/dev/null 2>&1; then
	if [ -n "${CI:-}" ]; then
		echo "not ok - tshark is not installed (apt-get install tshark)"
		exit 1
	fi
	echo "1..0 # SKIP tshark not installed"
	exit 77
fi

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

list="$tmp/captures"
for dir in "$SHARED_CAPTURES" "$srcdir/tests/data"; do
	[ -d "$dir" ] && find "$dir" -type f \( -name '*.pcap' -o -name '*.pcapng' \
		-o -name '*.cap' \) | sort
done > "$list"
total=$(wc -l < "$list")
if [ "$total" -eq 0 ]; then
	echo "not ok - no captures found under $SHARED_CAPTURES or tests/data"
	exit 1
fi
echo "1..$total"

# tshark's tables of every capture first, one Python for all and several
# captures at a time (tshark's start-up is most of the time; its run is
# the one the fields test makes too, and tests/bin/tshark may answer it
# from its cache). The comparisons below are made capture by capture.
mkdir "$tmp/tables" || exit 99
python3 "$srcdir/tests/tshark-table.py" --out-dir "$tmp/tables" --list "$list"
n=0 failed=0 rows=0 rows_bad=0
while IFS= read -r cap; do
	n=$((n + 1))
	name=$(basename "$cap")
	if [ -f "$tmp/tables/$n.rc" ]; then
		cp "$tmp/tables/$n.tsv" "$tmp/want"
		cp "$tmp/tables/$n.err" "$tmp/err"
	else
		: > "$tmp/want"
		echo "tshark-table.py gave no table" > "$tmp/err"
	fi
	"$TCPLADDER" -r "$cap" -T tsv > "$tmp/got" 2>> "$tmp/err"
	# Frames listed as known divergences lose their analysis column.
	for f in want got; do
		awk -F'\t' -v OFS='\t' -v cap="$name" '
			FNR == NR { if ($1 == cap) skip[$2] = 1; next }
			($1 in skip) { $13 = "(known divergence)" } { print }
		' "$known" "$tmp/$f" > "$tmp/$f.cmp"
	done
	segs=$(($(wc -l < "$tmp/want.cmp") - 1))
	rows=$((rows + segs))
	if cmp -s "$tmp/want.cmp" "$tmp/got.cmp"; then
		echo "ok $n - $name ($segs segments)"
	else
		bad=$(diff "$tmp/want.cmp" "$tmp/got.cmp" | grep -c '^<')
		rows_bad=$((rows_bad + bad))
		failed=$((failed + 1))
		echo "not ok $n - $name: $bad of $segs rows differ (< tshark, > tcpladder)"
		diff "$tmp/want.cmp" "$tmp/got.cmp" | head -20 | sed 's/^/#   /'
		sed 's/^/#   stderr: /' "$tmp/err" | head -5
	fi
done < "$list"

echo "# $rows segments compared, $rows_bad differ, in $total captures"
[ "$failed" -eq 0 ]
