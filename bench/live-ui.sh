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
ip netns add $A && ip netns add $B
ip link add ua$$ netns $A type veth peer name ub$$ netns $B
ip -n $A addr add 192.0.2.1/24 dev ua$$
ip -n $B addr add 192.0.2.2/24 dev ub$$
ip -n $A link set ua$$ up; ip -n $B link set ub$$ up
ip netns exec $A ethtool -K ua$$ tso off gso off gro off >/dev/null 2>&1
ip netns exec $B ethtool -K ub$$ tso off gso off gro off >/dev/null 2>&1
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
