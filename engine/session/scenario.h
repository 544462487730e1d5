// A scenario: what a teacher picks to run. Protocol options, identities and the application data to exchange;
// the session turns it into a real handshake and a trace.
#pragma once

#include "session/endpoint_config.h"
#include "session/intercept_rules.h"
#include "trace/trace.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hl {

// How a scenario is meant to end: completed, or failed with this alert sent by this side.
struct Expectation {
    bool completed = true;
    std::uint8_t alert = 0; // when !completed
    Side alertFrom = Side::Server;
};

// What happens after the first connection closes (RFC 5246 §7.3): nothing, or a second connection that offers to
// resume the first one's session by its ID, or by the ticket the server issued (RFC 5077; the server then keeps no
// session cache at all).
enum class Resumption { None, SessionId, Ticket };
// How the second connection's offer is spoiled, to show the server falling back to a full handshake.
enum class ResumeFailure {
    None,
    UnknownId,      // the server restarted between the connections and lost its cache
    Expired,        // the second connection comes after the session's lifetime
    DifferentSuite, // the client no longer offers the session's suite
    TamperedTicket,   // a byte of the ticket changed on its way back: its MAC fails
    UnknownTicketKey, // the server restarted with a new ticket key (or another server of the farm answers)
};

// A second handshake on the first connection, after some of the application exchanges (RFC 5246 §7.4.1.1).
struct RenegotiationPlan {
    Side by = Side::Client;  // the client sends a new ClientHello; the server sends HelloRequest
    std::size_t after = 1;   // request/response exchanges before it (0: right after the handshake)
    bool resume = false;     // the client offers the connection's session: an abbreviated renegotiation
    RenegotiationPolicy clientPolicy = RenegotiationPolicy::Allow; // what the client does with a HelloRequest
    RenegotiationPolicy serverPolicy = RenegotiationPolicy::Allow; // what the server does with a new ClientHello
    // The 2009 splicing attack (Ray and Dispensa): a man in the middle makes its own handshake with the server, sends
    // `prefix` under it, then passes the victim client's handshake through as a renegotiation of that connection.
    bool spliceAttack = false;
    std::string prefix = "POST /transfer HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nX-To: mallory\r\n"
                         "X-Ignore-This: ";
};

// OCSP stapling (RFC 6066 §8): does the client ask for the server certificate's status, or demand it?
enum class StatusRequest { Off, Request, Require };
// What the server staples, made from the demo PKI at the run's clock and signed by the leaf's CA: a current "good"
// or "revoked" or "unknown" response, one whose nextUpdate has passed, or one signed by another CA's key.
enum class OcspStaple { None, Good, Revoked, Unknown, Stale, Forged };

struct Scenario {
    std::string name;        // command-line name, e.g. "default"
    std::string title;       // shown in the scenario list
    std::string description; // one line
    std::string topic;       // the group it is listed under, e.g. "Key exchange"
    TeachingNotes notes;
    // The server is set up for this one suite unless serverSuites lists several.
    std::uint16_t cipherSuite = 0xc02f;
    // The client's offer in its order; empty: what a current client offers (kModernClientOffer).
    std::vector<std::uint16_t> clientSuites;
    // The server's accepted suites in its order; empty: {cipherSuite}.
    std::vector<std::uint16_t> serverSuites;
    ProtocolVersion clientMinVersion = kTls12, clientMaxVersion = kTls12;
    ProtocolVersion serverMinVersion = kTls12, serverMaxVersion = kTls12;
    bool serverPreference = true;
    bool fallbackScsv = false;       // the client says it is retrying at lower versions (RFC 7507)
    bool cbcRecordSplitting = false; // the 1/n-1 split against BEAST (TLS 1.0 CBC)
    ClientAuthMode clientAuth = ClientAuthMode::None;
    bool clientHasCertificate = true; // when asked, does the client have one to send?
    // Identities. Empty: the demo PKI's (the server holds its RSA and its ECDSA certificate, the client its client
    // certificate, each side trusts the demo root). Whoever reads a scenario file resolves names and PEM files
    // into these; the engine reads no files.
    std::vector<Credential> serverCredentials;
    std::optional<Credential> clientCredential;
    // Several client certificates: the client picks one issued by a CA the server's CertificateRequest lists. When
    // set it replaces clientCredential.
    std::vector<Credential> clientCredentials;
    std::vector<Certificate> clientTrustAnchors; // what the client accepts the server's chain from
    std::vector<Certificate> serverTrustAnchors; // what the server accepts client certificates from
    // Revocation lists each side checks the other's chain against; empty: no revocation check.
    std::vector<Crl> clientCrls; // the client checks the server's chain
    std::vector<Crl> serverCrls; // the server checks the client's chain
    // The same identities named from the demo PKI's catalogue (DemoPki), for scenarios written before the PKI is
    // loaded, as the built-in ones are. A name is used where the field above is empty.
    struct DemoNames {
        std::vector<std::string> serverCredentials; // "server-rsa-expired"
        std::string clientCredential;               // "client-revoked"
        std::vector<std::string> clientTrustAnchors, serverTrustAnchors; // "other-ca"
        std::vector<std::string> clientCrls, serverCrls;                 // "intermediate-ca"
    } demoNames;
    StatusRequest clientStatusRequest = StatusRequest::Off;
    OcspStaple serverOcsp = OcspStaple::None;
    Bytes serverOcspResponse; // a DER response read from a file; stapled as is, in place of serverOcsp
    // The directory check: the server accepts a client only if its certificate is in its user's entry here.
    std::shared_ptr<const Directory> serverDirectory;
    DirectoryMatch directoryMatch;
    std::string serverName = "localhost";
    bool extendedMasterSecret = true;
    // RFC 5746 on each side: false makes a legacy peer that neither sends nor checks renegotiation_info.
    bool clientRenegotiationInfo = true, serverRenegotiationInfo = true;
    std::optional<RenegotiationPlan> renegotiate;
    std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 24\r\n\r\n"
                           "Hello from HandshakeLab\n";
    std::size_t repeat = 1; // how many request/response exchanges follow the handshake
    // A second connection after the first, resuming its session (the server then caches sessions).
    Resumption resume = Resumption::None;
    ResumeFailure resumeFailure = ResumeFailure::None;
    bool renewTicket = false; // by ticket: the server seals the resumed session into a new ticket
    // The attacker in the middle: what it does to which message.
    std::vector<InterceptRule> interceptRules;
    Expectation expect;
};

// What a current client library offers for TLS 1.2, in its order (OpenSSL 3's default list, limited to the suites this
// engine speaks): ECDHE with AEAD first, then ECDHE with CBC, DHE, and RSA key transport last.
std::span<const std::uint16_t> modernClientOffer();
// What connect and serve use by default: the same modern order, strongest first; legacy suites only when asked.
std::span<const std::uint16_t> modernServerPreference();

// Whether the run ended as the scenario says; when not, `why` says what happened instead.
bool meetsExpectation(const Scenario& scenario, const Trace& trace, std::string* why = nullptr);

} // namespace hl
