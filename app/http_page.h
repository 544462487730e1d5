// serve --http: the small HTTP/1.1 answer to a request that came over the handshake just made, in the manner of
// `openssl s_server -www`. A browser or curl pointed at `serve` gets a page saying how the connection was secured.
#pragma once

#include "session/connection.h"
#include "trace/trace.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hl::app {

// A request head larger than this is answered with 431 and the connection closed (RFC 6585 §5).
constexpr std::size_t kMaxHttpRequestHead = 16 * 1024;

// What the page says about one connection's handshake, read off the trace and the connection.
struct HandshakeFacts {
    std::string version;           // "TLS 1.2"
    std::string suite;             // IANA name
    std::string keyExchange;       // "ECDHE_RSA", ...
    std::string group;             // the ServerKeyExchange's group, or why there is none
    std::string clientCertificate; // the subject of the client's certificate, or empty
    bool resumed = false;
};
HandshakeFacts handshakeFacts(const Trace& trace, const Connection& server);

// Where the request head ends (just past its blank line), or nullopt while more is needed.
std::optional<std::size_t> httpHeadEnd(std::string_view received);
// The whole response to `head` (a request head, or the start of an oversized one): 200 with the page for GET, the
// same headers without the page for HEAD, 405 for another method, 400 for what is not an HTTP/1.x request, 431 when
// `head` never ended within kMaxHttpRequestHead. Every response closes the connection.
std::string httpResponse(std::string_view head, const HandshakeFacts& facts);

} // namespace hl::app
