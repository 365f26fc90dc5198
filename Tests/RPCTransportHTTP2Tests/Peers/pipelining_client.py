"""A client that pipelines unary requests without reading the responses (raw HTTP/2 frames,
HPACK from Python's hpack).

Usage: pipelining_client.py PORT PATH COUNT REQUEST_SIZE RESPONSE_SIZE GO_FILE

Grants the server windows large enough for every response, then writes COUNT requests of
REQUEST_SIZE bytes to PATH from a sender thread without reading its socket (it does not
learn the server's windows either: the requests must stay within what the server gives back
as it takes them). Once GO_FILE exists (the test creates it after looking at the server;
waits at most 60 s) it reads: passes if every call ends with grpc-status 0 and one message of
RESPONSE_SIZE bytes.
"""
import os
import queue
import socket
import struct
import sys
import threading
import time

import hpack

port, path, count, request_size, response_size, go_file = (
    int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])

DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 3, 4, 6, 7, 8
END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY = 0x1, 0x1, 0x4, 0x8, 0x20


def frame(kind, flags, stream_id, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream_id) + payload


preface = (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
           + frame(SETTINGS, 0, 0, struct.pack(">HI", 0x4, 2**31 - 1) + struct.pack(">HI", 0x2, 0))
           + frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 2**31 - 1 - 65535)))
encoder = hpack.Encoder()
body = b"\x00" + struct.pack(">I", request_size) + b"x" * request_size
requests = []
for index in range(count):
    stream_id = 1 + 2 * index
    block = encoder.encode([(":method", "POST"), (":scheme", "http"), (":path", path),
                            (":authority", f"127.0.0.1:{port}"), ("content-type", "application/grpc"), ("te", "trailers")])
    requests.append(frame(HEADERS, END_HEADERS, stream_id, block) + frame(DATA, END_STREAM, stream_id, body))

sock = socket.create_connection(("127.0.0.1", port))
control = queue.Queue()  # whole frames the reader must send (SETTINGS ACK, PING ACK)
sent_requests = 0


def sender():
    global sent_requests
    try:
        sock.sendall(preface)
        for blob in requests:
            while not control.empty():
                sock.sendall(control.get())
            sock.sendall(blob)
            sent_requests += 1
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                sock.sendall(control.get(timeout=0.5))
            except queue.Empty:
                continue
    except OSError:
        return


threading.Thread(target=sender, daemon=True).start()
deadline = time.time() + 60
while not os.path.exists(go_file) and time.time() < deadline:
    time.sleep(0.05)
print(f"requests fully written before reading: {sent_requests} of {count}", flush=True)

decoder = hpack.Decoder()
decoder.max_allowed_table_size = 65536
statuses, sizes, pending = {}, {}, b""
sock.settimeout(60)
while len(statuses) < count:
    data = sock.recv(1 << 20)
    if not data:
        print("the server closed the connection")
        break
    pending += data
    while len(pending) >= 9:
        length = int.from_bytes(pending[:3], "big")
        if len(pending) < 9 + length:
            break
        kind, flags, stream_id = pending[3], pending[4], int.from_bytes(pending[5:9], "big") & 0x7FFFFFFF
        payload, pending = pending[9:9 + length], pending[9 + length:]
        if flags & PADDED and kind in (DATA, HEADERS):
            payload = payload[1:len(payload) - payload[0]]
        if kind == DATA:
            sizes[stream_id] = sizes.get(stream_id, 0) + len(payload)
        elif kind == HEADERS:
            fields = dict(decoder.decode(payload[5:] if flags & PRIORITY else payload))
            if flags & END_STREAM:
                statuses[stream_id] = fields.get("grpc-status", fields.get(b"grpc-status"))
        elif kind == RST_STREAM:
            statuses[stream_id] = f"reset {int.from_bytes(payload, 'big')}"
        elif kind == SETTINGS and not flags & ACK:
            control.put(frame(SETTINGS, ACK, 0))
        elif kind == PING and not flags & ACK:
            control.put(frame(PING, ACK, 0, payload))
        elif kind == GOAWAY:
            print(f"GOAWAY {payload[4:8].hex()} {payload[8:]!r}")

ok_calls = sum(1 for stream, status in statuses.items() if status in ("0", b"0") and sizes.get(stream) == 5 + response_size)
print(f"{len(statuses)} calls ended, {ok_calls} with status 0 and a {response_size}-byte response")
sys.exit(0 if ok_calls == count else 1)
