// Client side of the TLS 1.2 full handshake.
#include "client/client.h"

#include "messages/certificate.h"
#include "messages/certificate_status.h"
#include "messages/certificate_verify.h"
#include "messages/client_key_exchange.h"
#include "messages/extensions.h"
#include "messages/finished.h"
#include "messages/server_hello.h"
#include "messages/server_key_exchange.h"
#include "session/version_rules.h"
#include "x509/ocsp.h"

#include <algorithm>

namespace hl {

namespace {
template <typename T>
bool contains(const std::vector<T>& v, T x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

bool keyFitsSuite(const PublicKey& key, const CipherSuite& suite)
{
    return suite.serverKeyIsEcdsa() ? key.type() == KeyType::EcdsaP256 : key.type() == KeyType::Rsa;
}

// RFC 6066 §3: a literal IP address is not a valid server_name.
bool isHostName(const std::string& name)
{
    return !name.empty() && name.find_first_not_of("0123456789.") != std::string::npos &&
           name.find(':') == std::string::npos;
}
} // namespace

Client::Client(EndpointConfig config, CryptoPP::RandomNumberGenerator& rng, Trace& trace, TraceOptions traceOptions)
    : Connection(Side::Client, std::move(config), rng, trace, traceOptions)
{
    // Every suite this engine speaks authenticates the server with a certificate.
    m_facts.set(Condition::ServerAuthenticated, true);
}

Client::~Client() = default;

void Client::onStart()
{
    emitState("ExpectServerHello", "the client opens the handshake");
    sendFlight();
}

void Client::sendStep(const FlowStep& step)
{
    const MessageId id = step.message;
    if (id.contentType == ContentType::ChangeCipherSpec) {
        sendChangeCipherSpec();
        return;
    }
    switch (static_cast<HandshakeType>(id.handshakeType)) {
    case HandshakeType::ClientHello: sendClientHello(); return;
    case HandshakeType::Certificate: {
        CertificateMessage msg;
        if (m_credential)
            for (const Certificate& c : m_credential->chain)
                msg.certificateList.push_back(c.der);
        sendHandshake(HandshakeType::Certificate, msg.serialize());
        return;
    }
    case HandshakeType::ClientKeyExchange: sendClientKeyExchange(); return;
    case HandshakeType::CertificateVerify: sendCertificateVerify(); return;
    case HandshakeType::Finished: {
        Finished fin;
        fin.verifyData = ownVerifyData();
        sendHandshake(HandshakeType::Finished, fin.serialize());
        if (!m_resumed)
            emitState("ExpectChangeCipherSpec", "the client waits for the server's ChangeCipherSpec and Finished");
        return;
    }
    default: break;
    }
    throw std::logic_error("the client has no " + std::string(step.name) + " to send");
}

void Client::sendClientHello()
{
    m_clientRandom.resize(32);
    m_rng.GenerateBlock(m_clientRandom.data(), m_clientRandom.size());
    emitSecret("client_random", "Client random", m_clientRandom,
               "32 bytes from the client's random generator, sent in ClientHello");

    const ProtocolVersion maxVersion = m_config.maxVersion;
    m_hello = ClientHello{};
    // RFC 5246 App. E.1: the client offers its highest version; the server answers with its choice.
    m_hello.clientVersion = maxVersion;
    m_hello.random = m_clientRandom;
    m_hello.compressionMethods = {0};
    // RFC 5246 §7.4.1.2: a client that wants to resume puts the saved session's ID in its hello; it still makes a
    // complete offer, since the server may not remember the session.
    if (const auto& saved = m_config.resumeSession; saved && m_config.sessionTickets && !saved->ticket.empty()) {
        offerTicket();
    } else if (saved && !saved->sessionId.empty()) {
        m_hello.sessionId = saved->sessionId;
        m_offersResumption = true;
        emitState("offering resumption",
                  "the client names the session saved from an earlier connection (" + versionName(saved->version) +
                      ", " + cipherSuiteName(saved->cipherSuite) +
                      (saved->extendedMasterSecret ? ", extended master secret" : "") +
                      ") by its ID, hoping to skip the key exchange");
    }

    bool anyEcdhe = false;
    bool anyDhe = false;
    for (std::uint16_t id : m_config.cipherSuites) {
        const CipherSuite* s = findCipherSuite(id);
        // A suite no offered version can use (AES-GCM to a TLS 1.0 server, say) is left out, as real clients do.
        if (s && !s->allowedWith(maxVersion))
            continue;
        m_hello.cipherSuites.push_back(id);
        if (s) {
            anyEcdhe |= s->usesEcdhe();
            anyDhe |= s->keyExchange == KeyExchangeKind::DheRsa;
        }
    }
    if (m_hello.cipherSuites.empty())
        throw TlsError(AlertDescription::HandshakeFailure,
                       "none of the client's cipher suites can be used with " + versionName(maxVersion));
    if (maxVersion == kSsl30) {
        // SSL 3.0 has no extensions (RFC 6101): the hello ends after compression_methods. RFC 5746 §3.3 signals secure
        // renegotiation with a pseudo cipher suite instead.
        m_hello.hasExtensionBlock = false;
        if (m_config.secureRenegotiation && handshakeNumber() == 1)
            m_hello.cipherSuites.push_back(kEmptyRenegotiationInfoScsv);
    }
    // RFC 7507 §4: a retry at lower versions says so, letting a server that can do better refuse it.
    if (m_config.fallbackScsv)
        m_hello.cipherSuites.push_back(kFallbackScsv);
    if (maxVersion == kSsl30) {
        sendHandshake(HandshakeType::ClientHello, m_hello.serialize());
        return;
    }
    std::vector<Extension>& ext = m_hello.extensions;
    if (m_config.serverName && isHostName(*m_config.serverName))
        ext.push_back(ext::serverName(*m_config.serverName));
    if (m_config.requestCertificateStatus || m_config.requireCertificateStatus)
        ext.push_back(ext::statusRequestOcsp());
    if (anyEcdhe || anyDhe) {
        std::vector<std::uint16_t> groups;
        for (std::uint16_t g : m_config.groups) {
            const bool ffdhe = g >= 256 && g <= 511; // RFC 7919 §2: the FFDHE range
            // RFC 7919 §3: list ffdhe groups only when offering DHE, curves only when offering ECDHE.
            if ((ffdhe && anyDhe) || (!ffdhe && anyEcdhe))
                groups.push_back(g);
        }
        ext.push_back(ext::supportedGroups(groups));
    }
    if (anyEcdhe)
        ext.push_back(ext::ecPointFormats({0})); // uncompressed only (RFC 8422 §5.1.2)
    // RFC 5246 §7.4.1.4.1: signature_algorithms means nothing before TLS 1.2 and must not be offered then.
    if (maxVersion >= kTls12)
        ext.push_back(ext::signatureAlgorithms(m_config.signatureSchemes));
    if (m_config.secureRenegotiation)
        ext.push_back(ext::renegotiationInfo(renegotiatedConnectionToSend()));
    if (m_config.extendedMasterSecret)
        ext.push_back(ext::extendedMasterSecret());
    // RFC 5077 §3.2: empty asks for a ticket; the saved ticket asks to resume by it.
    if (m_config.sessionTickets)
        ext.push_back(ext::sessionTicket(m_offersTicket ? ByteView(m_config.resumeSession->ticket) : ByteView{}));
    sendHandshake(HandshakeType::ClientHello, m_hello.serialize());
}

bool Client::offered(ExtensionType type) const { return findExtension(m_hello.extensions, type) != nullptr; }

void Client::onHandshakeMessage(const HandshakeFrame& frame)
{
    switch (static_cast<HandshakeType>(frame.type)) {
    case HandshakeType::ServerHello: onServerHello(frame); return;
    case HandshakeType::Certificate: onCertificate(frame); return;
    case HandshakeType::CertificateStatus: onCertificateStatus(frame); return;
    case HandshakeType::ServerKeyExchange:
        requireCertificateStatus("its ServerKeyExchange came next");
        onServerKeyExchange(frame);
        return;
    case HandshakeType::CertificateRequest:
        requireCertificateStatus("its CertificateRequest came next");
        onCertificateRequest(frame);
        return;
    case HandshakeType::ServerHelloDone:
        requireCertificateStatus("its ServerHelloDone came next");
        onServerHelloDone();
        return;
    case HandshakeType::NewSessionTicket: onNewSessionTicket(frame); return;
    case HandshakeType::Finished: onFinished(frame); return;
    default: break;
    }
    throw TlsError(AlertDescription::UnexpectedMessage, "a client never receives " + handshakeName(frame.type));
}

void Client::onServerHello(const HandshakeFrame& frame)
{
    const ServerHello sh = ServerHello::decode(frame.body);
    const ProtocolVersion v = sh.serverVersion;
    if (v < m_config.minVersion || v > m_config.maxVersion)
        throw TlsError(AlertDescription::ProtocolVersion,
                       "the server chose " + versionWithWire(v) + ", but this client accepts " +
                           versionRangeText(m_config.minVersion, m_config.maxVersion));
    if (handshakeNumber() > 1 && v != m_version)
        throw TlsError(AlertDescription::ProtocolVersion,
                       "the server renegotiates with " + versionWithWire(v) + ", but the connection runs " +
                           versionName(m_version) + "; a renegotiation keeps the version");
    setNegotiatedVersion(v);
    if (!contains(m_hello.cipherSuites, sh.cipherSuite) || sh.cipherSuite == kEmptyRenegotiationInfoScsv ||
        sh.cipherSuite == kFallbackScsv)
        throw TlsError(AlertDescription::IllegalParameter,
                       "the server chose " + cipherSuiteName(sh.cipherSuite) + ", which the client never offered");
    m_suite = findCipherSuite(sh.cipherSuite);
    if (!m_suite)
        throw TlsError(AlertDescription::IllegalParameter, "unknown cipher suite " + cipherSuiteName(sh.cipherSuite));
    m_trace.cipherSuite = m_suite->id; // known from here on, so a run that fails later still names it
    if (!m_suite->allowedWith(v))
        throw TlsError(AlertDescription::IllegalParameter,
                       "the server chose " + std::string(m_suite->name) + " with " + versionName(v) +
                           ", but that suite needs " + versionName(m_suite->minVersion) + " or later");
    // RFC 8446 §4.1.3: a server able to do TLS 1.2 or better that answers with TLS 1.1 or below says so in the last 8
    // bytes of its random. A client that offered TLS 1.2 and reads it knows someone pushed the version down.
    if (m_config.downgradeSentinel && m_config.maxVersion >= kTls12 && v < kTls12 &&
        hasDowngradeSentinel(sh.random)) {
        m_trace.add(StateEvent{Side::Client, "downgrade detected",
                               "ServerHello.random ends in \"DOWNGRD\" 00: the server supports TLS 1.2 yet answered "
                               "with " + versionName(v)});
        throw TlsError(AlertDescription::IllegalParameter,
                       "the server's random ends with the downgrade sentinel (\"DOWNGRD\" 00, RFC 8446 §4.1.3): it "
                       "can speak TLS 1.2, so the " + versionName(v) + " it answered with was forced on it, most "
                       "likely by someone rewriting the client's offer");
    }
    if (m_traceOptions.incoming) {
        // Facing a foreign server, only the client's side of the negotiation is known.
        Negotiation n;
        n.connection = m_trace.connection();
        n.recordedBy = Side::Client;
        n.clientVersion = m_hello.clientVersion;
        n.version = v;
        n.offeredSuites = m_hello.cipherSuites;
        n.suite = m_suite->id;
        n.versionRule = "the client offered up to " + versionWithWire(m_hello.clientVersion) + "; the server chose " +
                        versionWithWire(v);
        n.suiteRule = "the server chose " + std::string(m_suite->name) + " from the client's " +
                      std::to_string(m_hello.cipherSuites.size()) + " offered suites";
        m_trace.negotiations.push_back(std::move(n));
    }
    if (sh.compressionMethod != 0)
        throw TlsError(AlertDescription::IllegalParameter,
                       "the server chose compression method " + std::to_string(sh.compressionMethod) +
                           "; the client offered only null compression");
    // RFC 5246 §7.4.1.4: a server may only answer extensions the client sent.
    bool sawRenegotiationInfo = false;
    std::optional<Bytes> renegotiationInfo;
    for (const Extension& e : sh.extensions) {
        if (!offered(static_cast<ExtensionType>(e.type)))
            throw TlsError(AlertDescription::UnsupportedExtension,
                           "the server answered with " + extensionName(e.type) + ", which the client never sent");
        if (e.type == static_cast<std::uint16_t>(ExtensionType::RenegotiationInfo)) {
            sawRenegotiationInfo = true;
            renegotiationInfo = ext::parseRenegotiationInfo(e.data);
            // RFC 5746 §3.4: on an initial handshake the server's renegotiated_connection must be empty.
            if (handshakeNumber() == 1 && !renegotiationInfo->empty())
                throw TlsError(AlertDescription::HandshakeFailure,
                               "renegotiation_info must be empty on a first handshake (RFC 5746 §3.4)");
        }
        if (e.type == static_cast<std::uint16_t>(ExtensionType::StatusRequest)) {
            // RFC 6066 §8: the server's status_request is empty; it promises a CertificateStatus (which it may
            // still leave out).
            if (!e.data.empty())
                throw TlsError(AlertDescription::DecodeError,
                               "the server's status_request extension must be empty (RFC 6066 §8)");
            m_statusPromised = true;
        }
        if (e.type == static_cast<std::uint16_t>(ExtensionType::ExtendedMasterSecret)) {
            ext::parseExtendedMasterSecret(e.data);
            // SSL 3.0 has no PRF to derive it with (RFC 7627 §5.1 applies to TLS).
            m_useExtendedMasterSecret = v >= kTls10;
        }
    }
    onServerTicketExtension(sh);
    if (handshakeNumber() == 1)
        m_secureRenegotiationAgreed = sawRenegotiationInfo; // RFC 5746 §3.4
    else
        checkPeerRenegotiationInfo(renegotiationInfo, false);
    m_serverRandom = sh.random;
    emitSecret("server_random", "Server random", m_serverRandom, "32 bytes chosen by the server, sent in ServerHello");
    m_sessionId = sh.sessionId;
    if (m_offersResumption && sh.sessionId == m_hello.sessionId) {
        resumeSavedSession(sh);
        return;
    }
    if (m_offersResumption)
        emitState("not resumed", "the server answered with " +
                                     std::string(sh.sessionId.empty() ? "no session ID" : "a new session ID") +
                                     ", not the one offered: it does not resume that session" +
                                     (m_offersTicket ? " (it could not or would not use the ticket)" : "") +
                                     ", and the full handshake follows");
    m_facts.set(Condition::EphemeralKeyExchange, m_suite->isEphemeral());
    // A client that never asked for a stapled response expects none: too ordinary to show as a skipped step.
    if (!offered(ExtensionType::StatusRequest))
        m_facts.setNotInPlay(Condition::CertificateStatusSent);
    else if (!m_statusPromised)
        m_facts.set(Condition::CertificateStatusSent, false);
    emitState("ExpectCertificate",
              "negotiated " + versionWithWire(v) + " and " + std::string(m_suite->name) +
                  (m_useExtendedMasterSecret ? ", extended master secret" : "") +
                  (sawRenegotiationInfo ? ", secure renegotiation" : ""));
}

void Client::resumeSavedSession(const ServerHello& sh)
{
    const SavedSession& saved = *m_config.resumeSession;
    // RFC 5246 §7.4.1.3: a resumed session keeps its suite and version.
    if (m_version != saved.version || sh.cipherSuite != saved.cipherSuite)
        throw TlsError(AlertDescription::IllegalParameter,
                       "the server resumes the session but answers with " + versionName(m_version) + " and " +
                           cipherSuiteName(sh.cipherSuite) + ", while the session was " + versionName(saved.version) +
                           " with " + cipherSuiteName(saved.cipherSuite) + " (RFC 5246 §7.4.1.3)");
    // RFC 7627 §5.3: the extension must be there again exactly when the session was made with it.
    if (saved.extendedMasterSecret != m_useExtendedMasterSecret)
        throw TlsError(AlertDescription::HandshakeFailure,
                       saved.extendedMasterSecret
                           ? "the server resumes a session made with the extended master secret but leaves the "
                             "extension out of its ServerHello (RFC 7627 §5.3)"
                           : "the server resumes a session made without the extended master secret but now answers "
                             "with the extension (RFC 7627 §5.3)");
    m_resumed = true;
    m_flow.switchTo(resumedHandshakeFlow());
    for (const Bytes& der : saved.peerCertificates)
        m_serverChain.push_back(Certificate::parse(der));
    if (m_offersTicket) {
        emitState("resuming", "the server echoed the session ID sent beside the ticket: it opened the ticket (RFC 5077 "
                              "§3.4), so no certificate and no key exchange follow; the server sends its "
                              "ChangeCipherSpec and Finished first");
        deriveKeysFromSavedMaster(saved.masterSecret, "session ticket");
        return;
    }
    emitState("resuming", "the server echoed the session ID: it remembers the session, so no certificate and no key "
                          "exchange follow; the server sends its ChangeCipherSpec and Finished first");
    deriveKeysFromSavedMaster(saved.masterSecret, "session ID " + toHex(saved.sessionId).substr(0, 16) + "…");
}

void Client::resetHandshakeState()
{
    // RFC 5246 §7.4.1.2: a renegotiating client may offer the connection's own session, to resume it.
    std::optional<SavedSession> own = m_config.renegotiationResumes ? savedSession() : std::nullopt;
    m_config.resumeSession = std::move(own);
    m_facts.set(Condition::ServerAuthenticated, true);
    m_serverChain.clear();
    m_agreement.reset();
    m_serverPublic.clear();
    m_dhP.clear();
    m_dhG.clear();
    m_group = 0;
    m_certificateRequest.reset();
    m_credential = nullptr;
    m_clientSignatureScheme = 0;
    m_offersResumption = false;
}

std::optional<SavedSession> Client::savedSession() const
{
    // A ticket is the newest one the server sent; a resumption that brought none keeps the ticket it used.
    Bytes ticket;
    std::uint32_t lifetime = 0;
    if (m_newTicket) {
        ticket = *m_newTicket;
        lifetime = m_newTicketLifetime;
    } else if (m_resumed && m_offersTicket) {
        ticket = m_config.resumeSession->ticket;
        lifetime = m_config.resumeSession->ticketLifetimeHint;
    }
    if (!handshakeComplete() || failed() || (m_sessionId.empty() && ticket.empty()))
        return std::nullopt;
    SavedSession s =
        sessionState(m_sessionId, m_serverChain, m_resumed ? m_config.resumeSession->createdAt : m_config.now);
    s.ticket = std::move(ticket);
    s.ticketLifetimeHint = lifetime;
    return s;
}

void Client::onCertificate(const HandshakeFrame& frame)
{
    const CertificateMessage msg = CertificateMessage::decode(frame.body);
    if (msg.certificateList.empty())
        throw TlsError(AlertDescription::DecodeError, "the server's Certificate message is empty");
    m_serverChain = verifyPeerChain(msg.certificateList, true);
    if (!keyFitsSuite(m_serverChain.front().publicKey, *m_suite))
        throw TlsError(AlertDescription::UnsupportedCertificate,
                       "the server's certificate holds a " + m_serverChain.front().publicKey.description() +
                           " key, which cannot be used with " + std::string(m_suite->name));
}

const Certificate* Client::issuerOfServerLeaf() const
{
    const Certificate& leaf = m_serverChain.front();
    if (m_serverChain.size() > 1 && m_serverChain[1].subject == leaf.issuer)
        return &m_serverChain[1];
    for (const Certificate& anchor : m_config.trustAnchors)
        if (anchor.subject == leaf.issuer)
            return &anchor;
    return nullptr;
}

void Client::onCertificateStatus(const HandshakeFrame& frame)
{
    const CertificateStatus status = CertificateStatus::decode(frame.body);
    m_statusChecked = true;
    const Certificate& leaf = m_serverChain.front();
    const Certificate* issuer = issuerOfServerLeaf();
    if (!issuer) {
        const std::string why = "the stapled response cannot be checked: the issuer of " + leaf.subject.toString() +
                                " (" + leaf.issuer.toString() + ") is neither in the chain nor a trusted CA";
        m_trace.add(CertificateCheckEvent{Side::Client, 0, leaf.subject.toString(), "OCSP responder", false, why});
        throw TlsError(AlertDescription::BadCertificateStatusResponse, why);
    }
    const OcspCheck check = checkOcspResponse(status.response, leaf, *issuer, m_config.now);
    for (const VerificationStep& s : check.steps)
        m_trace.add(CertificateCheckEvent{Side::Client, s.certificateIndex, s.subject, s.check, s.passed, s.detail});
    if (!check.ok)
        throw TlsError(check.alert, check.reason);
}

void Client::requireCertificateStatus(const std::string& why)
{
    if (!m_config.requireCertificateStatus || m_statusChecked || m_resumed)
        return;
    m_statusChecked = true; // asked once, at the first message after the certificate
    const std::string what = m_statusPromised
                                 ? "the server promised a certificate status in its ServerHello but sent none: " + why
                                 : "the server did not answer status_request, so it staples no OCSP response";
    m_trace.add(CertificateCheckEvent{Side::Client, 0, m_serverChain.empty() ? "" : m_serverChain.front().subject.toString(),
                                      "OCSP stapling", false,
                                      what + "; this client demands one (must-staple) and cannot know whether the "
                                             "certificate was revoked"});
    // RFC 6066 §8's alert for a status the client cannot accept; a missing one is refused the same way.
    throw TlsError(AlertDescription::BadCertificateStatusResponse,
                   what + ", and this client requires a stapled OCSP response (must-staple)");
}

void Client::onServerKeyExchange(const HandshakeFrame& frame)
{
    const ServerKeyExchange ske = ServerKeyExchange::decode(frame.body, m_suite->keyExchange, nullptr, 0, m_version);
    if (m_suite->usesEcdhe()) {
        if (!contains(m_config.groups, ske.namedGroup))
            throw TlsError(AlertDescription::IllegalParameter,
                           "the server chose the group " + groupName(ske.namedGroup) + ", which the client never offered");
        m_group = ske.namedGroup;
        m_serverPublic = ske.publicKey;
    } else {
        m_dhP = ske.dhP;
        m_dhG = ske.dhG;
        m_serverPublic = ske.dhYs;
    }
    const PublicKey& key = m_serverChain.front().publicKey;
    const Bytes signedData = concat(m_clientRandom, m_serverRandom, ske.params());
    std::string algorithm;
    bool verified = false;
    if (m_version >= kTls12) {
        if (!contains(m_config.signatureSchemes, ske.signatureScheme))
            throw TlsError(AlertDescription::IllegalParameter,
                           "the server signed with " + signatureSchemeName(ske.signatureScheme) +
                               ", which the client did not list in signature_algorithms");
        if (!key.supports(static_cast<SignatureScheme>(ske.signatureScheme)))
            throw TlsError(AlertDescription::IllegalParameter,
                           signatureSchemeName(ske.signatureScheme) + " does not fit the certificate's " +
                               key.description() + " key");
        verified = key.verify(static_cast<SignatureScheme>(ske.signatureScheme), signedData, ske.signature);
        algorithm = signatureSchemeName(ske.signatureScheme);
    } else {
        verified = verifyLegacySignature(key, signedData, ske.signature);
        algorithm = legacySignatureName(key.type());
    }
    m_trace.add(CertificateCheckEvent{Side::Client, 0, m_serverChain.front().subject.toString(),
                                      "ServerKeyExchange signature", verified,
                                      algorithm +
                                          " signature over client_random + server_random + the (EC)DH parameters " +
                                          (verified ? "verifies with the certificate's key"
                                                    : "does NOT verify with the certificate's key: the parameters "
                                                      "were changed on the way, or the server holds another key "
                                                      "than its certificate names")});
    if (!verified)
        throw TlsError(AlertDescription::DecryptError,
                       "the ServerKeyExchange signature does not verify with the certificate's key: someone other "
                       "than the certificate's owner chose these parameters");
}

void Client::onCertificateRequest(const HandshakeFrame& frame)
{
    m_certificateRequest = CertificateRequest::decode(frame.body, nullptr, 0, m_version);
    m_facts.set(Condition::ClientAuthRequested, true);
    chooseClientCredential();
    // RFC 6101 §5.6.6: an SSL 3.0 client without a certificate sends no Certificate message but a no_certificate alert.
    m_facts.set(Condition::ClientCertificateMessage, m_credential != nullptr || m_version != kSsl30);
}

// RFC 5246 §7.4.4: certificate_authorities names the CAs whose certificates the server accepts; any certificate
// "issued by" one of them, at any point of its chain, will do. OpenSSL tests the same thing (the issuer name of each
// certificate of the chain against the list) when it chooses among several configured certificates.
bool Client::issuedByListedCa(const Credential& cred) const
{
    const std::vector<Bytes>& listed = m_certificateRequest->certificateAuthorities;
    for (const Certificate& c : cred.chain)
        for (const Bytes& name : listed)
            if (c.issuer.der == name || c.subject.der == name)
                return true;
    return false;
}

void Client::chooseClientCredential()
{
    const CertificateRequest& cr = *m_certificateRequest;
    // With one certificate configured the client sends it whatever the list says, as OpenSSL does with -cert, and
    // leaves the verdict to the server; with several it picks one issued by a CA the server named (an empty list
    // means any CA, RFC 5246 §7.4.4).
    const bool chooseByCa = m_config.credentials.size() > 1 && !cr.certificateAuthorities.empty();
    std::size_t passedOver = 0;
    for (const Credential& cred : m_config.credentials) {
        if (chooseByCa && !issuedByListedCa(cred)) {
            ++passedOver;
            emitState("client certificate", "the client passes over its certificate " +
                                                cred.chain.front().subject.toString() + " issued by " +
                                                cred.chain.front().issuer.toString() +
                                                ": no certificate of its chain was issued by a CA the server lists "
                                                "in certificate_authorities");
            continue;
        }
        const KeyType kt = cred.key.type();
        const std::uint8_t wanted = static_cast<std::uint8_t>(kt == KeyType::Rsa ? ClientCertificateType::RsaSign
                                                                                 : ClientCertificateType::EcdsaSign);
        if (!contains(cr.certificateTypes, wanted))
            continue;
        if (m_version < kTls12) {
            // Before TLS 1.2 the key's type fixes the signature; SSL 3.0 knows no ECDSA.
            if (m_version == kSsl30 && kt != KeyType::Rsa)
                continue;
            m_credential = &cred;
            break;
        }
        for (std::uint16_t scheme : m_config.signatureSchemes)
            if (contains(cr.signatureSchemes, scheme) &&
                cred.key.publicKey().supports(static_cast<SignatureScheme>(scheme))) {
                m_credential = &cred;
                m_clientSignatureScheme = scheme;
                break;
            }
        if (m_credential)
            break;
    }
    m_facts.set(Condition::ClientCertificateSent, m_credential != nullptr);
    const std::string byCa = chooseByCa && m_credential
                                 ? ", whose chain leads to a CA the server lists in its CertificateRequest"
                                 : std::string();
    emitState("client certificate",
              m_credential ? "the client will answer with its certificate " +
                                 m_credential->chain.front().subject.toString() + byCa
              : chooseByCa && passedOver == m_config.credentials.size()
                  ? "none of the client's " + std::to_string(passedOver) +
                        " certificates was issued by a CA the server lists, so it answers with an empty "
                        "Certificate and lets the server decide whether to go on without one"
                  : "the client has no certificate the server would accept and will send an empty list");
}

void Client::onServerHelloDone()
{
    if (!m_certificateRequest) {
        m_facts.set(Condition::ClientAuthRequested, false);
        m_facts.set(Condition::ClientCertificateSent, false);
        m_facts.set(Condition::ClientCertificateMessage, false);
    } else if (!m_credential && m_version == kSsl30) {
        sendAlert(AlertLevel::Warning, AlertDescription::NoCertificate,
                  "the server asked for a certificate and this SSL 3.0 client has none to send (RFC 6101 §5.6.6)");
    }
    sendFlight();
}

void Client::sendClientKeyExchange()
{
    ClientKeyExchange cke;
    cke.kind = m_suite->keyExchange;
    cke.version = m_version;
    Bytes preMaster;
    if (m_suite->keyExchange == KeyExchangeKind::Rsa) {
        // RFC 5246 §7.4.7.1: the version the client offered, then 46 random bytes.
        preMaster.resize(48);
        preMaster[0] = static_cast<std::uint8_t>(m_hello.clientVersion >> 8);
        preMaster[1] = static_cast<std::uint8_t>(m_hello.clientVersion);
        m_rng.GenerateBlock(preMaster.data() + 2, 46);
        cke.exchangeKeys = m_serverChain.front().publicKey.rsaEncryptPkcs1(preMaster, m_rng);
    } else {
        m_agreement = m_suite->usesEcdhe() ? KeyAgreement::generate(static_cast<NamedGroup>(m_group), m_rng)
                                           : KeyAgreement::generateDh(m_dhP, m_dhG, m_rng);
        emitSecret("client_ephemeral_private", "Client ephemeral private key", m_agreement->privateValue(),
                   "fresh random " + (m_suite->usesEcdhe() ? groupName(m_group) : std::string("DH")) +
                       " private key, used for this handshake only");
        cke.exchangeKeys = m_agreement->publicValue();
        preMaster = m_agreement->sharedSecret(m_serverPublic);
    }
    sendHandshake(HandshakeType::ClientKeyExchange, cke.serialize());
    // RFC 7627 §3: the session hash covers the handshake up to and including ClientKeyExchange.
    std::optional<Bytes> sessionHash;
    if (m_useExtendedMasterSecret)
        sessionHash = handshakeHash(m_transcript.messages().size());
    deriveKeys(preMaster, sessionHash);
}

void Client::sendCertificateVerify()
{
    // RFC 5246 §7.4.8: the signature covers every handshake message so far.
    CertificateVerify cv;
    cv.version = m_version;
    if (m_version >= kTls12) {
        cv.signatureScheme = m_clientSignatureScheme;
        cv.signature =
            m_credential->key.sign(static_cast<SignatureScheme>(cv.signatureScheme), m_transcript.messages(), m_rng);
    } else if (m_version == kSsl30) {
        // RFC 6101 §5.6.8: SSL 3.0 signs its own keyed hashes of the handshake, which include the master secret.
        cv.signature = m_credential->key.signMd5Sha1(ssl3CertificateVerifyDigest(m_master, m_transcript.messages()), m_rng);
    } else {
        cv.signature = signLegacy(m_credential->key, m_transcript.messages(), m_rng);
    }
    sendHandshake(HandshakeType::CertificateVerify, cv.serialize());
}

void Client::onFinished(const HandshakeFrame& frame)
{
    const Finished fin = Finished::decode(frame.body, nullptr, 0, verifyDataLength(m_version));
    checkPeerFinished(fin.verifyData);
    // In the abbreviated handshake the server finished first; the client's ChangeCipherSpec and Finished follow.
    sendFlight();
    if (!failed())
        markHandshakeComplete();
}

} // namespace hl
