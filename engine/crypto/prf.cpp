// P_hash and the TLS 1.2 and TLS 1.0 PRFs, built on Crypto++ HMAC.
#include "crypto/prf.h"

#include "crypto/hash.h"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/hmac.h>
#include <cryptopp/md5.h>
#include <cryptopp/sha.h>

namespace hl {

namespace {

// RFC 5246 §5: A(0) = seed, A(i) = HMAC(secret, A(i-1));
// P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...
// `mac` is already keyed with the secret.
Bytes pHash(CryptoPP::MessageAuthenticationCode& mac, ByteView seed, std::size_t length)
{
    const std::size_t n = mac.DigestSize();
    Bytes out;
    out.reserve(length + n);
    Bytes a(seed.begin(), seed.end());
    Bytes block(n);
    while (out.size() < length) {
        mac.Update(a.data(), a.size());
        a.resize(n);
        mac.Final(a.data());
        mac.Update(a.data(), a.size());
        mac.Update(seed.data(), seed.size());
        mac.Final(block.data());
        append(out, block);
    }
    out.resize(length);
    return out;
}

} // namespace

Bytes prf(HashAlgorithm hash, ByteView secret, std::string_view label, ByteView seed, std::size_t length)
{
    const auto mac = makeHmac(hash, secret);
    return pHash(*mac, concat(asBytes(label), seed), length);
}

Bytes prfTls10(ByteView secret, std::string_view label, ByteView seed, std::size_t length)
{
    // RFC 2246 §5: L_S1 = L_S2 = ceil(L_S / 2); S1 is the first L_S1 bytes, S2 the last L_S2 bytes.
    const std::size_t half = (secret.size() + 1) / 2;
    const ByteView s1 = secret.first(half);
    const ByteView s2 = secret.last(half);
    static const CryptoPP::byte empty = 0;
    CryptoPP::HMAC<CryptoPP::Weak::MD5> md5(s1.empty() ? &empty : s1.data(), s1.size());
    CryptoPP::HMAC<CryptoPP::SHA1> sha1(s2.empty() ? &empty : s2.data(), s2.size());
    const Bytes labelAndSeed = concat(asBytes(label), seed);
    Bytes out = pHash(md5, labelAndSeed, length);
    const Bytes other = pHash(sha1, labelAndSeed, length);
    for (std::size_t i = 0; i < length; ++i)
        out[i] ^= other[i];
    return out;
}

} // namespace hl
