// Certificate construction with Crypto++'s DER encoder; signatures by PrivateKey::sign.
#include "x509/certificate_builder.h"

#include "x509/der.h"
#include "x509/oids.h"

#include <cryptopp/sha.h>

#include <cstdio>
#include <stdexcept>

namespace hl {

namespace {

using CryptoPP::BufferedTransformation;

// A primitive element with any tag (context-specific [n] names in subjectAltName and authorityKeyIdentifier).
void putPrimitive(BufferedTransformation& bt, std::uint8_t tag, ByteView contents)
{
    bt.Put(tag);
    CryptoPP::DERLengthEncode(bt, contents.size());
    bt.Put(contents.data(), contents.size());
}

void putBooleanTrue(BufferedTransformation& bt)
{
    // X.690 §11.1: DER writes TRUE as 0xFF.
    const std::uint8_t t = 0xff;
    putPrimitive(bt, der::Boolean, ByteView(&t, 1));
}

std::string requireOid(std::string_view nameOrDotted, std::string_view what)
{
    if (auto o = oid::fromName(nameOrDotted))
        return *o;
    throw std::invalid_argument("certificate builder: unknown " + std::string(what) + " \"" +
                                std::string(nameOrDotted) + "\"");
}

SignatureScheme schemeFor(KeyType signer)
{
    return signer == KeyType::Rsa ? SignatureScheme::RsaPkcs1Sha256 : SignatureScheme::EcdsaSecp256r1Sha256;
}

void putSignatureAlgorithm(BufferedTransformation& bt, KeyType signer)
{
    CryptoPP::DERSequenceEncoder seq(bt);
    if (signer == KeyType::Rsa) {
        // RFC 4055 §5: sha256WithRSAEncryption parameters are NULL, present.
        der::cryptoOid(oid::Sha256WithRsa).DEREncode(seq);
        CryptoPP::DEREncodeNull(seq);
    } else {
        // RFC 5758 §3.2: ecdsa-with-SHA256 has no parameters at all.
        der::cryptoOid(oid::EcdsaWithSha256).DEREncode(seq);
    }
    seq.MessageEnd();
}

void putTime(BufferedTransformation& bt, std::int64_t t)
{
    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on.
    const der::CivilTime c = der::civilFromUnix(t);
    char buf[32];
    if (c.year >= 1950 && c.year <= 2049) {
        std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02dZ", c.year % 100, c.month, c.day, c.hour, c.minute,
                      c.second);
        CryptoPP::DEREncodeTextString(bt, std::string(buf), CryptoPP::UTC_TIME);
    } else {
        if (c.year < 0 || c.year > 9999)
            throw std::invalid_argument("certificate builder: year " + std::to_string(c.year) + " cannot be encoded");
        std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute, c.second);
        CryptoPP::DEREncodeTextString(bt, std::string(buf), CryptoPP::GENERALIZED_TIME);
    }
}

Bytes extension(std::string_view dotted, bool critical, ByteView value)
{
    return der::encode([&](BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder seq(bt);
        der::cryptoOid(dotted).DEREncode(seq);
        if (critical) // DEFAULT FALSE is left out in DER (X.690 §11.5)
            putBooleanTrue(seq);
        CryptoPP::DEREncodeOctetString(seq, value.data(), value.size());
        seq.MessageEnd();
    });
}

Bytes keyUsageBits(std::uint16_t bits)
{
    // RFC 5280 §4.2.1.3 bit n = bit (7 - n % 8) of octet n / 8; DER drops trailing zero bits (X.690 §11.2.2).
    int highest = -1;
    for (int i = 0; i < 16; ++i)
        if (bits & (1u << i))
            highest = i;
    Bytes octets(highest < 0 ? 0 : static_cast<std::size_t>(highest / 8 + 1), 0);
    for (int i = 0; i <= highest; ++i)
        if (bits & (1u << i))
            octets[static_cast<std::size_t>(i / 8)] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
    const unsigned unused = highest < 0 ? 0 : static_cast<unsigned>(7 - highest % 8);
    return der::encode(
        [&](BufferedTransformation& bt) { CryptoPP::DEREncodeBitString(bt, octets.data(), octets.size(), unused); });
}

} // namespace

