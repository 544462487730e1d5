// An in-memory TLS session: an engine client and an engine server joined by a Pipe, driven one record at a
// time, everything recorded in one Trace.
#pragma once

#include "client/client.h"
#include "server/server.h"
#include "session/pipe.h"
#include "session/scenario.h"
#include "trace/trace.h"

#include <cryptopp/cryptlib.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace hl {

// The demo identities the application ships (resources/pki), loaded by the caller: the engine reads no files.
struct DemoPki {
    Certificate root;
    Credential serverRsa, serverEcdsa, client;
    // Everything in resources/pki by the names its README gives: credentials ("server-rsa-expired",
    // "client-revoked", "other-server"), CA certificates ("root-ca", "other-ca") and CRLs named after their CA
    // ("intermediate-ca", "intermediate-ca-stale"). Scenarios name identities from here (Scenario::DemoNames).
    std::map<std::string, Credential, std::less<>> credentials;
    std::map<std::string, Certificate, std::less<>> authorities;
    std::map<std::string, Crl, std::less<>> crls;
    // The CAs' private keys by the CA's name ("intermediate-ca"): the demo PKI signs OCSP responses at run time.
    std::map<std::string, PrivateKey, std::less<>> authorityKeys;
};

class Session {
public:
    Session(EndpointConfig clientConfig, EndpointConfig serverConfig, CryptoPP::RandomNumberGenerator& clientRng,
            CryptoPP::RandomNumberGenerator& serverRng);

    Trace& trace() { return m_trace; }
    Pipe& pipe() { return m_pipe; }
    Client& client() { return *m_client; }
    Server& server() { return *m_server; }

    // Closes the current connection's endpoints and opens another on the same wire and trace (a new TCP connection
    // in real life), numbered one more in the trace: a client may resume the previous session on it.
    void reconnect(EndpointConfig clientConfig, EndpointConfig serverConfig);

    void start();
    // Delivers the next record on the wire; false when the wire is empty.
    bool step();
    void runUntilIdle();
    // The whole scenario script: handshake, request/response exchanges, close_notify both ways. Sets the
    // trace's outcome.
    void runScript(const Scenario& scenario);

private:
    void flush();
    void finishOutcome();

    Trace m_trace;
    Pipe m_pipe;
    CryptoPP::RandomNumberGenerator& m_clientRng;
    CryptoPP::RandomNumberGenerator& m_serverRng;
    std::unique_ptr<Client> m_client;
    std::unique_ptr<Server> m_server;
};

// The clock of a reproducible (seeded) run: 2026-01-01 00:00:00 UTC, inside the demo PKI's validity, so a seed
// replays every byte and every certificate check whenever it is run.
constexpr std::int64_t kReproducibleNow = 1767225600;

struct RunOptions {
    std::optional<std::uint64_t> seed;  // same seed, same bytes
    std::optional<std::uint16_t> cipherSuite; // the server's one suite (the client offers it too)
    std::vector<std::uint16_t> clientSuites;  // the client's offer, in order (empty: the scenario's)
    std::vector<std::uint16_t> serverSuites;  // the server's accepted list, in order (empty: the scenario's)
    std::optional<ProtocolVersion> minVersion, maxVersion;             // both sides
    std::optional<ProtocolVersion> serverMinVersion, serverMaxVersion; // the server alone, over the above
    std::optional<bool> serverPreference;
    std::optional<bool> fallbackScsv;
    std::optional<bool> cbcRecordSplitting;
    std::optional<bool> clientAuth;     // overrides the scenario's
    std::vector<Crl> crls;              // when given, what both sides check the peer's chain against
    std::int64_t now = 0;               // Unix seconds for certificate validity
    Interceptor* interceptor = nullptr;
};

// Sets a version range from new ends, either of which may be absent: an end given alone moves the other along when
// the range would otherwise be empty. Throws std::invalid_argument when both ends are given and min is above max.
void applyVersionRange(ProtocolVersion& min, ProtocolVersion& max, std::optional<ProtocolVersion> newMin,
                       std::optional<ProtocolVersion> newMax);

// The scenario with the run's overrides applied. Throws std::invalid_argument for an unknown suite or an empty
// version range.
Scenario applyRunOptions(const Scenario& scenario, const RunOptions& options);

// Builds both endpoints for a scenario and runs it. Never throws for protocol failures: those end in the
// trace's outcome. Throws std::invalid_argument for an unknown suite.
Trace runScenario(const Scenario& scenario, const DemoPki& pki, const RunOptions& options);

// The endpoint configurations a scenario implies (also used by connect/serve). Names in scenario.demoNames are
// looked up in `pki`; an unknown name throws std::invalid_argument.
EndpointConfig clientConfigFor(const Scenario& scenario, const DemoPki& pki, std::int64_t now);
EndpointConfig serverConfigFor(const Scenario& scenario, const DemoPki& pki, std::int64_t now);

} // namespace hl
