#!/usr/bin/python3
"""Captures of TCP inside tunnels and on other link types: tests/data/encap.

Each file carries the same small exchange (synth.py's fast_retrans: a
handshake, data, duplicate ACKs and a fast retransmission; over IPv6 for
Teredo) wrapped in one encapsulation, so tshark's analysis of the inner TCP
can be compared with tcpladder's (tests/agreement.sh).  Tunnels follow
tshark's default UDP ports (the tunnel port is the lower one, as tshark
tries it first).  A few files mix encapsulations within one connection, nest
them, or hold packets tcpladder must count instead of showing.

Usage:  /usr/bin/python3 encaps.py OUTDIR [name ...]
Deterministic: the same bytes every run.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402
from scapy.all import (Ether, IP, IPv6, UDP, GRE, Raw, raw, Dot1Q,  # noqa: E402
                       IPv6ExtHdrHopByHop, PadN)
from scapy.layers.vxlan import VXLAN  # noqa: E402
from scapy.contrib.geneve import GENEVE  # noqa: E402
from scapy.contrib.gtp import GTP_U_Header, GTPPDUSessionContainer  # noqa: E402
from scapy.contrib.mpls import MPLS  # noqa: E402
from scapy.layers.ppp import PPP, PPPoE, HDLC  # noqa: E402
from scapy.layers.l2tp import L2TP  # noqa: E402
from scapy.contrib.erspan import ERSPAN_I, ERSPAN_II, ERSPAN_III  # noqa: E402

O_C, O_S = "198.51.100.1", "198.51.100.2"
O6_C, O6_S = "2001:db8:ffff::1", "2001:db8:ffff::2"
MAC = synth.MAC


def base():
    return synth.fast_retrans()


def base6():
    return synth.to_v6(synth.fast_retrans())


def inner_ip(p):
    return p[IP] if IP in p else p[IPv6]


def c2s(p):
    ip = inner_ip(p)
    return ip.src in (synth.C_IP, synth.C6)


def outer(p, payload, v6=False):
    """Ethernet + outer IP (direction as the inner packet's) + payload."""
    up = c2s(p)
    if v6:
        o = IPv6(src=O6_C if up else O6_S, dst=O6_S if up else O6_C)
    else:
        o = IP(src=O_C if up else O_S, dst=O_S if up else O_C)
    q = Ether(src=MAC["c" if up else "s"], dst=MAC["s" if up else "c"]) / \
        o / payload
    q.time = p.time
    return q


def inner_eth(p):
    up = c2s(p)
    return Ether(src="02:00:00:00:01:01" if up else "02:00:00:00:01:02",
                 dst="02:00:00:00:01:02" if up else "02:00:00:00:01:01") / \
        inner_ip(p)


def udp(port, payload):
    return UDP(sport=50000, dport=port) / payload


# ---- UDP tunnels ---------------------------------------------------------

def vxlan(p):
    return outer(p, udp(4789, VXLAN(vni=42) / inner_eth(p)))


def vxlan_gpe(p):
    ip = inner_ip(p)
    nxt = 1 if IP in p else 2
    hdr = bytes([0x0c, 0, 0, nxt, 0, 0, 42, 0])
    return outer(p, udp(4790, Raw(hdr + raw(ip))))


def geneve(p):
    # with 8 bytes of options (one TLV) to skip
    opt = bytes([0x01, 0x02, 0x03, 0x01, 0xde, 0xad, 0xbe, 0xef])
    g = GENEVE(vni=7, proto=0x6558, optionlen=2) / Raw(opt) / inner_eth(p)
    return outer(p, udp(6081, g))


def gtpu(p):
    # every other packet with a PDU session container extension header
    if int(p.time * 100) % 2:
        g = GTP_U_Header(teid=0x1234, E=1, next_ex=0x85) / \
            GTPPDUSessionContainer(type=0, QFI=9) / inner_ip(p)
    else:
        g = GTP_U_Header(teid=0x1234) / inner_ip(p)
    return outer(p, udp(2152, g))


def gre_udp(p):
    return outer(p, udp(4754, GRE(proto=0x0800) / inner_ip(p)))


def teredo(p):
    # IPv6 inside; origin indication on packets to the client
    body = raw(inner_ip(p))
    if not c2s(p):
        body = bytes([0, 0, 0x9c, 0x40, 0x3f, 0x57, 0xfe, 0xfd]) + body
    return outer(p, UDP(sport=50000, dport=3544) / Raw(body))


def ayiya(p):
    ip = inner_ip(p)
    nh = 4 if IP in p else 41
    # identity 16 bytes (idlen 4), signature 20 bytes (siglen 5), forward
    hdr = bytes([0x42, 0x52, 0x11, nh]) + struct.pack(">I", 1700000000)
    return outer(p, udp(5072, Raw(hdr + b"\x11" * 16 + b"\x22" * 20 +
                                  raw(ip))))


def l2tp(p):
    return outer(p, udp(1701, L2TP(tunnel_id=1, session_id=2) /
                        PPP(proto=0x0021) / inner_ip(p)))


def lisp(p):
    hdr = bytes([0x88, 0, 0, 0x01, 0, 0, 0x10, 0])
    return outer(p, udp(4341, Raw(hdr + raw(inner_ip(p)))))


def mpls_udp(p):
    return outer(p, udp(6635, MPLS(label=100, s=1, ttl=64) / inner_ip(p)))


def _capwap_header(hlen, native, radio_mac=b""):
    """CAPWAP data header: preamble 0, HLEN words, binding 1 (802.11),
    T (native frame) and M (a radio MAC address follows) as given."""
    w = (hlen << 19) | (1 << 9) | (0x100 if native else 0) | \
        (0x10 if radio_mac else 0)
    return struct.pack(">IHH", w, 0, 0) + radio_mac


def capwap(p):
    # an 802.3 frame; every other packet with a radio MAC address (padded)
    mac = b"\x06\x02\x00\x00\x00\x09\x09\x00" if int(p.time * 100) % 2 \
        else b""
    hdr = _capwap_header(4 if mac else 2, False, mac)
    return outer(p, udp(5247, Raw(hdr + raw(inner_eth(p)))))


def capwap_wifi(p):
    # a native 802.11 data frame, its frame-control bytes swapped (as
    # tshark reads CAPWAP by default), LLC/SNAP then IPv4
    up = c2s(p)
    fc = bytes([0x01 if up else 0x02, 0x08])
    hdr = fc + b"\x00\x00" + b"\x02\x00\x00\x00\x02\x02" + \
        b"\x02\x00\x00\x00\x01\x01" + b"\x02\x00\x00\x00\x03\x03" + b"\x00\x00"
    llc = b"\xaa\xaa\x03\x00\x00\x00\x08\x00"
    return outer(p, udp(5247, Raw(_capwap_header(2, True) + hdr + llc +
                                  raw(inner_ip(p)))))


def l2tpv3_ip(p):
    # L2TPv3 over IP (protocol 115), session 0x1234, Ethernet pseudowire:
    # tshark 4.0 shows the payload as data (no control session says the
    # pseudowire type), so neither reads the TCP inside
    body = struct.pack(">I", 0x1234) + raw(inner_eth(p))
    return _with_proto(outer(p, Raw(body)), 115)


def l2tpv3_udp(p):
    # the same over UDP 1701 (version 3 data message): data to tshark too
    body = struct.pack(">HHI", 0x0003, 0, 0x1234) + raw(inner_eth(p))
    return outer(p, UDP(sport=1701, dport=1701) / Raw(body))


# ---- GRE -----------------------------------------------------------------

def gre_teb(p):
    return outer(p, GRE(proto=0x6558, key_present=1, key=5) / inner_eth(p))


def gre_flags(p):
    # checksum, key and sequence number all present
    return outer(p, GRE(proto=0x0800, chksum_present=1, key_present=1,
                        seqnum_present=1, key=9, seqence_number=3) /
                 inner_ip(p))


def erspan1(p):
    return outer(p, GRE(proto=0x88be) / ERSPAN_I() / inner_eth(p))


def erspan2(p):
    return outer(p, GRE(proto=0x88be, seqnum_present=1) /
                 ERSPAN_II(ver=1, session_id=3) / inner_eth(p))


def erspan3(p):
    return outer(p, GRE(proto=0x22eb, seqnum_present=1) /
                 ERSPAN_III(session_id=3) / inner_eth(p))


def gre_mpls(p):
    return outer(p, GRE(proto=0x8847) / MPLS(label=16, s=0) /
                 MPLS(label=17, s=1) / inner_ip(p))


def gre_ppp(p):
    return outer(p, GRE(proto=0x880b) / PPP(proto=0x0021) / inner_ip(p))


def pptp(p):
    # enhanced GRE (version 1): key (length + call id), sequence number
    body = raw(inner_ip(p))
    ppp = bytes([0xff, 0x03, 0x00, 0x21]) + body
    hdr = struct.pack(">HHHHI", 0x3001, 0x880b, len(ppp), 7, 1)
    return _with_proto(outer(p, Raw(hdr + ppp)), 47)


def gre_aruba(p):
    # 802.11 data frame (no FCS) with LLC/SNAP, GRE type 0x8210
    up = c2s(p)
    fc = bytes([0x08, 0x01 if up else 0x02])
    hdr = fc + b"\x00\x00" + b"\x02\x00\x00\x00\x02\x02" + \
        b"\x02\x00\x00\x00\x01\x01" + b"\x02\x00\x00\x00\x03\x03" + b"\x00\x00"
    llc = b"\xaa\xaa\x03\x00\x00\x00\x08\x00"
    return _with_proto(outer(p, GRE(proto=0x8210) /
                             Raw(hdr + llc + raw(inner_ip(p)))), 47)


def _with_proto(q, proto):
    q[IP].proto = proto
    return q


# ---- nesting and mixes ---------------------------------------------------

def nested(p):
    """VXLAN inside GRE inside IPv6 inside MPLS over VLAN."""
    vx = IP(src="203.0.113.1", dst="203.0.113.2") / \
        udp(4789, VXLAN(vni=1) / inner_eth(p))
    gre = IPv6(src=O6_C, dst=O6_S) / GRE(proto=0x0800) / vx
    q = Ether(src=MAC["c"], dst=MAC["s"]) / Dot1Q(vlan=10, type=0x8847) / \
        MPLS(label=30, s=1) / gre
    q.time = p.time
    return q


def mixed(pkts):
    """One connection whose packets take a different road each time."""
    roads = [lambda p: p, vxlan, gre_teb, geneve, gtpu, erspan2, mpls_udp]
    return [roads[i % len(roads)](p) for i, p in enumerate(pkts)]


def unknown_gre(p):
    # a GRE payload type nobody reads (0x88b6): counted, not shown
    return outer(p, GRE(proto=0x88b6) / inner_eth(p))


def deep_ipip(n):
    """n nested IPv4 headers around each segment (raw bytes: Scapy
    recurses once per layer)."""
    def wrap(p):
        b = raw(inner_ip(p))
        for _ in range(n - 1):
            h = bytearray(raw(IP(src=O_C, dst=O_S, proto=4,
                                 len=20 + len(b)))[:20])
            b = bytes(h) + b
        q = Ether(raw(Ether(src=MAC["c"], dst=MAC["s"], type=0x0800)) + b)
        q.time = p.time
        return q
    return wrap


def ext_chain(p):
    """IPv6 with 200 destination options headers before TCP."""
    ip = inner_ip(p)
    tcp = raw(ip.payload)
    ext = b""
    for i in range(200):
        ext += bytes([60 if i < 199 else 6, 0, 1, 4, 0, 0, 0, 0])
    h = bytearray(raw(IPv6(src=ip.src, dst=ip.dst, nh=60,
                           plen=len(ext) + len(tcp)))[:40])
    q = Ether(raw(Ether(src=MAC["c"], dst=MAC["s"], type=0x86dd)) +
              bytes(h) + ext + tcp)
    q.time = p.time
    return q


# ---- link types ----------------------------------------------------------

def write_linktype(path, linktype, pkts, frame):
    recs = []
    for p in pkts:
        b = frame(p)
        t = int(round(float(p.time) * 1000000))
        recs.append((t // 1000000, t % 1000000, b, len(b)))
    synth.write_pcap(path, linktype, recs)


def link_files(outdir):
    ip = lambda p: raw(inner_ip(p))  # noqa: E731
    files = {
        # DLT_PPP: address/control, protocol
        "link_ppp": (9, lambda p: b"\xff\x03\x00\x21" + ip(p)),
        # DLT_PPP_SERIAL: PPP in HDLC framing, and Cisco HDLC in it
        "link_ppp_serial": (50, lambda p: (b"\xff\x03\x00\x21" if c2s(p)
                                           else b"\x0f\x00\x08\x00") + ip(p)),
        # DLT_C_HDLC
        "link_chdlc": (104, lambda p: b"\x0f\x00\x08\x00" + ip(p)),
        # DLT_NFLOG: family, version, resource id; TLVs (LE): prefix,
        # hardware header length, then the payload
        "link_nflog": (239, lambda p: b"\x02\x00\x00\x01" +
                       struct.pack("<HH", 8, 10) + b"tl\x00\x00" +
                       struct.pack("<HH", 4 + len(ip(p)), 9) + ip(p) +
                       b"\x00" * ((4 - len(ip(p)) % 4) % 4)),
        # DLT_IPOIB: 40-byte address header (unicast: zeros first),
        # ethertype, reserved
        "link_ipoib": (242, lambda p: b"\x00" * 40 + b"\x08\x00\x00\x00" +
                       ip(p)),
        # DLT_ARCNET_LINUX: src, dst, offset, RFC 1201 IP, split, seq
        "link_arcnet_linux": (129, lambda p: b"\x01\x02\x00\x00\xd4\x00"
                              b"\x00\x01" + ip(p)),
        # DLT_ARCNET (BSD): src, dst, RFC 1051 IP
        "link_arcnet": (7, lambda p: b"\x01\x02\xf0" + ip(p)),
        # DLT_FDDI: frame control, addresses, LLC/SNAP
        "link_fddi": (10, lambda p: b"\x50" + b"\x02" * 6 + b"\x04" * 6 +
                      b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + ip(p)),
        # DLT_IEEE802 (Token Ring): AC, FC, addresses, LLC/SNAP
        "link_token_ring": (6, lambda p: b"\x10\x40" + b"\x02" * 6 +
                            b"\x04" * 6 +
                            b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + ip(p)),
    }
    for name, (lt, fn) in files.items():
        write_linktype(os.path.join(outdir, name + ".pcap"), lt, base(), fn)


def pppoe_padding(pkts):
    """PPPoE sessions: short frames padded to 60 bytes; the PPPoE length
    says where the IP packet ends (tshark honours it)."""
    out = []
    for p in pkts:
        up = c2s(p)
        b = raw(Ether(src=MAC["c" if up else "s"],
                      dst=MAC["s" if up else "c"]) /
                PPPoE(sessionid=0x11) / PPP(proto=0x0021) / inner_ip(p))
        b = b + b"\x00" * max(0, 60 - len(b))
        q = Ether(b)
        q.time = p.time
        out.append(q)
    return out


def wrap_all(fn, pkts=None):
    return [fn(p) for p in (pkts if pkts is not None else base())]


TUNNELS = {
    "udp_vxlan": vxlan, "udp_vxlan_gpe": vxlan_gpe, "udp_geneve": geneve,
    "udp_gtpu": gtpu, "udp_gre": gre_udp, "udp_ayiya": ayiya,
    "udp_l2tp": l2tp, "udp_lisp": lisp, "udp_mpls": mpls_udp,
    "gre_teb": gre_teb, "gre_flags": gre_flags, "gre_erspan1": erspan1,
    "gre_erspan2": erspan2, "gre_erspan3": erspan3, "gre_mpls": gre_mpls,
    "gre_ppp": gre_ppp, "gre_pptp": pptp, "gre_aruba": gre_aruba,
    "nested_vxlan_gre_mpls": nested,
    "udp_capwap": capwap, "udp_capwap_wifi": capwap_wifi,
    "l2tpv3_ip_data": l2tpv3_ip, "udp_l2tpv3_data": l2tpv3_udp,
}


def jumbogram():
    """RFC 2675: a payload length of 0 and a Jumbo Payload option; tshark
    gives tcp.len 69960, past the 16 bits of a plain IPv6 length."""
    from scapy.all import (Ether, IPv6, IPv6ExtHdrHopByHop, Jumbo, Raw,
                           TCP)
    a, b = "2001:db8::1", "2001:db8::2"
    syn = Ether() / IPv6(src=a, dst=b) / TCP(sport=40000, dport=80,
                                             flags="S", seq=999)
    tcp = TCP(sport=40000, dport=80, flags="PA", seq=1000, ack=1,
              window=1000) / Raw(b"x" * 69960)
    hbh = IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=len(bytes(tcp)) + 8)])
    big = Ether() / IPv6(src=a, dst=b, plen=0) / hbh / tcp
    syn.time, big.time = 0.0, 0.001
    return [syn, big]


