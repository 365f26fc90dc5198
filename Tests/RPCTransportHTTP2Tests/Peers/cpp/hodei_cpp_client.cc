// A C++ gRPC client (Debian libgrpc++) built from stubs that protoc + grpc_cpp_plugin generate
// from the repository's Protos/, calling Hodei's own standard services:
//   * grpc.health.v1.Health/Check and Health/Watch (server stream, cancelled by the client),
//   * grpc.reflection.v1.ServerReflection/ServerReflectionInfo, a bidirectional stream driven
//     ping-pong (each response read before the next request is written),
// and using the generated hodei.v1 messages (JobService and WorkerService are not served here;
// their stubs are compiled and their messages round-tripped to show the generated code works).
//
// Usage: hodei_cpp_client PORT
// Prints one line per check and a final "N passed, M failed"; exits 1 on any failure.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <grpcpp/grpcpp.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "hodei/v1/job_service.grpc.pb.h"
#include "hodei/v1/worker_service.grpc.pb.h"

namespace {

int passed = 0;
int failed = 0;

void check(const std::string& name, bool condition, const std::string& detail = "") {
    if (condition) {
        ++passed;
        std::cout << "ok   " << name << std::endl;
    } else {
        ++failed;
        std::cout << "FAIL " << name << (detail.empty() ? "" : " -- " + detail) << std::endl;
    }
}

std::string describe(const grpc::Status& status) {
    return "status " + std::to_string(status.error_code()) + ": " + status.error_message();
}

void deadline(grpc::ClientContext& context, int seconds) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using grpc::reflection::v1::ServerReflection;
using grpc::reflection::v1::ServerReflectionRequest;
using grpc::reflection::v1::ServerReflectionResponse;
using google::protobuf::FileDescriptorProto;

void healthChecks(const std::shared_ptr<grpc::Channel>& channel) {
    auto health = Health::NewStub(channel);
    {
        grpc::ClientContext context;
        deadline(context, 5);
        HealthCheckRequest request;
        HealthCheckResponse response;
        grpc::Status status = health->Check(&context, request, &response);
        check("Health/Check succeeds", status.ok(), describe(status));
        check("Health/Check reports SERVING", response.status() == HealthCheckResponse::SERVING,
              HealthCheckResponse::ServingStatus_Name(response.status()));
    }
    {
        grpc::ClientContext context;
        deadline(context, 5);
        HealthCheckRequest request;
        request.set_service("no.such.Service");
        HealthCheckResponse response;
        grpc::Status status = health->Check(&context, request, &response);
        check("Health/Check of an unknown service is NOT_FOUND", status.error_code() == grpc::StatusCode::NOT_FOUND,
              describe(status));
    }
    {
        grpc::ClientContext context;
        deadline(context, 5);
        HealthCheckRequest request;
        request.set_service("");
        std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> reader = health->Watch(&context, request);
        HealthCheckResponse first;
        bool got = reader->Read(&first);
        check("Health/Watch delivers a first update", got);
        check("Health/Watch first update is SERVING", got && first.status() == HealthCheckResponse::SERVING,
              HealthCheckResponse::ServingStatus_Name(first.status()));
        context.TryCancel();
        HealthCheckResponse ignored;
        while (reader->Read(&ignored)) {
        }
        grpc::Status status = reader->Finish();
        check("Health/Watch ends CANCELLED after the client cancels", status.error_code() == grpc::StatusCode::CANCELLED,
              describe(status));
    }
}

// Parses every FileDescriptorProto of a file_descriptor_response; false if any fails to parse.
bool parseFiles(const ServerReflectionResponse& response, std::vector<FileDescriptorProto>& files) {
    files.clear();
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
        FileDescriptorProto file;
        if (!file.ParseFromString(bytes)) return false;
        files.push_back(file);
    }
    return true;
}

const FileDescriptorProto* findFile(const std::vector<FileDescriptorProto>& files, const std::string& name) {
    for (const auto& file : files) {
        if (file.name() == name) return &file;
    }
    return nullptr;
}

std::string fileNames(const std::vector<FileDescriptorProto>& files) {
    std::string names;
    for (const auto& file : files) names += (names.empty() ? "" : ",") + file.name();
    return names;
}

