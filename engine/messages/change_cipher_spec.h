// ChangeCipherSpec (RFC 5246 §7.1): its own record type, not a handshake message; the sender switches to the
// newly negotiated keys for everything it sends after it.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hl {

struct ChangeCipherSpec {
    static constexpr ContentType kContentType = ContentType::ChangeCipherSpec;

    std::uint8_t value = 1; // change_cipher_spec(1), the only defined value

    // `fragment` is the whole record fragment. A length other than 1 is decode_error; a value other than 1 is
    // unexpected_message (see the .cpp for why).
    static ChangeCipherSpec decode(ByteView fragment, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    Bytes serialize() const { return {value}; }

    bool operator==(const ChangeCipherSpec&) const = default;
};

} // namespace hl
