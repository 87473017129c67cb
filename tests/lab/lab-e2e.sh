#!/bin/bash
# The lab, offline, end to end: tcpladder-lab builds its two namespaces, the
# Scapy exchanges (handshake, discard, out of order, echo, daytime) and the
# curl and nghttp downloads on the lossy ports run from the client, and
# tcpladder captures live on the server's veth (-T tsv, and the ncurses
# view under tmux for the out-of-order exchange). The checks are on what
# tcpladder reports: SACK_PERM in the SYN/ACK, the out-of-order segment and
# its duplicate ACK, the ACK numbers each exchange saw, retransmissions on
# 8081-8083, one connection per curl download and one per nghttp run, and
# the application labels. Needs root; skips (77) when namespaces, Scapy or
# the lab's servers are missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
: "${srcdir:=$TOP}"
BIN=${TCPLADDER:-$TOP/tcpladder}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
LAB=$srcdir/scripts/tcpladder-lab
EXCHANGE=$srcdir/tests/lab/exchange.py
skip() { echo "1..0 # SKIP $*"; exit 77; }
quiet() { "$@" >/dev/null 2>&1; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
for t in ip iptables ip6tables ethtool socat nghttpx nghttp curl tmux; do
	command -v $t >/dev/null 2>&1 ||
		skip "$t is not installed (sh scripts/setup-debian.sh)"
done
/usr/bin/python3 -c 'import scapy' 2>/dev/null ||
	skip "Scapy is not installed (python3-scapy)"
probe=tle-probe$$
ip netns add $probe 2>/dev/null || skip "cannot create network namespaces here"
ip netns del $probe

export TCPLADDER_LAB_NAME=tle$$
. "$HERE/../ui/tmux-lib.sh"            # sets TMP, ok/not_ok/check, tm...
export TCPLADDER_LAB_RUNDIR=$TMP/run
SRV=$TCPLADDER_LAB_NAME-server
cleanup() {
	[ -n "${cap_pid:-}" ] && kill "$cap_pid" 2>/dev/null
	tm kill-server >/dev/null 2>&1
	bash "$LAB" down >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
SECONDS=0
if ! bash "$LAB" up >"$TMP/up.out" 2>&1; then
	sed 's/^/# /' "$TMP/up.out"
	grep -q "cannot create" "$TMP/up.out" && skip "the lab cannot be built here"
	echo "not ok 1 - tcpladder-lab up"
	echo "1..1"
	exit 1
fi
ok "tcpladder-lab up ($(tail -1 "$TMP/up.out" | cut -c1-60)...)"
check "tcpladder-lab up again is harmless" quiet bash "$LAB" up
check "tcpladder-lab status: every server running" quiet bash "$LAB" status
lab() { bash "$LAB" exec -- "$@"; }

# Live capture on the server's veth for everything that follows.
ip netns exec "$SRV" "$BIN" --no-drop -i veth-s -T tsv -w "$TMP/lab.pcap" \
	tcp >"$TMP/live.tsv" 2>"$TMP/live.err" &
cap_pid=$!
for _ in $(seq 50); do
	[ -s "$TMP/live.tsv" ] && break
	sleep 0.1
done

# The full-screen view follows the discard port during the out-of-order
# exchange.
start 160 40
stty_before
run "clear; ip netns exec $SRV $BIN --no-drop -i veth-s tcp port 9"
check "screen: the live view starts" wait_for 'veth-s' 5
sleep 0.3

declare -A EX
for ex in handshake discard ooo echo daytime; do
	if out=$(lab /usr/bin/python3 "$EXCHANGE" $ex 2>&1); then
		ok "exchange $ex: $out"
	else
		not_ok "exchange $ex"
		echo "$out" | sed 's/^/# /'
	fi
	EX[$ex]=$(echo "$out" | tail -1)
done
field() {   # field EXCHANGE KEY
	echo "${EX[$1]}" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}

keys Home
check "screen: the out-of-order segment is drawn" wait_for 'Out-Of-Order' 5
check "screen: and the duplicate ACK it causes" screen_has 'Dup ACK'
check "screen: the discard payload is labelled" \
	wait_for '"Hello, discard server' 3
quit_check "screen q" q

# Downloads: curl once per file (a connection each), nghttp once per port
# (one connection, a stream per file).
CURL_FILES="1KB 100KB"
H2_FILES="1KB 10KB 100KB"
for port in 8080 8081 8082 8083; do
	for f in $CURL_FILES; do
		code=$(lab curl -s -o /dev/null --max-time 30 -w '%{http_code}' \
			"http://192.0.2.2:$port/files/$f")
		[ "$code" = 200 ] || not_ok "curl $port/files/$f answered $code"
	done
	urls=
	for f in $H2_FILES; do urls="$urls http://192.0.2.2:$port/files/$f"; done
	lab nghttp -n --timeout=30 $urls >"$TMP/nghttp.$port" 2>&1 ||
		not_ok "nghttp on $port: $(tail -1 "$TMP/nghttp.$port")"
done
ok "downloads done ($SECONDS s so far)"
sleep 0.5
kill -INT "$cap_pid"
wait "$cap_pid"
cap_status=$?
cap_pid=
check "live capture ends cleanly (exit $cap_status)" [ "$cap_status" -eq 0 ]
check "kernel dropped nothing" grep -q ', 0 dropped by the kernel' "$TMP/live.err"

TSV=$TMP/live.tsv
TEXT=$TMP/lab.txt
LC_ALL=C.UTF-8 "$BIN" -r "$TMP/lab.pcap" -T text --width 250 >"$TEXT" 2>&1
check "the saved capture gives the same table as the live one" \
	cmp -s "$TSV" <("$BIN" -r "$TMP/lab.pcap" -T tsv)

# rows SPORT DPORT: the TSV rows from port SPORT to port DPORT
rows() { awk -F'\t' -v s="$1" -v d="$2" '$5 == s && $7 == d' "$TSV"; }

hs=$(field handshake sport)
check "handshake: SACK_PERM in the SYN/ACK (text ladder)" \
	grep -Eq "SYN, ACK .*SACK_PERM.*$|SYN, ACK .*SACK_PERM" \
	<("$BIN" -r "$TMP/lab.pcap" -T text --width 250 "tcp port $hs")
check "handshake: SYN and SYN|ACK rows" \
	test "$(rows "$hs" 9 | awk -F'\t' '$8=="SYN"' | wc -l)" -ge 1 -a \
	     "$(rows 9 "$hs" | awk -F'\t' '$8=="SYN|ACK"' | wc -l)" -ge 1

ds=$(field discard sport)
check "discard: PSH|ACK with the message ($(field discard len) bytes)" \
	test -n "$(rows "$ds" 9 | awk -F'\t' -v l="$(field discard len)" \
		'$8=="PSH|ACK" && $11==l')"
check "discard: the server ACKs the data with Ack=$(field discard data_ack)" \
	test -n "$(rows 9 "$ds" | awk -F'\t' -v a="$(field discard data_ack)" \
		'$10==a && $11==0')"
check "discard: and the FIN with Ack=$(field discard fin_ack)" \
	test -n "$(rows 9 "$ds" | awk -F'\t' -v a="$(field discard fin_ack)" \
		'$10==a && $8 ~ /FIN/')"

os=$(field ooo sport)
check "ooo: the second half first: previous segment not captured" \
	test -n "$(rows "$os" 9 | awk -F'\t' -v q="$(field ooo second_seq)" \
		'$9==q && $13 ~ /lost_segment/')"
check "ooo: the first half is out of order" \
	test -n "$(rows "$os" 9 | awk -F'\t' '$9==1 && $13 ~ /out_of_order/')"
check "ooo: the server answers with a duplicate ACK" \
	test -n "$(rows 9 "$os" | awk -F'\t' '$10==1 && $13 ~ /duplicate_ack/')"
check "ooo: then ACKs the whole message (Ack=$(field ooo ack))" \
	test -n "$(rows 9 "$os" | awk -F'\t' -v a="$(field ooo ack)" '$10==a')"

es=$(field echo sport)
check "echo: the echo equals the message" test "$(field echo equal)" = 1
check "echo: the server echoes $(field echo len) bytes" \
	test -n "$(rows 7 "$es" | awk -F'\t' -v l="$(field echo len)" '$11==l')"
check "echo: the client ACKs the echo (Ack=$(field echo ack))" \
	test -n "$(rows "$es" 7 | awk -F'\t' -v a="$(field echo ack)" '$10==a')"

dt=$(field daytime sport)
check "daytime: the client ACKs the data (Ack=$(field daytime data_ack))" \
	test -n "$(rows "$dt" 13 | awk -F'\t' -v a="$(field daytime data_ack)" \
		'$10==a && $8=="ACK"')"
check "daytime: and the FIN (Ack=$(field daytime fin_ack))" \
	test -n "$(rows "$dt" 13 | awk -F'\t' -v a="$(field daytime fin_ack)" \
		'$10==a && $8=="ACK"')"

# Labels in the text ladder.
check "label: the discard message as text" \
	grep -q '» "Hello, discard server!' "$TEXT"
check "label: the echo, both ways" \
	test "$(grep -c '» "Echo, echo' "$TEXT")" -ge 2
check "label: the daytime text" \
	grep -Eq '» "[A-Z][a-z]+day, ' "$TEXT"
check "label: HTTP/1.1 request line (GET /files/100KB)" \
	grep -q '» GET /files/100KB' "$TEXT"
check "label: HTTP/1.1 status line and its request" \
	grep -q '200 OK (GET /files/100KB)' "$TEXT"
check "label: HTTP/2 preface and SETTINGS" \
	grep -q '» PREFACE, SETTINGS\[0\]' "$TEXT"
check "label: HTTP/2 HEADERS decoded (:method GET :path /files/10KB)" \
	grep -q 'END_HEADERS.*:method GET :path /files/10KB' "$TEXT"
check "label: HTTP/2 :status 200 and DATA with END_STREAM" \
	grep -Eq ':status 200.*DATA\[[0-9]+\] len=[0-9]+( END_STREAM)?' "$TEXT"

n_curl=$(echo $CURL_FILES | wc -w)
n_h2=$(echo $H2_FILES | wc -w)
total_rtx=0
for port in 8080 8081 8082 8083; do
	conns=$(awk -F'\t' -v p=$port '$7 == p && $8 == "SYN"' "$TSV" |
		cut -f3 | sort -u | wc -l)
	h1=$(grep -c "→ 192.0.2.2:$port: HTTP/1.1, 1 request" "$TEXT")
	h2=$(grep -c "→ 192.0.2.2:$port: HTTP/2, $n_h2 streams" "$TEXT")
	rtx=$(awk -F'\t' -v p=$port '$5 == p && $13 ~ /retransmission/' "$TSV" |
		wc -l)
	total_rtx=$((total_rtx + rtx))
	check "port $port: $conns connections = $n_curl curl + 1 nghttp" \
		[ "$conns" -eq $((n_curl + 1)) ]
	check "port $port: one HTTP/1.1 connection per curl file ($h1)" \
		[ "$h1" -eq "$n_curl" ]
	check "port $port: one HTTP/2 connection with $n_h2 streams ($h2)" \
		[ "$h2" -eq 1 ]
	if [ $port = 8080 ]; then
		echo "# port 8080 (no loss): $rtx retransmissions"
	else
		check "port $port: retransmissions from the server ($rtx)" \
			[ "$rtx" -gt 0 ]
	fi
done
check "head-of-line blocking is reported on the lossy ports" \
	grep -q 'held back behind the retransmission in frame' "$TEXT"
check "every HTTP/2 stream finished" \
	bash -c "! grep -E '^    \[[0-9]+\].*unfinished' '$TEXT'"
check "tcpladder-lab down" quiet bash "$LAB" down
check "tcpladder-lab down again is harmless" quiet bash "$LAB" down
check "no namespace left" bash -c "! ip netns list | grep -q $TCPLADDER_LAB_NAME"
echo "# $total_rtx retransmissions on 8081-8083; $SECONDS s"
if [ "$FAILED" -gt 0 ]; then
	echo "# text ladder kept in $TOP/lab-e2e-failed.txt"
	cp "$TEXT" "$TOP/lab-e2e-failed.txt" 2>/dev/null
fi
echo "1..$T"
[ "$FAILED" -eq 0 ]
