// CertificateVerify (RFC 5246 §7.4.8).
#include "messages/certificate_verify.h"

#include "messages/field_text.h"

namespace hl {

CertificateVerify CertificateVerify::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset,
                                            ProtocolVersion version)
{
    Reader r(body, "CertificateVerify", fields, baseOffset);
    CertificateVerify m;
    m.version = version;
    if (version >= kTls12) {
        m.signatureScheme = r.u16("algorithm", "the hash and signature algorithm the client signed with");
        r.describe(fieldtext::signatureScheme(m.signatureScheme));
    }
    m.signature = r.vec(2, 0, 0xffff, "signature",
                        "the client's signature over every handshake message so far, made with its certificate's key");
    if (m.signature.empty())
        r.describe("empty");
    r.expectDone();
    return m;
}

Bytes CertificateVerify::serialize() const
{
    Writer w;
    if (version >= kTls12)
        w.u16(signatureScheme);
    w.vec(2, signature);
    return w.take();
}

} // namespace hl
