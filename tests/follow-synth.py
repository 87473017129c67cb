#!/usr/bin/python3
"""follow-synth.py DIR -- writes small captures of the follow reassembly's
corner cases into DIR (deterministic: fixed times, addresses in the
documentation ranges). tests/follow.sh compares tcpladder's -z follow with
tshark's on each of them."""

import os
import sys

from scapy.all import IP, IPv6, TCP, Ether, Raw, wrpcap  # noqa: E402

C4, S4 = "192.0.2.1", "192.0.2.2"
C6, S6 = "2001:db8::1", "2001:db8::2"
CMAC, SMAC = "02:00:00:00:00:01", "02:00:00:00:00:02"


class Conn:
    """One connection; c() and s() add a segment of the client or server
    with seq/ack relative to the ISNs."""

    def __init__(self, isn_c=1000, isn_s=5000, v6=False, cport=40000,
                 sport=80):
        self.isn = [isn_c, isn_s]
        self.v6 = v6
        self.ports = [cport, sport]
        self.pkts = []
        self.t = 1_700_000_000.0

    def seg(self, d, flags, seq, ack, data=b""):
        src, dst = (C6, S6) if self.v6 else (C4, S4)
        if d:
            src, dst = dst, src
        ip = IPv6(src=src, dst=dst) if self.v6 else IP(src=src, dst=dst)
        tcp = TCP(sport=self.ports[d], dport=self.ports[1 - d], flags=flags,
                  seq=(self.isn[d] + seq) & 0xffffffff,
                  ack=(self.isn[1 - d] + ack) & 0xffffffff if "A" in flags
                  else 0, window=8192)
        p = Ether(src=SMAC if d else CMAC, dst=CMAC if d else SMAC) / ip / tcp
        if data:
            p = p / Raw(data)
        self.t += 0.001
        p.time = self.t
        self.pkts.append(p)

    def c(self, flags, seq, ack, data=b""):
        self.seg(0, flags, seq, ack, data)

    def s(self, flags, seq, ack, data=b""):
        self.seg(1, flags, seq, ack, data)

    def handshake(self):
        self.c("S", 0, 0)
        self.s("SA", 0, 1)
        self.c("A", 1, 1)


def text(n, start=0):
    return bytes((0x41 + (i + start) % 26) for i in range(n))


def h2(ftype, flags, stream, payload):
    """An HTTP/2 frame: 9-byte header, then the payload."""
    return (len(payload).to_bytes(3, "big") + bytes([ftype, flags]) +
            stream.to_bytes(4, "big") + payload)


