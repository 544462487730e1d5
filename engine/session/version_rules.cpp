// Version rules shared by both state machines.
#include "session/version_rules.h"

#include "crypto/hash.h"

#include <algorithm>
#include <array>

namespace hl {

namespace {
constexpr std::array<std::uint8_t, 8> kDowngradeTls11{0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00};

Bytes md5Sha1(ByteView data)
{
    return concat(hashOf(HashAlgorithm::Md5, data), hashOf(HashAlgorithm::Sha1, data));
}
} // namespace

std::string versionRangeText(ProtocolVersion min, ProtocolVersion max)
{
    if (min == max)
        return versionName(min) + " only";
    return versionName(min) + " to " + versionName(max);
}

bool hasDowngradeSentinel(ByteView serverRandom)
{
    return serverRandom.size() == 32 && std::equal(kDowngradeTls11.begin(), kDowngradeTls11.end(), serverRandom.end() - 8);
}

void putDowngradeSentinel(Bytes& serverRandom)
{
    if (serverRandom.size() == 32)
        std::copy(kDowngradeTls11.begin(), kDowngradeTls11.end(), serverRandom.end() - 8);
}

Bytes signLegacy(const PrivateKey& key, ByteView data, CryptoPP::RandomNumberGenerator& rng)
{
    if (key.type() == KeyType::Rsa)
        return key.signMd5Sha1(md5Sha1(data), rng);
    return key.sign(SignatureScheme::EcdsaSha1, data, rng);
}

bool verifyLegacySignature(const PublicKey& key, ByteView data, ByteView signature)
{
    if (key.isNull())
        return false;
    if (key.type() == KeyType::Rsa)
        return key.verifyMd5Sha1(md5Sha1(data), signature);
    return key.verify(SignatureScheme::EcdsaSha1, data, signature);
}

std::string legacySignatureName(KeyType type)
{
    return type == KeyType::Rsa ? "RSA over MD5 || SHA-1" : "ECDSA over SHA-1";
}

} // namespace hl
