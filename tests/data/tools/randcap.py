#!/usr/bin/python3
"""Random but realistic TCP captures for differential testing against tshark.

Usage:  /usr/bin/python3 randcap.py SEED OUTFILE [--plain]

One seed, one capture, the same bytes every run.  A capture holds one to
four connections (IPv4 or IPv6, sometimes reusing ports), each a
conversation with a random life: handshake or not, data both ways, loss,
reordering, duplicates, keep-alives, zero windows and probes, window
updates, SACK after loss, FIN/RST in various places, urgent data, ECN,
reserved bits, bad checksums, sequence numbers about to wrap, time gaps and
timestamps out of order.  TCP options come in random orders and odd
combinations (NOP, EOL, unknown kinds, bad lengths, MSS, window scale,
SACK_PERM, SACK with 1-4 blocks, timestamps, TFO, MPTCP-like kinds).

Every packet is then wrapped in an encapsulation chosen per capture (or per
interface of a pcapng): Ethernet, VLAN/QinQ, MPLS, PPPoE, Linux cooked v1/
v2, raw IP, null/loopback in both byte orders, PPP, Cisco HDLC, NFLOG, IPoIB,
or a tunnel of encaps.py; some IPv4 packets are fragmented; ICMP errors
quote some segments; a snap length may cut packets.  The file is pcap
(microseconds or nanoseconds, either byte order) or pcapng (several
interfaces with their own link type and timestamp resolution, sometimes
several sections).  --plain: Ethernet, pcap, no fragments, ICMP or cuts.

The TCP header is built byte by byte here (Scapy would fix what we break on
purpose); the checksum is right unless the seed chose to break it.
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scapy.all import (Ether, IP, IPv6, ICMP, ICMPv6DestUnreach,  # noqa: E402
                       ICMPv6PacketTooBig, Raw, raw, Dot1Q, Dot1AD, fragment)
from scapy.contrib.mpls import MPLS  # noqa: E402
from scapy.layers.ppp import PPPoE, PPP  # noqa: E402
import encaps  # noqa: E402


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def inet6(a):
    import socket
    return socket.inet_pton(socket.AF_INET6, a)


def inet4(a):
    import socket
    return socket.inet_aton(a)


class Opts:
    """Random TCP options, as bytes (a multiple of 4, at most 40)."""

    def __init__(self, rng):
        self.r = rng

    def one(self, kind, ctx):
        r = self.r
        if kind == "nop":
            return b"\x01"
        if kind == "eol":
            return b"\x00"
        if kind == "mss":
            return struct.pack("!BBH", 2, 4, r.choice([536, 1220, 1380, 1460,
                                                      8960, 65535, 0]))
        if kind == "ws":
            return struct.pack("!BBB", 3, 3, r.choice([0, 1, 2, 7, 8, 14, 15]))
        if kind == "sackp":
            return b"\x04\x02"
        if kind == "sack":
            n = r.randint(1, 4)
            le = ctx.get("ack", 0)
            b = b""
            for _ in range(n):
                le = (le + r.randint(1, 3000)) & 0xffffffff
                re = (le + r.randint(1, 3000)) & 0xffffffff
                b += struct.pack("!II", le, re)
                le = re
            return bytes([5, 2 + len(b)]) + b
        if kind == "ts":
            return struct.pack("!BBII", 8, 10, ctx.get("tsval", 1000),
                               ctx.get("tsecr", 0))
        if kind == "tfo":
            ln = r.choice([2, 6, 10, 18])
            return bytes([34, ln]) + bytes(r.randrange(256)
                                           for _ in range(ln - 2))
        if kind == "mptcp":
            sub = r.choice([0, 1, 2, 3, 4, 5])
            ln = r.choice([4, 8, 12, 16, 20])
            return bytes([30, ln, sub << 4, 0]) + b"\x11" * (ln - 4)
        if kind == "unknown":
            k = r.choice([6, 7, 9, 14, 15, 19, 27, 28, 29, 69, 99, 253, 254])
            ln = r.choice([2, 3, 4, 6, 8])
            return bytes([k, ln]) + b"\x22" * (ln - 2)
        if kind == "badlen":
            k = r.choice([2, 3, 5, 8, 4, 99, 34])
            ln = r.choice([0, 1, 3, 7, 41, 255])
            return bytes([k, ln]) + b"\x33" * r.randint(0, 4)
        raise ValueError(kind)

    def build(self, ctx, syn):
        r = self.r
        if r.random() < 0.25:
            kinds = []
        elif syn:
            kinds = ["mss", "sackp", "ts", "nop", "ws"]
            r.shuffle(kinds)
            kinds = kinds[:r.randint(1, 5)]
            if r.random() < 0.15:
                kinds.append(r.choice(["tfo", "mptcp", "unknown", "eol"]))
        else:
            kinds = []
            if ctx.get("use_ts"):
                kinds += ["nop", "nop", "ts"]
            if ctx.get("sack") and r.random() < 0.7:
                kinds += ["nop", "nop", "sack"]
        if r.random() < 0.08:
            kinds.insert(r.randint(0, len(kinds)),
                         r.choice(["unknown", "badlen", "eol", "nop", "mptcp",
                                   "ws", "mss", "sackp"]))
        b = b""
        for k in kinds:
            o = self.one(k, ctx)
            if len(b) + len(o) > 40:
                continue
            b += o
        pad = b"\x00" if r.random() < 0.5 else b"\x01"
        b += pad * ((4 - len(b) % 4) % 4)
        return b[:40]


class Conn:
    def __init__(self, rng, idx, v6, sport, dport, t0):
        self.r = rng
        self.v6 = v6
        if v6:
            self.a = ("2001:db8:%x::%x" % (idx, 1), "2001:db8:%x::%x" % (idx, 2))
        else:
            self.a = ("192.0.2.%d" % (10 + idx * 2), "192.0.2.%d" % (11 + idx * 2))
        self.port = (sport, dport)
        wrap = rng.random() < 0.3
        self.isn = [rng.randrange(1 << 32) if not wrap else
                    (1 << 32) - rng.randint(1, 5000) for _ in range(2)]
        self.nxt = [0, 0]     # relative next seq per side (0 = the SYN)
        self.rcv = [0, 0]     # what each side acknowledges (relative)
        self.win = [rng.choice([0xffff, 29200, 8192, 1000, 512, 65535]),
                    rng.choice([0xffff, 28960, 4096, 1000, 65535])]
        self.ws = [None, None]
        self.t = t0
        self.ts = [rng.randrange(1 << 32), rng.randrange(1 << 32)]
        self.use_ts = rng.random() < 0.5
        self.sack = rng.random() < 0.5
        self.mss = rng.choice([100, 536, 1000, 1460])
        self.ipid = [rng.randrange(65536), rng.randrange(65536)]
        self.hlim = [rng.choice([64, 128, 255, 1]), rng.choice([64, 57, 128])]
        self.flow = rng.choice([0, 0, 0x12345, 0xfffff])
        self.opts = Opts(rng)
        self.out = []

    def seg(self, d, flags, seq=None, ln=0, ack=None, win=None, urg=0,
            opts=None, res=0, badsum=False, dt=None):
        r = self.r
        self.t += dt if dt is not None else r.choice(
            [0.0, 0.000001, 0.0001, 0.001, 0.01, 0.05, 0.2])
        if seq is None:
            seq = self.nxt[d]
        if ack is None:
            ack = self.rcv[d]
        if win is None:
            win = self.win[d]
        syn = "S" in flags
        ctx = {"ack": (self.isn[1 - d] + ack) & 0xffffffff,
               "tsval": self.ts[d], "tsecr": self.ts[1 - d] if not
               (syn and "A" not in flags) else 0,
               "use_ts": self.use_ts, "sack": self.sack}
        self.ts[d] = (self.ts[d] + r.randint(0, 3)) & 0xffffffff
        if opts is None:
            opts = self.opts.build(ctx, syn)
        fl = 0
        for c, v in zip("FSRPAUEC", (1, 2, 4, 8, 16, 32, 64, 128)):
            if c in flags:
                fl |= v
        fl |= (res & 0xf) << 8
        hl = 20 + len(opts)
        payload = bytes((0x41 + (i % 26)) for i in range(ln))
        if ln and r.random() < 0.1:
            payload = (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 100)[:ln]
        sp, dp = self.port if d == 0 else self.port[::-1]
        a_seq = (self.isn[d] + seq) & 0xffffffff
        a_ack = (self.isn[1 - d] + ack) & 0xffffffff if "A" in flags else \
            (r.randrange(1 << 32) if r.random() < 0.1 else 0)
        hdr = struct.pack("!HHIIHHHH", sp, dp, a_seq, a_ack,
                          ((hl // 4) << 12) | fl, win & 0xffff, 0, urg)
        seg = hdr + opts + payload
        src, dst = self.a if d == 0 else self.a[::-1]
        if self.v6:
            ph = inet6(src) + inet6(dst) + struct.pack("!IxxxB", len(seg), 6)
        else:
            ph = inet4(src) + inet4(dst) + struct.pack("!xBH", 6, len(seg))
        c = csum(ph + seg)
        if badsum:
            c = (c + 1 + r.randrange(0xfffe)) & 0xffff
        seg = seg[:16] + struct.pack("!H", c) + seg[18:]
        if self.v6:
            ip = IPv6(src=src, dst=dst, nh=6, hlim=self.hlim[d], fl=self.flow)
        else:
            self.ipid[d] = (self.ipid[d] + 1) & 0xffff
            ip = IP(src=src, dst=dst, proto=6, ttl=self.hlim[d],
                    id=self.ipid[d], flags=r.choice(["DF", "DF", "", "DF"]),
                    tos=r.choice([0, 0, 0, 1, 2, 3, 0xb8]))
        p = ip / Raw(seg)
        p.time = self.t
        p.dir = d
        self.out.append(p)
        return p

    # ---- a conversation ------------------------------------------------
    def life(self, nsteps):
        r = self.r
        if r.random() < 0.85:
            self.handshake()
        else:
            self.nxt = [1, 1]
            self.rcv = [1, 1]
        held = []
        fin = [False, False]
        for _ in range(nsteps):
            ev = r.random()
            d = 0 if r.random() < 0.6 else 1
            if fin[d]:
                d = 1 - d
            if fin[d]:
                break
            if ev < 0.45:
                self.data(d)
            elif ev < 0.52:      # loss: the segment never appears
                ln = self.pick_len(d)
                self.nxt[d] += ln
                held.append((d, self.nxt[d] - ln, ln))
            elif ev < 0.60 and held:   # retransmission of a lost one
                hd, s, ln = held.pop(0)
                self.seg(hd, "A" + r.choice(["", "P"]), seq=s, ln=ln,
                         dt=r.choice([0.2, 0.0005, 1.0]))
                self.rcv[1 - hd] = max(self.rcv[1 - hd], self.nxt[hd])
            elif ev < 0.64 and len(self.out) > 2:   # reorder the last two
                a, b = self.out[-1], self.out[-2]
                self.out[-1], self.out[-2] = b, a
                if r.random() < 0.5:
                    a.time, b.time = b.time, a.time
            elif ev < 0.68 and self.out:    # duplicate
                p = self.out[-1].copy()
                p.dir = self.out[-1].dir
                self.t += 0.00001
                p.time = self.t
                self.out.append(p)
            elif ev < 0.72:      # keep-alive and its ACK
                self.seg(d, "A", seq=self.nxt[d] - 1,
                         ln=r.choice([0, 1]), dt=r.choice([1.0, 7.5, 45.0]))
                self.seg(1 - d, "A")
            elif ev < 0.76:      # zero window, probe, window update
                self.seg(1 - d, "A", win=0)
                if r.random() < 0.7:
                    self.seg(d, "A", ln=1, dt=0.2)
                    if r.random() < 0.5:
                        self.nxt[d] += 1
                        self.rcv[1 - d] = self.nxt[d]
                    self.seg(1 - d, "A", win=0)
                self.seg(1 - d, "A", win=self.win[1 - d])
            elif ev < 0.79:      # window change
                self.win[d] = r.choice([0, 1, 100, 0xffff, self.win[d] * 2 &
                                        0xffff, self.win[d] // 2])
                self.seg(d, "A")
            elif ev < 0.83:      # duplicate ACKs
                for _ in range(r.randint(1, 4)):
                    self.seg(d, "A", dt=0.0001)
            elif ev < 0.85:      # urgent data
                ln = self.pick_len(d)
                self.seg(d, "APU", ln=ln, urg=r.choice([1, ln, 0, 65535]))
                self.nxt[d] += ln
                self.rcv[1 - d] = self.nxt[d]
            elif ev < 0.87:      # ECN / reserved bits / bad checksum
                ln = self.pick_len(d)
                self.seg(d, "A" + r.choice(["E", "C", "EC", "", "P"]), ln=ln,
                         res=r.choice([0, 1, 2, 8, 0xf]),
                         badsum=r.random() < 0.5)
                self.nxt[d] += ln
                self.rcv[1 - d] = self.nxt[d]
            elif ev < 0.89:      # ACK of data not seen / ack going back
                self.seg(d, "A", ack=self.rcv[d] + r.choice([-100, 5000, 1]))
            elif ev < 0.90:      # a time gap or a time going back
                self.t += r.choice([-0.5, -0.001, 3600.0, 86400.0 * 3])
            elif ev < 0.93:      # FIN
                ln = self.pick_len(d) if r.random() < 0.3 else 0
                self.seg(d, "FA" + ("P" if ln else ""), ln=ln)
                self.nxt[d] += ln + 1
                fin[d] = True
                self.rcv[1 - d] = self.nxt[d]
                if r.random() < 0.6:
                    self.seg(1 - d, "A")
            elif ev < 0.95:      # RST (with or without ACK), maybe the end
                self.seg(d, r.choice(["R", "RA"]),
                         seq=self.nxt[d] + r.choice([0, 0, 10, -1]))
                if r.random() < 0.5:
                    return
            else:
                self.data(d, big=True)
        for d in (0, 1):
            if r.random() < 0.5 and not fin[d]:
                self.seg(d, "FA")
                self.nxt[d] += 1
                self.rcv[1 - d] = self.nxt[d]
                self.seg(1 - d, "A")

    def handshake(self):
        r = self.r
        self.seg(0, "S" + r.choice(["", "", "", "EC"]), seq=0, ack=0)
        if r.random() < 0.15:       # SYN retransmitted
            self.seg(0, "S", seq=0, ack=0, dt=1.0)
        if r.random() < 0.05:       # SYN with data
            pass
        self.nxt[0] = 1
        self.rcv[1] = 1
        self.seg(1, "SA" + r.choice(["", "", "E"]), seq=0)
        self.nxt[1] = 1
        self.rcv[0] = 1
        if r.random() < 0.1:        # SYN/ACK retransmitted
            self.seg(1, "SA", seq=0, dt=1.0)
        self.seg(0, "A")

    def pick_len(self, d):
        r = self.r
        return r.choice([1, 10, 100, self.mss, self.mss, self.mss,
                         r.randint(1, self.mss)])

    def data(self, d, big=False):
        r = self.r
        for _ in range(r.randint(1, 8 if big else 3)):
            ln = self.pick_len(d)
            self.seg(d, "A" + ("P" if r.random() < 0.4 else ""), ln=ln)
            self.nxt[d] += ln
        self.rcv[1 - d] = self.nxt[d]
        if r.random() < 0.8:
            self.seg(1 - d, "A")


# ---- links --------------------------------------------------------------
MAC_C, MAC_S = "02:00:00:00:00:01", "02:00:00:00:00:02"


def eth(p, up):
    return Ether(src=MAC_C if up else MAC_S, dst=MAC_S if up else MAC_C)


def ethertype(p):
    return 0x86dd if IPv6 in p else 0x0800


def l3(p):
    return p[IP] if IP in p and (IPv6 not in p or
                                  p.getlayer(IP) is p) else p


def link(name, p, up):
    """(linktype, bytes) of the IP packet p on link `name`."""
    ipb = raw(p)
    et = 0x86dd if isinstance(p, IPv6) else 0x0800
    af_bsd = 24 if et == 0x86dd else 2
    if name == "ether":
        return 1, raw(eth(p, up) / p)
    if name == "vlan":
        return 1, raw(eth(p, up) / Dot1Q(vlan=10) / p)
    if name == "qinq":
        return 1, raw(eth(p, up) / Dot1AD(vlan=20) / Dot1Q(vlan=10) / p)
    if name == "mpls":
        return 1, raw(eth(p, up) / MPLS(label=16, s=0, ttl=64) /
                      MPLS(label=17, s=1, ttl=64) / p)
    if name == "pppoe":
        b = raw(eth(p, up) / PPPoE(sessionid=0x11) /
                PPP(proto=0x57 if et == 0x86dd else 0x21) / p)
        return 1, b + b"\0" * max(0, 60 - len(b))
    if name == "sll":
        return 113, struct.pack("!HHH8sH", 0 if not up else 4, 1, 6,
                                b"\x02\0\0\0\0\x01\0\0", et) + ipb
    if name == "sll2":
        return 276, struct.pack("!HHIHBB8s", et, 0, 2, 1, 0 if not up else 4,
                                6, b"\x02\0\0\0\0\x01\0\0") + ipb
    if name == "raw":
        return 101, ipb
    if name == "null_le":
        return 0, struct.pack("<I", af_bsd) + ipb
    if name == "null_be":
        return 0, struct.pack(">I", af_bsd) + ipb
    if name == "loop":
        return 108, struct.pack(">I", af_bsd) + ipb
    if name == "ppp":
        return 9, b"\xff\x03" + struct.pack("!H", 0x57 if et == 0x86dd
                                            else 0x21) + ipb
    if name == "chdlc":
        return 104, b"\x0f\x00" + struct.pack("!H", et) + ipb
    if name == "nflog":
        fam = 10 if et == 0x86dd else 2
        return 239, bytes([fam, 0, 0, 1]) + struct.pack("<HH", 8, 10) + \
            b"tl\x00\x00" + struct.pack("<HH", 4 + len(ipb), 9) + ipb + \
            b"\x00" * ((4 - len(ipb) % 4) % 4)
    if name == "ipoib":
        return 242, b"\x00" * 40 + struct.pack("!HH", et, 0) + ipb
    raise ValueError(name)


LINKS = ["ether", "vlan", "qinq", "mpls", "pppoe", "sll", "sll2", "raw",
         "null_le", "null_be", "loop", "ppp", "chdlc", "nflog", "ipoib"]
TUNNELS = ["udp_vxlan", "udp_geneve", "udp_gtpu", "udp_gre", "udp_ayiya",
           "gre_teb", "gre_flags", "gre_erspan2", "gre_mpls", "gre_ppp",
           "gre_pptp", "ipip", "sit", "ip4in6"]


def tunnel(name, p, up):
    """Ethernet bytes of p inside tunnel `name`."""
    if name == "ipip":
        o = IP(src="198.51.100.1" if up else "198.51.100.2",
               dst="198.51.100.2" if up else "198.51.100.1")
        return raw(eth(p, up) / o / p)
    if name == "sit":
        o = IP(src="198.51.100.1" if up else "198.51.100.2",
               dst="198.51.100.2" if up else "198.51.100.1")
        return raw(eth(p, up) / o / p)
    if name == "ip4in6":
        o = IPv6(src="2001:db8:ffff::1" if up else "2001:db8:ffff::2",
                 dst="2001:db8:ffff::2" if up else "2001:db8:ffff::1")
        return raw(eth(p, up) / o / p)
    q = eth(p, up) / p
    q.time = p.time
    # encaps.c2s decides the outer direction by synth's client address;
    # ours differ, so lend it the direction.
    encaps.c2s = lambda _p, _up=up: _up
    return raw(getattr(encaps, encaps.TUNNELS[name].__name__)(q))


# ---- files ---------------------------------------------------------------
def write_pcap(path, lt, recs, nano, big, snap):
    e = ">" if big else "<"
    magic = 0xa1b23c4d if nano else 0xa1b2c3d4
    with open(path, "wb") as f:
        f.write(struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snap, lt))
        for t, b, _ in recs:
            unit = 10 ** 9 if nano else 10 ** 6
            n = int(round(t * unit))
            cap = b[:snap]
            f.write(struct.pack(e + "IIII", n // unit, n % unit, len(cap),
                                len(b)))
            f.write(cap)


def pad4(b):
    return b + b"\x00" * ((4 - len(b) % 4) % 4)


def write_pcapng(path, recs, ifaces, sections, rng):
    """recs: (time, bytes, iface index); ifaces: (linktype, snap, tsres)."""
    out = b""
    per = max(1, len(recs) // sections)
    for s in range(sections):
        part = recs[s * per:(s + 1) * per] if s < sections - 1 else \
            recs[s * per:]
        big = rng.random() < 0.3
        e = ">" if big else "<"

        def block(bt, body):
            body = pad4(body)
            n = len(body) + 12
            return struct.pack(e + "II", bt, n) + body + struct.pack(e + "I",
                                                                     n)
        out += block(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0,
                                             -1))
        for lt, snap, tsres in ifaces:
            opts = b""
            if tsres != 6:
                opts += struct.pack(e + "HH", 9, 1) + pad4(bytes([tsres]))
            opts += struct.pack(e + "HH", 0, 0)
            out += block(1, struct.pack(e + "HHI", lt, 0, snap) + opts)
        if rng.random() < 0.3:
            out += block(0x0BAD, b"unknown block")
        for t, b, i in part:
            lt, snap, tsres = ifaces[i]
            unit = 10 ** tsres if tsres < 128 else 2 ** (tsres & 0x7f)
            n = int(round(t * unit))
            cap = b[:snap] if snap else b
            out += block(6, struct.pack(e + "IIIII", i, n >> 32,
                                        n & 0xffffffff, len(cap), len(b)) +
                         pad4(cap))
    with open(path, "wb") as f:
        f.write(out)


def icmp_error(p, rng, up):
    """An ICMP error from a router quoting p (IPv4 or IPv6)."""
    if isinstance(p, IPv6):
        q = raw(p)[:rng.choice([48, 60, 88, 1232])]
        e = IPv6(src="2001:db8:fe::1", dst=p.src) / (
            ICMPv6PacketTooBig(mtu=1280) if rng.random() < 0.5 else
            ICMPv6DestUnreach(code=1)) / Raw(q)
    else:
        q = raw(p)[:rng.choice([28, 40, 48, 576])]
        e = IP(src="192.0.2.254", dst=p.src) / ICMP(
            type=3, code=rng.choice([1, 3, 4])) / Raw(q)
    e.time = p.time + 0.0001
    e.dir = 1 - p.dir
    return e


def generate(seed, plain=False):
    rng = random.Random(seed)
    conns = []
    t0 = rng.choice([1.0, 1700000000.123456, 0.0, 4102444800.5])
    n = rng.randint(1, 4)
    ports = []
    for i in range(n):
        if ports and rng.random() < 0.2:
            sp, dp = ports[-1]      # reused ports (maybe over the other IP)
        else:
            sp, dp = rng.randint(1024, 65535), rng.choice(
                [80, 443, 22, 5001, rng.randint(1, 65535)])
        ports.append((sp, dp))
        v6 = rng.random() < 0.4
        c = Conn(rng, 0 if ports[-1] == ports[0] and i else i, v6, sp, dp,
                 t0 + rng.random() * 2)
        c.life(rng.randint(5, 60))
        conns.append(c)
    pkts = []
    for c in conns:
        pkts += c.out
    if rng.random() < 0.7:
        pkts.sort(key=lambda p: float(p.time))
    else:       # connection after connection, times interleaved
        pass
    extra = []
    if not plain:
        for p in pkts:
            if rng.random() < 0.03:
                extra.append((pkts.index(p), icmp_error(p, rng, p.dir == 0)))
        for i, e in reversed(extra):
            pkts.insert(i + 1, e)
        if rng.random() < 0.3:      # fragments of some IPv4 packets
            out = []
            for p in pkts:
                if isinstance(p, IP) and len(raw(p)) > 200 and \
                        rng.random() < 0.3:
                    fr = fragment(p, fragsize=rng.choice([64, 128, 512]))
                    if rng.random() < 0.3:
                        fr.reverse()
                    for f in fr:
                        f.time = p.time
                        f.dir = p.dir
                    out += fr
                else:
                    out.append(p)
            pkts = out
    return rng, pkts


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    seed, path = int(argv[0]), argv[1]
    plain = "--plain" in argv
    rng, pkts = generate(seed, plain)
    if plain:
        recs = [(float(p.time), link("ether", p, p.dir == 0)[1], 0)
                for p in pkts]
        write_pcap(path, 1, recs, False, False, 262144)
        return
    kind = rng.random()
    snap = 262144
    if rng.random() < 0.15:
        snap = rng.choice([54, 60, 68, 80, 96])
    if kind < 0.5:      # pcap: one link or tunnel
        if rng.random() < 0.6:
            name = rng.choice(LINKS)
            recs = []
            for p in pkts:
                lt, b = link(name, p, p.dir == 0)
                recs.append((float(p.time), b, 0))
        else:
            name = rng.choice(TUNNELS)
            lt = 1
            recs = [(float(p.time), tunnel(name, p, p.dir == 0), 0)
                    for p in pkts]
        write_pcap(path, lt, recs, rng.random() < 0.3, rng.random() < 0.3,
                   snap)
    else:               # pcapng: several interfaces
        k = rng.randint(1, 4)
        names = [rng.choice(LINKS + TUNNELS) for _ in range(k)]
        ifaces = []
        for nm in names:
            lt = link(nm, IP() / Raw(b"x"), True)[0] if nm in LINKS else 1
            ifaces.append((lt, rng.choice([0, snap, 65535, 262144]),
                           rng.choice([6, 6, 9, 3, 0x80 | 20])))
        recs = []
        for p in pkts:
            i = rng.randrange(k)
            nm = names[i]
            b = link(nm, p, p.dir == 0)[1] if nm in LINKS else \
                tunnel(nm, p, p.dir == 0)
            recs.append((float(p.time), b, i))
        write_pcapng(path, recs, ifaces, rng.choice([1, 1, 1, 2, 3]), rng)


if __name__ == "__main__":
    main(sys.argv[1:])
