#!/bin/bash
# make-captures.sh -- regenerate tcpladder's test captures in tests/data.
#
#   sudo tests/data/make-captures.sh [--synth] [--live] [--coverage]
#
# (no option = all three).  ONLY=GLOB restricts --live to the captures whose
# file name matches GLOB (for debugging; derived files are then skipped).  Needs root, iproute2 (ip netns), iptables and
# ip6tables (with the statistic match), ethtool, tcpdump, dumpcap, editcap,
# capinfos, tshark 4.0 and /usr/bin/python3 with scapy.
#
# Everything live happens inside network namespaces created here (names
# start with "tlcap-"), with addresses from 192.0.2.0/24 and 2001:db8::/32
# only; the namespaces are deleted on exit (trap).  Packet loss comes from
# iptables/ip6tables "-m statistic --mode random" DROP rules on the
# receiving side's INPUT chain (tc netem is not available).  Offloads are
# off on every veth (segments are MSS-sized), captures use a 16 MB buffer
# and --immediate-mode, and a capture whose drop count is not 0 is redone.
# Live captures are random (loss), so a rerun gives different files; each
# live capture is retried until it shows the analysis names it is meant to
# show (see REQUIRE below).  Synthetic captures are deterministic.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOOLS=$HERE/tools
TABLE=$HERE/../tshark-table.py
PY=/usr/bin/python3
C=tlcap-c          # client namespace: 192.0.2.1, 2001:db8::1 on veth-c
S=tlcap-s          # server namespace: 192.0.2.2, 2001:db8::2 on veth-s
R=tlcap-r          # router namespace (PMTU capture only)
MAC_C=02:00:00:00:00:01
MAC_S=02:00:00:00:00:02
MAC_RC=02:00:00:00:00:11
MAC_RS=02:00:00:00:00:12

DO_SYNTH=0 DO_LIVE=0 DO_COV=0
for a in "$@"; do
    case $a in
    --synth) DO_SYNTH=1 ;;
    --live) DO_LIVE=1 ;;
    --coverage) DO_COV=1 ;;
    *) echo "usage: $0 [--synth] [--live] [--coverage]" >&2; exit 2 ;;
    esac
done
if [ $((DO_SYNTH + DO_LIVE + DO_COV)) -eq 0 ]; then
    DO_SYNTH=1 DO_LIVE=1 DO_COV=1
fi

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'make-captures.sh: %s\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tlcap.XXXXXX)
BGPIDS=()

