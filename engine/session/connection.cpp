// Record handling, flow enforcement, alerts, key installation and tracing shared by both sides.
#include "session/connection.h"

#include "crypto/prf.h"
#include "messages/alert_message.h"
#include "messages/change_cipher_spec.h"
#include "messages/describe.h"
#include "messages/server_hello.h"
#include "record/protection.h"
#include "x509/verify.h"

#include <cryptopp/misc.h>

namespace hl {

namespace {
MessageId handshakeId(std::uint8_t type)
{
    return {ContentType::Handshake, type};
}
constexpr MessageId kCcsId{ContentType::ChangeCipherSpec, 0xff};

std::string sideTitle(Side s)
{
    return s == Side::Client ? "Client" : "Server";
}
} // namespace

Connection::Connection(Side side, EndpointConfig config, CryptoPP::RandomNumberGenerator& rng, Trace& trace,
                       TraceOptions traceOptions)
    : m_side(side), m_config(std::move(config)), m_rng(rng), m_trace(trace), m_traceOptions(traceOptions),
      m_flow(fullHandshakeFlow())
{
    // RFC 5246 App. E.1: the ClientHello record may say TLS 1.0 (SSL 3.0 for an SSL 3.0-only client) so that old
    // servers do not choke on it; a server's first record carries the version it chose.
    m_records.setWriteVersion(std::min(m_config.maxVersion, kTls10));
}

Connection::~Connection() = default;

void Connection::start()
{
    try {
        onStart();
    } catch (const TlsError& e) {
        fail(e);
    } catch (const std::exception& e) {
        fail(TlsError(AlertDescription::InternalError, e.what()));
    }
}

void Connection::receive(ByteView bytes)
{
    append(m_inBuffer, bytes);
    while (!m_inBuffer.empty()) {
        std::optional<std::size_t> len;
        try {
            len = completeRecordLength(m_inBuffer);
        } catch (const TlsError& e) {
            m_inBuffer.clear();
            fail(e);
            return;
        }
        if (!len)
            return;
        const Bytes record(m_inBuffer.begin(), m_inBuffer.begin() + static_cast<std::ptrdiff_t>(*len));
        m_inBuffer.erase(m_inBuffer.begin(), m_inBuffer.begin() + static_cast<std::ptrdiff_t>(*len));
        receiveRecord(record);
    }
}

void Connection::receiveRecord(ByteView record)
{
    if (m_failed)
        return; // RFC 5246 §7.2.2: after a fatal alert the connection is dead; nothing more is read.
    RecordView rec;
    bool opened = false;
    try {
        rec = m_records.open(record);
        opened = true;
        handleRecord(rec);
    } catch (const TlsError& e) {
        if (!opened && m_traceOptions.incoming) {
            RecordEvent ev;
            ev.from = peerOf(m_side);
            ev.wire.assign(record.begin(), record.end());
            ev.contentType = record.empty() ? 0 : record[0];
            ev.headerFields = describeRecordHeader(record);
            ev.isProtected = m_records.readProtected();
            ev.note = "could not be opened: " + std::string(e.what());
            m_trace.add(std::move(ev));
        }
        fail(e);
    } catch (const std::exception& e) {
        fail(TlsError(AlertDescription::InternalError, std::string("internal error: ") + e.what()));
    }
}

void Connection::handleRecord(const RecordView& rec)
{
    // Once the version is agreed every record carries it; another one in the header is refused, as OpenSSL and
    // GnuTLS do (RFC 5246 App. E.1: the record version is the negotiated one after ServerHello). A plaintext alert
    // is the exception: a peer that rejects our ServerHello never switched to its version, and what it says is
    // worth reading (OpenSSL reads it too).
    const bool plaintextAlert =
        rec.contentType == static_cast<std::uint8_t>(ContentType::Alert) && !rec.isProtected;
    if (m_version && rec.version != m_version && !plaintextAlert)
        throw TlsError(AlertDescription::ProtocolVersion,
                       "a record says " + versionWithWire(rec.version) + " in its header, but " +
                           versionName(m_version) + " was negotiated");
    // Empty application data is allowed (the record layer refuses every other empty record, RFC 5246 §6.2.1), but
    // an endless stream of them, or of warnings, keeps a peer busy for free: like OpenSSL, give up after 32 empty
    // records or 5 warning alerts in a row.
    if (rec.plaintext.empty()) {
        if (++m_emptyRecordsInARow > kMaxEmptyRecordsInARow)
            throw TlsError(AlertDescription::UnexpectedMessage,
                           "more than " + std::to_string(kMaxEmptyRecordsInARow) +
                               " empty records in a row: the peer sends nothing but keeps the connection busy");
    } else {
        m_emptyRecordsInARow = 0;
    }
    if (rec.contentType != static_cast<std::uint8_t>(ContentType::Alert))
        m_warningsInARow = 0;
    switch (static_cast<ContentType>(rec.contentType)) {
    case ContentType::Handshake: {
        const std::size_t streamStart = m_reassembler.received();
        m_reassembler.add(rec.plaintext);
        std::vector<HandshakeFrame> frames;
        while (auto f = m_reassembler.next())
            frames.push_back(std::move(*f));
        if (m_traceOptions.incoming)
            traceIncomingRecord(rec, frames, streamStart);
        handleHandshakeFrames(std::move(frames));
        return;
    }
    case ContentType::ChangeCipherSpec:
        if (m_traceOptions.incoming)
            traceIncomingRecord(rec, {}, 0);
        handleChangeCipherSpec(rec);
        return;
    case ContentType::Alert:
        if (m_traceOptions.incoming)
            traceIncomingRecord(rec, {}, 0);
        handleAlert(rec);
        return;
    case ContentType::ApplicationData:
        if (m_traceOptions.incoming)
            traceIncomingRecord(rec, {}, 0);
        handleApplicationData(rec);
        return;
    }
    throw TlsError(AlertDescription::UnexpectedMessage, "unknown record content type");
}

void Connection::handleHandshakeFrames(std::vector<HandshakeFrame> frames)
{
    for (HandshakeFrame& frame : frames) {
        if ((m_handshakeComplete && !m_renegotiating) ||
            frame.type == static_cast<std::uint8_t>(HandshakeType::HelloRequest)) {
            if (!startRenegotiationFrom(frame))
                continue;
        }
        const FlowTracker::Accepted acc = m_flow.accept(peerOf(m_side), handshakeId(frame.type), m_facts);
        if (m_traceOptions.incoming)
            for (const FlowStep* s : acc.skipped)
                m_trace.add(SkippedStepEvent{s->sender, std::string(s->name), skipReason(*s)});
        m_currentMessageStart = m_transcript.messages().size();
        m_transcript.update(frameHandshake(static_cast<HandshakeType>(frame.type), frame.body));
        onHandshakeMessage(frame);
        if (m_failed)
            return;
    }
}

void Connection::handleChangeCipherSpec(const RecordView& rec)
{
    ChangeCipherSpec::decode(rec.plaintext);
    if (!m_reassembler.empty())
        throw TlsError(AlertDescription::UnexpectedMessage,
                       "ChangeCipherSpec arrived in the middle of a handshake message");
    const FlowTracker::Accepted acc = m_flow.accept(peerOf(m_side), kCcsId, m_facts);
    (void)acc;
    if (!m_pendingRead)
        throw TlsError(AlertDescription::UnexpectedMessage, "ChangeCipherSpec arrived before any keys were agreed");
    const std::string desc = m_pendingRead->description();
    m_records.changeReadState(std::move(m_pendingRead));
    emitState("peer encrypts", sideTitle(peerOf(m_side)) + "'s records are protected with " + desc +
                                   " from here on; the " + sideName(m_side) + " now decrypts them");
}

void Connection::handleAlert(const RecordView& rec)
{
    const AlertMessage alert = AlertMessage::decode(rec.plaintext);
    AlertEvent ev;
    ev.side = m_side;
    ev.sent = false;
    ev.level = alert.level;
    ev.description = alert.rawDescription;
    ev.reason = sideTitle(peerOf(m_side)) + " sent " + alert.describe();
    m_trace.add(ev);
    if (alert.rawDescription == static_cast<std::uint8_t>(AlertDescription::CloseNotify)) {
        m_peerClosed = true;
        emitState("peer closed", sideTitle(peerOf(m_side)) + " will send nothing more");
        // RFC 5246 §7.2.1: answer close_notify with our own and close down.
        if (!m_closeSent)
            close();
        return;
    }
    if (alert.level == AlertLevel::Warning) {
        if (++m_warningsInARow > kMaxWarningsInARow)
            throw TlsError(AlertDescription::UnexpectedMessage,
                           "more than " + std::to_string(kMaxWarningsInARow) +
                               " warning alerts in a row: the peer sends nothing useful but keeps the connection busy");
        if (alert.rawDescription == static_cast<std::uint8_t>(AlertDescription::NoRenegotiation))
            onNoRenegotiation();
        onWarningAlert(static_cast<AlertDescription>(alert.rawDescription));
        return;
    }
    if (alert.level == AlertLevel::Fatal) {
        m_failed = true;
        m_failureAlert = alert.rawDescription;
        m_failureSentByUs = false;
        m_failureReason = sideTitle(peerOf(m_side)) + " sent a fatal " + alertName(alert.rawDescription) + " alert";
        emitState("Failed", m_failureReason);
    }
}

void Connection::handleApplicationData(const RecordView& rec)
{
    if (!m_handshakeComplete)
        throw TlsError(AlertDescription::UnexpectedMessage,
                       "application data arrived before the handshake finished (RFC 5246 §7.4.9: none may be sent "
                       "before Finished)");
    m_appData.push_back(rec.plaintext);
    m_trace.add(ApplicationDataEvent{m_side, rec.plaintext});
}

void Connection::sendApplicationData(ByteView data)
{
    if (!m_handshakeComplete || m_failed || m_closeSent)
        throw std::logic_error("application data can only be sent on an open, established connection");
    const auto send = [&](ByteView part, const std::string& note) {
        MessageInfo info;
        info.name = "ApplicationData";
        info.summary = std::to_string(part.size()) + " bytes";
        info.length = part.size();
        info.fields.push_back(
            Field{"data", preview(part), "the application's bytes, carried encrypted", 0, part.size(), {}});
        sendRecord(ContentType::ApplicationData, Bytes(part.begin(), part.end()), {info}, note);
    };
    // The 1/n-1 split: with chained CBC IVs the IV of the next record is the last cipher block already on the wire;
    // a first record of one byte (whose MAC makes its last block unpredictable) takes that certainty away.
    if (m_config.cbcRecordSplitting && m_version <= kTls10 && m_suite && m_suite->isCbc() && data.size() > 1) {
        send(data.first(1), "1/n-1 split: the first byte alone, so the next record's IV cannot be predicted (BEAST)");
        send(data.subspan(1), "1/n-1 split: the rest of the data");
        return;
    }
    send(data, {});
}

void Connection::close()
{
    if (m_closeSent || m_failed)
        return;
    sendAlert(AlertLevel::Warning, AlertDescription::CloseNotify,
              sideTitle(m_side) + " has nothing more to send and closes the connection");
    m_closeSent = true;
}

void Connection::abort(AlertDescription alert, const std::string& reason)
{
    fail(TlsError(alert, reason));
}

std::vector<Bytes> Connection::takeOutgoing()
{
    return std::exchange(m_outgoing, {});
}
std::vector<Bytes> Connection::takeApplicationData()
{
    return std::exchange(m_appData, {});
}

std::string Connection::skipReason(const FlowStep& step) const
{
    // RFC 6101 §5.6.6: in SSL 3.0 a client without a certificate sends the no_certificate alert instead.
    if (m_version == kSsl30 && step.condition == Condition::ClientCertificateMessage &&
        m_facts.get(Condition::ClientAuthRequested) == true)
        return "the server asked, but this SSL 3.0 client has no certificate and said so with a no_certificate alert "
               "instead of the message";
    return std::string(step.whenSkipped);
}

void Connection::sendFlight()
{
    for (;;) {
        std::vector<const FlowStep*> skipped;
        const FlowStep* step = m_flow.nextOwnStep(m_side, m_facts, skipped);
        if (m_traceOptions.outgoing)
            for (const FlowStep* s : skipped)
                m_trace.add(SkippedStepEvent{s->sender, std::string(s->name), skipReason(*s)});
        if (!step)
            return;
        const std::size_t before = m_flow.position();
        sendStep(*step);
        if (m_failed)
            return;
        if (m_flow.position() == before)
            throw std::logic_error("the " + std::string(sideName(m_side)) + " did not send its " +
                                   std::string(step->name));
    }
}

void Connection::sendHandshake(HandshakeType type, const Bytes& body)
{
    const MessageId id = handshakeId(static_cast<std::uint8_t>(type));
    const FlowTracker::Accepted acc = m_flow.accept(m_side, id, m_facts);
    if (m_traceOptions.outgoing)
        for (const FlowStep* s : acc.skipped)
            m_trace.add(SkippedStepEvent{s->sender, std::string(s->name), skipReason(*s)});
    const Bytes message = frameHandshake(type, body);
    m_transcript.update(message);
    MessageInfo info = describeOwnMessage(m_side, id, message, 0);
    sendRecord(ContentType::Handshake, message, {std::move(info)});
}

void Connection::sendChangeCipherSpec()
{
    m_flow.accept(m_side, kCcsId, m_facts);
    const Bytes payload = ChangeCipherSpec{}.serialize();
    sendRecord(ContentType::ChangeCipherSpec, payload, {describeOwnMessage(m_side, kCcsId, payload, 0)});
    if (!m_pendingWrite)
        throw std::logic_error("ChangeCipherSpec sent before keys were derived");
    const std::string desc = m_pendingWrite->description();
    m_records.changeWriteState(std::move(m_pendingWrite));
    emitState("encrypting", sideTitle(m_side) + " protects every record it sends from here on with " + desc +
                                " (sequence numbers restart at 0)");
}

void Connection::setNegotiatedVersion(ProtocolVersion v)
{
    m_version = v;
    m_trace.version = v;
    m_records.setWriteVersion(v);
}

void Connection::sendRecord(ContentType type, const Bytes& payload, std::vector<MessageInfo> messages,
                            const std::string& note)
{
    std::vector<RecordView> recs = m_records.seal(type, payload, m_rng);
    for (std::size_t i = 0; i < recs.size(); ++i) {
        RecordView& r = recs[i];
        m_outgoing.push_back(r.wire);
        if (!m_traceOptions.outgoing)
            continue;
        RecordEvent ev;
        ev.from = m_side;
        ev.contentType = r.contentType;
        ev.version = r.version;
        ev.wire = std::move(r.wire);
        ev.isProtected = r.isProtected;
        ev.protection = r.protection;
        ev.plaintext = std::move(r.plaintext);
        ev.sequence = r.sequence;
        ev.headerFields = describeRecordHeader(ev.wire);
        if (i == 0)
            ev.messages = std::move(messages);
        ev.note = note;
        if (recs.size() > 1)
            ev.note = "fragment " + std::to_string(i + 1) + " of " + std::to_string(recs.size()) +
                      " (a record carries at most 2^14 bytes)";
        m_trace.add(std::move(ev));
    }
}

void Connection::sendAlert(AlertLevel level, AlertDescription description, const std::string& reason)
{
    const AlertMessage a(level, description);
    const Bytes payload = a.serialize();
    const MessageId id{ContentType::Alert, 0xff};
    sendRecord(ContentType::Alert, payload, {describeOwnMessage(m_side, id, payload, 0)});
    AlertEvent ev;
    ev.side = m_side;
    ev.sent = true;
    ev.level = level;
    ev.description = static_cast<std::uint8_t>(description);
    ev.reason = reason;
    m_trace.add(std::move(ev));
}

void Connection::fail(const TlsError& e)
{
    if (m_failed)
        return;
    m_failed = true;
    m_failureReason = e.what();
    m_failureAlert = static_cast<std::uint8_t>(e.alert());
    m_failureSentByUs = true;
    emitState("Failed", e.what());
    try {
        sendAlert(AlertLevel::Fatal, e.alert(), e.what());
    } catch (const std::exception&) {
        // Nothing more can be sent; the failure itself is already recorded.
    }
}

void Connection::deriveKeys(const Bytes& preMaster, const std::optional<Bytes>& sessionHash)
{
    const CipherSuite& s = *m_suite;
    const ProtocolVersion v = m_version;
    const std::string prf = derivationName(v, s);
    emitSecret("pre_master_secret", "Pre-master secret", preMaster,
               s.keyExchange == KeyExchangeKind::Rsa
                   ? "client_version (2 bytes) || 46 random bytes, chosen by the client (RFC 5246 §7.4.7.1)"
                   : "the shared (EC)DH secret, leading zeros stripped for DH (RFC 5246 §8.1.2, RFC 8422 §5.10)");
    if (sessionHash) {
        m_master = computeExtendedMasterSecret(v, s, preMaster, *sessionHash);
        emitSecret("session_hash", "Session hash", *sessionHash,
                   handshakeDigestName(v, s) + "(every handshake message up to and including ClientKeyExchange)");
        emitSecret("master_secret", "Master secret", m_master,
                   prf + "(pre_master_secret, \"extended master secret\", session_hash)[0..47] (RFC 7627 §4)");
    } else if (v == kSsl30) {
        m_master = computeMasterSecret(v, s, preMaster, m_clientRandom, m_serverRandom);
        emitSecret("master_secret", "Master secret", m_master,
                   "MD5(pre_master_secret + SHA-1(\"A\" + pre_master_secret + client_random + server_random)) + "
                   "the same with \"BB\" and \"CCC\", 48 bytes (RFC 6101 §6.1)");
    } else {
        m_master = computeMasterSecret(v, s, preMaster, m_clientRandom, m_serverRandom);
        emitSecret("master_secret", "Master secret", m_master,
                   prf + "(pre_master_secret, \"master secret\", client_random || server_random)[0..47] " +
                       (v >= kTls12 ? "(RFC 5246 §8.1)" : "(RFC 2246 §8.1)"));
    }
    deriveKeyBlock();
}

void Connection::deriveKeysFromSavedMaster(const Bytes& master, const std::string& origin)
{
    m_master = master;
    emitSecret("master_secret", "Master secret", m_master,
               "reused: the master secret of the saved session (" + origin +
                   "), not computed again: no pre-master secret, no key exchange (RFC 5246 §7.3)");
    deriveKeyBlock();
}

void Connection::deriveKeyBlock()
{
    const CipherSuite& s = *m_suite;
    const ProtocolVersion v = m_version;
    const std::string prf = derivationName(v, s);
    const KeyBlock kb = computeKeyBlock(v, s, m_master, m_clientRandom, m_serverRandom);
    emitSecret("key_block", "Key block", kb.raw,
               (v == kSsl30 ? std::string("MD5(master_secret + SHA-1(\"A\" + master_secret + server_random + "
                                          "client_random)) + \"BB\", \"CCC\"..., ")
                            : prf + "(master_secret, \"key expansion\", server_random || client_random), ") +
                   std::to_string(kb.raw.size()) + " bytes" +
                   (v == kSsl30 ? " (RFC 6101 §6.2.2)" : v >= kTls12 ? " (RFC 5246 §6.3)" : " (RFC 2246 §6.3)"));
    std::size_t at = 0;
    const auto part = [&](const char* name, const char* label, const Bytes& v) {
        if (!v.empty())
            emitSecret(name, label, v,
                       "key_block[" + std::to_string(at) + ".." + std::to_string(at + v.size() - 1) + "]");
        at += v.size();
    };
    part("client_write_mac_key", "Client write MAC key", kb.clientMacKey);
    part("server_write_mac_key", "Server write MAC key", kb.serverMacKey);
    part("client_write_key", "Client write key", kb.clientKey);
    part("server_write_key", "Server write key", kb.serverKey);
    part("client_write_iv", "Client write IV", kb.clientIv);
    part("server_write_iv", "Server write IV", kb.serverIv);

    auto clientProt = RecordProtection::create(s, v, kb.clientKey, kb.clientMacKey, kb.clientIv);
    auto serverProt = RecordProtection::create(s, v, kb.serverKey, kb.serverMacKey, kb.serverIv);
    if (m_side == Side::Client) {
        m_pendingWrite = std::move(clientProt);
        m_pendingRead = std::move(serverProt);
    } else {
        m_pendingWrite = std::move(serverProt);
        m_pendingRead = std::move(clientProt);
    }
}

ByteView Connection::transcriptUpTo(std::size_t upTo) const
{
    const Bytes& all = m_transcript.messages();
    return ByteView(all).first(std::min(upTo, all.size()));
}

Bytes Connection::handshakeHash(std::size_t upTo) const
{
    // The running hashes, finished on a copy: nothing is hashed twice (RFC 5246 §7.4.9, RFC 2246 §7.4.9).
    if (m_version >= kTls12)
        return m_transcript.digest(m_suite->prfHash, upTo);
    return concat(m_transcript.digest(HashAlgorithm::Md5, upTo), m_transcript.digest(HashAlgorithm::Sha1, upTo));
}

Bytes Connection::verifyData(Side sender, std::size_t upTo) const
{
    // SSL 3.0 mixes the master secret into its hashes, so it needs the messages themselves.
    if (m_version == kSsl30)
        return computeVerifyData(m_version, *m_suite, m_master, sender, transcriptUpTo(upTo));
    return verifyDataFromDigest(m_version, *m_suite, m_master, sender, handshakeHash(upTo));
}

namespace {
std::string verifyDataFormula(ProtocolVersion v, const CipherSuite& s, const std::string& who)
{
    if (v == kSsl30)
        return "MD5(master_secret + pad_2 + MD5(handshake messages + \"" +
               std::string(who == "client" ? "CLNT" : "SRVR") +
               "\" + master_secret + pad_1)) || the same with SHA-1, 36 bytes (RFC 6101 §5.6.9)";
    return derivationName(v, s) + "(master_secret, \"" + who + " finished\", " + handshakeDigestName(v, s) +
           "(handshake messages so far))[0..11] " + (v >= kTls12 ? "(RFC 5246 §7.4.9)" : "(RFC 2246 §7.4.9)");
}
} // namespace

Bytes Connection::ownVerifyData()
{
    Bytes v = verifyData(m_side, m_transcript.messages().size());
    const std::string who = sideName(m_side);
    emitSecret(who + "_verify_data", sideTitle(m_side) + " verify_data", v, verifyDataFormula(m_version, *m_suite, who));
    m_ownVerifyData = v;
    return v;
}

void Connection::checkPeerFinished(const Bytes& received)
{
    const Side peer = peerOf(m_side);
    const std::string who = sideName(peer);
    const Bytes expected = verifyData(peer, m_currentMessageStart);
    emitSecret(who + "_verify_data", sideTitle(peer) + " verify_data", expected,
               "what the " + std::string(sideName(m_side)) + " expects: " + verifyDataFormula(m_version, *m_suite, who) +
                   ", over the handshake it saw");
    if (received.size() != expected.size() ||
        !CryptoPP::VerifyBufsEqual(received.data(), expected.data(), expected.size()))
        throw TlsError(AlertDescription::DecryptError,
                       sideTitle(peer) + "'s Finished does not match: the two sides saw different handshake messages "
                                         "or derived different keys");
    m_peerVerifyData = received;
}

void Connection::emitSecret(const std::string& name, const std::string& label, const Bytes& value,
                            const std::string& formula)
{
    m_trace.add(SecretEvent{m_side, name, label, value, formula});
}

void Connection::emitState(const std::string& state, const std::string& note)
{
    m_trace.add(StateEvent{m_side, state, note});
}

void Connection::markHandshakeComplete()
{
    m_handshakeComplete = true;
    m_trace.cipherSuite = m_suite->id;
    m_trace.version = m_version;
    const char* what = m_renegotiating
                           ? (m_resumed ? "renegotiation complete (abbreviated, saved session resumed), new keys in "
                                          "use: "
                                        : "renegotiation complete, new keys in use: ")
                           : (m_resumed ? "abbreviated handshake complete, saved session resumed: "
                                        : "handshake complete: ");
    m_renegotiating = false;
    emitState("Connected", std::string(what) +
                               versionName(m_version) + ", " + std::string(m_suite->name) +
                               (m_useExtendedMasterSecret ? " and the extended master secret" : ""));
}

std::vector<Certificate> Connection::verifyPeerChain(const std::vector<Bytes>& chainDer, bool serverChain)
{
    std::vector<Certificate> chain;
    CertificateChainEvent chainEvent;
    chainEvent.side = m_side;
    for (const Bytes& der : chainDer) {
        Certificate c = Certificate::parse(der);
        const char* role = chainEvent.chain.empty() ? "leaf" : (c.isSelfIssued() ? "root" : "intermediate");
        chainEvent.chain.push_back({der, c.subject.toString(), c.issuer.toString(), c.describe(0), role});
        chain.push_back(std::move(c));
    }
    const bool verify = serverChain ? m_config.verifyPeer : true;
    if (!verify) {
        m_trace.add(std::move(chainEvent));
        m_trace.add(CertificateCheckEvent{m_side, -1, chain.empty() ? "" : chain.front().subject.toString(),
                                          "verification", true,
                                          "verification switched off for this run: the chain is accepted unchecked"});
        return chain;
    }
    const ChainVerification v = verifyChain(
        chain, m_config.trustAnchors, m_config.now, serverChain ? m_config.serverName : std::optional<std::string>{},
        serverChain ? CertificatePurpose::ServerAuth : CertificatePurpose::ClientAuth, m_config.crls);
    // The chain event comes first, with the anchor the path reached, then each check in the order it was made.
    if (v.trustAnchor)
        chainEvent.trustAnchor =
            CertificateChainEvent::Entry{v.trustAnchor->der, v.trustAnchor->subject.toString(),
                                         v.trustAnchor->issuer.toString(), v.trustAnchor->describe(0), "root"};
    m_trace.add(std::move(chainEvent));
    for (const VerificationStep& s : v.steps)
        m_trace.add(CertificateCheckEvent{m_side, s.certificateIndex, s.subject, s.check, s.passed, s.detail});
    if (!v.ok)
        throw TlsError(v.alert, v.reason);
    return chain;
}

std::optional<KeyExchangeKind> Connection::knownKeyExchange() const
{
    if (!m_suite)
        return std::nullopt;
    return m_suite->keyExchange;
}

MessageInfo Connection::describeOwnMessage(Side sender, MessageId id, ByteView message, std::size_t offset) const
{
    MessageInfo info;
    info.name = messageName(id);
    info.offset = offset;
    info.length = message.size();
    if (const FlowStep* step = findStep(m_flow.flow(), sender, id)) {
        info.optional = step->optional();
        if (info.optional)
            info.optionalWhy = std::string(step->whenSent);
    }
    if (id.contentType == ContentType::Handshake && message.size() >= 4) {
        info.handshakeType = id.handshakeType;
        const ByteView body = message.subspan(4);
        const ProtocolVersion v = m_version ? m_version : kTls12;
        info.fields = describeHandshake(id.handshakeType, body, offset, knownKeyExchange(), v);
        info.summary = handshakeSummary(id.handshakeType, body, knownKeyExchange(), v);
    } else if (id.contentType == ContentType::ChangeCipherSpec) {
        try {
            ChangeCipherSpec::decode(message, &info.fields, offset);
        } catch (const TlsError&) {
        }
    } else if (id.contentType == ContentType::Alert) {
        try {
            const AlertMessage a = AlertMessage::decode(message, &info.fields, offset);
            info.summary = a.describe();
        } catch (const TlsError& e) {
            info.fields.push_back(Field{"error", e.what(), "why this alert could not be decoded", offset, 0, {}});
        }
    }
    return info;
}

void Connection::traceIncomingRecord(const RecordView& rec, const std::vector<HandshakeFrame>& frames,
                                     std::size_t streamStart)
{
    RecordEvent ev;
    ev.from = peerOf(m_side);
    ev.contentType = rec.contentType;
    ev.version = rec.version;
    ev.wire = rec.wire;
    ev.isProtected = rec.isProtected;
    ev.protection = rec.protection;
    ev.plaintext = rec.plaintext;
    ev.sequence = rec.sequence;
    ev.headerFields = describeRecordHeader(rec.wire);
    const Side peer = peerOf(m_side);
    switch (static_cast<ContentType>(rec.contentType)) {
    case ContentType::Handshake: {
        // A ServerHello in the same record as the messages after it decides how those are read.
        std::optional<KeyExchangeKind> kind = knownKeyExchange();
        ProtocolVersion version = m_version ? m_version : kTls12;
        for (const HandshakeFrame& f : frames) {
            // A message begun in an earlier record is shown from this record's first byte.
            const std::size_t offset = f.offset >= streamStart ? f.offset - streamStart : 0;
            if (f.offset < streamStart)
                ev.note = "completes a handshake message begun in an earlier record";
            if (f.type == static_cast<std::uint8_t>(HandshakeType::ServerHello) && !kind) {
                try {
                    const ServerHello sh = ServerHello::decode(f.body);
                    if (const CipherSuite* s = findCipherSuite(sh.cipherSuite))
                        kind = s->keyExchange;
                    version = sh.serverVersion;
                } catch (const TlsError&) {
                }
            }
            MessageInfo info;
            info.name = handshakeName(f.type);
            info.handshakeType = f.type;
            info.offset = offset;
            info.length = 4 + f.body.size();
            if (const FlowStep* step = findStep(m_flow.flow(), peer, handshakeId(f.type))) {
                info.optional = step->optional();
                if (info.optional)
                    info.optionalWhy = std::string(step->whenSent);
            }
            info.fields = describeHandshake(f.type, f.body, offset, kind, version);
            info.summary = handshakeSummary(f.type, f.body, kind, version);
            ev.messages.push_back(std::move(info));
        }
        break;
    }
    case ContentType::ChangeCipherSpec:
        ev.messages.push_back(describeOwnMessage(peer, kCcsId, rec.plaintext, 0));
        break;
    case ContentType::Alert:
        ev.messages.push_back(describeOwnMessage(peer, {ContentType::Alert, 0xff}, rec.plaintext, 0));
        break;
    case ContentType::ApplicationData: {
        MessageInfo info;
        info.name = "ApplicationData";
        info.summary = std::to_string(rec.plaintext.size()) + " bytes";
        info.length = rec.plaintext.size();
        info.fields.push_back(Field{
            "data", preview(rec.plaintext), "the application's bytes, carried encrypted", 0, rec.plaintext.size(), {}});
        ev.messages.push_back(std::move(info));
        break;
    }
    }
    m_trace.add(std::move(ev));
}

SavedSession Connection::sessionState(const Bytes& sessionId, const std::vector<Certificate>& peerChain,
                                      std::int64_t createdAt) const
{
    SavedSession s;
    s.sessionId = sessionId;
    s.masterSecret = m_master;
    s.cipherSuite = m_suite->id;
    s.version = m_version;
    s.extendedMasterSecret = m_useExtendedMasterSecret;
    for (const Certificate& c : peerChain)
        s.peerCertificates.push_back(c.der);
    s.createdAt = createdAt;
    return s;
}

} // namespace hl
