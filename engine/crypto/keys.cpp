// RSA and ECDSA P-256 keys over Crypto++: key formats parsed with the DER reader, every operation by Crypto++.
#include "crypto/keys.h"

#include "common/alert.h"
#include "x509/der.h"
#include "x509/oids.h"
#include "x509/pem.h"

#include <cryptopp/dsa.h>
#include <cryptopp/eccrypto.h>
#include <cryptopp/nbtheory.h>
#include <cryptopp/oids.h>
#include <cryptopp/pkcspad.h>
#include <cryptopp/pssr.h>
#include <cryptopp/rsa.h>
#include <cryptopp/sha.h>

#include <stdexcept>

namespace hl {
// Not a hash: hands the 36 bytes it is given straight to the PKCS #1 encoder. TLS 1.0 and 1.1 (RFC 2246 §4.7) and
// SSL 3.0 sign MD5 || SHA-1 with PKCS #1 v1.5 block type 1 and no DigestInfo, which is Crypto++'s PKCS #1 signer
// over this "hash" with an empty decoration.
class PrehashedMd5Sha1 : public CryptoPP::HashTransformation {
public:
    static constexpr unsigned int DIGESTSIZE = 36;
    static const char* StaticAlgorithmName() { return "MD5||SHA-1 (precomputed)"; }
    std::string AlgorithmName() const override { return StaticAlgorithmName(); }
    void Update(const CryptoPP::byte* input, size_t length) override { m_data.insert(m_data.end(), input, input + length); }
    unsigned int DigestSize() const override { return DIGESTSIZE; }
    void TruncatedFinal(CryptoPP::byte* digest, size_t digestSize) override
    {
        ThrowIfInvalidTruncatedSize(digestSize);
        // A digest of the wrong length cannot be the one expected: it is zero-filled and so fails to verify.
        m_data.resize(DIGESTSIZE, 0);
        std::copy(m_data.begin(), m_data.begin() + static_cast<std::ptrdiff_t>(digestSize), digest);
        m_data.clear();
    }

private:
    Bytes m_data;
};
} // namespace hl

namespace CryptoPP {
template <> const byte PKCS_DigestDecoration<hl::PrehashedMd5Sha1>::decoration[] = {0};
template <> const unsigned int PKCS_DigestDecoration<hl::PrehashedMd5Sha1>::length = 0;
} // namespace CryptoPP