def main(argv):
    if not argv:
        sys.exit(__doc__)
    outdir = argv[0]
    os.makedirs(outdir, exist_ok=True)
    from scapy.all import wrpcap
    for name, fn in TUNNELS.items():
        wrpcap(os.path.join(outdir, name + ".pcap"), wrap_all(fn))
    wrpcap(os.path.join(outdir, "udp_teredo.pcap"), wrap_all(teredo, base6()))
    wrpcap(os.path.join(outdir, "mixed_roads.pcap"), mixed(base()))
    wrpcap(os.path.join(outdir, "ipip_60deep.pcap"),
           wrap_all(deep_ipip(60)))
    wrpcap(os.path.join(outdir, "ipv6_200_ext.pcap"),
           wrap_all(ext_chain, base6()))
    wrpcap(os.path.join(outdir, "ipv6_jumbogram.pcap"), jumbogram(),
           snaplen=262144)
    wrpcap(os.path.join(outdir, "pppoe_padding.pcap"),
           pppoe_padding(base()))
    link_files(outdir)
    write_fragments(outdir)
    # counted, not shown: a GRE payload type nobody reads, nesting past
    # tshark's 500 layers (every other packet)
    wrpcap(os.path.join(outdir, "unread_gre_type.pcap"),
           wrap_all(unknown_gre))
    deep = deep_ipip(600)
    wrpcap(os.path.join(outdir, "unread_too_deep.pcap"),
           [deep(p) if i % 2 else p for i, p in enumerate(base())])



