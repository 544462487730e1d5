// OCSP responses (RFC 6960): the signed statement a CA's responder makes about one certificate (good, revoked or
// unknown, valid from thisUpdate to nextUpdate), built, parsed and checked. A TLS server staples one to its
// certificate in the CertificateStatus message (RFC 6066 §8), so the client need not ask the CA itself.
#pragma once

#include "common/alert.h"
#include "common/bytes.h"
#include "crypto/keys.h"
#include "x509/certificate.h"
#include "x509/crl.h"
#include "x509/verify.h"

#include <cryptopp/cryptlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hl {

// RFC 6960 §4.2.1 CertStatus.
enum class OcspCertStatus : std::uint8_t { Good = 0, Revoked = 1, Unknown = 2 };
std::string ocspCertStatusName(OcspCertStatus status); // "good", "revoked", "unknown"

// RFC 6960 §4.1.1 CertID: which certificate a response speaks about, named by its issuer (hashes of the issuer's
// name and key) and its serial number. HandshakeLab writes SHA-1 hashes, as OpenSSL does by default.
struct OcspCertId {
    std::string hashAlgorithmOid = "1.3.14.3.2.26"; // id-sha1
    Bytes issuerNameHash;
    Bytes issuerKeyHash;
    Bytes serial; // INTEGER contents octets, as in Certificate::serial

    // The CertID of `leaf` issued by `issuer`: SHA-1 over the issuer's DER name and over its subjectPublicKey bits.
    static OcspCertId of(const Certificate& leaf, const Certificate& issuer);
    bool operator==(const OcspCertId&) const = default;
};

struct OcspResponse {
    struct Single {
        OcspCertId certId;
        OcspCertStatus status = OcspCertStatus::Good;
        std::int64_t revocationTime = 0;        // when revoked
        std::optional<RevocationReason> reason; // when revoked and given
        std::int64_t thisUpdate = 0;
        std::optional<std::int64_t> nextUpdate;
    };

    Bytes der;                       // the whole OCSPResponse
    std::uint8_t responseStatus = 0; // §4.2.1 OCSPResponseStatus: 0 successful, 1 malformedRequest, ...
    // The rest only when responseStatus is successful and a BasicOCSPResponse follows.
    Bytes tbsResponseData; // the bytes the signature covers
    std::string signatureAlgorithmOid, signatureAlgorithm;
    Bytes signature;
    std::optional<DistinguishedName> responderName; // ResponderID byName
    Bytes responderKeyHash;                         // ResponderID byKey: SHA-1 of the responder's key bits
    std::int64_t producedAt = 0;
    std::vector<Single> responses;
    std::vector<Certificate> certs; // certificates the responder added (a delegated responder's own)

    // Throws std::invalid_argument("OCSP response: <what is wrong>") on malformed DER or a response type other
    // than id-pkix-ocsp-basic.
    static OcspResponse parse(ByteView der);
    const Single* find(const OcspCertId& id) const;
};
// "successful", "malformedRequest", "internalError", "tryLater", "sigRequired", "unauthorized".
std::string ocspResponseStatusName(std::uint8_t status);

// Builds and signs an OCSP response about one certificate, the way a CA's responder answers (RFC 6960 §4.2.1),
// with the CA's own key (§4.2.2.2: the CA may sign its responses itself). Like CrlBuilder it writes what it is given,
// so a test can make a stale response or sign it with the wrong key.
struct OcspResponseBuilder {
    OcspCertStatus status = OcspCertStatus::Good;
    std::int64_t revocationTime = 0;
    std::optional<RevocationReason> reason;
    std::int64_t producedAt = 0;
    std::int64_t thisUpdate = 0;
    std::optional<std::int64_t> nextUpdate;
    bool responderByKey = false; // ResponderID byKey rather than byName
    std::uint8_t responseStatus = 0; // anything but 0 writes an OCSPResponse without responseBytes

    // About `leaf`, issued by `issuer`, signed with `signerKey` (normally the issuer's).
    Bytes signWith(const Certificate& leaf, const Certificate& issuer, const PrivateKey& signerKey,
                   CryptoPP::RandomNumberGenerator& rng) const;
    // The ResponseData whose signature signWith() makes, for tests that damage it.
    Bytes tbsResponseData(const Certificate& leaf, const Certificate& issuer) const;
};

// What a client makes of a stapled response about `leaf`, whose issuer is `issuer`, at time `now`: every check in
// order, as the CRL checks are recorded ("OCSP response status", "OCSP responder", "OCSP signature", "OCSP
// certID", "OCSP freshness", "OCSP status"), and the alert to send when it is not good enough.
struct OcspCheck {
    bool ok = false;
    AlertDescription alert = AlertDescription::BadCertificateStatusResponse;
    std::string reason;
    std::vector<VerificationStep> steps;
    std::optional<OcspCertStatus> status; // the certificate's status, once a response about it was found
};
OcspCheck checkOcspResponse(ByteView der, const Certificate& leaf, const Certificate& issuer, std::int64_t now);

} // namespace hl
