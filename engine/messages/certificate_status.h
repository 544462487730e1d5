// CertificateStatus (RFC 6066 §8): the OCSP response a server staples after its Certificate, when the client asked
// for one with the status_request extension and the server agreed in its ServerHello.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hl {

struct CertificateStatus {
    static constexpr HandshakeType kType = HandshakeType::CertificateStatus;
    static constexpr std::uint8_t kOcsp = 1; // CertificateStatusType ocsp (RFC 6066 §8)

    std::uint8_t statusType = kOcsp;
    Bytes response; // a DER OCSPResponse (RFC 6960 §4.2.1), <1..2^24-1>

    // decode_error for a status type other than ocsp, an empty response or trailing bytes. When recording, the
    // response's own fields (status, thisUpdate, nextUpdate) are described when it parses.
    static CertificateStatus decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    Bytes serialize() const;

    bool operator==(const CertificateStatus&) const = default;
};

} // namespace hl
