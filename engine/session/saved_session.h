// What is kept of a finished handshake so that a later connection can skip the key exchange (RFC 5246 §7.3,
// "resume a previous session"; RFC 5077 for the ticket): the client carries one in EndpointConfig::resumeSession,
// the server keeps them in a SessionCache.
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"

#include <cstdint>
#include <vector>

namespace hl {

struct SavedSession {
    Bytes sessionId;     // the server's 1..32-byte name for it, from ServerHello (may be empty with a ticket)
    Bytes masterSecret;  // 48 bytes: every key of a resumed connection is derived from it and the new randoms
    std::uint16_t cipherSuite = 0;
    ProtocolVersion version = 0;
    bool extendedMasterSecret = false; // RFC 7627 §5.3: such a session resumes only with the extension again
    std::vector<Bytes> peerCertificates; // DER, leaf first: what the peer presented in the full handshake
    Bytes ticket;                        // RFC 5077: the server's encrypted copy of this state; empty when none
    std::int64_t createdAt = 0;          // Unix seconds, from the injected clock of the full handshake
    std::uint32_t ticketLifetimeHint = 0; // RFC 5077 §3.3: seconds the server said the ticket is worth keeping
    bool operator==(const SavedSession&) const = default;
};

} // namespace hl
