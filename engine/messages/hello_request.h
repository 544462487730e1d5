// HelloRequest (RFC 5246 §7.4.1.1): the server invites the client to start a new handshake (renegotiation).
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <vector>

namespace hl {

struct HelloRequest {
    static constexpr HandshakeType kType = HandshakeType::HelloRequest;

    // The body is empty; any byte is decode_error. RFC 5246 §7.4.1.1: it is not part of the transcript hash.
    static HelloRequest decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    Bytes serialize() const { return {}; }

    bool operator==(const HelloRequest&) const = default;
};

} // namespace hl
