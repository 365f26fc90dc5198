"""A minimal gRPC-over-HTTP/2 server (Python h2) that counts the PINGs its clients send.

Usage: ping_counting_server.py COUNT_FILE

Prints "listening on 127.0.0.1:PORT". Every request gets response headers at once; when the
client ends its side, one empty message and grpc-status 0 follow. A call the client keeps
open therefore stays open and silent. PINGs are answered (h2 does it) and counted: after
each one COUNT_FILE holds the total so far. Exits when standard input closes or after 120 s.
"""
import os
import socket
import sys
import threading

import h2.config
import h2.connection
import h2.events

count_file = sys.argv[1]
pings = 0
lock = threading.Lock()


def note_ping():
    global pings
    with lock:
        pings += 1
        with open(count_file + ".tmp", "w") as out:
            out.write(str(pings))
        os.replace(count_file + ".tmp", count_file)


def serve(sock):
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.PingReceived):
                    note_ping()
                elif isinstance(event, h2.events.RequestReceived):
                    conn.send_headers(event.stream_id, [(":status", "200"), ("content-type", "application/grpc")])
                elif isinstance(event, h2.events.DataReceived):
                    conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    conn.send_data(event.stream_id, b"\x00\x00\x00\x00\x00")
                    conn.send_headers(event.stream_id, [("grpc-status", "0")], end_stream=True)
            sock.sendall(conn.data_to_send())
    except OSError:
        return


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()
print(f"listening on 127.0.0.1:{listener.getsockname()[1]}", flush=True)
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
threading.Timer(120, lambda: os._exit(0)).start()
while True:
    client, _ = listener.accept()
    threading.Thread(target=serve, args=(client,), daemon=True).start()
