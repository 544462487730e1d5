// The cipher suites the engine speaks, as data: every part of the engine that depends on the suite
// (key exchange, key block layout, record protection, PRF hash) reads it from this table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hl {

enum class KeyExchangeKind { Rsa, DheRsa, EcdheRsa, EcdheEcdsa };
enum class BulkCipher { Aes128Cbc, Aes256Cbc, Aes128Gcm, Aes256Gcm, ChaCha20Poly1305 };
enum class MacAlgorithm { HmacSha1, HmacSha256, HmacSha384, Aead };
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
    std::size_t recordIvLength; // explicit per-record IV / nonce bytes on the wire

    bool isAead() const { return mac == MacAlgorithm::Aead; }
    bool isEphemeral() const { return keyExchange != KeyExchangeKind::Rsa; }
    bool usesEcdhe() const { return keyExchange == KeyExchangeKind::EcdheRsa || keyExchange == KeyExchangeKind::EcdheEcdsa; }
    bool serverKeyIsEcdsa() const { return keyExchange == KeyExchangeKind::EcdheEcdsa; }
    std::size_t keyBlockLength() const { return 2 * (macLength + keyLength + fixedIvLength); }
};

std::span<const CipherSuite> allCipherSuites();
const CipherSuite* findCipherSuite(std::uint16_t id);
const CipherSuite* findCipherSuite(std::string_view ianaName);
// The IANA name for any id (also ones we do not implement, e.g. when a real client offers them).
std::string cipherSuiteName(std::uint16_t id);
std::string keyExchangeName(KeyExchangeKind k);
std::string hashName(HashAlgorithm h);

constexpr std::uint16_t kDefaultCipherSuite = 0xc02f; // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256

} // namespace hl
