#!/bin/sh
# -T fields against tshark 4.0: every field of the table (src/filter/fields.c) on
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
# FIELDS_ONLY=CAPTURE: that capture only; FIELDS_ONLY=occurrences: only
# the tunnels' occurrence checks below.
case "${FIELDS_ONLY:-}" in
'') ;;
occurrences) : > "$tmp/list" ;;
*) echo "$FIELDS_ONLY" > "$tmp/list" ;;
esac
total=$(wc -l < "$tmp/list")
if [ "$total" -eq 0 ] && [ "${FIELDS_ONLY:-}" != occurrences ]; then
	echo "not ok - no captures found"
	exit 1
fi
# Tunnels: every IP header is an occurrence (outermost first), so -E
# occurrence=f|l picks the outer or the inner one and -Y matches either.
encap="$srcdir/tests/data/encap"
occ_caps="udp_teredo.pcap nested_vxlan_gre_mpls.pcap frag_gre_outer.pcap
ipip_60deep.pcap"
occ_filters="ip.src == 198.51.100.1
ip.dst == 192.0.2.2 && ip.ttl == 64
ipv6.src == 2001:db8:ffff::1
ip.id == 0x2003"
case "${FIELDS_ONLY:-}" in ''|occurrences) ;; *) occ_caps= ;; esac
extra=0
for c in $occ_caps; do extra=$((extra + 1)); done
echo "1..$((total + extra))"
# Every capture's comparison first, one Python for all and several
# captures at a time (tshark's start-up is most of the time; its run is
# the one the agreement test makes too, and tests/bin/tshark may answer
# it from its cache). What each report says is judged below.
mkdir "$tmp/reports" || exit 99
if [ -s "$tmp/list" ]; then
	python3 "$srcdir/tests/fields-compare.py" --out-dir "$tmp/reports" \
		--list "$tmp/list" "$TCPLADDER"
fi
n=0 failed=0 cells=0 bad=0 known_bad=0 rows=0
while IFS= read -r cap; do
	n=$((n + 1))
	name=$(basename "$cap")
	cp "$tmp/reports/$n.out" "$tmp/out" 2>/dev/null || : > "$tmp/out"
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
for c in $occ_caps; do
	n=$((n + 1))
	cap="$encap/$c"
	: > "$tmp/occ"
	occ_fields="-e frame.number -e ip.src -e ip.addr -e ip.ttl -e ip.len
		-e ipv6.src -e ipv6.addr"
	# One tshark run (all occurrences); the first and last are cut
	# from it.
	tshark -n -r "$cap" -Y tcp -T fields -E occurrence=a $occ_fields \
		> "$tmp/want.a" 2>/dev/null
	for o in f l a; do
		awk -F'\t' -v o=$o 'BEGIN { OFS = "\t" }
			o != "a" { for (i = 1; i <= NF; i++) {
				k = split($i, v, ",")
				if (k) $i = o == "f" ? v[1] : v[k] } }
			{ print }' "$tmp/want.a" > "$tmp/want"
		"$TCPLADDER" -r "$cap" -T fields -E occurrence=$o $occ_fields \
			> "$tmp/got" 2>&1
		cmp -s "$tmp/want" "$tmp/got" ||
			echo "occurrence=$o: $(diff "$tmp/want" "$tmp/got" |
				head -3 | tr '\n' ' ')" >> "$tmp/occ"
	done
	echo "$occ_filters" | while IFS= read -r flt; do
		want=$(tshark -n -r "$cap" -Y "tcp && ($flt)" -T fields \
			-e frame.number 2>/dev/null | tr '\n' ' ')
		got=$("$TCPLADDER" -r "$cap" -Y "$flt" -T fields \
			-e frame.number 2>&1 | tr '\n' ' ')
		[ "$want" = "$got" ] ||
			echo "-Y '$flt': tshark [$want] tcpladder [$got]" >> "$tmp/occ"
	done
	if [ -s "$tmp/occ" ]; then
		failed=$((failed + 1))
		echo "not ok $n - $c: outer IP headers as occurrences"
		sed 's/^/#   /' "$tmp/occ" | cut -c1-300
	else
		echo "ok $n - $c: outer IP headers as occurrences (f, l, a, -Y)"
	fi
done
echo "# $rows segments, $cells cells compared, $bad differ ($known_bad known) in $total captures"
[ "$failed" -eq 0 ]