void reflectionChecks(const std::shared_ptr<grpc::Channel>& channel) {
    auto reflection = ServerReflection::NewStub(channel);
    grpc::ClientContext context;
    deadline(context, 10);
    std::shared_ptr<grpc::ClientReaderWriter<ServerReflectionRequest, ServerReflectionResponse>> stream(
        reflection->ServerReflectionInfo(&context));

    // One request, then its response, before the next request: a real bidirectional exchange.
    auto exchange = [&](const ServerReflectionRequest& request, ServerReflectionResponse& response,
                        const std::string& what) -> bool {
        bool wrote = stream->Write(request);
        bool read = wrote && stream->Read(&response);
        check("reflection " + what + ": request written and response read", wrote && read);
        if (read) {
            check("reflection " + what + ": response echoes the request",
                  response.original_request().SerializeAsString() == request.SerializeAsString(),
                  response.original_request().ShortDebugString());
        }
        return read;
    };

    ServerReflectionRequest request;
    ServerReflectionResponse response;
    std::vector<FileDescriptorProto> files;

    // 1. list_services
    request.set_list_services("*");
    if (exchange(request, response, "list_services")) {
        std::set<std::string> names;
        for (const auto& service : response.list_services_response().service()) names.insert(service.name());
        std::string all;
        for (const auto& name : names) all += name + " ";
        check("list_services has a list_services_response", response.has_list_services_response(),
              response.ShortDebugString());
        for (const char* expected : {"hodei.v1.JobService", "hodei.v1.WorkerService", "grpc.health.v1.Health",
                                     "grpc.reflection.v1.ServerReflection"}) {
            check(std::string("list_services contains ") + expected, names.count(expected) == 1, all);
        }
    }

    // 2. file_containing_symbol hodei.v1.JobService
    request.Clear();
    request.set_file_containing_symbol("hodei.v1.JobService");
    if (exchange(request, response, "file_containing_symbol")) {
        bool parsed = response.has_file_descriptor_response() && parseFiles(response, files);
        check("file_containing_symbol returns parseable FileDescriptorProtos", parsed, response.ShortDebugString());
        const FileDescriptorProto* file = findFile(files, "hodei/v1/job_service.proto");
        check("file_containing_symbol includes hodei/v1/job_service.proto", file != nullptr, fileNames(files));
        check("file_containing_symbol includes the dependency hodei/v1/common.proto",
              findFile(files, "hodei/v1/common.proto") != nullptr, fileNames(files));
        bool submitJob = false;
        bool watchJobStreams = false;
        if (file != nullptr) {
            check("job_service.proto is package hodei.v1", file->package() == "hodei.v1", file->package());
            for (const auto& service : file->service()) {
                if (service.name() != "JobService") continue;
                for (const auto& method : service.method()) {
                    if (method.name() == "SubmitJob" && method.input_type() == ".hodei.v1.SubmitJobRequest" &&
                        method.output_type() == ".hodei.v1.SubmitJobResponse" && !method.client_streaming() &&
                        !method.server_streaming()) {
                        submitJob = true;
                    }
                    if (method.name() == "WatchJob" && method.server_streaming() && !method.client_streaming()) {
                        watchJobStreams = true;
                    }
                }
            }
        }
        check("JobService descriptor has a unary SubmitJob(SubmitJobRequest) returns (SubmitJobResponse)", submitJob);
        check("JobService descriptor has WatchJob streaming responses", watchJobStreams);
    }

    // 3. file_by_filename hodei/v1/common.proto
    request.Clear();
    request.set_file_by_filename("hodei/v1/common.proto");
    if (exchange(request, response, "file_by_filename")) {
        bool parsed = response.has_file_descriptor_response() && parseFiles(response, files);
        check("file_by_filename returns parseable FileDescriptorProtos", parsed, response.ShortDebugString());
        const FileDescriptorProto* file = findFile(files, "hodei/v1/common.proto");
        check("file_by_filename includes hodei/v1/common.proto", file != nullptr, fileNames(files));
        bool jobSpec = false;
        if (file != nullptr) {
            for (const auto& message : file->message_type()) {
                if (message.name() != "JobSpec") continue;
                for (const auto& field : message.field()) {
                    if (field.name() == "argv" && field.number() == 1 &&
                        field.label() == google::protobuf::FieldDescriptorProto::LABEL_REPEATED) {
                        jobSpec = true;
                    }
                }
            }
        }
        check("common.proto describes JobSpec with repeated argv = 1", jobSpec);
    }

    // 4. An unknown symbol: an error_response on the same stream, which stays usable.
    request.Clear();
    request.set_file_containing_symbol("hodei.v1.NoSuchSymbol");
    if (exchange(request, response, "unknown symbol")) {
        check("unknown symbol answers error_response NOT_FOUND",
              response.has_error_response() && response.error_response().error_code() == grpc::StatusCode::NOT_FOUND,
              response.ShortDebugString());
    }

    bool done = stream->WritesDone();
    check("reflection stream half-closes", done);
    bool extra = stream->Read(&response);
    check("reflection stream has no further responses", !extra, response.ShortDebugString());
    grpc::Status status = stream->Finish();
    check("reflection stream ends OK", status.ok(), describe(status));
}

