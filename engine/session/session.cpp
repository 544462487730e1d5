// Driving an in-memory client/server pair through a scenario.
#include "session/session.h"

#include "crypto/rng.h"

namespace hl {

Session::Session(EndpointConfig clientConfig, EndpointConfig serverConfig, CryptoPP::RandomNumberGenerator& clientRng,
                 CryptoPP::RandomNumberGenerator& serverRng)
    : m_pipe(m_trace)
{
    // In memory both ends are ours: each side records what it sends, so every record appears once, at the
    // moment it goes on the wire.
    m_client = std::make_unique<Client>(std::move(clientConfig), clientRng, m_trace, TraceOptions{true, false});
    m_server = std::make_unique<Server>(std::move(serverConfig), serverRng, m_trace, TraceOptions{true, false});
}

void Session::flush()
{
    for (Bytes& r : m_client->takeOutgoing())
        m_pipe.send(Side::Client, std::move(r));
    for (Bytes& r : m_server->takeOutgoing())
        m_pipe.send(Side::Server, std::move(r));
}

void Session::start()
{
    m_client->start();
    m_server->start();
    flush();
}

bool Session::step()
{
    auto f = m_pipe.next();
    if (!f)
        return false;
    Connection& to = f->from == Side::Client ? static_cast<Connection&>(*m_server) : *m_client;
    to.receiveRecord(f->record);
    flush();
    return true;
}

void Session::runUntilIdle()
{
    while (step()) {
    }
}

void Session::runScript(const Scenario& scenario)
{
    start();
    runUntilIdle();
    const auto open = [&] {
        return m_client->handshakeComplete() && m_server->handshakeComplete() && !m_client->failed() &&
               !m_server->failed();
    };
    for (std::size_t i = 0; i < scenario.repeat && open(); ++i) {
        m_client->sendApplicationData(asBytes(scenario.request));
        flush();
        runUntilIdle();
        if (!open())
            break;
        m_server->takeApplicationData();
        m_server->sendApplicationData(asBytes(scenario.response));
        flush();
        runUntilIdle();
    }
    if (open()) {
        m_client->close();
        flush();
        runUntilIdle();
    }
    finishOutcome();
}

void Session::finishOutcome()
{
    Outcome& o = m_trace.outcome;
    const Connection* failedSide = nullptr;
    // The side that sent the fatal alert explains the failure.
    if (m_client->failed() && m_client->failureAlertSentByUs())
        failedSide = m_client.get();
    else if (m_server->failed() && m_server->failureAlertSentByUs())
        failedSide = m_server.get();
    else if (m_client->failed())
        failedSide = m_client.get();
    else if (m_server->failed())
        failedSide = m_server.get();
    if (failedSide) {
        o.completed = false;
        o.alert = failedSide->failureAlert();
        o.alertFrom = failedSide->failureAlertSentByUs() ? failedSide->side() : peerOf(failedSide->side());
        o.reason = failedSide->failureReason();
        return;
    }
    if (!m_client->handshakeComplete() || !m_server->handshakeComplete()) {
        o.completed = false;
        o.reason = "the handshake did not finish: a record went missing on the wire";
        return;
    }
    o.completed = true;
}

EndpointConfig clientConfigFor(const Scenario& scenario, const DemoPki& pki, std::int64_t now)
{
    EndpointConfig c;
    c.cipherSuites = {scenario.cipherSuite};
    // Each identity is copied once into the configuration: a braced list would copy every certificate twice.
    c.trustAnchors.push_back(pki.root);
    c.serverName = scenario.serverName;
    c.extendedMasterSecret = scenario.extendedMasterSecret;
    if (scenario.clientHasCertificate)
        c.credentials.push_back(pki.client);
    c.now = now;
    return c;
}

EndpointConfig serverConfigFor(const Scenario& scenario, const DemoPki& pki, std::int64_t now)
{
    EndpointConfig s;
    for (const CipherSuite& suite : allCipherSuites())
        s.cipherSuites.push_back(suite.id);
    s.credentials.reserve(2);
    s.credentials.push_back(pki.serverRsa);
    s.credentials.push_back(pki.serverEcdsa);
    s.trustAnchors.push_back(pki.root);
    s.clientAuth = scenario.clientAuth;
    s.extendedMasterSecret = scenario.extendedMasterSecret;
    s.now = now;
    return s;
}

Trace runScenario(const Scenario& scenarioIn, const DemoPki& pki, const RunOptions& options)
{
    Scenario scenario = scenarioIn;
    if (options.cipherSuite)
        scenario.cipherSuite = *options.cipherSuite;
    if (options.clientAuth)
        scenario.clientAuth = *options.clientAuth ? ClientAuthMode::Require : ClientAuthMode::None;
    if (!findCipherSuite(scenario.cipherSuite))
        throw std::invalid_argument("unknown cipher suite " + cipherSuiteName(scenario.cipherSuite));

    std::unique_ptr<CryptoPP::RandomNumberGenerator> clientRng, serverRng;
    if (options.seed) {
        clientRng = std::make_unique<SeededRng>(*options.seed, "client");
        serverRng = std::make_unique<SeededRng>(*options.seed, "server");
    } else {
        clientRng = makeSystemRng();
        serverRng = makeSystemRng();
    }
    Session session(clientConfigFor(scenario, pki, options.now), serverConfigFor(scenario, pki, options.now),
                    *clientRng, *serverRng);
    session.pipe().setInterceptor(options.interceptor);
    session.trace().scenario = scenario.name;
    session.runScript(scenario);
    return std::move(session.trace());
}

} // namespace hl
