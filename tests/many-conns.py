#!/usr/bin/env python3
"""Writes a pcap of N short TCP connections, all open at once: every
handshake first, then a request and its ACK each, then (unless --open)
every close. Connection i: 192.0.2.(1 + i % 250):(1024 + i // 250) to
198.51.100.(1 + i % 16):80, so each client port is a ladder column.
Used by tests/ui/many-conns.sh (select-all on 20k connections) and the
memory-bound tests (open connections under a tiny --max-memory).
    tests/many-conns.py N OUT.pcap [--open]"""
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_packet(src, dst, sport, dport, seq, ack, flags, payload=b""):
    opts = struct.pack("!BBH", 2, 4, 1460) if flags & 0x02 else b""
    thl = 20 + len(opts)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, (thl // 4) << 4, flags, 65535, 0, 0)
    tcp += opts + payload   # checksum 0: offloaded, as often captured
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000,
                     64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
    return eth + ip + tcp


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    keep_open = "--open" in sys.argv[3:]
    if not 0 < n <= 250 * 64000:
        sys.exit("many-conns.py: N must be 1..16000000")
    SYN, ACK, FIN, PSH = 0x02, 0x10, 0x01, 0x08
    recs = []
    t = [1700000000 * 1000000]

    def put(i, fromc, flags, seq, ack, payload=b""):
        c = bytes([192, 0, 2, 1 + i % 250])
        s = bytes([198, 51, 100, 1 + i % 16])
        cport, isn_c, isn_s = 1024 + i // 250, i * 7919, i * 104729 + 5
        if fromc:
            p = tcp_packet(c, s, cport, 80, isn_c + seq, isn_s + ack,
                           flags, payload)
        else:
            p = tcp_packet(s, c, 80, cport, isn_s + seq, isn_c + ack,
                           flags, payload)
        us = t[0]
        t[0] += 10
        recs.append(struct.pack("<IIII", us // 1000000, us % 1000000,
                                len(p), len(p)) + p)

    for i in range(n):
        put(i, True, SYN, 0, 0)
        put(i, False, SYN | ACK, 0, 1)
        put(i, True, ACK, 1, 1)
    for i in range(n):
        put(i, True, ACK | PSH, 1, 1, b"GET / HTTP/1.0\r\n\r\n")
        put(i, False, ACK, 1, 19)
    if not keep_open:
        for i in range(n):
            put(i, True, ACK | FIN, 19, 1)
            put(i, False, ACK | FIN, 1, 20)
            put(i, True, ACK, 20, 2)
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        f.write(b"".join(recs))


main()
