"""Checks Hodei's grpc.health.v1.Health with Python grpcio.

Messages are hand-encoded (HealthCheckRequest{service=1:string},
HealthCheckResponse{status=1:enum}) so the check does not depend on generated code.
Usage: grpcio_health_client.py PORT
"""
import sys

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


def request(service):
    encoded = service.encode()
    return (b"\x0a" + bytes([len(encoded)]) + encoded) if encoded else b""


def status(response):
    return response[1] if response else 0  # 0x08 <status>; absent means UNKNOWN (0)


channel = grpc.insecure_channel(f"127.0.0.1:{PORT}")
check_call = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=identity, response_deserializer=identity)
watch_call = channel.unary_stream("/grpc.health.v1.Health/Watch", request_serializer=identity, response_deserializer=identity)
set_status = channel.unary_unary("/hodei.test.Control/SetStatus", request_serializer=identity, response_deserializer=identity)

check("server is serving", status(check_call(request(""), timeout=5)) == 1)
try:
    check_call(request("jobs"), timeout=5)
    check("unknown service", False, "no error")
except grpc.RpcError as error:
    check("unknown service is NOT_FOUND", error.code() == grpc.StatusCode.NOT_FOUND, str(error.code()))

updates = watch_call(request("jobs"), timeout=10)
check("watch starts SERVICE_UNKNOWN", status(next(updates)) == 3)
set_status(b"jobs=1", timeout=5)
check("watch sees SERVING", status(next(updates)) == 1)
check("check agrees", status(check_call(request("jobs"), timeout=5)) == 1)
set_status(b"jobs=2", timeout=5)
check("watch sees NOT_SERVING", status(next(updates)) == 2)
updates.cancel()
print(f"{passed} passed, 0 failed", flush=True)
