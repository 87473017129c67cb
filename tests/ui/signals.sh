#!/bin/bash
# signals.sh -- the terminal after tcpladder is stopped from outside: SIGINT,
# SIGTERM and SIGHUP sent to the full-screen view, Ctrl-C and Ctrl-Z typed
# at it, a closed pipe (-T text | head), a damaged capture, a start that
# fails and a fatal error (out of memory) after the screen was taken. After
# each, under tmux, the shell prompt must come back, the exit status must
# be the documented one, and `stty -a` must match what it was before.
#
#   tests/ui/signals.sh [TCPLADDER]
#
# Prints TAP; exits 1 on a failure, 77 (skip) when tmux is missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
DATA=$TOP/tests/data
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
if [ ! -x "$BIN" ]; then
	echo "Bail out! no tcpladder binary at $BIN"
	exit 1
fi

. "$HERE/tmux-lib.sh"

CAP=$DATA/lab-ooo.pcap

# The tcpladder started from the pane's shell (by parent pid).
child_pid() {
	local shell pid tries=40
	shell=$(tm display-message -p '#{pane_pid}')
	while [ $tries -gt 0 ]; do
		pid=$(pgrep -P "$shell" | head -1)
		[ -n "$pid" ] && { echo "$pid"; return 0; }
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

start 100 30

# ---- signals sent to the full-screen view ------------------------------------
for sig in INT TERM HUP; do
	launch -r "$CAP"
	check "SIG$sig: the view is up" wait_for 'lab-ooo\.pcap' 5
	pid=$(child_pid) || pid=
	if [ -n "$pid" ]; then kill -s $sig "$pid"; fi
	after "SIG$sig to the view" 0
done

# ---- keys: Ctrl-C quits; Ctrl-Z suspends and fg resumes ---------------------
launch -r "$CAP"
check "Ctrl-C: the view is up" wait_for 'lab-ooo\.pcap' 5
keys C-c
after "Ctrl-C in the view" 0

launch -r "$CAP"
check "Ctrl-Z: the view is up" wait_for 'lab-ooo\.pcap' 5
keys C-z
if wait_for '^tl\$ *$' 5; then ok "Ctrl-Z: the shell prompt is back"
else not_ok "Ctrl-Z: the shell prompt is back"; fi
run "clear; stty -a > $TMP/stty.after; echo STTY-\$((6*7))"
wait_for '^STTY-42' 5 || true
check "Ctrl-Z: terminal modes while suspended are the shell's" \
	cmp -s "$TMP/stty.before" "$TMP/stty.after"
run "fg"
check "fg: the view is drawn again" wait_for '192\.0\.2\.1:41003' 5
keys q
after "q after fg" 0

# ---- a closed pipe, a damaged capture, a start that fails -------------------
stty_before
run "clear; $BIN -r $CAP -T text | head -3; echo PIPE-\${PIPESTATUS[0]}"
check "| head: ends at once with status 0" wait_for '^PIPE-0' 5
after "| head" 0

head -c $(( $(wc -c < "$CAP") - 40 )) "$CAP" > "$TMP/cut.pcap"
launch -r "$TMP/cut.pcap"
check "cut capture: the view says where" wait_for 'truncated|cut' 5
keys q
after "cut capture, q" 1

launch -r "$TMP/no-such-file.pcap"
check "missing file: one line says so" wait_for 'cannot read .*no-such-file' 5
after "missing file" 2

# ---- a fatal error after the screen was taken: out of memory ----------------
# (Not under the sanitizers: they need more address space than any limit.)
if ldd "$BIN" 2>/dev/null | grep -q -e libasan -e libubsan ||
   nm "$BIN" 2>/dev/null | grep -q __asan_init; then
	echo "# out-of-memory case skipped: sanitizer build"
elif command -v python3 >/dev/null 2>&1; then
	python3 "$TOP/tests/hostile/make-hostile.py" --big syn-flood 400000 \
		"$TMP/flood.pcap"
	stty_before
	# The view is up before memory runs out: the flood is fed in slices
	# between draws, its connections kept for the list.
	run "clear; (ulimit -v 150000; exec $BIN -r $TMP/flood.pcap)"
	check "out of memory: the message is on the restored screen" \
		wait_for 'out of memory' 20
	after "out of memory in the view" 3
fi

echo "1..$T"
[ "$FAILED" -eq 0 ]
