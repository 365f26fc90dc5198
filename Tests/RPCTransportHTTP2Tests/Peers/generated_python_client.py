"""A Python grpcio client built from code that grpcio-tools generates from the repository's
Protos/ at run time, calling Hodei's own standard services:
  * grpc.health.v1.Health/Check and Health/Watch (server stream, cancelled by the client),
  * grpc.reflection.v1.ServerReflection/ServerReflectionInfo, a bidirectional stream driven
    ping-pong (each response read before the next request is sent),
and using the generated hodei.v1 messages (JobService and WorkerService are not served here;
their stubs are generated and their messages round-tripped to show the generated code works).

Usage: generated_python_client.py PORT [PROTOS_DIR]
Prints one line per check and a final "N passed, M failed"; exits 1 on any failure.
"""
import atexit
import os
import queue
import shutil
import subprocess
import sys
import tempfile

import grpc

PORT = sys.argv[1]
PROTOS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Protos")
FILES = ["grpc/health/v1/health.proto", "grpc/reflection/v1/reflection.proto",
         "hodei/v1/common.proto", "hodei/v1/job_service.proto", "hodei/v1/worker_service.proto"]

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name} -- {detail}", flush=True)


def finish():
    print(f"{passed} passed, {failed} failed", flush=True)
    sys.exit(0 if failed == 0 else 1)


# --- generate the code --------------------------------------------------------------------
generated = tempfile.mkdtemp(prefix="hodei-py-gen-")
atexit.register(shutil.rmtree, generated, True)
result = subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", PROTOS, f"--python_out={generated}",
                         f"--grpc_python_out={generated}", *FILES], capture_output=True, text=True, timeout=60)
check("grpc_tools.protoc generates the code", result.returncode == 0, result.stderr)
if result.returncode != 0:
    finish()
sys.path.insert(0, generated)
# The generated grpc.health.v1 and grpc.reflection.v1 modules live under a top-level "grpc"
# folder, which grpcio's own package shadows: let Python find them there too. grpcio also
# aliases grpc.health and grpc.reflection to the grpcio-health-checking and grpcio-reflection
# packages when they are installed; drop those aliases so the generated code is used.
grpc.__path__.append(os.path.join(generated, "grpc"))
for alias in ("grpc.health", "grpc.reflection"):
    sys.modules.pop(alias, None)
    if alias.split(".")[1] in vars(grpc):
        delattr(grpc, alias.split(".")[1])

from google.protobuf import descriptor_pb2, json_format  # noqa: E402
from google.protobuf import __version__ as protobuf_version  # noqa: E402
from grpc.health.v1 import health_pb2, health_pb2_grpc  # noqa: E402
from grpc.reflection.v1 import reflection_pb2, reflection_pb2_grpc  # noqa: E402
from hodei.v1 import common_pb2, job_service_pb2, job_service_pb2_grpc, worker_service_pb2_grpc  # noqa: E402

print(f"grpcio {grpc.__version__}, protobuf {protobuf_version}", flush=True)
channel = grpc.insecure_channel(f"127.0.0.1:{PORT}")
try:
    grpc.channel_ready_future(channel).result(timeout=10)
    check(f"channel connects to 127.0.0.1:{PORT}", True)
except grpc.FutureTimeoutError:
    check(f"channel connects to 127.0.0.1:{PORT}", False, "timeout")
    finish()

# --- grpc.health.v1.Health ----------------------------------------------------------------
health = health_pb2_grpc.HealthStub(channel)
SERVING = health_pb2.HealthCheckResponse.SERVING
try:
    response = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
    check("Health/Check reports SERVING", response.status == SERVING, str(response))
except grpc.RpcError as error:
    check("Health/Check reports SERVING", False, f"{error.code()} {error.details()}")
try:
    health.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=5)
    check("Health/Check of an unknown service is NOT_FOUND", False, "succeeded")
except grpc.RpcError as error:
    check("Health/Check of an unknown service is NOT_FOUND", error.code() == grpc.StatusCode.NOT_FOUND, str(error.code()))

watch = health.Watch(health_pb2.HealthCheckRequest(service=""), timeout=5)
try:
    first = next(watch)
    check("Health/Watch first update is SERVING", first.status == SERVING, str(first))
except (grpc.RpcError, StopIteration) as error:
    check("Health/Watch first update is SERVING", False, repr(error))
watch.cancel()
try:
    for extra in watch:
        pass
    check("Health/Watch ends CANCELLED after the client cancels", False, "stream ended normally")
except grpc.RpcError as error:
    check("Health/Watch ends CANCELLED after the client cancels", error.code() == grpc.StatusCode.CANCELLED, str(error.code()))

# --- grpc.reflection.v1.ServerReflection: a bidirectional stream, one request at a time ----
reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
outgoing = queue.Queue()
END = object()


def requests():
    while True:
        item = outgoing.get(timeout=15)
        if item is END:
            return
        yield item


responses = reflection.ServerReflectionInfo(requests(), timeout=10)


def exchange(request, what):
    """Sends one request and reads its response before anything else is sent."""
    outgoing.put(request)
    try:
        response = next(responses)
    except (grpc.RpcError, StopIteration) as error:
        check(f"reflection {what}: response read", False, repr(error))
        return None
    check(f"reflection {what}: response read", True)
    check(f"reflection {what}: response echoes the request", response.original_request == request, str(response.original_request))
    return response


def files_of(response):
    return [descriptor_pb2.FileDescriptorProto.FromString(b) for b in response.file_descriptor_response.file_descriptor_proto]


