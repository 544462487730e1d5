// Certificate (RFC 5246 §7.4.2).
#include "messages/certificate.h"

#include "messages/field_text.h"

namespace hl {

CertificateMessage CertificateMessage::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset)
{
    Reader r(body, "Certificate", fields, baseOffset);
    CertificateMessage m;
    Reader list = r.sub(3, 0, 0xffffff, "certificate_list",
                        "the sender's certificate first, then the CA certificates that vouch for it, in order");
    for (std::size_t i = 0; !list.done(); ++i) {
        m.certificateList.push_back(
            list.vec(3, 1, 0xffffff, "certificate[" + std::to_string(i) + "]",
                     i == 0 ? "the sender's own certificate (the leaf): its name and public key, signed by a CA"
                            : "a CA certificate that signed the one before it, leading towards a trusted root"));
        list.describe("X.509 DER, " + fieldtext::byteCount(m.certificateList.back().size()));
    }
    r.describe(m.certificateList.empty() ? std::string("empty (no certificate)")
                                         : fieldtext::counted(m.certificateList.size(), "certificate", "certificates"));
    r.expectDone();
    return m;
}

Bytes CertificateMessage::serialize() const
{
    Writer w;
    w.prefixed(3, [&](Writer& list) {
        for (const Bytes& der : certificateList)
            list.vec(3, der);
    });
    return w.take();
}

} // namespace hl
