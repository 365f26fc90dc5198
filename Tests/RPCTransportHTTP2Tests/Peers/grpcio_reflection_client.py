"""Uses gRPC server reflection, as reflection-based tools do, against a Hodei server:
lists the services, rebuilds message types from the server's descriptors (no .proto files
here), and calls grpc.health.v1.Health/Check with them.

Usage: grpcio_reflection_client.py PORT
"""
import sys

import grpc
from google.protobuf import descriptor_pool, message_factory
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

port = sys.argv[1]
passed = 0


def check(name, condition, detail=""):
    global passed
    if not condition:
        print(f"FAIL {name} {detail}", flush=True)
        print(f"{passed} passed, 1 failed", flush=True)
        sys.exit(1)
    passed += 1


channel = grpc.insecure_channel(f"127.0.0.1:{port}")
database = ProtoReflectionDescriptorDatabase(channel)
services = set(database.get_services())
for expected in ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "hodei.v1.JobService", "hodei.v1.WorkerService"]:
    check(f"lists {expected}", expected in services, str(services))

pool = descriptor_pool.DescriptorPool(database)
jobs = pool.FindServiceByName("hodei.v1.JobService")
check("JobService methods", [m.name for m in jobs.methods] == ["SubmitJob", "GetJob", "ListJobs", "CancelJob", "WatchJob", "GetJobLogs"],
      str([m.name for m in jobs.methods]))
watch = jobs.methods_by_name["WatchJob"]
check("WatchJob streams responses", watch.server_streaming and not watch.client_streaming)
spec = pool.FindMessageTypeByName("hodei.v1.JobSpec")
check("JobSpec.env is a map", spec.fields_by_name["env"].message_type.GetOptions().map_entry)
check("JobSpec.timeout is a Duration", spec.fields_by_name["timeout"].message_type.full_name == "google.protobuf.Duration")

# Call Health/Check with message classes made from the reflected descriptors.
health = pool.FindServiceByName("grpc.health.v1.Health").methods_by_name["Check"]
request_class = message_factory.GetMessageClass(health.input_type)
response_class = message_factory.GetMessageClass(health.output_type)
check_call = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=request_class.SerializeToString,
                                 response_deserializer=response_class.FromString)
response = check_call(request_class(service=""), timeout=5)
check("Check through reflected types", response_class.DESCRIPTOR.enum_values_by_name["SERVING"].number == response.status, str(response))
print(f"{passed} passed, 0 failed", flush=True)
