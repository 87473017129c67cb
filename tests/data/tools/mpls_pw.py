#!/usr/bin/python3
"""Ethernet pseudowires over MPLS (RFC 4448): tests/data/encap/mpls_pw.pcap.

MPLS names no payload type; after the labels tshark 4.0 guesses from the
first nibble, and on 0 (an Ethernet destination address starting 0x0,
or a control word) asks its list of registered OUIs: Ethernet right away
when both address OUIs are registered, else a 4-byte control word first.
encaps.py's exchange three times over, each connection on a pseudowire
of its own (two labels): without a control word, inner addresses in the
IANA documentation range 00:00:5e:00:53:xx (registered); with a control
word (sequence numbers), the same addresses (the would-be source OUI,
5e:00:53, is not registered); and without a control word between
locally administered addresses, which tshark takes for a control word and
misreads (no TCP, no row: nothing tshark shows is missing).

Usage:  /usr/bin/python3 mpls_pw.py OUTDIR
Deterministic: the same bytes every run.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import encaps  # noqa: E402
from scapy.all import Ether, Raw, raw, wrpcap  # noqa: E402
from scapy.contrib.mpls import MPLS  # noqa: E402

DOC = ("00:00:5e:00:53:01", "00:00:5e:00:53:02")
LOCAL = ("02:00:00:00:01:01", "02:00:00:00:01:02")


def pw(p, label, macs, cw_seq=None, port=None):
    up = encaps.c2s(p)
    ip = encaps.inner_ip(p).copy()
    if port is not None:
        if up:
            ip.payload.sport = port
        else:
            ip.payload.dport = port
    eth = Ether(src=macs[0] if up else macs[1],
                dst=macs[1] if up else macs[0]) / ip
    cw = b"" if cw_seq is None else struct.pack(">HH", 0, cw_seq)
    q = Ether(src=encaps.MAC["c" if up else "s"],
              dst=encaps.MAC["s" if up else "c"], type=0x8847) / \
        MPLS(label=16, s=0, ttl=64) / MPLS(label=label, s=1, ttl=64) / \
        Raw(cw + raw(eth))
    q.time = p.time
    return q


def main(argv):
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    pkts = encaps.base()
    out = [pw(p, 100, DOC) for p in pkts]
    t = pkts[-1].time + 1
    for i, p in enumerate(pkts):
        q = pw(p, 101, DOC, cw_seq=i + 1, port=40001)
        q.time = t + p.time - pkts[0].time
        out.append(q)
    t += 1 + pkts[-1].time - pkts[0].time
    for p in pkts:
        q = pw(p, 102, LOCAL, port=40002)
        q.time = t + p.time - pkts[0].time
        out.append(q)
    wrpcap(os.path.join(argv[0], "mpls_pw.pcap"), out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
