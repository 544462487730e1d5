// Randomness comes into the engine from outside (STYLE: inject the world). A seeded generator replays a run
// byte for byte; without a seed the application passes the operating system's generator.
#pragma once

#include <cryptopp/drbg.h>
#include <cryptopp/sha.h>

#include <cstdint>
#include <memory>
#include <string_view>

namespace hl {

// A deterministic generator: NIST SP 800-90A Hash_DRBG over SHA-256 (from Crypto++), instantiated from a
// 64-bit seed and a label so that, for one seed, the client and the server draw independent streams.
class SeededRng : public CryptoPP::RandomNumberGenerator {
public:
    SeededRng(std::uint64_t seed, std::string_view label);
    void GenerateBlock(CryptoPP::byte* output, size_t size) override;
    bool CanIncorporateEntropy() const override { return false; }

private:
    std::unique_ptr<CryptoPP::Hash_DRBG<CryptoPP::SHA256, 128 / 8, 440 / 8>> m_drbg;
};

// The operating system's generator (Crypto++ AutoSeededRandomPool), for runs without a seed.
std::unique_ptr<CryptoPP::RandomNumberGenerator> makeSystemRng();

} // namespace hl
