"""Drives Hodei's test echo server with Python grpcio (a real peer gRPC stack).

Usage: grpcio_echo_client.py PORT
Exits non-zero on the first failed check; prints 'N passed, 0 failed' at the end.
"""
import sys
import threading

import grpc

PORT = sys.argv[1]
passed = 0


def identity(data):
    return data


def check(name, condition, detail=""):
    global passed
    if not condition:
        print(f"FAIL {name} {detail}", flush=True)
        print(f"{passed} passed, 1 failed", flush=True)
        sys.exit(1)
    passed += 1


def expect_status(name, fn, code, message=None):
    try:
        fn()
    except grpc.RpcError as error:
        check(name, error.code() == code, f"got {error.code()} {error.details()!r}")
        if message is not None:
            check(name + " message", error.details() == message, f"got {error.details()!r}")
        return error
    check(name, False, "no error")


channel = grpc.insecure_channel(f"127.0.0.1:{PORT}", options=[("grpc.max_send_message_length", 64 << 20)])
grpc.channel_ready_future(channel).result(timeout=10)
unary = channel.unary_unary("/hodei.test.Echo/Unary", request_serializer=identity, response_deserializer=identity)
expand = channel.unary_stream("/hodei.test.Echo/Expand", request_serializer=identity, response_deserializer=identity)
collect = channel.stream_unary("/hodei.test.Echo/Collect", request_serializer=identity, response_deserializer=identity)
chat = channel.stream_stream("/hodei.test.Echo/Chat", request_serializer=identity, response_deserializer=identity)
fail = channel.unary_unary("/hodei.test.Echo/Fail", request_serializer=identity, response_deserializer=identity)
sleep = channel.unary_unary("/hodei.test.Echo/Sleep", request_serializer=identity, response_deserializer=identity)

# Unary, including an empty message and a large one.
check("unary", unary(b"hello", timeout=5) == b"hello")
check("unary empty", unary(b"", timeout=5) == b"")
big = bytes(range(256)) * 4096  # 1 MiB
check("unary 1 MiB", unary(big, timeout=10) == big)

# Metadata both ways, binary values included.
response, call = unary.with_call(
    b"m", metadata=(("x-echo-header", "v1"), ("x-echo-trailer-bin", b"\x00\x01\xfe")), timeout=5)
initial = dict(call.initial_metadata())
trailing = dict(call.trailing_metadata())
check("initial metadata echoed", initial.get("x-echo-header") == "v1", str(initial))
check("binary trailer echoed", trailing.get("x-echo-trailer-bin") == b"\x00\x01\xfe", str(trailing))

# Server streaming: "count:payload" → count messages.
messages = list(expand(b"5:abc", timeout=5))
check("server streaming", messages == [b"abc"] * 5, str(messages))
check("server streaming empty", list(expand(b"0:x", timeout=5)) == [])

# Client streaming: the concatenation.
check("client streaming", collect(iter([b"a", b"b", b"c"]), timeout=5) == b"abc")
check("client streaming empty", collect(iter([]), timeout=5) == b"")

# Bidirectional ping-pong: each reply before the next request.
replies = []
ready = threading.Semaphore(0)


def requests():
    for index in range(20):
        yield f"ping {index}".encode()
        ready.acquire()


for reply in chat(requests(), timeout=10):
    replies.append(reply)
    ready.release()
check("ping-pong", replies == [f"ping {i}".encode() for i in range(20)], str(replies[:3]))

# Status codes and messages, percent-encoded on the wire.
special = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"
expect_status("status and message", lambda: fail(special.encode(), timeout=5), grpc.StatusCode.NOT_FOUND, special)
expect_status("unimplemented method", lambda: channel.unary_unary("/hodei.test.Echo/Nope")(b"", timeout=5),
              grpc.StatusCode.UNIMPLEMENTED)
expect_status("unimplemented service", lambda: channel.unary_unary("/hodei.test.Missing/Unary")(b"", timeout=5),
              grpc.StatusCode.UNIMPLEMENTED)

# Deadlines cancel the handler.
expect_status("deadline", lambda: sleep(b"", timeout=0.3), grpc.StatusCode.DEADLINE_EXCEEDED)

# Messages over the 4 MiB receive limit.
expect_status("too large", lambda: unary(b"x" * (5 << 20), timeout=10), grpc.StatusCode.RESOURCE_EXHAUSTED)

# The connection still serves after every error.
check("still serving", unary(b"after", timeout=5) == b"after")
print(f"{passed} passed, 0 failed", flush=True)
