// Finished (RFC 5246 §7.4.9): the first protected message, proving both sides saw the same handshake.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <vector>

namespace hl {

struct Finished {
    static constexpr HandshakeType kType = HandshakeType::Finished;
    // RFC 5246 §7.4.9: verify_data_length is 12 unless a cipher suite says otherwise (none of ours does).
    static constexpr std::size_t kVerifyDataLength = 12;

    Bytes verifyData; // the whole body

    // A body of any other length than verifyDataLength is decode_error.
    static Finished decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0,
                           std::size_t verifyDataLength = kVerifyDataLength);
    Bytes serialize() const { return verifyData; }

    bool operator==(const Finished&) const = default;
};

} // namespace hl
