// Names for the object identifiers in oids.h and a few more that real certificates carry.
#include "x509/oids.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hl::oid {

namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// Spelled the way OpenSSL prints them, so a student can compare with `openssl x509 -text`.
constexpr std::array kNames = {
    Entry{RsaEncryption, "rsaEncryption"},
    Entry{Sha1WithRsa, "sha1WithRSAEncryption"},
    Entry{RsassaPss, "rsassaPss"},
    Entry{Sha256WithRsa, "sha256WithRSAEncryption"},
    Entry{Sha384WithRsa, "sha384WithRSAEncryption"},
    Entry{Sha512WithRsa, "sha512WithRSAEncryption"},
    Entry{"1.2.840.113549.1.1.4", "md5WithRSAEncryption"},
    Entry{EcPublicKey, "id-ecPublicKey"},
    Entry{Secp256r1, "prime256v1"},
    Entry{"1.3.132.0.34", "secp384r1"},
    Entry{"1.3.132.0.35", "secp521r1"},
    Entry{EcdsaWithSha1, "ecdsa-with-SHA1"},
    Entry{EcdsaWithSha256, "ecdsa-with-SHA256"},
    Entry{EcdsaWithSha384, "ecdsa-with-SHA384"},
    Entry{EcdsaWithSha512, "ecdsa-with-SHA512"},
    Entry{"1.3.101.112", "ED25519"},
    Entry{CommonName, "CN"},
    Entry{"2.5.4.4", "SN"},
    Entry{"2.5.4.5", "serialNumber"},
    Entry{Country, "C"},
    Entry{Locality, "L"},
    Entry{State, "ST"},
    Entry{"2.5.4.9", "street"},
    Entry{Organization, "O"},
    Entry{OrganizationalUnit, "OU"},
    Entry{"2.5.4.12", "title"},
    Entry{"2.5.4.42", "GN"},
    Entry{"1.2.840.113549.1.9.1", "emailAddress"},
    Entry{"0.9.2342.19200300.100.1.25", "DC"},
    Entry{"0.9.2342.19200300.100.1.1", "UID"},
    Entry{SubjectKeyIdentifier, "subjectKeyIdentifier"},
    Entry{KeyUsage, "keyUsage"},
    Entry{SubjectAltName, "subjectAltName"},
    Entry{"2.5.29.18", "issuerAltName"},
    Entry{CrlNumber, "cRLNumber"},
    Entry{CrlReason, "cRLReason"},
    Entry{DeltaCrlIndicator, "deltaCRLIndicator"},
    Entry{IssuingDistributionPoint, "issuingDistributionPoint"},
    Entry{BasicConstraints, "basicConstraints"},
    Entry{NameConstraints, "nameConstraints"},
    Entry{"2.5.29.31", "cRLDistributionPoints"},
    Entry{CertificatePolicies, "certificatePolicies"},
    Entry{"2.5.29.33", "policyMappings"},
    Entry{AuthorityKeyIdentifier, "authorityKeyIdentifier"},
    Entry{"2.5.29.36", "policyConstraints"},
    Entry{ExtKeyUsage, "extendedKeyUsage"},
    Entry{"2.5.29.54", "inhibitAnyPolicy"},
    Entry{"1.3.6.1.5.5.7.1.1", "authorityInfoAccess"},
    Entry{"1.3.6.1.4.1.11129.2.4.2", "ctPrecertificateSCTs"},
    Entry{AnyExtendedKeyUsage, "anyExtendedKeyUsage"},
    Entry{ServerAuth, "serverAuth"},
    Entry{ClientAuth, "clientAuth"},
    Entry{"1.3.6.1.5.5.7.3.3", "codeSigning"},
    Entry{"1.3.6.1.5.5.7.3.4", "emailProtection"},
    Entry{"1.3.6.1.5.5.7.3.8", "timeStamping"},
    Entry{"1.3.6.1.5.5.7.3.9", "OCSPSigning"},
};

bool isDotted(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

} // namespace

std::string name(std::string_view dotted)
{
    for (const auto& [oid, text] : kNames)
        if (oid == dotted)
            return std::string(text);
    return std::string(dotted);
}

std::optional<std::string> fromName(std::string_view nameOrDotted)
{
    if (isDotted(nameOrDotted))
        return std::string(nameOrDotted);
    for (const auto& [oid, text] : kNames)
        if (text == nameOrDotted)
            return std::string(oid);
    return std::nullopt;
}

} // namespace hl::oid
