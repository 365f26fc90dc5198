#define _GNU_SOURCE
/* The floor of RPC-L and RPC-B: a minimal single-thread gRPC-shaped echo server on libnghttp2
 * and epoll (h2c, prior knowledge), with nothing a real server does beyond that. What an
 * nghttp2-based server cannot beat on this machine, whatever its language.
 * A stream for /hodei.bench.v1.Echo/Unary or /PingPong gets HEADERS(:status 200, content-type
 * application/grpc) when the request HEADERS arrive, then each received DATA byte echoed back
 * as DATA (a 5-byte-prefixed EchoRequest comes back as an identical EchoResponse: same wire
 * layout), and when the client half-closes, trailers (grpc-status 0). Any other :path gets a
 * trailers-only UNIMPLEMENTED. Messages are not decoded.
 *   floor [--spin | --spin-us US] --port N        prints "listening on N" when ready.
 * Default: sleep in epoll_wait; --spin: never sleep; --spin-us: poll US microseconds after the
 * last event, then sleep (what Hodei's IdlePoller does, without its adaptation). */
#include <nghttp2/nghttp2.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct stream {
  int32_t id;
  uint8_t *buf; size_t len, cap, off;
  int remote_closed, trailers_sent, known_path;
  struct stream *next;
} stream;

typedef struct conn {
  int fd;
  nghttp2_session *s;
  stream *streams;
  uint8_t *out; size_t olen, ocap;
} conn;

static stream *find(conn *c, int32_t id) {
  for (stream *st = c->streams; st; st = st->next) if (st->id == id) return st;
  return NULL;
}

#define NV(n, v) { (uint8_t *)n, (uint8_t *)v, sizeof(n) - 1, sizeof(v) - 1, NGHTTP2_NV_FLAG_NONE }

static ssize_t read_cb(nghttp2_session *s, int32_t id, uint8_t *buf, size_t length,
                       uint32_t *flags, nghttp2_data_source *src, void *ud) {
  stream *st = src->ptr; (void)ud;
  size_t avail = st->len - st->off;
  if (avail == 0 && !st->remote_closed) return NGHTTP2_ERR_DEFERRED;
  size_t n = avail < length ? avail : length;
  memcpy(buf, st->buf + st->off, n);
  st->off += n;
  if (st->off == st->len) st->off = st->len = 0;
  if (st->len == 0 && st->remote_closed) {
    static const nghttp2_nv tr[] = { NV("grpc-status", "0") };
    *flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
    nghttp2_submit_trailer(s, id, tr, 1);
    st->trailers_sent = 1;
  }
  return (ssize_t)n;
}

static int on_begin_headers(nghttp2_session *s, const nghttp2_frame *f, void *ud) {
  conn *c = ud;
  if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
  stream *st = calloc(1, sizeof *st);
  st->id = f->hd.stream_id; st->next = c->streams; c->streams = st;
  nghttp2_session_set_stream_user_data(s, st->id, st);
  return 0;
}

