# Helpers for driving tcpladder under a private tmux server (sourced by the
# screen tests): start a shell at a fixed size, type, send keys, read the
# screen with capture-pane, and check the terminal is restored on exit.
# Expects BIN to be set; defines ok/not_ok/check and friends.
SOCK=tltest$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tl-screen.XXXXXX")
SCREEN=$TMP/screen
T=0
FAILED=0
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT

ok() {
	T=$((T + 1))
	echo "ok $T - $1"
}

not_ok() {
	T=$((T + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $T - $1"
	if [ -s "$SCREEN" ]; then
		echo "# screen was:"
		sed 's/^/#   /' "$SCREEN"
	fi
}

check() {   # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

tm() {
	tmux -L "$SOCK" "$@"
}

# grab: the screen once it has settled (two captures 30 ms apart agree, or
# after 0.6 s): a slow build (sanitizers) may be caught halfway through a
# redraw otherwise.
grab() {
	local tries=20
	tm capture-pane -p >"$SCREEN" 2>/dev/null
	while [ $tries -gt 0 ]; do
		sleep 0.03
		tm capture-pane -p >"$SCREEN.next" 2>/dev/null
		cmp -s "$SCREEN" "$SCREEN.next" && return 0
		mv "$SCREEN.next" "$SCREEN"
		tries=$((tries - 1))
	done
}

# wait_for PATTERN [SECONDS]: polls the screen until grep -E matches.
wait_for() {
	local pat=$1 tries=$(( ${2:-5} * 20 ))
	while [ $tries -gt 0 ]; do
		grab
		if grep -Eq -- "$pat" "$SCREEN"; then
			return 0
		fi
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# wait_gone PATTERN: polls until the pattern is no longer on screen.
wait_gone() {
	local pat=$1 tries=$(( ${2:-5} * 20 ))
	while [ $tries -gt 0 ]; do
		grab
		if ! grep -Eq -- "$pat" "$SCREEN"; then
			return 0
		fi
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

keys() {
	tm send-keys "$@"
}

# Text typed as is (no key-name lookup).
type_text() {
	tm send-keys -l "$1"
}

screen_has() {
	grep -Eq -- "$1" "$SCREEN" && return 0
	grab   # maybe it was still drawing: look once more
	grep -Eq -- "$1" "$SCREEN"
}

# Every line of the screen fits in the width.
fits() {
	local w=$1 line LC_ALL=C.UTF-8
	while IFS= read -r line; do
		[ ${#line} -le "$w" ] || return 1
	done <"$SCREEN"
	return 0
}

# start W H: a fresh tmux server with a shell whose prompt is "tl$ ".
start() {
	tm kill-server >/dev/null 2>&1
	local tries=20
	while [ $tries -gt 0 ] && tm has-session 2>/dev/null; do
		sleep 0.05
		tries=$((tries - 1))
	done
	# Sanitizer settings pass through, so an ASan build logs to a file.
	tm -f /dev/null new-session -d -x "$1" -y "$2" \
		"env -i PATH=\"$PATH\" HOME=\"$TMP\" LANG=C.UTF-8 \
		 TERM=xterm-256color PS1='tl\$ ' HISTFILE=/dev/null \
		 ASAN_OPTIONS=\"${ASAN_OPTIONS:-}\" \
		 UBSAN_OPTIONS=\"${UBSAN_OPTIONS:-}\" \
		 bash --norc --noprofile"
	tm set-option -g status off >/dev/null 2>&1
	tm resize-window -x "$1" -y "$2" >/dev/null 2>&1
	wait_for 'tl\$' 5 || true
}

# run COMMAND: types a command line into the shell.
run() {
	type_text "$1"
	keys Enter
}

stty_before() {
	run "clear; stty -a > $TMP/stty.before; echo BEFORE-\$((6*7))"
	wait_for '^BEFORE-42' 5 || true
}

# quit_check NAME KEY...: sends the keys, then as after NAME 0.
quit_check() {
	local name=$1
	shift
	keys "$@"
	after "$name" 0
}

launch() {
	stty_before
	run "clear; $BIN $*"
}

# after NAME WANT-STATUS [EXIT-MESSAGE-PATTERN]: once tcpladder has ended,
# the prompt is back (with the message printed once above it), $? is
# WANT-STATUS, the terminal modes are those saved by stty_before, and what
# is typed shows up.
after() {
	local name=$1 want=$2 msg=${3:-} got n
	if wait_for '^tl\$ *$' 5; then
		ok "$name: the shell prompt is back"
	else
		not_ok "$name: the shell prompt is back"
	fi
	if [ -n "$msg" ]; then
		n=$(grep -Ec -- "$msg" "$SCREEN")
		if [ "$n" -eq 1 ]; then
			ok "$name: the warning is printed once on the restored terminal"
		else
			not_ok "$name: the warning is printed once on the restored terminal ($n times: $msg)"
		fi
	fi
	run "echo RC-\$?"
	wait_for '^RC-[0-9]+' 5 || true
	got=$(sed -n 's/^RC-\([0-9]*\).*/\1/p' "$SCREEN" | tail -1)
	if [ "$got" = "$want" ]; then
		ok "$name: exit status $want"
	else
		not_ok "$name: exit status ${got:-none}, want $want"
	fi
	run "clear; stty -a > $TMP/stty.after; echo STTY-\$((6*7))"
	wait_for '^STTY-42' 5 || true
	if cmp -s "$TMP/stty.before" "$TMP/stty.after"; then
		ok "$name: terminal modes restored (stty -a unchanged)"
	else
		not_ok "$name: terminal modes restored (stty -a unchanged)"
		diff "$TMP/stty.before" "$TMP/stty.after" | sed 's/^/# /'
	fi
	run "clear; echo TYPED-\$((6*7))"
	check "$name: the shell echoes again" wait_for '^TYPED-42' 5
}
