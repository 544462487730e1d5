// ServerHello (RFC 5246 §7.4.1.3).
#include "messages/server_hello.h"

#include "messages/field_text.h"

#include <stdexcept>

namespace hl {

ServerHello ServerHello::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset)
{
    Reader r(body, "ServerHello", fields, baseOffset);
    ServerHello m;
    m.serverVersion =
        r.u16("server_version", "the version both sides will use: the client's highest that the server also speaks");
    r.describe(fieldtext::version(m.serverVersion));
    m.random =
        r.fixed(32, "random",
                "32 fresh bytes from the server; with the client's random they make this handshake's keys unique");
    m.sessionId = r.vec(1, 0, 32, "session_id",
                        "the ID under which this session can be resumed later; the client's own ID when resuming");
    if (m.sessionId.empty())
        r.describe("empty (the server will not cache this session)");
    m.cipherSuite = r.u16("cipher_suite", "the one suite the server chose from the client's list");
    r.describe(fieldtext::cipherSuite(m.cipherSuite));
    m.compressionMethod = r.u8("compression_method", "the compression the server chose; null means none");
    r.describe(fieldtext::compressionMethod(m.compressionMethod));
    // RFC 5246 §7.4.1.3 / §7.4.1.4: extensions are optional and follow compression_method when present.
    m.hasExtensionBlock = !r.done();
    if (m.hasExtensionBlock) {
        m.extensions = decodeExtensions(r);
        r.describe(fieldtext::counted(m.extensions.size(), "extension", "extensions"));
    }
    r.expectDone();
    return m;
}

Bytes ServerHello::serialize() const
{
    if (random.size() != 32)
        throw std::invalid_argument("ServerHello: random must be 32 bytes, not " + std::to_string(random.size()));
    if (!hasExtensionBlock && !extensions.empty())
        throw std::invalid_argument("ServerHello: extensions given but hasExtensionBlock is false");
    Writer w;
    w.u16(serverVersion);
    w.bytes(random);
    w.vec(1, sessionId);
    w.u16(cipherSuite);
    w.u8(compressionMethod);
    if (hasExtensionBlock)
        encodeExtensions(w, extensions);
    return w.take();
}

} // namespace hl
