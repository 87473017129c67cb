#!/usr/bin/python3
"""Headers between the link and IP that tshark 4.0 reads by default:
802.1ah provider backbone bridging (PBB, ethertype 0x88e7: an I-tag and
the customer's addresses), the network service header (NSH, RFC 8300,
ethertype 0x894f; VXLAN-GPE next protocol 4; GRE protocol 0x894f), with
MD types 1 and 2, carrying IPv4, IPv6 or Ethernet, and 802.1AE MACsec
(ethertype 0x88e5) with integrity only, which tshark reads, and encrypted,
which nobody reads without the key (unread_macsec_encrypted.pcap: counted,
not shown): tests/data/encap.

Each file carries encaps.py's exchange (a handshake, data, duplicate ACKs,
a fast retransmission) wrapped one way; tests/agreement.sh compares the
rows with tshark's.

Usage:  /usr/bin/python3 shims.py OUTDIR
Deterministic: the same bytes every run.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import encaps  # noqa: E402
import synth  # noqa: E402
from scapy.all import Ether, GRE, IP, Raw, raw, wrpcap  # noqa: E402

NSH_IPV4, NSH_IPV6, NSH_ETH = 1, 2, 3


def nsh(next_proto, md_type, payload):
    """An NSH base header (TTL 63), the service path (SPI 42, SI 255),
    then MD type 1's 16 context bytes or MD type 2's one TLV."""
    if md_type == 1:
        ctx = b"\x00" * 16
    else:
        ctx = struct.pack(">HBB", 0x0101, 0x01, 4) + b"\xca\xfe\xbe\xef"
    words = 2 + len(ctx) // 4
    first = (63 << 6) | words
    return struct.pack(">HBB", first, md_type, next_proto) + \
        struct.pack(">I", (42 << 8) | 255) + ctx + payload


def eth_outer(p, ethertype, payload):
    up = encaps.c2s(p)
    q = Ether(src=synth.MAC["c" if up else "s"],
              dst=synth.MAC["s" if up else "c"], type=ethertype) / \
        Raw(payload)
    q.time = p.time
    return q


def pbb(p):
    """Backbone addresses, the I-tag (I-SID 0x012345), the customer's
    addresses, then IPv4 (every other packet behind a C-VLAN tag)."""
    ip = raw(encaps.inner_ip(p))
    cust = b"\x02\x00\x00\x00\x01\x02" + b"\x02\x00\x00\x00\x01\x01"
    inner = b"\x81\x00\x00\x64\x08\x00" if int(p.time * 1000) % 2 \
        else b"\x08\x00"
    return eth_outer(p, 0x88e7, struct.pack(">I", 0x00012345) + cust +
                     inner + ip)


def nsh_eth(p):
    """Ethernet, NSH (MD type 1, then 2 on odd packets), then IPv4."""
    md = 2 if int(p.time * 1000) % 2 else 1
    return eth_outer(p, 0x894f, nsh(NSH_IPV4, md, raw(encaps.inner_ip(p))))


def vxlan_gpe_nsh(p):
    """VXLAN-GPE (next protocol 4) carrying NSH carrying Ethernet."""
    gpe = struct.pack(">BBBB", 0x0c, 0, 0, 4) + struct.pack(">I", 42 << 8)
    return encaps.outer(p, encaps.udp(4790, Raw(
        gpe + nsh(NSH_ETH, 1, raw(encaps.inner_eth(p))))))


def gre_nsh(p):
    """GRE protocol 0x894f carrying NSH carrying IPv4."""
    return encaps.outer(p, GRE(proto=0x894f) / Raw(
        nsh(NSH_IPV4, 2, raw(encaps.inner_ip(p)))))


def nsh_v6(p):
    """NSH carrying IPv6 (the exchange over IPv6)."""
    return eth_outer(p, 0x894f, nsh(NSH_IPV6, 1, raw(encaps.inner_ip(p))))


def macsec(p, encrypted=False):
    """A SecTAG (with the SCI on even packets), the secure data (its
    length in the short length when under 48 bytes, as senders do), and
    a 16-byte ICV."""
    sci = int(p.time * 1000) % 2 == 0
    data = b"\x08\x00" + raw(encaps.inner_ip(p))
    tci = (0x20 if sci else 0) | (0x0c if encrypted else 0) | 1
    tag = struct.pack(">BBI", tci, len(data) if len(data) < 48 else 0,
                      int(p.time * 1000) + 1)
    if sci:
        tag += b"\x02\x00\x00\x00\x00\x01\x00\x01"
    return eth_outer(p, 0x88e5, tag + data + b"\xee" * 16)


def main(argv):
    if not argv:
        sys.exit(__doc__)
    os.makedirs(argv[0], exist_ok=True)
    for name, fn, pkts in (
            ("eth_pbb", pbb, encaps.base()),
            ("eth_nsh", nsh_eth, encaps.base()),
            ("eth_nsh_ipv6", nsh_v6, encaps.base6()),
            ("udp_vxlan_gpe_nsh", vxlan_gpe_nsh, encaps.base()),
            ("gre_nsh", gre_nsh, encaps.base()),
            ("eth_macsec", macsec, encaps.base()),
            ("unread_macsec_encrypted", lambda p: macsec(p, True),
             encaps.base())):
        wrpcap(os.path.join(argv[0], name + ".pcap"), [fn(p) for p in pkts])


if __name__ == "__main__":
    main(sys.argv[1:])
