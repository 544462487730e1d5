// The field tree and one-line summary of any handshake message, for the trace, the hex view and diagram labels.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "crypto/cipher_suite.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hl {

// The fields of a whole handshake message: msg_type and length for the 4-byte header at baseOffset, then the
// body's fields from baseOffset + 4. ServerKeyExchange and ClientKeyExchange need the key exchange kind; without
// it their body is one opaque field. Never throws: when the body does not decode, the fields decoded so far are
// followed by one named "error" whose value is the reason.
// `version` decides the layouts that changed between versions (signature fields, SSL 3.0's bare RSA ciphertext,
// its 36-byte Finished).
std::vector<Field> describeHandshake(std::uint8_t handshakeType, ByteView body, std::size_t baseOffset,
                                     std::optional<KeyExchangeKind> kind, ProtocolVersion version = kTls12);

// A short detail for a diagram label: the chosen suite for ServerHello, "2 certificates", "x25519" for a
// ServerKeyExchange; "malformed" when the body does not decode; empty when there is nothing useful to say.
// Never throws.
std::string handshakeSummary(std::uint8_t handshakeType, ByteView body, std::optional<KeyExchangeKind> kind,
                             ProtocolVersion version = kTls12);

} // namespace hl
