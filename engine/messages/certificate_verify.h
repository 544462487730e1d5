// CertificateVerify (RFC 5246 §7.4.8): the client proves it holds the key of the certificate it sent.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hl {

struct CertificateVerify {
    static constexpr HandshakeType kType = HandshakeType::CertificateVerify;

    // TLS 1.2 digitally-signed (RFC 5246 §4.7) over all handshake messages so far. Before TLS 1.2 there is no
    // algorithm field: the key's type decides (RFC 2246 §7.4.8), and signatureScheme stays 0.
    ProtocolVersion version = kTls12;
    std::uint16_t signatureScheme = 0;
    Bytes signature; // <0..2^16-1>

    static CertificateVerify decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0,
                                    ProtocolVersion version = kTls12);
    Bytes serialize() const;

    bool operator==(const CertificateVerify&) const = default;
};

} // namespace hl
