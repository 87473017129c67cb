#!/usr/bin/python3
"""IP fragments tshark cannot put back together, and many in flight:
tests/data/encap/frag_cut.pcap, frag_many.pcap and frag_overlap.pcap
(see frag_overlap below).

frag_cut.pcap: one short exchange per case, IPv4 and IPv6 alike (each on
its own client port): a data segment sent in fragments whose first piece
the snap length cut (68 and 96 bytes captured), whose first piece comes
whole but nothing after it, whose last piece was cut, and one sent whole
for reference, and a cut first piece that is all a connection shows
(IPv4: tshark opens a stream for it; IPv6: it reads no TCP in it, so no
stream); each exchange goes on with a segment and an ACK, so the
analysis after the missing datagram shows.  tshark 4.0 adds a fragment to
a datagram only when it has all of it: a cut piece never is, so its
datagram never completes.  A cut first piece is still read as TCP (a
stream number, no tcp.len, no analysis): no row, as an ICMP quote.

frag_many.pcap: 1100 datagrams in flight at once (every first piece, then
every second one): tshark holds them all; so must tcpladder (its bound is
in src/decode/reassemble.c).

Usage:  /usr/bin/python3 frag_cut.py OUTDIR
Deterministic: the same bytes every run.
"""
import os
import struct
import sys

from scapy.all import (IP, TCP, Ether, IPv6, IPv6ExtHdrFragment, Raw,
                       fragment, fragment6, raw)

C4, S4 = "192.0.2.1", "192.0.2.2"
C6, S6 = "2001:db8::1", "2001:db8::2"
MAC_C, MAC_S = "02:00:00:00:00:01", "02:00:00:00:00:02"
T0 = 1700000000


