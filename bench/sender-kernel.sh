#!/usr/bin/env bash
# bench/sender-kernel.sh - the sender model against the kernel (issue 16).
#
# Bulk transfers (and HTTP/1.1-like exchanges) through namespaces of its own (sender, router with a
# 20 Mbit/s token bucket and random loss, receiver), Reno and CUBIC, loss
# from 0.5 % to 30 %; the kernel's tcp_probe, tcp_cong_state_set and
# tcp_retransmit_skb recorded in a tracefs instance of its own; captures at
# the sender and at the receiver; tcpladder -T sender compared event by
# event (tests/sender-kernel.py says how). Writes the table to
# bench/RESULTS.md between its own markers, keeping the rest.
#
# Environment:
#   SK_LOSS      loss rates (default "0.005,0.01,0.02,0.05,0.1,0.2,0.3")
#   SK_RUNS      transfers per rate and controller (default 3)
#   SK_PER_RUN   1: a row per transfer rather than per rate
#   SK_BYTES     bytes per transfer below 10 % loss (default 3000000;
#                a thirtieth of it from 10 % up, where timeouts make it slow)
#   TCPLADDER    binary under test (default ./tcpladder)
#   BENCH_RESULTS  output file (default bench/RESULTS.md); "-" = none
# Needs root, tracefs, iptables, tc, tcpdump, ethtool; exits 77 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
TL=${TCPLADDER:-./tcpladder}
LOSS=${SK_LOSS:-0.005,0.01,0.02,0.05,0.1,0.2,0.3}
RUNS=${SK_RUNS:-3}
BYTES=${SK_BYTES:-3000000}
OUT=${BENCH_RESULTS:-bench/RESULTS.md}
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.new"' EXIT

low= high=
IFS=, read -ra rates <<<"$LOSS"
for p in "${rates[@]}"; do
	if awk -v p="$p" 'BEGIN { exit !(p < 0.1) }'; then
		low=${low:+$low,}$p
	else
		high=${high:+$high,}$p
	fi
done
{
	echo "## Sender model against the kernel (bench/sender-kernel.sh)"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); kernel $(uname -r); $RUNS transfers per rate${SK_PER_RUN:+ (a row each)}, $BYTES bytes (a thirtieth from 10 % loss up), 20 Mbit/s bottleneck, 40 ms queue, random loss at the router, captured at the sender"
	echo "- tcpladder: $TL ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
	echo
	status=0
	hdr=
	# Bulk below and from 10 % loss, then HTTP/1.1-like exchanges: ten
	# requests, each answered with a tenth of the bytes after a pause
	# longer than the RTO (so cwnd restarts after idle).
	for part in "$low:$BYTES:1" "$high:$((BYTES / 30)):1" \
	            "0.01,0.05:$((BYTES / 3)):10"; do
		rates=${part%%:*} rest=${part#*:} n=${rest%%:*} http=${rest##*:}
		[ -n "$rates" ] || continue
		python3 tests/sender-kernel.py "$TL" --cc reno,cubic \
			--loss "$rates" --runs "$RUNS" --bytes "$n" --markdown \
			--http "$http" ${SK_PER_RUN:+--per-run} \
			>"$tmp.part" || status=$?
		[ "$status" = 77 ] && { cat "$tmp.part"; exit 77; }
		if [ -z "$hdr" ]; then cat "$tmp.part"; hdr=1
		else tail -n +3 "$tmp.part"; fi
	done
	rm -f "$tmp.part"
} | tee "$tmp"
[ "${PIPESTATUS[0]}" = 77 ] && exit 77
[ "$OUT" = - ] && exit 0
begin='<!-- BEGIN bench/sender-kernel.sh output -->'
end='<!-- END bench/sender-kernel.sh output -->'
if grep -qF "$begin" "$OUT"; then
	awk -v b="$begin" -v e="$end" -v f="$tmp" '
		$0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
		$0 == e { skip = 0 }
		!skip' "$OUT" >"$tmp.new"
else
	{ cat "$OUT"; echo; echo "$begin"; cat "$tmp"; echo "$end"; } >"$tmp.new"
fi
mv "$tmp.new" "$OUT"
echo "wrote $OUT"
