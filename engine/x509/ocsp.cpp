// OCSP responses (RFC 6960 §4.2): DER written with Crypto++'s encoder, read with the bounds-checked reader that
// certificates and CRLs use, and the checks a TLS client makes on a stapled one (RFC 6066 §8).
#include "x509/ocsp.h"

#include "x509/certificate_builder.h"
#include "x509/der.h"
#include "x509/oids.h"

#include <cryptopp/sha.h>

#include <cstdio>

namespace hl {

namespace {

using CryptoPP::BufferedTransformation;

constexpr std::string_view kIdSha1 = "1.3.14.3.2.26";
constexpr std::string_view kIdPkixOcspBasic = "1.3.6.1.5.5.7.48.1.1";
constexpr std::uint8_t kEnumerated = 0x0a;

[[noreturn]] void bad(const std::string& what)
{
    throw der::Error("OCSP response: " + what);
}

Bytes sha1(ByteView data)
{
    Bytes digest(CryptoPP::SHA1::DIGESTSIZE);
    CryptoPP::SHA1().CalculateDigest(digest.data(), data.data(), data.size());
    return digest;
}

void putRaw(BufferedTransformation& bt, std::uint8_t tag, ByteView contents)
{
    bt.Put(tag);
    CryptoPP::DERLengthEncode(bt, contents.size());
    bt.Put(contents.data(), contents.size());
}

// RFC 6960 §4.2.2.1: OCSP times are GeneralizedTime, whatever the year.
void putGeneralizedTime(BufferedTransformation& bt, std::int64_t t)
{
    const der::CivilTime c = der::civilFromUnix(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute, c.second);
    CryptoPP::DEREncodeTextString(bt, std::string(buf), CryptoPP::GENERALIZED_TIME);
}

void putCertId(BufferedTransformation& bt, const OcspCertId& id)
{
    CryptoPP::DERSequenceEncoder seq(bt);
    {
        CryptoPP::DERSequenceEncoder alg(seq);
        der::cryptoOid(id.hashAlgorithmOid).DEREncode(alg);
        CryptoPP::DEREncodeNull(alg); // OpenSSL writes the NULL parameters of id-sha1
        alg.MessageEnd();
    }
    CryptoPP::DEREncodeOctetString(seq, id.issuerNameHash.data(), id.issuerNameHash.size());
    CryptoPP::DEREncodeOctetString(seq, id.issuerKeyHash.data(), id.issuerKeyHash.size());
    CryptoPP::Integer(id.serial.data(), id.serial.size()).DEREncode(seq);
    seq.MessageEnd();
}

OcspCertId readCertId(const der::Element& e)
{
    der::Reader r(e, "OCSP response: CertID");
    OcspCertId id;
    {
        der::Reader alg(r.read(der::Sequence, "hashAlgorithm"), "OCSP response: CertID.hashAlgorithm");
        id.hashAlgorithmOid = der::objectIdentifier(alg.read(der::ObjectIdentifier, "algorithm"), "hashAlgorithm");
        if (!alg.done())
            alg.read("parameters");
        alg.expectDone("");
    }
    const der::Element name = r.read(der::OctetString, "issuerNameHash");
    const der::Element key = r.read(der::OctetString, "issuerKeyHash");
    id.issuerNameHash.assign(name.contents.begin(), name.contents.end());
    id.issuerKeyHash.assign(key.contents.begin(), key.contents.end());
    id.serial = der::integerContents(r.read(der::Integer, "serialNumber"), "serialNumber");
    r.expectDone("");
    return id;
}

OcspResponse::Single readSingle(const der::Element& e)
{
    der::Reader r(e, "OCSP response: SingleResponse");
    OcspResponse::Single s;
    s.certId = readCertId(r.read(der::Sequence, "certID"));
    // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }
    const der::Element status = r.read("certStatus");
    if (status.tag == der::contextTag(0, false) && status.contents.empty()) {
        s.status = OcspCertStatus::Good;
    } else if (status.tag == der::contextTag(1, true)) {
        s.status = OcspCertStatus::Revoked;
        der::Reader info(status, "OCSP response: RevokedInfo");
        s.revocationTime = der::time(info.read(der::GeneralizedTime, "revocationTime"), "revocationTime");
        if (auto reasonEl = info.readOptional(der::contextTag(0, true), "revocationReason")) {
            der::Reader wrapped(*reasonEl, "OCSP response: revocationReason");
            const der::Element reason = wrapped.read(kEnumerated, "CRLReason");
            wrapped.expectDone("");
            if (reason.contents.size() != 1 || reason.contents[0] > 10 || reason.contents[0] == 7)
                bad("revocationReason is not one of the values RFC 5280 §5.3.1 defines");
            s.reason = static_cast<RevocationReason>(reason.contents[0]);
        }
        info.expectDone("");
    } else if (status.tag == der::contextTag(2, false) && status.contents.empty()) {
        s.status = OcspCertStatus::Unknown;
    } else {
        bad("certStatus must be good [0], revoked [1] or unknown [2], found " + der::tagName(status.tag));
    }
    s.thisUpdate = der::time(r.read(der::GeneralizedTime, "thisUpdate"), "thisUpdate");
    if (auto next = r.readOptional(der::contextTag(0, true), "nextUpdate")) {
        der::Reader wrapped(*next, "OCSP response: nextUpdate");
        s.nextUpdate = der::time(wrapped.read(der::GeneralizedTime, "nextUpdate"), "nextUpdate");
        wrapped.expectDone("");
    }
    if (r.peek(der::contextTag(1, true)))
        r.read("singleExtensions");
    r.expectDone("");
    return s;
}

OcspResponse parseResponse(ByteView input)
{
    OcspResponse o;
    der::Reader top(input, "OCSP response");
    const der::Element outerEl = top.read(der::Sequence, "OCSPResponse");
    top.expectDone("after the OCSPResponse");
    o.der = outerEl.bytes();
    der::Reader outer(outerEl, "OCSP response");
    const der::Element statusEl = outer.read(kEnumerated, "responseStatus");
    if (statusEl.contents.size() != 1 || statusEl.contents[0] > 6 || statusEl.contents[0] == 4)
        bad("responseStatus is not one of the values RFC 6960 §4.2.1 defines");
    o.responseStatus = statusEl.contents[0];
    const auto bytesEl = outer.readOptional(der::contextTag(0, true), "responseBytes");
    outer.expectDone("");
    if (o.responseStatus != 0) {
        if (bytesEl)
            bad("an unsuccessful response carries responseBytes (RFC 6960 §4.2.1)");
        return o;
    }
    if (!bytesEl)
        bad("a successful response has no responseBytes (RFC 6960 §4.2.1)");
    der::Reader wrapper(*bytesEl, "OCSP response: responseBytes");
    der::Reader responseBytes(wrapper.read(der::Sequence, "ResponseBytes"), "OCSP response: ResponseBytes");
    wrapper.expectDone("");
    const std::string type =
        der::objectIdentifier(responseBytes.read(der::ObjectIdentifier, "responseType"), "responseType");
    if (type != kIdPkixOcspBasic)
        bad("responseType " + type + " is not id-pkix-ocsp-basic, the one type every client must understand");
    const der::Element basicOctets = responseBytes.read(der::OctetString, "response");
    responseBytes.expectDone("");

    der::Reader basicTop(basicOctets.contents, "OCSP response: BasicOCSPResponse", basicOctets.contentsOffset());
    const der::Element basicEl = basicTop.read(der::Sequence, "BasicOCSPResponse");
    basicTop.expectDone("");
    der::Reader basic(basicEl, "OCSP response: BasicOCSPResponse");
    const der::Element tbsEl = basic.read(der::Sequence, "tbsResponseData");
    {
        der::Reader alg(basic.read(der::Sequence, "signatureAlgorithm"), "OCSP response: signatureAlgorithm");
        o.signatureAlgorithmOid = der::objectIdentifier(alg.read(der::ObjectIdentifier, "algorithm"), "algorithm");
        o.signatureAlgorithm = oid::name(o.signatureAlgorithmOid);
        if (!alg.done())
            alg.read("parameters");
        alg.expectDone("");
    }
    o.signature = der::octetAlignedBitString(basic.read(der::BitString, "signature"), "signature");
    if (auto certsEl = basic.readOptional(der::contextTag(0, true), "certs")) {
        der::Reader wrapped(*certsEl, "OCSP response: certs");
        der::Reader list(wrapped.read(der::Sequence, "certs"), "OCSP response: certs");
        wrapped.expectDone("");
        while (!list.done())
            o.certs.push_back(Certificate::parse(list.read(der::Sequence, "certificate").whole));
    }
    basic.expectDone("");
    o.tbsResponseData = tbsEl.bytes();

    der::Reader tbs(tbsEl, "OCSP response: ResponseData");
    if (auto v = tbs.readOptional(der::contextTag(0, true), "version")) {
        der::Reader wrapped(*v, "OCSP response: version");
        if (der::smallUnsigned(wrapped.read(der::Integer, "version"), 0, "version") != 0)
            bad("version is not v1");
        wrapped.expectDone("");
    }
    // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }, explicitly tagged.
    const der::Element responder = tbs.read("responderID");
    if (responder.tag == der::contextTag(1, true)) {
        der::Reader wrapped(responder, "OCSP response: responderID");
        o.responderName = parseDistinguishedName(wrapped.read(der::Sequence, "byName").whole, "OCSP responder name");
        wrapped.expectDone("");
    } else if (responder.tag == der::contextTag(2, true)) {
        der::Reader wrapped(responder, "OCSP response: responderID");
        const der::Element hash = wrapped.read(der::OctetString, "byKey");
        wrapped.expectDone("");
        o.responderKeyHash.assign(hash.contents.begin(), hash.contents.end());
    } else {
        bad("responderID must be byName [1] or byKey [2], found " + der::tagName(responder.tag));
    }
    o.producedAt = der::time(tbs.read(der::GeneralizedTime, "producedAt"), "producedAt");
    der::Reader singles(tbs.read(der::Sequence, "responses"), "OCSP response: responses");
    while (!singles.done())
        o.responses.push_back(readSingle(singles.read(der::Sequence, "SingleResponse")));
    if (tbs.peek(der::contextTag(1, true)))
        tbs.read("responseExtensions");
    tbs.expectDone("");
    if (o.responses.empty())
        bad("the response speaks about no certificate");
    return o;
}

SignatureScheme schemeFor(KeyType signer)
{
    return signer == KeyType::Rsa ? SignatureScheme::RsaPkcs1Sha256 : SignatureScheme::EcdsaSecp256r1Sha256;
}

std::string statusWords(const OcspResponse::Single& s)
{
    std::string out = ocspCertStatusName(s.status);
    if (s.status == OcspCertStatus::Revoked) {
        out += " since " + formatTime(s.revocationTime);
        if (s.reason)
            out += " (" + revocationReasonName(*s.reason) + ")";
    }
    return out;
}

} // namespace

std::string ocspCertStatusName(OcspCertStatus status)
{
    switch (status) {
    case OcspCertStatus::Good:
        return "good";
    case OcspCertStatus::Revoked:
        return "revoked";
    case OcspCertStatus::Unknown:
        return "unknown";
    }
    return "status " + std::to_string(static_cast<int>(status));
}

std::string ocspResponseStatusName(std::uint8_t status)
{
    switch (status) {
    case 0:
        return "successful";
    case 1:
        return "malformedRequest";
    case 2:
        return "internalError";
    case 3:
        return "tryLater";
    case 5:
        return "sigRequired";
    case 6:
        return "unauthorized";
    default:
        break;
    }
    return "status " + std::to_string(status);
}

OcspCertId OcspCertId::of(const Certificate& leaf, const Certificate& issuer)
{
    OcspCertId id;
    id.hashAlgorithmOid = std::string(kIdSha1);
    // RFC 6960 §4.1.1: the hash of the issuer's DN as it appears in the certificate, and of its public key bits.
    id.issuerNameHash = sha1(leaf.issuer.der);
    id.issuerKeyHash = keyIdentifier(issuer.publicKey);
    id.serial = leaf.serial;
    return id;
}

OcspResponse OcspResponse::parse(ByteView der)
{
    try {
        return parseResponse(der);
    } catch (const der::Error& e) {
        const std::string what = e.what();
        throw std::invalid_argument(what.rfind("OCSP response", 0) == 0 ? what : "OCSP response: " + what);
    }
}

const OcspResponse::Single* OcspResponse::find(const OcspCertId& id) const
{
    for (const Single& s : responses)
        if (s.certId == id)
            return &s;
    return nullptr;
}

Bytes OcspResponseBuilder::tbsResponseData(const Certificate& leaf, const Certificate& issuer) const
{
    const OcspCertId id = OcspCertId::of(leaf, issuer);
    return der::encode([&](BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder tbs(bt);
        // version DEFAULT v1 is left out (X.690 §11.5).
        if (responderByKey) {
            CryptoPP::DERGeneralEncoder byKey(tbs, der::contextTag(2, true));
            const Bytes hash = keyIdentifier(issuer.publicKey);
            CryptoPP::DEREncodeOctetString(byKey, hash.data(), hash.size());
            byKey.MessageEnd();
        } else {
            CryptoPP::DERGeneralEncoder byName(tbs, der::contextTag(1, true));
            byName.Put(issuer.subject.der.data(), issuer.subject.der.size());
            byName.MessageEnd();
        }
        putGeneralizedTime(tbs, producedAt);
        CryptoPP::DERSequenceEncoder responses(tbs);
        CryptoPP::DERSequenceEncoder single(responses);
        putCertId(single, id);
        switch (status) {
        case OcspCertStatus::Good:
            putRaw(single, der::contextTag(0, false), {});
            break;
        case OcspCertStatus::Revoked: {
            CryptoPP::DERGeneralEncoder info(single, der::contextTag(1, true));
            putGeneralizedTime(info, revocationTime);
            if (reason) {
                CryptoPP::DERGeneralEncoder wrapped(info, der::contextTag(0, true));
                const std::uint8_t value = static_cast<std::uint8_t>(*reason);
                putRaw(wrapped, kEnumerated, ByteView(&value, 1));
                wrapped.MessageEnd();
            }
            info.MessageEnd();
            break;
        }
        case OcspCertStatus::Unknown:
            putRaw(single, der::contextTag(2, false), {});
            break;
        }
        putGeneralizedTime(single, thisUpdate);
        if (nextUpdate) {
            CryptoPP::DERGeneralEncoder next(single, der::contextTag(0, true));
            putGeneralizedTime(next, *nextUpdate);
            next.MessageEnd();
        }
        single.MessageEnd();
        responses.MessageEnd();
        tbs.MessageEnd();
    });
}

Bytes OcspResponseBuilder::signWith(const Certificate& leaf, const Certificate& issuer, const PrivateKey& signerKey,
                                    CryptoPP::RandomNumberGenerator& rng) const
{
    const std::uint8_t statusByte[] = {kEnumerated, 0x01, responseStatus};
    if (responseStatus != 0)
        return der::encode([&](BufferedTransformation& bt) {
            CryptoPP::DERSequenceEncoder outer(bt);
            outer.Put(statusByte, sizeof statusByte);
            outer.MessageEnd();
        });
    const Bytes tbs = tbsResponseData(leaf, issuer);
    // BasicOCSPResponse has a certificate's outer shape: the signed data, the algorithm, the signature bits.
    const Bytes basic =
        CertificateBuilder::assemble(tbs, signerKey.type(), signerKey.sign(schemeFor(signerKey.type()), tbs, rng));
    return der::encode([&](BufferedTransformation& bt) {
        CryptoPP::DERSequenceEncoder outer(bt);
        outer.Put(statusByte, sizeof statusByte);
        CryptoPP::DERGeneralEncoder wrapper(outer, der::contextTag(0, true));
        CryptoPP::DERSequenceEncoder responseBytes(wrapper);
        der::cryptoOid(kIdPkixOcspBasic).DEREncode(responseBytes);
        CryptoPP::DEREncodeOctetString(responseBytes, basic.data(), basic.size());
        responseBytes.MessageEnd();
        wrapper.MessageEnd();
        outer.MessageEnd();
    });
}

// Each failure here ends in bad_certificate_status_response (RFC 6066 §8: a client "MUST check the OCSP response and
// abort the handshake if the response is not satisfactory"), which is also what OpenSSL's libssl sends when the
// application's status callback refuses a stapled response. A response that checks out and says "revoked" is no
// longer a problem with the response but a verdict on the certificate: the client sends certificate_revoked, as
// NSS (Firefox) does and as GnuTLS reports it (GNUTLS_CERT_REVOKED), the same alert a CRL check ends in.
OcspCheck checkOcspResponse(ByteView der, const Certificate& leaf, const Certificate& issuer, std::int64_t now)
{
    OcspCheck out;
    const std::string subject = leaf.subject.toString();
    const auto step = [&](const std::string& check, bool passed, const std::string& detail,
                          AlertDescription alert = AlertDescription::BadCertificateStatusResponse) {
        out.steps.push_back(VerificationStep{0, subject, check, passed, detail});
        if (!passed) {
            out.alert = alert;
            out.reason = detail;
        }
        return passed;
    };
    OcspResponse r;
    try {
        r = OcspResponse::parse(der);
    } catch (const std::invalid_argument& e) {
        step("OCSP response status", false, std::string("the stapled response cannot be read: ") + e.what());
        return out;
    }
    if (!step("OCSP response status", r.responseStatus == 0,
              r.responseStatus == 0
                  ? "the responder answered (successful), with a basic response about " +
                        std::to_string(r.responses.size()) + (r.responses.size() == 1 ? " certificate" : " certificates")
                  : "the responder did not answer: its status is " + ocspResponseStatusName(r.responseStatus) +
                        ", so the response says nothing about the certificate"))
        return out;
    // RFC 6960 §4.2.2.2: here only the CA that issued the certificate may sign (no delegated responder).
    const bool byName = r.responderName && *r.responderName == issuer.subject;
    const bool byKey = !r.responderKeyHash.empty() && r.responderKeyHash == keyIdentifier(issuer.publicKey);
    const std::string responder = r.responderName ? r.responderName->toString()
                                                  : "the key with SHA-1 hash " + toHex(r.responderKeyHash);
    if (!step("OCSP responder", byName || byKey,
              byName || byKey ? "the response comes from " + issuer.subject.toString() +
                                    ", the CA that issued the certificate (RFC 6960 §4.2.2.2)"
                              : "the response names its responder as " + responder + ", not " +
                                    issuer.subject.toString() + " which issued the certificate"))
        return out;
    const std::optional<SignatureScheme> scheme = signatureSchemeForAlgorithm(r.signatureAlgorithmOid);
    if (!scheme || !issuer.publicKey.supports(*scheme)) {
        step("OCSP signature", false,
             "the response is signed with " + r.signatureAlgorithm + ", which cannot be checked with the " +
                 issuer.publicKey.description() + " key of " + issuer.subject.toString());
        return out;
    }
    const bool signatureOk = issuer.publicKey.verify(*scheme, r.tbsResponseData, r.signature);
    if (!step("OCSP signature", signatureOk,
              signatureOk ? "its " + r.signatureAlgorithm + " signature verifies with the " +
                                issuer.publicKey.description() + " key of " + issuer.subject.toString()
                          : "its signature does NOT verify with the key of " + issuer.subject.toString() +
                                ": the response was altered or made by someone else, so it proves nothing"))
        return out;
    const OcspCertId id = OcspCertId::of(leaf, issuer);
    const OcspResponse::Single* single = r.find(id);
    if (!step("OCSP certID", single != nullptr,
              single ? "the response names serial " + colonHexSerial(leaf.serial) +
                           " and the SHA-1 hashes of its issuer's name and key: it is about this certificate"
                     : "none of the response's certIDs names serial " + colonHexSerial(leaf.serial) +
                           " with this issuer's name and key hashes: it is about another certificate"))
        return out;
    // RFC 6960 §4.2.2.1: a response is current from thisUpdate to nextUpdate; after nextUpdate newer information
    // exists, and an old "good" could hide a revocation since.
    const std::string span = formatTime(single->thisUpdate) +
                             (single->nextUpdate ? " to " + formatTime(*single->nextUpdate) : " (no nextUpdate)");
    if (now < single->thisUpdate) {
        step("OCSP freshness", false,
             "the response is not valid yet: it covers " + span + ", but now is " + formatTime(now));
        return out;
    }
    if (single->nextUpdate && now > *single->nextUpdate) {
        step("OCSP freshness", false,
             "the response is stale: it covers " + span + ", now is " + formatTime(now) +
                 ", and the certificate may have been revoked since");
        return out;
    }
    step("OCSP freshness", true, "the response covers " + span + "; now is " + formatTime(now));
    out.status = single->status;
    switch (single->status) {
    case OcspCertStatus::Good:
        out.ok = step("OCSP status", true,
                      "the CA says serial " + colonHexSerial(leaf.serial) + " is good: not revoked as of " +
                          formatTime(single->thisUpdate));
        break;
    case OcspCertStatus::Revoked:
        step("OCSP status", false,
             "the CA says serial " + colonHexSerial(leaf.serial) + " is " + statusWords(*single) +
                 "; it no longer stands behind this certificate",
             AlertDescription::CertificateRevoked);
        break;
    case OcspCertStatus::Unknown:
        step("OCSP status", false,
             "the responder does not know serial " + colonHexSerial(leaf.serial) +
                 " (unknown): the response gives no assurance, so the client cannot rely on it");
        break;
    }
    return out;
}

} // namespace hl
