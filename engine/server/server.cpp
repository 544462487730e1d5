// Server side of the TLS 1.2 full handshake.
#include "server/server.h"

#include "messages/certificate.h"
#include "messages/certificate_request.h"
#include "messages/certificate_status.h"
#include "messages/certificate_verify.h"
#include "messages/client_key_exchange.h"
#include "messages/extensions.h"
#include "messages/finished.h"
#include "messages/server_hello.h"
#include "messages/server_key_exchange.h"
#include "session/version_rules.h"
#include "x509/verify.h"

#include <algorithm>

namespace hl {

namespace {
template <typename T>
bool contains(const std::vector<T>& v, T x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

constexpr auto kX25519 = static_cast<std::uint16_t>(NamedGroup::X25519);
constexpr auto kP256 = static_cast<std::uint16_t>(NamedGroup::Secp256r1);
constexpr auto kFfdhe2048 = static_cast<std::uint16_t>(NamedGroup::Ffdhe2048);

bool isFfdhe(std::uint16_t g) { return g >= 256 && g <= 511; }
} // namespace

Server::Server(EndpointConfig config, CryptoPP::RandomNumberGenerator& rng, Trace& trace, TraceOptions traceOptions)
    : Connection(Side::Server, std::move(config), rng, trace, traceOptions)
{
    setInitialFacts();
}

void Server::setInitialFacts()
{
    m_facts.set(Condition::ServerAuthenticated, true);
    m_facts.set(Condition::ClientAuthRequested, m_config.clientAuth != ClientAuthMode::None);
    if (m_config.clientAuth == ClientAuthMode::None) {
        m_facts.set(Condition::ClientCertificateSent, false);
        m_facts.set(Condition::ClientCertificateMessage, false);
    }
}

void Server::resetHandshakeState()
{
    // The keys in use stay until ChangeCipherSpec; the negotiation starts again from nothing.
    setInitialFacts();
    m_suite = nullptr;
    m_clientHello = ClientHello{};
    m_credential = nullptr;
    m_signatureScheme = 0;
    m_group = 0;
    m_agreement.reset();
    m_clientChain.clear();
    m_requestedSchemes.clear();
    m_clientSentServerName = false;
    m_clientSentPointFormats = false;
    m_sessionId.clear();
    m_resuming.reset();
}

Server::~Server() = default;

void Server::onHandshakeMessage(const HandshakeFrame& frame)
{
    switch (static_cast<HandshakeType>(frame.type)) {
    case HandshakeType::ClientHello: onClientHello(frame); return;
    case HandshakeType::Certificate: onCertificate(frame); return;
    case HandshakeType::ClientKeyExchange: onClientKeyExchange(frame); return;
    case HandshakeType::CertificateVerify: onCertificateVerify(frame); return;
    case HandshakeType::Finished: onFinished(frame); return;
    default: break;
    }
    throw TlsError(AlertDescription::UnexpectedMessage, "a server never receives " + handshakeName(frame.type));
}

void Server::onClientHello(const HandshakeFrame& frame)
{
    m_clientHello = ClientHello::decode(frame.body);
    const ClientHello& ch = m_clientHello;
    m_clientRandom = ch.random;
    emitSecret("client_random", "Client random", m_clientRandom, "received in ClientHello");
    chooseVersion();
    if (!contains(ch.compressionMethods, std::uint8_t{0}))
        throw TlsError(AlertDescription::IllegalParameter,
                       "the client did not offer null compression, which every TLS client must (RFC 5246 §7.4.1.2)");
    // SSL 3.0 has no extensions: whatever the client sent is not answered (RFC 6101).
    const bool extensions = m_version >= kTls10;
    const Extension* renegotiationInfo = findExtension(ch.extensions, ExtensionType::RenegotiationInfo);
    if (handshakeNumber() > 1) {
        // A legacy server (no RFC 5746) knows nothing of the extension and checks nothing.
        if (m_config.secureRenegotiation)
            checkPeerRenegotiationInfo(renegotiationInfo ? std::optional<Bytes>(ext::parseRenegotiationInfo(
                                                               renegotiationInfo->data))
                                                         : std::nullopt,
                                       contains(ch.cipherSuites, kEmptyRenegotiationInfoScsv));
        else
            emitState("insecure renegotiation",
                      "this server predates RFC 5746: it takes the new ClientHello as a renegotiation of the "
                      "connection without checking that it comes from the client of the first handshake");
    } else if (const Extension* ri = renegotiationInfo) {
        // RFC 5746 §3.6: on a first handshake the client's renegotiated_connection must be empty.
        if (!ext::parseRenegotiationInfo(ri->data).empty())
            throw TlsError(AlertDescription::HandshakeFailure,
                           "renegotiation_info must be empty on a first handshake (RFC 5746 §3.6)");
        m_secureRenegotiation = true;
    }
    if (handshakeNumber() == 1 && contains(ch.cipherSuites, kEmptyRenegotiationInfoScsv))
        m_secureRenegotiation = true;
    if (const Extension* sni = findExtension(ch.extensions, ExtensionType::ServerName)) {
        const std::string host = ext::parseServerName(sni->data);
        m_clientSentServerName = true;
        emitState("server_name", "the client asks for the host \"" + host + "\"");
    }
    if (const Extension* pf = findExtension(ch.extensions, ExtensionType::EcPointFormats)) {
        const auto formats = ext::parseEcPointFormats(pf->data);
        // RFC 8422 §5.1.2: uncompressed points must be among them.
        if (!contains(formats, std::uint8_t{0}))
            throw TlsError(AlertDescription::IllegalParameter, "the client does not accept uncompressed EC points");
        m_clientSentPointFormats = true;
    }
    if (const Extension* sr = findExtension(ch.extensions, ExtensionType::StatusRequest))
        m_clientAskedStatus = ext::parseStatusRequest(sr->data) == CertificateStatus::kOcsp && extensions;
    if (const Extension* ems = findExtension(ch.extensions, ExtensionType::ExtendedMasterSecret)) {
        ext::parseExtendedMasterSecret(ems->data);
        m_useExtendedMasterSecret = m_config.extendedMasterSecret && extensions;
    }
    // RFC 5077 §3.2: SSL 3.0 has no extensions to carry a ticket.
    if (const Extension* st = findExtension(ch.extensions, ExtensionType::SessionTicket); st && extensions)
        m_clientTicket = ext::parseSessionTicket(st->data);
    if (!tryResume()) {
        negotiate();
        decideStapling();
    }
    decideTicket();
    sendFlight();
}

bool Server::tryResume()
{
    const ClientHello& ch = m_clientHello;
    // RFC 5077 §3.4: a ticket, when the server reads tickets, decides; the session ID beside it only signals.
    if (m_clientTicket && !m_clientTicket->empty() && m_config.ticketKey)
        return tryResumeFromTicket();
    if (ch.sessionId.empty())
        return false;
    const auto fullHandshake = [&](const std::string& why) {
        emitState("not resuming", why + ", so the server runs the full handshake and names a new session");
        return false;
    };
    const std::string named = "the client offers to resume session " + toHex(ch.sessionId).substr(0, 16) + "…";
    if (!m_config.sessionCache)
        return fullHandshake(named + ", but this server keeps no session cache");
    const SessionCache::Lookup found = m_config.sessionCache->find(ch.sessionId, m_config.now, m_config.sessionLifetime);
    if (found.status == SessionCache::Status::Unknown)
        return fullHandshake(named + ", but the server does not know it (never made here, forgotten to make room, or "
                                     "lost when the server restarted)");
    const SavedSession& saved = *found.session;
    if (found.status == SessionCache::Status::Expired)
        return fullHandshake(named + ", but it is " + std::to_string(m_config.now - saved.createdAt) +
                             " seconds old and this server resumes sessions for " +
                             std::to_string(m_config.sessionLifetime) + " seconds only; it is forgotten now");
    return resumeIfAcceptable(named, saved,
                              "which it still holds (" + std::to_string(m_config.now - saved.createdAt) +
                                  " seconds old)");
}

bool Server::resumeIfAcceptable(const std::string& named, const SavedSession& saved, const std::string& held)
{
    const ClientHello& ch = m_clientHello;
    const auto fullHandshake = [&](const std::string& why) {
        emitState("not resuming", why + ", so the server runs the full handshake and names a new session");
        return false;
    };
    // RFC 5246 §7.4.1.3: a resumed session keeps its version and suite, so both must still be acceptable.
    if (saved.version != m_version)
        return fullHandshake(named + ", made with " + versionName(saved.version) + ", but this handshake negotiates " +
                             versionName(m_version));
    if (!contains(ch.cipherSuites, saved.cipherSuite))
        return fullHandshake(named + ", made with " + cipherSuiteName(saved.cipherSuite) +
                             ", but the client no longer offers that suite");
    if (!contains(m_config.cipherSuites, saved.cipherSuite))
        return fullHandshake(named + ", made with " + cipherSuiteName(saved.cipherSuite) +
                             ", but the server no longer accepts that suite");
    // RFC 7627 §5.3: a session made with the extended master secret must never be resumed without it (its master
    // secret could otherwise be the one an attacker synchronised), and a session made without it is not upgraded.
    if (saved.extendedMasterSecret && !m_useExtendedMasterSecret)
        throw TlsError(AlertDescription::HandshakeFailure,
                       named + ", which was made with the extended master secret, but this ClientHello leaves the "
                               "extension out: the server must abort (RFC 7627 §5.3)");
    if (!saved.extendedMasterSecret && m_useExtendedMasterSecret)
        return fullHandshake(named + ", made without the extended master secret, while this ClientHello offers it: "
                                     "the server must not resume it (RFC 7627 §5.3)");
    if (!saved.extendedMasterSecret && m_version >= kTls10)
        emitState("legacy resumption", "neither the session nor this hello uses the extended master secret: the "
                                       "server resumes as OpenSSL does, but RFC 7627 §5.3 would rather it did not, "
                                       "since nothing binds that master secret to the first handshake");
    m_resuming = saved;
    m_resumed = true;
    m_suite = findCipherSuite(saved.cipherSuite);
    m_trace.cipherSuite = saved.cipherSuite;
    for (const Bytes& der : saved.peerCertificates)
        m_clientChain.push_back(Certificate::parse(der));
    Negotiation& n = m_trace.negotiations.back();
    n.suite = saved.cipherSuite;
    n.suiteRule = std::string(m_suite->name) + " is the resumed session's suite (RFC 5246 §7.4.1.3)";
    m_flow.switchTo(resumedHandshakeFlow());
    emitState("resuming", named + ", " + held + ": it echoes the ID and goes straight to ChangeCipherSpec and "
                                                "Finished");
    return true;
}

void Server::saveSession()
{
    if (!m_config.sessionCache || m_sessionId.empty() || m_resumed)
        return;
    m_config.sessionCache->store(sessionState(m_sessionId, m_clientChain, m_config.now), m_config.sessionCacheSize);
    emitState("session cached", "the server keeps this session's master secret, suite and version under its ID for " +
                                    std::to_string(m_config.sessionLifetime) + " seconds, so the client may resume it");
}

void Server::decideStapling()
{
    // RFC 6066 §8: the server staples only when asked, and says so with an empty status_request in ServerHello.
    m_staplesStatus = m_clientAskedStatus && !m_credential->ocspResponse.empty();
    if (m_clientAskedStatus)
        m_facts.set(Condition::CertificateStatusSent, m_staplesStatus);
    else
        m_facts.setNotInPlay(Condition::CertificateStatusSent);
    if (m_clientAskedStatus)
        emitState("certificate status",
                  m_staplesStatus ? "the client asks for the certificate's status (status_request); the server holds "
                                    "a response from its CA and will staple it after its Certificate"
                                  : "the client asks for the certificate's status (status_request), but the server "
                                    "has no OCSP response to staple, so it leaves the extension out of ServerHello");
}

void Server::chooseVersion()
{
    const ClientHello& ch = m_clientHello;
    Negotiation& n = m_trace.negotiations.emplace_back();
    n.connection = m_trace.connection();
    n.recordedBy = Side::Server;
    n.clientVersion = ch.clientVersion;
    n.serverMin = m_config.minVersion;
    n.serverMax = m_config.maxVersion;
    n.offeredSuites = ch.cipherSuites;
    n.serverSuites = m_config.cipherSuites;
    n.serverPreference = m_config.serverPreference;
    const std::string offer = "the client offers up to " + versionWithWire(ch.clientVersion) + ", this server accepts " +
                              versionRangeText(m_config.minVersion, m_config.maxVersion);
    // RFC 5246 App. E.1: the server answers with the highest version both support. A client's version above ours
    // (TLS 1.3, say) is fine: we answer with our best.
    if (ch.clientVersion < m_config.minVersion) {
        n.versionRule = offer + ": no version in common";
        throw TlsError(AlertDescription::ProtocolVersion, "no protocol version in common: " + offer);
    }
    const ProtocolVersion v = std::min(ch.clientVersion, m_config.maxVersion);
    if (handshakeNumber() > 1 && v != m_version) {
        n.versionRule = offer + ", but the connection already runs " + versionName(m_version);
        throw TlsError(AlertDescription::ProtocolVersion,
                       "the renegotiation would move the connection from " + versionName(m_version) + " to " +
                           versionName(v) + "; a renegotiation keeps the version");
    }
    n.version = v;
    n.versionRule = offer + ", so " + versionWithWire(v) + " is the highest both support";
    // RFC 7507 §3: a client that says this is a fallback retry, offering less than the server can do, is being pushed
    // down by someone in the middle (or by a glitch the retry misread): refuse it.
    if (contains(ch.cipherSuites, kFallbackScsv) && v < m_config.maxVersion) {
        n.versionRule += "; but the client signals TLS_FALLBACK_SCSV while the server could do " +
                         versionName(m_config.maxVersion);
        throw TlsError(AlertDescription::InappropriateFallback,
                       "the client sent TLS_FALLBACK_SCSV, so it retries at " + versionName(v) +
                           " after a failed attempt, yet this server supports " + versionName(m_config.maxVersion) +
                           ": the first attempt must have been sabotaged, so the server refuses (RFC 7507)");
    }
    setNegotiatedVersion(v);
}

void Server::negotiate()
{
    const ClientHello& ch = m_clientHello;
    std::vector<std::uint16_t> clientGroups;
    bool clientSentGroups = false;
    if (const Extension* g = findExtension(ch.extensions, ExtensionType::SupportedGroups)) {
        clientGroups = ext::parseSupportedGroups(g->data);
        clientSentGroups = true;
    }
    std::vector<std::uint16_t> clientSchemes;
    if (const Extension* sa = findExtension(ch.extensions, ExtensionType::SignatureAlgorithms))
        clientSchemes = ext::parseSignatureAlgorithms(sa->data);

    // Whose order decides: the server's list with the server's preference, the client's list otherwise; either way
    // only suites both accept count.
    std::vector<std::uint16_t> order;
    const std::vector<std::uint16_t>& first = m_config.serverPreference ? m_config.cipherSuites : ch.cipherSuites;
    const std::vector<std::uint16_t>& other = m_config.serverPreference ? ch.cipherSuites : m_config.cipherSuites;
    for (std::uint16_t id : first)
        if (contains(other, id))
            order.push_back(id);
    Negotiation& n = m_trace.negotiations.back();
    bool ffdheRefused = false;
    for (std::uint16_t id : order) {
        const CipherSuite* suite = findCipherSuite(id);
        if (!suite)
            continue;
        if (!suite->allowedWith(m_version)) {
            const std::string why = std::string(suite->name) + " needs " + versionName(suite->minVersion) +
                                    " or later, and " + versionName(m_version) + " was negotiated";
            n.passedOver.push_back(why);
            continue;
        }
        const KeyType needed = suite->serverKeyIsEcdsa() ? KeyType::EcdsaP256 : KeyType::Rsa;
        const Credential* cred = nullptr;
        for (const Credential& c : m_config.credentials)
            if (c.key.type() == needed) {
                cred = &c;
                break;
            }
        if (!cred) {
            const std::string why = std::string(suite->name) + " needs an " +
                                    (needed == KeyType::Rsa ? "RSA" : "ECDSA") + " certificate the server does not have";
            n.passedOver.push_back(why);
            continue;
        }
        std::uint16_t group = 0;
        if (suite->usesEcdhe()) {
            // RFC 8422 §4: without supported_groups the client accepts any curve; secp256r1 is the safe choice.
            for (std::uint16_t g : m_config.groups)
                if (!isFfdhe(g) && (clientSentGroups ? contains(clientGroups, g) : g == kP256)) {
                    group = g;
                    break;
                }
            if (!group) {
                n.passedOver.push_back(std::string(suite->name) + ": no elliptic curve in common");
                continue;
            }
        } else if (suite->keyExchange == KeyExchangeKind::DheRsa) {
            // RFC 7919 §4: if the client lists ffdhe groups, the server must use one of them.
            const bool clientListsFfdhe =
                std::any_of(clientGroups.begin(), clientGroups.end(), [](std::uint16_t g) { return isFfdhe(g); });
            if (clientListsFfdhe && !contains(clientGroups, kFfdhe2048)) {
                ffdheRefused = true;
                n.passedOver.push_back(std::string(suite->name) +
                                       ": the client's finite-field groups do not include ffdhe2048");
                continue;
            }
            group = kFfdhe2048;
        }
        // RFC 5246 §7.4.1.4.1: without signature_algorithms the client is assumed to accept SHA-1 signatures.
        std::vector<std::uint16_t> acceptable = clientSchemes;
        if (acceptable.empty())
            acceptable = {static_cast<std::uint16_t>(needed == KeyType::Rsa ? SignatureScheme::RsaPkcs1Sha1
                                                                            : SignatureScheme::EcdsaSha1)};
        std::uint16_t scheme = 0;
        // Before TLS 1.2 no scheme is negotiated: the key decides (RFC 2246 §7.4.3).
        if (suite->isEphemeral() && m_version >= kTls12) {
            for (std::uint16_t s : m_config.signatureSchemes)
                if (contains(acceptable, s) && cred->key.publicKey().supports(static_cast<SignatureScheme>(s))) {
                    scheme = s;
                    break;
                }
            if (!scheme) {
                n.passedOver.push_back(std::string(suite->name) + ": no signature algorithm in common");
                continue;
            }
        }
        m_suite = suite;
        m_trace.cipherSuite = suite->id; // known from here on, so a run that fails later still names it
        m_credential = cred;
        m_group = group;
        m_signatureScheme = scheme;
        break;
    }
    if (!m_suite) {
        const auto list = [](const std::vector<std::uint16_t>& ids) {
            std::string out;
            for (std::uint16_t id : ids)
                if (id != kEmptyRenegotiationInfoScsv && id != kFallbackScsv)
                    out += (out.empty() ? "" : ", ") + cipherSuiteName(id);
            return out;
        };
        n.suiteRule = order.empty() ? "the client's and the server's lists have no suite in common"
                                    : "every suite both list was passed over";
        // RFC 7919 §4: when the client's FFDHE groups were all unacceptable and nothing else fits, the answer is
        // insufficient_security, so the client knows a stronger group would have worked.
        if (ffdheRefused)
            throw TlsError(AlertDescription::InsufficientSecurity,
                           "none of the client's finite-field groups is one this server accepts (ffdhe2048), and no "
                           "other suite both sides accept remains (RFC 7919 §4)");
        std::string passedOver; // why each suite both list could not be used, the same as the trace records
        for (const std::string& why : n.passedOver)
            passedOver += "; " + why;
        throw TlsError(AlertDescription::HandshakeFailure,
                       "no cipher suite both sides accept (client offered: " + list(ch.cipherSuites) +
                           "; server accepts: " + list(m_config.cipherSuites) + ")" + passedOver);
    }
    n.suite = m_suite->id;
    const bool firstUsable = !order.empty() && order.front() == m_suite->id;
    n.suiteRule = std::string(m_suite->name) + " is " +
                  (m_config.serverPreference ? "the server's " : "the client's ") +
                  (firstUsable ? "first choice" : "best usable choice") + " among the suites both accept (" +
                  (m_config.serverPreference ? "server" : "client") + " preference)";
    emitState("negotiated", n.versionRule + ". " + n.suiteRule + ".");
    // The client's Certificate (or, in SSL 3.0, its no_certificate alert) is now expected when the server asks.
    if (m_config.clientAuth != ClientAuthMode::None && m_version != kSsl30)
        m_facts.set(Condition::ClientCertificateMessage, true);
    m_facts.set(Condition::EphemeralKeyExchange, m_suite->isEphemeral());
}

void Server::sendStep(const FlowStep& step)
{
    const MessageId id = step.message;
    if (id.contentType == ContentType::ChangeCipherSpec) {
        sendChangeCipherSpec();
        return;
    }
    switch (static_cast<HandshakeType>(id.handshakeType)) {
    case HandshakeType::ServerHello: sendServerHello(); return;
    case HandshakeType::Certificate: {
        CertificateMessage msg;
        for (const Certificate& c : m_credential->chain)
            msg.certificateList.push_back(c.der);
        sendHandshake(HandshakeType::Certificate, msg.serialize());
        return;
    }
    case HandshakeType::CertificateStatus: {
        CertificateStatus status;
        status.response = m_credential->ocspResponse;
        sendHandshake(HandshakeType::CertificateStatus, status.serialize());
        return;
    }
    case HandshakeType::ServerKeyExchange: sendServerKeyExchange(); return;
    case HandshakeType::CertificateRequest: sendCertificateRequest(); return;
    case HandshakeType::NewSessionTicket: sendNewSessionTicket(); return;
    case HandshakeType::ServerHelloDone:
        sendHandshake(HandshakeType::ServerHelloDone, {});
        emitState("ExpectClientKeyExchange", "the server waits for the client's flight");
        return;
    case HandshakeType::Finished: {
        Finished fin;
        fin.verifyData = ownVerifyData();
        sendHandshake(HandshakeType::Finished, fin.serialize());
        return;
    }
    default: break;
    }
    throw std::logic_error("the server has no " + std::string(step.name) + " to send");
}

void Server::sendServerHello()
{
    m_serverRandom.resize(32);
    m_rng.GenerateBlock(m_serverRandom.data(), m_serverRandom.size());
    // RFC 8446 §4.1.3 (which TLS 1.2 servers follow too): answering below its best, the server marks its random so a
    // client that offered more can tell the answer was forced.
    if (m_config.downgradeSentinel && m_version < kTls12 && m_config.maxVersion >= kTls12) {
        putDowngradeSentinel(m_serverRandom);
        emitState("downgrade sentinel", "the server answers with " + versionName(m_version) +
                                            " though it supports TLS 1.2, so the last 8 bytes of its random are "
                                            "\"DOWNGRD\" 00 (RFC 8446 §4.1.3)");
    }
    emitSecret("server_random", "Server random", m_serverRandom,
               "32 bytes from the server's random generator, sent in ServerHello");
    ServerHello sh;
    sh.serverVersion = m_version;
    sh.random = m_serverRandom;
    // RFC 5246 §7.4.1.3: the client's ID echoed when resuming; otherwise a new one when the session will be cached
    // (32 random bytes, as OpenSSL makes them), and empty when it will not be.
    if (m_resumed) {
        sh.sessionId = m_clientHello.sessionId;
    } else if (m_config.sessionCache && m_config.sessionCacheSize > 0) {
        m_sessionId.resize(32);
        m_rng.GenerateBlock(m_sessionId.data(), m_sessionId.size());
        sh.sessionId = m_sessionId;
        emitSecret("session_id", "Session ID", m_sessionId,
                   "32 bytes from the server's random generator, the name under which it caches this session");
    }
    sh.cipherSuite = m_suite->id;
    sh.compressionMethod = 0;
    if (m_secureRenegotiation && m_config.secureRenegotiation)
        sh.extensions.push_back(ext::renegotiationInfo(renegotiatedConnectionToSend()));
    if (handshakeNumber() == 1)
        m_secureRenegotiationAgreed = m_secureRenegotiation && m_config.secureRenegotiation && m_version >= kTls10;
    if (m_clientSentServerName)
        sh.extensions.push_back(Extension{static_cast<std::uint16_t>(ExtensionType::ServerName), {}});
    if (m_clientSentPointFormats && m_suite->usesEcdhe())
        sh.extensions.push_back(ext::ecPointFormats({0}));
    if (m_useExtendedMasterSecret)
        sh.extensions.push_back(ext::extendedMasterSecret());
    // RFC 5077 §3.2: an empty session_ticket promises a NewSessionTicket later in this handshake.
    if (m_facts.get(Condition::SessionTicketIssued) == true)
        sh.extensions.push_back(ext::sessionTicket());
    if (m_staplesStatus)
        sh.extensions.push_back(Extension{static_cast<std::uint16_t>(ExtensionType::StatusRequest), {}});
    if (m_version == kSsl30)
        sh.extensions.clear(); // RFC 6101: an SSL 3.0 ServerHello ends after the compression method
    sh.hasExtensionBlock = !sh.extensions.empty();
    sendHandshake(HandshakeType::ServerHello, sh.serialize());
    if (m_resumed)
        deriveKeysFromSavedMaster(m_resuming->masterSecret,
                                  m_resumedFromTicket ? std::string("session ticket")
                                                      : "session ID " + toHex(m_resuming->sessionId).substr(0, 16) + "…");
}

void Server::sendServerKeyExchange()
{
    ServerKeyExchange ske;
    ske.kind = m_suite->keyExchange;
    ske.version = m_version;
    if (m_suite->usesEcdhe()) {
        m_agreement = KeyAgreement::generate(static_cast<NamedGroup>(m_group), m_rng);
        ske.namedGroup = m_group;
        ske.publicKey = m_agreement->publicValue();
    } else {
        m_agreement = KeyAgreement::generate(NamedGroup::Ffdhe2048, m_rng);
        ske.dhP = ffdhe2048Prime();
        ske.dhG = ffdhe2048Generator();
        ske.dhYs = m_agreement->publicValue();
    }
    emitSecret("server_ephemeral_private", "Server ephemeral private key", m_agreement->privateValue(),
               "fresh random " + groupName(m_group) + " private key, used for this handshake only");
    ske.signatureScheme = m_signatureScheme;
    // RFC 5246 §7.4.3: the signature binds the parameters to this handshake's two randoms.
    const Bytes signedData = concat(m_clientRandom, m_serverRandom, ske.params());
    ske.signature = m_version >= kTls12
                        ? m_credential->key.sign(static_cast<SignatureScheme>(m_signatureScheme), signedData, m_rng)
                        : signLegacy(m_credential->key, signedData, m_rng);
    sendHandshake(HandshakeType::ServerKeyExchange, ske.serialize());
}

void Server::sendCertificateRequest()
{
    CertificateRequest cr;
    cr.version = m_version;
    // ecdsa_sign came with RFC 4492, for TLS; SSL 3.0 clients sign with RSA.
    cr.certificateTypes = {static_cast<std::uint8_t>(ClientCertificateType::RsaSign)};
    if (m_version >= kTls10)
        cr.certificateTypes.push_back(static_cast<std::uint8_t>(ClientCertificateType::EcdsaSign));
    if (m_version >= kTls12)
        cr.signatureSchemes = m_config.signatureSchemes;
    m_requestedSchemes = cr.signatureSchemes;
    for (const Certificate& anchor : m_config.trustAnchors)
        cr.certificateAuthorities.push_back(anchor.subject.der);
    sendHandshake(HandshakeType::CertificateRequest, cr.serialize());
}

void Server::onWarningAlert(AlertDescription alert)
{
    // RFC 6101 §5.6.6: in SSL 3.0 a client without a certificate answers CertificateRequest with this warning in
    // place of its Certificate message.
    const bool awaitingCertificate = m_version == kSsl30 && m_config.clientAuth != ClientAuthMode::None &&
                                     !m_facts.get(Condition::ClientCertificateMessage).has_value();
    if (alert != AlertDescription::NoCertificate || !awaitingCertificate)
        return;
    m_facts.set(Condition::ClientCertificateMessage, false);
    m_facts.set(Condition::ClientCertificateSent, false);
    if (m_config.clientAuth == ClientAuthMode::Require)
        throw TlsError(AlertDescription::HandshakeFailure,
                       "the server requires a client certificate and the SSL 3.0 client answered no_certificate");
    emitState("no client certificate", "the client has none (no_certificate alert); the server asked but does not insist");
}

void Server::onCertificate(const HandshakeFrame& frame)
{
    const CertificateMessage msg = CertificateMessage::decode(frame.body);
    if (msg.certificateList.empty()) {
        m_facts.set(Condition::ClientCertificateSent, false);
        if (m_config.clientAuth == ClientAuthMode::Require)
            throw TlsError(AlertDescription::HandshakeFailure,
                           "the server requires a client certificate and the client sent none (RFC 5246 §7.4.6)");
        emitState("no client certificate", "the client sent an empty list; the server asked but does not insist");
        return;
    }
    m_facts.set(Condition::ClientCertificateMessage, true);
    m_clientChain = verifyPeerChain(msg.certificateList, false);
    if (m_config.directory)
        checkDirectory(m_clientChain.front());
    m_facts.set(Condition::ClientCertificateSent, true);
}

void Server::checkDirectory(const Certificate& leaf)
{
    const Directory& directory = *m_config.directory;
    const std::string subject = leaf.subject.toString();
    const auto check = [&](const std::string& what, bool passed, const std::string& detail) {
        m_trace.add(CertificateCheckEvent{Side::Server, 0, subject, what, passed, detail});
    };
    Directory::Query q;
    try {
        q = directory.find(leaf.subject, m_config.directoryMatch);
    } catch (const DirectoryError& e) {
        const std::string why = "the server could not consult " + directory.name() + ": " + e.what();
        check("directory entry", false, why);
        throw TlsError(AlertDescription::InternalError, why + "; without its answer it cannot accept the client");
    } catch (const std::invalid_argument& e) {
        check("directory entry", false, e.what());
        throw TlsError(AlertDescription::AccessDenied, std::string(e.what()) + ", so no user entry can be found");
    }
    const std::string where = q.description + " in " + directory.name();
    if (q.entries.empty()) {
        const std::string why = "the server looked up " + where + " and found no such user";
        check("directory entry", false, why);
        throw TlsError(AlertDescription::AccessDenied,
                       why + ": the certificate is valid, but it belongs to nobody this server lets in");
    }
    std::string found;
    for (const DirectoryEntry& e : q.entries)
        found += (found.empty() ? "" : "; ") + e.dn;
    check("directory entry", true, "the server looked up " + where + " and found " + found);
    for (const DirectoryEntry& e : q.entries)
        for (const Bytes& der : e.certificates)
            if (der == leaf.der) {
                check("directory certificate", true,
                      "the entry " + e.dn + " holds this very certificate (serial " + colonHexSerial(leaf.serial) +
                          ") in userCertificate: the directory still stands behind it");
                emitState("directory check", "the client's certificate is stored in its user's entry " + e.dn +
                                                 ", so the server accepts it");
                return;
            }
    std::size_t held = 0;
    for (const DirectoryEntry& e : q.entries)
        held += e.certificates.size();
    const std::string why = "the entry " + q.entries.front().dn + " (" + q.description + ") holds " +
                            (held == 0 ? std::string("no certificate")
                                       : std::to_string(held) + (held == 1 ? " certificate" : " certificates") +
                                             ", but not this one (serial " + colonHexSerial(leaf.serial) + ")") +
                            " in userCertificate";
    check("directory certificate", false,
          why + ": the administrator removed or replaced it, as is done when a certificate is withdrawn");
    throw TlsError(AlertDescription::AccessDenied, "the client's certificate is not in its user's directory entry: " + why);
}

void Server::onClientKeyExchange(const HandshakeFrame& frame)
{
    if (m_config.clientAuth != ClientAuthMode::None && m_clientChain.empty()) {
        // An SSL 3.0 client that skipped both its Certificate and the no_certificate alert still sent nothing.
        if (m_config.clientAuth == ClientAuthMode::Require)
            throw TlsError(AlertDescription::HandshakeFailure,
                           "the server requires a client certificate and the client sent none");
        m_facts.set(Condition::ClientCertificateSent, false);
    }
    const ClientKeyExchange cke = ClientKeyExchange::decode(frame.body, m_suite->keyExchange, nullptr, 0, m_version);
    Bytes preMaster;
    if (m_suite->keyExchange == KeyExchangeKind::Rsa) {
        // RFC 5246 §7.4.7.1: never reveal whether decryption failed. Prepare a random pre-master first and use
        // it whenever the padding or the length is wrong; always take the version bytes from ClientHello.
        Bytes fallback(48);
        m_rng.GenerateBlock(fallback.data(), fallback.size());
        const std::optional<Bytes> m = m_credential->key.rsaDecryptPkcs1(cke.exchangeKeys, m_rng);
        const bool decrypted = m && m->size() == 48;
        preMaster = decrypted ? *m : fallback;
        // The trace may say what the wire must not: a student needs to see why the run fails two messages later.
        if (!decrypted)
            emitState("pre-master secret unreadable",
                      "the encrypted pre-master secret does not decrypt with the server's private key (the "
                      "certificate's key and the key this server holds may not be a pair). RFC 5246 §7.4.7.1: the "
                      "server says nothing and goes on with a random pre-master secret, so that an attacker learns "
                      "nothing from the answer (Bleichenbacher); the two sides now derive different keys, and the "
                      "client's first encrypted record will not decrypt");
        preMaster[0] = static_cast<std::uint8_t>(m_clientHello.clientVersion >> 8);
        preMaster[1] = static_cast<std::uint8_t>(m_clientHello.clientVersion);
    } else {
        preMaster = m_agreement->sharedSecret(cke.exchangeKeys);
    }
    std::optional<Bytes> sessionHash;
    if (m_useExtendedMasterSecret)
        sessionHash = handshakeHash(m_transcript.messages().size()); // includes this ClientKeyExchange
    deriveKeys(preMaster, sessionHash);
}

void Server::onCertificateVerify(const HandshakeFrame& frame)
{
    const CertificateVerify cv = CertificateVerify::decode(frame.body, nullptr, 0, m_version);
    if (m_clientChain.empty())
        throw TlsError(AlertDescription::UnexpectedMessage, "CertificateVerify without a client certificate");
    const PublicKey& key = m_clientChain.front().publicKey;
    const ByteView signedData = transcriptUpTo(m_currentMessageStart);
    bool ok = false;
    if (m_version >= kTls12) {
        if (!contains(m_requestedSchemes, cv.signatureScheme))
            throw TlsError(AlertDescription::IllegalParameter,
                           "the client signed with " + signatureSchemeName(cv.signatureScheme) +
                               ", which the CertificateRequest did not allow");
        ok = key.supports(static_cast<SignatureScheme>(cv.signatureScheme)) &&
             key.verify(static_cast<SignatureScheme>(cv.signatureScheme), signedData, cv.signature);
    } else if (m_version == kSsl30) {
        ok = key.verifyMd5Sha1(ssl3CertificateVerifyDigest(m_master, signedData), cv.signature);
    } else {
        ok = verifyLegacySignature(key, signedData, cv.signature);
    }
    m_trace.add(CertificateCheckEvent{Side::Server, 0, m_clientChain.front().subject.toString(), "CertificateVerify",
                                      ok,
                                      ok ? "the client's signature over the handshake verifies: it holds the "
                                           "certificate's private key"
                                         : "the client's signature over the handshake does not verify"});
    if (!ok)
        throw TlsError(AlertDescription::DecryptError,
                       "CertificateVerify does not verify with the client certificate's key: the client does not "
                       "prove it owns that certificate");
}

void Server::onFinished(const HandshakeFrame& frame)
{
    const Finished fin = Finished::decode(frame.body, nullptr, 0, verifyDataLength(m_version));
    checkPeerFinished(fin.verifyData);
    sendFlight();
    if (failed())
        return;
    markHandshakeComplete();
    saveSession();
}

} // namespace hl