DistinguishedName encodeName(const CertificateBuilder::Attributes& attributes)
{
    DistinguishedName dn;
    dn.der = der::encode([&](BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder name(bt);
        for (const auto& [type, value] : attributes) {
            const std::string dotted = requireOid(type, "name attribute");
            // One attribute per RDN, as nearly every certificate does it.
            CryptoPP::DERSetEncoder rdn(name);
            CryptoPP::DERSequenceEncoder atv(rdn);
            der::cryptoOid(dotted).DEREncode(atv);
            // RFC 5280 Appendix A: countryName is a PrintableString; emailAddress an IA5String; the rest UTF8String
            // as §4.1.2.6 asks of new certificates.
            const CryptoPP::byte tag = dotted == oid::Country             ? CryptoPP::PRINTABLE_STRING
                                       : dotted == "1.2.840.113549.1.9.1" ? CryptoPP::IA5_STRING
                                                                          : CryptoPP::UTF8_STRING;
            CryptoPP::DEREncodeTextString(atv, value, tag);
            atv.MessageEnd();
            rdn.MessageEnd();
            dn.attributes.emplace_back(oid::name(dotted), value);
        }
        name.MessageEnd();
    });
    return dn;
}

Bytes keyIdentifier(const PublicKey& key)
{
    const Bytes spki = key.subjectPublicKeyInfo();
    der::Reader outer(spki, "subjectPublicKeyInfo");
    der::Reader r(outer.read(der::Sequence, ""), "subjectPublicKeyInfo");
    r.read(der::Sequence, "algorithm");
    const Bytes bits = der::octetAlignedBitString(r.read(der::BitString, "subjectPublicKey"), "subjectPublicKey");
    Bytes digest(CryptoPP::SHA1::DIGESTSIZE);
    CryptoPP::SHA1().CalculateDigest(digest.data(), bits.data(), bits.size());
    return digest;
}

