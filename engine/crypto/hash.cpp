// Hashes and HMACs over the hash algorithms TLS 1.2 suites name, all from Crypto++.
#include "crypto/hash.h"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/hmac.h>
#include <cryptopp/md5.h>
#include <cryptopp/sha.h>

#include <stdexcept>

namespace hl {

namespace {
// Crypto++ wants a non-null pointer even for zero bytes in some builds' assertions.
const CryptoPP::byte* dataOf(ByteView v)
{
    static const CryptoPP::byte empty = 0;
    return v.empty() ? &empty : v.data();
}
} // namespace

std::unique_ptr<CryptoPP::HashTransformation> makeHash(HashAlgorithm h)
{
    switch (h) {
    case HashAlgorithm::Md5:
        return std::make_unique<CryptoPP::Weak::MD5>();
    case HashAlgorithm::Sha1:
        return std::make_unique<CryptoPP::SHA1>();
    case HashAlgorithm::Sha256:
        return std::make_unique<CryptoPP::SHA256>();
    case HashAlgorithm::Sha384:
        return std::make_unique<CryptoPP::SHA384>();
    case HashAlgorithm::Sha512:
        return std::make_unique<CryptoPP::SHA512>();
    }
    throw std::invalid_argument("unknown hash algorithm");
}

std::unique_ptr<CryptoPP::MessageAuthenticationCode> makeHmac(HashAlgorithm h, ByteView key)
{
    switch (h) {
    case HashAlgorithm::Md5:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::Weak::MD5>>(dataOf(key), key.size());
    case HashAlgorithm::Sha1:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::SHA1>>(dataOf(key), key.size());
    case HashAlgorithm::Sha256:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::SHA256>>(dataOf(key), key.size());
    case HashAlgorithm::Sha384:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::SHA384>>(dataOf(key), key.size());
    case HashAlgorithm::Sha512:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::SHA512>>(dataOf(key), key.size());
    }
    throw std::invalid_argument("unknown hash algorithm");
}

std::size_t hashLength(HashAlgorithm h)
{
    switch (h) {
    case HashAlgorithm::Md5:
        return CryptoPP::Weak::MD5::DIGESTSIZE;
    case HashAlgorithm::Sha1:
        return CryptoPP::SHA1::DIGESTSIZE;
    case HashAlgorithm::Sha256:
        return CryptoPP::SHA256::DIGESTSIZE;
    case HashAlgorithm::Sha384:
        return CryptoPP::SHA384::DIGESTSIZE;
    case HashAlgorithm::Sha512:
        return CryptoPP::SHA512::DIGESTSIZE;
    }
    throw std::invalid_argument("unknown hash algorithm");
}

Bytes hashOf(HashAlgorithm h, ByteView data)
{
    const auto hash = makeHash(h);
    Bytes out(hash->DigestSize());
    hash->CalculateDigest(out.data(), dataOf(data), data.size());
    return out;
}

Bytes hmac(HashAlgorithm h, ByteView key, ByteView data)
{
    const auto mac = makeHmac(h, key);
    Bytes out(mac->DigestSize());
    mac->CalculateDigest(out.data(), dataOf(data), data.size());
    return out;
}

void TranscriptHash::update(ByteView handshakeMessage)
{
    append(m_messages, handshakeMessage);
}

Bytes TranscriptHash::digest(HashAlgorithm h) const
{
    return hashOf(h, m_messages);
}

} // namespace hl
