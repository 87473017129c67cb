#!/usr/bin/python3
"""Writes tests/data/app/http1-fields.pcap: HTTP/1.x exchanges for the
http.* fields and filters (tests/fields.sh, tests/filters.sh), each on
its own connection, with tshark 4.0 as the oracle (docs/analysis.md,
"HTTP"): a response in three segments; a request's headers split and a
chunked response; three pipelined requests and their responses, two in one
segment; a response without a length ended by the FIN (port 8080), and
one ended by a bare FIN (sent twice); a port off tshark's HTTP list (heuristics); a
retransmitted request and a response body out of order; HEAD, 304, 204
and 100-continue; bytes that are not HTTP on port 5000 and on port 80; a
POST body over three segments (port 3128); OPTIONS and PUT (8080); a
status line without a phrase. Scapy; documentation addresses only.

    python3 tests/data/tools/http_fields.py OUT.pcap
"""
import sys
from scapy.all import Ether, IP, TCP, Raw, wrpcap

T = [1700000000.0]
pkts = []

class Conn:
    def __init__(self, cport, sport, cip="192.0.2.1", sip="192.0.2.2"):
        self.cport, self.sport, self.cip, self.sip = cport, sport, cip, sip
        self.cs, self.ss = 1000 + cport * 7, 50000 + cport * 13
        self.cn, self.sn = 1, 1   # next relative seq

    def p(self, d, flags, data=b"", seq=None, ack=None):
        T[0] += 0.001
        if d == "c":
            s = self.cn if seq is None else seq
            a = self.sn if ack is None else ack
            pk = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=self.cip, dst=self.sip) / TCP(
                sport=self.cport, dport=self.sport, flags=flags,
                seq=(self.cs + s) & 0xffffffff,
                ack=(self.ss + a) & 0xffffffff if "A" in flags else 0,
                window=8192)
            if seq is None:
                self.cn += len(data) + (1 if ("S" in flags or "F" in flags) else 0)
        else:
            s = self.sn if seq is None else seq
            a = self.cn if ack is None else ack
            pk = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / IP(src=self.sip, dst=self.cip) / TCP(
                sport=self.sport, dport=self.cport, flags=flags,
                seq=(self.ss + s) & 0xffffffff,
                ack=(self.cs + a) & 0xffffffff if "A" in flags else 0,
                window=8192)
            if seq is None:
                self.sn += len(data) + (1 if ("S" in flags or "F" in flags) else 0)
        if data:
            pk = pk / Raw(data)
        pk.time = T[0]
        pkts.append(pk)

    def hs(self):
        self.cn = self.sn = 0
        self.p("c", "S")
        self.p("s", "SA")
        self.p("c", "A")

    def close(self):
        self.p("c", "FA")
        self.p("s", "FA")
        self.p("c", "A")


def req(method, uri, host, extra=b"", body=b"", ver=b"HTTP/1.1"):
    h = method + b" " + uri + b" " + ver + b"\r\nHost: " + host + b"\r\n" + extra
    if body:
        h += b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    return h + b"\r\n" + body


def resp(code, phrase, body=b"", cl=True, extra=b"", ver=b"HTTP/1.1"):
    h = ver + b" " + code + b" " + phrase + b"\r\n" + extra
    if cl:
        h += b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    return h + b"\r\n" + body


def split(b, *cuts):
    out, last = [], 0
    for c in cuts:
        out.append(b[last:c]); last = c
    out.append(b[last:])
    return out

# 0: simple GET, response in 3 segments
c = Conn(40000, 80); c.hs()
c.p("c", "PA", req(b"GET", b"/files/1KB", b"example.com"))
r = resp(b"200", b"OK", b"a" * 2000)
for part in split(r, 700, 1400):
    c.p("s", "A" if part is not r else "PA", part)
c.p("c", "A"); c.close()

# 1: request headers split; chunked response
c = Conn(40001, 80); c.hs()
q = req(b"GET", b"/chunked?x=1", b"www.example.org:8000", b"User-Agent: t\r\n")
for part in split(q, 20): c.p("c", "PA", part)
body = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
r = resp(b"200", b"OK", cl=False, extra=b"Transfer-Encoding: chunked\r\n") + body
for part in split(r, 50, len(r) - 10): c.p("s", "PA", part)
c.close()

# 2: pipelining: 3 requests in one segment; 2 responses in one
c = Conn(40002, 80); c.hs()
c.p("c", "PA", req(b"GET", b"/a", b"h") + req(b"GET", b"/b", b"h") + req(b"GET", b"/c", b"h"))
c.p("s", "PA", resp(b"200", b"OK", b"AAAA") + resp(b"301", b"Moved Permanently", b"", extra=b"Location: /b/\r\n"))
c.p("s", "PA", resp(b"404", b"Not Found", b"nope"))
c.close()

