// Hashes and HMACs over the hash algorithms TLS suites name, all from Crypto++.
#include "crypto/hash.h"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/hmac.h>
#include <cryptopp/md5.h>
#include <cryptopp/sha.h>

#include <algorithm>
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
    case HashAlgorithm::Sha1:
        return std::make_unique<CryptoPP::SHA1>();
    case HashAlgorithm::Sha256:
        return std::make_unique<CryptoPP::SHA256>();
    case HashAlgorithm::Sha384:
        return std::make_unique<CryptoPP::SHA384>();
    case HashAlgorithm::Sha512:
        return std::make_unique<CryptoPP::SHA512>();
    case HashAlgorithm::Md5:
        return std::make_unique<CryptoPP::Weak::MD5>();
    }
    throw std::invalid_argument("unknown hash algorithm");
}

std::unique_ptr<CryptoPP::MessageAuthenticationCode> makeHmac(HashAlgorithm h, ByteView key)
{
    switch (h) {
    case HashAlgorithm::Sha1:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::SHA1>>(dataOf(key), key.size());
    case HashAlgorithm::Sha256:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::SHA256>>(dataOf(key), key.size());
    case HashAlgorithm::Sha384:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::SHA384>>(dataOf(key), key.size());
    case HashAlgorithm::Sha512:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::SHA512>>(dataOf(key), key.size());
    case HashAlgorithm::Md5:
        return std::make_unique<CryptoPP::HMAC<CryptoPP::Weak::MD5>>(dataOf(key), key.size());
    }
    throw std::invalid_argument("unknown hash algorithm");
}

std::size_t hashLength(HashAlgorithm h)
{
    switch (h) {
    case HashAlgorithm::Sha1:
        return CryptoPP::SHA1::DIGESTSIZE;
    case HashAlgorithm::Sha256:
        return CryptoPP::SHA256::DIGESTSIZE;
    case HashAlgorithm::Sha384:
        return CryptoPP::SHA384::DIGESTSIZE;
    case HashAlgorithm::Sha512:
        return CryptoPP::SHA512::DIGESTSIZE;
    case HashAlgorithm::Md5:
        return CryptoPP::Weak::MD5::DIGESTSIZE;
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

namespace {
// Crypto++'s hashes are Clonable: Clone() copies the running state.
std::unique_ptr<CryptoPP::HashTransformation> copyOf(const CryptoPP::HashTransformation& h)
{
    return std::unique_ptr<CryptoPP::HashTransformation>(static_cast<CryptoPP::HashTransformation*>(h.Clone()));
}
} // namespace

void TranscriptHash::update(ByteView handshakeMessage)
{
    append(m_messages, handshakeMessage);
}

CryptoPP::HashTransformation* TranscriptHash::advanced(HashAlgorithm h, std::size_t length) const
{
    Running& r = m_running.at(static_cast<std::size_t>(h));
    length = std::min(length, m_messages.size());
    if (!r.hash)
        r.hash = makeHash(h);
    if (r.hashed > length)
        return nullptr;
    r.hash->Update(dataOf(ByteView(m_messages).subspan(r.hashed, length - r.hashed)), length - r.hashed);
    r.hashed = length;
    return r.hash.get();
}

Bytes TranscriptHash::digest(HashAlgorithm h) const
{
    return digest(h, m_messages.size());
}

Bytes TranscriptHash::digest(HashAlgorithm h, std::size_t length) const
{
    CryptoPP::HashTransformation* running = advanced(h, length);
    if (!running)
        return hashOf(h, ByteView(m_messages).first(std::min(length, m_messages.size())));
    // Final() resets a hash, so a copy finishes while the running one carries on.
    const std::unique_ptr<CryptoPP::HashTransformation> copy = copyOf(*running);
    Bytes out(copy->DigestSize());
    copy->Final(out.data());
    return out;
}

std::unique_ptr<CryptoPP::HashTransformation> TranscriptHash::runningCopy(HashAlgorithm h) const
{
    return copyOf(*advanced(h, m_messages.size()));
}

} // namespace hl
