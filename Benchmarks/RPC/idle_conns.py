#!/usr/bin/env python3
"""RPC-I: opens COUNT idle HTTP/2 connections to 127.0.0.1:PORT and reports how much the
server's resident memory grew per connection.

Each connection sends the client preface and an empty SETTINGS frame, waits for the
server's SETTINGS (so the server has accepted and set the connection up), acknowledges
it, answers PINGs, and otherwise stays idle. Connections are opened in batches so that
the listen backlog never overflows. When all are up, it holds them for HOLD seconds,
reads VmRSS and VmHWM of PID, and closes them.

    idle_conns.py --port P --pid PID [--count 5000] [--hold 3] [--timeout 120]

Prints one line:
    conns=N rss_before_kib=A rss_after_kib=B hwm_after_kib=C bytes_per_conn=D seconds=S
Exits 1 if not every connection came up (or one was closed by the server).
Standard library only.
"""
import argparse
import resource
import selectors
import socket
import struct
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS = 0x4
PING = 0x6
GOAWAY = 0x7
ACK = 0x1


def frame(ftype: int, flags: int, stream: int, payload: bytes = b"") -> bytes:
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


def proc_status_kib(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


class Conn:
    __slots__ = ("sock", "buf", "ready", "closed")

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.ready = False
        self.closed = False


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--hold", type=float, default=3.0)
    ap.add_argument("--batch", type=int, default=250)
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.count + 64
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(need, soft), hard), hard))
        if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < need:
            print(f"error: need {need} file descriptors, limit is {hard}", file=sys.stderr)
            return 1

    rss_before = proc_status_kib(args.pid, "VmRSS")
    sel = selectors.DefaultSelector()
    conns = []
    ready = 0
    failed = 0
    start = time.monotonic()
    deadline = start + args.timeout
    hello = PREFACE + frame(SETTINGS, 0, 0)

    def pump(until_ready: int, until: float) -> None:
        nonlocal ready, failed
        while time.monotonic() < until and (ready < until_ready or until_ready < 0):
            for key, _ in sel.select(timeout=0.05):
                c = key.data
                try:
                    data = c.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(c.sock)
                    c.closed = True
                    failed += 1
                    continue
                c.buf += data
                while len(c.buf) >= 9:
                    length = int.from_bytes(c.buf[0:3], "big")
                    if len(c.buf) < 9 + length:
                        break
                    ftype, flags = c.buf[3], c.buf[4]
                    payload = c.buf[9 : 9 + length]
                    c.buf = c.buf[9 + length :]
                    if ftype == SETTINGS and not flags & ACK:
                        c.sock.sendall(frame(SETTINGS, ACK, 0))
                        if not c.ready:
                            c.ready = True
                            ready += 1
                    elif ftype == PING and not flags & ACK:
                        c.sock.sendall(frame(PING, ACK, 0, payload))
                    elif ftype == GOAWAY:
                        pass  # the server will close; counted when recv returns b""

    while len(conns) < args.count and time.monotonic() < deadline:
        n = min(args.batch, args.count - len(conns))
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.connect(("127.0.0.1", args.port))
            s.sendall(hello)
            s.setblocking(False)
            c = Conn(s)
            conns.append(c)
            sel.register(s, selectors.EVENT_READ, c)
        pump(len(conns) - failed, deadline)
        if failed:
            break

    pump(len(conns), deadline)
    hold_until = time.monotonic() + args.hold
    pump(-1, hold_until)  # stay responsive (PINGs) while idle
    elapsed = time.monotonic() - start
    rss_after = proc_status_kib(args.pid, "VmRSS")
    hwm_after = proc_status_kib(args.pid, "VmHWM")
    alive = sum(1 for c in conns if c.ready and not c.closed)
    per_conn = (rss_after - rss_before) * 1024 / max(alive, 1)
    print(
        f"conns={alive} rss_before_kib={rss_before} rss_after_kib={rss_after} "
        f"hwm_after_kib={hwm_after} bytes_per_conn={per_conn:.0f} seconds={elapsed:.1f}",
        flush=True,
    )
    for c in conns:
        try:
            c.sock.close()
        except OSError:
            pass
    if alive != args.count:
        print(f"error: {alive} of {args.count} connections up ({failed} closed by the server)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
