// Seeded and system random generators.
#include "crypto/rng.h"

#include <cryptopp/misc.h>
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

void SeededRng::takeBuffered(CryptoPP::byte* output, size_t size)
{
    while (size > 0) {
        if (m_used == m_block.size()) {
            m_drbg->GenerateBlock(m_block.data(), m_block.size());
            m_used = 0;
        }
        const size_t n = std::min(size, m_block.size() - m_used);
        std::copy_n(m_block.data() + m_used, n, output);
        m_used += n;
        output += n;
        size -= n;
    }
}

CryptoPP::byte SeededRng::GenerateByte()
{
    CryptoPP::byte b;
    takeBuffered(&b, 1);
    return b;
}

CryptoPP::word32 SeededRng::GenerateWord32(CryptoPP::word32 min, CryptoPP::word32 max)
{
    // Crypto++'s own GenerateWord32: uniform in [min, max] by rejecting values above the range.
    const CryptoPP::word32 range = max - min;
    const unsigned int bits = CryptoPP::BitPrecision(range);
    CryptoPP::word32 value;
    do {
        CryptoPP::byte b[4];
        takeBuffered(b, sizeof b);
        value = CryptoPP::Crop(static_cast<CryptoPP::word32>(b[0]) | static_cast<CryptoPP::word32>(b[1]) << 8 |
                                   static_cast<CryptoPP::word32>(b[2]) << 16 | static_cast<CryptoPP::word32>(b[3]) << 24,
                               bits);
    } while (value > range);
    return value + min;
}

std::unique_ptr<CryptoPP::RandomNumberGenerator> makeSystemRng()
{
    return std::make_unique<CryptoPP::AutoSeededRandomPool>();
}

} // namespace hl
