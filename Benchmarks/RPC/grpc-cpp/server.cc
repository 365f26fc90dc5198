// grpc C++ peer for `make bench-rpc`: hodei.bench.v1.Echo (Benchmarks/RPC/Protos) on the
// async API with ONE completion-queue thread (the main thread), 127.0.0.1:PORT.
// Built against Debian's libgrpc++-dev by Benchmarks/RPC/build-peers.sh.
//
//   grpc-cpp-server --port N [--prepost K]
//
// --prepost: how many calls of each method are requested up front (as grpc's own
// async benchmark server does), so that arriving calls find a waiting request.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "bench/v1/echo.grpc.pb.h"

using grpc::ServerAsyncReaderWriter;
using grpc::ServerAsyncResponseWriter;
using grpc::ServerCompletionQueue;
using grpc::ServerContext;
using grpc::Status;
using hodei::bench::v1::Echo;
using hodei::bench::v1::EchoRequest;
using hodei::bench::v1::EchoResponse;

namespace {

struct Call {
  virtual ~Call() = default;
  virtual void Proceed(bool ok) = 0;
};

class UnaryCall final : public Call {
 public:
  UnaryCall(Echo::AsyncService* svc, ServerCompletionQueue* cq)
      : svc_(svc), cq_(cq), responder_(&ctx_) {
    svc_->RequestUnary(&ctx_, &req_, &responder_, cq_, cq_, this);
  }
  void Proceed(bool ok) override {
    if (state_ == kRequested) {
      if (!ok) {  // server shutting down
        delete this;
        return;
      }
      new UnaryCall(svc_, cq_);
      resp_.mutable_payload()->swap(*req_.mutable_payload());
      state_ = kFinishing;
      responder_.Finish(resp_, Status::OK, this);
    } else {
      delete this;
    }
  }

 private:
  enum State { kRequested, kFinishing };
  Echo::AsyncService* svc_;
  ServerCompletionQueue* cq_;
  ServerContext ctx_;
  EchoRequest req_;
  EchoResponse resp_;
  ServerAsyncResponseWriter<EchoResponse> responder_;
  State state_ = kRequested;
};

class PingPongCall final : public Call {
 public:
  PingPongCall(Echo::AsyncService* svc, ServerCompletionQueue* cq)
      : svc_(svc), cq_(cq), stream_(&ctx_) {
    svc_->RequestPingPong(&ctx_, &stream_, cq_, cq_, this);
  }
  void Proceed(bool ok) override {
    switch (state_) {
      case kRequested:
        if (!ok) {
          delete this;
          return;
        }
        new PingPongCall(svc_, cq_);
        state_ = kReading;
        stream_.Read(&req_, this);
        break;
      case kReading:
        if (!ok) {  // client half-closed (or the call died)
          state_ = kFinishing;
          stream_.Finish(Status::OK, this);
          break;
        }
        resp_.mutable_payload()->swap(*req_.mutable_payload());
        state_ = kWriting;
        stream_.Write(resp_, this);
        break;
      case kWriting:
        if (!ok) {
          state_ = kFinishing;
          stream_.Finish(Status::OK, this);
          break;
        }
        state_ = kReading;
        stream_.Read(&req_, this);
        break;
      case kFinishing:
        delete this;
        break;
    }
  }

 private:
  enum State { kRequested, kReading, kWriting, kFinishing };
  Echo::AsyncService* svc_;
  ServerCompletionQueue* cq_;
  ServerContext ctx_;
  EchoRequest req_;
  EchoResponse resp_;
  ServerAsyncReaderWriter<EchoResponse, EchoRequest> stream_;
  State state_ = kRequested;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 50051;
  int prepost = 256;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--port") && i + 1 < argc) {
      port = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--prepost") && i + 1 < argc) {
      prepost = atoi(argv[++i]);
    } else {
      fprintf(stderr, "usage: %s --port N [--prepost K]\n", argv[0]);
      return 2;
    }
  }

  Echo::AsyncService service;
  grpc::ServerBuilder builder;
  int selected_port = 0;
  builder.AddListeningPort("127.0.0.1:" + std::to_string(port),
                           grpc::InsecureServerCredentials(), &selected_port);
  builder.RegisterService(&service);
  std::unique_ptr<ServerCompletionQueue> cq = builder.AddCompletionQueue();
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || selected_port == 0) {
    fprintf(stderr, "failed to listen on 127.0.0.1:%d\n", port);
    return 1;
  }
  for (int i = 0; i < prepost; i++) {
    new UnaryCall(&service, cq.get());
    new PingPongCall(&service, cq.get());
  }
  printf("listening on %d\n", selected_port);
  fflush(stdout);

  void* tag;
  bool ok;
  while (cq->Next(&tag, &ok)) {
    static_cast<Call*>(tag)->Proceed(ok);
  }
  return 0;
}
