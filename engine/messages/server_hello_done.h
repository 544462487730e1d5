// ServerHelloDone (RFC 5246 §7.4.5): the server has said all it will say in this flight.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <vector>

namespace hl {

struct ServerHelloDone {
    static constexpr HandshakeType kType = HandshakeType::ServerHelloDone;

    // The body is empty; any byte is decode_error.
    static ServerHelloDone decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    Bytes serialize() const { return {}; }

    bool operator==(const ServerHelloDone&) const = default;
};

} // namespace hl
