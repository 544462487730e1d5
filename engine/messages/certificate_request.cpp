// CertificateRequest (RFC 5246 §7.4.4).
#include "messages/certificate_request.h"

#include "messages/field_text.h"

namespace hl {

CertificateRequest CertificateRequest::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset,
                                              ProtocolVersion version)
{
    Reader r(body, "CertificateRequest", fields, baseOffset);
    CertificateRequest m;
    m.version = version;

    Reader types = r.sub(1, 1, 0xff, "certificate_types", "the kinds of client key the server can verify");
    for (std::size_t i = 0; !types.done(); ++i) {
        m.certificateTypes.push_back(types.u8("certificate_type[" + std::to_string(i) + "]", "one acceptable kind"));
        types.describe(fieldtext::certificateType(m.certificateTypes.back()));
    }
    r.describe(fieldtext::counted(m.certificateTypes.size(), "type", "types"));

    if (version >= kTls12) {
        Reader schemes = r.sub(2, 2, 0xfffe, "supported_signature_algorithms",
                               "the signatures the server accepts in the client's CertificateVerify and certificates");
        fieldtext::requireEven(schemes, "supported_signature_algorithms");
        for (std::size_t i = 0; !schemes.done(); ++i) {
            m.signatureSchemes.push_back(
                schemes.u16("signature_algorithm[" + std::to_string(i) + "]", "one hash and signature pair"));
            schemes.describe(fieldtext::signatureScheme(m.signatureSchemes.back()));
        }
        r.describe(fieldtext::counted(m.signatureSchemes.size(), "algorithm", "algorithms"));
    }

    Reader cas = r.sub(2, 0, 0xffff, "certificate_authorities",
                       "names of the CAs the server trusts for client certificates; empty means any");
    for (std::size_t i = 0; !cas.done(); ++i) {
        m.certificateAuthorities.push_back(cas.vec(2, 1, 0xffff, "distinguished_name[" + std::to_string(i) + "]",
                                                   "a CA's name, as a DER-encoded X.501 DistinguishedName"));
        cas.describe("DER, " + fieldtext::byteCount(m.certificateAuthorities.back().size()));
    }
    r.describe(m.certificateAuthorities.empty() ? std::string("empty (any CA)")
                                                : fieldtext::counted(m.certificateAuthorities.size(), "name", "names"));
    r.expectDone();
    return m;
}

Bytes CertificateRequest::serialize() const
{
    Writer w;
    w.vec(1, certificateTypes);
    if (version >= kTls12)
        w.prefixed(2, [&](Writer& list) {
            for (std::uint16_t s : signatureSchemes)
                list.u16(s);
        });
    w.prefixed(2, [&](Writer& list) {
        for (const Bytes& dn : certificateAuthorities)
            list.vec(2, dn);
    });
    return w.take();
}

} // namespace hl
