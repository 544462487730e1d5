// A parsed X.509 v3 certificate (RFC 5280 §4.1) and the field tree a student reads it through.
#pragma once

#include "common/alert.h"
#include "common/bytes.h"
#include "common/codec.h"
#include "crypto/keys.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hl {

// KeyUsage bits numbered as RFC 5280 §4.2.1.3 numbers them: digitalSignature is bit 0 (value 1).
namespace KeyUsage {
inline constexpr std::uint16_t DigitalSignature = 1u << 0;
inline constexpr std::uint16_t NonRepudiation = 1u << 1;
inline constexpr std::uint16_t KeyEncipherment = 1u << 2;
inline constexpr std::uint16_t DataEncipherment = 1u << 3;
inline constexpr std::uint16_t KeyAgreement = 1u << 4;
inline constexpr std::uint16_t KeyCertSign = 1u << 5;
inline constexpr std::uint16_t CrlSign = 1u << 6;
inline constexpr std::uint16_t EncipherOnly = 1u << 7;
inline constexpr std::uint16_t DecipherOnly = 1u << 8;
} // namespace KeyUsage
// "digitalSignature, keyEncipherment"
std::string keyUsageNames(std::uint16_t bits);

// RFC 5280 §4.1.2.4 Name.
struct DistinguishedName {
    Bytes der; // the whole Name (SEQUENCE OF RelativeDistinguishedName), tag and length included
    // Attribute short names ("C", "O", "CN"; the dotted OID when unknown) and values in UTF-8, in DER order
    // (most significant first, as issuers write them).
    std::vector<std::pair<std::string, std::string>> attributes;

    // RFC 4514 order, last RDN first: "CN=localhost, O=HandshakeLab Demo".
    std::string toString() const;
    // The first value of an attribute ("CN"), empty when absent.
    std::string value(std::string_view shortName) const;
    // Binary comparison: what OpenSSL does first, and exact for names one encoder wrote (RFC 5280 §7.1).
    bool operator==(const DistinguishedName& other) const { return der == other.der; }
};

// A Name from its DER, tag and length included (a CRL's issuer, say). Throws der::Error (std::invalid_argument)
// naming `what` when malformed.
DistinguishedName parseDistinguishedName(ByteView der, const std::string& what);

// "2025-01-01 00:00:00 UTC"
std::string formatTime(std::int64_t unixSeconds);

struct Certificate {
    struct Extension {
        std::string oid;  // dotted
        std::string name; // "basicConstraints", or the dotted OID when unknown
        bool critical = false;
        Bytes value; // the contents of extnValue (the DER the OCTET STRING wraps)
    };

    Bytes der;                         // the whole certificate
    Bytes tbsDer;                      // tbsCertificate, the bytes the signature covers
    int version = 1;                   // 1, 2 or 3 as people say it (the DER field holds 0..2)
    Bytes serial;                      // INTEGER contents octets, as encoded
    std::string signatureAlgorithm;    // "sha256WithRSAEncryption", "ecdsa-with-SHA256"
    std::string signatureAlgorithmOid; // "1.2.840.113549.1.1.11"
    DistinguishedName issuer, subject;
    std::int64_t notBefore = 0, notAfter = 0; // Unix seconds
    PublicKey publicKey;
    // From subjectAltName (RFC 5280 §4.2.1.6): dNSName and iPAddress entries ("127.0.0.1", "2001:db8::1").
    std::vector<std::string> dnsNames;
    std::vector<std::string> ipAddresses;
    std::optional<bool> basicConstraintsCa; // present when the basicConstraints extension is (§4.2.1.9)
    std::optional<int> pathLength;
    std::optional<std::uint16_t> keyUsage;     // KeyUsage:: bits (§4.2.1.3)
    std::vector<std::string> extendedKeyUsage; // "serverAuth", "clientAuth", or dotted OIDs (§4.2.1.12)
    Bytes subjectKeyId, authorityKeyId;        // §4.2.1.2, keyIdentifier of §4.2.1.1
    std::vector<Extension> extensions;         // all of them, in certificate order
    Bytes signature;                           // signatureValue (for ECDSA: the DER Ecdsa-Sig-Value)

    // Throws TlsError(BadCertificate, "certificate: <what is wrong>") on malformed DER (truncated, trailing bytes,
    // lying lengths, wrong tags, duplicate extensions, badly formed known extensions, tbsCertificate.signature
    // differing from signatureAlgorithm) and TlsError(UnsupportedCertificate, ...) when the public key is neither
    // RSA nor ECDSA P-256. An unknown critical extension is not a parse error: verification reports it.
    static Certificate parse(ByteView der);

    // RFC 5280 §6.1: issuer and subject are the same name (a root, or a CA re-keying itself).
    bool isSelfIssued() const { return issuer == subject; }
    const Extension* findExtension(std::string_view oid) const;

    // The field tree for the UI: tbsCertificate { version, serialNumber, signature, issuer, validity, subject,
    // subjectPublicKeyInfo, extensions }, signatureAlgorithm, signatureValue. Offsets are into `der`, plus
    // baseOffset (the certificate's position inside a Certificate message).
    std::vector<Field> describe(std::size_t baseOffset = 0) const;
};

// Every "CERTIFICATE" block of a PEM text, parsed, in order (a chain file: leaf first). Throws like
// pemDecodeAll() and Certificate::parse().
std::vector<Certificate> parseCertificatesPem(std::string_view pemText);

// IP address text <-> bytes for iPAddress names: dotted quad, or IPv6 (RFC 4291 §2.2 forms). nullopt if neither.
std::optional<Bytes> parseIpAddress(std::string_view text);
std::string formatIpAddress(ByteView address); // IPv6 in RFC 5952 form

} // namespace hl
