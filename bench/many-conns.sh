#!/bin/bash
# Times selecting every connection of a big capture in the full-screen view
# (issue 11, item 9), under tmux at 120x40: once the file is loaded, 'a'
# (select all) in the list, then Enter (the ladder of the selection), each
# as the time until the screen shows it (capture-pane polled every 5 ms),
# and as the CPU time tcpladder spent on it (from /proc: what a shared,
# busy machine does not inflate).
#   bench/many-conns.sh FILE [TCPLADDER]
# FILE is made by bench/gen-capture -m CONNECTIONS.
set -u
file=$1
bin=${2:-${TCPLADDER:-./tcpladder}}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
sock=tlmany$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server >/dev/null 2>&1' EXIT
now_ms() { date +%s%3N; }
# wait_screen REGEX TIMEOUT_MS: prints the ms it took, or "timeout"
wait_screen() {
	local t0 t deadline
	t0=$(now_ms); deadline=$((t0 + $2))
	while :; do
		if tm capture-pane -p 2>/dev/null | grep -Eq -- "$1"; then
			t=$(now_ms); echo $((t - t0)); return 0
		fi
		[ "$(now_ms)" -gt "$deadline" ] && { echo timeout; return 1; }
		sleep 0.005
	done
}
tm -f /dev/null new-session -d -x 120 -y 40 "sleep 1000"
tm set-option -g status off
tm respawn-pane -k "env LANG=C.UTF-8 TERM=xterm-256color $bin -r $file ${UI_ARGS:-}"
loaded=$(wait_screen '  [0-9,]+ frames( +let go .*)? *$' 600000)
conns=$(tm capture-pane -p | grep -Eo '[0-9,]+ connections' | head -1 | tr -dc 0-9)
pid=$(tm list-panes -F '#{pane_pid}')
tick=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' /proc/$pid/stat; }
# step KEY REGEX: the ms until REGEX shows, then "/" the CPU ms it took
step() {
	local c0 w
	sleep 0.3       # idle first: the CPU counted is the key's
	c0=$(cpu_ms)
	tm send-keys "$1"
	w=$(wait_screen "$2" 60000)
	sleep 0.1
	echo "$w ms wall, $(( $(cpu_ms) - c0 )) ms CPU"
}
t_a=$(step a "${conns:-x} selected")
t_open=$(step Enter "${conns:-x} streams of ${conns:-x}")
t_end=$(step End "^ +[0-9]+ +[0-9,]+ +[0-9.]+ .*FIN")
t_back=$(step c "${conns:-x} selected")
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "file: $file${UI_ARGS:+ (options: $UI_ARGS)}, $conns connections"
echo "loaded:                    ${loaded} ms"
echo "a (select all):            ${t_a}"
echo "Enter (ladder of all):     ${t_open}"
echo "End:                       ${t_end}"
echo "c (back to the list):      ${t_back}"
echo "peak RSS:                  ${rss} KiB"
