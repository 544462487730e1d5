// CertificateRequest (RFC 5246 §7.4.4): the server asks the client to authenticate with a certificate.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hl {

struct CertificateRequest {
    static constexpr HandshakeType kType = HandshakeType::CertificateRequest;

    std::vector<std::uint8_t> certificateTypes;  // ClientCertificateType values, 1..255 of them
    // TLS 1.2 only (RFC 5246 §7.4.4); earlier versions have no such list.
    ProtocolVersion version = kTls12;
    std::vector<std::uint16_t> signatureSchemes; // 1..32767 SignatureAndHashAlgorithm values
    std::vector<Bytes> certificateAuthorities;   // DER DistinguishedNames, each 1..2^16-1 bytes; may be empty

    static CertificateRequest decode(ByteView body, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0,
                                     ProtocolVersion version = kTls12);
    // Writes what it is given (decode enforces the bounds); std::length_error when a list overflows its prefix.
    Bytes serialize() const;

    bool operator==(const CertificateRequest&) const = default;
};

} // namespace hl
