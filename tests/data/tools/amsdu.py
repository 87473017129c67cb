#!/usr/bin/python3
"""802.11 A-MSDUs (QoS data, the A-MSDU present bit set): several MSDU
subframes in one frame, each a destination, a source, a length and an
LLC/SNAP-headed packet, padded to 4 bytes: tests/data/encap/wifi_amsdu.pcap.

encaps.py's exchange with consecutive packets of one direction sent two
to a frame (the rest one to a frame, some as plain QoS data), and one
frame whose first subframe is ARP.  tshark 4.0 reads every subframe and
analyses every segment; its table (tests/tshark-table.py) has one row per
frame, the first TCP segment's, with the analysis of them all.

Usage:  /usr/bin/python3 amsdu.py OUTDIR
Deterministic: the same bytes every run.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import encaps  # noqa: E402
from scapy.all import ARP, raw  # noqa: E402

AP, STA = b"\x02\x00\x00\x00\x00\x0a", b"\x02\x00\x00\x00\x00\x0b"
SNAP_IP4, SNAP_ARP = b"\xaa\xaa\x03\x00\x00\x00\x08\x00", \
    b"\xaa\xaa\x03\x00\x00\x00\x08\x06"


def wlan(up, amsdu):
    """QoS data, to or from the DS; QoS control with A-MSDU present."""
    fc = bytes([0x88, 0x01 if up else 0x02])
    a1, a2, a3 = (AP, STA, AP) if up else (STA, AP, AP)
    return fc + b"\x00\x00" + a1 + a2 + a3 + b"\x00\x00" + \
        bytes([0x80 if amsdu else 0x00, 0x00])


def subframe(msdu, last):
    s = STA + AP + struct.pack(">H", len(msdu)) + msdu
    if not last:
        s += b"\x00" * (-len(s) % 4)
    return s


def frame(up, msdus):
    return wlan(up, True) + b"".join(
        subframe(m, i == len(msdus) - 1) for i, m in enumerate(msdus))


def main(argv):
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    pkts = encaps.base()
    recs = []
    i = 0
    while i < len(pkts):
        p = pkts[i]
        up = encaps.c2s(p)
        msdus = [SNAP_IP4 + raw(encaps.inner_ip(p))]
        if i + 1 < len(pkts) and encaps.c2s(pkts[i + 1]) == up and i % 2:
            msdus.append(SNAP_IP4 + raw(encaps.inner_ip(pkts[i + 1])))
            i += 1
        if i == 4:      # ARP first: the row is the second subframe's
            msdus.insert(0, SNAP_ARP + raw(ARP(psrc="192.0.2.1",
                                               pdst="192.0.2.2")))
        if i == 2:      # plain QoS data, no A-MSDU
            b = wlan(up, False) + msdus[0]
        else:
            b = frame(up, msdus)
        recs.append((p.time, b))
        i += 1
    with open(os.path.join(argv[0], "wifi_amsdu.pcap"), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 105))
        for t, b in recs:
            us = int(round(float(t) * 1e6))
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000,
                                len(b), len(b)) + b)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
