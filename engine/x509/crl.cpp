// CRL parsing (RFC 5280 §5.1) with the bounds-checked DER reader certificates use.
#include "x509/crl.h"

#include "x509/der.h"
#include "x509/oids.h"
#include "x509/pem.h"

#include <algorithm>
#include <set>

namespace hl {

namespace {

[[noreturn]] void bad(const std::string& what)
{
    throw der::Error("CRL: " + what);
}

// AlgorithmIdentifier: the OID; parameters are compared as bytes by the caller (RFC 5280 §5.1.1.2).
std::string algorithmOid(const der::Element& e, const std::string& what)
{
    der::Reader r(e, what);
    const std::string oidText = der::objectIdentifier(r.read(der::ObjectIdentifier, "algorithm"), what + ".algorithm");
    if (!r.done())
        r.read("parameters");
    r.expectDone("");
    return oidText;
}

std::vector<Certificate::Extension> readExtensions(const der::Element& list, const std::string& what)
{
    std::vector<Certificate::Extension> out;
    der::Reader exts(list, what);
    if (exts.done())
        bad(what + " is present but empty (RFC 5280 §5.1)");
    std::set<std::string> seen;
    while (!exts.done()) {
        der::Reader fields(exts.read(der::Sequence, "Extension"), what);
        Certificate::Extension ext;
        ext.oid = der::objectIdentifier(fields.read(der::ObjectIdentifier, "extnID"), "extnID");
        ext.name = oid::name(ext.oid);
        if (auto critical = fields.readOptional(der::Boolean, "critical"))
            ext.critical = der::boolean(*critical, ext.name + ".critical");
        const der::Element value = fields.read(der::OctetString, "extnValue");
        fields.expectDone("");
        ext.value.assign(value.contents.begin(), value.contents.end());
        if (!seen.insert(ext.oid).second)
            bad("extension " + ext.name + " appears twice in " + what);
        out.push_back(std::move(ext));
    }
    return out;
}

constexpr std::uint8_t kEnumerated = 0x0a; // X.680 §8.4 universal tag 10

Crl parseCrl(ByteView input)
{
    Crl c;
    der::Reader top(input, "CRL");
    const der::Element listEl = top.read(der::Sequence, "");
    top.expectDone("after the CRL");
    der::Reader list(listEl, "CertificateList");
    const der::Element tbsEl = list.read(der::Sequence, "tbsCertList");
    const der::Element sigAlgEl = list.read(der::Sequence, "signatureAlgorithm");
    const der::Element sigEl = list.read(der::BitString, "signatureValue");
    list.expectDone("");
    c.der = listEl.bytes();
    c.tbsDer = tbsEl.bytes();
    c.signatureAlgorithmOid = algorithmOid(sigAlgEl, "signatureAlgorithm");
    c.signatureAlgorithm = oid::name(c.signatureAlgorithmOid);
    c.signature = der::octetAlignedBitString(sigEl, "signatureValue");

    der::Reader tbs(tbsEl, "tbsCertList");
    // RFC 5280 §5.1.2.1: version is absent (v1) or v2, an untagged INTEGER 1.
    if (auto v = tbs.readOptional(der::Integer, "version"))
        c.version = static_cast<int>(der::smallUnsigned(*v, 1, "version")) + 1;
    const der::Element innerAlg = tbs.read(der::Sequence, "signature");
    // §5.1.1.2: signatureAlgorithm MUST equal tbsCertList.signature, or the unsigned outer one could be swapped.
    if (!std::equal(innerAlg.whole.begin(), innerAlg.whole.end(), sigAlgEl.whole.begin(), sigAlgEl.whole.end()))
        bad("tbsCertList.signature differs from signatureAlgorithm (RFC 5280 §5.1.1.2)");
    c.issuer = parseDistinguishedName(tbs.read(der::Sequence, "issuer").whole, "CRL issuer");
    // §5.1.2.3: the issuer MUST be a non-empty name.
    if (c.issuer.attributes.empty())
        bad("the issuer name is empty (RFC 5280 §5.1.2.3)");
    c.thisUpdate = der::time(tbs.read("thisUpdate"), "thisUpdate");
    if (tbs.peek(der::UtcTime) || tbs.peek(der::GeneralizedTime))
        c.nextUpdate = der::time(tbs.read("nextUpdate"), "nextUpdate");
    if (auto revokedEl = tbs.readOptional(der::Sequence, "revokedCertificates")) {
        der::Reader revoked(*revokedEl, "revokedCertificates");
        // §5.1.2.6: when there are no revoked certificates the list is left out, never empty.
        if (revoked.done())
            bad("revokedCertificates is present but empty (RFC 5280 §5.1.2.6)");
        while (!revoked.done()) {
            der::Reader entry(revoked.read(der::Sequence, "revoked certificate"), "revoked certificate");
            Crl::Entry e;
            e.serial = der::integerContents(entry.read(der::Integer, "userCertificate"), "userCertificate");
            e.revocationDate = der::time(entry.read("revocationDate"), "revocationDate");
            if (auto extsEl = entry.readOptional(der::Sequence, "crlEntryExtensions")) {
                if (c.version != 2)
                    bad("entry extensions in a version 1 CRL (RFC 5280 §5.1.2.6)");
                for (const Certificate::Extension& x : readExtensions(*extsEl, "crlEntryExtensions")) {
                    if (x.oid != oid::CrlReason)
                        continue;
                    der::Reader r(x.value, "cRLReason");
                    const der::Element reason = r.read(kEnumerated, "reason");
                    r.expectDone("");
                    // §5.3.1: values 0 to 10; one contents octet, as DER writes a small ENUMERATED.
                    if (reason.contents.size() != 1 || reason.contents[0] > 10)
                        bad("cRLReason is not one of the values RFC 5280 §5.3.1 defines");
                    e.reason = static_cast<RevocationReason>(reason.contents[0]);
                }
            }
            entry.expectDone("");
            c.revoked.push_back(std::move(e));
        }
    }
    if (auto wrapperEl = tbs.readOptional(der::contextTag(0, true), "crlExtensions")) {
        // §5.1.2.7: crlExtensions only in a v2 CRL.
        if (c.version != 2)
            bad("extensions in a version 1 CRL (RFC 5280 §5.1.2.7)");
        der::Reader wrapper(*wrapperEl, "crlExtensions");
        const der::Element listOfExts = wrapper.read(der::Sequence, "");
        wrapper.expectDone("");
        c.extensions = readExtensions(listOfExts, "crlExtensions");
    }
    tbs.expectDone("");

    for (const Certificate::Extension& x : c.extensions) {
        if (x.oid == oid::CrlNumber) {
            der::Reader r(x.value, "cRLNumber");
            c.crlNumber = der::smallUnsigned(r.read(der::Integer, "cRLNumber"), UINT64_MAX, "cRLNumber");
            r.expectDone("");
        } else if (x.oid == oid::AuthorityKeyIdentifier) {
            der::Reader outer(x.value, "authorityKeyIdentifier");
            der::Reader aki(outer.read(der::Sequence, ""), "authorityKeyIdentifier");
            if (auto id = aki.readOptional(der::contextTag(0, false), "keyIdentifier"))
                c.authorityKeyId.assign(id->contents.begin(), id->contents.end());
        }
    }
    return c;
}

} // namespace

std::string revocationReasonName(RevocationReason reason)
{
    switch (reason) {
    case RevocationReason::Unspecified:
        return "unspecified";
    case RevocationReason::KeyCompromise:
        return "keyCompromise";
    case RevocationReason::CaCompromise:
        return "cACompromise";
    case RevocationReason::AffiliationChanged:
        return "affiliationChanged";
    case RevocationReason::Superseded:
        return "superseded";
    case RevocationReason::CessationOfOperation:
        return "cessationOfOperation";
    case RevocationReason::CertificateHold:
        return "certificateHold";
    case RevocationReason::RemoveFromCrl:
        return "removeFromCRL";
    case RevocationReason::PrivilegeWithdrawn:
        return "privilegeWithdrawn";
    case RevocationReason::AaCompromise:
        return "aACompromise";
    }
    return "reason " + std::to_string(static_cast<int>(reason));
}

Crl Crl::parse(ByteView der)
{
    try {
        return parseCrl(der);
    } catch (const der::Error& e) {
        const std::string what = e.what();
        throw std::invalid_argument(what.rfind("CRL", 0) == 0 ? what : "CRL: " + what);
    }
}

const Crl::Entry* Crl::find(ByteView serial) const
{
    for (const Entry& e : revoked)
        if (std::equal(e.serial.begin(), e.serial.end(), serial.begin(), serial.end()))
            return &e;
    return nullptr;
}

std::string Crl::summary() const
{
    return "the CRL of " + issuer.toString() + " issued " + formatTime(thisUpdate);
}

std::vector<Crl> parseCrlsPem(std::string_view pemText)
{
    std::vector<Crl> out;
    for (const Bytes& der : pemDecodeAll(pemText, "X509 CRL"))
        out.push_back(Crl::parse(der));
    return out;
}

} // namespace hl
