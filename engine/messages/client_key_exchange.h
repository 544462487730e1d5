// ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7): the client's half of the key exchange.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"
#include "crypto/cipher_suite.h"

#include <cstddef>
#include <vector>

namespace hl {

struct ClientKeyExchange {
    static constexpr HandshakeType kType = HandshakeType::ClientKeyExchange;

    // The message has no type field of its own: its layout follows from the negotiated suite.
    KeyExchangeKind kind = KeyExchangeKind::EcdheRsa;
    // RSA: the pre-master secret encrypted to the server's key (EncryptedPreMasterSecret, <0..2^16-1>).
    // DHE: dh_Yc, the client's public value <1..2^16-1>. ECDHE: ecdh_Yc, the encoded point <1..255>.
    Bytes exchangeKeys;
    // SSL 3.0 sends the RSA ciphertext bare, without TLS's two-byte length (RFC 6101 §5.6.7.1, RFC 2246 §7.4.7.1).
    ProtocolVersion version = kTls12;

    static ClientKeyExchange decode(ByteView body, KeyExchangeKind kind, std::vector<Field>* fields = nullptr,
                                    std::size_t baseOffset = 0, ProtocolVersion version = kTls12);
    // Writes what it is given (decode enforces the bounds); std::length_error when it overflows its prefix.
    Bytes serialize() const;

    bool operator==(const ClientKeyExchange&) const = default;
};

} // namespace hl
