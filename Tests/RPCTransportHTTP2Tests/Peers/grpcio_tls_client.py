"""Calls Hodei's echo server over TLS with Python grpcio (ALPN h2, verified certificate).

Usage: grpcio_tls_client.py PORT CA_PEM [CLIENT_CERT CLIENT_KEY]
"""
import sys

import grpc

port, ca = sys.argv[1], open(sys.argv[2], "rb").read()
chain = open(sys.argv[3], "rb").read() if len(sys.argv) > 3 else None
key = open(sys.argv[4], "rb").read() if len(sys.argv) > 4 else None
credentials = grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=chain)
channel = grpc.secure_channel(f"127.0.0.1:{port}", credentials)
unary = channel.unary_unary("/hodei.test.Echo/Unary", request_serializer=lambda b: b, response_deserializer=lambda b: b)
try:
    reply = unary(b"over tls", timeout=10)
except grpc.RpcError as error:
    print(f"FAIL {error.code()} {error.details()}")
    print("0 passed, 1 failed")
    sys.exit(1)
ok = reply == b"over tls"
print(f"{int(ok)} passed, {int(not ok)} failed")
sys.exit(0 if ok else 1)