ServerReflectionRequest = reflection_pb2.ServerReflectionRequest
response = exchange(ServerReflectionRequest(list_services="*"), "list_services")
if response is not None:
    names = {s.name for s in response.list_services_response.service}
    check("list_services has a list_services_response", response.HasField("list_services_response"), str(response))
    for expected in ["hodei.v1.JobService", "hodei.v1.WorkerService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"]:
        check(f"list_services contains {expected}", expected in names, str(sorted(names)))

response = exchange(ServerReflectionRequest(file_containing_symbol="hodei.v1.JobService"), "file_containing_symbol")
if response is not None:
    try:
        files = {f.name: f for f in files_of(response)}
        check("file_containing_symbol returns parseable FileDescriptorProtos", response.HasField("file_descriptor_response") and files,
              str(response))
    except Exception as error:  # a DecodeError
        files = {}
        check("file_containing_symbol returns parseable FileDescriptorProtos", False, repr(error))
    check("file_containing_symbol includes hodei/v1/job_service.proto", "hodei/v1/job_service.proto" in files, str(list(files)))
    check("file_containing_symbol includes the dependency hodei/v1/common.proto", "hodei/v1/common.proto" in files, str(list(files)))
    methods = {}
    if "hodei/v1/job_service.proto" in files:
        for service in files["hodei/v1/job_service.proto"].service:
            if service.name == "JobService":
                methods = {m.name: m for m in service.method}
    submit = methods.get("SubmitJob")
    check("JobService descriptor has a unary SubmitJob(SubmitJobRequest) returns (SubmitJobResponse)",
          submit is not None and submit.input_type == ".hodei.v1.SubmitJobRequest" and submit.output_type == ".hodei.v1.SubmitJobResponse"
          and not submit.client_streaming and not submit.server_streaming, str(submit))
    # The reflected descriptor agrees with the one compiled into the generated code.
    compiled = job_service_pb2.DESCRIPTOR.services_by_name["JobService"]
    check("reflected JobService methods match the generated code", list(methods) == [m.name for m in compiled.methods],
          f"{list(methods)} vs {[m.name for m in compiled.methods]}")

response = exchange(ServerReflectionRequest(file_by_filename="hodei/v1/common.proto"), "file_by_filename")
if response is not None:
    files = {f.name: f for f in files_of(response)}
    common = files.get("hodei/v1/common.proto")
    check("file_by_filename includes hodei/v1/common.proto", common is not None, str(list(files)))
    if common is not None:
        compiled = descriptor_pb2.FileDescriptorProto()
        common_pb2.DESCRIPTOR.CopyToProto(compiled)
        check("reflected common.proto messages match the generated code",
              [m.name for m in common.message_type] == [m.name for m in compiled.message_type],
              f"{[m.name for m in common.message_type]}")

response = exchange(ServerReflectionRequest(file_containing_symbol="hodei.v1.NoSuchSymbol"), "unknown symbol")
if response is not None:
    check("unknown symbol answers error_response NOT_FOUND",
          response.HasField("error_response") and response.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0], str(response))

outgoing.put(END)
try:
    rest = list(responses)
    check("reflection stream ends OK with no further responses", rest == [] and responses.code() == grpc.StatusCode.OK,
          f"{rest} {responses.code()}")
except grpc.RpcError as error:
    check("reflection stream ends OK with no further responses", False, f"{error.code()} {error.details()}")

# --- JobService stub against a server that does not implement it ---------------------------
jobs = job_service_pb2_grpc.JobServiceStub(channel)
try:
    jobs.SubmitJob(job_service_pb2.SubmitJobRequest(spec=common_pb2.JobSpec(argv=["/bin/true"])), timeout=5)
    check("JobService/SubmitJob on a server without JobService is UNIMPLEMENTED", False, "succeeded")
except grpc.RpcError as error:
    check("JobService/SubmitJob on a server without JobService is UNIMPLEMENTED", error.code() == grpc.StatusCode.UNIMPLEMENTED,
          f"{error.code()} {error.details()}")
check("generated WorkerService stub exists", hasattr(worker_service_pb2_grpc, "WorkerServiceStub"))
channel.close()

# --- hodei.v1 messages --------------------------------------------------------------------
request = job_service_pb2.SubmitJobRequest(
    spec=common_pb2.JobSpec(argv=["/bin/sh", "-c", "echo héllo"], env={"GREETING": "hi", "EMPTY": ""},
                            priority=common_pb2.PRIORITY_HIGH, name="nightly-report"),
    idempotency_key="python-client-1")
request.spec.timeout.seconds = 30
request.spec.resources.cpu_millicores = 250
data = request.SerializeToString()
decoded = job_service_pb2.SubmitJobRequest.FromString(data)
check("SubmitJobRequest round trip is equal", decoded == request, str(decoded))
check("SubmitJobRequest round trip keeps argv and env",
      list(decoded.spec.argv) == ["/bin/sh", "-c", "echo héllo"] and dict(decoded.spec.env) == {"GREETING": "hi", "EMPTY": ""}, str(decoded))
check("SubmitJobRequest re-serializes to the same size", len(decoded.SerializeToString()) == len(data))

text = json_format.MessageToJson(request.spec)
check("JobSpec to JSON uses proto3 JSON names and forms",
      '"argv"' in text and '"timeout": "30s"' in text and '"priority": "PRIORITY_HIGH"' in text and '"cpuMillicores": 250' in text, text)
parsed = json_format.Parse(text, common_pb2.JobSpec())
check("JobSpec JSON round trip is equal", parsed == request.spec, str(parsed))
finish()
