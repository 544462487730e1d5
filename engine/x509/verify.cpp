// Chain verification: every check recorded as a step, the first failure mapped to the alert OpenSSL would send.
//
// Alerts follow OpenSSL 3.0's ssl_x509err2alert() table (ssl/statem/statem_lib.c), so what a student sees here
// matches what a real server or client sends:
//   empty chain                                   -> handshake_failure (RFC 5246 §7.4.6; not an X.509 error)
//   expired (X509_V_ERR_CERT_HAS_EXPIRED)         -> certificate_expired
//   not yet valid (X509_V_ERR_CERT_NOT_YET_VALID) -> bad_certificate
//   signature does not verify (CERT_SIGNATURE_FAILURE), or its algorithm does not fit the issuer's key
//                                                 -> decrypt_error
//   signature algorithm we cannot check           -> unsupported_certificate (our choice: RFC 5246 §7.2.2)
//   issuer not in chain nor trusted (UNABLE_TO_GET_ISSUER_CERT_LOCALLY), self-signed leaf
//   (DEPTH_ZERO_SELF_SIGNED_CERT), untrusted root in chain (SELF_SIGNED_CERT_IN_CHAIN), issuer name that does
//   not chain                                     -> unknown_ca
//   issuer not a CA: no basicConstraints CA:TRUE, or keyUsage without keyCertSign (X509_V_ERR_INVALID_CA: OpenSSL
//   3.0's `openssl verify` reports it first in both cases, before KEYUSAGE_NO_CERTSIGN) -> unknown_ca
//   pathLenConstraint exceeded (PATH_LENGTH_EXCEEDED) -> unknown_ca
//   leaf keyUsage / extendedKeyUsage wrong for the purpose (X509_V_ERR_INVALID_PURPOSE) -> unsupported_certificate
//   host name or IP mismatch (HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH) -> bad_certificate
//   unknown critical extension (UNHANDLED_CRITICAL_EXTENSION is not in the table) -> certificate_unknown
// and with CRLs (OpenSSL's check_revocation() runs once the path is built):
//   leaf with no CRL from its issuer (UNABLE_TO_GET_CRL)         -> unknown_ca
//   CRL signature does not verify (CRL_SIGNATURE_FAILURE)        -> decrypt_error
//   CRL algorithm we cannot check (UNABLE_TO_DECRYPT_CRL_SIGNATURE) -> bad_certificate
//   CRL issuer's keyUsage lacks cRLSign (KEYUSAGE_NO_CRL_SIGN, not in the table) -> certificate_unknown
//   thisUpdate after now (CRL_NOT_YET_VALID)                     -> bad_certificate
//   past nextUpdate (CRL_HAS_EXPIRED)                            -> certificate_expired
//   unknown critical CRL extension (UNHANDLED_CRITICAL_CRL_EXTENSION, not in the table) -> certificate_unknown
//   serial listed (CERT_REVOKED)                                 -> certificate_revoked
#include "x509/verify.h"

#include "x509/oids.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace hl {

namespace {

constexpr int kNotInChain = -1;

// The extensions this verifier acts on; any other critical one makes the certificate unusable (RFC 5280 §4.2).
const std::set<std::string, std::less<>>& understoodExtensions()
{
    static const std::set<std::string, std::less<>> known = {
        std::string(oid::BasicConstraints),     std::string(oid::KeyUsage),
        std::string(oid::ExtKeyUsage),          std::string(oid::SubjectAltName),
        std::string(oid::SubjectKeyIdentifier), std::string(oid::AuthorityKeyIdentifier),
    };
    return known;
}

std::optional<SignatureScheme> schemeForCertificate(const std::string& algorithmOid)
{
    return signatureSchemeForAlgorithm(algorithmOid);
}

} // namespace

