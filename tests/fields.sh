#!/bin/sh
# -T fields against tshark 4.0: every field of the table (src/fields.c) on
# every TCP segment of every capture in tests/data and ../shared/captures
# (one tshark and one tcpladder run per capture, tests/fields-compare.py).
# Cells listed in tests/fields-known.tsv (capture, field, reason) may
# differ; anything else fails. Without tshark: skipped (failed in CI).
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
: "${SHARED_CAPTURES:=$srcdir/../shared/captures}"
known="$srcdir/tests/fields-known.tsv"

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

for dir in "$SHARED_CAPTURES" "$srcdir/tests/data"; do
	[ -d "$dir" ] && find "$dir" -type f \( -name '*.pcap' -o -name '*.pcapng' \
		-o -name '*.cap' \) | sort
done > "$tmp/list"
[ -n "${FIELDS_ONLY:-}" ] && echo "$FIELDS_ONLY" > "$tmp/list"
total=$(wc -l < "$tmp/list")
if [ "$total" -eq 0 ]; then
	echo "not ok - no captures found"
	exit 1
fi
echo "1..$total"
n=0 failed=0 cells=0 bad=0 known_bad=0 rows=0
while IFS= read -r cap; do
	n=$((n + 1))
	name=$(basename "$cap")
	python3 "$srcdir/tests/fields-compare.py" "$TCPLADDER" "$cap" > "$tmp/out"
	set -- $(awk -F'\t' '$1 == "rows" { print $2, $4, $6 }' "$tmp/out")
	rows=$((rows + ${1:-0})) cells=$((cells + ${2:-0})) bad=$((bad + ${3:-0}))
	# Differences not excused by the known list.
	awk -F'\t' -v cap="$name" '
		FNR == NR { if ($1 == cap) ok[$2] = 1; next }
		$1 == "rows" { next }
		{ for (k in ok) {
			if (k == $1) next
			if (k ~ /\.\*$/ && index($1, substr(k, 1, length(k) - 1)) == 1)
				next
		  }
		  print }
	' "$known" "$tmp/out" > "$tmp/unexcused"
	k=$(awk -F'\t' '$1 != "rows" { s += $2 } END { print s + 0 }' "$tmp/out")
	u=$(awk -F'\t' '{ s += $2 } END { print s + 0 }' "$tmp/unexcused")
	known_bad=$((known_bad + k - u))
	if [ ! -s "$tmp/unexcused" ] && grep -q '^rows' "$tmp/out"; then
		echo "ok $n - $name (${1:-0} rows${k:+, $k known})"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: field, rows that differ, first (tshark | tcpladder)"
		sed 's/^/#   /' "$tmp/unexcused" | head -20
	fi
done < "$tmp/list"
echo "# $rows segments, $cells cells compared, $bad differ ($known_bad known) in $total captures"
[ "$failed" -eq 0 ]
