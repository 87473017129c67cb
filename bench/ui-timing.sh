#!/bin/bash
# Times the full-screen view the way a user meets it, under tmux at 120x40:
# start to first full screen, then End, PgDn, a search and a jump to the next
# annotation once the whole file is loaded, each as the time until the screen
# shows the change (capture-pane polled every 5 ms). Also the peak RSS of the
# loaded view and bytes per segment.
#   bench/ui-timing.sh FILE [TCPLADDER]
# UI_ARGS adds options (UI_ARGS='--max-memory 64M' for the bounded view).
set -u
file=$1
bin=${2:-${TCPLADDER:-./tcpladder}}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
sock=tlbench$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server >/dev/null 2>&1' EXIT
now_ms() { date +%s%3N; }
# wait_change TIMEOUT_MS: after a key, the ms until the screen differs
wait_change() {
	local before=$1 t0 t deadline
	t0=$(now_ms); deadline=$((t0 + $2))
	while :; do
		if [ "$(tm capture-pane -p 2>/dev/null)" != "$before" ]; then
			t=$(now_ms); echo $((t - t0)); return 0
		fi
		[ "$(now_ms)" -gt "$deadline" ] && { echo timeout; return 1; }
		sleep 0.005
	done
}
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
t0=$(now_ms)
tm respawn-pane -k "env LANG=C.UTF-8 TERM=xterm-256color $bin -r $file ${UI_ARGS:-}"
# The first full screen: the title and a first row, list or ladder.
first=$(wait_screen '(^ +[0-9]+ +[0-9.]+ +[├│])|(^ \[ \] +[0-9]+ )' 20000)
pid=$(tm list-panes -F '#{pane_pid}')
loaded=$(wait_screen '  [0-9,]+ frames( +let go .*)? *$' 600000)
segs=$(tm capture-pane -p | grep -Eo '[0-9,]+ segments' | head -1 | tr -dc 0-9)
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
frames=$(tm capture-pane -p | grep -Eo ' [0-9,]+ frames( |$)' | tail -1 | tr -d ', frames')
gone=$(tm capture-pane -p | grep -Eo 'let go [0-9,]+' | tail -1 | tr -dc 0-9)
key() {   # key KEYS...: sends them and prints the ms until the screen changes
	local before
	before=$(tm capture-pane -p)
	tm send-keys "$@"
	wait_change "$before" 20000
}
t_end=$(key End)
t_pgup=$(key PPage)
t_pgdn=$(key NPage)
t_home=$(key Home)
t_a=$(key a)
target=$((frames / 2))
tm send-keys /; tm send-keys -l "$target"
t_search=$(key Enter)
t_text=$(tm send-keys /; tm send-keys -l "Zero"; key Enter)
echo "file: $file${UI_ARGS:+ (options: $UI_ARGS)}"
echo "first screen:        ${first} ms"
echo "whole file loaded:   ${loaded} ms after the first screen ($segs segments, $frames frames)"
echo "End:                 ${t_end} ms"
echo "PgUp, PgDn:          ${t_pgup} ms, ${t_pgdn} ms"
echo "Home:                ${t_home} ms"
echo "a (next annotation): ${t_a} ms"
echo "search frame $target: ${t_search} ms"
echo "search text 'Zero':  ${t_text} ms"
[ -n "$gone" ] && echo "let go:              $gone segments (the limit at work)"
echo "peak RSS:            ${rss} KiB ($(( rss * 1024 / (segs > 0 ? segs : 1) )) bytes per segment kept)"
