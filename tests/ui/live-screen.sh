#!/bin/bash
# The full-screen view on a live capture: two network namespaces joined by a
# veth pair (192.0.2.1/192.0.2.2 only), 5% loss on the receiver's input, and
# tcpladder drawing the receiver's veth under tmux while a kernel TCP
# transfer runs. The handshake and a retransmission must appear on screen,
# the status bar must count packets and kernel drops, and q must restore
# the terminal. Needs root, tmux, iproute2, iptables; skips (77) otherwise.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
skip() { echo "1..0 # SKIP $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
for t in tmux ip iptables python3; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
NS_A=tlu-a$$ NS_B=tlu-b$$
. "$HERE/tmux-lib.sh"
. "$TOP/tests/veth-pair.sh"
trap 'tm kill-server >/dev/null 2>&1; ip netns del $NS_A 2>/dev/null; ip netns del $NS_B 2>/dev/null; rm -rf "$TMP"' EXIT
veth_pair $NS_A $NS_B ua$$ ub$$ ||
	skip "cannot create network namespaces and a veth pair here"
ip netns exec $NS_B iptables -A INPUT -p tcp --dport 5002 \
	! --syn -m statistic --mode random --probability 0.05 -j DROP ||
	skip "iptables statistic match not available"

# The waits below end as soon as the screen shows what is waited for; their
# bounds are only for a loaded machine (CI runs four tests on two cores).
start 120 40
stty_before
run "clear; ip netns exec $NS_B $BIN --no-drop -i ub$$ tcp port 5002"
check "live: the view starts" wait_for 'LIVE|ub'"$$" 15

veth_transfer $NS_A $NS_B 5002 1000000
check "live: segments are drawn as they come" wait_for 'ACK Seq=' 15
check "live: status bar counts captured packets" wait_for 'captured [0-9,]+' 10
check "live: status bar shows kernel drops" screen_has 'drops? [0-9]'
keys Home
check "live: the handshake is on screen (SYN to 192.0.2.2:5002)" \
	wait_for 'SYN Seq=0' 10
check "live: SYN, ACK comes back" screen_has 'SYN, ACK Seq=0 Ack=1'
keys a
check "live: a jumps to an annotation" wait_for '\[TCP ' 10
keys '/'
type_text 'Retransmission'
keys Enter
check "live: a retransmission is on screen" wait_for 'Retransmission\]' 15
keys Q
check "live: quitting asks first (and offers to save: no -w)" \
	wait_for 'Stop the capture and quit\? .*w saves first' 10
keys n
check "live: n stays in the capture" wait_gone 'Stop the capture' 10
check "live: still live after n" screen_has 'LIVE|captured'
keys q
check "live: q asks too" wait_for 'Stop the capture and quit\?' 10
keys y
after "live Q y" 0 'captured [0-9]+ packets, [0-9]+ TCP segments shown, [0-9?]+ dropped by the kernel, not saved'
echo "1..$T"
[ "$FAILED" -eq 0 ]
