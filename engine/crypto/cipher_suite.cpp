// The suite table (RFC 5246 App. A.5, RFC 5288, RFC 5289, RFC 7905, RFC 4492/8422).
#include "crypto/cipher_suite.h"

#include "common/codec.h"

#include <array>

namespace hl {

namespace {
using K = KeyExchangeKind;
using C = BulkCipher;
using M = MacAlgorithm;
using H = HashAlgorithm;

constexpr std::string_view kRc4Weakness =
    "RC4's keystream is biased, so a secret sent again and again (a cookie) can be recovered from enough "
    "encrypted copies; RFC 7465 forbids RC4 in TLS";
constexpr std::string_view kTripleDesWeakness =
    "3DES encrypts 8-byte blocks: after some 2^32 blocks (about 32 GB) under one key, colliding blocks start to "
    "leak plaintext (the Sweet32 attack, 2016)";

constexpr std::array kSuites{
    // For history lessons: what the web ran on before AES and ECDHE (RFC 5246 App. C, RFC 2246).
    CipherSuite{0x0004, "TLS_RSA_WITH_RC4_128_MD5", K::Rsa, C::Rc4_128, M::HmacMd5, H::Sha256, 16, 16, 0, 0, kSsl30, kRc4Weakness},
    CipherSuite{0x0005, "TLS_RSA_WITH_RC4_128_SHA", K::Rsa, C::Rc4_128, M::HmacSha1, H::Sha256, 16, 20, 0, 0, kSsl30, kRc4Weakness},
    CipherSuite{0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", K::Rsa, C::TripleDesCbc, M::HmacSha1, H::Sha256, 24, 20, 8, 8, kSsl30, kTripleDesWeakness},
    CipherSuite{0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", K::Rsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 20, 16, 16, kSsl30, {}},
    CipherSuite{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", K::Rsa, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 20, 16, 16, kSsl30, {}},
    CipherSuite{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", K::DheRsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 20, 16, 16, kSsl30, {}},
    CipherSuite{0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", K::Rsa, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 32, 16, 16, kTls12, {}},
    CipherSuite{0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", K::Rsa, C::Aes256Cbc, M::HmacSha256, H::Sha256, 32, 32, 16, 16, kTls12, {}},
    CipherSuite{0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", K::Rsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 0, 4, 8, kTls12, {}},
    CipherSuite{0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", K::Rsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 0, 4, 8, kTls12, {}},
    CipherSuite{0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", K::DheRsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 0, 4, 8, kTls12, {}},
    CipherSuite{0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", K::DheRsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 0, 4, 8, kTls12, {}},
    CipherSuite{0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", K::EcdheEcdsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 20, 16, 16, kTls10, {}},
    CipherSuite{0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", K::EcdheRsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 20, 16, 16, kTls10, {}},
    CipherSuite{0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", K::EcdheRsa, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 20, 16, 16, kTls10, {}},
    CipherSuite{0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", K::EcdheRsa, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 32, 16, 16, kTls12, {}},
    CipherSuite{0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", K::EcdheEcdsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 0, 4, 8, kTls12, {}},
    CipherSuite{0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", K::EcdheEcdsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 0, 4, 8, kTls12, {}},
    CipherSuite{0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", K::EcdheRsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 0, 4, 8, kTls12, {}},
    CipherSuite{0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", K::EcdheRsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 0, 4, 8, kTls12, {}},
    CipherSuite{0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::EcdheRsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 0, 12, 0, kTls12, {}},
    CipherSuite{0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", K::EcdheEcdsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 0, 12, 0, kTls12, {}},
    CipherSuite{0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::DheRsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 0, 12, 0, kTls12, {}},
};
} // namespace

std::span<const CipherSuite> allCipherSuites() { return kSuites; }

const CipherSuite* findCipherSuite(std::uint16_t id)
{
    for (const auto& s : kSuites)
        if (s.id == id)
            return &s;
    return nullptr;
}

const CipherSuite* findCipherSuite(std::string_view ianaName)
{
    for (const auto& s : kSuites)
        if (s.name == ianaName)
            return &s;
    return nullptr;
}

std::string cipherSuiteName(std::uint16_t id)
{
    if (const CipherSuite* s = findCipherSuite(id))
        return std::string(s->name);
    switch (id) {
    case 0x00ff: return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
    case 0x5600: return "TLS_FALLBACK_SCSV";
    case 0x1301: return "TLS_AES_128_GCM_SHA256";
    case 0x1302: return "TLS_AES_256_GCM_SHA384";
    case 0x1303: return "TLS_CHACHA20_POLY1305_SHA256";
    }
    return "cipher suite " + hexValue(id, 4);
}

std::optional<std::uint16_t> cipherSuiteFromName(std::string_view name)
{
    if (const CipherSuite* s = findCipherSuite(name))
        return s->id;
    for (std::uint16_t id : {std::uint16_t{0x00ff}, std::uint16_t{0x5600}, std::uint16_t{0x1301},
                             std::uint16_t{0x1302}, std::uint16_t{0x1303}})
        if (cipherSuiteName(id) == name)
            return id;
    constexpr std::string_view prefix = "cipher suite 0x";
    if (name.size() == prefix.size() + 4 && name.substr(0, prefix.size()) == prefix) {
        std::uint16_t v = 0;
        for (char c : name.substr(prefix.size())) {
            const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return std::nullopt;
            v = static_cast<std::uint16_t>(v << 4 | d);
        }
        return v;
    }
    return std::nullopt;
}

std::string keyExchangeName(KeyExchangeKind k)
{
    switch (k) {
    case K::Rsa: return "RSA";
    case K::DheRsa: return "DHE_RSA";
    case K::EcdheRsa: return "ECDHE_RSA";
    case K::EcdheEcdsa: return "ECDHE_ECDSA";
    }
    return "?";
}

std::size_t CipherSuite::blockLength() const
{
    switch (cipher) {
    case C::Aes128Cbc:
    case C::Aes256Cbc: return 16;
    case C::TripleDesCbc: return 8;
    default: return 0;
    }
}

std::string bulkCipherName(BulkCipher c)
{
    switch (c) {
    case C::Aes128Cbc: return "AES-128-CBC";
    case C::Aes256Cbc: return "AES-256-CBC";
    case C::Aes128Gcm: return "AES-128-GCM";
    case C::Aes256Gcm: return "AES-256-GCM";
    case C::ChaCha20Poly1305: return "ChaCha20-Poly1305";
    case C::TripleDesCbc: return "3DES-EDE-CBC";
    case C::Rc4_128: return "RC4-128";
    }
    return "?";
}

std::string_view versionWeakness(ProtocolVersion v)
{
    switch (v) {
    case kSsl30:
        return "SSL 3.0's CBC padding is not covered by its MAC and may hold any bytes, so an attacker who can make "
               "the client resend can decrypt a byte at a time (POODLE, 2014); RFC 7568 forbids SSL 3.0";
    case kTls10:
        return "TLS 1.0 chains each record's CBC IV from the previous record, so the IV is known in advance and an "
               "attacker who injects chosen plaintext can test guesses (BEAST, 2011); RFC 8996 deprecates it";
    case kTls11:
        return "TLS 1.1 still hashes its handshake with MD5 and SHA-1 and has no AEAD suites; RFC 8996 deprecates it";
    }
    return {};
}

std::string hashName(HashAlgorithm h)
{
    switch (h) {
    case H::Sha1: return "SHA-1";
    case H::Sha256: return "SHA-256";
    case H::Sha384: return "SHA-384";
    case H::Sha512: return "SHA-512";
    case H::Md5: return "MD5";
    }
    return "?";
}

} // namespace hl