cleanup() {
    local p
    for p in "${BGPIDS[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    for ns in $C $S $R; do
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# ---------------------------------------------------------------- topology
veth_pair() {   # NS_A DEV_A MAC_A NS_B DEV_B MAC_B
    ip link add "$2" netns "$1" address "$3" type veth \
        peer name "$5" netns "$4" address "$6"
    local d
    for d in "$1:$2" "$4:$5"; do
        # no IPv6 link-local addresses (only 2001:db8::/32 is used)
        ip -n "${d%%:*}" link set dev "${d#*:}" addrgenmode none
        nsx "${d%%:*}" ethtool -K "${d#*:}" tso off gso off gro off \
            >/dev/null 2>&1 || true
    done
}

ns_fresh() {    # NS...
    local ns
    for ns in "$@"; do
        ip netns del "$ns" 2>/dev/null || true
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        nsx "$ns" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1 || true
        # no MLD reports (they would come from :: to ff02::16); the
        # neighbours are static, so no other ICMPv6 is needed either
        nsx "$ns" ip6tables -A OUTPUT -p icmpv6 --icmpv6-type 131 -j DROP
        nsx "$ns" ip6tables -A OUTPUT -p icmpv6 --icmpv6-type 143 -j DROP
    done
}

setup_pair() {  # client <-> server over one veth pair
    ns_fresh $C $S
    veth_pair $C veth-c $MAC_C $S veth-s $MAC_S
    ip -n $C addr add 192.0.2.1/24 dev veth-c
    ip -n $S addr add 192.0.2.2/24 dev veth-s
    ip -n $C -6 addr add 2001:db8::1/64 dev veth-c nodad
    ip -n $S -6 addr add 2001:db8::2/64 dev veth-s nodad
    ip -n $C link set veth-c up
    ip -n $S link set veth-s up
    # static IPv6 neighbours: no ND (and no ff02:: traffic) needed
    ip -n $C -6 neigh replace 2001:db8::2 lladdr $MAC_S dev veth-c nud permanent
    ip -n $S -6 neigh replace 2001:db8::1 lladdr $MAC_C dev veth-s nud permanent
}

setup_router() {  # client <-> router <-> server, router->server MTU 1280
    ns_fresh $C $S $R
    veth_pair $C veth-c $MAC_C $R veth-rc $MAC_RC
    veth_pair $R veth-rs $MAC_RS $S veth-s $MAC_S
    ip -n $C addr add 192.0.2.1/28 dev veth-c
    ip -n $R addr add 192.0.2.14/28 dev veth-rc
    ip -n $R addr add 192.0.2.30/28 dev veth-rs
    ip -n $S addr add 192.0.2.17/28 dev veth-s
    ip -n $C -6 addr add 2001:db8:a::1/64 dev veth-c nodad
    ip -n $R -6 addr add 2001:db8:a::e/64 dev veth-rc nodad
    ip -n $R -6 addr add 2001:db8:b::e/64 dev veth-rs nodad
    ip -n $S -6 addr add 2001:db8:b::1/64 dev veth-s nodad
    # only the router's egress is narrow: the server still advertises
    # MSS 1460, so the client's full-size segments need ICMP errors
    ip -n $R link set veth-rs mtu 1280
    local x
    for x in "$C veth-c" "$R veth-rc" "$R veth-rs" "$S veth-s"; do
        ip -n ${x% *} link set ${x#* } up
    done
    ip -n $C route add 192.0.2.16/28 via 192.0.2.14
    ip -n $S route add 192.0.2.0/28 via 192.0.2.30
    ip -n $C -6 route add 2001:db8:b::/64 via 2001:db8:a::e
    ip -n $S -6 route add 2001:db8:a::/64 via 2001:db8:b::e
    ip -n $C -6 neigh replace 2001:db8:a::e lladdr $MAC_RC dev veth-c nud permanent
    ip -n $R -6 neigh replace 2001:db8:a::1 lladdr $MAC_C dev veth-rc nud permanent
    ip -n $R -6 neigh replace 2001:db8:b::1 lladdr $MAC_S dev veth-rs nud permanent
    ip -n $S -6 neigh replace 2001:db8:b::e lladdr $MAC_RS dev veth-s nud permanent
    nsx $R sysctl -qw net.ipv4.ip_forward=1
    nsx $R sysctl -qw net.ipv6.conf.all.forwarding=1
}

# ----------------------------------------------------------------- capture
CAP_PID=
CAP_ERR=
cap_start() {   # NS FILE tcpdump|dumpcap ARGS...
    local ns=$1 file=$2 tool=$3
    shift 3
    CAP_ERR=$WORK/cap.err
    : >"$CAP_ERR"
    if [ "$tool" = dumpcap ]; then
        ip netns exec "$ns" dumpcap -B 16 "$@" -w "$file" 2>"$CAP_ERR" &
    else
        ip netns exec "$ns" tcpdump -Z root -B 16384 --immediate-mode -U \
            "$@" -w "$file" 2>"$CAP_ERR" &
    fi
    CAP_PID=$!
    BGPIDS+=("$CAP_PID")
    local i
    for i in $(seq 100); do
        grep -qE 'listening on|^Capturing on' "$CAP_ERR" && break
        sleep 0.05
    done
    grep -qE 'listening on|^Capturing on' "$CAP_ERR" || {
        cat "$CAP_ERR" >&2; die "capture did not start"; }
    sleep 0.2
}

cap_stop() {    # returns 1 if the capture dropped packets
    sleep 0.3
    kill -INT "$CAP_PID" 2>/dev/null || true
    wait "$CAP_PID" || true
    CAP_PID=
    if grep -q 'packets dropped by kernel' "$CAP_ERR"; then
        grep -q '^0 packets dropped by kernel' "$CAP_ERR" || {
            log "capture dropped packets: $(grep dropped "$CAP_ERR" | tr '\n' ' ')"
            return 1; }
    elif grep -q 'Packets received/dropped' "$CAP_ERR"; then
        # dumpcap: "... 'veth-s': 512/0 (pcap:0/dumpcap:0/flushed:0/ps_ifdrop:0)"
        grep 'Packets received/dropped' "$CAP_ERR" |
            grep -qE ': [0-9]+/0 \(pcap:0/dumpcap:0/flushed:0/ps_ifdrop:0\)' || {
            log "capture dropped packets: $(grep dropped "$CAP_ERR")"
            return 1; }
    else
        cat "$CAP_ERR" >&2
        die "cannot read the capture's drop count"
    fi
    return 0
}

srv_start() {   # NS tcpapp-server-args...   (waits for "listening")
    local ns=$1
    shift
    local out=$WORK/srv.$RANDOM
    : >"$out"
    ip netns exec "$ns" $PY "$TOOLS/tcpapp.py" server "$@" >"$out" 2>&1 &
    BGPIDS+=("$!")
    local i
    for i in $(seq 100); do
        grep -q listening "$out" && return 0
        sleep 0.05
    done
    cat "$out" >&2
    die "server did not start: $*"
}

cli() { local ns=$1; shift; nsx "$ns" $PY "$TOOLS/tcpapp.py" client "$@"; }

loss() {        # NS iptables|ip6tables PROB MATCH...  (INPUT chain)
    local ns=$1 ipt=$2 p=$3
    shift 3
    nsx "$ns" "$ipt" -A INPUT -p tcp "$@" \
        -m statistic --mode random --probability "$p" -j DROP
}

flush_rules() {
    local ns
    for ns in "$@"; do
        nsx "$ns" iptables -F INPUT
        nsx "$ns" ip6tables -F INPUT
    done
}

wait_bg() {     # wait for the servers/relays started so far (ignore errors)
    local p
    for p in "${BGPIDS[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    BGPIDS=()
}

has_names() {   # FILE NAME...: every NAME appears in tshark's analysis
    local f=$1 n col
    shift
    col=$($PY "$TABLE" "$f" | tail -n +2 | cut -f13 | tr ',' '\n' | sort -u)
    for n in "$@"; do
        grep -qx "$n" <<<"$col" || { log "$f: no $n"; return 1; }
    done
}

# attempt NAME OUTFILE FUNCTION REQUIRED-NAMES...
# Runs FUNCTION (which writes $WORK/$OUTFILE) up to 5 times until the
# capture had no drops and shows every required analysis name.
attempt() {
    local name=$1 out=$2 fn=$3
    shift 3
    # ONLY=glob restricts the live captures made (for debugging)
    if [ -n "${ONLY:-}" ] && [[ $out != $ONLY ]]; then return 0; fi
    local i
    for i in 1 2 3 4 5; do
        log "$name (try $i)"
        rm -f "$WORK/$out"
        if $fn "$WORK/$out" && has_names "$WORK/$out" "$@"; then
            cp "$WORK/$out" "$HERE/$out"
            chmod 644 "$HERE/$out"
            return 0
        fi
    done
    die "$name: gave up after 5 tries"
}

# ------------------------------------------------------------- scenarios
# Each writes the capture file given as $1 and returns non-zero on failure.

sc_v4_upload_loss() {
    # 300 KB upload over IPv4; 3% of the data lost on the server's INPUT,
    # 3% of the ACKs lost on the client's INPUT (-> RTO resends of data
    # already ACKed in the capture = spurious retransmissions).  Captured
    # on the server's veth before iptables: dropped packets are in the file.
    setup_pair
    srv_start $S 192.0.2.2 5001 sink
    loss $S iptables 0.03 --dport 5001
    loss $C iptables 0.03 --sport 5001
    cap_start $S "$1" tcpdump -i veth-s -s 128
    cli $C 192.0.2.2 5001 upload --bytes 300000
    local rc=0
    cap_stop || rc=1
    wait_bg
    flush_rules $C $S
    return $rc
}

sc_v6_download_loss() {
    # 300 KB download over IPv6 (server sends); 3% of the data lost on the
    # client's INPUT, 2% of the ACKs on the server's INPUT; the client reads
    # 8 KB every 2 ms (window updates).  dumpcap -> pcapng.
    setup_pair
    srv_start $S 2001:db8::2 5002 source --bytes 300000
    loss $C ip6tables 0.03 --sport 5002
    loss $S ip6tables 0.02 --dport 5002
    cap_start $S "$1" dumpcap -q -i veth-s -s 128
    cli $C 2001:db8::2 5002 download --chunk 8192 --delay 0.002 >/dev/null
    local rc=0
    cap_stop || rc=1
    wait_bg
    flush_rules $C $S
    return $rc
}

sc_v4_zero_window() {
    # the server (SO_RCVBUF 4096) does not read for 1.5 s, then reads 1 KB
    # every 10 ms; the client sends 60 KB.  Linux probes the zero window
    # with seq = snd_una-1 and no data (tshark: keep_alive).  Nanosecond
    # time stamps.
    setup_pair
    srv_start $S 192.0.2.2 5003 sink --rcvbuf 4096 --pause 1.5 \
        --chunk 1024 --delay 0.01
    cap_start $S "$1" tcpdump -i veth-s -s 128 --time-stamp-precision=nano
    cli $C 192.0.2.2 5003 upload --bytes 60000
    local rc=0
    cap_stop || rc=1
    wait_bg
    return $rc
}

sc_v4_keepalive_sll() {
    # SO_KEEPALIVE, TCP_KEEPIDLE=1, TCP_KEEPINTVL=1, idle 3.5 s.
    # tcpdump -i any -y LINUX_SLL: Linux cooked capture v1 (tcpdump 4.99
    # would pick LINUX_SLL2 for -i any by default).
    setup_pair
    srv_start $S 192.0.2.2 5004 sink
    cap_start $C "$1" tcpdump -i any -y LINUX_SLL
    cli $C 192.0.2.2 5004 keepalive --idle 3.5
    local rc=0
    cap_stop || rc=1
    wait_bg
    return $rc
}

sc_v6_reuse_sll2() {
    # two IPv6 connections from the same client port 40404 (the server
    # closes first and keeps TIME_WAIT; the new SYN has a new ISN), plus a
    # connection of the client namespace to itself over lo (192.0.2.1).
    # tcpdump -i any -y LINUX_SLL2: cooked capture v2 with interface index.
    setup_pair
    srv_start $S 2001:db8::2 5005 reqresp --conns 2
    srv_start $C 192.0.2.1 5006 reqresp
    cap_start $C "$1" tcpdump -i any -y LINUX_SLL2
    cli $C 2001:db8::2 5005 reuse --sport 40404
    cli $C 192.0.2.1 5006 reqresp
    local rc=0
    cap_stop || rc=1
    wait_bg
    return $rc
}

sc_snaplen60() {
    # snap length 60 with TCP timestamps off: an IPv4 TCP header without
    # options is complete (payload cut), SYNs and SACK-carrying ACKs have
    # their options cut, IPv6 TCP headers are cut after the ports.
    setup_pair
    nsx $C sysctl -qw net.ipv4.tcp_timestamps=0
    nsx $S sysctl -qw net.ipv4.tcp_timestamps=0
    srv_start $S 192.0.2.2 5007 sink
    srv_start $S 2001:db8::2 5008 reqresp
    loss $S iptables 0.04 --dport 5007
    cap_start $S "$1" tcpdump -i veth-s -s 60
    cli $C 192.0.2.2 5007 upload --bytes 100000
    cli $C 2001:db8::2 5008 reqresp
    local rc=0
    cap_stop || rc=1
    wait_bg
    flush_rules $C $S
    return $rc
}

sc_rawip() {
    # client and server joined by two tun devices (tools/tunrelay.py);
    # tcpdump on the client's tun0 records LINKTYPE_RAW.  IPv4 request/
    # response and a 20 KB IPv6 upload.
    ns_fresh $C $S
    : >"$WORK/relay"
    ip netns exec $C $PY "$TOOLS/tunrelay.py" $C tun0 $S tun0 \
        >"$WORK/relay" 2>&1 &
    BGPIDS+=("$!")
    local relay=$! i
    for i in $(seq 100); do
        grep -q ready "$WORK/relay" && break
        sleep 0.05
    done
    grep -q ready "$WORK/relay" || { cat "$WORK/relay" >&2; die "tunrelay"; }
    ip -n $C link set tun0 addrgenmode none
    ip -n $S link set tun0 addrgenmode none
    ip -n $C addr add 192.0.2.65 peer 192.0.2.66 dev tun0
    ip -n $S addr add 192.0.2.66 peer 192.0.2.65 dev tun0
    ip -n $C -6 addr add 2001:db8:1::1/128 dev tun0 nodad
    ip -n $S -6 addr add 2001:db8:1::2/128 dev tun0 nodad
    ip -n $C link set tun0 up
    ip -n $S link set tun0 up
    ip -n $C -6 route add 2001:db8:1::2/128 dev tun0
    ip -n $S -6 route add 2001:db8:1::1/128 dev tun0
    srv_start $S 192.0.2.66 5009 reqresp
    srv_start $S 2001:db8:1::2 5010 sink
    cap_start $C "$1" tcpdump -i tun0
    cli $C 192.0.2.66 5009 reqresp
    cli $C 2001:db8:1::2 5010 upload --bytes 20000
    local rc=0
    cap_stop || rc=1
    kill "$relay" 2>/dev/null || true
    wait_bg
    return $rc
}

sc_pmtu_icmp() {
    # client - router - server; the router's link to the server has MTU
    # 1280, so full-size uploads from the client get ICMP "fragmentation
    # needed" (IPv4) / ICMPv6 "packet too big" quoting the TCP header.
    # Captured on the client's veth.
    setup_router
    srv_start $S 192.0.2.17 5011 sink
    srv_start $S 2001:db8:b::1 5012 sink
    cap_start $C "$1" tcpdump -i veth-c -s 200
    cli $C 192.0.2.17 5011 upload --bytes 30000
    cli $C 2001:db8:b::1 5012 upload --bytes 30000
    local rc=0
    cap_stop || rc=1
    wait_bg
    return $rc
}

lab_run() {     # FILE EXERCISE PORT server-args...
    local file=$1 ex=$2 port=$3
    shift 3
    setup_pair
    # the client kernel knows nothing about Scapy's connections: drop its RSTs
    nsx $C iptables -A OUTPUT -p tcp --tcp-flags RST RST -d 192.0.2.2 -j DROP
    srv_start $S 192.0.2.2 "$port" sink "$@"
    cap_start $S "$file" tcpdump -i veth-s
    nsx $C $PY "$TOOLS/lab.py" "$ex" "$port"
    local rc=0
    cap_stop || rc=1
    wait_bg
    nsx $C iptables -D OUTPUT -p tcp --tcp-flags RST RST -d 192.0.2.2 -j DROP
    return $rc
}
sc_lab_handshake() { lab_run "$1" handshake 7; }
sc_lab_discard() { lab_run "$1" discard 9; }
sc_lab_ooo() { lab_run "$1" ooo 9; }
sc_lab_zerowin() { lab_run "$1" zerowin 5013 --rcvbuf 2048 --pause 2.5; }

# --------------------------------------------------------------------- main
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
for t in ip iptables ip6tables ethtool tcpdump dumpcap editcap capinfos tshark; do
    command -v $t >/dev/null || die "$t not found"
done
$PY -c 'import scapy' 2>/dev/null || die "$PY has no scapy (python3-scapy)"

if [ $DO_SYNTH = 1 ]; then
    log "synthetic captures -> synth/"
    rm -f "$HERE"/synth/*.pcap
    $PY "$TOOLS/synth.py" "$HERE/synth" 2>&1 | grep -v 'Mac address' || true
    # tunnels, link types, fragments and pcapng beyond libpcap: encap/
    $PY "$TOOLS/encaps.py" "$HERE/encap" 2>&1 | grep -v 'Mac address' || true
    $PY "$TOOLS/pcapng_multi.py" "$HERE/encap" 2>&1 | grep -v 'Mac address' || true
    $PY "$TOOLS/capwap_frag.py" "$HERE/encap" 2>&1 | grep -v 'Mac address' || true
    $PY "$TOOLS/frag_cut.py" "$HERE/encap" 2>&1 | grep -v 'Mac address' || true
    $PY "$TOOLS/mpls_pw.py" "$HERE/encap" 2>&1 | grep -v 'Mac address' || true
    $PY "$TOOLS/amsdu.py" "$HERE/encap" 2>&1 | grep -v 'Mac address' || true
    $PY "$TOOLS/shims.py" "$HERE/encap" 2>&1 | grep -v 'Mac address' || true
    $PY "$TOOLS/meta_links.py" "$HERE/encap" 2>&1 | grep -v 'Mac address' || true
    # HTTP/1.1 and HTTP/2 with head-of-line blocking: app/
    $PY "$TOOLS/apps.py" "$HERE/app"
fi

if [ $DO_LIVE = 1 ]; then
    attempt "IPv4 upload with loss" v4-upload-loss.pcap sc_v4_upload_loss \
        retransmission duplicate_ack fast_retransmission
    attempt "IPv6 download with loss (pcapng)" v6-download-loss.pcapng \
        sc_v6_download_loss retransmission duplicate_ack window_update
    if [ -z "${ONLY:-}" ]; then
    log "capture loss imitated with editcap"
    $PY "$TOOLS/derive.py" caploss "$HERE/v4-upload-loss.pcap" \
        "$HERE/v4-upload-caploss.pcap"
    has_names "$HERE/v4-upload-caploss.pcap" lost_segment ack_lost_segment ||
        die "v4-upload-caploss.pcap lacks lost_segment/ack_lost_segment"
    fi
    attempt "IPv4 zero window (nanosecond pcap)" v4-zero-window.pcap \
        sc_v4_zero_window zero_window window_full window_update
    attempt "IPv4 keep-alive (Linux cooked v1)" v4-keepalive-sll.pcap \
        sc_v4_keepalive_sll keep_alive keep_alive_ack
    attempt "IPv6 reused port (Linux cooked v2)" v6-reuse-sll2.pcap \
        sc_v6_reuse_sll2 reused_ports
    attempt "snap length 60" v4v6-snaplen60.pcap sc_snaplen60
    attempt "raw IP from a tun device" v4v6-rawip.pcap sc_rawip
    attempt "PMTU ICMP errors" v4v6-pmtu-icmp.pcap sc_pmtu_icmp
    attempt "lab: handshake with SACK-Permitted" lab-handshake.pcap \
        sc_lab_handshake
    attempt "lab: data to a discard server" lab-discard.pcap sc_lab_discard
    attempt "lab: halves out of order" lab-ooo.pcap sc_lab_ooo \
        lost_segment duplicate_ack out_of_order
    attempt "lab: zero window probes" lab-zerowin.pcap sc_lab_zerowin \
        zero_window zero_window_probe zero_window_probe_ack window_full
    if [ -z "${ONLY:-}" ]; then
    log "BSD loopback (DLT_NULL) and 802.1Q copies"
    $PY "$TOOLS/derive.py" null "$HERE/v6-reuse-sll2.pcap" \
        "$HERE/null-loopback.pcap"
    $PY "$TOOLS/derive.py" vlan "$HERE/v4v6-rawip.pcap" "$HERE/vlan-8021q.pcap"
    fi
fi

if [ $DO_COV = 1 ]; then
    log "COVERAGE.md"
    $PY "$TOOLS/coverage.py" "$HERE" >"$HERE/COVERAGE.md"
fi
log done
