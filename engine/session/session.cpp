// Driving an in-memory client/server pair through a scenario.
#include "session/session.h"

#include "crypto/rng.h"
#include "session/renegotiation_attack.h"
#include "x509/ocsp.h"

#include <algorithm>
#include <stdexcept>

namespace hl {

Session::Session(EndpointConfig clientConfig, EndpointConfig serverConfig, CryptoPP::RandomNumberGenerator& clientRng,
                 CryptoPP::RandomNumberGenerator& serverRng)
    : m_pipe(m_trace), m_clientRng(clientRng), m_serverRng(serverRng)
{
    // In memory both ends are ours: each side records what it sends, so every record appears once, at the
    // moment it goes on the wire.
    m_client = std::make_unique<Client>(std::move(clientConfig), clientRng, m_trace, TraceOptions{true, false});
    m_server = std::make_unique<Server>(std::move(serverConfig), serverRng, m_trace, TraceOptions{true, false});
}

void Session::reconnect(EndpointConfig clientConfig, EndpointConfig serverConfig)
{
    m_trace.setConnection(m_trace.connection() + 1);
    m_trace.outcome = {};
    m_client = std::make_unique<Client>(std::move(clientConfig), m_clientRng, m_trace, TraceOptions{true, false});
    m_server = std::make_unique<Server>(std::move(serverConfig), m_serverRng, m_trace, TraceOptions{true, false});
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
    const auto renegotiate = [&] {
        Connection& by = scenario.renegotiate->by == Side::Client ? static_cast<Connection&>(*m_client) : *m_server;
        by.renegotiate();
        flush();
        runUntilIdle();
    };
    const bool renegotiates = scenario.renegotiate && m_trace.connection() == 1;
    for (std::size_t i = 0; i < scenario.repeat && open(); ++i) {
        if (renegotiates && i == scenario.renegotiate->after) {
            renegotiate();
            if (!open())
                break;
        }
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
    if (renegotiates && scenario.renegotiate->after >= scenario.repeat && open())
        renegotiate();
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

namespace {
template <typename T>
const T& lookUp(const std::map<std::string, T, std::less<>>& catalogue, const std::string& name, const char* what)
{
    const auto it = catalogue.find(name);
    if (it == catalogue.end()) {
        std::string known;
        for (const auto& [n, value] : catalogue)
            known += (known.empty() ? "" : ", ") + n;
        throw std::invalid_argument("the demo PKI has no " + std::string(what) + " named \"" + name + "\" (it has " +
                                    (known.empty() ? std::string("none") : known) + ")");
    }
    return it->second;
}

template <typename T>
std::vector<T> resolve(const std::vector<T>& given, const std::vector<std::string>& names,
                       const std::map<std::string, T, std::less<>>& catalogue, const char* what)
{
    if (!given.empty())
        return given;
    std::vector<T> out;
    out.reserve(names.size());
    for (const std::string& n : names)
        out.push_back(lookUp(catalogue, n, what));
    return out;
}
} // namespace

// The response a CA's OCSP responder would give about `leaf` now, made as the scenario asks; empty when the demo PKI
// does not hold the key of the leaf's issuer. Signed deterministically, so a seeded run repeats its bytes.
Bytes demoOcspResponse(OcspStaple kind, const Certificate& leaf, const DemoPki& pki, std::int64_t now)
{
    const Certificate* issuer = nullptr;
    const PrivateKey* issuerKey = nullptr;
    const PrivateKey* otherKey = nullptr;
    for (const auto& [name, ca] : pki.authorities) {
        const auto key = pki.authorityKeys.find(name);
        if (key == pki.authorityKeys.end())
            continue;
        if (ca.subject == leaf.issuer) {
            issuer = &ca;
            issuerKey = &key->second;
        } else if (!otherKey && key->second.type() == KeyType::Rsa) {
            otherKey = &key->second;
        }
    }
    if (!issuer)
        return {};
    constexpr std::int64_t kHour = 3600, kDay = 24 * kHour;
    OcspResponseBuilder b;
    // A responder signs a fresh response every few hours, each good for a week (what large CAs publish).
    b.thisUpdate = now - kHour;
    b.nextUpdate = now + 7 * kDay;
    switch (kind) {
    case OcspStaple::None: return {};
    case OcspStaple::Good: break;
    case OcspStaple::Revoked:
        b.status = OcspCertStatus::Revoked;
        b.revocationTime = now - 30 * kDay;
        b.reason = RevocationReason::KeyCompromise;
        break;
    case OcspStaple::Unknown: b.status = OcspCertStatus::Unknown; break;
    case OcspStaple::Stale:
        // The server kept stapling the response it fetched two weeks ago, which ran out a week ago.
        b.thisUpdate = now - 14 * kDay;
        b.nextUpdate = now - 7 * kDay;
        break;
    case OcspStaple::Forged: break;
    }
    b.producedAt = b.thisUpdate;
    const PrivateKey* signer = kind == OcspStaple::Forged ? otherKey : issuerKey;
    if (!signer)
        return {};
    SeededRng rng(static_cast<std::uint64_t>(now), "ocsp");
    return b.signWith(leaf, *issuer, *signer, rng);
}

EndpointConfig clientConfigFor(const Scenario& scenario, const DemoPki& pki, std::int64_t now)
{
    EndpointConfig c;
    if (scenario.clientSuites.empty())
        c.cipherSuites.assign(modernClientOffer().begin(), modernClientOffer().end());
    else
        c.cipherSuites = scenario.clientSuites;
    c.minVersion = scenario.clientMinVersion;
    c.maxVersion = scenario.clientMaxVersion;
    c.fallbackScsv = scenario.fallbackScsv;
    c.cbcRecordSplitting = scenario.cbcRecordSplitting;
    // Each identity is copied once into the configuration: a braced list would copy every certificate twice.
    const Scenario::DemoNames& names = scenario.demoNames;
    c.trustAnchors = resolve(scenario.clientTrustAnchors, names.clientTrustAnchors, pki.authorities, "CA");
    if (c.trustAnchors.empty())
        c.trustAnchors.push_back(pki.root);
    c.crls = resolve(scenario.clientCrls, names.clientCrls, pki.crls, "CRL");
    c.serverName = scenario.serverName;
    c.requestCertificateStatus = scenario.clientStatusRequest != StatusRequest::Off;
    c.requireCertificateStatus = scenario.clientStatusRequest == StatusRequest::Require;
    c.extendedMasterSecret = scenario.extendedMasterSecret;
    c.secureRenegotiation = scenario.clientRenegotiationInfo;
    if (scenario.renegotiate) {
        c.renegotiation = scenario.renegotiate->clientPolicy;
        c.renegotiationResumes = scenario.renegotiate->resume;
    }
    if (scenario.clientHasCertificate && !scenario.clientCredentials.empty())
        c.credentials = scenario.clientCredentials;
    else if (scenario.clientHasCertificate)
        c.credentials.push_back(scenario.clientCredential ? *scenario.clientCredential
                                : names.clientCredential.empty()
                                    ? pki.client
                                    : lookUp(pki.credentials, names.clientCredential, "credential"));
    c.now = now;
    return c;
}

EndpointConfig serverConfigFor(const Scenario& scenario, const DemoPki& pki, std::int64_t now)
{
    EndpointConfig s;
    s.cipherSuites = scenario.serverSuites.empty() ? std::vector<std::uint16_t>{scenario.cipherSuite} : scenario.serverSuites;
    s.minVersion = scenario.serverMinVersion;
    s.maxVersion = scenario.serverMaxVersion;
    s.serverPreference = scenario.serverPreference;
    s.cbcRecordSplitting = scenario.cbcRecordSplitting;
    const Scenario::DemoNames& names = scenario.demoNames;
    s.credentials = resolve(scenario.serverCredentials, names.serverCredentials, pki.credentials, "credential");
    if (s.credentials.empty()) {
        s.credentials.reserve(2);
        s.credentials.push_back(pki.serverRsa);
        s.credentials.push_back(pki.serverEcdsa);
    }
    for (Credential& c : s.credentials) {
        if (!scenario.serverOcspResponse.empty())
            c.ocspResponse = scenario.serverOcspResponse;
        else if (scenario.serverOcsp != OcspStaple::None && !c.chain.empty())
            c.ocspResponse = demoOcspResponse(scenario.serverOcsp, c.chain.front(), pki, now);
    }
    s.trustAnchors = resolve(scenario.serverTrustAnchors, names.serverTrustAnchors, pki.authorities, "CA");
    if (s.trustAnchors.empty())
        s.trustAnchors.push_back(pki.root);
    s.crls = resolve(scenario.serverCrls, names.serverCrls, pki.crls, "CRL");
    s.clientAuth = scenario.clientAuth;
    s.directory = scenario.serverDirectory;
    s.directoryMatch = scenario.directoryMatch;
    s.extendedMasterSecret = scenario.extendedMasterSecret;
    s.secureRenegotiation = scenario.serverRenegotiationInfo;
    if (scenario.renegotiate)
        s.renegotiation = scenario.renegotiate->serverPolicy;
    s.now = now;
    return s;
}

void applyVersionRange(ProtocolVersion& min, ProtocolVersion& max, std::optional<ProtocolVersion> newMin,
                       std::optional<ProtocolVersion> newMax)
{
    if (newMin)
        min = *newMin;
    if (newMax)
        max = *newMax;
    if (newMax && !newMin && min > max)
        min = max;
    if (newMin && !newMax && max < min)
        max = min;
    if (min > max)
        throw std::invalid_argument("the minimum version " + versionName(min) + " is above the maximum " +
                                    versionName(max));
}

Scenario applyRunOptions(const Scenario& scenarioIn, const RunOptions& options)
{
    Scenario scenario = scenarioIn;
    const auto checkKnown = [](std::uint16_t id) {
        if (!findCipherSuite(id))
            throw std::invalid_argument("unknown cipher suite " + cipherSuiteName(id));
    };
    if (options.cipherSuite) {
        // One suite for the server; the client's offer keeps its order and gains the suite if it lacked it.
        checkKnown(*options.cipherSuite);
        scenario.cipherSuite = *options.cipherSuite;
        scenario.serverSuites.clear();
        if (scenario.clientSuites.empty())
            scenario.clientSuites.assign(modernClientOffer().begin(), modernClientOffer().end());
        if (std::find(scenario.clientSuites.begin(), scenario.clientSuites.end(), *options.cipherSuite) ==
            scenario.clientSuites.end())
            scenario.clientSuites.push_back(*options.cipherSuite);
    }
    for (std::uint16_t id : options.clientSuites)
        checkKnown(id);
    for (std::uint16_t id : options.serverSuites)
        checkKnown(id);
    if (!options.clientSuites.empty())
        scenario.clientSuites = options.clientSuites;
    if (!options.serverSuites.empty())
        scenario.serverSuites = options.serverSuites;
    applyVersionRange(scenario.clientMinVersion, scenario.clientMaxVersion, options.minVersion, options.maxVersion);
    applyVersionRange(scenario.serverMinVersion, scenario.serverMaxVersion,
               options.serverMinVersion ? options.serverMinVersion : options.minVersion,
               options.serverMaxVersion ? options.serverMaxVersion : options.maxVersion);
    if (options.serverPreference)
        scenario.serverPreference = *options.serverPreference;
    if (options.fallbackScsv)
        scenario.fallbackScsv = *options.fallbackScsv;
    if (options.cbcRecordSplitting)
        scenario.cbcRecordSplitting = *options.cbcRecordSplitting;
    if (options.clientAuth)
        scenario.clientAuth = *options.clientAuth ? ClientAuthMode::Require : ClientAuthMode::None;
    if (!options.crls.empty()) {
        // In memory both ends are ours: each checks the other's chain against the lists given, in place of the
        // scenario's.
        scenario.clientCrls = options.crls;
        scenario.serverCrls = options.crls;
    }
    return scenario;
}

Trace runScenario(const Scenario& scenarioIn, const DemoPki& pki, const RunOptions& options)
{
    const Scenario scenario = applyRunOptions(scenarioIn, options);

    std::unique_ptr<CryptoPP::RandomNumberGenerator> clientRng, serverRng;
    if (options.seed) {
        clientRng = std::make_unique<SeededRng>(*options.seed, "client");
        serverRng = std::make_unique<SeededRng>(*options.seed, "server");
    } else {
        clientRng = makeSystemRng();
        serverRng = makeSystemRng();
    }
    EndpointConfig clientConfig = clientConfigFor(scenario, pki, options.now);
    EndpointConfig serverConfig = serverConfigFor(scenario, pki, options.now);
    if (scenario.resume == Resumption::SessionId || (scenario.renegotiate && scenario.renegotiate->resume))
        serverConfig.sessionCache = std::make_shared<SessionCache>();
    // A ticket-resuming server keeps nothing per session, only its ticket key, drawn from a generator of its own so
    // that the client's and the server's streams stay as they are in every other run.
    std::unique_ptr<CryptoPP::RandomNumberGenerator> ticketKeyRng;
    if (scenario.resume == Resumption::Ticket) {
        ticketKeyRng = options.seed ? std::unique_ptr<CryptoPP::RandomNumberGenerator>(
                                          std::make_unique<SeededRng>(*options.seed, "ticket key"))
                                    : makeSystemRng();
        clientConfig.sessionTickets = true;
        serverConfig.ticketKey = std::make_shared<const TicketKey>(TicketKey::generate(*ticketKeyRng));
        serverConfig.renewTickets = scenario.renewTicket;
    }
    if (scenario.renegotiate && scenario.renegotiate->spliceAttack) {
        std::unique_ptr<CryptoPP::RandomNumberGenerator> attackerRng;
        if (options.seed)
            attackerRng = std::make_unique<SeededRng>(*options.seed, "attacker");
        else
            attackerRng = makeSystemRng();
        Trace trace = runSpliceAttack(scenario, clientConfig, serverConfig, *clientRng, *serverRng, *attackerRng);
        trace.scenario = scenario.name;
        trace.scenarioTitle = scenario.title;
        trace.scenarioDescription = scenario.description;
        trace.notes = scenario.notes;
        return trace;
    }
    Session session(clientConfig, serverConfig, *clientRng, *serverRng);
    std::optional<RuleInterceptor> rules;
    if (options.interceptor) {
        session.pipe().setInterceptor(options.interceptor);
    } else if (!scenario.interceptRules.empty()) {
        rules.emplace(scenario.interceptRules);
        session.pipe().setInterceptor(&*rules);
    }
    session.trace().scenario = scenario.name;
    session.trace().scenarioTitle = scenario.title;
    session.trace().scenarioDescription = scenario.description;
    session.trace().notes = scenario.notes;
    session.runScript(scenario);
    if (scenario.resume != Resumption::None && session.trace().outcome.completed) {
        // The second connection: the client offers the session it saved, spoiled as the scenario asks.
        clientConfig.resumeSession = session.client().savedSession();
        switch (scenario.resumeFailure) {
        case ResumeFailure::None: break;
        case ResumeFailure::UnknownId: serverConfig.sessionCache = std::make_shared<SessionCache>(); break;
        case ResumeFailure::Expired: serverConfig.now += serverConfig.sessionLifetime + 60; break;
        case ResumeFailure::DifferentSuite:
            if (clientConfig.resumeSession)
                std::erase(clientConfig.cipherSuites, clientConfig.resumeSession->cipherSuite);
            break;
        case ResumeFailure::TamperedTicket:
            // One bit of the encrypted state, past the key name and IV: only the MAC can tell.
            if (clientConfig.resumeSession && clientConfig.resumeSession->ticket.size() > 40)
                clientConfig.resumeSession->ticket[40] ^= 0x01;
            break;
        case ResumeFailure::UnknownTicketKey:
            if (ticketKeyRng)
                serverConfig.ticketKey = std::make_shared<const TicketKey>(TicketKey::generate(*ticketKeyRng));
            break;
        }
        clientConfig.now = serverConfig.now;
        session.reconnect(clientConfig, serverConfig);
        session.runScript(scenario);
    }
    if (rules)
        for (const std::string& p : rules->unapplied())
            session.trace().warnings.push_back("interceptor rule not applied: " + p);
    return std::move(session.trace());
}

} // namespace hl