# 3: response without Content-Length, ended by the close (port 8080)
c = Conn(40003, 8080); c.hs()
c.p("c", "PA", req(b"GET", b"/stream", b"proxy:8080", ver=b"HTTP/1.0"))
c.p("s", "PA", resp(b"200", b"OK", cl=False, ver=b"HTTP/1.0") + b"part1")
c.p("s", "PA", b"part2")
c.p("s", "FPA", b"part3")
c.p("c", "FA")
c.p("s", "A")

# 4: off the port list (8082): heuristics
c = Conn(40004, 8082); c.hs()
c.p("c", "PA", req(b"GET", b"/files/100KB", b"tcplab.example:8082"))
c.p("s", "PA", resp(b"200", b"OK", b"z" * 100))
c.close()

# 5: a retransmitted request and a retransmitted response
c = Conn(40005, 80); c.hs()
q = req(b"GET", b"/retrans", b"example.com")
c.p("c", "PA", q, seq=1)
c.p("c", "PA", q)
r = resp(b"200", b"OK", b"b" * 1500)
c.p("s", "PA", r)
c.p("c", "A")
c.p("s", "PA", r, seq=1)    # spurious retransmission of the response
c.close()

# 6: HEAD, 304, 204, 100-continue POST
c = Conn(40006, 80); c.hs()
c.p("c", "PA", req(b"HEAD", b"/h", b"example.com"))
c.p("s", "PA", resp(b"200", b"OK", cl=False, extra=b"Content-Length: 5000\r\n"))
c.p("c", "PA", req(b"GET", b"/nm", b"example.com", b"If-None-Match: x\r\n"))
c.p("s", "PA", resp(b"304", b"Not Modified", cl=False))
c.p("c", "PA", req(b"DELETE", b"/d", b"example.com"))
c.p("s", "PA", resp(b"204", b"No Content", cl=False))
body = b"k=v&files=1"
c.p("c", "PA", req(b"POST", b"/upload", b"example.com", b"Expect: 100-continue\r\nContent-Length: 11\r\n"))
c.p("s", "PA", b"HTTP/1.1 100 Continue\r\n\r\n")
c.p("c", "PA", body)
c.p("s", "PA", resp(b"201", b"Created", b"ok"))
c.close()

# 8: not HTTP on a non-HTTP port
c = Conn(40008, 5000); c.hs()
c.p("c", "PA", b"hello there\r\n")
c.p("s", "PA", b"GET ready\r\n")
c.close()

# 9: POST with a body over two segments, IPv4, port 3128
c = Conn(40009, 3128); c.hs()
q = req(b"POST", b"http://example.com/form", b"example.com", b"Content-Type: x\r\n", b"q" * 3000)
for part in split(q, 1200, 2400): c.p("c", "PA", part)
c.p("s", "PA", resp(b"200", b"Connection established", b"done"))
c.close()

# 10: non-HTTP bytes on port 80 (a binary protocol)
c = Conn(40010, 80); c.hs()
c.p("c", "PA", b"\x16\x03\x01\x00\x05hello")
c.p("s", "PA", b"\x16\x03\x03\x00\x02ok")
c.close()

# 11: HTTP on 8080 where the response says Connection: close, body by CL
c = Conn(40011, 8080); c.hs()
c.p("c", "PA", req(b"OPTIONS", b"*", b"example.com"))
c.p("s", "PA", resp(b"200", b"OK", b"", extra=b"Allow: GET\r\n"))
c.p("c", "PA", req(b"PUT", b"/x", b"example.com", body=b"12345"))
c.p("s", "PA", resp(b"500", b"Internal Server Error", b"e" * 10))
c.close()

# 12: a response without a length, then a FIN without data
c = Conn(40012, 80); c.hs()
c.p("c", "PA", req(b"GET", b"/old", b"example.com", ver=b"HTTP/1.0"))
c.p("s", "PA", resp(b"200", b"OK", cl=False, ver=b"HTTP/1.0") + b"abc")
c.p("s", "PA", b"def")
c.p("s", "FA")
c.p("s", "FA", seq=c.sn - 1)    # the FIN again
c.p("c", "FA")
c.p("s", "A")

# 13: a status line without a phrase; an IPv6-free host with a port
c = Conn(40013, 80); c.hs()
c.p("c", "PA", req(b"GET", b"/files/1KB?a=b&c=d", b"[2001:db8::2]:80"))
c.p("s", "PA", b"HTTP/1.1 200\r\nContent-Length: 3\r\n\r\nxyz")
c.close()

wrpcap(sys.argv[1], pkts)
