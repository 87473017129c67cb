#!/bin/bash
# term-fallback.sh -- on a terminal the full-screen view cannot use (TERM
# unset, unknown, or an entry without cursor addressing, hardcopy), the
# default output is the text ladder, with one note on stderr; -T ui there
# is refused (status 2). The choice follows the terminfo entry, not the
# name: entries compiled here (tic, a private TERMINFO) called "dumb" with
# cursor addressing get the view, and ones under other names without it
# get the text.
#
#   tests/ui/term-fallback.sh [TCPLADDER]
#
# Prints TAP; exits 1 on a failure, 77 (skip) when tmux or tic is missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
DATA=$TOP/tests/data
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
for tool in tmux tic infocmp; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool not installed"
		exit 77
	fi
done
if [ ! -x "$BIN" ]; then
	echo "Bail out! no tcpladder binary at $BIN"
	exit 1
fi

. "$HERE/tmux-lib.sh"

CAP=$DATA/lab-ooo.pcap
TI=$TMP/terminfo
mkdir -p "$TI"
# "dumb" with everything xterm has: the view must start.
infocmp -x xterm-256color | sed '/^[^#	]/s/^[^|,]*|/dumb|/' |
	tic -x -o "$TI" - 2>/dev/null
# A full-screen-looking name without cursor addressing, and a hardcopy one.
printf 'smartterm|no cursor addressing,\n\tam, cols#80, lines#24,\n\tbel=^G, clear=\\E[H\\E[2J, cr=\\r, cud1=\\n, ind=\\n,\n' |
	tic -o "$TI" - 2>/dev/null
printf 'paperterm|hardcopy with addressing,\n\thc, cols#80, lines#24,\n\tbel=^G, cr=\\r, cud1=\\n, ind=\\n, cup=\\E[%%i%%p1%%d;%%p2%%dH,\n' |
	tic -o "$TI" - 2>/dev/null

start 100 30

# text_fallback NAME ENV NOTE-PATTERN: the text ladder on the terminal,
# the note once, status 0, the terminal as it was.
text_fallback() {
	local name=$1 envs=$2 note=$3
	launch_env "$envs" -r "$CAP"
	check "$name: the text ladder is printed" \
		wait_for 'FIN, ACK Seq=1 Ack=60' 5
	after "$name" 0 "^tcpladder: $note: showing the text ladder \(-T text\)"
	if tm display-message -p '#{alternate_on}' | grep -qx 0; then
		ok "$name: the alternate screen was left alone"
	else
		not_ok "$name: the alternate screen is on"
	fi
}

# launch_env "VAR=VALUE ..." ARGS...: as launch, with that environment.
launch_env() {
	local envs=$1
	shift
	stty_before
	run "clear; env $envs $BIN $*"
}

text_fallback "TERM=dumb" "TERM=dumb" "TERM=dumb has no cursor addressing \(cup\)"
text_fallback "TERM unset" "-u TERM" "TERM is not set"
text_fallback "TERM=nosuchterm" "TERM=nosuchterm" \
	"TERM=nosuchterm is unknown to terminfo \(or generic\)"
text_fallback "an entry without cup" "TERMINFO=$TI TERM=smartterm" \
	"TERM=smartterm has no cursor addressing \(cup\)"
text_fallback "a hardcopy entry" "TERMINFO=$TI TERM=paperterm" \
	"TERM=paperterm is a hardcopy terminal"

# Asked for by name, the view is refused where it cannot work.
launch_env "TERM=dumb" -T ui -r "$CAP"
after "-T ui with TERM=dumb" 2 \
	"cannot start the full-screen view: TERM=dumb has no cursor addressing \(cup\); use -T text"

# Decided by the entry: a "dumb" that can address the cursor gets the view.
launch_env "TERMINFO=$TI TERM=dumb" -r "$CAP"
check "a capable entry named dumb: the view is up" \
	wait_for 'Enter details' 5
if tm display-message -p '#{alternate_on}' | grep -qx 1; then
	ok "a capable entry named dumb: the view has the alternate screen"
else
	not_ok "a capable entry named dumb: no alternate screen"
fi
keys q
after "a capable entry named dumb, q" 0

echo "1..$T"
[ "$FAILED" -eq 0 ]
