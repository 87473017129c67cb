#!/bin/bash
# The chooser of hosts and server ports (issue 12, item 9) on downloads
# from several hosts arriving one by one (--replay mimics a live capture):
# H opens it from the ladder and the list; a host or a port limits the
# ladder to its connections and a connection that arrives later joins; H
# again shows every connection. With more columns than fit, the status
# line says which are shown and h l reach the others; following the
# capture, the newest row's arrow is scrolled onto the screen. At 80x24
# and 120x40.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 missing"; exit 77; }
. "$HERE/tmux-lib.sh"

CAP=$TMP/hosts.pcap
# Seven downloads, one a second (the last at 9 s) from four servers.
python3 "$TOP/tests/many-hosts.py" 7 "$CAP" || exit 99

for size in "80 24" "120 40"; do
	set -- $size
	W=$1
	start "$1" "$2"
	stty_before
	# Twice the original pace: the last connection comes 4.5 s in.
	run "clear; $BIN --replay=2 -r $CAP"
	check "$W: live, the ladder of all opens" wait_for 'all 2 streams' 10
	keys H
	check "$W: H opens the chooser" wait_for 'hosts and ports' 5
	check "$W: with the client host and its connections" \
		screen_has '^ +host 192\.0\.2\.10 +[0-9]+ +[0-9]+'
	check "$W: the first line shows every connection (shown now: *)" \
		screen_has '^\* all connections +[0-9]+ +[0-9]+'
	check "$W: the chooser fits the width" fits "$W"
	keys /
	type_text "port 80"
	keys Enter Enter
	check "$W: a port limits the ladder to its connections" \
		wait_for 'port 80 \([1-3] connections?\)' 5
	check "$W: the title stays in the width" fits "$W"
	check "$W: connections that arrive later join the port" \
		wait_for 'port 80 \(4 connections\)  40 segments' 15
	check "$W: the last one (stream 6, frame 70) is on the ladder" \
		wait_for '^ +6 +70 ' 5
	check "$W: and nothing of port 443" \
		wait_gone '198\.51\.100\.3:443' 2
	keys H
	check "$W: H again: the chooser counts what came since" \
		wait_for '^\* port 80 +4 +40' 5
	keys / C-u
	type_text "198.51.100.1"
	keys Enter Enter
	check "$W: a host limits the ladder to its connections" \
		wait_for 'host 198\.51\.100\.1 \(3 connections\)  30 segments' 5
	keys H H
	check "$W: H H goes back to every connection" \
		wait_for 'all 7 streams' 5
	keys h h h h h h h h h h h h h h h h
	if [ "$W" = 80 ]; then
		check "$W: the columns that do not fit are counted" \
			wait_for 'columns 1-[0-9]+ of 12: h l scroll  H one host' 5
	fi
	keys l l l l l l l l l l l l l l l l l l l l
	check "$W: l reaches the last column" \
		wait_for '192\.0\.2\.10:40006' 5
	keys h
	check "$W: and the status line says which columns are shown" \
		wait_for 'columns [0-9]+-1[12] of 12' 5
	keys c
	check "$W: c opens the connections list" wait_for '7 connections' 5
	keys H
	check "$W: H from the list opens the chooser too" \
		wait_for 'hosts and ports' 5
	keys q
	check "$W: q goes back to the list" wait_for 'sort: stream' 5
	quit_check "$W: Q" Q
done
# Following the capture with every connection: the newest connection's
# arrows come on the screen (the columns scroll to them), not blank rows.
start 80 24
stty_before
run "clear; $BIN --replay=4 -r $CAP"
check "follow: the last connection's rows arrive" wait_for '^ +6 +70 ' 10
check "follow: with their arrows on the screen" \
	screen_has '^ +6 +70 .*ACK Ack=21'
check "follow: the status line says the last columns are shown" \
	screen_has 'columns [0-9]+-12 of 12: h l scroll'
quit_check "follow: Q" Q
echo "1..$T"
[ "$FAILED" -eq 0 ]
