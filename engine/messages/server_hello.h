// ServerHello (RFC 5246 §7.4.1.3): the server's choices from the client's offer.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"
#include "messages/extensions.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hl {

struct ServerHello {
    static constexpr HandshakeType kType = HandshakeType::ServerHello;

    ProtocolVersion serverVersion = kTls12;
    Bytes random;    // exactly 32 bytes
    Bytes sessionId; // 0..32 bytes; equal to the client's on resumption, empty when the session is not cached
    std::uint16_t cipherSuite = 0;
    std::uint8_t compressionMethod = 0;
    std::vector<Extension> extensions;
    // RFC 5246 §7.4.1.3: the extensions block may be absent; absent and empty are different bytes.
    bool hasExtensionBlock = true;

    static ServerHello decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    // Writes the fields as they are (decode enforces the RFC bounds). Throws std::invalid_argument only for what
    // could not decode back to the same value: a random that is not 32 bytes, or extensions without a block.
    Bytes serialize() const;

    bool operator==(const ServerHello&) const = default;
};

} // namespace hl
