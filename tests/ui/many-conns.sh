#!/bin/bash
# Selecting every connection of a capture of 20,000 (issue 11, item 9): the
# list selects them all, the ladder of all opens with one column per
# endpoint and answers keys, and the list comes back. No timings here
# (bench/many-conns.sh measures them): the waits are generous, so a slow
# build passes and a quadratic one fails.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 missing"; exit 77; }
. "$HERE/tmux-lib.sh"

CAP=$TMP/many.pcap
python3 "$TOP/tests/many-conns.py" 20000 "$CAP" || exit 99
start 120 40
stty_before
run "clear; $BIN -r $CAP"
check "the list shows 20,000 connections" wait_for '20,?000 connections' 30
check "the whole file is read" wait_for '160,?000 frames *$' 30
keys a
check "a selects all of them" wait_for '20,?000 selected' 20
keys Enter
check "Enter opens the ladder of all" wait_for '20,?000 streams of 20,?000' 20
# Client ports are columns, in order of first appearance: the first
# connection's two endpoints, then the second's (on the second header line
# when names do not fit side by side).
check "the first columns are the first connections' endpoints" \
	screen_has '^ +st +# +time +192\.0\.2\.1:1024 '
check "the second column is the first server" \
	screen_has '^ {20,}198\.51\.100\.1:80 +192\.0\.2\.2:1024 '
check "the first row is frame 1, the SYN of stream 0" \
	screen_has '^ +frame 1  stream 0  192\.0\.2\.1:1024 .* 198\.51\.100\.1:80  SYN'
keys End
check "End reaches the last frame" wait_for '^ +19999 +160,?000 ' 20
keys Home
check "Home comes back to frame 1" wait_for '^ +0 +1 +0\.0+ ' 20
# The ladder of all once more, from the list (a rebuild after a clear).
keys c
check "c goes back to the list, still all selected" \
	wait_for '20,?000 selected' 20
keys a
check "a again unselects them all" wait_gone '20,?000 selected' 20
keys a Enter
check "and the ladder of all opens again" \
	wait_for '20,?000 streams of 20,?000' 20
quit_check "Q after the ladder of all" Q
echo "1..$T"
[ "$FAILED" -eq 0 ]
