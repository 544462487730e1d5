// NewSessionTicket (RFC 5077 §3.3): the server hands the client its session state, encrypted under a key only the
// server knows, so that the server need not remember the session itself.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hl {

struct NewSessionTicket {
    static constexpr HandshakeType kType = HandshakeType::NewSessionTicket;

    std::uint32_t lifetimeHint = 0; // seconds the client may keep the ticket; 0: unspecified (RFC 5077 §3.3)
    Bytes ticket;                   // opaque to the client: <0..2^16-1>

    static NewSessionTicket decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    Bytes serialize() const;

    bool operator==(const NewSessionTicket&) const = default;
};

} // namespace hl
