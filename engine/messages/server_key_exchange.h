// ServerKeyExchange (RFC 5246 §7.4.3, RFC 8422 §5.4): the server's signed one-time key-agreement values.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"
#include "crypto/cipher_suite.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hl {

struct ServerKeyExchange {
    static constexpr HandshakeType kType = HandshakeType::ServerKeyExchange;

    // The message has no type field of its own: its layout follows from the negotiated suite.
    KeyExchangeKind kind = KeyExchangeKind::EcdheRsa;
    // ECDHE (RFC 8422 §5.4): ServerECDHParams, always curve_type named_curve.
    std::uint16_t namedGroup = 0;
    Bytes publicKey; // the encoded point, 1..255 bytes
    // DHE (RFC 5246 §7.4.3): ServerDHParams, each 1..2^16-1 bytes, big-endian.
    Bytes dhP, dhG, dhYs;
    // TLS 1.2 digitally-signed (RFC 5246 §4.7): SignatureAndHashAlgorithm, then the signature <0..2^16-1>.
    // Before TLS 1.2 there is no algorithm field (RFC 2246 §7.4.3): RSA signs MD5 || SHA-1, ECDSA signs SHA-1, and
    // signatureScheme stays 0.
    ProtocolVersion version = kTls12;
    std::uint16_t signatureScheme = 0;
    Bytes signature;

    // Throws TlsError(UnexpectedMessage) for KeyExchangeKind::Rsa: plain RSA key transport has no
    // ServerKeyExchange (RFC 5246 §7.4.3), so receiving one is out of sequence.
    static ServerKeyExchange decode(ByteView body, KeyExchangeKind kind, std::vector<Field>* fields = nullptr,
                                    std::size_t baseOffset = 0, ProtocolVersion version = kTls12);
    // The ServerECDHParams / ServerDHParams bytes exactly as serialized. The signature covers
    // client_random + server_random + params() (RFC 5246 §7.4.3, RFC 8422 §5.4).
    Bytes params() const;
    // params() then the digitally-signed part. Both throw std::invalid_argument for KeyExchangeKind::Rsa.
    Bytes serialize() const;

    bool operator==(const ServerKeyExchange&) const = default;
};

} // namespace hl
