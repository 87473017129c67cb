#!/usr/bin/python3
"""Synthetic captures for tcpladder's tests: tests/data/synth/*.pcap.

The scenarios up to "fin_dup_fast"/"midstream_then_syn" are a copy of
/work/shared/tools/tcp-experiments.py (the research script that checked
tshark 4.0.17's TCP analysis rules; see docs/tcp-analysis.md), with the
addresses changed to 192.0.2.1 (client) / 192.0.2.2 (server) and fixed
locally administered MAC addresses.  The scenarios after the "Extensions"
marker are new: IPv6, ICMP errors quoting TCP headers, tunnels, nanosecond
and out-of-order timestamps, truncated headers, VLAN/QinQ.

Usage:  /usr/bin/python3 synth.py OUTDIR [scenario ...]
Writes OUTDIR/<scenario>.pcap for each scenario (all by default).
Deterministic: the same files every run (no randomness, fixed times).
"""
import os
import struct
import sys

from scapy.all import (Ether, IP, IPv6, TCP, ICMP, ICMPv6PacketTooBig,
                       ICMPv6DestUnreach, GRE, Dot1Q, Dot1AD, Raw, raw,
                       wrpcap, PcapWriter)  # noqa: E402

C_IP, C_PORT = "192.0.2.1", 40000
S_IP, S_PORT = "192.0.2.2", 80
ISN_C, ISN_S = 1000, 5000
MAC = {"c": "02:00:00:00:00:01", "s": "02:00:00:00:00:02"}

FLAGS = [
    "retransmission", "fast_retransmission", "spurious_retransmission",
    "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack",
    "zero_window", "zero_window_probe", "zero_window_probe_ack",
    "window_full", "window_update", "keep_alive", "keep_alive_ack",
    "reused_ports",
]
SHORT = {
    "retransmission": "RETR", "fast_retransmission": "FAST",
    "spurious_retransmission": "SPUR", "out_of_order": "OOO",
    "lost_segment": "LOST", "ack_lost_segment": "ACKLOST",
    "duplicate_ack": "DUPACK", "zero_window": "ZW",
    "zero_window_probe": "ZWP", "zero_window_probe_ack": "ZWPACK",
    "window_full": "WFULL", "window_update": "WUPD",
    "keep_alive": "KA", "keep_alive_ack": "KAACK", "reused_ports": "REUSE",
}


def pk(t, d, flags, seq, ack=0, ln=0, win=1000, opts=None,
       isn_c=ISN_C, isn_s=ISN_S, sport=None):
    """One segment.  d='c' (client->server) or 's'.  seq/ack are offsets
    from the ISNs (seq 0 = the SYN itself)."""
    if d == "c":
        ip = IP(src=C_IP, dst=S_IP)
        tcp = TCP(sport=sport or C_PORT, dport=S_PORT, flags=flags,
                  seq=(isn_c + seq) & 0xffffffff,
                  ack=((isn_s + ack) & 0xffffffff) if "A" in flags else 0,
                  window=win, options=opts or [])
    else:
        ip = IP(src=S_IP, dst=C_IP)
        tcp = TCP(sport=S_PORT, dport=sport or C_PORT, flags=flags,
                  seq=(isn_s + seq) & 0xffffffff,
                  ack=((isn_c + ack) & 0xffffffff) if "A" in flags else 0,
                  window=win, options=opts or [])
    p = Ether(src=MAC[d], dst=MAC["s" if d == "c" else "c"]) / ip / tcp
    if ln:
        p = p / Raw(b"x" * ln)
    p.time = t
    return p


def hs(t0=1.0, rtt=0.010, wsc=None, wss=None, win=1000):
    """3-way handshake, client SYN at t0, SYN/ACK after rtt/2, ACK after rtt."""
    oc = [("WScale", wsc)] if wsc is not None else []
    os_ = [("WScale", wss)] if wss is not None else []
    return [pk(t0, "c", "S", 0, win=win, opts=oc),
            pk(t0 + rtt / 2, "s", "SA", 0, 1, win=win, opts=os_),
            pk(t0 + rtt, "c", "A", 1, 1, win=win)]


SCEN = {}


def scen(fn):
    SCEN[fn.__name__] = fn
    return fn


