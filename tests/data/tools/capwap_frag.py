#!/usr/bin/python3
"""CAPWAP data fragments (RFC 5415 section 3.1: F and L bits, a fragment
ID, an offset in 8-byte units): tests/data/encap/udp_capwap_frag.pcap.

encaps.py's exchange with every payload longer than 40 bytes sent in
CAPWAP fragments of 32 bytes: in order, reversed (every third datagram),
one carrying a native 802.11 frame (T set, frame-control bytes swapped as
tshark reads them), one repeated fragment, and one datagram whose last
fragment never comes (counted, not shown).  tshark 4.0 puts the fragments
back together by default (capwap.reassemble: TRUE) and shows the segment
on the frame that completes it; tests/agreement.sh compares.

Usage:  /usr/bin/python3 capwap_frag.py OUTDIR
Deterministic: the same bytes every run.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import encaps  # noqa: E402
from scapy.all import Raw, raw, wrpcap  # noqa: E402

PIECE = 32


def header(native, frag_id, offset, first, last, fragmented):
    """An 8-byte CAPWAP data header (HLEN 2, binding 1 = 802.11)."""
    w = (2 << 19) | (1 << 9) | (0x100 if native else 0)
    if fragmented:
        w |= 0x80 | (0x40 if last else 0)
    return struct.pack(">IHH", w, frag_id if fragmented else 0,
                       (offset // 8) << 3 if fragmented else 0)


def wifi_frame(p):
    """A native 802.11 data frame (swapped frame control), LLC/SNAP, IP."""
    up = encaps.c2s(p)
    fc = bytes([0x01 if up else 0x02, 0x08])
    hdr = fc + b"\x00\x00" + b"\x02\x00\x00\x00\x02\x02" + \
        b"\x02\x00\x00\x00\x01\x01" + b"\x02\x00\x00\x00\x03\x03" + \
        b"\x00\x00"
    return hdr + b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + raw(encaps.inner_ip(p))


def pieces(payload):
    return [(o, payload[o:o + PIECE]) for o in range(0, len(payload), PIECE)]


def wrap(p, frag_id, native, order, drop_last=False, repeat=False):
    payload = wifi_frame(p) if native else raw(encaps.inner_eth(p))
    out = []
    if len(payload) <= 40:
        q = encaps.outer(p, encaps.udp(5247, Raw(
            header(native, 0, 0, True, True, False) + payload)))
        return [q]
    frs = pieces(payload)
    idx = list(range(len(frs)))
    if order == "reversed":
        idx.reverse()
    if repeat:
        idx.insert(1, idx[0])
    if drop_last:
        idx = [i for i in idx if i != len(frs) - 1]
    for k, i in enumerate(idx):
        off, data = frs[i]
        h = header(native, frag_id, off, i == 0, i == len(frs) - 1, True)
        q = encaps.outer(p, encaps.udp(5247, Raw(h + data)))
        q.time = p.time + k * 0.0001
        out.append(q)
    return out


def main(argv):
    if not argv:
        sys.exit(__doc__)
    os.makedirs(argv[0], exist_ok=True)
    pkts = encaps.base()
    out = []
    for i, p in enumerate(pkts):
        out += wrap(p, 0x100 + i, native=(i == 5),
                    order="reversed" if i % 3 == 1 else "in order",
                    repeat=(i == 7))
    # a datagram whose last fragment never comes
    lost = wrap(pkts[4], 0x9999, False, "in order", drop_last=True)
    for k, q in enumerate(lost):
        q.time = pkts[-1].time + 1 + k * 0.001
    out += lost
    wrpcap(os.path.join(argv[0], "udp_capwap_frag.pcap"), out)


if __name__ == "__main__":
    main(sys.argv[1:])
