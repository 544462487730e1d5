// The cipher suites the engine speaks, as data: every part of the engine that depends on the suite
// (key exchange, key block layout, record protection, PRF hash) reads it from this table.
#pragma once

#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hl {

enum class KeyExchangeKind { Rsa, DheRsa, EcdheRsa, EcdheEcdsa };
enum class BulkCipher { Aes128Cbc, Aes256Cbc, Aes128Gcm, Aes256Gcm, ChaCha20Poly1305, TripleDesCbc, Rc4_128 };
enum class MacAlgorithm { HmacSha1, HmacSha256, HmacSha384, Aead, HmacMd5 };
enum class HashAlgorithm { Sha1, Sha256, Sha384, Sha512, Md5 };

struct CipherSuite {
    std::uint16_t id;
    std::string_view name; // IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    KeyExchangeKind keyExchange;
    BulkCipher cipher;
    MacAlgorithm mac;
    HashAlgorithm prfHash;   // RFC 5246 §5: SHA-256 unless the suite says otherwise
    std::size_t keyLength;   // bytes of each write key
    std::size_t macLength;   // bytes of each MAC key (0 for AEAD)
    std::size_t fixedIvLength;  // bytes of each IV taken from the key block
    std::size_t recordIvLength; // explicit per-record IV / nonce bytes on the wire (TLS 1.1 and later for CBC)
    // The oldest version the suite may be used with: AEAD and SHA-256 suites need TLS 1.2 (RFC 5246 App. A.5),
    // elliptic-curve suites need the extensions TLS 1.0 brought (RFC 4492 §5.1).
    ProtocolVersion minVersion;
    // Why the suite must not be used any more, in a sentence; empty for suites still considered sound.
    std::string_view weakness;

    bool isAead() const { return mac == MacAlgorithm::Aead; }
    bool isCbc() const { return cipher == BulkCipher::Aes128Cbc || cipher == BulkCipher::Aes256Cbc || cipher == BulkCipher::TripleDesCbc; }
    bool isStream() const { return cipher == BulkCipher::Rc4_128; }
    bool insecure() const { return !weakness.empty(); }
    bool allowedWith(ProtocolVersion v) const { return v >= minVersion; }
    // Bytes of a cipher block (16 for AES, 8 for 3DES), 0 for stream and AEAD ciphers.
    std::size_t blockLength() const;
    bool isEphemeral() const { return keyExchange != KeyExchangeKind::Rsa; }
    bool usesEcdhe() const { return keyExchange == KeyExchangeKind::EcdheRsa || keyExchange == KeyExchangeKind::EcdheEcdsa; }
    bool serverKeyIsEcdsa() const { return keyExchange == KeyExchangeKind::EcdheEcdsa; }
    // RFC 2246 §6.3 and RFC 5246 §6.3: MAC keys, write keys, then IVs. TLS 1.1 (RFC 4346 §6.3) derives no CBC IVs:
    // every record carries its own.
    std::size_t keyBlockLength(ProtocolVersion v = kTls12) const { return 2 * (macLength + keyLength + fixedIvLengthIn(v)); }
    // Bytes of each IV taken from the key block in version v: the first CBC IV in SSL 3.0 and TLS 1.0, the GCM
    // salt or ChaCha20 nonce for AEAD suites, none for CBC in TLS 1.1 or for RC4.
    std::size_t fixedIvLengthIn(ProtocolVersion v) const { return isCbc() && v == kTls11 ? 0 : fixedIvLength; }
    // Explicit IV bytes each record carries in version v: CBC's IV only from TLS 1.1 on (RFC 4346 §6.2.3.2).
    std::size_t recordIvLengthIn(ProtocolVersion v) const { return isCbc() && v < kTls11 ? 0 : recordIvLength; }
};

std::span<const CipherSuite> allCipherSuites();
const CipherSuite* findCipherSuite(std::uint16_t id);
const CipherSuite* findCipherSuite(std::string_view ianaName);
// The IANA name for any id (also ones we do not implement, e.g. when a real client offers them).
std::string cipherSuiteName(std::uint16_t id);
// The reverse of cipherSuiteName: an implemented suite, a named pseudo suite or "cipher suite 0xNNNN".
std::optional<std::uint16_t> cipherSuiteFromName(std::string_view name);
std::string keyExchangeName(KeyExchangeKind k);
std::string hashName(HashAlgorithm h);
// e.g. "AES-128-GCM", "3DES-EDE-CBC", "RC4-128"
std::string bulkCipherName(BulkCipher c);

// Why a version was retired, in a sentence; empty for TLS 1.2.
std::string_view versionWeakness(ProtocolVersion v);

constexpr std::uint16_t kDefaultCipherSuite = 0xc02f; // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256

} // namespace hl
