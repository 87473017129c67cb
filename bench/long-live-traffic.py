#!/usr/bin/env python3
"""Traffic for bench/long-live.sh, kernel TCP only (run inside the namespaces
the script makes).

  long-live-traffic.py server
      echo on 7, a sink on 5001 (reads and throws away), both forever
  long-live-traffic.py client HOST SECONDS SEGMENTS_PER_S CONNS_PER_S
      one bulk connection to HOST:5001 paced at SEGMENTS_PER_S writes of
      1448 bytes, and CONNS_PER_S short echo exchanges (connect, three
      lines, close) to HOST:7, for SECONDS; prints what it did at the end.
"""
import socket
import socketserver
import sys
import threading
import time


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(4096)
            if not data:
                return
            self.request.sendall(data)


class Sink(socketserver.BaseRequestHandler):
    def handle(self):
        while self.request.recv(65536):
            pass


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def serve():
    threads = []
    for port, handler in ((7, Echo), (5001, Sink)):
        srv = Server(("0.0.0.0", port), handler)
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


def bulk(host, seconds, rate, done):
    """Paced writes: one MSS-sized write per tick keeps the segment rate
    steady whatever the window does."""
    s = socket.create_connection((host, 5001))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    chunk = b"x" * 1448
    start = time.monotonic()
    sent = 0
    while time.monotonic() - start < seconds:
        due = start + sent / rate
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        s.sendall(chunk)
        sent += 1
    s.close()
    done["bulk_writes"] = sent


def exchanges(host, seconds, rate, done):
    start = time.monotonic()
    n = failed = 0
    while time.monotonic() - start < seconds:
        due = start + n / rate
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        n += 1
        try:
            with socket.create_connection((host, 7), timeout=5) as s:
                for line in (b"hello\n", b"tcpladder\n", b"bye\n"):
                    s.sendall(line)
                    got = b""
                    while len(got) < len(line):
                        part = s.recv(64)
                        if not part:
                            break
                        got += part
        except OSError:
            failed += 1
    done["exchanges"] = n
    done["exchanges_failed"] = failed


def client(host, seconds, seg_rate, conn_rate):
    done = {}
    ts = [threading.Thread(target=bulk, args=(host, seconds, seg_rate, done)),
          threading.Thread(target=exchanges,
                           args=(host, seconds, conn_rate, done))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(" ".join(f"{k}={v}" for k, v in sorted(done.items())))


if __name__ == "__main__":
    if sys.argv[1:2] == ["server"]:
        serve()
    elif sys.argv[1:2] == ["client"] and len(sys.argv) == 6:
        client(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]),
               float(sys.argv[5]))
    else:
        sys.exit(__doc__)
