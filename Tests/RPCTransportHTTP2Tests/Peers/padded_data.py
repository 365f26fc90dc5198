"""Padded DATA frames against a Hodei server with a 64 KiB connection window.

Usage: padded_data.py PORT PATH FRAMES
Sends one client-streaming call of FRAMES gRPC messages of 10 bytes, each in its own DATA
frame with 200 bytes of padding, waiting for window as HTTP/2 requires. Padding counts
against the windows: if the server did not give it back, the windows would run out after
a few hundred frames and this script would time out. Expects grpc-status 0 and a response
"count/bytes" as text (the Count method). Exit status 0 on success.
"""
import socket
import struct
import sys

import h2.config
import h2.connection
import h2.events

PORT, PATH, FRAMES = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
PAD = 200

sock = socket.create_connection(("127.0.0.1", PORT), timeout=10.0)
conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
conn.initiate_connection()
sock.sendall(conn.data_to_send())
stream = conn.get_next_available_stream_id()
conn.send_headers(stream, [(":method", "POST"), (":scheme", "http"), (":path", PATH), (":authority", f"127.0.0.1:{PORT}"),
                           ("content-type", "application/grpc"), ("te", "trailers")])
sock.sendall(conn.data_to_send())

body = b""
status = None
ended = False


def pump():
    """Reads one batch from the server (a socket timeout ends the script with an error)."""
    global body, status, ended
    data = sock.recv(65536)
    if not data:
        raise SystemExit("the server closed the connection")
    for event in conn.receive_data(data):
        if isinstance(event, h2.events.DataReceived):
            body += event.data
            conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.TrailersReceived) or isinstance(event, h2.events.ResponseReceived):
            for name, value in event.headers:
                if name == "grpc-status":
                    status = value
        elif isinstance(event, h2.events.StreamEnded):
            ended = True
        elif isinstance(event, h2.events.StreamReset):
            raise SystemExit(f"the server reset the stream: {event.error_code}")
    sock.sendall(conn.data_to_send())


message = b"\x00" + struct.pack(">I", 10) + b"0123456789"
needed = len(message) + PAD + 1
for index in range(FRAMES):
    while conn.local_flow_control_window(stream) < needed:
        pump()
    conn.send_data(stream, message, pad_length=PAD)
    sock.sendall(conn.data_to_send())
conn.end_stream(stream)
sock.sendall(conn.data_to_send())
while not ended:
    pump()
reply = body[5:].decode() if len(body) >= 5 else ""
print(f"status={status} reply={reply} flow-controlled={FRAMES * needed}")
sys.exit(0 if status == "0" and reply == f"{FRAMES}/{FRAMES * 10}" else 1)
