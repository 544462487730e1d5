// What a client or server is configured with: the protocol options a scenario chooses, its identity, and the
// world it is given (clock, randomness, trace). Versions and suites are parameters, never constants in code.
#pragma once

#include "common/protocol.h"
#include "crypto/keys.h"
#include "session/directory.h"
#include "session/saved_session.h"
#include "session/session_cache.h"
#include "session/session_ticket.h"
#include "x509/certificate.h"
#include "x509/crl.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hl {

// A certificate chain (leaf first) with the private key of its leaf.
struct Credential {
    std::vector<Certificate> chain;
    PrivateKey key;
    // Server: a DER OCSP response about the leaf from its CA, stapled in CertificateStatus when the client asks
    // (RFC 6066 §8). Empty: nothing to staple.
    Bytes ocspResponse;
};

enum class ClientAuthMode { None, Request, Require };

// What a side does when its peer asks for a new handshake on an established connection: a server's HelloRequest
// reaching a client, a client's new ClientHello reaching a server (RFC 5246 §7.4.1.1, RFC 5746).
enum class RenegotiationPolicy {
    Refuse,        // answer with a no_renegotiation warning and go on with the old keys (RFC 5246 §7.4.1.2)
    Ignore,        // a client says nothing and goes on (RFC 5246 §7.4.1.1 allows it); a server refuses as above
    Allow,         // renegotiate, but only when both sides sent renegotiation_info on every handshake (RFC 5746)
    AllowInsecure, // renegotiate with a legacy peer too: the 2009 splicing attack's precondition (RFC 5746 §1)
};

struct EndpointConfig {
    // The versions this side accepts. A client offers maxVersion (RFC 5246 App. E.1) and accepts any version in the
    // range; a server answers with the highest version both support.
    ProtocolVersion minVersion = kTls12;
    ProtocolVersion maxVersion = kTls12;
    // Client: the suites offered, in preference order. Server: the suites accepted, in the server's preference
    // order.
    std::vector<std::uint16_t> cipherSuites;
    // Server: whose order decides among the suites both accept: the server's (OpenSSL's
    // SSL_OP_CIPHER_SERVER_PREFERENCE, what servers configure today) or the client's (the TLS default).
    bool serverPreference = true;
    // Client: this connection is a retry with lowered versions after a failure; say so with TLS_FALLBACK_SCSV
    // (RFC 7507) so that a server able to do better refuses it.
    bool fallbackScsv = false;
    // Server: put RFC 8446 §4.1.3's "DOWNGRD" sentinel in ServerHello.random when negotiating below its best.
    // Client: refuse a ServerHello below TLS 1.2 that carries it, when the client itself offered TLS 1.2.
    bool downgradeSentinel = true;
    // SSL 3.0 and TLS 1.0 with CBC: send application data as a 1-byte record and then the rest (the "1/n-1 split"
    // browsers used against BEAST), so the IV of the record carrying the secret is no longer predictable.
    bool cbcRecordSplitting = false;
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
    // Revocation lists the peer's chain is checked against. Empty: revocation is not checked (OpenSSL's default);
    // otherwise the peer's own certificate must be covered by its issuer's CRL (see verifyChain).
    std::vector<Crl> crls;
    // Client: ask for the server certificate's status with status_request and check the OCSP response the server
    // staples (RFC 6066 §8). With requireCertificateStatus the client also refuses a server that staples none, as
    // a certificate with the TLS feature "status_request" (RFC 7633, "must-staple") demands.
    bool requestCertificateStatus = false;
    bool requireCertificateStatus = false;
    // Server: once a client's chain verifies, its user's entry is looked up here and the certificate must be stored in
    // it (userCertificate), or the client is refused with access_denied. Null: no directory check.
    std::shared_ptr<const Directory> directory;
    DirectoryMatch directoryMatch;
    // Client: sent as server_name (RFC 6066) and checked against the certificate.
    std::optional<std::string> serverName;
    bool verifyPeer = true;
    ClientAuthMode clientAuth = ClientAuthMode::None;
    bool extendedMasterSecret = true; // RFC 7627
    bool secureRenegotiation = true;  // RFC 5746: send / answer renegotiation_info
    // What a renegotiation started by the peer meets; this side may always start one itself (Connection::renegotiate)
    // as long as the same rules would let it continue.
    RenegotiationPolicy renegotiation = RenegotiationPolicy::Refuse;
    // Client: a renegotiation offers the connection's own session (when the server gave it an ID), so that a server
    // which still holds it answers with the abbreviated handshake (RFC 5246 §7.3, figure 2).
    bool renegotiationResumes = false;
    std::int64_t now = 0;             // Unix seconds; the injected clock for certificate validity and session age
    // Server: where sessions of full handshakes are kept so that a client can resume them (RFC 5246 §7.3). Every
    // connection a server accepts shares one cache. Null: nothing is cached and ServerHello's session_id is empty,
    // which tells the client not to bother offering it again.
    std::shared_ptr<SessionCache> sessionCache;
    std::size_t sessionCacheSize = 1024;   // sessions kept at most; the oldest goes first
    std::int64_t sessionLifetime = 7200;   // seconds a session may be resumed (OpenSSL's default; RFC 5246 §F.1.4
                                           // suggests no more than 24 hours)
    // Client: a session saved from an earlier connection, offered for resumption in ClientHello.
    std::optional<SavedSession> resumeSession;
    // Client: send the session_ticket extension (RFC 5077 §3.2): empty to ask for a ticket, or resumeSession's ticket
    // to resume by it. Off by default, so a run that does not ask for tickets keeps its bytes.
    bool sessionTickets = false;
    // Server: the key its tickets are sealed with. Null: no tickets (OpenSSL's -no_ticket); the server ignores the
    // client's session_ticket extension and resumes by session ID only. Shared, like the cache, by every connection.
    std::shared_ptr<const TicketKey> ticketKey;
    // Server: on a resumption from a ticket, seal the session again into a fresh ticket (RFC 5077 §3.1, figure 3's
    // NewSessionTicket); the session keeps its creation time, so renewing never stretches its lifetime.
    bool renewTickets = false;
};

} // namespace hl
