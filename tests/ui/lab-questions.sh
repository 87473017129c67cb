#!/bin/bash
# lab-questions.sh -- follows tests/lab/questions.md under tmux at 80x24
# and 120x40: the keys listed for each lab question show its answer.
# Prints TAP; 77 (skip) when tmux is missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
D=$TOP/tests/data
. "$HERE/tmux-lib.sh"

# open SIZE FILE: a fresh view of FILE, its title on screen.
open_view() {
	start "${1%x*}" "${1#*x}"
	run "clear; $BIN -r $D/$2"
	wait_for "${2##*/}" 5 || true
}

for size in 80x24 120x40; do
	W=${size%x*}
	open_view "$size" lab-handshake.pcap
	check "$size q1: the client's SYN options" \
		wait_for '^ +3 .*SYN Seq=0 .*MSS=1460 SACK_PERM.* WS=128' 3
	check "$size q2: the server's SYN-ACK options" \
		screen_has '^ +4 .*SYN, ACK .*MSS=1460 SACK_PERM WS=1024'
	check "$size q4: the third packet acknowledges 1" \
		screen_has '^ +5 .*ACK Seq=1 Ack=1 '
	keys Enter
	check "$size q3: the initial sequence number" \
		wait_for 'initial sequence number 2904713034' 3
	check "$size q3: the offers line (no stray ACK)" \
		screen_has '^ offers MSS=1460 SACK_PERM WS=128'
	check "$size screen fits" fits "$W"

	open_view "$size" lab-discard.pcap
	check "$size q5: 47 bytes to the discard server" \
		wait_for '^ +6 .*PSH, ACK Seq=1 Ack=1 .*Len=47' 3
	check "$size q5: the message's application label" \
		screen_has '» "Hello, discard server'
	check "$size q6: the server acknowledges 48" \
		screen_has '^ +7 .*ACK .*Ack=48'
	check "$size screen fits" fits "$W"

	open_view "$size" lab-ooo.pcap
	keys a
	check "$size q7: the second half first, not captured before it" \
		wait_for '^ frame 6 .*\[TCP Previous segment not captured\]' 3
	check "$size q7: its row" screen_has '^ +6 .*PSH, ACK Seq=29 .*Len=30'
	keys a
	check "$size q8: the dup ACK asks for byte 1" \
		wait_for '^ +7 .*ACK .*Ack=1 .*\[TCP Dup ACK 4#1\]' 3
	check "$size q14: the SACK block beyond the hole" \
		screen_has '^ +7 .*ACK Ack=1 SACK 29-59 '
	keys a
	check "$size q9: the first half is out-of-order" \
		wait_for '^ frame 8 .*\[TCP Out-Of-Order\]' 3
	check "$size q9: the rule, stated as a rule" \
		screen_has '^ Wireshark calls a segment out-of-order when'
	keys Enter
	check "$size q9: never sent before (details)" \
		wait_for 'never sent before' 3
	check "$size q9: ... of bytes 1-28" screen_has 'bytes 1-28 were( never)?$|bytes 1-28 were never'
	keys q
	keys l
	check "$size l: the analysis column scrolls (or all of it shows)" \
		wait_for 'captured\]|halves' 3
	keys '?'
	check "$size q13: help opens at the ladder's section" \
		wait_for '^ Ladder *$' 3
	check "$size screen fits" fits "$W"

	open_view "$size" lab-zerowin.pcap
	keys a a
	check "$size q10: the window closes" \
		wait_for '^ +15 .*Ack=1537 .*Win=0 .*\[TCP ZeroWindow\]' 3
	keys a
	check "$size q11: the zero-window probe" \
		wait_for '^ +16 .*Seq=1537 .*Len=1 .*\[TCP ZeroWindowProbe\]' 3

	open_view "$size" v4-keepalive-sll.pcap
	keys /
	type_text GET
	keys Enter
	check "$size q12: search finds the request's application label" \
		wait_for '^ frame 6 ' 3
	check "$size q12: the label" screen_has '» GET /'
	check "$size screen fits" fits "$W"

	open_view "$size" ppa/http_espn.pcapng
	keys f
	type_text 21
	keys Enter
	wait_for 'filter: 21' 3 >/dev/null
	keys Enter
	wait_for 'stream 21/25' 3 >/dev/null
	keys Enter
	wait_for 'segment details' 3 >/dev/null
	keys /
	type_text config.prodXml
	keys Enter
	check "$size q15: the last byte's first sending" \
		wait_for 'last byte sent 1\.450620' 3
	check "$size q15: finish is its ACK" \
		screen_has 'finish 1\.450633 \(frame 839\)'
	check "$size screen fits" fits "$W"
done
# A paused replay's clock stands still (Space), and goes on after it.
start 100 30
run "clear; $BIN --replay=1 -r $D/lab-zerowin.pcap"
wait_for 'lab-zerowin.pcap' 5 || true
keys Space
check "replay: Space pauses" wait_for 'Replay paused' 3
before=$(grep -Ec '^ +[0-9]+ ' "$SCREEN")
sleep 1.5
grab
after=$(grep -Ec '^ +[0-9]+ ' "$SCREEN")
check "replay: no row drawn while paused ($before, then $after)" \
	test "$before" -eq "$after"
keys Space
check "replay: Space resumes" wait_for 'Replay resumed' 3
check "replay: the last segments come after the pause" \
	wait_for ' 23 segments' 8
echo "1..$T"
[ "$FAILED" -eq 0 ]
