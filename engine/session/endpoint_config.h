// What a client or server is configured with: the protocol options a scenario chooses, its identity, and the
// world it is given (clock, randomness, trace). Versions and suites are parameters, never constants in code.
#pragma once

#include "common/protocol.h"
#include "crypto/keys.h"
#include "x509/certificate.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hl {

// A certificate chain (leaf first) with the private key of its leaf.
struct Credential {
    std::vector<Certificate> chain;
    PrivateKey key;
};

enum class ClientAuthMode { None, Request, Require };

struct EndpointConfig {
    ProtocolVersion version = kTls12;
    // Client: the suites offered, in preference order. Server: the suites accepted, in the server's preference
    // order (the server's order wins, as with OpenSSL's SSL_OP_CIPHER_SERVER_PREFERENCE).
    std::vector<std::uint16_t> cipherSuites;
    std::vector<std::uint16_t> groups{static_cast<std::uint16_t>(NamedGroup::X25519),
                                      static_cast<std::uint16_t>(NamedGroup::Secp256r1),
                                      static_cast<std::uint16_t>(NamedGroup::Ffdhe2048)};
    std::vector<std::uint16_t> signatureSchemes{
        static_cast<std::uint16_t>(SignatureScheme::EcdsaSecp256r1Sha256),
        static_cast<std::uint16_t>(SignatureScheme::RsaPssRsaeSha256),
        static_cast<std::uint16_t>(SignatureScheme::RsaPkcs1Sha256),
        static_cast<std::uint16_t>(SignatureScheme::RsaPkcs1Sha384),
        static_cast<std::uint16_t>(SignatureScheme::RsaPkcs1Sha512),
        static_cast<std::uint16_t>(SignatureScheme::RsaPkcs1Sha1),
        static_cast<std::uint16_t>(SignatureScheme::EcdsaSha1),
    };
    // Server: one credential per key type (the suite decides which is used). Client: for client authentication.
    std::vector<Credential> credentials;
    // Client: roots for the server's chain. Server: roots for client certificates.
    std::vector<Certificate> trustAnchors;
    // Client: sent as server_name (RFC 6066) and checked against the certificate.
    std::optional<std::string> serverName;
    bool verifyPeer = true;
    ClientAuthMode clientAuth = ClientAuthMode::None;
    bool extendedMasterSecret = true; // RFC 7627
    bool secureRenegotiation = true;  // RFC 5746: send / answer renegotiation_info
    std::int64_t now = 0;             // Unix seconds; the injected clock for certificate validity
};

} // namespace hl