static int on_frame_recv(nghttp2_session *s, const nghttp2_frame *f, void *ud) {
  conn *c = ud;
  stream *st = find(c, f->hd.stream_id);
  if (!st) return 0;
  if (f->hd.type == NGHTTP2_HEADERS && f->headers.cat == NGHTTP2_HCAT_REQUEST && !st->known_path) {
    static const nghttp2_nv unimplemented[] = {
      NV(":status", "200"), NV("content-type", "application/grpc"), NV("grpc-status", "12") };
    nghttp2_submit_response(s, st->id, unimplemented, 3, NULL);
  } else if (f->hd.type == NGHTTP2_HEADERS && f->headers.cat == NGHTTP2_HCAT_REQUEST) {
    static const nghttp2_nv hd[] = { NV(":status", "200"), NV("content-type", "application/grpc") };
    nghttp2_data_provider dp = { .source.ptr = st, .read_callback = read_cb };
    if (f->hd.flags & NGHTTP2_FLAG_END_STREAM) st->remote_closed = 1;
    nghttp2_submit_response(s, st->id, hd, 2, &dp);
  } else if ((f->hd.type == NGHTTP2_DATA || f->hd.type == NGHTTP2_HEADERS) &&
             (f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
    st->remote_closed = 1;
    nghttp2_session_resume_data(s, st->id);
  }
  return 0;
}

static int on_header(nghttp2_session *s, const nghttp2_frame *f, const uint8_t *name, size_t namelen,
                     const uint8_t *value, size_t valuelen, uint8_t flags, void *ud) {
  conn *c = ud; (void)s; (void)flags;
  stream *st = find(c, f->hd.stream_id);
  static const char unary[] = "/hodei.bench.v1.Echo/Unary", pingpong[] = "/hodei.bench.v1.Echo/PingPong";
  if (!st || namelen != 5 || memcmp(name, ":path", 5)) return 0;
  st->known_path = (valuelen == sizeof unary - 1 && !memcmp(value, unary, valuelen)) ||
                   (valuelen == sizeof pingpong - 1 && !memcmp(value, pingpong, valuelen));
  return 0;
}

static int on_data_chunk(nghttp2_session *s, uint8_t flags, int32_t id, const uint8_t *data,
                         size_t len, void *ud) {
  conn *c = ud; (void)flags;
  stream *st = find(c, id);
  if (!st) return 0;
  if (st->len + len > st->cap) { st->cap = (st->len + len) * 2; st->buf = realloc(st->buf, st->cap); }
  memcpy(st->buf + st->len, data, len); st->len += len;
  nghttp2_session_resume_data(s, id);
  return 0;
}

static int on_stream_close(nghttp2_session *s, int32_t id, uint32_t err, void *ud) {
  conn *c = ud; (void)s; (void)err;
  for (stream **p = &c->streams; *p; p = &(*p)->next)
    if ((*p)->id == id) { stream *st = *p; *p = st->next; free(st->buf); free(st); break; }
  return 0;
}

static nghttp2_session_callbacks *cbs;

static void conn_free(conn *c) {
  close(c->fd);
  nghttp2_session_del(c->s);
  while (c->streams) { stream *st = c->streams; c->streams = st->next; free(st->buf); free(st); }
  free(c->out); free(c);
}

/* Serialize everything nghttp2 wants to send into one buffer, one write(). 0 ok, -1 close. */
static int flush_out(conn *c) {
  for (;;) {
    const uint8_t *p;
    ssize_t n = nghttp2_session_mem_send(c->s, &p);
    if (n < 0) return -1;
    if (n == 0) break;
    if (c->olen + n > c->ocap) { c->ocap = (c->olen + n) * 2; c->out = realloc(c->out, c->ocap); }
    memcpy(c->out + c->olen, p, n); c->olen += n;
  }
  size_t off = 0;
  while (off < c->olen) {
    ssize_t w = write(c->fd, c->out + off, c->olen - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break; /* rare on loopback; keep remainder */
      return -1;
    }
    off += w;
  }
  memmove(c->out, c->out + off, c->olen - off); c->olen -= off;
  if (!nghttp2_session_want_read(c->s) && !nghttp2_session_want_write(c->s) && c->olen == 0) return -1;
  return 0;
}

int main(int argc, char **argv) {
  int port = 0, spin = 0;
  long spin_us = 0; /* hybrid: poll with timeout 0 for spin_us after the last event, then block */
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--port") && i + 1 < argc) port = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--spin")) spin = 1; /* busy-poll: epoll_wait(timeout 0), never sleep */
    else if (!strcmp(argv[i], "--spin-us") && i + 1 < argc) spin_us = atol(argv[++i]);
  }
  signal(SIGPIPE, SIG_IGN);
  nghttp2_session_callbacks_new(&cbs);
  nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, on_begin_headers);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, on_frame_recv);
  nghttp2_session_callbacks_set_on_header_callback(cbs, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, on_stream_close);

  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 1024)) { perror("bind/listen"); return 1; }
  int ep = epoll_create1(0);
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  printf("listening on %d\n", port); fflush(stdout);

  static uint8_t rbuf[65536];
  struct epoll_event evs[64];
  for (;;) {
    int n;
    if (spin) n = epoll_wait(ep, evs, 64, 0);
    else if (spin_us > 0) {
      struct timespec t0, t;
      clock_gettime(CLOCK_MONOTONIC, &t0);
      for (;;) {
        n = epoll_wait(ep, evs, 64, 0);
        if (n != 0) break;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) * 1000000L + (t.tv_nsec - t0.tv_nsec) / 1000 >= spin_us) {
          n = epoll_wait(ep, evs, 64, -1);
          break;
        }
      }
    } else n = epoll_wait(ep, evs, 64, -1);
    if (n < 0) { if (errno == EINTR) continue; perror("epoll_wait"); return 1; }
    for (int i = 0; i < n; i++) {
      if (!evs[i].data.ptr) {
        int fd;
        while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          conn *c = calloc(1, sizeof *c);
          c->fd = fd;
          nghttp2_session_server_new(&c->s, cbs, c);
          nghttp2_settings_entry iv[] = { { NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 1000 } };
          nghttp2_submit_settings(c->s, NGHTTP2_FLAG_NONE, iv, 1);
          struct epoll_event cev = { .events = EPOLLIN, .data.ptr = c };
          epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
          if (flush_out(c)) conn_free(c);
        }
        continue;
      }
      conn *c = evs[i].data.ptr;
      int dead = 0;
      for (;;) {
        ssize_t r = read(c->fd, rbuf, sizeof rbuf);
        if (r == 0) { dead = 1; break; }
        if (r < 0) { if (errno == EINTR) continue; if (errno != EAGAIN) dead = 1; break; }
        if (nghttp2_session_mem_recv(c->s, rbuf, r) < 0) { dead = 1; break; }
        if ((size_t)r < sizeof rbuf) break; /* drained: skip the extra EAGAIN read */
      }
      if (!dead && flush_out(c)) dead = 1;
      if (dead) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); conn_free(c); }
    }
  }
}
