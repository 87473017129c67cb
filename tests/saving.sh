#!/bin/sh
# Saving with -w never loses or misreports data: a failed write is reported
# with the path and the reason (exit 4), no file is replaced by a shorter
# or different one without --force, links and special files are never
# written through or replaced, a file saved under sudo is the user's, and
# privileges (users and file capabilities) are gone before the first packet.
# The cases that need root (tmpfs mounts, device nodes, other users,
# network namespaces, setcap) are skipped with a reason otherwise.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
case $TCPLADDER in /*) ;; *) TCPLADDER=$PWD/$TCPLADDER ;; esac
data="$srcdir/tests/data"
basic="$data/synth/basic.pcap"
big="$data/ppa/http_espn.pcapng"
tmp=$(mktemp -d) || exit 99
chmod 755 "$tmp"
mnt="$tmp/full"
ns=tlsave$$
cleanup() {
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0 failed=0
root=false
[ "$(id -u)" -eq 0 ] && root=true

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -s "$tmp/err" ] && sed 's/^/#   /' "$tmp/err"
	return 0
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

# run CMD...: runs it with stdout to $tmp/out, stderr to $tmp/err; $rc.
run() {
	"$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	rc=$?
}
status_is() { [ "$rc" -eq "$1" ]; }
said() { grep -Eq -- "$1" "$tmp/err"; }
no_part_left() { ! ls "$1".part* > /dev/null 2>&1; }
same_rows() {   # same_rows PCAP-A PCAP-B: tcpladder reads the same rows
	"$TCPLADDER" -r "$1" -T tsv > "$tmp/a.tsv" 2>/dev/null &&
	"$TCPLADDER" -r "$2" -T tsv > "$tmp/b.tsv" 2>/dev/null &&
	cmp -s "$tmp/a.tsv" "$tmp/b.tsv"
}

# ---- refused at the start, before anything is read ---------------------------
# (a FIFO that nobody writes: a run that did not refuse at once would hang)
mkfifo "$tmp/never"
for w in "" "$tmp" "$tmp/" ; do
	run timeout 5 "$TCPLADDER" -r "$tmp/never" -T tsv -w "$w" --force
	check "-w '$w' --force: refused at the start (exit 2)" status_is 2
	check "... with one line naming the problem" \
		said "cannot write|no file name"
done
run timeout 5 "$TCPLADDER" -r "$tmp/never" -r "$basic" -T tsv
check "-r twice: refused (exit 2)" status_is 2
check "... saying so" said "-r given twice"
run timeout 5 "$TCPLADDER" -r "$basic" -w "$tmp/a.pcap" -w "$tmp/b.pcap" -T tsv
check "-w twice: refused (exit 2)" status_is 2
check "... and nothing written" test ! -e "$tmp/a.pcap" -a ! -e "$tmp/b.pcap"
run "$TCPLADDER" -r "$basic" -T tsv -Z nosuchuser0
check "-Z with an unknown user and -r: refused (exit 2)" status_is 2
check "... naming the user" said "no user 'nosuchuser0'"
check "... before any row" test ! -s "$tmp/out"

# ---- symbolic links and special files are never written through or over ----
echo "precious" > "$tmp/target"
ln -s "$tmp/target" "$tmp/link.pcap"
run "$TCPLADDER" -r "$basic" -T tsv -w "$tmp/link.pcap" --force
check "-w onto a symbolic link with --force: refused (exit 2)" status_is 2
check "... saying it is a link" said "link.pcap: it is a symbolic link"
check "... the link is still a link" test -L "$tmp/link.pcap"
check "... and its target untouched" grep -qx precious "$tmp/target"
ln -s "$tmp/nowhere" "$tmp/dangling.pcap"
run "$TCPLADDER" -r "$basic" -T tsv -w "$tmp/dangling.pcap"
check "-w onto a dangling link: refused (exit 2)" status_is 2
check "... nothing created where it points" test ! -e "$tmp/nowhere"
mkfifo "$tmp/fifo.pcap"
run timeout 5 "$TCPLADDER" -r "$basic" -T tsv -w "$tmp/fifo.pcap" --force
check "-w onto a FIFO with --force: refused (exit 2)" status_is 2
check "... it is still a FIFO" test -p "$tmp/fifo.pcap"
if $root; then
	mknod "$tmp/null.pcap" c 1 3
	run "$TCPLADDER" -r "$basic" -T tsv -w "$tmp/null.pcap" --force
	check "-w onto a device node with --force: refused (exit 2)" status_is 2
	check "... saying it is not a regular file" said "null.pcap: it is a device"
	check "... still a device node" test -c "$tmp/null.pcap"
else
	skip "device nodes need root"
fi

# ---- a full disk ---------------------------------------------------------------
if $root && mkdir "$mnt" && mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
	run "$TCPLADDER" -r "$big" -T tsv -w "$mnt/x.pcap"
	check "-w onto a full disk: exit 4" status_is 4
	check "... naming the path and the reason" \
		said "cannot write $mnt/x.pcap: No space left on device"
	check "... no cut file under the name" test ! -e "$mnt/x.pcap"
	check "... and no temporary left" no_part_left "$mnt/x.pcap"
	check "... the rows were all shown still" \
		test "$(wc -l < "$tmp/out")" -gt 900
	cp "$basic" "$mnt/good.pcap"
	run "$TCPLADDER" -r "$big" -T tsv -w "$mnt/good.pcap" --force
	check "--force onto a full disk: exit 4" status_is 4
	check "... saying the old file is untouched" said "untouched"
	check "... and it is: the old file is whole" cmp -s "$basic" "$mnt/good.pcap"
	# The segment table itself onto the full disk (standard output).
	"$TCPLADDER" -r "$big" -T tsv > "$mnt/seg.tsv" 2> "$tmp/err"
	rc=$?
	check "-T tsv onto a full disk: exit 4" status_is 4
	check "... saying so" said "No space left on device"
	umount "$mnt"
else
	skip "a full tmpfs needs root"
fi

# ---- two runs with the same -w: the first one's file stays -----------------
rm -f "$tmp/fifo"
mkfifo "$tmp/fifo"
{ cat "$basic"; exec sleep 3; } > "$tmp/fifo" &
writer=$!
"$TCPLADDER" -r "$tmp/fifo" -T tsv -w "$tmp/twice.pcap" > /dev/null 2> "$tmp/err2" &
reader=$!
tries=50
while [ $tries -gt 0 ] && ! ls "$tmp"/twice.pcap.part* > /dev/null 2>&1; do
	sleep 0.1; tries=$((tries - 1))
done
run "$TCPLADDER" -r "$data/lab-ooo.pcap" -T tsv -w "$tmp/twice.pcap"
check "the other run (started later, ends first) saves" status_is 0
cp "$tmp/twice.pcap" "$tmp/first.pcap"
kill "$writer" 2>/dev/null
wait "$reader"; rc=$?
wait "$writer" 2>/dev/null
mv "$tmp/err2" "$tmp/err"
check "the run that finds its name taken at the end: exit 4" status_is 4
check "... saying so and where its data is" \
	said "twice.pcap was created by someone else.*kept in .*twice.pcap.part"
check "... the other run's file is untouched" cmp -s "$tmp/first.pcap" "$tmp/twice.pcap"
part=$(ls "$tmp"/twice.pcap.part* 2>/dev/null | head -1)
check "... and the kept data reads back whole" \
	same_rows "$basic" "${part:-/nonexistent}"

# ---- privileges: the file is the user's, and no packet is read as root ------
if $root && id nobody > /dev/null 2>&1 && command -v setpriv > /dev/null; then
	uid=$(id -u nobody) gid=$(id -g nobody)
	mkdir -m 1777 "$tmp/sticky"
	cp "$basic" "$tmp/root-only.pcap"
	chmod 600 "$tmp/root-only.pcap"
	as_sudo() { env SUDO_USER=nobody SUDO_UID=$uid SUDO_GID=$gid "$@"; }
	run as_sudo "$TCPLADDER" -r "$tmp/root-only.pcap" -T tsv -w "$tmp/sticky/mine.pcap"
	check "under sudo: a root-only input is read (exit 0)" status_is 0
	check "... the saved file belongs to the user who ran sudo" \
		test "$(stat -c %u:%g "$tmp/sticky/mine.pcap")" = "$uid:$gid"
	check "... with the mode a new file of theirs gets (0644)" \
		test "$(stat -c %a "$tmp/sticky/mine.pcap")" = 644
	run as_sudo "$TCPLADDER" -r "$basic" -T tsv -w "$tmp/sticky/kept.pcap" --no-drop
	check "under sudo with --no-drop: still the user's file" \
		test "$(stat -c %u "$tmp/sticky/kept.pcap")" = "$uid"
	# Root's file in a sticky directory cannot be replaced by the user:
	# the data is kept aside and the message says where.
	cp "$basic" "$tmp/sticky/roots.pcap"
	run as_sudo "$TCPLADDER" -r "$data/lab-ooo.pcap" -T tsv -w "$tmp/sticky/roots.pcap" --force
	check "under sudo, --force over root's file in a sticky dir: exit 4" status_is 4
	check "... saying where the capture is kept" \
		said "cannot save as .*roots.pcap: Operation not permitted; what was captured is kept in .*roots.pcap.part"
	check "... root's file untouched" cmp -s "$basic" "$tmp/sticky/roots.pcap"
	mkdir -m 700 "$tmp/rootdir"
	run as_sudo "$TCPLADDER" -r "$basic" -T tsv -w "$tmp/rootdir/x.pcap"
	check "under sudo, -w into root's private directory: refused at the start" status_is 2
	check "... saying the file is made after dropping root" said "after dropping root"
	# -Z with -r: the reading process is the user's.
	mkfifo "$tmp/fifo2"
	{ cat "$basic"; exec sleep 2; } > "$tmp/fifo2" &
	writer=$!
	"$TCPLADDER" -r "$tmp/fifo2" -T tsv -Z nobody > "$tmp/out" 2> "$tmp/err" &
	reader=$!
	tries=50
	while [ $tries -gt 0 ] && [ "$(wc -l < "$tmp/out")" -lt 2 ]; do
		sleep 0.1; tries=$((tries - 1))
	done
	ids=$(awk '/^Uid:/ {print $2, $3}' /proc/$reader/status 2>/dev/null)
	kill "$writer" 2>/dev/null
	wait "$reader"; rc=$?
	check "-Z nobody with -r: rows are read as nobody (uid $ids)" \
		test "$ids" = "$uid $uid"
	check "... and the run ends well" status_is 0
else
	skip "switching users needs root, the user nobody and setpriv"
fi

# ---- file capabilities are given up once the device is open -----------------
caps_test() {
	command -v setcap > /dev/null && command -v setpriv > /dev/null &&
		ip netns add "$ns" 2>/dev/null || return 1
	ip -n "$ns" link set lo up
	mkdir -m 755 "$tmp/capbin"
	cp "$TCPLADDER" "$tmp/capbin/tcpladder"
	chmod 755 "$tmp/capbin/tcpladder"
	setcap cap_net_raw,cap_net_admin+eip "$tmp/capbin/tcpladder" 2>/dev/null || return 1
	ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/capbin/tcpladder" -i lo -T tsv > "$tmp/out" 2> "$tmp/err" &
	capper=$!
	sleep 1
	capeff=$(awk '/^CapEff:/ {print $2}' /proc/$capper/status 2>/dev/null)
	capprm=$(awk '/^CapPrm:/ {print $2}' /proc/$capper/status 2>/dev/null)
	kill -INT $capper 2>/dev/null
	wait $capper
	return 0
}
if $root && caps_test; then
	if said "needs root or CAP_NET_RAW"; then
		skip "file capabilities are not honoured here (nosuid mount?)"
	else
		check "setcap'd binary run by nobody: no effective capability while it runs" \
			test "$capeff" = 0000000000000000
		check "... and none permitted" test "$capprm" = 0000000000000000
	fi
else
	skip "file capabilities need root, setcap (libcap2-bin), setpriv and ip netns"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
