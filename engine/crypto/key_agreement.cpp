// (EC)DH over Crypto++'s x25519, ECDH<ECP> and DH domains, with the checks TLS asks of a peer's public value.
#include "crypto/key_agreement.h"

#include "common/alert.h"
#include "common/codec.h"

#include <cryptopp/dh.h>
#include <cryptopp/eccrypto.h>
#include <cryptopp/ecp.h>
#include <cryptopp/integer.h>
#include <cryptopp/oids.h>
#include <cryptopp/xed25519.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace hl {

KeyAgreement::~KeyAgreement() = default;

namespace {

using CryptoPP::Integer;

// RFC 7919 Appendix A.1: p = 2^2048 - 2^1984 + {[2^1918 * e] + 560316} * 2^64 - 1, a safe prime; g = 2.
constexpr std::string_view kFfdhe2048PrimeHex = "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1"
                                                "D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF9"
                                                "7D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD6561"
                                                "2433F51F5F066ED0856365553DED1AF3B557135E7F57C935"
                                                "984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE735"
                                                "30ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FB"
                                                "B96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB19"
                                                "0B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61"
                                                "9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD73"
                                                "3BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA"
                                                "886B423861285C97FFFFFFFFFFFFFFFF";

// Weak-DH attacks (Logjam) break primes of 512 bits in real time; RFC 7919 §1 and every current stack refuse
// fewer than 1024 bits. The upper bound keeps a hostile server from asking for hours of modular arithmetic.
constexpr unsigned kMinDhPrimeBits = 1024;
constexpr unsigned kMaxDhPrimeBits = 8192;

Integer toInteger(ByteView b)
{
    return b.empty() ? Integer::Zero() : Integer(b.data(), b.size());
}

Bytes encode(const Integer& v, std::size_t length)
{
    Bytes out(length);
    v.Encode(out.data(), out.size());
    return out;
}

Bytes encodeMinimal(const Integer& v)
{
    return encode(v, v.MinEncodedSize());
}

std::string num(std::size_t n)
{
    return std::to_string(n);
}

// ---------------------------------------------------------------------------------------------------------------
class X25519Agreement final : public KeyAgreement {
public:
    explicit X25519Agreement(Bytes privateValue) : m_private(std::move(privateValue)), m_public(kLength)
    {
        const Bytes k = scalar();
        m_domain.GeneratePublicKey(CryptoPP::NullRNG(), k.data(), m_public.data());
    }

    static std::unique_ptr<KeyAgreement> generate(CryptoPP::RandomNumberGenerator& rng)
    {
        Bytes priv(kLength);
        CryptoPP::x25519().GeneratePrivateKey(rng, priv.data());
        return std::make_unique<X25519Agreement>(std::move(priv));
    }

    std::uint16_t group() const override { return static_cast<std::uint16_t>(NamedGroup::X25519); }
    Bytes publicValue() const override { return m_public; }
    Bytes privateValue() const override { return m_private; }

    Bytes sharedSecret(ByteView peerPublic) const override
    {
        // A share that decodes as a message but is not a valid key is illegal_parameter, as OpenSSL and GnuTLS send
        // (RFC 8446 §4.2.8.2 makes it a MUST for TLS 1.3; TLS 1.2 stacks answer the same).
        if (peerPublic.size() != kLength)
            throw TlsError(AlertDescription::IllegalParameter,
                           "an x25519 public key must be 32 bytes, got " + num(peerPublic.size()));
        const Bytes k = scalar();
        Bytes out(kLength);
        const bool agreed = m_domain.Agree(out.data(), k.data(), peerPublic.data(), true);
        // RFC 8422 §5.11 (RFC 7748 §6.1): a peer key of small order yields the all-zero secret, which anyone can
        // predict. Crypto++ refuses the known small-order encodings; checking the result catches every other one.
        CryptoPP::byte any = 0;
        for (const CryptoPP::byte b : out)
            any |= b;
        if (!agreed || any == 0)
            throw TlsError(AlertDescription::IllegalParameter,
                           "the peer's x25519 public key is a point of small order: the shared secret would be all "
                           "zeros, which an eavesdropper could predict (RFC 8422 §5.11)");
        return out;
    }

private:
    static constexpr std::size_t kLength = 32;

