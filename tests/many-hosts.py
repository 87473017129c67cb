#!/usr/bin/env python3
"""Writes a pcap of downloads from several hosts, one after the other in
time, as a live capture of six downloads saw them (issue 12, item 9).
The client 192.0.2.10 opens connection i at second i to server
198.51.100.(1 + i % 4), port 443 for even i and 80 for odd i, except
the last, which comes 3 s after the others to 198.51.100.1:80 (a
connection that arrives later and joins a selection).
    tests/many-hosts.py N OUT.pcap"""
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])

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
    tcp += opts + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000,
                     64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
    return eth + ip + tcp

def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    if not 2 <= n <= 200:
        sys.exit("many-hosts.py: N must be 2..200")
    SYN, ACK, FIN, PSH = 0x02, 0x10, 0x01, 0x08
    recs = []
    c = bytes([192, 0, 2, 10])
    for i in range(n):
        last = i == n - 1
        s = bytes([198, 51, 100, 1 if last else 1 + i % 4])
        sport = 80 if last or i % 2 else 443
        cport = 40000 + i
        t0 = 1700000000 * 1000000 + (i + (3 if last else 0)) * 1000000
        isn_c, isn_s = 1000 + i * 7919, 5000 + i * 104729
        k = [0]

        def put(fromc, flags, seq, ack, payload=b""):
            if fromc:
                p = tcp_packet(c, s, cport, sport, isn_c + seq, isn_s + ack,
                               flags, payload)
            else:
                p = tcp_packet(s, c, sport, cport, isn_s + seq, isn_c + ack,
                               flags, payload)
            us = t0 + k[0] * 1000
            k[0] += 1
            recs.append(struct.pack("<IIII", us // 1000000, us % 1000000,
                                    len(p), len(p)) + p)

        body = b"x" * 1000
        put(True, SYN, 0, 0)
        put(False, SYN | ACK, 0, 1)
        put(True, ACK, 1, 1)
        put(True, ACK | PSH, 1, 1, b"GET /f HTTP/1.1\r\n\r\n")
        put(False, ACK | PSH, 1, 20, body)
        put(False, ACK | PSH, 1001, 20, body)
        put(True, ACK, 20, 2001)
        put(False, ACK | FIN, 2001, 20)
        put(True, ACK | FIN, 20, 2002)
        put(False, ACK, 2002, 21)
    recs.sort(key=lambda r: struct.unpack("<II", r[:8]))
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        f.write(b"".join(recs))

main()
