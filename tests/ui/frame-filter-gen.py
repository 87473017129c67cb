#!/usr/bin/env python3
"""frame-filter-gen.py FILE N: a pcap of N small segments of one
connection (Ethernet, IPv4 with TTL 128 and 64 in turn, TCP, one byte of
payload each), large enough that the view's filter reads its frames for
a noticeable moment (frame-filter.sh: the progress line and Esc)."""
import struct, sys
n = int(sys.argv[2])
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    eth = bytes.fromhex('020000000002020000000001') + b'\x08\x00'
    rec = struct.Struct('<IIII')
    ipt = struct.Struct('!BBHHHBBH4s4s')
    tcp = struct.Struct('!HHIIBBHHH')
    src, dst = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
    out = []
    for i in range(n):
        ip = ipt.pack(0x45, 0, 41, i & 0xffff, 0x4000, 64 if i % 2 else 128, 6, 0, src, dst)
        t = tcp.pack(40000, 80, 1000 + i, 0, 0x50, 0x18 if i else 0x02, 65535, 0, 0)
        pkt = eth + ip + t + b'x'
        out.append(rec.pack(i // 1000, (i % 1000) * 1000, len(pkt), len(pkt)) + pkt)
        if len(out) >= 10000:
            f.write(b''.join(out)); out = []
    f.write(b''.join(out))