    // RFC 7748 §5 decodeScalar25519: clear the three low bits and the top bit, set bit 254. Kept apart from
    // m_private so the private value shows exactly as it was drawn or published.
    Bytes scalar() const
    {
        Bytes k = m_private;
        m_domain.ClampKey(k.data());
        return k;
    }

    CryptoPP::x25519 m_domain;
    Bytes m_private;
    Bytes m_public;
};

// ---------------------------------------------------------------------------------------------------------------
class EcdhAgreement final : public KeyAgreement {
public:
    EcdhAgreement(NamedGroup group, const CryptoPP::DL_GroupParameters_EC<CryptoPP::ECP>& curve)
        : m_group(group), m_domain(curve)
    {
    }

    void setPrivate(Bytes priv)
    {
        m_private = std::move(priv);
        m_public.resize(m_domain.PublicKeyLength());
        m_domain.GeneratePublicKey(CryptoPP::NullRNG(), m_private.data(), m_public.data());
    }

    void generatePrivate(CryptoPP::RandomNumberGenerator& rng)
    {
        Bytes priv(m_domain.PrivateKeyLength());
        m_domain.GeneratePrivateKey(rng, priv.data());
        setPrivate(std::move(priv));
    }

    std::size_t privateKeyLength() const { return m_domain.PrivateKeyLength(); }
    const Integer& order() const { return m_domain.GetGroupParameters().GetSubgroupOrder(); }

    std::uint16_t group() const override { return static_cast<std::uint16_t>(m_group); }
    Bytes publicValue() const override { return m_public; }
    Bytes privateValue() const override { return m_private; }

    Bytes sharedSecret(ByteView peerPublic) const override
    {
        const std::string name = groupName(group());
        const CryptoPP::ECP& curve = m_domain.GetGroupParameters().GetCurve();
        const std::size_t coordinate = curve.GetField().MaxElementByteLength();
        const std::size_t expected = 1 + 2 * coordinate;
        if (peerPublic.empty())
            throw TlsError(AlertDescription::DecodeError, "the peer's " + name + " public key is empty");
        // RFC 8422 §5.1.2: only the uncompressed point format remains in TLS.
        if (peerPublic[0] != 0x04)
            throw TlsError(AlertDescription::IllegalParameter,
                           "a " + name + " public key must be an uncompressed point starting with 0x04, got " +
                               hexValue(peerPublic[0], 2) + " (RFC 8422 §5.4.1)");
        if (peerPublic.size() != expected)
            throw TlsError(AlertDescription::IllegalParameter, "a " + name + " public key must be " + num(expected) +
                                                              " bytes (0x04, X, Y), got " + num(peerPublic.size()));
        // RFC 8422 §5.11: the point must lie on the curve, or a malicious peer learns bits of our private key
        // from the answers (the invalid-curve attack).
        CryptoPP::ECP::Point point;
        if (!curve.DecodePoint(point, peerPublic.data(), peerPublic.size()) || point.identity ||
            !curve.VerifyPoint(point))
            throw TlsError(AlertDescription::IllegalParameter,
                           "the peer's " + name + " public key is not a point on the curve (RFC 8422 §5.11)");
        // RFC 8422 §5.10: the pre-master secret is the x-coordinate of the shared point, fixed length.
        Bytes out(m_domain.AgreedValueLength());
        if (!m_domain.Agree(out.data(), m_private.data(), peerPublic.data(), true))
            throw TlsError(AlertDescription::IllegalParameter,
                           "the peer's " + name + " public key failed validation (RFC 8422 §5.11)");
        return out;
    }

private:
    NamedGroup m_group;
    CryptoPP::ECDH<CryptoPP::ECP>::Domain m_domain;
    Bytes m_private;
    Bytes m_public;
};

// ---------------------------------------------------------------------------------------------------------------
class DhAgreement final : public KeyAgreement {
public:
    // group 0 is a server-chosen (p, g). A named group (RFC 7919) has a safe prime whose g generates the subgroup
    // of order q = (p-1)/2, so sharedSecret() can also check a peer value lies in it; a chosen group promises
    // nothing of the kind.
    DhAgreement(std::uint16_t group, const Integer& p, const Integer& g) : m_group(group), m_p(p), m_domain(p, g) {}

