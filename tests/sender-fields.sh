#!/bin/sh
# The sender model's values under their field names (tcpladder.cwnd ...):
# -T fields gives what -T sender gives, on every capture in tests/data, and
# -Y selects by them the rows -T sender says.
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

captures=$(ls "$srcdir"/tests/data/*.pcap "$srcdir"/tests/data/synth/*.pcap 2>/dev/null)
for f in $captures; do
	name=${f##*/}
	"$TCPLADDER" -r "$f" -T sender 2>/dev/null | tail -n +2 |
		awk -F'\t' -v OFS='\t' '{ print $1, $3, $4, $5, $6, $7, $9 }' \
		> "$tmp/sender"
	"$TCPLADDER" -r "$f" -T fields -e frame.number -e tcpladder.cwnd \
		-e tcpladder.cwnd_bytes -e tcpladder.ssthresh \
		-e tcpladder.ca_state -e tcpladder.phase \
		-e tcpladder.rtx_cause 2>/dev/null > "$tmp/fields"
	check "$name: -T fields tcpladder.* = -T sender" \
		cmp -s "$tmp/sender" "$tmp/fields"
done

# -Y on the model's values: the frames -T sender marks.
loss="$srcdir/tests/data/v4-upload-loss.pcap"
"$TCPLADDER" -r "$loss" -T sender | awk -F'\t' 'NR > 1 && $9 != "" { print $1 }' > "$tmp/want"
"$TCPLADDER" -r "$loss" -T fields -e frame.number -Y 'tcpladder.rtx_cause' > "$tmp/got"
check "-Y tcpladder.rtx_cause: the retransmissions the model explains ($(wc -l < "$tmp/want"))" \
	sh -c "[ -s '$tmp/want' ] && cmp -s '$tmp/want' '$tmp/got'"
"$TCPLADDER" -r "$loss" -T sender | awk -F'\t' 'NR > 1 && $6 == "recovery" { print $1 }' > "$tmp/want"
"$TCPLADDER" -r "$loss" -T fields -e frame.number -Y 'tcpladder.ca_state == "recovery"' > "$tmp/got"
check "-Y tcpladder.ca_state == \"recovery\": the model's recovery rows" \
	sh -c "[ -s '$tmp/want' ] && cmp -s '$tmp/want' '$tmp/got'"
"$TCPLADDER" -r "$loss" -T sender | awk -F'\t' 'NR > 1 && $3 != "" && $3 > 20 { print $1 }' > "$tmp/want"
"$TCPLADDER" -r "$loss" -T fields -e frame.number -Y 'tcpladder.cwnd > 20' > "$tmp/got"
check "-Y tcpladder.cwnd > 20: numeric comparison" cmp -s "$tmp/want" "$tmp/got"

echo "1..$n"
[ "$failed" -eq 0 ]
