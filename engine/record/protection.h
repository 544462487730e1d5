// Record protection for one direction of a connection (RFC 5246 §6.2.3): CBC with HMAC (or SSL 3.0's MAC), RC4,
// AES-GCM, ChaCha20-Poly1305.
#pragma once

#include "common/bytes.h"
#include "crypto/cipher_suite.h"

#include <cryptopp/cryptlib.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace hl {

constexpr std::size_t kMaxPlaintextLength = 1u << 14;                    // RFC 5246 §6.2.1
constexpr std::size_t kMaxCiphertextLength = kMaxPlaintextLength + 2048; // RFC 5246 §6.2.3

class RecordProtection {
public:
    virtual ~RecordProtection();

    // One direction's keys from the key block: writeKey = suite.keyLength bytes, macKey = suite.macLength bytes
    // (empty for AEAD), fixedIv = suite.fixedIvLength bytes (the GCM salt or the ChaCha20 IV; CBC ignores it
    // and may be given an empty one). Wrong lengths throw std::invalid_argument.
    static std::unique_ptr<RecordProtection> create(const CipherSuite& suite, ByteView writeKey, ByteView macKey,
                                                    ByteView fixedIv);
    // The same for any version: SSL 3.0 uses its own MAC and padding rule; SSL 3.0 and TLS 1.0 CBC start from the
    // key block's IV (fixedIv, suite.blockLength() bytes) and chain it from record to record; RC4 runs one key
    // stream through the connection.
    static std::unique_ptr<RecordProtection> create(const CipherSuite& suite, ProtocolVersion version,
                                                    ByteView writeKey, ByteView macKey, ByteView fixedIv);

    // Returns the record fragment, i.e. what follows the 5-byte header. CBC draws its explicit IV from `rng`;
    // GCM uses the sequence number as its explicit nonce; ChaCha20-Poly1305 has none. A plaintext over 2^14
    // bytes is a TlsError(RecordOverflow): fragmenting is the record layer's job.
    virtual Bytes protect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView plaintext,
                          CryptoPP::RandomNumberGenerator& rng) = 0;
    // The same with the explicit per-record IV / nonce given (suite.recordIvLength bytes: 16 for CBC, 8 for GCM,
    // none for ChaCha20-Poly1305), to reproduce a published record or show what a repeated nonce does.
    virtual Bytes protectWithExplicitNonce(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version,
                                           ByteView plaintext, ByteView explicitNonce) = 0;
    // Returns the plaintext. Any MAC, tag or padding failure, or a fragment too short to hold one, is a
    // TlsError(BadRecordMac) (RFC 5246 §7.2.2: one message for padding and MAC, so neither can be told apart);
    // a fragment over 2^14+2048 bytes or a plaintext over 2^14 is a TlsError(RecordOverflow).
    virtual Bytes unprotect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView fragment) = 0;

    // e.g. "AES-128-GCM", "AES-128-CBC with HMAC-SHA1", "ChaCha20-Poly1305"
    virtual std::string description() const = 0;
};

} // namespace hl