@scen
def basic():
    """handshake, data both ways, PSH, FIN close."""
    p = hs()
    p += [pk(1.02, "c", "PA", 1, 1, 100),
          pk(1.03, "s", "A", 1, 101),
          pk(1.04, "s", "PA", 1, 101, 50),
          pk(1.05, "c", "A", 101, 51),
          pk(1.06, "c", "FA", 101, 51),
          pk(1.07, "s", "FA", 51, 102),
          pk(1.08, "c", "A", 102, 52)]
    return p


@scen
def retrans_timing():
    """exact duplicate of a data segment: 1 ms later, then 200 ms later.
    iRTT = 10 ms here."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.101, "c", "A", 1, 1, 100),        # dup 1 ms later
          pk(1.300, "c", "A", 1, 1, 100),        # dup 200 ms later
          pk(1.310, "s", "A", 1, 101)]
    return p


@scen
def ooo_with_irtt():
    """hole then fill: fill 5 ms after highest seg (iRTT=10ms) -> OOO?,
    second hole filled 50 ms later -> retransmission?"""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.101, "c", "A", 201, 1, 100),      # 101..200 missing
          pk(1.106, "c", "A", 101, 1, 100),      # fill after 5 ms
          pk(1.110, "c", "A", 401, 1, 100),      # 301..400 missing
          pk(1.160, "c", "A", 301, 1, 100),      # fill after 50 ms
          pk(1.170, "s", "A", 1, 501)]
    return p


@scen
def ooo_no_handshake():
    """no SYN seen: threshold is 3 ms."""
    p = [pk(1.100, "c", "A", 1, 1, 100),
         pk(1.101, "c", "A", 201, 1, 100),
         pk(1.102, "c", "A", 101, 1, 100),       # 1 ms -> OOO
         pk(1.110, "c", "A", 401, 1, 100),
         pk(1.120, "c", "A", 301, 1, 100),       # 10 ms -> retrans
         pk(1.130, "s", "A", 1, 501)]
    return p


@scen
def fast_retrans():
    """3 dup acks then retransmission within 20 ms."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          # 101..200 lost (not captured)
          pk(1.101, "c", "A", 201, 1, 100),
          pk(1.102, "c", "A", 301, 1, 100),
          pk(1.103, "c", "A", 401, 1, 100),
          pk(1.110, "s", "A", 1, 101),
          pk(1.111, "s", "A", 1, 101),
          pk(1.112, "s", "A", 1, 101),
          pk(1.113, "s", "A", 1, 101),
          pk(1.115, "c", "A", 101, 1, 100),      # fast retrans
          pk(1.125, "s", "A", 1, 501)]
    return p


@scen
def fast_retrans_late():
    """2 dup acks then retransmission 30 ms after last dup ack."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.101, "c", "A", 201, 1, 100),
          pk(1.110, "s", "A", 1, 101),
          pk(1.111, "s", "A", 1, 101),
          pk(1.112, "s", "A", 1, 101),
          pk(1.142, "c", "A", 101, 1, 100),
          pk(1.150, "s", "A", 1, 301)]
    return p


@scen
def spurious():
    """data acked, then same data resent."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.110, "s", "A", 1, 101),
          pk(1.400, "c", "A", 1, 1, 100),        # already acked
          pk(1.410, "s", "A", 1, 101)]
    return p


@scen
def dupack():
    """pure acks repeated; also a data segment from the acker in between."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.110, "s", "A", 1, 101),
          pk(1.111, "s", "A", 1, 101),
          pk(1.112, "s", "A", 1, 101),
          pk(1.113, "s", "PA", 1, 101, 10),      # data, same ack
          pk(1.114, "s", "A", 11, 101),          # pure ack after data
          pk(1.115, "s", "A", 11, 101, win=2000),  # window changed
          pk(1.116, "s", "A", 11, 101, win=2000)]
    return p


@scen
def zero_window():
    """receiver closes window, probe, probe ack, window update."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.110, "s", "A", 1, 101, win=0),     # zero window
          pk(1.300, "c", "A", 101, 1, 1),         # ZWP (1 byte at nextseq)
          pk(1.310, "s", "A", 1, 101, win=0),     # ZWP ack
          pk(1.700, "c", "A", 101, 1, 1),         # second ZWP
          pk(1.710, "s", "A", 1, 101, win=0),     # ack
          pk(2.000, "s", "A", 1, 101, win=1000),  # window update
          pk(2.010, "c", "A", 101, 1, 100)]       # data resumes at 101
    return p