    void setPrivate(const Integer& x)
    {
        m_x = x;
        const Bytes priv = encode(x, m_domain.PrivateKeyLength());
        m_public.resize(m_domain.PublicKeyLength());
        m_domain.GeneratePublicKey(CryptoPP::NullRNG(), priv.data(), m_public.data());
    }

    void generatePrivate(CryptoPP::RandomNumberGenerator& rng)
    {
        Bytes priv(m_domain.PrivateKeyLength());
        m_domain.GeneratePrivateKey(rng, priv.data());
        setPrivate(toInteger(priv));
    }

    const Integer& prime() const { return m_p; }

    std::uint16_t group() const override { return m_group; }
    Bytes publicValue() const override { return m_public; }
    Bytes privateValue() const override { return encodeMinimal(m_x); }

    Bytes sharedSecret(ByteView peerPublic) const override
    {
        if (peerPublic.empty())
            throw TlsError(AlertDescription::DecodeError, "the peer's Diffie-Hellman public value is empty");
        const Integer y = toInteger(peerPublic);
        // RFC 7919 §5.1: Y = 1 or Y = p-1 (or anything outside the range) pins the shared secret to a value an
        // eavesdropper knows.
        if (y <= Integer::One() || y >= m_p - Integer::One())
            throw TlsError(AlertDescription::IllegalParameter,
                           "the peer's Diffie-Hellman public value must satisfy 1 < Y < p-1 (RFC 7919 §5.1)");
        const Bytes padded = encode(y, m_domain.PublicKeyLength());
        const Bytes priv = encode(m_x, m_domain.PrivateKeyLength());
        Bytes z(m_domain.AgreedValueLength());
        if (!m_domain.Agree(z.data(), priv.data(), padded.data(), m_group != 0))
            throw TlsError(AlertDescription::IllegalParameter,
                           "the peer's Diffie-Hellman public value is not in the subgroup that g generates "
                           "(RFC 7919 §5.1)");
        // RFC 5246 §8.1.2: leading bytes of Z that contain all zero bits are stripped before it is used as the
        // pre-master secret (unlike ECDH, whose secret keeps its fixed length).
        std::size_t skip = 0;
        while (skip < z.size() && z[skip] == 0)
            ++skip;
        z.erase(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(skip));
        return z;
    }

private:
    std::uint16_t m_group;
    Integer m_p;
    CryptoPP::DH m_domain;
    Integer m_x;
    Bytes m_public;
};

Integer ffdhe2048P()
{
    return toInteger(fromHex(kFfdhe2048PrimeHex));
}

// The curve's group with its base point's multiples precomputed, once per process: every key pair is a
// fixed-base multiplication, which the tables make several times cheaper. Each agreement copies the group.
const CryptoPP::DL_GroupParameters_EC<CryptoPP::ECP>& precomputedCurve(NamedGroup group)
{
    using Group = CryptoPP::DL_GroupParameters_EC<CryptoPP::ECP>;
    const auto make = [](const CryptoPP::OID& curve) {
        Group g(curve);
        g.Precompute();
        return g;
    };
    static const Group p256 = make(CryptoPP::ASN1::secp256r1());
    static const Group p384 = make(CryptoPP::ASN1::secp384r1());
    return group == NamedGroup::Secp256r1 ? p256 : p384;
}

std::unique_ptr<EcdhAgreement> makeEcdh(NamedGroup group)
{
    return std::make_unique<EcdhAgreement>(group, precomputedCurve(group));
}

[[noreturn]] void unsupportedGroup(NamedGroup group)
{
    throw TlsError(AlertDescription::IllegalParameter,
                   groupName(static_cast<std::uint16_t>(group)) + " is not a group this engine implements");
}

} // namespace

