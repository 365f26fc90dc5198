// OpenSSL 3 (Debian libssl-dev) for TLS with ALPN "h2". Macros and the ALPN selection
// callback are wrapped here, since Swift can call neither a macro nor pass a capturing closure.
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

static const unsigned char COpenSSL_h2_wire[] = { 2, 'h', '2' };

static int COpenSSL_select_h2(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                              const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl;
    (void)arg;
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, outlen, COpenSSL_h2_wire, sizeof(COpenSSL_h2_wire), in, inlen)
            == OPENSSL_NPN_NEGOTIATED) {
        *out = selected;
        return SSL_TLSEXT_ERR_OK;
    }
    // gRPC requires HTTP/2: refuse a peer that does not offer h2.
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

/// Servers: choose "h2" from the client's ALPN list.
static inline void COpenSSL_server_select_h2(SSL_CTX *ctx) {
    SSL_CTX_set_alpn_select_cb(ctx, COpenSSL_select_h2, NULL);
}

/// Clients: offer "h2". Returns 0 on success, as SSL_set_alpn_protos does.
static inline int COpenSSL_client_offer_h2(SSL *ssl) {
    return SSL_set_alpn_protos(ssl, COpenSSL_h2_wire, sizeof(COpenSSL_h2_wire));
}

static inline long COpenSSL_set_min_tls12(SSL_CTX *ctx) {
    return SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

static inline long COpenSSL_set_sni(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

#endif
