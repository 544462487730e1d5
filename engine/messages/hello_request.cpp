// HelloRequest (RFC 5246 §7.4.1.1): `struct { } HelloRequest;`.
#include "messages/hello_request.h"

namespace hl {

HelloRequest HelloRequest::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset)
{
    const Reader r(body, "HelloRequest", fields, baseOffset);
    r.expectDone();
    return {};
}

} // namespace hl
