#!/usr/bin/python3
"""Tiny kernel-TCP client/server used by make-captures.sh inside network
namespaces.  Only for the documentation ranges 192.0.2.0/24, 2001:db8::/32.

  tcpapp.py server ADDR PORT MODE [options]     MODE: sink | source | reqresp
  tcpapp.py client ADDR PORT MODE [options]     MODE: upload | download |
                                                      keepalive | reuse
Options:
  --bytes N        bytes to send (upload/source) [300000]
  --conns N        server: connections to serve before exiting [1]
  --rcvbuf N       SO_RCVBUF (set before listen/connect)
  --pause S        server sink: sleep S seconds after accept before reading
  --chunk N        reads of N bytes ...            [65536]
  --delay S        ... with S seconds between reads [0]
  --sport N        client: bind this source port (SO_REUSEADDR)
  --idle S         keepalive: how long to stay idle with keep-alives on [3.5]
  --timeout S      give up after S seconds [30]
"""
import argparse
import socket
import sys
import time


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def recv_all(s, chunk, delay):
    n = 0
    while True:
        b = s.recv(chunk)
        if not b:
            return n
        n += len(b)
        if delay:
            time.sleep(delay)


def server(a):
    ls = socket.socket(fam(a.addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.rcvbuf:
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    ls.bind((a.addr, a.port))
    ls.listen(8)
    ls.settimeout(a.timeout)
    print("listening", flush=True)
    for _ in range(a.conns):
        s, peer = ls.accept()
        s.settimeout(a.timeout)
        if a.mode == "sink":
            if a.pause:
                time.sleep(a.pause)
            n = recv_all(s, a.chunk, a.delay)
            print("sink got %d from %s" % (n, peer[0]), flush=True)
        elif a.mode == "source":
            s.sendall(b"D" * a.bytes)
            s.shutdown(socket.SHUT_WR)
            recv_all(s, 65536, 0)
        elif a.mode == "reqresp":
            req = s.recv(4096)
            s.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 11\r\n\r\n"
                      b"hello world" if req else b"")
            # server closes first: it is the side that goes to TIME_WAIT
        s.close()
    ls.close()


def client(a):
    s = socket.socket(fam(a.addr), socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    if a.rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    if a.sport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", a.sport))
    s.connect((a.addr, a.port))
    if a.mode == "upload":
        s.sendall(b"U" * a.bytes)
        s.shutdown(socket.SHUT_WR)
        recv_all(s, 65536, 0)
    elif a.mode == "download":
        n = recv_all(s, a.chunk, a.delay)
        print("download got %d" % n, flush=True)
    elif a.mode == "keepalive":
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        time.sleep(a.idle)
        s.shutdown(socket.SHUT_WR)
        recv_all(s, 65536, 0)
    elif a.mode == "reqresp":
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        recv_all(s, 65536, 0)
    s.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("mode")
    p.add_argument("--bytes", type=int, default=300000)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--rcvbuf", type=int, default=0)
    p.add_argument("--pause", type=float, default=0)
    p.add_argument("--chunk", type=int, default=65536)
    p.add_argument("--delay", type=float, default=0)
    p.add_argument("--sport", type=int, default=0)
    p.add_argument("--idle", type=float, default=3.5)
    p.add_argument("--timeout", type=float, default=30)
    a = p.parse_args()
    if not (a.addr.startswith("192.0.2.") or a.addr.lower().startswith("2001:db8:")):
        sys.exit("tcpapp.py: refusing address outside 192.0.2.0/24, 2001:db8::/32")
    if a.role == "server":
        server(a)
    else:
        if a.mode == "reuse":
            # two successive connections from the same source port; the
            # server closes first, so the server side holds TIME_WAIT and
            # the client can bind the port again at once.
            a.mode = "reqresp"
            client(a)
            time.sleep(0.3)
            client(a)
        else:
            client(a)


if __name__ == "__main__":
    main()