namespace hl {

using EcPublic = CryptoPP::DL_PublicKey_EC<CryptoPP::ECP>;
using EcPrivate = CryptoPP::DL_PrivateKey_EC<CryptoPP::ECP>;
using EcGroup = CryptoPP::DL_GroupParameters_EC<CryptoPP::ECP>;

struct PublicKey::Impl {
    KeyType type = KeyType::Rsa;
    Bytes spki;
    CryptoPP::RSA::PublicKey rsa;
    EcPublic ec;
};

struct PrivateKey::Impl {
    KeyType type = KeyType::Rsa;
    CryptoPP::RSA::PrivateKey rsa;
    EcPrivate ec;
    PublicKey pub;
};

namespace {

constexpr std::size_t kP256Bytes = 32;

// Every P-256 key starts from this group, with the base point's multiples precomputed once per process: Crypto++
// then signs and verifies with fixed-base tables instead of a plain double-and-add (about half the cost of an
// ECDSA verification). Keys copy the tables with the group.
const EcGroup& p256()
{
    static const EcGroup group = [] {
        EcGroup g(CryptoPP::ASN1::secp256r1());
        g.Precompute();
        return g;
    }();
    return group;
}

thread_local std::uint64_t t_verifications = 0;

[[noreturn]] void badKey(const std::string& why)
{
    throw TlsError(AlertDescription::BadCertificate, "subjectPublicKeyInfo: " + why);
}

[[noreturn]] void unsupportedKey(const std::string& why)
{
    throw TlsError(AlertDescription::UnsupportedCertificate, "subjectPublicKeyInfo: " + why);
}

Bytes encodeRsaSpki(const CryptoPP::RSA::PublicKey& key)
{
    // X509PublicKey::DEREncode writes RFC 3279 §2.3.1: rsaEncryption with NULL parameters, RSAPublicKey in a BIT
    // STRING.
    return der::encode([&](CryptoPP::BufferedTransformation& bt) { key.DEREncode(bt); });
}

Bytes encodeEcPoint(const CryptoPP::ECP::Point& q)
{
    // SEC 1 §2.3.3 uncompressed form 04 || X || Y, the form RFC 5480 §2.2 requires support for.
    Bytes point(1 + 2 * kP256Bytes);
    p256().GetCurve().EncodePoint(point.data(), q, false);
    return point;
}

Bytes encodeEcSpki(const CryptoPP::ECP::Point& q)
{
    // RFC 5480 §2: id-ecPublicKey with the namedCurve OID as parameters, the point as the BIT STRING.
    const Bytes point = encodeEcPoint(q);
    return der::encode([&](CryptoPP::BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder spki(bt);
        CryptoPP::DERSequenceEncoder algorithm(spki);
        der::cryptoOid(oid::EcPublicKey).DEREncode(algorithm);
        der::cryptoOid(oid::Secp256r1).DEREncode(algorithm);
        algorithm.MessageEnd();
        CryptoPP::DEREncodeBitString(spki, point.data(), point.size(), 0);
        spki.MessageEnd();
    });
}

PublicKey::Impl rsaPublicImpl(const CryptoPP::Integer& n, const CryptoPP::Integer& e)
{
    PublicKey::Impl impl;
    impl.type = KeyType::Rsa;
    impl.rsa.Initialize(n, e);
    impl.spki = encodeRsaSpki(impl.rsa);
    return impl;
}

PublicKey::Impl ecPublicImpl(const CryptoPP::ECP::Point& q)
{
    PublicKey::Impl impl;
    impl.type = KeyType::EcdsaP256;
    impl.ec.Initialize(p256(), q);
    impl.spki = encodeEcSpki(q);
    return impl;
}

// ---- signatures ------------------------------------------------------------------------------------------

template <typename Scheme> bool rsaVerify(const CryptoPP::RSA::PublicKey& key, ByteView message, ByteView signature)
{
    // RFC 8017 §8.2.2 step 1 and §8.1.2 step 1: a signature is exactly as long as the modulus.
    if (signature.size() != key.GetModulus().ByteCount())
        return false;
    typename Scheme::Verifier verifier(key);
    return verifier.VerifyMessage(message.data(), message.size(), signature.data(), signature.size());
}

template <typename Scheme>
Bytes rsaSign(const CryptoPP::RSA::PrivateKey& key, ByteView message, CryptoPP::RandomNumberGenerator& rng)
{
    typename Scheme::Signer signer(key);
    Bytes signature(signer.MaxSignatureLength());
    signature.resize(signer.SignMessage(rng, message.data(), message.size(), signature.data()));
    return signature;
}

// RFC 8422 §5.4 / RFC 3279 §2.2.3: Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }. Checked strictly with the
// DER reader first (Crypto++'s converter is lenient about DER form), then converted to the r || s form Crypto++
// verifies.
std::optional<Bytes> ecdsaDerToP1363(ByteView signature)
{
    try {
        der::Reader outer(signature, "ECDSA signature");
        const der::Element seq = outer.read(der::Sequence, "Ecdsa-Sig-Value");
        outer.expectDone("Ecdsa-Sig-Value");
        der::Reader fields(seq, "Ecdsa-Sig-Value");
        for (const char* name : {"r", "s"}) {
            if (der::positiveInteger(fields.read(der::Integer, name), name).ByteCount() > kP256Bytes)
                return std::nullopt;
        }
        fields.expectDone("Ecdsa-Sig-Value");
    } catch (const der::Error&) {
        return std::nullopt;
    }
    Bytes p1363(2 * kP256Bytes);
    const std::size_t n = CryptoPP::DSAConvertSignatureFormat(p1363.data(), p1363.size(), CryptoPP::DSA_P1363,
                                                              signature.data(), signature.size(), CryptoPP::DSA_DER);
    if (n != p1363.size())
        return std::nullopt;
    return p1363;
}

template <typename Hash> bool ecdsaVerify(const EcPublic& key, ByteView message, ByteView derSignature)
{
    const std::optional<Bytes> p1363 = ecdsaDerToP1363(derSignature);
    if (!p1363)
        return false;
    typename CryptoPP::ECDSA<CryptoPP::ECP, Hash>::Verifier verifier(key);
    return verifier.VerifyMessage(message.data(), message.size(), p1363->data(), p1363->size());
}

template <typename Hash> Bytes ecdsaSign(const EcPrivate& key, ByteView message, CryptoPP::RandomNumberGenerator& rng)
{
    typename CryptoPP::ECDSA<CryptoPP::ECP, Hash>::Signer signer(key);
    Bytes p1363(signer.MaxSignatureLength());
    p1363.resize(signer.SignMessage(rng, message.data(), message.size(), p1363.data()));
    // DER adds at most 2 (SEQUENCE) + 2 * 3 (INTEGER header and a sign octet) bytes.
    Bytes out(p1363.size() + 8);
    out.resize(CryptoPP::DSAConvertSignatureFormat(out.data(), out.size(), CryptoPP::DSA_DER, p1363.data(),
                                                   p1363.size(), CryptoPP::DSA_P1363));
    return out;
}

bool isRsaScheme(SignatureScheme s)
{
    switch (s) {
    case SignatureScheme::RsaPkcs1Sha1:
    case SignatureScheme::RsaPkcs1Sha256:
    case SignatureScheme::RsaPkcs1Sha384:
    case SignatureScheme::RsaPkcs1Sha512:
    case SignatureScheme::RsaPssRsaeSha256:
    case SignatureScheme::RsaPssRsaeSha384:
        return true;
    default:
        return false;
    }
}

bool isEcdsaP256Scheme(SignatureScheme s)
{
    return s == SignatureScheme::EcdsaSecp256r1Sha256 || s == SignatureScheme::EcdsaSha1;
}

bool schemeFits(KeyType type, SignatureScheme s)
{
    return type == KeyType::Rsa ? isRsaScheme(s) : isEcdsaP256Scheme(s);
}

std::string schemeText(SignatureScheme s)
{
    return signatureSchemeName(static_cast<std::uint16_t>(s));
}

// ---- private key formats ---------------------------------------------------------------------------------

[[noreturn]] void badPrivateKey(const std::string& why)
{
    throw std::invalid_argument("private key: " + why);
}

// RFC 8017 A.1.2 RSAPrivateKey (two-prime, version 0).
std::shared_ptr<PrivateKey::Impl> parseRsaPrivateKey(ByteView der)
{
    der::Reader outer(der, "RSAPrivateKey");
    const der::Element seq = outer.read(der::Sequence, "");
    outer.expectDone("");
    der::Reader r(seq, "RSAPrivateKey");
    const std::uint64_t version = der::smallUnsigned(r.read(der::Integer, "version"), 1, "RSAPrivateKey.version");
    if (version != 0)
        badPrivateKey("multi-prime RSA keys (RSAPrivateKey version 1) are not supported");
    CryptoPP::Integer v[8];
    static constexpr const char* names[8] = {"modulus", "publicExponent", "privateExponent", "prime1",
                                             "prime2",  "exponent1",      "exponent2",       "coefficient"};
    for (int i = 0; i < 8; ++i)
        v[i] = der::positiveInteger(r.read(der::Integer, names[i]), std::string("RSAPrivateKey.") + names[i]);
    r.expectDone("");
    auto impl = std::make_shared<PrivateKey::Impl>();
    impl->type = KeyType::Rsa;
    impl->rsa.Initialize(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    // Level 1 checks n = p·q, e·d ≡ 1 and the CRT values; it needs no randomness (level 2 would test primality).
    if (!impl->rsa.Validate(CryptoPP::NullRNG(), 1))
        badPrivateKey("the RSA key's numbers are inconsistent (n != p*q or d does not invert e)");
    if (impl->rsa.GetModulus().BitCount() < 512)
        badPrivateKey("RSA keys below 512 bits are not supported");
    return impl;
}

// RFC 5915 §3 ECPrivateKey. `parametersFromAlgorithm`: PKCS #8 already named the curve in its AlgorithmIdentifier,
// so the [0] parameters may be absent; a bare SEC 1 key must carry them.
std::shared_ptr<PrivateKey::Impl> parseEcPrivateKey(ByteView der, bool parametersFromAlgorithm)
{
    der::Reader outer(der, "ECPrivateKey");
    const der::Element seq = outer.read(der::Sequence, "");
    outer.expectDone("");
    der::Reader r(seq, "ECPrivateKey");
    if (der::smallUnsigned(r.read(der::Integer, "version"), 1, "ECPrivateKey.version") != 1)
        badPrivateKey("ECPrivateKey version must be 1 (RFC 5915 §3)");
    const der::Element secret = r.read(der::OctetString, "privateKey");
    if (auto params = r.readOptional(der::contextTag(0, true), "parameters")) {
        der::Reader p(*params, "ECPrivateKey.parameters");
        const std::string curve = der::objectIdentifier(p.read(der::ObjectIdentifier, "namedCurve"), "namedCurve");
        p.expectDone("");
        if (curve != oid::Secp256r1)
            badPrivateKey("curve " + oid::name(curve) + " is not supported (only P-256)");
    } else if (!parametersFromAlgorithm) {
        badPrivateKey("an EC PRIVATE KEY must name its curve in [0] parameters (RFC 5915 §3)");
    }
    std::optional<Bytes> publicPoint;
    if (auto pub = r.readOptional(der::contextTag(1, true), "publicKey")) {
        der::Reader p(*pub, "ECPrivateKey.publicKey");
        publicPoint = der::octetAlignedBitString(p.read(der::BitString, "publicKey"), "ECPrivateKey.publicKey");
        p.expectDone("");
    }
    r.expectDone("");
    if (secret.contents.size() != kP256Bytes)
        badPrivateKey("a P-256 private key is 32 bytes, this one is " + std::to_string(secret.contents.size()));
    const CryptoPP::Integer d(secret.contents.data(), secret.contents.size());
    if (d.IsZero() || d >= p256().GetSubgroupOrder())
        badPrivateKey("the P-256 private value is out of range");
    auto impl = std::make_shared<PrivateKey::Impl>();
    impl->type = KeyType::EcdsaP256;
    impl->ec.Initialize(p256(), d);
    EcPublic pub;
    impl->ec.MakePublicKey(pub);
    if (publicPoint && *publicPoint != encodeEcPoint(pub.GetPublicElement()))
        badPrivateKey("the public key stored with the EC private key does not belong to it");
    return impl;
}

// RFC 5208 §5 PrivateKeyInfo (version 0), also accepting RFC 5958 OneAsymmetricKey (version 1).
std::shared_ptr<PrivateKey::Impl> parsePkcs8(ByteView der)
{
    der::Reader outer(der, "PKCS #8 PrivateKeyInfo");
    const der::Element seq = outer.read(der::Sequence, "");
    outer.expectDone("");
    der::Reader r(seq, "PKCS #8 PrivateKeyInfo");
    der::smallUnsigned(r.read(der::Integer, "version"), 1, "PrivateKeyInfo.version");
    const der::Element algorithm = r.read(der::Sequence, "privateKeyAlgorithm");
    const der::Element key = r.read(der::OctetString, "privateKey");
    r.readOptional(der::contextTag(0, true), "attributes");
    r.readOptional(der::contextTag(1, false), "publicKey");
    r.expectDone("");
    der::Reader a(algorithm, "PKCS #8 privateKeyAlgorithm");
    const std::string alg = der::objectIdentifier(a.read(der::ObjectIdentifier, "algorithm"), "algorithm");
    if (alg == oid::RsaEncryption) {
        if (!a.done() && a.read(der::Null, "parameters").contents.size() != 0)
            badPrivateKey("rsaEncryption parameters must be NULL");
        a.expectDone("");
        return parseRsaPrivateKey(key.contents);
    }
    if (alg == oid::EcPublicKey) {
        const std::string curve = der::objectIdentifier(a.read(der::ObjectIdentifier, "namedCurve"), "namedCurve");
        a.expectDone("");
        if (curve != oid::Secp256r1)
            badPrivateKey("curve " + oid::name(curve) + " is not supported (only P-256)");
        return parseEcPrivateKey(key.contents, true);
    }
    badPrivateKey("key algorithm " + oid::name(alg) + " is not supported (RSA or ECDSA P-256 only)");
}

} // namespace

std::string keyTypeName(KeyType t)
{
    return t == KeyType::Rsa ? "RSA" : "ECDSA P-256";
}

// ---- PublicKey -------------------------------------------------------------------------------------------

PublicKey::PublicKey() = default;
PublicKey::PublicKey(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}

PublicKey PublicKey::fromSubjectPublicKeyInfo(ByteView spkiDer)
{
    try {
        der::Reader outer(spkiDer, "subjectPublicKeyInfo");
        const der::Element spki = outer.read(der::Sequence, "");
        outer.expectDone("");
        der::Reader r(spki, "subjectPublicKeyInfo");
        const der::Element algorithm = r.read(der::Sequence, "algorithm");
        const Bytes key = der::octetAlignedBitString(r.read(der::BitString, "subjectPublicKey"), "subjectPublicKey");
        r.expectDone("");
        der::Reader a(algorithm, "subjectPublicKeyInfo.algorithm");
        const std::string alg = der::objectIdentifier(a.read(der::ObjectIdentifier, "algorithm"), "algorithm");

        auto impl = std::make_shared<Impl>();
        if (alg == oid::RsaEncryption) {
            // RFC 3279 §2.3.1: the parameters field MUST be NULL (some encoders omit it; accept that too).
            if (!a.done() && a.read(der::Null, "parameters").contents.size() != 0)
                badKey("rsaEncryption parameters must be NULL");
            a.expectDone("");
            der::Reader k(key, "RSAPublicKey");
            const der::Element seq = k.read(der::Sequence, "");
            k.expectDone("");
            der::Reader fields(seq, "RSAPublicKey");
            const CryptoPP::Integer n = der::positiveInteger(fields.read(der::Integer, "modulus"), "modulus");
            const CryptoPP::Integer e =
                der::positiveInteger(fields.read(der::Integer, "publicExponent"), "publicExponent");
            fields.expectDone("");
            if (n.IsEven() || e.IsEven() || e < 3 || e >= n)
                badKey("RSA modulus and exponent must be odd, with 3 <= e < n");
            if (n.BitCount() < 512 || n.BitCount() > 16384)
                unsupportedKey("RSA keys of " + std::to_string(n.BitCount()) + " bits are not supported (512..16384)");
            *impl = rsaPublicImpl(n, e);
        } else if (alg == oid::EcPublicKey) {
            // RFC 5480 §2.1.1.1: namedCurve is the only form PKIX allows.
            if (!a.peek(der::ObjectIdentifier))
                unsupportedKey("EC parameters must be a named curve (RFC 5480 §2.1.1.1)");
            const std::string curve = der::objectIdentifier(a.read(der::ObjectIdentifier, "namedCurve"), "namedCurve");
            a.expectDone("");
            if (curve != oid::Secp256r1)
                unsupportedKey("curve " + oid::name(curve) + " is not supported (only P-256)");
            CryptoPP::ECP::Point q;
            const CryptoPP::ECP& ec = p256().GetCurve();
            // DecodePoint checks the form and length but not that the point is on the curve; VerifyPoint does.
            if (!ec.DecodePoint(q, key.data(), key.size()) || q.identity || !ec.VerifyPoint(q))
                badKey("the EC public key is not a point on P-256");
            *impl = ecPublicImpl(q);
        } else {
            unsupportedKey("public key algorithm " + oid::name(alg) + " is not supported (RSA or ECDSA P-256 only)");
        }
        impl->spki.assign(spki.whole.begin(), spki.whole.end());
        return PublicKey(std::move(impl));
    } catch (const der::Error& e) {
        throw TlsError(AlertDescription::BadCertificate, e.what());
    } catch (const CryptoPP::Exception& e) {
        badKey(std::string("Crypto++ rejected the key: ") + e.what());
    }
}

KeyType PublicKey::type() const
{
    if (!m_impl)
        throw std::logic_error("PublicKey::type() on a null key");
    return m_impl->type;
}

std::size_t PublicKey::bits() const
{
    return type() == KeyType::Rsa ? m_impl->rsa.GetModulus().BitCount() : 256;
}

std::string PublicKey::description() const
{
    if (!m_impl)
        return "no key";
    return type() == KeyType::Rsa ? "RSA " + std::to_string(bits()) + " bits" : "ECDSA P-256";
}

Bytes PublicKey::subjectPublicKeyInfo() const
{
    if (!m_impl)
        throw std::logic_error("PublicKey::subjectPublicKeyInfo() on a null key");
    return m_impl->spki;
}

bool PublicKey::supports(SignatureScheme scheme) const
{
    return m_impl && schemeFits(m_impl->type, scheme);
}

std::uint64_t signatureVerifications()
{
    return t_verifications;
}

bool PublicKey::verify(SignatureScheme scheme, ByteView message, ByteView signature) const
{
    if (!supports(scheme))
        return false;
    ++t_verifications;
    using namespace CryptoPP;
    try {
        switch (scheme) {
        case SignatureScheme::RsaPkcs1Sha1:
            return rsaVerify<RSASS<PKCS1v15, SHA1>>(m_impl->rsa, message, signature);
        case SignatureScheme::RsaPkcs1Sha256:
            return rsaVerify<RSASS<PKCS1v15, SHA256>>(m_impl->rsa, message, signature);
        case SignatureScheme::RsaPkcs1Sha384:
            return rsaVerify<RSASS<PKCS1v15, SHA384>>(m_impl->rsa, message, signature);
        case SignatureScheme::RsaPkcs1Sha512:
            return rsaVerify<RSASS<PKCS1v15, SHA512>>(m_impl->rsa, message, signature);
        // Crypto++'s PSS uses MGF1 with the message hash and a salt as long as the hash: exactly RFC 8446 §4.2.3.
        case SignatureScheme::RsaPssRsaeSha256:
            return rsaVerify<RSASS<PSS, SHA256>>(m_impl->rsa, message, signature);
        case SignatureScheme::RsaPssRsaeSha384:
            return rsaVerify<RSASS<PSS, SHA384>>(m_impl->rsa, message, signature);
        case SignatureScheme::EcdsaSecp256r1Sha256:
            return ecdsaVerify<SHA256>(m_impl->ec, message, signature);
        case SignatureScheme::EcdsaSha1:
            return ecdsaVerify<SHA1>(m_impl->ec, message, signature);
        default:
            return false;
        }
    } catch (const CryptoPP::Exception&) {
        return false;
    }
}

Bytes PublicKey::rsaEncryptPkcs1(ByteView plaintext, CryptoPP::RandomNumberGenerator& rng) const
{
    if (type() != KeyType::Rsa)
        throw std::logic_error("RSA encryption with an " + description() + " key");
    CryptoPP::RSAES_PKCS1v15_Encryptor encryptor(m_impl->rsa);
    if (plaintext.size() > encryptor.FixedMaxPlaintextLength())
        throw std::invalid_argument("RSAES-PKCS1-v1_5: " + std::to_string(plaintext.size()) + " bytes do not fit a " +
                                    description() + " key");
    Bytes ciphertext(encryptor.FixedCiphertextLength());
    encryptor.Encrypt(rng, plaintext.data(), plaintext.size(), ciphertext.data());
    return ciphertext;
}

bool PublicKey::operator==(const PublicKey& other) const
{
    if (!m_impl || !other.m_impl)
        return !m_impl && !other.m_impl;
    return m_impl->spki == other.m_impl->spki;
}

// ---- PrivateKey ------------------------------------------------------------------------------------------

PrivateKey::PrivateKey() = default;
PrivateKey::PrivateKey(std::shared_ptr<Impl> impl)
{
    if (impl->type == KeyType::Rsa) {
        impl->pub = PublicKey(
            std::make_shared<PublicKey::Impl>(rsaPublicImpl(impl->rsa.GetModulus(), impl->rsa.GetPublicExponent())));
    } else {
        EcPublic pub;
        impl->ec.MakePublicKey(pub);
        impl->pub = PublicKey(std::make_shared<PublicKey::Impl>(ecPublicImpl(pub.GetPublicElement())));
    }
    m_impl = std::move(impl);
}

PrivateKey PrivateKey::fromPem(std::string_view pemText)
{
    const std::vector<std::string> labels = pemLabels(pemText);
    for (const std::string& label : labels) {
        try {
            if (label == "PRIVATE KEY")
                return PrivateKey(parsePkcs8(pemDecodeAll(pemText, label).front()));
            if (label == "RSA PRIVATE KEY")
                return PrivateKey(parseRsaPrivateKey(pemDecodeAll(pemText, label).front()));
            if (label == "EC PRIVATE KEY")
                return PrivateKey(parseEcPrivateKey(pemDecodeAll(pemText, label).front(), false));
        } catch (const der::Error& e) {
            badPrivateKey(std::string("malformed DER in the \"") + label + "\" block: " + e.what());
        } catch (const CryptoPP::Exception& e) {
            badPrivateKey(std::string("Crypto++ rejected the key: ") + e.what());
        }
        if (label == "ENCRYPTED PRIVATE KEY")
            badPrivateKey("encrypted PKCS #8 keys are not supported; decrypt it first, e.g. openssl pkey -in key.pem "
                          "-out plain.pem");
    }
    std::string found;
    for (const std::string& label : labels)
        found += (found.empty() ? " (found " : ", ") + label;
    if (!found.empty())
        found += ")";
    badPrivateKey("no PEM block labelled PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY" + found);
}

PrivateKey PrivateKey::fromPkcs8Der(ByteView der)
{
    try {
        return PrivateKey(parsePkcs8(der));
    } catch (const der::Error& e) {
        badPrivateKey(std::string("malformed DER: ") + e.what());
    } catch (const CryptoPP::Exception& e) {
        badPrivateKey(std::string("Crypto++ rejected the key: ") + e.what());
    }
}

PrivateKey PrivateKey::generate(KeyType type, CryptoPP::RandomNumberGenerator& rng)
{
    auto impl = std::make_shared<Impl>();
    impl->type = type;
    if (type == KeyType::Rsa) {
        // 65537 rather than Crypto++'s default of 17: it is what every CA and TLS stack uses.
        impl->rsa.Initialize(rng, 2048, 65537);
    } else {
        impl->ec.Initialize(rng, p256());
    }
    return PrivateKey(std::move(impl));
}

KeyType PrivateKey::type() const
{
    if (!m_impl)
        throw std::logic_error("PrivateKey::type() on a null key");
    return m_impl->type;
}

PublicKey PrivateKey::publicKey() const
{
    if (!m_impl)
        throw std::logic_error("PrivateKey::publicKey() on a null key");
    return m_impl->pub;
}

Bytes PrivateKey::pkcs8Der() const
{
    if (type() == KeyType::Rsa)
        // PKCS8PrivateKey::DEREncode: PrivateKeyInfo { 0, rsaEncryption NULL, OCTET STRING { RSAPrivateKey } }.
        return der::encode([&](CryptoPP::BufferedTransformation& bt) { m_impl->rsa.DEREncode(bt); });

    // RFC 5915 §4 inside RFC 5208: the curve sits in the AlgorithmIdentifier, so ECPrivateKey omits [0] and, as
    // OpenSSL writes it, keeps the public key in [1].
    Bytes secret(kP256Bytes);
    m_impl->ec.GetPrivateExponent().Encode(secret.data(), secret.size());
    const Bytes point = encodeEcPoint(m_impl->pub.m_impl->ec.GetPublicElement());
    const Bytes ecPrivateKey = der::encode([&](CryptoPP::BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder seq(bt);
        CryptoPP::DEREncodeUnsigned<CryptoPP::word32>(seq, 1);
        CryptoPP::DEREncodeOctetString(seq, secret.data(), secret.size());
        CryptoPP::DERGeneralEncoder publicKey(seq, der::contextTag(1, true));
        CryptoPP::DEREncodeBitString(publicKey, point.data(), point.size(), 0);
        publicKey.MessageEnd();
        seq.MessageEnd();
    });
    return der::encode([&](CryptoPP::BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder info(bt);
        CryptoPP::DEREncodeUnsigned<CryptoPP::word32>(info, 0);
        CryptoPP::DERSequenceEncoder algorithm(info);
        der::cryptoOid(oid::EcPublicKey).DEREncode(algorithm);
        der::cryptoOid(oid::Secp256r1).DEREncode(algorithm);
        algorithm.MessageEnd();
        CryptoPP::DEREncodeOctetString(info, ecPrivateKey.data(), ecPrivateKey.size());
        info.MessageEnd();
    });
}

std::string PrivateKey::pkcs8Pem() const
{
    return pemEncode(pkcs8Der(), "PRIVATE KEY");
}

Bytes PrivateKey::sign(SignatureScheme scheme, ByteView message, CryptoPP::RandomNumberGenerator& rng) const
{
    if (!m_impl || !schemeFits(m_impl->type, scheme))
        throw TlsError(AlertDescription::HandshakeFailure,
                       "cannot sign with " + schemeText(scheme) + " using " +
                           (m_impl ? m_impl->pub.description() : std::string("no")) + " key");
    using namespace CryptoPP;
    switch (scheme) {
    case SignatureScheme::RsaPkcs1Sha1:
        return rsaSign<RSASS<PKCS1v15, SHA1>>(m_impl->rsa, message, rng);
    case SignatureScheme::RsaPkcs1Sha256:
        return rsaSign<RSASS<PKCS1v15, SHA256>>(m_impl->rsa, message, rng);
    case SignatureScheme::RsaPkcs1Sha384:
        return rsaSign<RSASS<PKCS1v15, SHA384>>(m_impl->rsa, message, rng);
    case SignatureScheme::RsaPkcs1Sha512:
        return rsaSign<RSASS<PKCS1v15, SHA512>>(m_impl->rsa, message, rng);
    case SignatureScheme::RsaPssRsaeSha256:
        return rsaSign<RSASS<PSS, SHA256>>(m_impl->rsa, message, rng);
    case SignatureScheme::RsaPssRsaeSha384:
        return rsaSign<RSASS<PSS, SHA384>>(m_impl->rsa, message, rng);
    case SignatureScheme::EcdsaSecp256r1Sha256:
        return ecdsaSign<SHA256>(m_impl->ec, message, rng);
    case SignatureScheme::EcdsaSha1:
        return ecdsaSign<SHA1>(m_impl->ec, message, rng);
    default:
        break;
    }
    throw TlsError(AlertDescription::HandshakeFailure, "cannot sign with " + schemeText(scheme));
}

std::optional<Bytes> PrivateKey::rsaDecryptPkcs1(ByteView ciphertext, CryptoPP::RandomNumberGenerator& rng) const
{
    if (type() != KeyType::Rsa)
        throw std::logic_error("RSA decryption with an " + m_impl->pub.description() + " key");
    CryptoPP::RSAES_PKCS1v15_Decryptor decryptor(m_impl->rsa);
    // RFC 8017 §7.2.2 step 1. Crypto++ also reads exactly this many bytes, whatever length it is told.
    if (ciphertext.size() != decryptor.FixedCiphertextLength())
        return std::nullopt;
    Bytes plaintext(decryptor.FixedMaxPlaintextLength());
    try {
        const CryptoPP::DecodingResult result =
            decryptor.Decrypt(rng, ciphertext.data(), ciphertext.size(), plaintext.data());
        if (!result.isValidCoding)
            return std::nullopt;
        plaintext.resize(result.messageLength);
        return plaintext;
    } catch (const CryptoPP::Exception&) {
        // A ciphertext not below the modulus fails Crypto++'s private-key self-check.
        return std::nullopt;
    }
}

bool PublicKey::verifyMd5Sha1(ByteView digest, ByteView signature) const
{
    if (!m_impl || m_impl->type != KeyType::Rsa || digest.size() != PrehashedMd5Sha1::DIGESTSIZE)
        return false;
    try {
        return rsaVerify<CryptoPP::RSASS<CryptoPP::PKCS1v15, PrehashedMd5Sha1>>(m_impl->rsa, digest, signature);
    } catch (const CryptoPP::Exception&) {
        return false;
    }
}

Bytes PrivateKey::signMd5Sha1(ByteView digest, CryptoPP::RandomNumberGenerator& rng) const
{
    if (!m_impl || m_impl->type != KeyType::Rsa)
        throw TlsError(AlertDescription::HandshakeFailure, "an MD5 || SHA-1 signature needs an RSA key");
    if (digest.size() != PrehashedMd5Sha1::DIGESTSIZE)
        throw std::invalid_argument("an MD5 || SHA-1 digest is 36 bytes, got " + std::to_string(digest.size()));
    return rsaSign<CryptoPP::RSASS<CryptoPP::PKCS1v15, PrehashedMd5Sha1>>(m_impl->rsa, digest, rng);
}

} // namespace hl
