// Every handshake message decoder as the trace and the panels call it: the first byte picks the message type (and
// the key exchange kind and version for the layouts that depend on them), the rest is the body. describeHandshake()
// and handshakeSummary() promise never to throw: any exception is a finding.
#include "messages/describe.h"

#include <array>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace hl;
    if (size < 2)
        return 0;
    static constexpr std::array<ProtocolVersion, 4> kVersions{kSsl30, kTls10, kTls11, kTls12};
    const std::uint8_t type = data[0];
    const ProtocolVersion version = kVersions[data[1] & 3];
    std::optional<KeyExchangeKind> kind;
    if (data[1] & 4)
        kind = static_cast<KeyExchangeKind>((data[1] >> 3) % 4);
    const ByteView body(data + 2, size - 2);
    (void)describeHandshake(type, body, 0, kind, version);
    (void)handshakeSummary(type, body, kind, version);
    return 0;
}