Bytes CertificateBuilder::tbsCertificate(const DistinguishedName& issuer, ByteView authorityKeyId,
                                         KeyType signerType) const
{
    if (publicKey.isNull())
        throw std::invalid_argument("certificate builder: no subject public key");
    if (serial.empty())
        throw std::invalid_argument("certificate builder: empty serial number");
    const DistinguishedName subjectName = encodeName(subject);

    Bytes exts;
    if (ca) {
        const Bytes value = der::encode([&](BufferedTransformation& bt) {
            CryptoPP::DERSequenceEncoder seq(bt);
            if (*ca)
                putBooleanTrue(seq);
            if (pathLength)
                CryptoPP::DEREncodeUnsigned<CryptoPP::word32>(seq, static_cast<CryptoPP::word32>(*pathLength));
            seq.MessageEnd();
        });
        append(exts, extension(oid::BasicConstraints, true, value));
    }
    if (keyUsage)
        append(exts, extension(oid::KeyUsage, true, keyUsageBits(*keyUsage)));
    if (!extendedKeyUsage.empty()) {
        const Bytes value = der::encode([&](BufferedTransformation& bt) {
            CryptoPP::DERSequenceEncoder seq(bt);
            for (const std::string& purpose : extendedKeyUsage)
                der::cryptoOid(requireOid(purpose, "key purpose")).DEREncode(seq);
            seq.MessageEnd();
        });
        append(exts, extension(oid::ExtKeyUsage, false, value));
    }
    if (!dnsNames.empty() || !ipAddresses.empty()) {
        const Bytes value = der::encode([&](BufferedTransformation& bt) {
            CryptoPP::DERSequenceEncoder seq(bt);
            for (const std::string& dns : dnsNames)
                putPrimitive(seq, der::contextTag(2, false), asBytes(dns));
            for (const std::string& ip : ipAddresses) {
                const std::optional<Bytes> address = parseIpAddress(ip);
                if (!address)
                    throw std::invalid_argument("certificate builder: \"" + ip + "\" is not an IP address");
                putPrimitive(seq, der::contextTag(7, false), *address);
            }
            seq.MessageEnd();
        });
        append(exts, extension(oid::SubjectAltName, false, value));
    }
    if (subjectKeyIdentifier) {
        const Bytes id = keyIdentifier(publicKey);
        append(exts, extension(oid::SubjectKeyIdentifier, false, der::encode([&](BufferedTransformation& bt) {
                                   CryptoPP::DEREncodeOctetString(bt, id.data(), id.size());
                               })));
    }
    if (authorityKeyIdentifier && !authorityKeyId.empty()) {
        append(exts, extension(oid::AuthorityKeyIdentifier, false, der::encode([&](BufferedTransformation& bt) {
                                   CryptoPP::DERSequenceEncoder seq(bt);
                                   putPrimitive(seq, der::contextTag(0, false), authorityKeyId);
                                   seq.MessageEnd();
                               })));
    }
    for (const Certificate::Extension& e : extraExtensions)
        append(exts, extension(e.oid, e.critical, e.value));

    const Bytes spki = publicKey.subjectPublicKeyInfo();
    return der::encode([&](BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder tbs(bt);
        CryptoPP::DERGeneralEncoder version(tbs, der::contextTag(0, true));
        CryptoPP::DEREncodeUnsigned<CryptoPP::word32>(version, 2); // v3
        version.MessageEnd();
        CryptoPP::Integer(serial.data(), serial.size()).DEREncode(tbs);
        putSignatureAlgorithm(tbs, signerType);
        tbs.Put(issuer.der.data(), issuer.der.size());
        CryptoPP::DERSequenceEncoder validity(tbs);
        putTime(validity, notBefore);
        putTime(validity, notAfter);
        validity.MessageEnd();
        tbs.Put(subjectName.der.data(), subjectName.der.size());
        tbs.Put(spki.data(), spki.size());
        if (!exts.empty()) {
            CryptoPP::DERGeneralEncoder wrapper(tbs, der::contextTag(3, true));
            CryptoPP::DERSequenceEncoder list(wrapper);
            list.Put(exts.data(), exts.size());
            list.MessageEnd();
            wrapper.MessageEnd();
        }
        tbs.MessageEnd();
    });
}

Bytes CertificateBuilder::assemble(ByteView tbsDer, KeyType signerType, ByteView signature)
{
    return der::encode([&](BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder cert(bt);
        cert.Put(tbsDer.data(), tbsDer.size());
        putSignatureAlgorithm(cert, signerType);
        CryptoPP::DEREncodeBitString(cert, signature.data(), signature.size(), 0);
        cert.MessageEnd();
    });
}

Certificate CertificateBuilder::selfSign(const PrivateKey& key, CryptoPP::RandomNumberGenerator& rng) const
{
    CertificateBuilder b = *this;
    if (b.publicKey.isNull())
        b.publicKey = key.publicKey();
    const DistinguishedName issuer = encodeName(issuerName ? *issuerName : subject);
    const Bytes akid = keyIdentifier(key.publicKey());
    const Bytes tbs = b.tbsCertificate(issuer, akid, key.type());
    return Certificate::parse(assemble(tbs, key.type(), key.sign(schemeFor(key.type()), tbs, rng)));
}

