// The object identifiers certificates and keys use, and the names people call them by.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hl::oid {

// RFC 8017 Appendix C / RFC 4055 §5: RSA keys and PKCS #1 signatures.
inline constexpr std::string_view RsaEncryption = "1.2.840.113549.1.1.1";
inline constexpr std::string_view Sha1WithRsa = "1.2.840.113549.1.1.5";
inline constexpr std::string_view RsassaPss = "1.2.840.113549.1.1.10";
inline constexpr std::string_view Sha256WithRsa = "1.2.840.113549.1.1.11";
inline constexpr std::string_view Sha384WithRsa = "1.2.840.113549.1.1.12";
inline constexpr std::string_view Sha512WithRsa = "1.2.840.113549.1.1.13";
// RFC 5480 §2.1.1 and RFC 5758 §3.2: EC keys, the P-256 curve, ECDSA signatures.
inline constexpr std::string_view EcPublicKey = "1.2.840.10045.2.1";
inline constexpr std::string_view Secp256r1 = "1.2.840.10045.3.1.7";
inline constexpr std::string_view EcdsaWithSha1 = "1.2.840.10045.4.1";
inline constexpr std::string_view EcdsaWithSha256 = "1.2.840.10045.4.3.2";
inline constexpr std::string_view EcdsaWithSha384 = "1.2.840.10045.4.3.3";
inline constexpr std::string_view EcdsaWithSha512 = "1.2.840.10045.4.3.4";

// RFC 5280 §4.1.2.4 / X.520 attribute types.
inline constexpr std::string_view CommonName = "2.5.4.3";
inline constexpr std::string_view Country = "2.5.4.6";
inline constexpr std::string_view Locality = "2.5.4.7";
inline constexpr std::string_view State = "2.5.4.8";
inline constexpr std::string_view Organization = "2.5.4.10";
inline constexpr std::string_view OrganizationalUnit = "2.5.4.11";

// RFC 5280 §4.2 extensions.
inline constexpr std::string_view SubjectKeyIdentifier = "2.5.29.14";
inline constexpr std::string_view KeyUsage = "2.5.29.15";
inline constexpr std::string_view SubjectAltName = "2.5.29.17";
inline constexpr std::string_view BasicConstraints = "2.5.29.19";
inline constexpr std::string_view NameConstraints = "2.5.29.30";
inline constexpr std::string_view CertificatePolicies = "2.5.29.32";
inline constexpr std::string_view AuthorityKeyIdentifier = "2.5.29.35";
inline constexpr std::string_view ExtKeyUsage = "2.5.29.37";
// RFC 5280 §5.2 and §5.3: CRL and CRL entry extensions.
inline constexpr std::string_view CrlNumber = "2.5.29.20";
inline constexpr std::string_view CrlReason = "2.5.29.21";
inline constexpr std::string_view DeltaCrlIndicator = "2.5.29.27";
inline constexpr std::string_view IssuingDistributionPoint = "2.5.29.28";

// RFC 5280 §4.2.1.12 key purposes.
inline constexpr std::string_view AnyExtendedKeyUsage = "2.5.29.37.0";
inline constexpr std::string_view ServerAuth = "1.3.6.1.5.5.7.3.1";
inline constexpr std::string_view ClientAuth = "1.3.6.1.5.5.7.3.2";

// The short name ("CN", "sha256WithRSAEncryption", "basicConstraints", "serverAuth") or, for an identifier
// we do not know, the dotted form itself.
std::string name(std::string_view dotted);
// The reverse lookup for builders: "CN" -> "2.5.4.3"; a dotted string is returned as is; nullopt otherwise.
std::optional<std::string> fromName(std::string_view nameOrDotted);

} // namespace hl::oid
