"""A Python grpcio echo server, so Hodei's client can be checked against another stack.

Methods on /hodei.test.Echo: Unary (echo, with x-echo-header copied to initial metadata and
x-echo-trailer-bin to trailers), Expand ("n:text" → n messages), Collect (concatenation),
Chat (echo each), Fail (NOT_FOUND with the request as message). Prints 'listening on PORT'.
Exits when its standard input closes or after 120 s.
"""
import sys
import threading
from concurrent import futures

import grpc


def identity(data):
    return data


def unary(request, context):
    metadata = dict(context.invocation_metadata())
    if "x-echo-header" in metadata:
        context.send_initial_metadata((("x-echo-header", metadata["x-echo-header"]),))
    if "x-echo-trailer-bin" in metadata:
        context.set_trailing_metadata((("x-echo-trailer-bin", metadata["x-echo-trailer-bin"]),))
    return request


def expand(request, context):
    count, text = request.decode().split(":", 1)
    for _ in range(int(count)):
        yield text.encode()


def collect(requests, context):
    return b"".join(requests)


def chat(requests, context):
    for request in requests:
        yield request


def fail(request, context):
    context.abort(grpc.StatusCode.NOT_FOUND, request.decode())


handlers = {
    "Unary": grpc.unary_unary_rpc_method_handler(unary, identity, identity),
    "Expand": grpc.unary_stream_rpc_method_handler(expand, identity, identity),
    "Collect": grpc.stream_unary_rpc_method_handler(collect, identity, identity),
    "Chat": grpc.stream_stream_rpc_method_handler(chat, identity, identity),
    "Fail": grpc.unary_unary_rpc_method_handler(fail, identity, identity),
}
server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("hodei.test.Echo", handlers),))
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(f"listening on {port}", flush=True)
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
done.wait(timeout=120)
server.stop(grace=None)