Certificate CertificateBuilder::signWith(const Certificate& issuer, const PrivateKey& issuerKey,
                                         CryptoPP::RandomNumberGenerator& rng) const
{
    const DistinguishedName issuerDn = issuerName ? encodeName(*issuerName) : issuer.subject;
    const Bytes akid = issuer.subjectKeyId.empty() ? keyIdentifier(issuer.publicKey) : issuer.subjectKeyId;
    const Bytes tbs = tbsCertificate(issuerDn, akid, issuerKey.type());
    return Certificate::parse(assemble(tbs, issuerKey.type(), issuerKey.sign(schemeFor(issuerKey.type()), tbs, rng)));
}

Bytes CrlBuilder::tbsCertList(const DistinguishedName& issuer, ByteView authorityKeyId, KeyType signerType) const
{
    Bytes exts;
    if (!authorityKeyId.empty()) {
        append(exts, extension(oid::AuthorityKeyIdentifier, false, der::encode([&](BufferedTransformation& bt) {
                                   CryptoPP::DERSequenceEncoder seq(bt);
                                   putPrimitive(seq, der::contextTag(0, false), authorityKeyId);
                                   seq.MessageEnd();
                               })));
    }
    if (crlNumber)
        append(exts, extension(oid::CrlNumber, false, der::encode([&](BufferedTransformation& bt) {
                                   CryptoPP::Integer(static_cast<CryptoPP::word64>(*crlNumber)).DEREncode(bt);
                               })));
    return der::encode([&](BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder tbs(bt);
        CryptoPP::DEREncodeUnsigned<CryptoPP::word32>(tbs, 1); // v2 (RFC 5280 §5.1.2.1)
        putSignatureAlgorithm(tbs, signerType);
        tbs.Put(issuer.der.data(), issuer.der.size());
        putTime(tbs, thisUpdate);
        if (nextUpdate)
            putTime(tbs, *nextUpdate);
        if (!revoked.empty()) {
            CryptoPP::DERSequenceEncoder list(tbs);
            for (const Crl::Entry& e : revoked) {
                CryptoPP::DERSequenceEncoder entry(list);
                CryptoPP::Integer(e.serial.data(), e.serial.size()).DEREncode(entry);
                putTime(entry, e.revocationDate);
                if (e.reason) {
                    // §5.3.1: cRLReason is an ENUMERATED, non-critical entry extension.
                    const std::uint8_t reason[] = {0x0a, 0x01, static_cast<std::uint8_t>(*e.reason)};
                    const Bytes ext = extension(oid::CrlReason, false, ByteView(reason, sizeof reason));
                    CryptoPP::DERSequenceEncoder entryExts(entry);
                    entryExts.Put(ext.data(), ext.size());
                    entryExts.MessageEnd();
                }
                entry.MessageEnd();
            }
            list.MessageEnd();
        }
        if (!exts.empty()) {
            CryptoPP::DERGeneralEncoder wrapper(tbs, der::contextTag(0, true));
            CryptoPP::DERSequenceEncoder extList(wrapper);
            extList.Put(exts.data(), exts.size());
            extList.MessageEnd();
            wrapper.MessageEnd();
        }
        tbs.MessageEnd();
    });
}

Bytes CrlBuilder::assemble(ByteView tbsDer, KeyType signerType, ByteView signature)
{
    // A CertificateList has the same outer shape as a Certificate (RFC 5280 §5.1.1).
    return CertificateBuilder::assemble(tbsDer, signerType, signature);
}

Crl CrlBuilder::signWith(const Certificate& issuer, const PrivateKey& issuerKey,
                         CryptoPP::RandomNumberGenerator& rng) const
{
    const DistinguishedName issuerDn = issuerName ? encodeName(*issuerName) : issuer.subject;
    const Bytes akid = issuer.subjectKeyId.empty() ? keyIdentifier(issuer.publicKey) : issuer.subjectKeyId;
    const Bytes tbs = tbsCertList(issuerDn, akid, issuerKey.type());
    return Crl::parse(assemble(tbs, issuerKey.type(), issuerKey.sign(schemeFor(issuerKey.type()), tbs, rng)));
}

} // namespace hl
