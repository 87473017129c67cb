#!/bin/bash
# fields-screen.sh -- Wireshark's analysis values in the full-screen view,
# under tmux at 80x24 and 120x40: the frame an ACK acknowledges and its
# RTT in the details pane, that frame's row marked while the cursor is on
# the ACK, a retransmission's RTO; a connection filter that does not parse
# keeps its prompt with the error under it, a caret at the token.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
SRC=${srcdir:-$TOP}
ZW=$SRC/tests/data/lab-zerowin.pcap
RTO=$SRC/tests/data/v4-zero-window.pcap
REUSE=$SRC/tests/data/v6-reuse-sll2.pcap

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
case $ZW in /*) ;; *) ZW=$PWD/$ZW; RTO=$PWD/$RTO; REUSE=$PWD/$REUSE ;; esac

. "$HERE/tmux-lib.sh"

# goto FRAME: the ladder's / with a number puts the cursor on that frame.
goto() {
	keys /
	type_text "$1"
	keys Enter
}

# marked: the rows whose frame number carries the acknowledged mark.
marked() {
	grep -Ec '^ *[0-9]+◀ ' "$SCREEN"
}

for size in "80 24" "120 40"; do
	set -- $size
	W=$1
	start "$1" "$2"
	run "cd $TMP"

	# ---- acks_frame, ack_rtt: the pane and the mark -------------------
	launch -r "$ZW"
	check "$W: ladder drawn" wait_for 'lab-zerowin\.pcap' 5
	goto 7
	keys d
	check "$W: frame 7 in the details pane" \
		wait_for '^ frame 7 +t=0\.075905' 3
	check "$W: frame 7 acknowledges frame 6, RTT 60us (as tshark)" \
		screen_has '^ acks   frame 6, RTT 60us'
	check "$W: frame 6's row marked" screen_has '^ +6◀ +0\.0758'
	check "$W: only that row marked" test "$(marked)" -eq 1
	check "$W: screen fits $W columns" fits "$W"
	goto 8
	check "$W: frame 8 in the details pane" wait_for '^ frame 8 ' 3
	check "$W: frame 8 acknowledges nothing listed: no acks line" \
		eval '! screen_has "^ acks "'
	check "$W: frame 8: no row marked" test "$(marked)" -eq 0
	goto 5
	check "$W: frame 5 acknowledges frame 4 (the SYN-ACK), 24.19ms" \
		wait_for '^ acks   frame 4, RTT 24\.19ms' 3
	check "$W: frame 4's row marked" screen_has '^ +4◀ '
	keys k
	check "$W: k: frame 4 acknowledges the SYN, frame 3" \
		wait_for '^ acks   frame 3, RTT 37us' 3
	check "$W: the SYN's row marked, not the SYN-ACK's" \
		screen_has '^ +3◀ '
	check "$W: one row marked" test "$(marked)" -eq 1
	quit_check "$W: acks" q

	# ---- rto, rto_frame ---------------------------------------------------
	launch -r "$RTO"
	check "$W: v4-zero-window drawn" wait_for 'v4-zero-window\.pcap' 5
	goto 10
	keys d
	check "$W: frame 10 in the details pane" wait_for '^ frame 10 ' 3
	check "$W: frame 10's RTO 11.53ms from frame 8 (as tshark)" \
		screen_has '^ rto    11\.53ms, counted from frame 8'
	check "$W: a retransmission credits no frame" \
		eval '! screen_has "^ acks "'
	goto 11
	check "$W: frame 11 (zero window) acknowledges frame 9, 43.51ms (tshark 0.043513)" \
		wait_for '^ acks   frame 9, RTT 43\.51ms' 3
	check "$W: and has no RTO" eval '! screen_has "^ rto "'
	quit_check "$W: rto" q

	# ---- the connection filter's error under its prompt -----------------
	launch -r "$REUSE"
	check "$W: list drawn" wait_for '3 connections' 5
	keys f
	check "$W: filter prompt" wait_for 'Filter connections' 3
	type_text 'tcp.flags.syn == 1 and tcp.flgs.ack == 0'
	keys Enter
	check "$W: the error under the prompt" \
		wait_for '^ Left side of "==" expression must be a field or function, not tcp\.flgs\.ack' 3
	# The caret sits under the first letter of the bad field.
	grab
	pline=$(grep -n 'Filter connections' "$SCREEN" | cut -d: -f1)
	prompt=$(sed -n "${pline}p" "$SCREEN")
	caret=$(sed -n "$((pline + 1))p" "$SCREEN")
	want=${prompt%%tcp.flgs*}
	got=${caret%%^*}
	check "$W: caret line right under the prompt" \
		eval '[[ $caret =~ ^\ +\^~+$ ]]'
	check "$W: caret at column ${#want}, under tcp.flgs.ack" \
		test "${#got}" -eq "${#want}"
	check "$W: the caret is as long as the token" \
		eval '[[ $caret =~ \^~{11}$ ]]'
	check "$W: still all three connections (nothing applied)" \
		screen_has '^ \[ \]  2 '
	check "$W: screen fits $W columns" fits "$W"
	keys BSpace
	check "$W: editing clears the error" \
		wait_gone '^ Left side of' 3
	keys C-u
	type_text 'tcp.flags.syn == 1 and tcp.flags.ack == 0 and ip.src == 192.0.2.1'
	keys Enter
	check "$W: a valid filter closes the prompt" \
		wait_gone 'Filter connections' 3
	check "$W: and is applied (the title says so)" \
		wait_for '3 connections .*filter' 3
	check "$W: stream 2 kept" screen_has '^ \[ \]  2 192\.0\.2\.1'
	check "$W: streams 0 and 1 (IPv6) gone" \
		eval '! screen_has "^ \[ \]  [01] "'
	quit_check "$W: filter" q
done

echo "1..$T"
[ "$FAILED" -eq 0 ]