std::optional<SignatureScheme> signatureSchemeForAlgorithm(const std::string& algorithmOid)
{
    if (algorithmOid == oid::Sha1WithRsa)
        return SignatureScheme::RsaPkcs1Sha1;
    if (algorithmOid == oid::Sha256WithRsa)
        return SignatureScheme::RsaPkcs1Sha256;
    if (algorithmOid == oid::Sha384WithRsa)
        return SignatureScheme::RsaPkcs1Sha384;
    if (algorithmOid == oid::Sha512WithRsa)
        return SignatureScheme::RsaPkcs1Sha512;
    if (algorithmOid == oid::EcdsaWithSha256)
        return SignatureScheme::EcdsaSecp256r1Sha256;
    if (algorithmOid == oid::EcdsaWithSha1)
        return SignatureScheme::EcdsaSha1;
    return std::nullopt;
}

std::string colonHexSerial(const Bytes& serial)
{
    static const char* const digits = "0123456789ABCDEF";
    std::string out;
    for (std::uint8_t b : serial) {
        if (!out.empty())
            out += ':';
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    return s;
}

// RFC 6125 §6.4.3: a wildcard is only the whole left-most label, it matches exactly one label, and (as OpenSSL
// and browsers insist) it needs at least two labels after it, so "*.com" matches nothing.
bool matchDnsName(const std::string& patternIn, const std::string& hostIn)
{
    const std::string pattern = lower(patternIn);
    const std::string host = lower(hostIn);
    if (pattern.empty() || host.empty())
        return false;
    if (pattern.rfind("*.", 0) == 0) {
        const std::string suffix = pattern.substr(1); // ".example.com"
        if (suffix.find('*') != std::string::npos || std::count(suffix.begin(), suffix.end(), '.') < 2)
            return false;
        const std::size_t dot = host.find('.');
        return dot != std::string::npos && dot > 0 && host.substr(dot) == suffix;
    }
    return pattern.find('*') == std::string::npos && pattern == host;
}

std::string namesList(const Certificate& c)
{
    std::string out;
    for (const std::string& d : c.dnsNames)
        out += (out.empty() ? "" : ", ") + std::string("DNS:") + d;
    for (const std::string& ip : c.ipAddresses)
        out += (out.empty() ? "" : ", ") + std::string("IP:") + ip;
    return out.empty() ? "no subjectAltName" : out;
}

class Run {
public:
    explicit Run(ChainVerification& out) : m_out(out) {}

    bool step(int index, const Certificate& c, std::string check, bool passed, std::string detail,
              AlertDescription alertIfFailed)
    {
        return step(index, c.subject.toString(), std::move(check), passed, std::move(detail), alertIfFailed);
    }

    bool step(int index, std::string subject, std::string check, bool passed, std::string detail,
              AlertDescription alertIfFailed)
    {
        if (!passed) {
            m_out.ok = false;
            m_out.alert = alertIfFailed;
            m_out.reason = detail;
        }
        m_out.steps.push_back(VerificationStep{index, std::move(subject), std::move(check), passed, std::move(detail)});
        return passed;
    }

private:
    ChainVerification& m_out;
};

bool checkValidity(Run& run, int index, const Certificate& c, std::int64_t now)
{
    const std::string span = formatTime(c.notBefore) + " to " + formatTime(c.notAfter);
    if (now < c.notBefore)
        return run.step(index, c, "validity", false,
                        "not valid yet: valid from " + span + ", but now is " + formatTime(now),
                        AlertDescription::BadCertificate);
    if (now > c.notAfter)
        return run.step(index, c, "validity", false,
                        "expired on " + formatTime(c.notAfter) + " (now is " + formatTime(now) + ")",
                        AlertDescription::CertificateExpired);
    return run.step(index, c, "validity", true, "valid from " + span + "; now is " + formatTime(now),
                    AlertDescription::CertificateExpired);
}

bool checkCriticalExtensions(Run& run, int index, const Certificate& c)
{
    std::string understood;
    for (const Certificate::Extension& e : c.extensions) {
        if (!e.critical)
            continue;
        if (!understoodExtensions().count(e.oid))
            return run.step(index, c, "critical extensions", false,
                            "critical extension " + e.name +
                                " is not understood, so the certificate must be "
                                "rejected (RFC 5280 §4.2)",
                            AlertDescription::CertificateUnknown);
        understood += (understood.empty() ? "" : ", ") + e.name;
    }
    return run.step(index, c, "critical extensions", true,
                    understood.empty() ? "no critical extensions"
                                       : "every critical extension is understood (" + understood + ")",
                    AlertDescription::CertificateUnknown);
}

bool checkLeafKeyUsage(Run& run, const Certificate& c, CertificatePurpose purpose)
{
    if (!c.keyUsage)
        return run.step(0, c, "keyUsage", true,
                        "no keyUsage extension: the key may be used for anything "
                        "(RFC 5280 §4.2.1.3)",
                        AlertDescription::UnsupportedCertificate);
    const std::uint16_t ku = *c.keyUsage;
    const bool rsa = c.publicKey.type() == KeyType::Rsa;
    // A TLS 1.2 server key signs (ECDHE_*) or, for RSA key transport, decrypts the pre-master secret
    // (keyEncipherment); which one depends on the cipher suite, so either is accepted here. A client key only
    // signs CertificateVerify, and an ECDSA key can only sign (RFC 5280 §4.2.1.3 digitalSignature). OpenSSL's
    // purpose check is looser: it accepts keyEncipherment or keyAgreement for any server key.
    bool ok = (ku & KeyUsage::DigitalSignature) != 0;
    if (purpose == CertificatePurpose::ServerAuth && rsa)
        ok = ok || (ku & KeyUsage::KeyEncipherment) != 0;
    const std::string role = purpose == CertificatePurpose::ServerAuth ? "a TLS server" : "a TLS client";
    const std::string needed =
        purpose == CertificatePurpose::ServerAuth && rsa ? "digitalSignature or keyEncipherment" : "digitalSignature";
    return run.step(0, c, "keyUsage", ok,
                    ok ? "keyUsage " + keyUsageNames(ku) + " lets " + role + " use this key"
                       : "keyUsage " + keyUsageNames(ku) + " lacks " + needed + ", which " + role + " key needs",
                    AlertDescription::UnsupportedCertificate);
}

bool checkLeafExtendedKeyUsage(Run& run, const Certificate& c, CertificatePurpose purpose)
{
    const std::string wanted = purpose == CertificatePurpose::ServerAuth ? "serverAuth" : "clientAuth";
    if (c.extendedKeyUsage.empty())
        return run.step(0, c, "extendedKeyUsage", true, "no extendedKeyUsage extension: any purpose is allowed",
                        AlertDescription::UnsupportedCertificate);
    std::string list;
    bool ok = false;
    for (const std::string& p : c.extendedKeyUsage) {
        list += (list.empty() ? "" : ", ") + p;
        // RFC 5280 §4.2.1.12: anyExtendedKeyUsage allows every purpose.
        ok = ok || p == wanted || p == "anyExtendedKeyUsage";
    }
    return run.step(0, c, "extendedKeyUsage", ok,
                    ok ? "extendedKeyUsage (" + list + ") includes " + wanted
                       : "extendedKeyUsage (" + list + ") does not include " + wanted +
                             ": the certificate is not "
                             "meant for " +
                             (purpose == CertificatePurpose::ServerAuth ? "a TLS server" : "a TLS client"),
                    AlertDescription::UnsupportedCertificate);
}

bool checkHostName(Run& run, const Certificate& c, const std::string& hostName)
{
    std::string how;
    const bool ok = matchesHostName(c, hostName, &how);
    return run.step(0, c, "hostname", ok, how, AlertDescription::BadCertificate);
}

// RFC 5280 §6.1.4 (k), (l), (m), (n) for a certificate that issues the one below it.
bool checkIssuerCapabilities(Run& run, int index, const Certificate& c, int intermediatesBelow)
{
    if (c.basicConstraintsCa.value_or(false)) {
        run.step(index, c, "basicConstraints", true, "basicConstraints CA:TRUE: it may sign certificates",
                 AlertDescription::UnknownCa);
    } else if (!c.basicConstraintsCa && c.version == 1 && c.isSelfIssued()) {
        // A v1 self-signed root has no extensions at all; OpenSSL still treats it as a CA, and so do we.
        run.step(index, c, "basicConstraints", true,
                 "a version 1 self-signed certificate has no basicConstraints; accepted as a CA, as OpenSSL does",
                 AlertDescription::UnknownCa);
    } else {
        return run.step(index, c, "basicConstraints", false,
                        c.basicConstraintsCa ? "basicConstraints CA:FALSE: this certificate may not sign other "
                                               "certificates, yet it issued the one below it (RFC 5280 §4.2.1.9)"
                                             : "no basicConstraints extension, so this is not a CA and may not sign "
                                               "certificates (RFC 5280 §4.2.1.9)",
                        AlertDescription::UnknownCa);
    }
    if (c.pathLength) {
        const bool ok = intermediatesBelow <= *c.pathLength;
        if (!run.step(index, c, "path length", ok,
                      "pathLenConstraint " + std::to_string(*c.pathLength) + " allows at most " +
                          std::to_string(*c.pathLength) + " intermediate CA certificate(s) below it; there " +
                          (intermediatesBelow == 1 ? "is " : "are ") + std::to_string(intermediatesBelow),
                      AlertDescription::UnknownCa))
            return false;
    } else {
        run.step(index, c, "path length", true,
                 "no pathLenConstraint: any number of intermediate CAs may follow; this chain has " +
                     std::to_string(intermediatesBelow),
                 AlertDescription::UnknownCa);
    }
    if (!c.keyUsage)
        return run.step(index, c, "keyUsage", true, "no keyUsage extension: certificate signing is not restricted",
                        AlertDescription::UnknownCa);
    const bool ok = (*c.keyUsage & KeyUsage::KeyCertSign) != 0;
    return run.step(index, c, "keyUsage", ok,
                    ok ? "keyUsage " + keyUsageNames(*c.keyUsage) + " includes keyCertSign"
                       : "keyUsage " + keyUsageNames(*c.keyUsage) +
                             " lacks keyCertSign, so this key may not sign "
                             "certificates (RFC 5280 §4.2.1.3)",
                    AlertDescription::UnknownCa);
}

// `verified`: the outcome when the signature was already checked while choosing the issuer.
bool checkSignature(Run& run, int index, const Certificate& c, const Certificate& issuer, std::optional<bool> verified)
{
    const std::string by = "signed by " + issuer.subject.toString() + ": ";
    const std::optional<SignatureScheme> scheme = schemeForCertificate(c.signatureAlgorithmOid);
    if (!scheme)
        return run.step(index, c, "signature", false,
                        by + "signature algorithm " + c.signatureAlgorithm + " is not supported here",
                        AlertDescription::UnsupportedCertificate);
    if (!issuer.publicKey.supports(*scheme))
        return run.step(index, c, "signature", false,
                        by + c.signatureAlgorithm + " cannot have been made with its " +
                            issuer.publicKey.description() + " key",
                        AlertDescription::DecryptError);
    const bool ok = verified ? *verified : issuer.publicKey.verify(*scheme, c.tbsDer, c.signature);
    return run.step(index, c, "signature", ok,
                    ok ? by + "the " + c.signatureAlgorithm + " signature verifies with its " +
                             issuer.publicKey.description() + " key"
                       : by + "the " + c.signatureAlgorithm + " signature does NOT verify with its " +
                             issuer.publicKey.description() +
                             " key: the certificate was altered, or signed by another key",
                    AlertDescription::DecryptError);
}

// One link of the path: `subject` (at `index` in the chain) was issued by `issuer`.
struct Link {
    int index;
    const Certificate* subject;
    const Certificate* issuer;
};

// The CRL extensions this verifier understands; a critical one it does not (issuingDistributionPoint, a delta
// indicator) means the CRL may cover less than it seems, so it cannot be used (RFC 5280 §5.2).
bool crlExtensionUnderstood(const std::string& o)
{
    return o == oid::CrlNumber || o == oid::AuthorityKeyIdentifier;
}

// RFC 5280 §6.3.3, for one certificate and the CRL its issuer signed.
bool checkRevocation(Run& run, const Link& link, const std::vector<Crl>& crls, std::int64_t now)
{
    const Certificate& c = *link.subject;
    const Certificate& issuer = *link.issuer;
    // The newest CRL the certificate's issuer signed, by name (§6.3.3 (b)).
    const Crl* crl = nullptr;
    for (const Crl& candidate : crls)
        if (candidate.issuer == c.issuer && (!crl || candidate.thisUpdate > crl->thisUpdate))
            crl = &candidate;
    if (!crl) {
        if (link.index != 0)
            return run.step(link.index, c, "revocation", true,
                            "no CRL from " + c.issuer.toString() +
                                " was given, so this CA certificate is not checked (only the leaf must be)",
                            AlertDescription::UnknownCa);
        return run.step(link.index, c, "revocation", false,
                        "no CRL from its issuer " + c.issuer.toString() +
                            " was given, so whether it was revoked cannot be told; a verifier that checks "
                            "revocation refuses it",
                        AlertDescription::UnknownCa);
    }
    const std::string which = crl->summary();
    // §6.3.3 (f): the CRL must be signed by the certificate's issuer, whose key must be allowed to sign CRLs.
    if (issuer.keyUsage && !(*issuer.keyUsage & KeyUsage::CrlSign))
        return run.step(link.index, c, "CRL signature", false,
                        issuer.subject.toString() + " has keyUsage " + keyUsageNames(*issuer.keyUsage) +
                            " without cRLSign, so no CRL of its can be trusted",
                        AlertDescription::CertificateUnknown);
    const std::optional<SignatureScheme> scheme = schemeForCertificate(crl->signatureAlgorithmOid);
    if (!scheme || !issuer.publicKey.supports(*scheme))
        return run.step(link.index, c, "CRL signature", false,
                        which + " is signed with " + crl->signatureAlgorithm + ", which cannot be checked with the " +
                            issuer.publicKey.description() + " key of its issuer",
                        AlertDescription::BadCertificate);
    const bool signatureOk = issuer.publicKey.verify(*scheme, crl->tbsDer, crl->signature);
    if (!run.step(link.index, c, "CRL signature", signatureOk,
                  signatureOk
                      ? which + ": its " + crl->signatureAlgorithm + " signature verifies with the issuer's " +
                            issuer.publicKey.description() + " key"
                      : which + ": its signature does NOT verify with the issuer's " + issuer.publicKey.description() +
                            " key, so the list was altered or made by someone else and cannot be used",
                  AlertDescription::DecryptError))
        return false;
    for (const Certificate::Extension& x : crl->extensions)
        if (x.critical && !crlExtensionUnderstood(x.oid))
            return run.step(link.index, c, "CRL extensions", false,
                            which + " carries the critical extension " + x.name +
                                ", which this verifier does not understand, so it cannot rely on the list "
                                "(RFC 5280 §5.2)",
                            AlertDescription::CertificateUnknown);
    // §6.3.3 (a) and §5.1.2.5: a CRL speaks for the time from thisUpdate to nextUpdate. After nextUpdate a newer
    // list exists and may name this certificate; this one is stale.
    const std::string span =
        formatTime(crl->thisUpdate) + (crl->nextUpdate ? " to " + formatTime(*crl->nextUpdate) : " (no nextUpdate)");
    if (now < crl->thisUpdate)
        return run.step(link.index, c, "CRL validity", false,
                        which + " is not valid yet: it covers " + span + ", but now is " + formatTime(now),
                        AlertDescription::BadCertificate);
    if (crl->nextUpdate && now > *crl->nextUpdate)
        return run.step(link.index, c, "CRL validity", false,
                        which + " is stale: it covers " + span + ", now is " + formatTime(now) +
                            ", and a newer list may name this certificate",
                        AlertDescription::CertificateExpired);
    run.step(link.index, c, "CRL validity", true, which + " covers " + span + "; now is " + formatTime(now),
             AlertDescription::CertificateExpired);
    if (const Crl::Entry* e = crl->find(c.serial)) {
        std::string detail =
            "serial " + colonHexSerial(c.serial) + " is on " + which + ": revoked on " + formatTime(e->revocationDate);
        if (e->reason)
            detail += " (" + revocationReasonName(*e->reason) + ")";
        return run.step(link.index, c, "revocation", false,
                        detail + "; the CA no longer stands behind this certificate",
                        AlertDescription::CertificateRevoked);
    }
    return run.step(link.index, c, "revocation", true,
                    "serial " + colonHexSerial(c.serial) + " is not among the " + std::to_string(crl->revoked.size()) +
                        " certificate(s) revoked on " + which,
                    AlertDescription::CertificateRevoked);
}

int indexInChain(const std::vector<Certificate>& chain, const Certificate& c)
{
    for (std::size_t i = 0; i < chain.size(); ++i)
        if (chain[i].der == c.der)
            return static_cast<int>(i);
    return kNotInChain;
}

const Certificate* anchorByDer(const std::vector<Certificate>& anchors, const Certificate& c)
{
    for (const Certificate& a : anchors)
        if (a.der == c.der)
            return &a;
    return nullptr;
}

// The trust anchor that issued `c`: subject equal to c's issuer; among several, one whose key verifies. When it
// had to try keys to choose, `verified` holds what the chosen one's check said, so the signature is not checked
// a second time.
const Certificate* anchorIssuing(const std::vector<Certificate>& anchors, const Certificate& c,
                                 std::optional<bool>& verified)
{
    verified.reset();
    std::vector<const Certificate*> byName;
    for (const Certificate& a : anchors)
        if (a.subject == c.issuer)
            byName.push_back(&a);
    if (byName.size() <= 1)
        return byName.empty() ? nullptr : byName.front();
    const std::optional<SignatureScheme> scheme = schemeForCertificate(c.signatureAlgorithmOid);
    for (const Certificate* a : byName) {
        if (scheme && a->publicKey.supports(*scheme) && a->publicKey.verify(*scheme, c.tbsDer, c.signature)) {
            verified = true;
            return a;
        }
    }
    // None verifies: the first by name is the one the failure is reported against, its check already made.
    if (scheme && byName.front()->publicKey.supports(*scheme))
        verified = false;
    return byName.front();
}

} // namespace

