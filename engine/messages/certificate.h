// Certificate (RFC 5246 §7.4.2, §7.4.6): the sender's certificate chain, leaf first.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <vector>

namespace hl {

struct CertificateMessage {
    static constexpr HandshakeType kType = HandshakeType::Certificate;

    // DER certificates, the sender's own first, each one certified by the next. Empty is legal only from a
    // client that was asked for a certificate and has none (RFC 5246 §7.4.6); the state machine checks that.
    std::vector<Bytes> certificateList;

    static CertificateMessage decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    // Writes what it is given (decode enforces the bounds); std::length_error when an entry exceeds 2^24-1.
    Bytes serialize() const;

    bool operator==(const CertificateMessage&) const = default;
};

} // namespace hl
