// Builds and signs X.509 v3 certificates (RFC 5280 §4.1) with Crypto++'s DER encoder: the demo PKI and the
// deliberately broken certificates the tests and lessons need.
#pragma once

#include "crypto/keys.h"
#include "x509/certificate.h"
#include "x509/crl.h"

#include <cryptopp/cryptlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hl {

// Fill in the fields, then call selfSign() (a root) or signWith() (anything an existing CA issues). Every field
// is encoded as given, so a test can build certificates that break the rules: a leaf with CA:TRUE, an issuer name
// that does not chain, an unknown critical extension, dates in the past.
//
//   CertificateBuilder b;
//   b.serial = {0x10, 0x01};
//   b.subject = {{"O", "HandshakeLab Demo"}, {"CN", "localhost"}};
//   b.notBefore = ...; b.notAfter = ...;
//   b.publicKey = serverKey.publicKey();
//   b.ca = false;
//   b.keyUsage = KeyUsage::DigitalSignature | KeyUsage::KeyEncipherment;
//   b.extendedKeyUsage = {"serverAuth"};
//   b.dnsNames = {"localhost"};
//   Certificate leaf = b.signWith(intermediateCert, intermediateKey, rng);
struct CertificateBuilder {
    using Attributes = std::vector<std::pair<std::string, std::string>>;

    // RFC 5280 §4.1.2.2: a positive integer of at most 20 octets, big-endian, without sign octet (one is added
    // when the top bit is set).
    Bytes serial{0x01};
    // Attributes in DER order, most significant first: {"C","NL"}, {"O","..."}, {"OU","..."}, {"CN","..."}.
    // Short names CN, O, OU, C, L, ST, or dotted OIDs. C is a PrintableString, the others UTF8String (RFC 5280
    // §4.1.2.6).
    Attributes subject;
    // Normally empty: the issuer name is the issuer certificate's subject (or this subject when self-signing).
    // Set it to write a name that does not chain.
    std::optional<Attributes> issuerName;
    std::int64_t notBefore = 0; // Unix seconds; UTCTime up to 2049, GeneralizedTime from 2050 (§4.1.2.5)
    std::int64_t notAfter = 0;
    // The subject's key. selfSign() uses the signing key's public half when this is null.
    PublicKey publicKey;

    // Extensions, written in this order and left out when empty. basicConstraints and keyUsage are critical
    // (RFC 5280 §4.2.1.9, §4.2.1.3 for CAs).
    std::optional<bool> ca;                              // basicConstraints cA
    std::optional<int> pathLength;                       // basicConstraints pathLenConstraint (with ca = true)
    std::optional<std::uint16_t> keyUsage;               // KeyUsage:: bits
    std::vector<std::string> extendedKeyUsage;           // "serverAuth", "clientAuth", or dotted OIDs
    std::vector<std::string> dnsNames;                   // subjectAltName dNSName
    std::vector<std::string> ipAddresses;                // subjectAltName iPAddress, "127.0.0.1" or IPv6 text
    bool subjectKeyIdentifier = true;                    // SHA-1 of the subjectPublicKey bits, §4.2.1.2 method (1)
    bool authorityKeyIdentifier = true;                  // the issuer's key identifier, §4.2.1.1
    std::vector<Certificate::Extension> extraExtensions; // appended as given (oid, critical, value; name unused)

    // Signs with `key` as its own issuer. sha256WithRSAEncryption for an RSA key, ecdsa-with-SHA256 for P-256.
    Certificate selfSign(const PrivateKey& key, CryptoPP::RandomNumberGenerator& rng) const;
    // Signs with `issuerKey`, naming `issuer` as the issuer. The key is not checked against the certificate, so
    // a test can sign with the wrong key.
    Certificate signWith(const Certificate& issuer, const PrivateKey& issuerKey,
                         CryptoPP::RandomNumberGenerator& rng) const;

    // The pieces on their own, for tests that damage a certificate at one precise place.
    Bytes tbsCertificate(const DistinguishedName& issuer, ByteView authorityKeyId, KeyType signerType) const;
    static Bytes assemble(ByteView tbsDer, KeyType signerType, ByteView signature);
};

// Builds and signs an X.509 v2 CRL (RFC 5280 §5) for an issuing CA: the revoked serials, thisUpdate and nextUpdate,
// with cRLNumber and authorityKeyIdentifier as §5.2 asks of conforming CAs. Like CertificateBuilder it writes what
// it is given, so a test can date a CRL in the past or sign it with the wrong key.
struct CrlBuilder {
    std::vector<Crl::Entry> revoked; // in this order
    std::int64_t thisUpdate = 0;
    std::optional<std::int64_t> nextUpdate;
    std::optional<std::uint64_t> crlNumber = 1;
    // Normally empty: the issuer's subject. Set it to write a name that does not match the issuer.
    std::optional<CertificateBuilder::Attributes> issuerName;

    Crl signWith(const Certificate& issuer, const PrivateKey& issuerKey, CryptoPP::RandomNumberGenerator& rng) const;
    Bytes tbsCertList(const DistinguishedName& issuer, ByteView authorityKeyId, KeyType signerType) const;
    static Bytes assemble(ByteView tbsDer, KeyType signerType, ByteView signature);
};

// RFC 5280 §4.1.2.4 Name from attributes, with the string types CertificateBuilder uses.
DistinguishedName encodeName(const CertificateBuilder::Attributes& attributes);
// RFC 5280 §4.2.1.2 method (1): SHA-1 over the BIT STRING contents of subjectPublicKey.
Bytes keyIdentifier(const PublicKey& key);

} // namespace hl