std::unique_ptr<KeyAgreement> KeyAgreement::generate(NamedGroup group, CryptoPP::RandomNumberGenerator& rng)
{
    switch (group) {
    case NamedGroup::X25519:
        return X25519Agreement::generate(rng);
    case NamedGroup::Secp256r1:
    case NamedGroup::Secp384r1: {
        auto ka = makeEcdh(group);
        ka->generatePrivate(rng);
        return ka;
    }
    case NamedGroup::Ffdhe2048: {
        auto ka = std::make_unique<DhAgreement>(static_cast<std::uint16_t>(group), ffdhe2048P(), Integer::Two());
        ka->generatePrivate(rng);
        return ka;
    }
    }
    unsupportedGroup(group);
}

std::unique_ptr<KeyAgreement> KeyAgreement::generateDh(ByteView p, ByteView g, CryptoPP::RandomNumberGenerator& rng)
{
    const Integer prime = toInteger(p);
    const Integer generator = toInteger(g);
    const unsigned bits = prime.BitCount();
    if (bits < kMinDhPrimeBits)
        throw TlsError(AlertDescription::InsufficientSecurity,
                       "the server's Diffie-Hellman prime has only " + num(bits) +
                           " bits; at least 1024 are needed, smaller groups are broken in practice (Logjam)");
    if (bits > kMaxDhPrimeBits)
        throw TlsError(AlertDescription::IllegalParameter, "the server's Diffie-Hellman prime has " + num(bits) +
                                                               " bits, more than the 8192 this engine accepts");
    if (prime.IsEven())
        throw TlsError(AlertDescription::IllegalParameter, "the server's Diffie-Hellman modulus p is even, so it "
                                                           "cannot be prime");
    if (generator <= Integer::One() || generator >= prime - Integer::One())
        throw TlsError(AlertDescription::IllegalParameter,
                       "the server's Diffie-Hellman generator must satisfy 1 < g < p-1");
    auto ka = std::make_unique<DhAgreement>(0, prime, generator);
    ka->generatePrivate(rng);
    return ka;
}

std::unique_ptr<KeyAgreement> KeyAgreement::fromPrivateValue(NamedGroup group, ByteView privateValue)
{
    switch (group) {
    case NamedGroup::X25519:
        if (privateValue.size() != 32)
            throw std::invalid_argument("an x25519 private key must be 32 bytes, got " + num(privateValue.size()));
        return std::make_unique<X25519Agreement>(Bytes(privateValue.begin(), privateValue.end()));
    case NamedGroup::Secp256r1:
    case NamedGroup::Secp384r1: {
        auto ka = makeEcdh(group);
        const Integer d = toInteger(privateValue);
        if (privateValue.size() != ka->privateKeyLength() || d.IsZero() || d >= ka->order())
            throw std::invalid_argument("a " + groupName(static_cast<std::uint16_t>(group)) + " private key must be " +
                                        num(ka->privateKeyLength()) + " bytes and between 1 and the group order");
        ka->setPrivate(Bytes(privateValue.begin(), privateValue.end()));
        return ka;
    }
    case NamedGroup::Ffdhe2048: {
        auto ka = std::make_unique<DhAgreement>(static_cast<std::uint16_t>(group), ffdhe2048P(), Integer::Two());
        const Integer x = toInteger(privateValue);
        // Below q = (p-1)/2, the order of the subgroup g = 2 generates (RFC 7919 Appendix A.1).
        if (x <= Integer::One() || x >= (ka->prime() - Integer::One()) / Integer::Two())
            throw std::invalid_argument("an ffdhe2048 private exponent must satisfy 1 < x < q = (p-1)/2");
        ka->setPrivate(x);
        return ka;
    }
    }
    unsupportedGroup(group);
}

Bytes ffdhe2048Prime()
{
    return fromHex(kFfdhe2048PrimeHex);
}

Bytes ffdhe2048Generator()
{
    return {0x02};
}

} // namespace hl
