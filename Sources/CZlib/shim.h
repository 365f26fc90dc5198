// zlib (Debian zlib1g-dev) for gRPC's gzip message encoding. deflateInit2/inflateInit2
// are macros, which Swift cannot call; these wrappers fix the gzip format (window 15 + 16).
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

static inline int CZlib_deflateInitGzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int CZlib_inflateInitGzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}

#endif
