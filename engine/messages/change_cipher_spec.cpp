// ChangeCipherSpec (RFC 5246 §7.1): `struct { enum { change_cipher_spec(1), (255) } type; }`.
#include "messages/change_cipher_spec.h"

namespace hl {

ChangeCipherSpec ChangeCipherSpec::decode(ByteView fragment, std::vector<Field>* fields, std::size_t baseOffset)
{
    Reader r(fragment, "ChangeCipherSpec", fields, baseOffset);
    ChangeCipherSpec m;
    m.value = r.u8("type", "the signal that every later record from this sender uses the new keys");
    r.describe(m.value == 1 ? std::string("change_cipher_spec (1)") : "unknown (" + std::to_string(m.value) + ")");
    r.expectDone();
    // RFC 5246 names no alert for a wrong value. RFC 8446 §5 does, for the same one-byte record: "any other
    // change_cipher_spec value ... MUST abort the handshake with an unexpected_message alert". We follow it:
    // the length is a framing fault (decode_error above), but a well-formed record with another value is not a
    // ChangeCipherSpec at all, i.e. a message the state machine cannot expect.
    if (m.value != 1)
        throw TlsError(AlertDescription::UnexpectedMessage,
                       "ChangeCipherSpec: value " + std::to_string(m.value) + " is not change_cipher_spec (1)");
    return m;
}

} // namespace hl
