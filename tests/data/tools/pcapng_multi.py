#!/usr/bin/python3
"""pcapng files libpcap refuses and tshark reads: tests/data/encap/*.pcapng.

  pcapng_multi.pcapng   two sections (the second big-endian), interfaces of
                        four link types (Ethernet, raw IP, Linux cooked,
                        PPP) with different snap lengths, timestamp
                        resolutions (10^-6, 10^-9, 2^-20) and an
                        if_tsoffset; Enhanced, Simple and obsolete Packet
                        Blocks; unknown and statistics blocks in between.
                        The segments of one connection travel over all of
                        them (synth.py's fast_retrans).
  unread_pcapng_link.pcapng  an Ethernet interface and a LINKTYPE_USER0
                        one (its packets are counted, not shown).
  pcapng_snaplen.pcapng two Ethernet interfaces, snap lengths 65535 and 80
                        (the second cuts TCP options: rows without
                        analysis).

Usage:  /usr/bin/python3 pcapng_multi.py OUTDIR
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402
from scapy.all import IP, TCP, raw  # noqa: E402


def pad4(b):
    return b + b"\x00" * ((4 - len(b) % 4) % 4)


class Section:
    def __init__(self, big=False):
        self.e = ">" if big else "<"
        self.out = b""
        self.block(0x0A0D0D0A, struct.pack(self.e + "IHHq", 0x1A2B3C4D, 1,
                                           0, -1))

    def block(self, btype, body):
        body = pad4(body)
        n = 12 + len(body)
        self.out += struct.pack(self.e + "II", btype, n) + body + \
            struct.pack(self.e + "I", n)

    def opt(self, code, val):
        return struct.pack(self.e + "HH", code, len(val)) + pad4(val)

    def idb(self, linktype, snaplen, tsresol=None, tsoffset=None):
        opts = b""
        if tsresol is not None:
            opts += self.opt(9, bytes([tsresol]))
        if tsoffset is not None:
            opts += self.opt(14, struct.pack(self.e + "q", tsoffset))
        if opts:
            opts += self.opt(0, b"")
        self.block(1, struct.pack(self.e + "HHI", linktype, 0, snaplen) +
                   opts)

    def epb(self, ifid, ticks, data, orig=None):
        self.block(6, struct.pack(self.e + "IIIII", ifid, ticks >> 32,
                                  ticks & 0xffffffff, len(data),
                                  orig or len(data)) + pad4(data))

    def opb(self, ifid, ticks, data):
        self.block(2, struct.pack(self.e + "HHIIII", ifid, 0, ticks >> 32,
                                  ticks & 0xffffffff, len(data),
                                  len(data)) + pad4(data))

    def spb(self, data):
        self.block(3, struct.pack(self.e + "I", len(data)) + pad4(data))


def frames(p):
    ip = raw(p[IP])
    return {
        "eth": raw(p),
        "raw": ip,
        "sll": struct.pack(">HHH8sH", 0, 1, 6, b"\x02\x00\x00\x00\x00\x01",
                           0x0800) + ip,
        "ppp": b"\xff\x03\x00\x21" + ip,
    }


def multi(path):
    pk = synth.fast_retrans()
    base_us = 1700000000 * 10**6
    s1 = Section()
    s1.idb(1, 65535)                      # 0: Ethernet, microseconds
    s1.idb(101, 1500, tsresol=9)          # 1: raw IP, nanoseconds
    s1.block(0x40000BAD, b"custom block nobody reads")
    s1.idb(113, 262144, tsresol=6)        # 2: Linux cooked
    s2 = Section(big=True)
    # PPP, 2^-20 s ticks, times counted from an offset of 1.7e9 s
    s2.idb(9, 65535, tsresol=0x80 | 20, tsoffset=1700000000)
    half = len(pk) // 2
    for i, p in enumerate(pk[:half]):
        us = base_us + int(round(float(p.time) * 1e6))
        f = frames(p)
        k = i % 4
        if k == 0:
            s1.epb(0, us, f["eth"])
        elif k == 1:
            s1.epb(1, us * 1000, f["raw"])
        elif k == 2:
            s1.epb(2, us, f["sll"])
        else:
            s1.opb(0, us, f["eth"])
        # interface statistics, between packets
        s1.block(5, struct.pack("<III", 0, 0, 0))
    for p in pk[half:]:
        ticks = int(round(float(p.time) * (1 << 20)))
        s2.epb(0, ticks, frames(p)["ppp"])
    # a Simple Packet Block (no time) on the PPP interface
    s2.spb(frames(pk[-1])["ppp"])
    with open(path, "wb") as f:
        f.write(s1.out + s2.out)


def snaplens(path):
    pk = synth.fast_retrans()
    s = Section()
    s.idb(1, 65535)
    s.idb(1, 80)
    for i, p in enumerate(pk):
        us = 1700000000 * 10**6 + int(round(float(p.time) * 1e6))
        b = raw(p)
        if i % 3 == 2:
            # options added so that 80 bytes cut them
            q = p.copy()
            q[TCP].options = [("NOP", None), ("NOP", None),
                              ("Timestamp", (i, i))] * 2
            q[IP].len = None
            q[IP].chksum = None
            q[TCP].chksum = None
            b = raw(q)
            s.epb(1, us, b[:80], len(b))
        else:
            s.epb(0, us, b)
    with open(path, "wb") as f:
        f.write(s.out)


def unknown_link(path):
    """An Ethernet interface and one of LINKTYPE_USER0 (147), which
    nobody reads: its packets are counted in the end warning."""
    pk = synth.fast_retrans()
    s = Section()
    s.idb(1, 65535)
    s.idb(147, 65535)
    for i, p in enumerate(pk):
        us = 1700000000 * 10**6 + int(round(float(p.time) * 1e6))
        s.epb(i % 2, us, raw(p))
    with open(path, "wb") as f:
        f.write(s.out)


def main(argv):
    if not argv:
        sys.exit(__doc__)
    os.makedirs(argv[0], exist_ok=True)
    multi(os.path.join(argv[0], "pcapng_multi.pcapng"))
    snaplens(os.path.join(argv[0], "pcapng_snaplen.pcapng"))
    unknown_link(os.path.join(argv[0], "unread_pcapng_link.pcapng"))


if __name__ == "__main__":
    main(sys.argv[1:])
