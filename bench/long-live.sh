#!/bin/bash
# A long live run of the full-screen view under a memory limit: two network
# namespaces this script makes (192.0.2.1 -> 192.0.2.2), a paced bulk
# transfer with 1% loss on the receiver's INPUT plus short echo exchanges
# (connections that open and close all the time), and tcpladder -i on the
# receiver's veth under tmux with --max-memory. Every 10 s it samples the
# view's resident memory and its status line; every minute it presses a key
# (list, ladder, graph, back, scroll) so the views are used while rows go.
#   sudo bench/long-live.sh [SECONDS [MAX_MEMORY [SEGMENTS_PER_S]]]
# Defaults: 3600 s, 64M, 2000. Writes bench/data/long-live.csv and prints a
# summary for bench/RESULTS.md.
set -u
secs=${1:-3600}
mem=${2:-64M}
rate=${3:-2000}
bin=${TCPLADDER:-./tcpladder}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)"; exit 77; }
for t in tmux ip iptables python3; do
	command -v $t >/dev/null || { echo "$t is missing"; exit 77; }
done
A=tll-a$$ B=tll-b$$ sock=tll$$
cleanup() {
	tmux -L $sock kill-server 2>/dev/null
	[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null
	ip netns pids $A 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns pids $B 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
}
trap cleanup EXIT
. "$here/../tests/veth-pair.sh"
veth_pair $A $B la$$ lb$$ || { echo "cannot create namespaces here"; exit 77; }
# Loss where it makes real retransmissions: the receiver's INPUT, SYNs
# spared so every exchange gets going.
ip netns exec $B iptables -A INPUT -p tcp ! --syn -m statistic \
	--mode random --probability 0.01 -j DROP
ip netns exec $B python3 "$here/long-live-traffic.py" server &
srv=$!
tmux -L $sock -f /dev/null new-session -d -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=xterm-256color ip netns exec $B $bin --no-drop -i lb$$ --max-memory $mem"
sleep 1
pid=$(tmux -L $sock display -p '#{pane_pid}')
[ -r /proc/$pid/status ] || { echo "tcpladder did not start"; exit 1; }

mkdir -p "$here/data"
csv=$here/data/long-live.csv
echo "seconds,rss_kib,peak_kib,status" > "$csv"
ip netns exec $A python3 "$here/long-live-traffic.py" client 192.0.2.2 \
	"$secs" "$rate" 20 > "$here/data/long-live.client" &
cli=$!
keys=(c Down Enter g q PPage End F)
t0=$(date +%s)
k=0
alive=yes
while kill -0 $cli 2>/dev/null; do
	sleep 10
	now=$(( $(date +%s) - t0 ))
	if ! [ -r /proc/$pid/status ]; then alive=no; break; fi
	rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
	hwm=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status)
	line=$(tmux -L $sock capture-pane -p | tail -1 | sed 's/  */ /g; s/,//g')
	echo "$now,$rss,$hwm,\"${line}\"" >> "$csv"
	if [ $(( now % 60 )) -lt 10 ]; then
		tmux -L $sock send-keys "${keys[k % ${#keys[@]}]}"
		k=$((k + 1))
	fi
done
wait $cli
sleep 2
tmux -L $sock send-keys End
sleep 1
final=$(tmux -L $sock capture-pane -p | tail -1)
peak=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null)
tmux -L $sock send-keys Q
sleep 1
echo "duration:      ${secs} s, bulk ${rate} segments/s with 1% loss + 20 echo exchanges/s"
echo "client:        $(cat "$here/data/long-live.client")"
echo "limit:         --max-memory $mem"
echo "view alive:    $alive (keys pressed: $k)"
echo "peak RSS:      ${peak:-?} KiB"
echo "RSS every 10 minutes (KiB):"
awk -F, 'NR > 1 && $1 % 600 < 10 {printf "  %5d s  %s\n", $1, $2}' "$csv"
echo "status line at the end:"
echo "  $final"
