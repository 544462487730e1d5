// Handshake message framing (RFC 5246 §7.4): msg_type + u24 length + body, carried by one or more records.
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace hl {

// type(1) + length(3) + body. Throws std::length_error when the body exceeds 2^24-1 bytes.
Bytes frameHandshake(HandshakeType type, ByteView body);

struct HandshakeFrame {
    std::uint8_t type = 0; // raw, so an unknown type reaches the state machine to be refused there
    Bytes body;
    std::size_t offset = 0; // of the 4-byte header in the stream of all bytes given to add()

    bool operator==(const HandshakeFrame&) const = default;
};

// RFC 5246 §6.2.1: handshake messages are a byte stream over records; one message may span several records and
// one record may hold several messages. add() each handshake record's plaintext; next() yields each message
// once all its bytes have arrived.
class HandshakeReassembler {
public:
    // Bodies above this are decode_error as soon as the header arrives, so a lying length cannot make us
    // buffer 16 MiB. The u24 allows 2^24-1, but a real certificate chain is a few KiB (OpenSSL's default
    // max_cert_list is 100 KiB); 1 MiB leaves room for any sensible chain.
    static constexpr std::size_t kMaxBodyLength = std::size_t{1} << 20;

    void add(ByteView recordPlaintext);
    // Throws TlsError(DecodeError) when a header claims more than kMaxBodyLength.
    std::optional<HandshakeFrame> next();
    // True when no partial message is buffered. RFC 5246 §6.2.1 forbids interleaving other record types
    // inside a handshake message, so the record layer checks this before accepting a ChangeCipherSpec.
    bool empty() const { return m_buffer.empty(); }
    // Bytes given to add() so far: lets a caller turn a frame's stream offset into an offset in its record.
    std::size_t received() const { return m_consumed + m_buffer.size(); }

private:
    Bytes m_buffer;             // received but not yet returned by next()
    std::size_t m_consumed = 0; // stream offset of m_buffer[0]
};

} // namespace hl