def write(path, recs):
    """recs: (time in us, frame bytes, bytes captured or None)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for us, b, cut in recs:
            cap = b[:cut] if cut else b
            f.write(struct.pack("<IIII", T0 + us // 1000000, us % 1000000,
                                len(cap), len(b)) + cap)


def exchange(v6, port, case, t):
    """One connection whose second data segment goes in fragments."""
    c, s = (C6, S6) if v6 else (C4, S4)
    ipc = IPv6 if v6 else IP
    recs = []

    def seg(to_s, flags, seq, ack, data=b""):
        ip = ipc(src=c, dst=s) if to_s else ipc(src=s, dst=c)
        p = ip / TCP(sport=port if to_s else 80, dport=80 if to_s else port,
                     flags=flags, seq=seq, ack=ack, window=1000)
        return p / Raw(data) if data else p

    def eth(to_s, ip):
        return raw(Ether(src=MAC_C if to_s else MAC_S,
                         dst=MAC_S if to_s else MAC_C) / ip)

    def add(to_s, ip, cut=None):
        recs.append((t + len(recs) * 1000, eth(to_s, ip), cut))

    if case != "alone":
        add(True, seg(True, "S", 1000, 0))
        add(False, seg(False, "SA", 5000, 1001))
        add(True, seg(True, "A", 1001, 5001))
    big = seg(True, "PA", 1001, 5001, bytes(range(200)))
    if v6:
        frs = fragment6(IPv6(raw(IPv6(src=c, dst=s) /
                                 IPv6ExtHdrFragment(id=port) /
                                 big.payload)), 104)
    else:
        big.id = port
        frs = fragment(big, fragsize=64)
    if case in ("missing", "alone"):
        frs = frs[:1]
    for i, fr in enumerate(frs):
        cut = None
        if case == "alone":
            cut = 96        # the whole TCP header, for IPv6 too
        elif case.startswith("cut") and i == 0:
            cut = int(case[3:])
        elif case == "lastcut" and i == len(frs) - 1:
            cut = len(eth(True, fr)) - 8
        add(True, fr, cut)
    if case != "alone":
        add(True, seg(True, "PA", 1201, 5001, b"b" * 10))
        add(False, seg(False, "A", 5001, 1211))
    return recs


def frag_cut():
    recs = []
    t = 0
    for v6 in (False, True):
        for k, case in enumerate(("alone", "whole", "cut68", "cut96",
                                  "missing", "lastcut")):
            recs += exchange(v6, 40000 + 10 * k + (5 if v6 else 0), case, t)
            t += 100000
    return recs


def frag_many(n=1100):
    recs = []

    def add(ip, to_s=True):
        e = Ether(src=MAC_C if to_s else MAC_S, dst=MAC_S if to_s else MAC_C)
        recs.append((len(recs) * 100, raw(e / ip), None))

    def seg(to_s, flags, seq, ack, data=b""):
        ip = IP(src=C4, dst=S4) if to_s else IP(src=S4, dst=C4)
        p = ip / TCP(sport=41000 if to_s else 80, dport=80 if to_s else 41000,
                     flags=flags, seq=seq, ack=ack, window=65535)
        return p / Raw(data) if data else p

    add(seg(True, "S", 1000, 0))
    add(seg(False, "SA", 5000, 1001), False)
    add(seg(True, "A", 1001, 5001))
    frs = []
    for i in range(n):
        p = seg(True, "A", 1001 + 16 * i, 5001, b"%016d" % i)
        p.id = i + 1
        frs.append(fragment(p, fragsize=24))
    for fr in frs:
        add(fr[0])
    for fr in frs:
        for piece in fr[1:]:
            add(piece)
    add(seg(False, "A", 5001, 1001 + 16 * n), False)
    return recs


def frag_overlap():
    """Pieces that overlap with different bytes: tshark keeps, for each
    byte, the piece that starts first (of two starting at the same place,
    the one that came first).  Per family: the first piece twice (the
    second with another sequence number), then the rest; a piece starting
    8 bytes in (another acknowledgement number there) after the first;
    and a last piece sent again after its datagram completed."""
    recs = []

    def add(to_s, ip):
        e = Ether(src=MAC_C if to_s else MAC_S, dst=MAC_S if to_s else MAC_C)
        recs.append((len(recs) * 1000, raw(e / ip), None))

    for v6 in (False, True):
        c, s = (C6, S6) if v6 else (C4, S4)
        ipc = IPv6 if v6 else IP
        port = 42000 + (1 if v6 else 0)

        def tcp(flags, seq, ack, data=b""):
            t = TCP(sport=port, dport=80, flags=flags, seq=seq, ack=ack,
                    window=1000)
            return t / Raw(data) if data else t

        def piece(ident, off, more, data):
            if v6:
                return IPv6(src=c, dst=s) / IPv6ExtHdrFragment(
                    id=ident, offset=off // 8, m=int(more), nh=6) / Raw(data)
            return IP(src=c, dst=s, id=ident, flags="MF" if more else 0,
                      frag=off // 8, proto=6) / Raw(data)

        add(True, ipc(src=c, dst=s) / tcp("S", 1000, 0))
        add(False, ipc(src=s, dst=c) / TCP(sport=80, dport=port, flags="SA",
                                           seq=5000, ack=1001, window=1000))
        a = raw(tcp("PA", 1001, 5001, b"a" * 40))
        b = raw(tcp("PA", 1501, 5001, b"b" * 40))
        add(True, piece(1, 0, True, a[:32]))
        add(True, piece(1, 0, True, b[:32]))        # loses: came second
        add(True, piece(1, 32, False, a[32:]))
        d = raw(tcp("PA", 1041, 5001, b"d" * 40))
        e = raw(tcp("PA", 1041, 9999, b"e" * 40))
        add(True, piece(2, 0, True, d[:32]))
        add(True, piece(2, 8, True, e[8:40]))       # loses: starts later
        add(True, piece(2, 32, False, d[32:]))
        f = raw(tcp("PA", 1081, 5001, b"f" * 40))
        add(True, piece(3, 0, True, f[:32]))
        add(True, piece(3, 32, False, f[32:]))
        add(True, piece(3, 32, False, f[32:]))      # again: never completes
        add(False, ipc(src=s, dst=c) / TCP(sport=80, dport=port, flags="A",
                                           seq=5001, ack=1121, window=1000))
    return recs


def main(argv):
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    write(os.path.join(argv[0], "frag_cut.pcap"), frag_cut())
    write(os.path.join(argv[0], "frag_many.pcap"), frag_many())
    write(os.path.join(argv[0], "frag_overlap.pcap"), frag_overlap())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
