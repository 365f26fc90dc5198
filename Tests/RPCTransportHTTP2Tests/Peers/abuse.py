"""Misbehaving peers against a running Hodei gRPC server (hodei-interop-server).

Usage: abuse.py PORT SERVER_PID
Each case misbehaves on its own connection, then checks that the server answered with
the right error or closed only that connection, that a well-behaved call still works, and
that the server's resident memory stayed bounded. Prints 'N passed, M failed'.
"""
import socket
import struct
import sys
import time

import h2.config
import h2.connection
import h2.events

PORT = int(sys.argv[1])
PID = int(sys.argv[2])
SERVICE = "/grpc.testing.TestService"
results = []


def rss_kib():
    with open(f"/proc/{PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def record(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} {name} {detail}", flush=True)


def connect(timeout=5.0):
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def h2_client(sock):
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1 << 20})
    sock.sendall(conn.data_to_send())
    return conn


def grpc_message(payload):
    return b"\x00" + struct.pack(">I", len(payload)) + payload


def simple_request(response_size, payload_size):
    # SimpleRequest{response_size=2 (varint), payload=3{body=2}}
    body = b"\x12" + varint(payload_size) + b"\x00" * payload_size
    return b"\x10" + varint(response_size) + b"\x1a" + varint(len(body)) + body


def varint(value):
    out = b""
    while value >= 0x80:
        out += bytes([value & 0x7F | 0x80])
        value >>= 7
    return out + bytes([value])


def request_headers(path, extra=()):
    return [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", f"127.0.0.1:{PORT}"),
            ("content-type", "application/grpc"), ("te", "trailers")] + list(extra)


def call(conn, sock, path, body, end=True, timeout=10.0):
    """Sends one request and collects (headers, data, trailers, reset) for its stream."""
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, request_headers(path))
    conn.send_data(stream, body, end_stream=end)
    sock.sendall(conn.data_to_send())
    return collect(conn, sock, stream, timeout)


def collect(conn, sock, stream, timeout):
    headers, data, trailers, reset = [], b"", [], None
    deadline = time.time() + timeout
    sock.settimeout(1.0)
    while time.time() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        for event in conn.receive_data(chunk):
            if isinstance(event, h2.events.ResponseReceived) and event.stream_id == stream:
                headers = event.headers
            elif isinstance(event, h2.events.DataReceived) and event.stream_id == stream:
                data += event.data
                conn.acknowledge_received_data(event.flow_controlled_length, stream)
            elif isinstance(event, h2.events.TrailersReceived) and event.stream_id == stream:
                trailers = event.headers
            elif isinstance(event, h2.events.StreamReset) and event.stream_id == stream:
                reset = event.error_code
            if isinstance(event, h2.events.StreamEnded) and event.stream_id == stream:
                sock.sendall(conn.data_to_send())
                return headers, data, trailers, reset
        sock.sendall(conn.data_to_send())
        if reset is not None:
            break
    return headers, data, trailers, reset


def status_of(headers, trailers):
    for name, value in list(trailers) + list(headers):
        if name == "grpc-status":
            return int(value)
    return None


def healthy_call():
    """A normal unary call on a fresh connection: the server still serves everyone else."""
    sock = connect()
    conn = h2_client(sock)
    headers, data, trailers, _ = call(conn, sock, SERVICE + "/UnaryCall", grpc_message(simple_request(10, 10)))
    sock.close()
    return status_of(headers, trailers) == 0 and len(data) > 5


def closed_by_server(sock, timeout=5.0):
    sock.settimeout(timeout)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


baseline = rss_kib()
print(f"server RSS at start: {baseline} KiB", flush=True)

# 1. Garbage instead of the connection preface: that connection is closed.
sock = connect()
sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + b"\xff" * 1000)
record("garbage preface closes the connection", closed_by_server(sock))
sock.close()
record("serving after garbage", healthy_call())

# 2. A 4 GiB length prefix: RESOURCE_EXHAUSTED at once, without the body.
sock = connect()
conn = h2_client(sock)
headers, _, trailers, reset = call(conn, sock, SERVICE + "/UnaryCall", b"\x00\xff\xff\xff\xff" + b"\x00" * 100, end=False)
record("4 GiB prefix is RESOURCE_EXHAUSTED", status_of(headers, trailers) == 8, f"headers={headers} trailers={trailers} reset={reset}")
sock.close()

# 3. A stream reset in the middle of a message: the call is dropped, the connection lives.
sock = connect()
conn = h2_client(sock)
stream = conn.get_next_available_stream_id()
conn.send_headers(stream, request_headers(SERVICE + "/UnaryCall"))
conn.send_data(stream, b"\x00\x00\x01\x00\x00" + b"\x00" * 100)  # 100 of 65536 announced bytes
conn.reset_stream(stream)
sock.sendall(conn.data_to_send())
headers, data, trailers, _ = call(conn, sock, SERVICE + "/UnaryCall", grpc_message(simple_request(10, 10)))
record("reset mid-message, same connection still serves", status_of(headers, trailers) == 0)
sock.close()

# 4. A flood of PINGs from a peer that never reads the acks: nghttp2 stops it; others are served.
sock = connect()
conn = h2_client(sock)
sock.sendall(conn.data_to_send())
ping = b"\x00\x00\x08\x06\x00\x00\x00\x00\x00" + b"12345678"
flood_closed = False
sock.settimeout(2.0)
try:
    for _ in range(200):
        sock.sendall(ping * 1000)
except (BrokenPipeError, ConnectionResetError, socket.timeout):
    flood_closed = True
flood_growth = rss_kib() - baseline
record("a PING flood does not grow the server", flood_growth < 32 * 1024,
       f"RSS grew {flood_growth} KiB; connection {'closed by the server' if flood_closed else 'kept'}")
record("serving during/after the flood", healthy_call())
sock.close()

# 5. A peer that never reads: a server-streaming call of 64 MiB; the server must not buffer it all.
sock = connect()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
conn.initiate_connection()
conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: (1 << 31) - 1})
conn.increment_flow_control_window((1 << 31) - 1 - 65535)
stream = conn.get_next_available_stream_id()
conn.send_headers(stream, request_headers(SERVICE + "/StreamingOutputCall"))
params = b"".join(b"\x12\x04\x08" + varint(1 << 20)[:3] for _ in range(64))  # 64 x ResponseParameters{size=1 MiB}
conn.send_data(stream, grpc_message(params), end_stream=True)
sock.sendall(conn.data_to_send())
time.sleep(3)  # give the server every chance to overrun its buffers
grown = rss_kib() - baseline
record("a peer that never reads does not grow the server", grown < 48 * 1024, f"RSS grew {grown} KiB for 64 MiB requested")
record("serving while a peer does not read", healthy_call())
sock.close()

# 6. Thousands of idle connections: each costs little and the server still serves.
before = rss_kib()
idle = []
for _ in range(2000):
    s = connect()
    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
    idle.append(s)
time.sleep(1)
per_connection = (rss_kib() - before) * 1024 / len(idle)
record("serving with 2000 idle connections open", healthy_call())
record("an idle connection costs under 64 KiB", per_connection < 64 * 1024, f"{per_connection:.0f} bytes each")
for s in idle:
    s.close()

failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed", flush=True)
sys.exit(1 if failed else 0)
