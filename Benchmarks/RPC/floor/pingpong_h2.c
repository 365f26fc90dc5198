#define _GNU_SOURCE
/* RPC-B load generator on libnghttp2 alone: N concurrent bidirectional streams of
 * hodei.bench.v1.Echo/PingPong on one HTTP/2 connection (h2c, prior knowledge), driven by one
 * thread. Same contract as grpc-pingpong-client: each stream sends an EchoRequest with a
 * SIZE-byte payload, waits for its echo, checks it byte for byte, and sends the next, for
 * DURATION seconds; then half-closes and checks that the call ends with :status 200 and
 * grpc-status 0 in its trailers.
 *
 * Why a second client: the C++ client spends about as much CPU per message as a good server,
 * so at 64 streams every server measures the client (143k-159k msgs/s for all of them). This
 * one costs a fraction of that, so the server becomes the bottleneck again.
 *
 *   pingpong-h2 --target 127.0.0.1:PORT [--streams 64] [--duration 10] [--size 64]
 *
 * Prints one line:  streams=N msgs=M seconds=S msgs_per_s=R errors=E
 * Exits 1 if any stream failed, came back with a wrong payload, or the server went quiet for
 * 10 s. */
#include <nghttp2/nghttp2.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct stream {
  int32_t id;
  size_t out_off;           /* bytes of the current request message already handed to nghttp2 */
  int sending;              /* a request message is queued and not fully sent */
  int half_closed;          /* END_STREAM sent (after the deadline) */
  uint8_t in[4096]; size_t in_len;
  int status_ok, closed;
} stream;

static stream *g_streams;
static int g_nstreams, g_open, g_errors, g_past_deadline;
static long long g_msgs;
static uint8_t *g_msg; static size_t g_msg_len;  /* the framed request = the expected response */
static double g_start, g_deadline, g_last_msg;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static ssize_t read_cb(nghttp2_session *s, int32_t id, uint8_t *buf, size_t length,
                       uint32_t *flags, nghttp2_data_source *src, void *ud) {
  stream *st = src->ptr; (void)s; (void)id; (void)ud;
  if (!st->sending) {
    if (g_past_deadline) { *flags |= NGHTTP2_DATA_FLAG_EOF; st->half_closed = 1; return 0; }
    return NGHTTP2_ERR_DEFERRED;
  }
  size_t n = g_msg_len - st->out_off;
  if (n > length) n = length;
  memcpy(buf, g_msg + st->out_off, n);
  st->out_off += n;
  if (st->out_off == g_msg_len) { st->sending = 0; st->out_off = 0; }
  return (ssize_t)n;
}

static void send_next(nghttp2_session *s, stream *st) {
  st->sending = 1;
  nghttp2_session_resume_data(s, st->id);
}

static int on_header(nghttp2_session *s, const nghttp2_frame *f, const uint8_t *name, size_t namelen,
                     const uint8_t *value, size_t valuelen, uint8_t flags, void *ud) {
  (void)flags; (void)ud;
  stream *st = nghttp2_session_get_stream_user_data(s, f->hd.stream_id);
  if (!st || f->hd.type != NGHTTP2_HEADERS) return 0;
  if (namelen == 7 && !memcmp(name, ":status", 7) && !(valuelen == 3 && !memcmp(value, "200", 3))) {
    fprintf(stderr, "stream %d: :status %.*s\n", st->id, (int)valuelen, value);
    g_errors++;
  }
  if (namelen == 11 && !memcmp(name, "grpc-status", 11)) {
    if (valuelen == 1 && value[0] == '0') st->status_ok = 1;
    else { fprintf(stderr, "stream %d: grpc-status %.*s\n", st->id, (int)valuelen, value); g_errors++; }
  }
  return 0;
}

static int on_data_chunk(nghttp2_session *s, uint8_t flags, int32_t id, const uint8_t *data,
                         size_t len, void *ud) {
  (void)flags; (void)ud;
  stream *st = nghttp2_session_get_stream_user_data(s, id);
  if (!st) return 0;
  if (st->in_len + len > sizeof st->in) { g_errors++; return NGHTTP2_ERR_CALLBACK_FAILURE; }
  memcpy(st->in + st->in_len, data, len);
  st->in_len += len;
  while (st->in_len >= g_msg_len) {  /* an echo is exactly the request's bytes */
    if (memcmp(st->in, g_msg, g_msg_len)) g_errors++;
    memmove(st->in, st->in + g_msg_len, st->in_len - g_msg_len);
    st->in_len -= g_msg_len;
    if (g_past_deadline) continue;
    g_msgs++;
    double t = now();
    g_last_msg = t;
    if (t >= g_deadline) {
      g_past_deadline = 1;  /* every stream half-closes once its data source is asked again */
      for (int i = 0; i < g_nstreams; i++) nghttp2_session_resume_data(s, g_streams[i].id);
    } else {
      send_next(s, st);
    }
  }
  return 0;
}

static int on_stream_close(nghttp2_session *s, int32_t id, uint32_t err, void *ud) {
  (void)ud;
  stream *st = nghttp2_session_get_stream_user_data(s, id);
  if (!st || st->closed) return 0;
  st->closed = 1;
  g_open--;
  if (err != NGHTTP2_NO_ERROR || !st->status_ok || !st->half_closed) {
    fprintf(stderr, "stream %d closed early (error %u, grpc-status 0 seen: %d)\n", id, err, st->status_ok);
    g_errors++;
  }
  return 0;
}

