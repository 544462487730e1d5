// ServerHelloDone (RFC 5246 §7.4.5): `struct { } ServerHelloDone;`.
#include "messages/server_hello_done.h"

namespace hl {

ServerHelloDone ServerHelloDone::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset)
{
    const Reader r(body, "ServerHelloDone", fields, baseOffset);
    r.expectDone();
    return {};
}

} // namespace hl
