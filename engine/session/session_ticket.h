// Session tickets (RFC 5077): the server seals a session's state under its own ticket key and gives it to the client,
// which hands it back to resume; the server keeps nothing per session. The layout is RFC 5077 §4's recommendation.
#pragma once

#include "session/saved_session.h"

#include <cryptopp/cryptlib.h>

#include <optional>
#include <string>

namespace hl {

// The server's ticket key. RFC 5077 §4 recommends AES-128-CBC with HMAC-SHA-256, encrypt-then-MAC, and a key name in
// the clear so that a server holding several keys (or rotating them) knows which one sealed a ticket. We follow that
// layout rather than AES-GCM because it is the one the RFC describes and OpenSSL uses (with AES-256), so a student
// comparing a capture of either sees the same fields; and because the MAC is checked over the whole ticket before
// anything is decrypted, a tampered ticket is refused without its contents ever being looked at.
struct TicketKey {
    Bytes name;    // key_name: 16 bytes, sent in the clear at the start of every ticket
    Bytes aesKey;  // 16 bytes: AES-128-CBC
    Bytes hmacKey; // 32 bytes: HMAC-SHA-256
    static TicketKey generate(CryptoPP::RandomNumberGenerator& rng);
    bool operator==(const TicketKey&) const = default;
};

// Seals the state a resumption needs (version, suite, master secret, extended master secret, the client's
// certificates, creation time and lifetime hint) into a ticket: key_name[16] || IV[16] || encrypted_state<0..2^16-1>
// || mac[32]. The IV comes from `rng`. The session ID is not part of the state: a ticket names no session.
Bytes sealTicket(const TicketKey& key, const SavedSession& state, CryptoPP::RandomNumberGenerator& rng);

struct OpenedTicket {
    enum class Status {
        Ok,
        Malformed,  // too short, or its lengths do not add up: not a ticket of this layout
        UnknownKey, // key_name is not this server's key: another server, or a key since rotated away
        BadMac,     // the MAC does not verify: the ticket was changed after the server sealed it
        BadState,   // the MAC verifies but the decrypted state does not parse (a server bug, never a client's doing)
    };
    Status status = Status::Malformed;
    std::optional<SavedSession> session; // only when Ok; sessionId empty, ticket set to the ticket opened
    std::string detail;                  // why, when not Ok
};
// Checks the MAC before decrypting anything (RFC 5077 §4: "the ticket MUST be authenticated before it is used").
OpenedTicket openTicket(const TicketKey& key, ByteView ticket);

} // namespace hl
