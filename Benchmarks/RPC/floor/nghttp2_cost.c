#define _GNU_SOURCE
/* What libnghttp2 alone costs a server per RPC-B message: a client session and a server
 * session talk through memory (no socket, no system call, no gRPC decoding). The client keeps
 * N bidirectional streams open and sends one 71-byte DATA frame (a 64-byte EchoRequest with
 * its gRPC prefix) on each; the server echoes each frame back on its stream, as an echo
 * server must. Only the server's calls are timed: nghttp2_session_mem_recv of the client's
 * bytes (with the callbacks that buffer the data and resume the stream) and
 * nghttp2_session_mem_send of the echoes.
 *
 *   nghttp2-cost [--streams 64] [--rounds 20000]
 *
 * Prints: streams=N msgs=M server_ns_per_msg=X client_ns_per_msg=Y */
#include <nghttp2/nghttp2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MSG_LEN 71

typedef struct { uint8_t *p; size_t len, cap; } buf;

static void put(buf *b, const uint8_t *p, size_t n) {
  if (b->len + n > b->cap) { b->cap = (b->len + n) * 2; b->p = realloc(b->p, b->cap); }
  memcpy(b->p + b->len, p, n); b->len += n;
}

typedef struct { uint8_t data[4096]; size_t len; } pending;  /* server side, per stream */

static pending *g_server_streams;   /* indexed by (stream id - 1) / 2 */
static int g_client_pending;        /* client: messages not yet echoed in this round */
static uint8_t g_msg[MSG_LEN];
static int *g_client_sending;       /* client: per stream, a message to send */