def cases():
    out = {}

    k = Conn()
    k.handshake()
    k.c("PA", 1, 1, text(100))
    k.c("PA", 1, 1, text(150))          # retransmission with 50 more
    k.s("A", 1, 151)
    k.c("FA", 151, 1)
    k.s("FA", 1, 152)
    out["retrans_more"] = k

    k = Conn()
    k.handshake()
    k.c("PA", 51, 1, text(50, 50))      # second half first
    k.s("A", 1, 1)
    k.c("A", 1, 1, text(50))            # then the first
    k.s("A", 1, 101)
    out["ooo_halves"] = k

    k = Conn()
    k.handshake()
    # 1..100 never captured; the server acknowledges past it.
    k.c("PA", 101, 1, text(100, 100))
    k.s("A", 1, 201)
    k.s("PA", 1, 201, b"thanks\r\n")
    k.c("FA", 201, 9)
    k.s("FA", 9, 202)
    out["gap_acked"] = k

    k = Conn()
    k.handshake()
    k.c("PA", 101, 1, text(100, 100))   # hole never acknowledged
    k.s("A", 1, 1)
    k.s("PA", 1, 1, b"hello\n")
    out["gap_unacked"] = k

    k = Conn()
    k.handshake()
    k.c("PA", 1, 1, b"GET / HTTP/1.1\r\n\r\n")
    k.s("A", 1, 19)
    k.c("A", 18, 1, b"\x00")            # keep-alive with a byte
    k.s("A", 1, 19)
    k.c("A", 18, 1)                     # keep-alive without
    k.s("PA", 1, 19, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
    out["keepalive"] = k

    k = Conn()
    k.handshake()
    k.c("PA", 1, 1, text(64))
    k.s("A", 1, 65)
    k.c("A", 65, 1, b"Z")               # zero-window probe
    k.s("A", 1, 65)
    k.c("A", 65, 1, b"Z")               # again
    k.c("PA", 65, 1, b"Zrest of it")    # then the rest, with the byte
    k.s("A", 1, 76)
    out["zero_window_probe"] = k

    k = Conn()
    k.handshake()
    k.c("FPA", 1, 1, b"last words\n")   # FIN with data
    k.s("FPA", 1, 13, b"bye\n")
    k.c("A", 13, 6)
    out["fin_with_data"] = k

    k = Conn(isn_c=0xffffffff - 40, isn_s=0xfffffff0)
    k.handshake()
    for i in range(5):                  # crosses 2^32 in both directions
        k.c("PA", 1 + 20 * i, 1 + 10 * i, text(20, i))
        k.s("PA", 1 + 10 * i, 21 + 20 * i, text(10, 7 * i))
    out["seq_wrap"] = k

    k = Conn()
    k.c("S", 0, 0, b"early data in the SYN")
    k.s("SA", 0, 22)
    k.c("PA", 22, 1, b"more")
    out["syn_data"] = k

    k = Conn()
    k.handshake()
    k.c("PA", 1, 1, text(40))
    k.c("PA", 61, 1, text(40, 60))      # early
    k.c("PA", 81, 1, text(40, 80))      # early, overlaps the one before
    k.c("PA", 21, 1, text(60, 20))      # overlaps both ends
    k.s("A", 1, 121)
    out["overlaps"] = k

    k = Conn()                          # no handshake, first data early
    k.c("PA", 100, 0, text(30, 100))
    k.s("A", 0, 130)
    k.c("PA", 0, 0, text(100))
    k.c("PA", 130, 0, text(30, 130))
    out["midstream"] = k

    k = Conn(v6=True)
    k.handshake()
    k.s("PA", 1, 1, b"Sat Dec  5 06:00:00 2026\r\n")   # daytime: server first
    k.c("PA", 1, 27, b"x")
    k.s("PA", 61, 2, text(30))          # hole of 33
    k.c("A", 2, 91)
    k.s("FA", 91, 2)
    out["v6_server_first_gap"] = k

    k = Conn()
    k.handshake()
    # Two holes, acknowledged at once.
    k.c("PA", 11, 1, text(10, 10))
    k.c("PA", 31, 1, text(10, 30))
    k.s("A", 1, 41)
    k.c("PA", 41, 1, b"\t\x01\x7f\xff end")
    out["two_holes"] = k
    # The lab's questions: what did the echo server send back, what time
    # did the daytime server give (tests/ui/follow-screen.sh shows both).
    k = Conn(cport=41007, sport=7)
    k.handshake()
    msg = b"Hello, echo server! This is lab exercise 1.\n"
    k.c("PA", 1, 1, msg)
    k.s("PA", 1, 1 + len(msg), msg)
    k.c("A", 1 + len(msg), 1 + len(msg))
    k.c("FA", 1 + len(msg), 1 + len(msg))
    k.s("FA", 1 + len(msg), 2 + len(msg))
    k.c("A", 2 + len(msg), 2 + len(msg))
    out["lab_echo"] = k

    k = Conn(cport=41013, sport=13)
    k.handshake()
    day = b"Saturday, December 5, 2026 06:30:00-UTC\r\n"
    k.s("PA", 1, 1, day)
    k.c("A", 1, 1 + len(day))
    k.s("FA", 1 + len(day), 1)
    k.c("FA", 1, 2 + len(day))
    k.s("A", 2 + len(day), 2)
    out["lab_daytime"] = k

    # A slow conversation, for the view growing as a replay goes on.
    k = Conn(cport=41023, sport=23)
    k.handshake()
    seq = [1, 1]
    for i, line in enumerate([b"line one\n", b"line two\n", b"line three\n",
                              b"line four\n"]):
        k.t += 0.6
        d = i % 2
        (k.s if d else k.c)("PA", seq[d], seq[1 - d], line)
        seq[d] += len(line)
    out["slow_chat"] = k

    # HTTP/2 with prior knowledge (the follow view's frame view, h): the
    # preface and SETTINGS, a GET whose HEADERS frame is split over two
    # segments, the answer's HEADERS and DATA in one segment, acks.
    k = Conn(cport=41080, sport=8080)
    k.handshake()
    pre = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    get = h2(1, 0x5, 1, bytes([0x82, 0x86, 0x85]))  # GET /index.html
    cl = pre + h2(4, 0, 0, b"") + get[:5]
    k.c("PA", 1, 1, cl)
    k.c("PA", 1 + len(cl), 1, get[5:])
    cl = len(pre) + 9 + len(get)
    sv = h2(4, 0, 0, b"\x00\x03\x00\x00\x00\x64") + h2(4, 1, 0, b"")
    k.s("PA", 1, 1 + cl, sv)
    k.c("PA", 1 + cl, 1 + len(sv), h2(4, 1, 0, b""))
    cl += 9
    body = b"<html>hello over h2</html>\n"
    ans = h2(1, 0x4, 1, bytes([0x88])) + h2(0, 0x1, 1, body)
    k.s("PA", 1 + len(sv), 1 + cl, ans)
    k.c("PA", 1 + cl, 1 + len(sv) + len(ans), h2(7, 0, 0, bytes(8)))
    k.s("A", 1 + len(sv) + len(ans), 1 + cl + 17)
    out["http2"] = k

    # HTTP/2 after an h2c upgrade: the GET answered on stream 1.
    k = Conn(cport=41081, sport=80)
    k.handshake()
    req = (b"GET /up HTTP/1.1\r\nHost: 192.0.2.2\r\nConnection: Upgrade, "
           b"HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n")
    k.c("PA", 1, 1, req)
    ans = (b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
           b"Upgrade: h2c\r\n\r\n" + h2(4, 0, 0, b"") +
           h2(1, 0x4, 1, bytes([0x88])) + h2(0, 0x1, 1, b"upgraded\n"))
    k.s("PA", 1, 1 + len(req), ans)
    cl = pre + h2(4, 0, 0, b"") + h2(4, 1, 0, b"")
    k.c("PA", 1 + len(req), 1 + len(ans), cl)
    k.s("A", 1 + len(ans), 1 + len(req) + len(cl))
    out["http2_upgrade"] = k
    return out


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    for name, k in sorted(cases().items()):
        wrpcap(os.path.join(d, "follow_%s.pcap" % name), k.pkts)
        print(name)


if __name__ == "__main__":
    main()