@scen
def zero_window_probe_accepted():
    """receiver accepts the probe byte (acks it)."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.110, "s", "A", 1, 101, win=0),
          pk(1.300, "c", "A", 101, 1, 1),         # ZWP
          pk(1.310, "s", "A", 1, 102, win=500),   # accepts byte
          pk(1.320, "c", "A", 102, 1, 100)]
    return p


@scen
def keepalive():
    """keep-alive with 0 and 1 byte, and ack."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.110, "s", "A", 1, 101),
          pk(5.000, "c", "A", 100, 1, 0),         # KA, no data
          pk(5.010, "s", "A", 1, 101),            # KA ACK
          pk(9.000, "c", "A", 100, 1, 1),         # KA, 1 garbage byte
          pk(9.010, "s", "A", 1, 101),            # KA ACK
          pk(9.020, "s", "A", 1, 101)]            # plain dup ack?
    return p


@scen
def window_update():
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.110, "s", "A", 1, 101, win=1000),
          pk(1.120, "s", "A", 1, 101, win=3000),   # window update
          pk(1.130, "s", "A", 1, 101, win=3000)]   # dup ack
    return p


@scen
def window_full():
    """server advertises 300 bytes (no scaling), client fills it."""
    p = hs(win=300)
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.101, "c", "A", 101, 1, 100),
          pk(1.102, "c", "A", 201, 1, 100),       # 1+300 = edge
          pk(1.110, "s", "A", 1, 301, win=300),
          pk(1.120, "c", "A", 301, 1, 300)]       # fills again
    return p


@scen
def window_full_scaled():
    """WS: client shift 2, server shift 3; server raw window 100 => 800."""
    p = hs(wsc=2, wss=3, win=100)
    p += [pk(1.100, "c", "A", 1, 1, 400, win=100),
          pk(1.101, "c", "A", 401, 1, 400, win=100),   # 1+800 = edge
          pk(1.110, "s", "A", 1, 801, win=100),
          pk(1.120, "c", "A", 801, 1, 800, win=100)]
    return p


@scen
def lost_and_acklost():
    """gap in sender's data; ack for data never captured."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.101, "c", "A", 301, 1, 100),      # 101..300 not captured
          pk(1.110, "s", "A", 1, 401),           # acks over the hole
          pk(1.120, "s", "A", 1, 601),           # acks beyond anything
          pk(1.130, "c", "A", 401, 1, 100)]
    return p


@scen
def rst_cases():
    """RST with seq beyond nextseq is not 'lost'; RST after FIN."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.110, "s", "A", 1, 101),
          pk(1.120, "c", "R", 500),
          pk(1.130, "c", "RA", 101, 1)]
    return p


@scen
def reuse_ports():
    """conn 1 closes; new SYN same 4-tuple different ISN; also a
    retransmitted SYN and a SYN/ACK with different ISN."""
    p = hs()
    p += [pk(1.02, "c", "FA", 1, 1),
          pk(1.03, "s", "FA", 1, 2),
          pk(1.04, "c", "A", 2, 2)]
    isc, iss = 777777, 888888
    p += [pk(3.00, "c", "S", 0, win=1000, isn_c=isc),
          pk(4.00, "c", "S", 0, win=1000, isn_c=isc),      # SYN retrans
          pk(4.01, "s", "SA", 0, 1, isn_c=isc, isn_s=iss),
          pk(4.02, "c", "A", 1, 1, isn_c=isc, isn_s=iss),
          pk(4.03, "c", "PA", 1, 1, 10, isn_c=isc, isn_s=iss)]
    return p


@scen
def reuse_same_isn():
    """conn closes with FIN, then a new SYN with the SAME ISN."""
    p = hs()
    p += [pk(1.02, "c", "FA", 1, 1),
          pk(1.03, "s", "FA", 1, 2),
          pk(1.04, "c", "A", 2, 2),
          pk(5.00, "c", "S", 0),
          pk(5.01, "s", "SA", 0, 1),
          pk(5.02, "c", "A", 1, 1)]
    return p


