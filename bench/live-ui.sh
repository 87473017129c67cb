#!/bin/bash
# Does the full-screen view keep up with a saturated veth? Namespaces this
# script creates (192.0.2.1 -> 192.0.2.2), a bulk socat transfer of BYTES,
# the view on the receiver's veth under tmux (120x40, following), then the
# status bar is read: packets captured and shown, and the kernel drops.
#   sudo bench/live-ui.sh [BYTES]
set -u
bytes=${1:-400000000}
bin=${TCPLADDER:-./tcpladder}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)"; exit 77; }
for t in socat tmux ip; do
	command -v $t >/dev/null || { echo "$t is missing"; exit 77; }
done
A=tlu-a$$ B=tlu-b$$ sock=tlui$$
cleanup() {
	tmux -L $sock kill-server 2>/dev/null
	ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
}
trap cleanup EXIT
. "$(dirname "$0")/../tests/veth-pair.sh"
veth_pair $A $B ua$$ ub$$ || { echo "cannot create namespaces here"; exit 77; }
tmux -L $sock -f /dev/null new-session -d -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=xterm-256color ip netns exec $B $bin --no-drop -i ub$$ tcp port 5001"
sleep 1
ip netns exec $B socat -u TCP-LISTEN:5001,reuseaddr OPEN:/dev/null &
srv=$!
sleep 0.3
t0=$(date +%s%N)
head -c "$bytes" /dev/zero | ip netns exec $A socat -u STDIN TCP:192.0.2.2:5001
wait $srv
t1=$(date +%s%N)
sleep 2
status=$(tmux -L $sock capture-pane -p | grep -E 'LIVE' | tail -1)
echo "transfer: $bytes bytes in $(( (t1 - t0) / 1000000 )) ms"
echo "status bar 2 s later: ${status}"
