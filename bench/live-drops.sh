#!/bin/bash
# Live capture under load: a saturated veth between two namespaces this
# script creates (192.0.2.1 -> 192.0.2.2, offloads off so segments are
# MSS-sized), a bulk socat transfer of BYTES, and one capturing tool on the
# receiver's veth at a time, each with the same kernel buffer. Prints the
# packets each saw and the kernel drop count they report, side by side.
#   sudo bench/live-drops.sh [BYTES] [BUFFER_KIB]
set -u
bytes=${1:-400000000}
buf=${2:-32768}
bin=${TCPLADDER:-./tcpladder}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)"; exit 77; }
for t in socat tcpdump ip; do
	command -v $t >/dev/null || { echo "$t is missing"; exit 77; }
done
A=tlb-a$$ B=tlb-b$$
cleanup() { ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; }
trap cleanup EXIT
. "$(dirname "$0")/../tests/veth-pair.sh"
veth_pair $A $B ba$$ bb$$ || { echo "cannot create namespaces here"; exit 77; }
tmp=$(mktemp -d)

transfer() {
	ip netns exec $B socat -u TCP-LISTEN:5001,reuseaddr OPEN:/dev/null &
	local srv=$!
	sleep 0.3
	local t0 t1
	t0=$(date +%s%N)
	head -c "$bytes" /dev/zero | ip netns exec $A socat -u STDIN TCP:192.0.2.2:5001
	wait $srv
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

# run NAME CMD...: starts the capture, runs the transfer, stops it with
# SIGINT, and prints "NAME ms packets dropped".
run() {
	local name=$1; shift
	ip netns exec $B "$@" > "$tmp/out" 2> "$tmp/err" &
	local pid=$!
	sleep 1
	local ms
	ms=$(transfer)
	sleep 0.5
	kill -INT $pid; wait $pid
	local pk dr
	case $name in
	tcpdump*)
		pk=$(grep -Eo '^[0-9]+ packets captured' "$tmp/err" | grep -Eo '^[0-9]+')
		dr=$(grep -Eo '^[0-9]+ packets dropped by kernel' "$tmp/err" | grep -Eo '^[0-9]+') ;;
	*)
		pk=$(grep -Eo '[0-9]+ packets captured' "$tmp/err" | grep -Eo '^[0-9]+')
		dr=$(grep -Eo '[0-9]+ dropped by the kernel' "$tmp/err" | grep -Eo '^[0-9]+') ;;
	esac
	printf '| %-34s | %7s | %9s | %8s |\n' "$name" "$ms" "${pk:-?}" "${dr:-?}"
}

echo "transfer of $bytes bytes over a veth, kernel buffer $buf KiB, $(nproc) cores"
echo
printf '| %-34s | %7s | %9s | %8s |\n' tool "ms" packets dropped
echo "| --- | ---: | ---: | ---: |"
for round in 1 2; do
	run "tcpdump -w /dev/null (round $round)" tcpdump -i bb$$ -B "$buf" \
		--immediate-mode -w /dev/null tcp port 5001
	run "tcpladder -T tsv (round $round)" "$bin" -i bb$$ -B "$buf" --no-drop \
		-T tsv tcp port 5001
	run "tcpdump -nn text (round $round)" tcpdump -i bb$$ -B "$buf" -nn \
		--immediate-mode tcp port 5001
	run "tcpladder -T text (round $round)" "$bin" -i bb$$ -B "$buf" \
		--no-drop -T text --width 120 tcp port 5001
done
rm -rf "$tmp"
