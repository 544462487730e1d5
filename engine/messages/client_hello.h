// ClientHello (RFC 5246 §7.4.1.2): the client's opening offer.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"
#include "messages/extensions.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hl {

struct ClientHello {
    static constexpr HandshakeType kType = HandshakeType::ClientHello;

    ProtocolVersion clientVersion = kTls12;
    Bytes random;                                    // exactly 32 bytes
    Bytes sessionId;                                 // 0..32 bytes; non-empty asks to resume that session
    std::vector<std::uint16_t> cipherSuites;         // at least one
    std::vector<std::uint8_t> compressionMethods{0}; // at least one; null (0) is the only one in use
    std::vector<Extension> extensions;
    // RFC 5246 §7.4.1.2: a hello may end after compression_methods with no extensions block at all,
    // which is not the same bytes as an empty block.
    bool hasExtensionBlock = true;

    // `body` is the handshake body (without the 4-byte header); recorded offsets are baseOffset + position.
    static ClientHello decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    // Writes the fields as they are, even out-of-bounds ones (decode enforces the RFC bounds, so a scenario can
    // still put a malformed hello on the wire). Throws std::invalid_argument only for what could not decode back
    // to the same value: a random that is not 32 bytes, or extensions while hasExtensionBlock is false.
    Bytes serialize() const;

    bool operator==(const ClientHello&) const = default;
};

} // namespace hl
