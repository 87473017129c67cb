#!/bin/sh
# -Y against tshark 4.0: every filter of tests/filters/filters.list on
# tests/filters/mix.pcap, of tests/filters/analyst.list on
# tests/filters/random.pcapng and of tests/filters/http.list on
# tests/filters/http.pcap, must select the frames tshark selected
# (among the TCP segments tcpladder shows), or be rejected (exit 2, one
# line) where tshark rejected it. tshark's verdicts are stored in
# expected.tsv, expected-analyst.tsv and expected-http.tsv
# (tests/filters/make-expected.sh
# writes them), so this needs no tshark.
# Filters listed in tests/filters/known.tsv may differ (and say why).
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
dir="$srcdir/tests/filters"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

total=$(($(wc -l < "$dir/expected.tsv") + $(wc -l < "$dir/expected-analyst.tsv") +
        $(wc -l < "$dir/expected-http.tsv")))
echo "1..$total"
n=0 failed=0 agree=0 known=0
for set in "mix.pcap expected.tsv" "random.pcapng expected-analyst.tsv" \
           "http.pcap expected-http.tsv"; do
	set -- $set
	cap="$dir/$1"
	"$TCPLADDER" -r "$cap" -T fields -e frame.number > "$tmp/rows" 2>/dev/null ||
		exit 99
	while IFS="$(printf '\t')" read -r f want; do
		n=$((n + 1))
		if "$TCPLADDER" -r "$cap" -Y "$f" -T fields -e frame.number \
		        > "$tmp/got" 2> "$tmp/err"; then
			got=$(echo $(cat "$tmp/got"))
		else
			rc=$?
			got=error
			lines=$(wc -l < "$tmp/err")
			if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ]; then
				got="error (exit $rc, $lines lines)"
			fi
		fi
		if [ "$want" != error ]; then
			# Only the TCP segments tcpladder shows can be selected.
			want=$(echo $(printf '%s\n' $want | grep -Fxf "$tmp/rows"))
		fi
		if [ "$got" = "$want" ]; then
			agree=$((agree + 1))
			echo "ok $n - $f ($1)"
		elif grep -Fxq -- "$f" "$dir/known.tsv" 2>/dev/null ||
		     cut -f1 "$dir/known.tsv" 2>/dev/null | grep -Fxq -- "$f"; then
			known=$((known + 1))
			echo "ok $n - $f ($1) # differs, known: $(grep -F -- "$f" "$dir/known.tsv" | cut -f2 | head -1)"
		else
			failed=$((failed + 1))
			echo "not ok $n - $f ($1)"
			echo "#   tshark:    $want" | cut -c1-300
			echo "#   tcpladder: $got" | cut -c1-300
			sed 's/^/#   stderr: /' "$tmp/err" | head -2
		fi
	done < "$dir/$2"
done
echo "# $agree of $total filters select what tshark selects; $known known differences"
[ "$failed" -eq 0 ]
