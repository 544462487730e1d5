// An X.509 v2 certificate revocation list (RFC 5280 §5): the list a CA signs of the certificates it no longer
// stands behind, parsed, and the lookup of one serial number in it. verify.cpp decides whether a CRL can be used.
#pragma once

#include "common/bytes.h"
#include "x509/certificate.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hl {

// RFC 5280 §5.3.1 CRLReason; 7 is not used.
enum class RevocationReason : std::uint8_t {
    Unspecified = 0,
    KeyCompromise = 1,
    CaCompromise = 2,
    AffiliationChanged = 3,
    Superseded = 4,
    CessationOfOperation = 5,
    CertificateHold = 6,
    RemoveFromCrl = 8,
    PrivilegeWithdrawn = 9,
    AaCompromise = 10,
};
// "keyCompromise", as RFC 5280 spells it; the number for an unknown value.
std::string revocationReasonName(RevocationReason reason);

struct Crl {
    struct Entry {
        Bytes serial; // INTEGER contents octets, as in Certificate::serial
        std::int64_t revocationDate = 0;
        std::optional<RevocationReason> reason; // the cRLReason entry extension, when present
    };

    Bytes der;    // the whole CertificateList
    Bytes tbsDer; // tbsCertList, the bytes the signature covers
    int version = 1;
    std::string signatureAlgorithm;    // "sha256WithRSAEncryption"
    std::string signatureAlgorithmOid; // dotted
    DistinguishedName issuer;
    std::int64_t thisUpdate = 0;
    std::optional<std::int64_t> nextUpdate; // RFC 5280 §5.1.2.5: conforming CAs always include it
    std::vector<Entry> revoked;
    std::vector<Certificate::Extension> extensions; // crlExtensions, in order
    std::optional<std::uint64_t> crlNumber;         // §5.2.3
    Bytes authorityKeyId;                           // §5.2.1 keyIdentifier
    Bytes signature;

    // Throws std::invalid_argument("CRL: <what is wrong>") on malformed DER: truncated, trailing bytes, wrong
    // tags, a version other than v2 with extensions, tbsCertList.signature differing from signatureAlgorithm,
    // duplicate extensions.
    static Crl parse(ByteView der);

    // The entry for `serial` (compared as encoded: both sides are minimal DER), or null.
    const Entry* find(ByteView serial) const;
    // "CN=HandshakeLab Demo Intermediate CA, ... of 2025-01-01 00:00:00 UTC"
    std::string summary() const;
};

// Every "X509 CRL" block of a PEM text (RFC 7468 §5), parsed, in order. Throws std::invalid_argument.
std::vector<Crl> parseCrlsPem(std::string_view pemText);

} // namespace hl
