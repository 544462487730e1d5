// Certificate chain verification (RFC 5280 §6, simplified to the chain as sent) with a step-by-step record
// a student can follow, and the alert a TLS stack would send when it fails.
#pragma once

#include "common/alert.h"
#include "x509/certificate.h"
#include "x509/crl.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hl {

enum class CertificatePurpose { ServerAuth, ClientAuth };

struct VerificationStep {
    int certificateIndex; // into the chain; -1 for the whole chain or a trust anchor the peer did not send
    std::string subject;  // the certificate's subject, "CN=localhost, O=HandshakeLab Demo"
    // "signature", "validity", "basicConstraints", "keyUsage", "extendedKeyUsage", "hostname", "trust anchor",
    // "path length", "critical extensions", "issuer name", "chain", and with CRLs "CRL signature", "CRL validity",
    // "CRL extensions", "revocation"
    std::string check;
    bool passed;
    std::string detail; // one sentence, e.g. "signed by CN=...: signature verifies with its RSA 2048 bits key"
};

struct ChainVerification {
    bool ok = false;
    AlertDescription alert = AlertDescription::CertificateUnknown; // meaningful when !ok
    std::string reason;                                            // the failing step's detail
    std::vector<VerificationStep> steps;                           // every check made, in order
    // The trust anchor from the verifier's own store where the path ended, when the peer did not send it (the
    // usual case: servers leave the root out, RFC 5246 §7.4.2). Set as soon as the path reaches it.
    std::optional<Certificate> trustAnchor;
};

// Verifies `chain` (leaf first, as in the TLS Certificate message, RFC 5246 §7.4.2) against `trustAnchors` at
// time `now` (Unix seconds). Each certificate must be issued by the next one, until one is issued by, or is, a
// trust anchor. `hostName`, when given, must match the leaf (RFC 6125; an IP address matches iPAddress names).
// Stops at the first failing check. See verify.cpp for the alert each failure maps to.
//
// With `crls`, once the path is built the leaf must be on none of its issuer's CRL, and each CA certificate
// below the anchor is checked too when its issuer's CRL is among them (OpenSSL's -crl_check, with the rest of the
// chain checked where a CRL allows). A CRL is used only when its issuer's key verifies its signature and `now` lies
// between thisUpdate and nextUpdate (RFC 5280 §6.3.3).
ChainVerification verifyChain(const std::vector<Certificate>& chain, const std::vector<Certificate>& trustAnchors,
                              std::int64_t now, const std::optional<std::string>& hostName, CertificatePurpose purpose,
                              const std::vector<Crl>& crls = {});

// The TLS signature scheme that checks a certificate, CRL or OCSP signature made with this X.509 algorithm
// ("1.2.840.113549.1.1.11" -> rsa_pkcs1_sha256); nullopt for one this verifier cannot check.
std::optional<SignatureScheme> signatureSchemeForAlgorithm(const std::string& algorithmOid);
// A serial number as OpenSSL prints it: "10:06".
std::string colonHexSerial(const Bytes& serial);

// RFC 6125 §6.4: does `hostName` (a DNS name or an IP address) match the certificate? Sets `how` to the name
// that matched or a sentence saying why none did.
bool matchesHostName(const Certificate& cert, const std::string& hostName, std::string* how = nullptr);

} // namespace hl