void messageChecks() {
    hodei::v1::SubmitJobRequest request;
    hodei::v1::JobSpec* spec = request.mutable_spec();
    spec->add_argv("/bin/sh");
    spec->add_argv("-c");
    spec->add_argv("echo héllo");
    (*spec->mutable_env())["GREETING"] = "hi";
    (*spec->mutable_env())["EMPTY"] = "";
    spec->set_priority(hodei::v1::PRIORITY_HIGH);
    spec->mutable_timeout()->set_seconds(30);
    spec->mutable_resources()->set_cpu_millicores(250);
    request.set_idempotency_key("cpp-client-1");

    std::string bytes = request.SerializeAsString();
    hodei::v1::SubmitJobRequest decoded;
    bool parsed = decoded.ParseFromString(bytes);
    check("SubmitJobRequest parses back", parsed);
    check("SubmitJobRequest round trip keeps argv",
          decoded.spec().argv_size() == 3 && decoded.spec().argv(2) == "echo héllo", decoded.ShortDebugString());
    check("SubmitJobRequest round trip keeps env",
          decoded.spec().env().size() == 2 && decoded.spec().env().at("GREETING") == "hi" &&
              decoded.spec().env().count("EMPTY") == 1,
          decoded.ShortDebugString());
    check("SubmitJobRequest round trip keeps the rest",
          decoded.idempotency_key() == "cpp-client-1" && decoded.spec().priority() == hodei::v1::PRIORITY_HIGH &&
              decoded.spec().timeout().seconds() == 30 && decoded.spec().resources().cpu_millicores() == 250,
          decoded.ShortDebugString());
    check("SubmitJobRequest re-serializes to the same bytes",
          decoded.ByteSizeLong() == request.ByteSizeLong(), std::to_string(decoded.ByteSizeLong()));

    // The generated service stubs and descriptors exist and are what the .proto says.
    const google::protobuf::ServiceDescriptor* jobs =
        hodei::v1::SubmitJobRequest::descriptor()->file()->FindServiceByName("JobService");
    check("generated JobService descriptor has SubmitJob",
          jobs != nullptr && jobs->FindMethodByName("SubmitJob") != nullptr);
    check("generated WorkerService stub names hodei.v1.WorkerService",
          std::string(hodei::v1::WorkerService::service_full_name()) == "hodei.v1.WorkerService");
}

// The generated JobService stub reaches the server: this test server does not implement
// JobService, so the call must end UNIMPLEMENTED (not hang, not break the connection).
void unimplementedCheck(const std::shared_ptr<grpc::Channel>& channel) {
    auto jobs = hodei::v1::JobService::NewStub(channel);
    grpc::ClientContext context;
    deadline(context, 5);
    hodei::v1::SubmitJobRequest request;
    request.mutable_spec()->add_argv("/bin/true");
    hodei::v1::SubmitJobResponse response;
    grpc::Status status = jobs->SubmitJob(&context, request, &response);
    check("JobService/SubmitJob on a server without JobService is UNIMPLEMENTED",
          status.error_code() == grpc::StatusCode::UNIMPLEMENTED, describe(status));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " PORT" << std::endl;
        return 2;
    }
    std::string target = std::string("127.0.0.1:") + argv[1];
    std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
    bool connected = channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
    check("channel connects to " + target, connected);
    if (connected) {
        healthChecks(channel);
        reflectionChecks(channel);
        unimplementedCheck(channel);
    }
    messageChecks();
    std::cout << passed << " passed, " << failed << " failed" << std::endl;
    return failed == 0 ? 0 : 1;
}
