// CertificateStatus (RFC 6066 §8).
#include "messages/certificate_status.h"

#include "messages/field_text.h"
#include "x509/ocsp.h"

namespace hl {

namespace {
// One line about a response for the field tree; the client's checks come later, in the trace.
std::string responseSummary(ByteView der)
{
    try {
        const OcspResponse r = OcspResponse::parse(der);
        if (r.responseStatus != 0)
            return "OCSP response, " + ocspResponseStatusName(r.responseStatus);
        const OcspResponse::Single& s = r.responses.front();
        std::string out = "OCSP response: " + ocspCertStatusName(s.status) + ", this update " + formatTime(s.thisUpdate);
        if (s.nextUpdate)
            out += ", next update " + formatTime(*s.nextUpdate);
        return out;
    } catch (const std::invalid_argument& e) {
        return std::string("unreadable OCSP response (") + e.what() + ")";
    }
}
} // namespace

CertificateStatus CertificateStatus::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset)
{
    Reader r(body, "CertificateStatus", fields, baseOffset);
    CertificateStatus m;
    m.statusType = r.u8("status_type", "what kind of status follows; 1 is ocsp, the only kind RFC 6066 defines");
    if (m.statusType != kOcsp)
        throw TlsError(AlertDescription::DecodeError,
                       "CertificateStatus: status_type " + std::to_string(m.statusType) +
                           " is not ocsp (1), the only type RFC 6066 §8 defines");
    r.describe("ocsp (1)");
    m.response = r.vec(3, 1, 0xffffff, "response",
                       "a DER OCSPResponse signed by the certificate's CA, saying whether it is revoked (RFC 6960)");
    if (fields)
        r.describe(responseSummary(m.response) + ", " + fieldtext::byteCount(m.response.size()));
    r.expectDone();
    return m;
}

Bytes CertificateStatus::serialize() const
{
    Writer w;
    w.u8(statusType);
    w.vec(3, response);
    return w.take();
}

} // namespace hl
