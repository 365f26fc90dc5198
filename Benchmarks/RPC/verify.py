#!/usr/bin/env python3
"""Checks with a real gRPC client (Python grpcio) that a server on 127.0.0.1:PORT answers
hodei.bench.v1.Echo correctly: Unary echoes a 64-byte payload with status OK, and PingPong
echoes each of several messages, then ends with status OK after the client half-closes.
h2load counts HTTP 200 even when grpc-status != 0, so run.sh calls this once per server.

    verify.py PORT          (exit 0: correct; 1: wrong answer or error)

Messages are encoded by hand (field 1, bytes) so that no generated Python code is needed.
"""
import sys

import grpc


def encode(payload: bytes) -> bytes:
    assert len(payload) < 128
    return b"\x0a" + bytes([len(payload)]) + payload if payload else b""


def decode(data: bytes) -> bytes:
    # EchoResponse{bytes payload = 1}: only field 1 (length-delimited) is expected.
    if not data:
        return b""
    if data[0] != 0x0A:
        raise ValueError(f"unexpected tag {data[0]:#x}")
    n, shift, i = 0, 0, 1
    while True:
        b = data[i]
        n |= (b & 0x7F) << shift
        i += 1
        if b < 0x80:
            break
        shift += 7
    if i + n != len(data):
        raise ValueError("trailing bytes after payload")
    return data[i : i + n]


def main() -> int:
    port = int(sys.argv[1])
    payload = bytes((ord("a") + i % 26) for i in range(64))
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        grpc.channel_ready_future(channel).result(timeout=10)
        unary = channel.unary_unary(
            "/hodei.bench.v1.Echo/Unary", request_serializer=encode, response_deserializer=decode
        )
        got, call = unary.with_call(payload, timeout=10)
        if call.code() != grpc.StatusCode.OK or got != payload:
            print(f"Unary: status {call.code()}, payload {got!r}", file=sys.stderr)
            return 1
        pingpong = channel.stream_stream(
            "/hodei.bench.v1.Echo/PingPong", request_serializer=encode, response_deserializer=decode
        )
        sent = [bytes([i]) * (i + 1) for i in range(8)] + [payload]
        call = pingpong(iter(sent), timeout=10)
        echoed = list(call)
        if call.code() != grpc.StatusCode.OK or echoed != sent:
            print(f"PingPong: status {call.code()}, {len(echoed)} of {len(sent)} echoed",
                  file=sys.stderr)
            return 1
        # A method that does not exist must fail with UNIMPLEMENTED, not HTTP-level success.
        missing = channel.unary_unary(
            "/hodei.bench.v1.Echo/Missing", request_serializer=encode, response_deserializer=decode
        )
        try:
            missing(payload, timeout=10)
            print("Missing method answered OK", file=sys.stderr)
            return 1
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                print(f"Missing method: status {e.code()} (expected UNIMPLEMENTED)",
                      file=sys.stderr)
                return 1
    print(f"127.0.0.1:{port}: Unary and PingPong echo correctly (grpcio {grpc.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