@scen
def synack_retrans():
    p = hs()
    p += [pk(1.5, "s", "SA", 0, 1),   # SYN/ACK retransmitted (same ISN)
          pk(1.6, "c", "A", 1, 1)]
    return p


@scen
def syn_data_and_fin():
    """SYN carrying data (TFO-like), FIN retransmission, FIN with data."""
    p = [pk(1.000, "c", "S", 0, ln=20),
         pk(1.005, "s", "SA", 0, 21),
         pk(1.010, "c", "A", 21, 1),
         pk(1.020, "c", "FPA", 21, 1, 30),      # FIN with 30 bytes
         pk(1.400, "c", "FPA", 21, 1, 30),      # FIN retransmitted
         pk(1.410, "s", "A", 1, 52),
         pk(1.420, "s", "FA", 1, 52),
         pk(1.430, "c", "A", 52, 2)]
    return p


@scen
def midstream():
    """no handshake at all: relative numbering, scale factor -1."""
    p = [pk(1.0, "c", "PA", 5000, 7000, 100, win=500),
         pk(1.01, "s", "A", 7000, 5100, win=600),
         pk(1.02, "s", "PA", 7000, 5100, 10, win=600),
         pk(1.03, "c", "A", 5100, 7010, win=500)]
    return p


@scen
def wscale_cases():
    """SYN has WS, SYN/ACK lacks it -> both -2."""
    p = hs(wsc=7, wss=None, win=100)
    p += [pk(1.02, "c", "A", 1, 1, 10, win=100),
          pk(1.03, "s", "A", 1, 11, win=100)]
    return p


@scen
def wscale_syn_only():
    """SYN with WS seen, SYN/ACK not captured."""
    p = [pk(1.000, "c", "S", 0, win=100, opts=[("WScale", 7)]),
         pk(1.010, "c", "A", 1, 1, win=100),
         pk(1.020, "s", "A", 1, 1, win=100)]
    return p


@scen
def wscale_first_ack():
    """WS both sides; check is_first_ack effect on window_full."""
    p = hs(wsc=4, wss=4, win=100)
    p += [pk(1.02, "s", "A", 1, 1, win=100),
          pk(1.03, "c", "A", 1, 1, 1600, win=100)]
    return p


@scen
def bif_push():
    p = hs()
    p += [pk(1.10, "c", "A", 1, 1, 100),
          pk(1.11, "c", "A", 101, 1, 100),
          pk(1.12, "c", "PA", 201, 1, 100),
          pk(1.13, "c", "A", 301, 1, 100),
          pk(1.14, "s", "A", 1, 201),
          pk(1.15, "c", "PA", 401, 1, 50),
          pk(1.16, "c", "PA", 451, 1, 50),
          pk(1.17, "s", "A", 1, 501)]
    return p


@scen
def acks_frame_retrans():
    """which frame does the ACK point to when the segment was resent?"""
    p = hs()
    p += [pk(1.10, "c", "A", 1, 1, 100),
          pk(1.50, "c", "A", 1, 1, 100),
          pk(1.51, "s", "A", 1, 101),
          pk(1.60, "c", "A", 101, 1, 100),
          pk(1.61, "c", "A", 201, 1, 100),
          pk(1.70, "s", "A", 1, 301)]      # cumulative ack of 2 segments
    return p


@scen
def two_streams():
    """two interleaved connections for the flow graph."""
    p = hs()
    q = [pk(x.time + 0.001, d, f, s, a, l, sport=40001, isn_c=2000,
            isn_s=9000)
         for (x, d, f, s, a, l) in [
             (p[0], "c", "S", 0, 0, 0), (p[1], "s", "SA", 0, 1, 0),
             (p[2], "c", "A", 1, 1, 0)]]
    r = [pk(1.02, "c", "PA", 1, 1, 5), pk(1.03, "s", "A", 1, 6)]
    out = sorted(p + q + r, key=lambda x: x.time)
    return out


@scen
def spur_vs_ooo():
    """no handshake (3 ms OOO threshold): hole-filling segment that is both
    within the OOO window AND already acked -> which flag wins?"""
    p = [pk(1.1000, "c", "A", 1, 1, 100),
         pk(1.1010, "c", "A", 201, 1, 100),
         pk(1.1015, "s", "A", 1, 301),
         pk(1.1020, "c", "A", 101, 1, 100)]
    return p


