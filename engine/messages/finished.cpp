// Finished (RFC 5246 §7.4.9): `opaque verify_data[verify_data_length]`.
#include "messages/finished.h"

namespace hl {

Finished Finished::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset,
                          std::size_t verifyDataLength)
{
    Reader r(body, "Finished", fields, baseOffset);
    // A fixed-size field has no length of its own, so the body length is the only check there is.
    if (body.size() != verifyDataLength)
        throw TlsError(AlertDescription::DecodeError, "Finished: verify_data is " + std::to_string(body.size()) +
                                                          " bytes, expected " + std::to_string(verifyDataLength) +
                                                          " (RFC 5246 §7.4.9)");
    Finished m;
    m.verifyData = r.fixed(verifyDataLength, "verify_data",
                           "PRF(master_secret, label, hash of every handshake message so far): matches only if both "
                           "sides saw the same messages and know the same master secret");
    r.expectDone();
    return m;
}

} // namespace hl
