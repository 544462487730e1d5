// Ephemeral (EC)DH for the ECDHE and DHE key exchanges: x25519 (RFC 7748), secp256r1/secp384r1 (RFC 8422 §5.10),
// ffdhe2048 (RFC 7919) and a server-chosen DH group (RFC 5246 §7.4.3). The shared secret is the pre-master secret.
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"

#include <cryptopp/cryptlib.h>

#include <cstdint>
#include <memory>

namespace hl {

class KeyAgreement {
public:
    virtual ~KeyAgreement();

    // A fresh key pair in a named group. An unimplemented group is a TlsError(IllegalParameter).
    static std::unique_ptr<KeyAgreement> generate(NamedGroup group, CryptoPP::RandomNumberGenerator& rng);
    // The client side of DHE when the server sends its own p and g (ServerDHParams). A prime under 1024 bits is
    // a TlsError(InsufficientSecurity); an even p or a g outside 1 < g < p-1 is a TlsError(IllegalParameter).
    static std::unique_ptr<KeyAgreement> generateDh(ByteView p, ByteView g, CryptoPP::RandomNumberGenerator& rng);
    // A key pair from a known private value (x25519: 32 bytes as RFC 7748 writes them; EC: the big-endian scalar;
    // ffdhe2048: the big-endian exponent), to replay published sessions and known-answer tests.
    // A value out of range throws std::invalid_argument.
    static std::unique_ptr<KeyAgreement> fromPrivateValue(NamedGroup group, ByteView privateValue);

    // The NamedGroup value; 0 for a server-chosen DH group.
    virtual std::uint16_t group() const = 0;
    // As it goes on the wire: x25519 32 bytes; EC 0x04 || X || Y; DH Y big-endian, padded to the length of p.
    virtual Bytes publicValue() const = 0;
    // The pre-master secret agreed with the peer's public value. A malformed peer value is a TlsError(DecodeError);
    // one that is well-formed but unsafe (small order, off the curve, out of range) is a TlsError(IllegalParameter).
    virtual Bytes sharedSecret(ByteView peerPublic) const = 0;
    // For the key log and the student's view.
    virtual Bytes privateValue() const = 0;
};

// RFC 7919 Appendix A.1, for the ServerKeyExchange of DHE with ffdhe2048: p big-endian (256 bytes) and g = 2.
Bytes ffdhe2048Prime();
Bytes ffdhe2048Generator();

} // namespace hl