@scen
def fast_vs_ooo():
    """segment qualifies as fast retransmission AND out-of-order."""
    p = [pk(1.1000, "c", "A", 1, 1, 100),
         pk(1.1001, "c", "A", 201, 1, 100),
         pk(1.1002, "c", "A", 301, 1, 100),
         pk(1.1003, "s", "A", 1, 101),
         pk(1.1004, "s", "A", 1, 101),
         pk(1.1005, "s", "A", 1, 101),
         pk(1.1010, "c", "A", 101, 1, 100)]
    return p


@scen
def overlap_and_nextseq_minus_1():
    """partial overlap (old+new data) and a >1-byte segment starting at
    nextseq-1."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.200, "c", "A", 51, 1, 100),    # 51..150 overlaps 51..100
          pk(1.300, "c", "A", 150, 1, 50),    # starts at nextseq-1 (151-1)
          pk(1.310, "s", "A", 1, 200)]
    return p


@scen
def zw_repeat():
    """zero-window acks repeated without probe; data with win 0."""
    p = hs()
    p += [pk(1.100, "c", "A", 1, 1, 100),
          pk(1.110, "s", "A", 1, 101, win=0),
          pk(1.120, "s", "A", 1, 101, win=0),
          pk(1.130, "s", "PA", 1, 101, 10, win=0),
          pk(1.140, "c", "R", 101, 0, win=0)]
    return p


@scen
def synack_new_isn():
    """SYN/ACK repeated with a different ISN."""
    p = hs()
    p += [pk(1.5, "s", "SA", 0, 1, isn_s=424242),
          pk(1.6, "c", "A", 1, 1, isn_s=424242)]
    return p


@scen
def midstream_wfull():
    """no handshake: window full never detected (scale unknown)."""
    p = [pk(1.0, "s", "A", 1, 1, win=300),
         pk(1.01, "c", "A", 1, 1, 300),
         pk(1.02, "s", "A", 1, 301, win=300)]
    return p


@scen
def syn_retrans_irtt():
    """SYN retransmitted after 1 s: iRTT measured from the LAST SYN."""
    p = [pk(1.000, "c", "S", 0),
         pk(2.000, "c", "S", 0),
         pk(2.004, "s", "SA", 0, 1),
         pk(2.008, "c", "A", 1, 1),
         pk(2.100, "c", "A", 1, 1, 100),
         pk(2.101, "c", "A", 201, 1, 100),
         pk(2.106, "c", "A", 101, 1, 100)]   # 5 ms > iRTT 8 ms? no: 5<8
    return p


@scen
def fin_dup_fast():
    """FIN (no data) resent 1 ms later, no handshake (3 ms threshold):
    OOO test adds +1 for FIN, so this is a retransmission."""
    return [pk(1.000, "c", "A", 1, 1, 100),
            pk(1.010, "c", "FA", 101, 1),
            pk(1.011, "c", "FA", 101, 1),
            pk(1.020, "s", "A", 1, 102)]


@scen
def midstream_then_syn():
    """mid-stream traffic, then a SYN on the same 4-tuple -> new stream."""
    return [pk(1.000, "c", "PA", 50, 70, 10),
            pk(1.010, "s", "A", 70, 60),
            pk(2.000, "c", "S", 0),
            pk(2.010, "s", "SA", 0, 1),
            pk(2.020, "c", "A", 1, 1)]




# ---------------------------------------------------------------------------
# Extensions (not in tcp-experiments.py)
# ---------------------------------------------------------------------------
C6, S6 = "2001:db8::1", "2001:db8::2"


def to_v6(pkts):
    """Same segments over IPv6 (2001:db8::1 / ::2)."""
    out = []
    for p in pkts:
        ip = p[IP]
        c2s = ip.src == C_IP
        q = Ether(src=p[Ether].src, dst=p[Ether].dst) / IPv6(
            src=C6 if c2s else S6, dst=S6 if c2s else C6) / p[TCP].copy()
        q[TCP].chksum = None
        q.time = p.time
        out.append(q)
    return out


@scen
def v6_fast_retrans():
    """fast_retrans over IPv6."""
    return to_v6(fast_retrans())


@scen
def v6_zero_window():
    """zero_window over IPv6."""
    return to_v6(zero_window())


def _e(t, l3):
    p = Ether(src=MAC["c"], dst=MAC["s"]) / l3
    p.time = t
    return p


@scen
def icmp_errors():
    """ICMP/ICMPv6 errors quoting TCP headers.  tshark dissects the quoted
    TCP header (no analysis, absolute seq) and an error quoting a flow not
    seen before consumes a tcp.stream index; such packets are not TCP
    segments (no row)."""
    p = hs()                                            # stream 0
    seg = IP(src=C_IP, dst=S_IP, flags="DF") / TCP(
        sport=C_PORT, dport=S_PORT, flags="PA", seq=ISN_C + 1,
        ack=ISN_S + 1, window=1000) / Raw(b"x" * 1400)
    p.append(pk(1.10, "c", "PA", 1, 1, 1400))
    # router says: fragmentation needed, quoting the segment just sent
    p.append(_e(1.101, IP(src="192.0.2.254", dst=C_IP) /
                ICMP(type=3, code=4, nexthopmtu=1280) / raw(seg)[:48]))
    p.append(pk(1.11, "c", "A", 1, 1, 1200))
    p.append(pk(1.12, "c", "PA", 1201, 1, 200))
    p.append(pk(1.13, "s", "A", 1, 1401))
    # an error quoting a flow never seen before (192.0.2.1:40500 -> :443)
    other = IP(src=C_IP, dst=S_IP) / TCP(sport=40500, dport=443, flags="S",
                                         seq=123456, window=1000)
    p.append(_e(1.20, IP(src="192.0.2.254", dst=C_IP) /
                ICMP(type=3, code=1) / raw(other)[:28]))
    # ICMPv6 Packet Too Big and Destination Unreachable quoting TCP/IPv6
    seg6 = IPv6(src=C6, dst=S6) / TCP(sport=40600, dport=80, flags="PA",
                                      seq=777, ack=888, window=1000) / \
        Raw(b"y" * 1300)
    p.append(_e(1.30, IPv6(src="2001:db8::fe", dst=C6) /
                ICMPv6PacketTooBig(mtu=1280) / raw(seg6)[:1232]))
    p.append(_e(1.31, IPv6(src="2001:db8::fe", dst=C6) /
                ICMPv6DestUnreach(code=1) / raw(seg6)[:60]))
    # then a new connection (tshark: stream 2, dense order: stream 1)
    q = [pk(2.0, "c", "S", 0, sport=40001, isn_c=2000, isn_s=9000),
         pk(2.01, "s", "SA", 0, 1, sport=40001, isn_c=2000, isn_s=9000),
         pk(2.02, "c", "A", 1, 1, sport=40001, isn_c=2000, isn_s=9000)]
    return p + q


@scen
def tunnels():
    """one connection whose segments travel plain, in IP-in-IP, in GRE and
    (a second, IPv6 connection) in 6in4.  tshark files the inner TCP in the
    same conversation whatever the encapsulation."""
    def ipip(p, gre=False):
        outer = IP(src="192.0.2.100", dst="192.0.2.101")
        q = Ether(src=MAC["c"], dst=MAC["s"]) / outer / \
            (GRE() / p[IP] if gre else p[IP])
        q.time = p.time
        return q
    p = hs()
    p += [pk(1.02, "c", "PA", 1, 1, 100), pk(1.03, "s", "A", 1, 101),
          pk(1.04, "c", "PA", 101, 1, 100), pk(1.05, "s", "A", 1, 201),
          pk(1.06, "c", "PA", 201, 1, 100), pk(1.07, "s", "A", 1, 301),
          pk(1.30, "c", "PA", 201, 1, 100)]     # retransmission, tunnelled
    p[3] = ipip(p[3])                           # IP-in-IP
    p[4] = ipip(p[4], gre=True)                 # GRE
    p[7] = ipip(p[7])
    p[9] = ipip(p[9], gre=True)
    v6 = to_v6(hs(t0=2.0) + [pk(2.02, "c", "PA", 1, 1, 10),
                             pk(2.03, "s", "A", 1, 11)])
    for i, q in enumerate(v6):
        if i % 2:                               # 6in4 (IPv4 proto 41)
            r = Ether(src=MAC["c"], dst=MAC["s"]) / IP(
                src="192.0.2.100", dst="192.0.2.101") / q[IPv6]
            r.time = q.time
            v6[i] = r
    return p + v6


def write_pcap(path, linktype, recs, nano=False, snaplen=65535):
    """recs: (sec, frac, bytes, orig_len); frac in ns if nano else us."""
    magic = 0xa1b23c4d if nano else 0xa1b2c3d4
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen,
                            linktype))
        for sec, frac, b, orig in recs:
            f.write(struct.pack("<IIII", sec, frac, len(b), orig))
            f.write(b)


def time_order_nano(path):
    """nanosecond pcap: rounding of time to 6 decimals (half up on the ns
    integer) and timestamps that go backwards (negative relative time)."""
    pk_ = hs() + [pk(0, "c", "PA", 1, 1, 10), pk(0, "s", "A", 1, 11),
                  pk(0, "c", "PA", 11, 1, 10), pk(0, "s", "A", 1, 21),
                  pk(0, "c", "FA", 21, 1), pk(0, "s", "FA", 1, 22),
                  pk(0, "c", "A", 22, 2)]
    ns = [0, 500, 1499, 999999500, 1000000500, -1500, -500, -501,
          2000000000, 2999999999]
    base = 1700000000 * 10**9 + 123456789
    recs = []
    for p, d in zip(pk_, ns):
        t = base + d
        recs.append((t // 10**9, t % 10**9, raw(p), len(raw(p))))
    write_pcap(path, 1, recs, nano=True)


def truncated_headers(path):
    """the same data segment (TCP header 32 bytes: NOP NOP TS) cut at
    several capture lengths; a full handshake first.  Frames whose TCP
    header (th_off*4 bytes) is not completely captured get no row."""
    recs = []
    t = 1
    for p in hs():
        b = raw(p)
        recs.append((t, 0, b, len(b)))
        t += 1
    opts = [("NOP", None), ("NOP", None), ("Timestamp", (1, 2))]
    full = raw(Ether(src=MAC["c"], dst=MAC["s"]) / IP(src=C_IP, dst=S_IP) /
               TCP(sport=C_PORT, dport=S_PORT, flags="PA", seq=ISN_C + 1,
                   ack=ISN_S + 1, window=1000, options=opts) /
               Raw(b"q" * 100))
    for cut in (14 + 20 + 4, 14 + 20 + 13, 14 + 20 + 14, 14 + 20 + 16,
                14 + 20 + 19, 14 + 20 + 20, 14 + 20 + 25, 14 + 20 + 32,
                14 + 20 + 40, len(full)):
        recs.append((t, 0, full[:cut], len(full)))
        t += 1
    write_pcap(path, 1, recs, snaplen=65535)


def vlan_qinq(path):
    """basic() with an 802.1Q tag (VLAN 100) on client->server frames and
    802.1ad+802.1Q (QinQ, 200/100) on server->client frames."""
    out = []
    for p in basic():
        ip = p[IP]
        if ip.src == C_IP:
            q = Ether(src=MAC["c"], dst=MAC["s"]) / Dot1Q(vlan=100) / ip
        else:
            q = Ether(src=MAC["s"], dst=MAC["c"], type=0x88a8) / \
                Dot1AD(vlan=200, type=0x8100) / Dot1Q(vlan=100) / ip
        q.time = p.time
        out.append(q)
    wrpcap(path, out)


SPECIAL = {"time_order_nano": time_order_nano,
           "truncated_headers": truncated_headers,
           "vlan_qinq": vlan_qinq}


def main(argv):
    if not argv:
        sys.exit(__doc__)
    outdir = argv[0]
    os.makedirs(outdir, exist_ok=True)
    names = argv[1:] or (list(SCEN) + list(SPECIAL))
    for n in names:
        path = os.path.join(outdir, n + ".pcap")
        if n in SPECIAL:
            SPECIAL[n](path)
        else:
            wrpcap(path, SCEN[n]())


if __name__ == "__main__":
    main(sys.argv[1:])
