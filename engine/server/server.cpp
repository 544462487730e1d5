// Server side of the TLS 1.2 full handshake.
#include "server/server.h"

#include "messages/certificate.h"
#include "messages/certificate_request.h"
#include "messages/certificate_verify.h"
#include "messages/client_key_exchange.h"
#include "messages/extensions.h"
#include "messages/finished.h"
#include "messages/server_hello.h"
#include "messages/server_key_exchange.h"

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
    m_facts.set(Condition::ServerAuthenticated, true);
    m_facts.set(Condition::ClientAuthRequested, m_config.clientAuth != ClientAuthMode::None);
    if (m_config.clientAuth == ClientAuthMode::None)
        m_facts.set(Condition::ClientCertificateSent, false);
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
    // RFC 5246 App. E.1: a client offering less than TLS 1.2 would need an older protocol we do not speak here.
    if (ch.clientVersion < m_config.version)
        throw TlsError(AlertDescription::ProtocolVersion,
                       "the client offers at most " + versionName(ch.clientVersion) + "; this server speaks only " +
                           versionName(m_config.version));
    if (!contains(ch.compressionMethods, std::uint8_t{0}))
        throw TlsError(AlertDescription::IllegalParameter,
                       "the client did not offer null compression, which every TLS client must (RFC 5246 §7.4.1.2)");
    if (const Extension* ri = findExtension(ch.extensions, ExtensionType::RenegotiationInfo)) {
        // RFC 5746 §3.6: on a first handshake the client's renegotiated_connection must be empty.
        if (!ext::parseRenegotiationInfo(ri->data).empty())
            throw TlsError(AlertDescription::HandshakeFailure,
                           "renegotiation_info must be empty on a first handshake (RFC 5746 §3.6)");
        m_secureRenegotiation = true;
    }
    if (contains(ch.cipherSuites, kEmptyRenegotiationInfoScsv))
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
    if (const Extension* ems = findExtension(ch.extensions, ExtensionType::ExtendedMasterSecret)) {
        ext::parseExtendedMasterSecret(ems->data);
        m_useExtendedMasterSecret = m_config.extendedMasterSecret;
    }
    negotiate();
    sendFlight();
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

    std::string whyNot;
    for (std::uint16_t id : m_config.cipherSuites) {
        const CipherSuite* suite = findCipherSuite(id);
        if (!suite || !contains(ch.cipherSuites, id))
            continue;
        const KeyType needed = suite->serverKeyIsEcdsa() ? KeyType::EcdsaP256 : KeyType::Rsa;
        const Credential* cred = nullptr;
        for (const Credential& c : m_config.credentials)
            if (c.key.type() == needed) {
                cred = &c;
                break;
            }
        if (!cred) {
            whyNot += std::string(suite->name) + " needs a " + (needed == KeyType::Rsa ? "RSA" : "ECDSA") +
                      " certificate the server does not have; ";
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
                whyNot += std::string(suite->name) + ": no elliptic curve in common; ";
                continue;
            }
        } else if (suite->keyExchange == KeyExchangeKind::DheRsa) {
            // RFC 7919 §4: if the client lists ffdhe groups, the server must use one of them.
            const bool clientListsFfdhe =
                std::any_of(clientGroups.begin(), clientGroups.end(), [](std::uint16_t g) { return isFfdhe(g); });
            if (clientListsFfdhe && !contains(clientGroups, kFfdhe2048)) {
                whyNot += std::string(suite->name) + ": the client's finite-field groups do not include ffdhe2048; ";
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
        if (suite->isEphemeral()) {
            for (std::uint16_t s : m_config.signatureSchemes)
                if (contains(acceptable, s) && cred->key.publicKey().supports(static_cast<SignatureScheme>(s))) {
                    scheme = s;
                    break;
                }
            if (!scheme) {
                whyNot += std::string(suite->name) + ": no signature algorithm in common; ";
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
        std::string offered;
        for (std::uint16_t id : ch.cipherSuites)
            if (id != kEmptyRenegotiationInfoScsv)
                offered += (offered.empty() ? "" : ", ") + cipherSuiteName(id);
        throw TlsError(AlertDescription::HandshakeFailure,
                       "no cipher suite both sides accept (client offered: " + offered + ")" +
                           (whyNot.empty() ? std::string() : "; " + whyNot.substr(0, whyNot.size() - 2)));
    }
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
    case HandshakeType::ServerKeyExchange: sendServerKeyExchange(); return;
    case HandshakeType::CertificateRequest: sendCertificateRequest(); return;
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
    emitSecret("server_random", "Server random", m_serverRandom,
               "32 bytes from the server's random generator, sent in ServerHello");
    ServerHello sh;
    sh.serverVersion = m_config.version;
    sh.random = m_serverRandom;
    // An empty session_id tells the client this session will not be cached for resumption.
    sh.cipherSuite = m_suite->id;
    sh.compressionMethod = 0;
    if (m_secureRenegotiation && m_config.secureRenegotiation)
        sh.extensions.push_back(ext::renegotiationInfo({}));
    if (m_clientSentServerName)
        sh.extensions.push_back(Extension{static_cast<std::uint16_t>(ExtensionType::ServerName), {}});
    if (m_clientSentPointFormats && m_suite->usesEcdhe())
        sh.extensions.push_back(ext::ecPointFormats({0}));
    if (m_useExtendedMasterSecret)
        sh.extensions.push_back(ext::extendedMasterSecret());
    sh.hasExtensionBlock = !sh.extensions.empty();
    sendHandshake(HandshakeType::ServerHello, sh.serialize());
}

void Server::sendServerKeyExchange()
{
    ServerKeyExchange ske;
    ske.kind = m_suite->keyExchange;
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
    ske.signature = m_credential->key.sign(static_cast<SignatureScheme>(m_signatureScheme), signedData, m_rng);
    sendHandshake(HandshakeType::ServerKeyExchange, ske.serialize());
}

void Server::sendCertificateRequest()
{
    CertificateRequest cr;
    cr.certificateTypes = {static_cast<std::uint8_t>(ClientCertificateType::RsaSign),
                           static_cast<std::uint8_t>(ClientCertificateType::EcdsaSign)};
    cr.signatureSchemes = m_config.signatureSchemes;
    m_requestedSchemes = cr.signatureSchemes;
    for (const Certificate& anchor : m_config.trustAnchors)
        cr.certificateAuthorities.push_back(anchor.subject.der);
    sendHandshake(HandshakeType::CertificateRequest, cr.serialize());
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
    m_clientChain = verifyPeerChain(msg.certificateList, false);
    m_facts.set(Condition::ClientCertificateSent, true);
}

void Server::onClientKeyExchange(const HandshakeFrame& frame)
{
    if (m_config.clientAuth != ClientAuthMode::None && m_clientChain.empty())
        m_facts.set(Condition::ClientCertificateSent, false);
    const ClientKeyExchange cke = ClientKeyExchange::decode(frame.body, m_suite->keyExchange);
    Bytes preMaster;
    if (m_suite->keyExchange == KeyExchangeKind::Rsa) {
        // RFC 5246 §7.4.7.1: never reveal whether decryption failed. Prepare a random pre-master first and use
        // it whenever the padding or the length is wrong; always take the version bytes from ClientHello.
        Bytes fallback(48);
        m_rng.GenerateBlock(fallback.data(), fallback.size());
        const std::optional<Bytes> m = m_credential->key.rsaDecryptPkcs1(cke.exchangeKeys, m_rng);
        preMaster = (m && m->size() == 48) ? *m : fallback;
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
    const CertificateVerify cv = CertificateVerify::decode(frame.body);
    if (m_clientChain.empty())
        throw TlsError(AlertDescription::UnexpectedMessage, "CertificateVerify without a client certificate");
    if (!contains(m_requestedSchemes, cv.signatureScheme))
        throw TlsError(AlertDescription::IllegalParameter,
                       "the client signed with " + signatureSchemeName(cv.signatureScheme) +
                           ", which the CertificateRequest did not allow");
    const PublicKey& key = m_clientChain.front().publicKey;
    const ByteView signedData = ByteView(m_transcript.messages()).first(m_currentMessageStart);
    const bool ok = key.supports(static_cast<SignatureScheme>(cv.signatureScheme)) &&
                    key.verify(static_cast<SignatureScheme>(cv.signatureScheme), signedData, cv.signature);
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
    const Finished fin = Finished::decode(frame.body);
    checkPeerFinished(fin.verifyData);
    sendFlight();
    markHandshakeComplete();
}

} // namespace hl