/* Writes everything nghttp2 has to send; blocking socket. 0 ok, -1 failed. */
static int flush_out(int fd, nghttp2_session *s) {
  for (;;) {
    const uint8_t *p;
    ssize_t n = nghttp2_session_mem_send(s, &p);
    if (n < 0) return -1;
    if (n == 0) return 0;
    while (n > 0) {
      ssize_t w = write(fd, p, n);
      if (w < 0) { if (errno == EINTR) continue; return -1; }
      p += w; n -= w;
    }
  }
}

int main(int argc, char **argv) {
  const char *target = "127.0.0.1:50051";
  int size = 64;
  double duration = 10;
  g_nstreams = 64;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--target") && i + 1 < argc) target = argv[++i];
    else if (!strcmp(argv[i], "--streams") && i + 1 < argc) g_nstreams = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--duration") && i + 1 < argc) duration = atof(argv[++i]);
    else if (!strcmp(argv[i], "--size") && i + 1 < argc) size = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: %s --target HOST:PORT [--streams N] [--duration S] [--size B]\n", argv[0]);
      return 2;
    }
  }
  if (g_nstreams < 1 || size < 0 || size > 1000) { fprintf(stderr, "bad --streams or --size\n"); return 2; }
  signal(SIGPIPE, SIG_IGN);

  /* The framed EchoRequest: 5-byte gRPC prefix, then field 1 (bytes) = 'a'..'z' repeated. */
  size_t varint = size < 128 ? 1 : 2, body = 1 + varint + size;
  g_msg_len = 5 + body;
  g_msg = malloc(g_msg_len);
  g_msg[0] = 0;
  g_msg[1] = body >> 24; g_msg[2] = body >> 16; g_msg[3] = body >> 8; g_msg[4] = body;
  g_msg[5] = 0x0a;
  if (varint == 1) g_msg[6] = size; else { g_msg[6] = (size & 0x7f) | 0x80; g_msg[7] = size >> 7; }
  for (int i = 0; i < size; i++) g_msg[6 + varint + i] = 'a' + i % 26;

  char host[64]; int port;
  const char *colon = strrchr(target, ':');
  if (!colon || colon - target >= (int)sizeof host) { fprintf(stderr, "bad --target\n"); return 2; }
  memcpy(host, target, colon - target); host[colon - target] = 0;
  port = atoi(colon + 1);
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
  if (inet_pton(AF_INET, host, &a.sin_addr) != 1 || connect(fd, (struct sockaddr *)&a, sizeof a)) {
    fprintf(stderr, "could not connect to %s\n", target);
    return 1;
  }
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  nghttp2_session_callbacks *cbs;
  nghttp2_session_callbacks_new(&cbs);
  nghttp2_session_callbacks_set_on_header_callback(cbs, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, on_stream_close);
  nghttp2_session *s;
  nghttp2_session_client_new(&s, cbs, NULL);
  nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, NULL, 0);

  char authority[80];
  snprintf(authority, sizeof authority, "%s:%d", host, port);
#define NV(n, v, vl) { (uint8_t *)n, (uint8_t *)v, sizeof(n) - 1, vl, NGHTTP2_NV_FLAG_NONE }
  const nghttp2_nv hdrs[] = {
    NV(":method", "POST", 4), NV(":scheme", "http", 4),
    NV(":path", "/hodei.bench.v1.Echo/PingPong", 29), NV(":authority", authority, strlen(authority)),
    NV("content-type", "application/grpc", 16), NV("te", "trailers", 8),
  };
  g_streams = calloc(g_nstreams, sizeof *g_streams);
  g_start = g_last_msg = now();
  g_deadline = g_start + duration;
  for (int i = 0; i < g_nstreams; i++) {
    stream *st = &g_streams[i];
    st->sending = 1;
    nghttp2_data_provider dp = { .source.ptr = st, .read_callback = read_cb };
    st->id = nghttp2_submit_request(s, NULL, hdrs, sizeof hdrs / sizeof hdrs[0], &dp, st);
    if (st->id < 0) { fprintf(stderr, "submit_request: %s\n", nghttp2_strerror(st->id)); return 1; }
    g_open++;
  }

  static uint8_t rbuf[65536];
  int failed = 0;
  while (g_open > 0) {
    if (flush_out(fd, s)) { fprintf(stderr, "write failed\n"); failed = 1; break; }
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    int ready = poll(&pfd, 1, 10000);
    if (ready == 0) { fprintf(stderr, "no answer for 10 s with %d streams open\n", g_open); failed = 1; break; }
    if (ready < 0) { if (errno == EINTR) continue; failed = 1; break; }
    ssize_t r = read(fd, rbuf, sizeof rbuf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) { fprintf(stderr, "connection closed with %d streams open\n", g_open); failed = 1; break; }
    if (nghttp2_session_mem_recv(s, rbuf, r) < 0) { fprintf(stderr, "bad HTTP/2 from the server\n"); failed = 1; break; }
  }
  double secs = g_last_msg - g_start;
  if (secs <= 0) secs = 1e-9;
  printf("streams=%d msgs=%lld seconds=%.3f msgs_per_s=%.1f errors=%d\n", g_nstreams, g_msgs, secs,
         g_msgs / secs, g_errors + failed);
  fflush(stdout);
  return g_errors == 0 && !failed ? 0 : 1;
}
