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

constexpr std::array kSuites{
    CipherSuite{0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", K::Rsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 20, 16, 16},
    CipherSuite{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", K::Rsa, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 20, 16, 16},
    CipherSuite{0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", K::Rsa, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 32, 16, 16},
    CipherSuite{0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", K::Rsa, C::Aes256Cbc, M::HmacSha256, H::Sha256, 32, 32, 16, 16},
    CipherSuite{0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", K::Rsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 0, 4, 8},
    CipherSuite{0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", K::Rsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 0, 4, 8},
    CipherSuite{0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", K::DheRsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 0, 4, 8},
    CipherSuite{0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", K::DheRsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 0, 4, 8},
    CipherSuite{0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", K::EcdheEcdsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 20, 16, 16},
    CipherSuite{0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", K::EcdheRsa, C::Aes128Cbc, M::HmacSha1, H::Sha256, 16, 20, 16, 16},
    CipherSuite{0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", K::EcdheRsa, C::Aes256Cbc, M::HmacSha1, H::Sha256, 32, 20, 16, 16},
    CipherSuite{0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", K::EcdheRsa, C::Aes128Cbc, M::HmacSha256, H::Sha256, 16, 32, 16, 16},
    CipherSuite{0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", K::EcdheEcdsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 0, 4, 8},
    CipherSuite{0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", K::EcdheEcdsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 0, 4, 8},
    CipherSuite{0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", K::EcdheRsa, C::Aes128Gcm, M::Aead, H::Sha256, 16, 0, 4, 8},
    CipherSuite{0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", K::EcdheRsa, C::Aes256Gcm, M::Aead, H::Sha384, 32, 0, 4, 8},
    CipherSuite{0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::EcdheRsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 0, 12, 0},
    CipherSuite{0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", K::EcdheEcdsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 0, 12, 0},
    CipherSuite{0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::DheRsa, C::ChaCha20Poly1305, M::Aead, H::Sha256, 32, 0, 12, 0},
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
