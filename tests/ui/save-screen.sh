#!/bin/bash
# save-screen.sh -- saving from the full-screen view tells the truth: the
# save dialog reads the file that was opened (not whatever has its name
# now), reports a full disk instead of "Saved", never replaces a link or
# a device node even after "y", and quitting while a file is still loading
# with -w says what was saved.
#
#   tests/ui/save-screen.sh [TCPLADDER]
#
# Prints TAP; exits 1 on a failure, 77 (skip) when tmux is missing. The
# full disk and the device node need root (skipped otherwise).
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
. "$HERE/tmux-lib.sh"
MNT=$TMP/full
trap 'mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"; tmux -L "$SOCK" kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
ROOT=false
[ "$(id -u)" -eq 0 ] && ROOT=true

ESPN=$DATA/ppa/http_espn.pcapng
rows_of() { "$BIN" -r "$1" -T tsv 2>/dev/null | tail -n +2 | wc -l; }

start 120 40

# save NAME: w on the list's cursor, then NAME for the file.
save_as() {
	keys w
	wait_for 'Save 1 connection to: ' 3 >/dev/null
	keys C-u
	type_text "$1"
	keys Enter
}

# ---- the file that was opened, even when its name is replaced ---------------
cp "$ESPN" "$TMP/in.pcapng"
launch -r "$TMP/in.pcapng"
check "the view is up" wait_for 'in\.pcapng' 5
check "loaded" wait_for '[0-9]+ connections' 5
# Replace the name with another capture while the view runs.
cp "$DATA/lab-ooo.pcap" "$TMP/other.pcap"
mv "$TMP/other.pcap" "$TMP/in.pcapng"
save_as "$TMP/s0.pcap"
check "w: saved" wait_for 'Saved [0-9]+ frames to' 5
# (frame numbers and times start again in the saved file)
want=$("$BIN" -r "$ESPN" -T tsv -S 0 | tail -n +2 | cut -f 3-)
got=$("$BIN" -r "$TMP/s0.pcap" -T tsv 2>/dev/null | tail -n +2 | cut -f 3-)
check "w: the frames are the opened file's stream 0, not the new file's" \
	[ -n "$want" -a "$want" = "$got" ]

# ---- links and device nodes are never replaced, even after "y" --------------
echo precious > "$TMP/target"
ln -s "$TMP/target" "$TMP/link.pcap"
save_as "$TMP/link.pcap"
check "w onto a link: refused without asking" \
	wait_for 'Not saved: cannot write .*link\.pcap: it is a symbolic link' 3
check "... the link's target untouched" grep -qx precious "$TMP/target"
check "... the link is still a link" test -L "$TMP/link.pcap"
if $ROOT; then
	mknod "$TMP/null.pcap" c 1 3
	save_as "$TMP/null.pcap"
	check "w onto a device node: refused" \
		wait_for 'Not saved: cannot write .*null\.pcap: it is a device' 3
	check "... still a device node" test -c "$TMP/null.pcap"
fi

# ---- a full disk is reported, and an old file is kept ----------------------
if $ROOT && mkdir "$MNT" && mount -t tmpfs -o size=64k tmpfs "$MNT" 2>/dev/null; then
	cp "$DATA/lab-ooo.pcap" "$MNT/old.pcap"
	cat /dev/zero > "$MNT/filler" 2>/dev/null   # until the disk is full
	save_as "$MNT/x.pcap"
	check "w onto a full disk: the reason, not Saved" \
		wait_for 'Not saved: cannot write .*x\.pcap: No space left on device' 5
	check "... no cut file left" test ! -e "$MNT/x.pcap"
	check "... no temporary left" eval '! ls "$MNT"/x.pcap.part* >/dev/null 2>&1'
	save_as "$MNT/old.pcap"
	wait_for 'exists\. Overwrite it\? \(y/n\)' 3 >/dev/null
	keys y
	check "y onto a full disk: not saved" \
		wait_for 'Not saved: cannot write .*old\.pcap: No space' 5
	check "... the old file is whole" cmp -s "$DATA/lab-ooo.pcap" "$MNT/old.pcap"
else
	ok "# SKIP a full tmpfs needs root"
fi
quit_check "quit after saving" Q

# ---- -w onto a full disk: said at once, and again on exit (status 4) --------
if mountpoint -q "$MNT" 2>/dev/null; then
	launch -r "$ESPN" -w "$MNT/w.pcap"
	check "-w onto a full disk: the status line says so while it runs" \
		wait_for 'cannot write .*w\.pcap: No space left on device: saving stopped' 5
	keys Q
	after "-w onto a full disk" 4 'cannot write .*w\.pcap: No space left on device \(nothing saved\)'
	check "... nothing under the name" test ! -e "$MNT/w.pcap"
fi

# ---- quitting while a file still loads with -w says what was saved ---------
rm -f "$TMP/fifo"
mkfifo "$TMP/fifo"
{ cat "$DATA/lab-ooo.pcap"; exec sleep 20; } > "$TMP/fifo" &
writer=$!
launch -r "$TMP/fifo" -w "$TMP/partial.pcap"
check "loading from a pipe" wait_for 'fifo' 5
keys Q
# A view that asks before quitting while input still arrives gets a yes.
if wait_for '\(y/n\)' 1; then keys y; fi
after "quit while loading with -w" 0 \
	'saved 12 frames to .*partial\.pcap \(the input was not read to its end\)'
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
check "the partial file holds the frames read ($(rows_of "$TMP/partial.pcap"))" \
	[ "$(rows_of "$TMP/partial.pcap")" -eq "$(rows_of "$DATA/lab-ooo.pcap")" ]

echo "1..$T"
[ "$FAILED" -eq 0 ]