bool matchesHostName(const Certificate& cert, const std::string& hostName, std::string* how)
{
    std::string sink;
    std::string& out = how ? *how : sink;
    if (const std::optional<Bytes> ip = parseIpAddress(hostName)) {
        // RFC 6125 §3.1.3.2 / RFC 5280 §4.2.1.6: an IP address is only matched against iPAddress names.
        for (const std::string& candidate : cert.ipAddresses) {
            if (parseIpAddress(candidate) == ip) {
                out = hostName + " matches subjectAltName IP:" + candidate;
                return true;
            }
        }
        out = "IP address " + hostName + " is not among the certificate's names (" + namesList(cert) + ")";
        return false;
    }
    for (const std::string& pattern : cert.dnsNames) {
        if (matchDnsName(pattern, hostName)) {
            out = hostName + " matches subjectAltName DNS:" + pattern;
            return true;
        }
    }
    if (cert.dnsNames.empty()) {
        // RFC 6125 §6.4.4: with no DNS name in subjectAltName, a client may fall back to the subject's CN.
        // OpenSSL's X509_check_host() does; browsers no longer do.
        for (const auto& [type, value] : cert.subject.attributes) {
            if (type == "CN" && matchDnsName(value, hostName)) {
                out = hostName + " matches the subject CN (the certificate has no DNS subjectAltName; RFC 6125 "
                                 "§6.4.4 fallback)";
                return true;
            }
        }
    }
    out = "host name " + hostName + " is not among the certificate's names (" + namesList(cert) + ")";
    return false;
}

