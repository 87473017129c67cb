#!/usr/bin/python3
"""Derive captures from real ones (make-captures.sh uses it).

  derive.py caploss SRC DST      delete a few frames (editcap) to imitate a
                                 capture that missed packets: every 40th
                                 first-transmission data segment client->
                                 server, and the server ACK after the 3rd one
  derive.py null SRC DST         re-encapsulate every IPv4/IPv6 packet of SRC
                                 as BSD loopback (DLT_NULL, AF_INET=2,
                                 AF_INET6=30 as on macOS, little-endian)
  derive.py vlan SRC DST         re-encapsulate as Ethernet + 802.1Q VLAN 100
                                 (fixed locally administered MACs)
Non-IP packets are dropped by null/vlan; timestamps are kept (microseconds).
"""
import os
import struct
import subprocess
import sys

from scapy.all import IP, IPv6, Ether, Dot1Q, raw, rdpcap

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "..", "..", "tshark-table.py")


def table(path):
    out = subprocess.run([sys.executable, TABLE, path], check=True,
                         capture_output=True, text=True).stdout
    lines = out.splitlines()
    hdr = lines[0].split("\t")
    return [dict(zip(hdr, l.split("\t"))) for l in lines[1:]]


def caploss(src, dst):
    rows = table(src)
    client = rows[0]["src"]               # the SYN's sender
    data = [r for r in rows if r["src"] == client and int(r["len"]) > 0
            and r["analysis"] == "-"]
    victims = [int(r["frame"]) for r in data[10::40]]
    if len(data) > 130:                   # and one ACK after the 3rd victim
        v = victims[min(2, len(victims) - 1)]
        acks = [int(r["frame"]) for r in rows
                if r["src"] != client and int(r["frame"]) > v and
                r["len"] == "0"]
        if acks:
            victims.append(acks[1] if len(acks) > 1 else acks[0])
    victims = sorted(set(victims))
    subprocess.run(["editcap", "-F", "pcap", src, dst] + [str(v) for v in victims],
                   check=True)
    print("deleted frames: " + " ".join(map(str, victims)))


def write_pcap(path, linktype, pkts, snaplen=65535):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen,
                            linktype))
        for t, b, orig in pkts:
            us = int(round(float(t) * 1000000))
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000,
                                len(b), orig))
            f.write(b)


def ip_layers(src):
    for p in rdpcap(src):
        caplen = len(raw(p))
        orig = getattr(p, "wirelen", None) or caplen
        ip = p.getlayer(IP) or p.getlayer(IPv6)
        if ip is None:
            continue
        b = raw(ip)
        hdr = caplen - len(b)                  # link header length in SRC
        yield p.time, ip, b, orig - hdr


def null(src, dst):
    out = []
    for t, ip, b, orig in ip_layers(src):
        af = 2 if ip.version == 4 else 30
        out.append((t, struct.pack("<I", af) + b, orig + 4))
    write_pcap(dst, 0, out)


def vlan(src, dst):
    out = []
    for t, ip, b, orig in ip_layers(src):
        a = ip.src
        c2s = a in ("192.0.2.65", "2001:db8:1::1") or a.endswith(".1") \
            or a.endswith("::1")
        mac = ["02:00:00:00:00:01", "02:00:00:00:00:02"]
        e = Ether(src=mac[0 if c2s else 1], dst=mac[1 if c2s else 0],
                  type=0x8100) / Dot1Q(vlan=100, prio=0,
                                       type=0x0800 if ip.version == 4
                                       else 0x86dd)
        hb = raw(e)
        out.append((t, hb + b, orig + len(hb)))
    write_pcap(dst, 1, out)


if __name__ == "__main__":
    {"caploss": caploss, "null": null, "vlan": vlan}[sys.argv[1]](
        sys.argv[2], sys.argv[3])
