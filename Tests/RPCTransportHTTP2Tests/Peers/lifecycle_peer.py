"""Raw TCP peers for connection lifecycle tests.

Usage: lifecycle_peer.py silent PORT   -- an HTTP/2 peer that never answers PINGs; passes if
                                          the server closes it within 5 s
       lifecycle_peer.py limit PORT N  -- opens N+1 connections; passes if the server keeps N
                                          and closes the extra one at once
"""
import socket
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"


def closed_within(sock, seconds):
    sock.settimeout(0.2)
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            continue
        except ConnectionResetError:
            return True
    return False


mode, port = sys.argv[1], int(sys.argv[2])
if mode == "silent":
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(PREFACE)
    ok = closed_within(sock, 5)
    print("closed by the server" if ok else "still open after 5 s")
else:
    limit = int(sys.argv[3])
    kept = [socket.create_connection(("127.0.0.1", port)) for _ in range(limit)]
    for sock in kept:
        sock.sendall(PREFACE)
    extra = socket.create_connection(("127.0.0.1", port))
    extra_closed = closed_within(extra, 3)
    kept_open = not any(closed_within(sock, 0.3) for sock in kept)
    ok = extra_closed and kept_open
    print(f"extra closed: {extra_closed}, first {limit} open: {kept_open}")
print(f"{int(ok)} passed, {int(not ok)} failed")
sys.exit(0 if ok else 1)