ChainVerification verifyChain(const std::vector<Certificate>& chain, const std::vector<Certificate>& trustAnchors,
                              std::int64_t now, const std::optional<std::string>& hostName, CertificatePurpose purpose,
                              const std::vector<Crl>& crls)
{
    ChainVerification result;
    Run run(result);
    if (chain.empty()) {
        run.step(kNotInChain, std::string(), "chain", false,
                 "the peer sent no certificate at all, so there is nothing to verify",
                 AlertDescription::HandshakeFailure);
        return result;
    }

    const Certificate* current = &chain.front();
    int index = 0;
    bool isAnchor = anchorByDer(trustAnchors, *current) != nullptr;
    int intermediatesBelow = 0; // non-self-issued CA certificates between the leaf and `current` (§6.1.4 (l))
    std::vector<Link> path;     // each certificate with the one that issued it, leaf first
    for (std::size_t position = 0;; ++position) {
        if (isAnchor && index == kNotInChain)
            result.trustAnchor = *current;
        if (isAnchor)
            run.step(index, *current, "trust anchor", true,
                     current->subject.toString() + " is one of the " + std::to_string(trustAnchors.size()) +
                         " trust anchor(s): the chain ends here",
                     AlertDescription::UnknownCa);
        if (!checkValidity(run, index, *current, now) || !checkCriticalExtensions(run, index, *current))
            return result;
        if (position == 0) {
            if (!checkLeafKeyUsage(run, *current, purpose) || !checkLeafExtendedKeyUsage(run, *current, purpose))
                return result;
            if (hostName && !checkHostName(run, *current, *hostName))
                return result;
        } else {
            if (!checkIssuerCapabilities(run, index, *current, intermediatesBelow))
                return result;
            if (!current->isSelfIssued())
                ++intermediatesBelow;
        }
        if (isAnchor) {
            // Revocation is checked once the whole path is known, as OpenSSL's check_revocation() does.
            if (!crls.empty())
                for (const Link& link : path)
                    if (!checkRevocation(run, link, crls, now))
                        return result;
            result.ok = true;
            return result;
        }

        // Who issued `current`? A trust anchor with that name ends the path; otherwise it must be the next
        // certificate in the chain (RFC 5246 §7.4.2: "each following certificate MUST directly certify the one
        // preceding it").
        std::optional<bool> verified;
        const Certificate* issuer = anchorIssuing(trustAnchors, *current, verified);
        int issuerIndex = kNotInChain;
        bool issuerIsAnchor = issuer != nullptr;
        if (issuer) {
            issuerIndex = indexInChain(chain, *issuer);
        } else if (index != kNotInChain && static_cast<std::size_t>(index) + 1 < chain.size()) {
            issuerIndex = index + 1;
            issuer = &chain[static_cast<std::size_t>(issuerIndex)];
        } else {
            std::string why;
            if (current->isSelfIssued())
                why = position == 0
                          ? current->subject.toString() + " is self-signed and is not one of the trust anchors"
                          : "the chain ends at the self-signed " + current->subject.toString() +
                                ", which is not one of the trust anchors";
            else
                why = "its issuer " + current->issuer.toString() +
                      " is neither the next certificate in the chain nor a trust anchor";
            run.step(index, *current, "trust anchor", false, why, AlertDescription::UnknownCa);
            return result;
        }
        const bool namesChain = current->issuer == issuer->subject;
        if (!run.step(index, *current, "issuer name", namesChain,
                      namesChain
                          ? "issuer " + current->issuer.toString() + " is the subject of " +
                                (issuerIsAnchor ? "a trust anchor" : "the next certificate in the chain")
                          : "issuer " + current->issuer.toString() + " is not the subject of the next certificate (" +
                                issuer->subject.toString() + "): the chain is broken here",
                      AlertDescription::UnknownCa))
            return result;
        if (!checkSignature(run, index, *current, *issuer, verified))
            return result;
        path.push_back(Link{index, current, issuer});
        current = issuer;
        index = issuerIndex;
        isAnchor = issuerIsAnchor;
        // Each step moves one certificate up the chain or ends at an anchor, so this cannot loop; the bound is a
        // guard all the same.
        if (position > chain.size() + 1) {
            run.step(kNotInChain, std::string(), "chain", false, "the chain loops", AlertDescription::UnknownCa);
            return result;
        }
    }
}

} // namespace hl
