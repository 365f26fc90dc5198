// RPC-B load generator for `make bench-rpc`: N concurrent bidirectional streams of
// hodei.bench.v1.Echo/PingPong on one channel (one HTTP/2 connection). Each stream sends
// a message with a SIZE-byte payload, waits for its echo, checks it, and sends the next,
// for DURATION seconds; then half-closes and checks that the call ends with status OK.
// Driven by one completion-queue thread (libgrpc++ async API).
//
//   grpc-pingpong-client --target 127.0.0.1:PORT [--streams 64] [--duration 10] [--size 64]
//
// Prints one line:  streams=N msgs=M seconds=S msgs_per_s=R errors=E
// Exits 1 if any stream failed or came back with a wrong payload.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "bench/v1/echo.grpc.pb.h"

using grpc::ClientAsyncReaderWriter;
using grpc::ClientContext;
using grpc::CompletionQueue;
using grpc::Status;
using hodei::bench::v1::Echo;
using hodei::bench::v1::EchoRequest;
using hodei::bench::v1::EchoResponse;
using Clock = std::chrono::steady_clock;

namespace {

Clock::time_point g_deadline;
long long g_msgs = 0;
int g_errors = 0;
int g_open = 0;

struct Stream {
  enum State { kStarting, kWriting, kReading, kWritesDone, kFinishing };
  ClientContext ctx;
  std::unique_ptr<ClientAsyncReaderWriter<EchoRequest, EchoResponse>> rw;
  EchoRequest req;
  EchoResponse resp;
  Status status;
  State state = kStarting;
  long long seq = 0;

  void Start(Echo::Stub* stub, CompletionQueue* cq, const std::string& payload) {
    req.set_payload(payload);
    rw = stub->PrepareAsyncPingPong(&ctx, cq);
    state = kStarting;
    rw->StartCall(this);
  }

  void Finish() {
    state = kFinishing;
    rw->Finish(&status, this);
  }

  // Returns false when the stream is done.
  bool Proceed(bool ok) {
    switch (state) {
      case kStarting:
      case kReading:
        if (!ok) {
          Finish();  // the server ended the call early
          return true;
        }
        if (state == kReading) {
          if (resp.payload() != req.payload()) g_errors++;
          g_msgs++;
          if (Clock::now() >= g_deadline) {
            state = kWritesDone;
            rw->WritesDone(this);
            return true;
          }
        }
        state = kWriting;
        rw->Write(req, this);
        return true;
      case kWriting:
        if (!ok) {
          Finish();
          return true;
        }
        state = kReading;
        rw->Read(&resp, this);
        return true;
      case kWritesDone:
        Finish();
        return true;
      case kFinishing:
        if (!status.ok()) {
          fprintf(stderr, "stream finished with status %d: %s\n", status.error_code(),
                  status.error_message().c_str());
          g_errors++;
        }
        return false;
    }
    return false;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string target = "127.0.0.1:50051";
  int streams = 64;
  double duration = 10;
  int size = 64;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--target") && i + 1 < argc) {
      target = argv[++i];
    } else if (!strcmp(argv[i], "--streams") && i + 1 < argc) {
      streams = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
      duration = atof(argv[++i]);
    } else if (!strcmp(argv[i], "--size") && i + 1 < argc) {
      size = atoi(argv[++i]);
    } else {
      fprintf(stderr,
              "usage: %s --target HOST:PORT [--streams N] [--duration S] [--size B]\n",
              argv[0]);
      return 2;
    }
  }

  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
    fprintf(stderr, "could not connect to %s\n", target.c_str());
    return 1;
  }
  auto stub = Echo::NewStub(channel);
  CompletionQueue cq;

  std::string payload(size, 'x');
  for (int i = 0; i < size; i++) payload[i] = static_cast<char>('a' + i % 26);

  std::vector<std::unique_ptr<Stream>> all;
  auto start = Clock::now();
  g_deadline = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(duration));
  for (int i = 0; i < streams; i++) {
    all.emplace_back(new Stream);
    all.back()->Start(stub.get(), &cq, payload);
    g_open++;
  }
  // Hard stop well after the deadline, in case a server stops answering (grpc takes
  // deadlines on the system clock).
  auto hard_stop = std::chrono::system_clock::now() +
                   std::chrono::duration_cast<std::chrono::system_clock::duration>(
                       std::chrono::duration<double>(duration + 10));
  Clock::time_point last_msg_time = start;
  while (g_open > 0) {
    void* tag;
    bool ok;
    auto st = cq.AsyncNext(&tag, &ok, hard_stop);
    if (st != CompletionQueue::GOT_EVENT) {
      fprintf(stderr, "timed out with %d streams open\n", g_open);
      g_errors++;
      break;
    }
    auto* s = static_cast<Stream*>(tag);
    long long before = g_msgs;
    if (!s->Proceed(ok)) g_open--;
    if (g_msgs != before) last_msg_time = Clock::now();
  }
  double secs = std::chrono::duration<double>(last_msg_time - start).count();
  if (secs <= 0) secs = 1e-9;
  printf("streams=%d msgs=%lld seconds=%.3f msgs_per_s=%.1f errors=%d\n", streams, g_msgs,
         secs, g_msgs / secs, g_errors);
  fflush(stdout);
  if (g_open > 0) {
    // Do not wait for stuck streams: leave without tearing the channel down politely.
    std::_Exit(1);
  }
  cq.Shutdown();
  void* tag;
  bool ok;
  while (cq.Next(&tag, &ok)) {
  }
  return g_errors == 0 ? 0 : 1;
}
