#!/usr/bin/env python3
"""forget-gen.py OUT.pcap -- a closed connection, sixty short ones that make
--max-segments 100 let it go, then a late ACK of the first one: the view
gives that ACK a new stream, and so must a filter that reads the frames."""
import struct
import sys

packets = []


def seg(t, src, dst, sport, dport, flags, seq, ack):
    tcp = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0)
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0, 64, 6,
                     0, bytes(src), bytes(dst))
    eth = b'\x02\x00\x00\x00\x00\x02' + b'\x02\x00\x00\x00\x00\x01' + \
        b'\x08\x00'
    packets.append((t, eth + ip + tcp))


SYN, ACK, FIN, RST = 0x02, 0x10, 0x01, 0x04
C, S = [192, 0, 2, 1], [198, 51, 100, 1]
seg(0.000, C, S, 1000, 80, SYN, 100, 0)
seg(0.001, S, C, 80, 1000, SYN | ACK, 500, 101)
seg(0.002, C, S, 1000, 80, ACK, 101, 501)
seg(0.003, C, S, 1000, 80, FIN | ACK, 101, 501)
seg(0.004, S, C, 80, 1000, FIN | ACK, 501, 102)
seg(0.005, C, S, 1000, 80, ACK, 102, 502)
for i in range(60):
    t = 1 + i * 0.01
    c = [192, 0, 2, 2 + i % 200]
    seg(t, c, S, 2000 + i, 80, SYN, 1000, 0)
    seg(t + 0.001, S, c, 80, 2000 + i, SYN | ACK, 9000, 1001)
    seg(t + 0.002, c, S, 2000 + i, 80, ACK, 1001, 9001)
    seg(t + 0.003, c, S, 2000 + i, 80, RST | ACK, 1001, 9001)
seg(5.0, C, S, 1000, 80, ACK, 102, 502)

with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for t, p in packets:
        sec = int(t)
        f.write(struct.pack('<IIII', sec, int(round((t - sec) * 1e6)),
                            len(p), len(p)))
        f.write(p)
