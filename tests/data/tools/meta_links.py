#!/usr/bin/python3
"""Link types whose header is the capturing system's own record before
the packet, which tshark 4.0 reads: OpenBSD/pfSense pflog (117: the rule's
header, its length word-aligned, then IPv4 or IPv6 by address family),
OpenBSD's enc(4) (109: family, SPI, flags in the host's byte order, both
orders in turn here), Apple's PKTAP (258: a little-endian header naming
the link type of the packet that follows: Ethernet, BSD loopback or raw
IP), and ATM with LLC/SNAP (RFC 1483, 11): tests/data/encap.

Each file carries encaps.py's exchange (IPv4, and IPv6 for pflog_ipv6).

Usage:  /usr/bin/python3 meta_links.py OUTDIR
Deterministic: the same bytes every run.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import encaps  # noqa: E402
import synth  # noqa: E402
from scapy.all import Ether, raw  # noqa: E402

AF_INET, AF_INET6_OPENBSD, AF_INET6_FREEBSD = 2, 24, 28


def pflog(p, af6):
    """OpenBSD's 61-byte header (padded to 64): length, family, action,
    reason, interface and ruleset names, rule numbers, uid, pid, direction
    and the rewritten addresses and port."""
    ip = raw(encaps.inner_ip(p))
    af = af6 if ip[0] >> 4 == 6 else AF_INET
    up = encaps.c2s(p)
    h = struct.pack(">BBBB16s16sIIIIB3s", 61, af, 0, 0, b"em0", b"",
                    7, 0xffffffff, 0, 0, 1 if up else 2, b"")
    h += b"\x00" * (61 - len(h))
    return h + b"\x00" * 3 + ip


def pktap(p, dlt):
    """A 108-byte PKTAP header (little-endian: length, record type 1 for a
    packet, link type, interface name, flags, protocol family, ...) and the
    packet in that link type."""
    up = encaps.c2s(p)
    ip = encaps.inner_ip(p)
    if dlt == 1:
        pkt = raw(Ether(src=synth.MAC["c" if up else "s"],
                        dst=synth.MAC["s" if up else "c"]) / ip)
        name = b"en0"
    elif dlt == 0:
        pkt = struct.pack("<I", 2) + raw(ip)
        name = b"lo0"
    else:
        pkt = raw(ip)
        name = b"utun3"
    h = struct.pack("<III24sII", 108, 1, dlt, name, 0, 2)
    h += b"\x00" * (108 - len(h))
    return h + pkt


def write(path, linktype, frames, times):
    """A little-endian pcap file (microseconds) of that link type."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                            linktype))
        for b, t in zip(frames, times):
            us = int(round(t * 1e6))
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000,
                                len(b), len(b)) + b)


def main(argv):
    if not argv:
        sys.exit(__doc__)
    out = argv[0]
    os.makedirs(out, exist_ok=True)
    v4, v6 = encaps.base(), encaps.base6()
    t4 = [float(p.time) for p in v4]
    t6 = [float(p.time) for p in v6]
    write(os.path.join(out, "link_pflog.pcap"), 117,
          [pflog(p, AF_INET6_OPENBSD) for p in v4], t4)
    write(os.path.join(out, "link_pflog_ipv6.pcap"), 117,
          [pflog(p, AF_INET6_FREEBSD) for p in v6], t6)
    write(os.path.join(out, "link_enc.pcap"), 109,
          [struct.pack("<III" if i % 2 else ">III", AF_INET, 0x1234, 0) +
           raw(encaps.inner_ip(p)) for i, p in enumerate(v4)], t4)
    write(os.path.join(out, "link_atm_rfc1483.pcap"), 11,
          [b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + raw(encaps.inner_ip(p))
           for p in v4], t4)
    # en0, lo0 and utun in turn within one connection
    write(os.path.join(out, "link_pktap.pcap"), 258,
          [pktap(p, (1, 0, 12)[i % 3]) for i, p in enumerate(v4)], t4)


if __name__ == "__main__":
    main(sys.argv[1:])
