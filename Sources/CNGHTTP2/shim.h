// libnghttp2 for Swift. Debian 12 ships 1.52, so the pre-1.60 names are used
// (nghttp2_session_mem_recv, nghttp2_data_provider, nghttp2_submit_response).
#ifndef CNGHTTP2_SHIM_H
#define CNGHTTP2_SHIM_H

#include <nghttp2/nghttp2.h>

#endif