static double now(void) {
  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static ssize_t drain(nghttp2_session *s, buf *out) {
  for (;;) {
    const uint8_t *p;
    ssize_t n = nghttp2_session_mem_send(s, &p);
    if (n <= 0) return n;
    put(out, p, n);
  }
}

/* Server: buffers each DATA chunk and resumes the stream's data source. */
static ssize_t server_read(nghttp2_session *s, int32_t id, uint8_t *b, size_t length,
                           uint32_t *flags, nghttp2_data_source *src, void *ud) {
  pending *st = src->ptr; (void)s; (void)id; (void)flags; (void)ud;
  if (st->len == 0) return NGHTTP2_ERR_DEFERRED;
  size_t n = st->len < length ? st->len : length;
  memcpy(b, st->data, n);
  memmove(st->data, st->data + n, st->len - n);
  st->len -= n;
  return (ssize_t)n;
}

static int server_frame(nghttp2_session *s, const nghttp2_frame *f, void *ud) {
  (void)ud;
  if (f->hd.type == NGHTTP2_HEADERS && f->headers.cat == NGHTTP2_HCAT_REQUEST) {
    static const nghttp2_nv hd[] = {
      { (uint8_t *)":status", (uint8_t *)"200", 7, 3, 0 },
      { (uint8_t *)"content-type", (uint8_t *)"application/grpc", 12, 16, 0 } };
    pending *st = &g_server_streams[(f->hd.stream_id - 1) / 2];
    nghttp2_data_provider dp = { .source.ptr = st, .read_callback = server_read };
    nghttp2_submit_response(s, f->hd.stream_id, hd, 2, &dp);
  }
  return 0;
}

static int server_chunk(nghttp2_session *s, uint8_t flags, int32_t id, const uint8_t *data,
                        size_t len, void *ud) {
  (void)flags; (void)ud;
  pending *st = &g_server_streams[(id - 1) / 2];
  memcpy(st->data + st->len, data, len); st->len += len;
  nghttp2_session_resume_data(s, id);
  return 0;
}

/* Client: sends one message per stream per round; counts echoes. */
static ssize_t client_read(nghttp2_session *s, int32_t id, uint8_t *b, size_t length,
                           uint32_t *flags, nghttp2_data_source *src, void *ud) {
  int *sending = src->ptr; (void)s; (void)id; (void)flags; (void)ud;
  if (!*sending) return NGHTTP2_ERR_DEFERRED;
  if (length < MSG_LEN) return NGHTTP2_ERR_DEFERRED;
  memcpy(b, g_msg, MSG_LEN);
  *sending = 0;
  return MSG_LEN;
}

static int client_chunk(nghttp2_session *s, uint8_t flags, int32_t id, const uint8_t *data,
                        size_t len, void *ud) {
  (void)s; (void)flags; (void)id; (void)data; (void)ud;
  g_client_pending -= (int)(len / MSG_LEN);
  return 0;
}

int main(int argc, char **argv) {
  int streams = 64, rounds = 20000;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--streams") && i + 1 < argc) streams = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
  }
  g_msg[4] = MSG_LEN - 5; g_msg[5] = 0x0a; g_msg[6] = 64;
  g_server_streams = calloc(streams, sizeof *g_server_streams);
  g_client_sending = calloc(streams, sizeof *g_client_sending);

  nghttp2_session_callbacks *scb, *ccb;
  nghttp2_session_callbacks_new(&scb);
  nghttp2_session_callbacks_set_on_frame_recv_callback(scb, server_frame);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(scb, server_chunk);
  nghttp2_session_callbacks_new(&ccb);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(ccb, client_chunk);
  nghttp2_session *server, *client;
  nghttp2_session_server_new(&server, scb, NULL);
  nghttp2_session_client_new(&client, ccb, NULL);
  nghttp2_submit_settings(server, 0, NULL, 0);
  nghttp2_submit_settings(client, 0, NULL, 0);

  static const nghttp2_nv req[] = {
    { (uint8_t *)":method", (uint8_t *)"POST", 7, 4, 0 }, { (uint8_t *)":scheme", (uint8_t *)"http", 7, 4, 0 },
    { (uint8_t *)":path", (uint8_t *)"/hodei.bench.v1.Echo/PingPong", 5, 29, 0 },
    { (uint8_t *)":authority", (uint8_t *)"x", 10, 1, 0 },
    { (uint8_t *)"content-type", (uint8_t *)"application/grpc", 12, 16, 0 },
    { (uint8_t *)"te", (uint8_t *)"trailers", 2, 8, 0 } };
  for (int i = 0; i < streams; i++) {
    nghttp2_data_provider dp = { .source.ptr = &g_client_sending[i], .read_callback = client_read };
    nghttp2_submit_request(client, NULL, req, 6, &dp, NULL);
  }

  buf c2s = {0}, s2c = {0};
  double server_time = 0, client_time = 0;
  long long msgs = 0;
  for (int r = 0; r < rounds + 100; r++) {  /* the first 100 rounds warm up */
    double t0 = now();
    for (int i = 0; i < streams; i++) {
      g_client_sending[i] = 1;
      nghttp2_session_resume_data(client, 2 * i + 1);
    }
    g_client_pending = r == 0 ? 0 : streams;
    c2s.len = 0;
    if (drain(client, &c2s) < 0) { fprintf(stderr, "client send failed\n"); return 1; }
    double t1 = now();
    if (nghttp2_session_mem_recv(server, c2s.p, c2s.len) < 0) { fprintf(stderr, "server recv failed\n"); return 1; }
    s2c.len = 0;
    if (drain(server, &s2c) < 0) { fprintf(stderr, "server send failed\n"); return 1; }
    double t2 = now();
    if (nghttp2_session_mem_recv(client, s2c.p, s2c.len) < 0) { fprintf(stderr, "client recv failed\n"); return 1; }
    double t3 = now();
    if (r > 0 && g_client_pending != 0) { fprintf(stderr, "round %d: %d echoes missing\n", r, g_client_pending); return 1; }
    if (r >= 100) {
      server_time += t2 - t1;
      client_time += (t1 - t0) + (t3 - t2);
      msgs += streams;
    }
  }
  printf("streams=%d msgs=%lld server_ns_per_msg=%.0f client_ns_per_msg=%.0f\n", streams, msgs,
         server_time * 1e9 / msgs, client_time * 1e9 / msgs);
  return 0;
}
