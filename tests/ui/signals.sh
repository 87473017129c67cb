#!/bin/bash
# signals.sh -- the terminal after tcpladder is stopped from outside: SIGINT,
# SIGTERM, SIGHUP and SIGQUIT sent to the full-screen view, a second stop
# signal it is too busy to see, the fatal ones (SIGABRT, SIGSEGV, SIGBUS,
# SIGFPE, SIGUSR1, a real fault: the program dies of them),
# Ctrl-C, Ctrl-\ and Ctrl-Z typed at it, a closed pipe (-T text | head), a
# damaged capture, a start that fails and a fatal error (out of memory)
# after the screen was taken. After each,
# under tmux, the shell prompt must come back, the exit status must be the
# documented one, `stty -a` must match what it was before, and tmux must
# see the alternate screen left, mouse reporting and keypad mode off and
# the cursor shown.
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
SANITIZED=false
if ldd "$BIN" 2>/dev/null | grep -q -e libasan -e libubsan ||
   nm "$BIN" 2>/dev/null | grep -q __asan_init; then
	SANITIZED=true
fi

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

# The pane's terminal state as tmux sees it: alternate screen, mouse
# reporting (any of its modes), keypad modes, cursor shown.
term_state() {
	tm display-message -p 'alt=#{alternate_on} mouse=#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag} keypad=#{keypad_flag}#{keypad_cursor_flag} cursor=#{cursor_flag}'
}
SHELL_STATE='alt=0 mouse=0000 keypad=00 cursor=1'

# view_up NAME: the view is drawn and has taken the terminal (so the
# checks after it can fail).
view_up() {
	local state
	check "$1: the view is up" wait_for 'lab-ooo\.pcap' 5
	state=$(term_state)
	case $state in
	"alt=1 mouse="*1*)
		ok "$1: the view has the alternate screen and the mouse" ;;
	*)
		not_ok "$1: the view has the alternate screen and the mouse ($state)" ;;
	esac
}

# after_all NAME WANT-STATUS: as after, then tmux's view of the terminal.
after_all() {
	local state
	after "$1" "$2"
	state=$(term_state)
	if [ "$state" = "$SHELL_STATE" ]; then
		ok "$1: alternate screen left, mouse and keypad off, cursor on"
	else
		not_ok "$1: terminal state $state, want $SHELL_STATE"
	fi
}

start 100 30
run "ulimit -c 0"       # the fatal signals below dump no core

# ---- signals sent to the full-screen view ------------------------------------
# Stop signals end it as q does (status 0).
for sig in INT TERM HUP QUIT; do
	launch -r "$CAP"
	view_up "SIG$sig"
	pid=$(child_pid) || pid=
	if [ -n "$pid" ]; then kill -s $sig "$pid"; fi
	after_all "SIG$sig to the view" 0
done

# A second stop signal before the view got round to the first (it was
# stopped, as it would be by a long operation): it ends at once, dying of
# the second one (SIGTERM after SIGHUP: 128 + 15), the terminal restored.
# Without job control, so the shell does not take the stop for Ctrl-Z.
run "set +m"
launch -r "$CAP"
view_up "two signals"
pid=$(child_pid) || pid=
if [ -n "$pid" ]; then
	kill -s STOP "$pid"
	kill -s HUP "$pid"
	kill -s TERM "$pid"
	kill -s CONT "$pid"
fi
after_all "SIGHUP then SIGTERM to a busy view" 143
run "set -m"

# How a sanitizer's report ends the program: its exitcode=, or an abort
# (134) with abort_on_error=1 (as .ci/run sets it), else 1.
sanitizer_status() {
	local code
	code=$(echo "${ASAN_OPTIONS:-}" | sed -n 's/.*exitcode=\([0-9]*\).*/\1/p')
	if [ -n "$code" ]; then echo "$code"
	elif echo "${ASAN_OPTIONS:-}" | grep -q 'abort_on_error=1'; then echo 134
	else echo 1; fi
}

# Fatal signals: the terminal is restored, then the program dies of the
# signal (status 128 + its number), as the shell reports. Under ASan the
# old action is the sanitizer's report for SEGV, BUS and FPE: its exit code.
for sig in ABRT SEGV BUS FPE USR1; do
	want=$((128 + $(kill -l $sig)))
	if $SANITIZED && case $sig in SEGV|BUS|FPE) true ;; *) false ;; esac
	then
		want=$(sanitizer_status)
	fi
	launch -r "$CAP"
	view_up "SIG$sig"
	pid=$(child_pid) || pid=
	if [ -n "$pid" ]; then kill -s $sig "$pid"; fi
	after_all "SIG$sig to the view" "$want"
done

# A real fault, not a sent signal: gdb points the program counter at 0
# and lets go. The handler returns, the instruction faults again into the
# old action.
if ! command -v gdb >/dev/null 2>&1; then
	echo "# real-fault case skipped: gdb not installed"
else
	want=139
	if $SANITIZED; then
		# A real fault takes ASan's deadly-signal path: its exitcode
		# (1 by default), abort_on_error or not.
		want=$(echo "${ASAN_OPTIONS:-}" |
		       sed -n 's/.*exitcode=\([0-9]*\).*/\1/p')
		want=${want:-1}
	fi
	launch -r "$CAP"
	view_up "a real SIGSEGV"
	pid=$(child_pid) || pid=
	if [ -n "$pid" ] && gdb -p "$pid" -batch -ex 'set $pc = 0' \
		-ex detach >/dev/null 2>&1; then
		after_all "a real SIGSEGV in the view" "$want"
	else
		echo "# real-fault case skipped: gdb cannot attach here"
		keys q
		after "q (gdb could not attach)" 0
	fi
fi

# ---- keys: Ctrl-C quits; Ctrl-Z suspends and fg resumes ---------------------
launch -r "$CAP"
check "Ctrl-C: the view is up" wait_for 'lab-ooo\.pcap' 5
keys C-c
after_all "Ctrl-C in the view" 0

launch -r "$CAP"
view_up "Ctrl-\\"
keys 'C-\'
after_all "Ctrl-\\ (SIGQUIT) in the view" 0

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
after_all "q after fg" 0

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
if $SANITIZED; then
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
	after_all "out of memory in the view" 3
fi

echo "1..$T"
[ "$FAILED" -eq 0 ]
