// Randomness comes into the engine from outside (STYLE: inject the world). A seeded generator replays a run
// byte for byte; without a seed the application passes the operating system's generator.
#pragma once

#include <cryptopp/drbg.h>
#include <cryptopp/sha.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

namespace hl {

// A deterministic generator: NIST SP 800-90A Hash_DRBG over SHA-256 (from Crypto++), instantiated from a
// 64-bit seed and a label so that, for one seed, the client and the server draw independent streams.
//
// Crypto++'s RSAES-PKCS1-v1_5 padding asks for one word per padding byte (GenerateWord32), and every Hash_DRBG
// request costs several SHA-256 blocks whatever its size; so single bytes and words come from a block drawn at
// once. Larger requests go to the DRBG as they are, so keys, randoms and nonces are the bytes they always were.
class SeededRng : public CryptoPP::RandomNumberGenerator {
public:
    SeededRng(std::uint64_t seed, std::string_view label);
    void GenerateBlock(CryptoPP::byte* output, size_t size) override;
    CryptoPP::byte GenerateByte() override;
    CryptoPP::word32 GenerateWord32(CryptoPP::word32 min = 0, CryptoPP::word32 max = 0xffffffffUL) override;
    bool CanIncorporateEntropy() const override { return false; }

private:
    void takeBuffered(CryptoPP::byte* output, size_t size);

    std::unique_ptr<CryptoPP::Hash_DRBG<CryptoPP::SHA256, 128 / 8, 440 / 8>> m_drbg;
    std::array<CryptoPP::byte, 1024> m_block{};
    size_t m_used = 1024; // bytes of m_block already handed out
};

// The operating system's generator (Crypto++ AutoSeededRandomPool), for runs without a seed.
std::unique_ptr<CryptoPP::RandomNumberGenerator> makeSystemRng();

} // namespace hl
