// ClientHello (RFC 5246 §7.4.1.2).
#include "messages/client_hello.h"

#include "messages/field_text.h"

#include <stdexcept>

namespace hl {

ClientHello ClientHello::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset)
{
    Reader r(body, "ClientHello", fields, baseOffset);
    ClientHello m;
    m.clientVersion = r.u16("client_version", "the newest protocol version this client can speak");
    r.describe(fieldtext::version(m.clientVersion));
    m.random = r.fixed(32, "random",
                       "32 fresh bytes from the client; they make this handshake's keys unique even if everything "
                       "else repeats");
    m.sessionId = r.vec(1, 0, 32, "session_id",
                        "empty for a new session, or the ID of an earlier session the client would like to resume");
    if (m.sessionId.empty())
        r.describe("empty (new session)");

    Reader suites = r.sub(2, 2, 0xfffe, "cipher_suites",
                          "the cipher suites the client supports, most preferred first; the server picks one");
    fieldtext::requireEven(suites, "cipher_suites");
    for (std::size_t i = 0; !suites.done(); ++i) {
        m.cipherSuites.push_back(suites.u16("cipher_suite[" + std::to_string(i) + "]",
                                            i == 0 ? "the client's first choice" : "another suite the client accepts"));
        suites.describe(fieldtext::cipherSuite(m.cipherSuites.back()));
    }
    r.describe(fieldtext::counted(m.cipherSuites.size(), "suite", "suites"));

    Reader methods = r.sub(1, 1, 0xff, "compression_methods",
                           "compression the client accepts; only null (none) is used since the CRIME attack");
    m.compressionMethods.clear();
    for (std::size_t i = 0; !methods.done(); ++i) {
        m.compressionMethods.push_back(methods.u8("compression_method[" + std::to_string(i) + "]", "one method"));
        methods.describe(fieldtext::compressionMethod(m.compressionMethods.back()));
    }
    r.describe(fieldtext::counted(m.compressionMethods.size(), "method", "methods"));

    // RFC 5246 §7.4.1.2: "the presence of extensions can be detected by determining whether there are bytes
    // following the compression_methods at the end of the ClientHello".
    m.hasExtensionBlock = !r.done();
    if (m.hasExtensionBlock) {
        m.extensions = decodeExtensions(r);
        r.describe(fieldtext::counted(m.extensions.size(), "extension", "extensions"));
    }
    r.expectDone();
    return m;
}

Bytes ClientHello::serialize() const
{
    if (random.size() != 32)
        throw std::invalid_argument("ClientHello: random must be 32 bytes, not " + std::to_string(random.size()));
    if (!hasExtensionBlock && !extensions.empty())
        throw std::invalid_argument("ClientHello: extensions given but hasExtensionBlock is false");
    Writer w;
    w.u16(clientVersion);
    w.bytes(random);
    w.vec(1, sessionId);
    w.prefixed(2, [&](Writer& list) {
        for (std::uint16_t s : cipherSuites)
            list.u16(s);
    });
    w.vec(1, compressionMethods);
    if (hasExtensionBlock)
        encodeExtensions(w, extensions);
    return w.take();
}

} // namespace hl