# ---- fragments -----------------------------------------------------------

def fragments(v6=False):
    """fast_retrans with every data segment sent in IP fragments (IPv6:
    fragment headers): in order, reversed, and one datagram whose last
    fragment never comes (counted, not shown).  tshark reassembles and
    shows the segment on the frame that completes it."""
    from scapy.all import fragment, IPv6ExtHdrFragment, fragment6
    pkts = base6() if v6 else base()
    out = []
    for i, p in enumerate(pkts):
        ip = inner_ip(p)
        if len(ip.payload) <= 20 + 0:
            out.append(p)
            continue
        eth = Ether(src=p[Ether].src, dst=p[Ether].dst)
        if v6:
            frs = fragment6(IPv6(raw(ip.__class__(src=ip.src, dst=ip.dst) /
                                     IPv6ExtHdrFragment(id=0x1000 + i) /
                                     ip.payload)), 80)
        else:
            q = ip.copy()
            q.id = 0x1000 + i
            q.flags = 0
            frs = fragment(q, fragsize=48)
        if i % 3 == 1:
            frs = list(reversed(frs))
        for k, fr in enumerate(frs):
            e = eth / fr
            e.time = p.time + k * 0.0001
            out.append(e)
    # a datagram whose last piece never comes
    ip = inner_ip(pkts[4]).copy()
    if v6:
        frs = fragment6(IPv6(raw(IPv6(src=ip.src, dst=ip.dst) /
                                 IPv6ExtHdrFragment(id=0x9999) /
                                 ip.payload)), 80)
    else:
        ip.id = 0x9999
        frs = fragment(ip, fragsize=48)
    for k, fr in enumerate(frs[:-1]):
        e = Ether(src=MAC["c"], dst=MAC["s"]) / fr
        e.time = pkts[-1].time + 1 + k * 0.001
        out.append(e)
    return out


def write_fragments(outdir):
    from scapy.all import wrpcap
    wrpcap(os.path.join(outdir, "frag_ipv4.pcap"), fragments())
    wrpcap(os.path.join(outdir, "frag_ipv6.pcap"), fragments(v6=True))
    # GRE whose outer IPv4 datagrams are fragmented: the tunnel is read
    # once whole
    out = []
    from scapy.all import fragment
    for i, p in enumerate(base()):
        q = gre_teb(p)
        o = q[IP].copy()
        o.id = 0x2000 + i
        frs = fragment(o, fragsize=48) if len(o) > 100 else [o]
        for k, fr in enumerate(frs):
            e = Ether(src=q[Ether].src, dst=q[Ether].dst) / fr
            e.time = p.time + k * 0.0001
            out.append(e)
    wrpcap(os.path.join(outdir, "frag_gre_outer.pcap"), out)


if __name__ == "__main__":
    main(sys.argv[1:])
