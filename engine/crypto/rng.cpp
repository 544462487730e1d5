// Seeded and system random generators.
#include "crypto/rng.h"

#include <cryptopp/osrng.h>

#include <algorithm>
#include <string>

namespace hl {

SeededRng::SeededRng(std::uint64_t seed, std::string_view label)
{
    CryptoPP::byte entropy[CryptoPP::SHA256::DIGESTSIZE];
    CryptoPP::SHA256 h;
    const std::string prefix = "HandshakeLab seed ";
    h.Update(reinterpret_cast<const CryptoPP::byte*>(prefix.data()), prefix.size());
    CryptoPP::byte seedBytes[8];
    for (int i = 0; i < 8; ++i)
        seedBytes[i] = static_cast<CryptoPP::byte>(seed >> (56 - 8 * i));
    h.Update(seedBytes, sizeof seedBytes);
    h.Update(reinterpret_cast<const CryptoPP::byte*>(label.data()), label.size());
    h.Final(entropy);
    m_drbg = std::make_unique<CryptoPP::Hash_DRBG<CryptoPP::SHA256, 128 / 8, 440 / 8>>(
        entropy, sizeof entropy, seedBytes, sizeof seedBytes,
        reinterpret_cast<const CryptoPP::byte*>(label.data()), label.size());
}

void SeededRng::GenerateBlock(CryptoPP::byte* output, size_t size)
{
    // Hash_DRBG limits one request to 64 KiB (SP 800-90A table 2).
    while (size > 0) {
        const size_t n = std::min<size_t>(size, 65536);
        m_drbg->GenerateBlock(output, n);
        output += n;
        size -= n;
    }
}

std::unique_ptr<CryptoPP::RandomNumberGenerator> makeSystemRng()
{
    return std::make_unique<CryptoPP::AutoSeededRandomPool>();
}

} // namespace hl
