// Renegotiation (RFC 5246 §7.4.1.1, RFC 5746): a second handshake on an established connection, its policy and
// the renegotiation_info checks that tie it to the handshake before it.
#include "session/connection.h"

#include "messages/hello_request.h"
#include "record/protection.h"

#include <cryptopp/misc.h>

namespace hl {

namespace {
bool sameBytes(const Bytes& a, const Bytes& b)
{
    return a.size() == b.size() && (a.empty() || CryptoPP::VerifyBufsEqual(a.data(), b.data(), a.size()));
}

std::string shortHex(const Bytes& b)
{
    return b.empty() ? std::string("nothing") : toHex(b);
}
} // namespace

void Connection::renegotiate()
{
    if (!m_handshakeComplete || m_renegotiating || m_failed || m_closeSent || m_peerClosed)
        throw std::logic_error("renegotiation needs an established connection with no handshake under way");
    try {
        if (m_side == Side::Server) {
            sendHelloRequest();
            return;
        }
        beginNewHandshake("the client starts a new handshake on the established connection");
        sendFlight();
    } catch (const TlsError& e) {
        fail(e);
    }
}

void Connection::sendHelloRequest()
{
    // RFC 5246 §7.4.1.1: HelloRequest is not part of the handshake it asks for: it is neither in the flow nor in the
    // transcript that Finished covers.
    const MessageId id{ContentType::Handshake, static_cast<std::uint8_t>(HandshakeType::HelloRequest)};
    const Bytes message = frameHandshake(HandshakeType::HelloRequest, HelloRequest{}.serialize());
    MessageInfo info = describeOwnMessage(m_side, id, message, 0);
    info.summary = "please start a new handshake";
    sendRecord(ContentType::Handshake, message, {std::move(info)},
               "renegotiation requested: sent under the current keys, it is not part of any handshake's transcript");
    emitState("HelloRequest sent", "the server asks the client to renegotiate; until a new ClientHello comes, the "
                                   "connection goes on as before (the client may refuse or ignore it)");
}

std::string Connection::renegotiationRefusal() const
{
    const RenegotiationPolicy policy = m_config.renegotiation;
    if (policy == RenegotiationPolicy::Refuse || policy == RenegotiationPolicy::Ignore)
        return std::string("this ") + sideName(m_side) + " does not renegotiate";
    if (m_closeSent)
        return std::string("this ") + sideName(m_side) + " is closing the connection";
    if (policy == RenegotiationPolicy::Allow && !m_secureRenegotiationAgreed)
        return "the first handshake did not agree on secure renegotiation (no renegotiation_info from both sides), "
               "and renegotiating without it is what the 2009 splicing attack needs (RFC 5746 §4.2, §4.4)";
    return {};
}

bool Connection::startRenegotiationFrom(const HandshakeFrame& frame)
{
    const auto type = static_cast<HandshakeType>(frame.type);
    if (type == HandshakeType::HelloRequest) {
        HelloRequest::decode(frame.body);
        if (m_side == Side::Server)
            throw TlsError(AlertDescription::UnexpectedMessage, "a server never receives HelloRequest");
        // RFC 5246 §7.4.1.1: a client in the middle of a handshake ignores it.
        if (!m_handshakeComplete || m_renegotiating) {
            emitState("HelloRequest ignored", "the client is already in a handshake, so it ignores the request "
                                              "(RFC 5246 §7.4.1.1)");
            return false;
        }
    } else if (!(type == HandshakeType::ClientHello && m_side == Side::Server)) {
        throw TlsError(AlertDescription::UnexpectedMessage,
                       handshakeName(frame.type) + " arrived after the handshake had finished");
    }
    const std::string refusal = renegotiationRefusal();
    if (!refusal.empty()) {
        if (m_side == Side::Client && m_config.renegotiation == RenegotiationPolicy::Ignore) {
            emitState("HelloRequest ignored", refusal + ": the client says nothing and goes on with the current "
                                                        "keys, which RFC 5246 §7.4.1.1 allows");
            return false;
        }
        // RFC 5246 §7.4.1.2 and §7.2.2: a warning, after which the connection goes on with the keys it has.
        sendAlert(AlertLevel::Warning, AlertDescription::NoRenegotiation,
                  refusal + "; the connection goes on with the keys it has");
        return false;
    }
    if (type == HandshakeType::HelloRequest) {
        beginNewHandshake("the server asked with HelloRequest and the client agrees to a new handshake");
        sendFlight();
        return false; // the HelloRequest itself is not part of the new handshake
    }
    beginNewHandshake("a new ClientHello arrived on the established connection and the server agrees to a new "
                      "handshake");
    return true;
}

void Connection::beginNewHandshake(const std::string& why)
{
    ++m_handshakeNumber;
    m_renegotiating = true;
    m_flow = FlowTracker(fullHandshakeFlow());
    m_facts = FlowFacts{};
    resetHandshakeState(); // still sees the last handshake's master secret, extended or not, resumed or not
    m_transcript = TranscriptHash{};
    m_useExtendedMasterSecret = false;
    m_resumed = false;
    m_currentMessageStart = 0;
    m_pendingRead.reset();
    m_pendingWrite.reset();
    emitState("Renegotiating",
              "handshake " + std::to_string(m_handshakeNumber) + " on this connection: " + why +
                  ". Its messages travel encrypted under the current keys; each side switches to the new keys at its "
                  "own next ChangeCipherSpec" +
                  (m_secureRenegotiationAgreed
                       ? "; renegotiation_info carries the previous handshake's Finished values (RFC 5746)"
                       : "; no renegotiation_info was agreed, so nothing ties this handshake to the last one"));
}

void Connection::onNoRenegotiation()
{
    // RFC 5246 §7.4.1.2: a client whose new ClientHello is refused may go on with the connection as it was.
    if (m_side != Side::Client || !m_renegotiating || m_flow.position() != 1)
        return;
    m_renegotiating = false;
    m_pendingRead.reset();
    m_pendingWrite.reset();
    emitState("renegotiation refused", "the server will not renegotiate; the client goes on with the keys of the "
                                      "last handshake");
}

Bytes Connection::renegotiatedConnectionToSend() const
{
    // RFC 5746 §3.4-3.6: empty on a first handshake; then the client's verify_data from the previous handshake, and
    // the server adds its own after it.
    if (m_handshakeNumber == 1 || !m_secureRenegotiationAgreed)
        return {};
    if (m_side == Side::Client)
        return m_ownVerifyData;
    return concat(m_peerVerifyData, m_ownVerifyData);
}

void Connection::checkPeerRenegotiationInfo(const std::optional<Bytes>& received, bool scsv)
{
    if (!m_secureRenegotiationAgreed) {
        // RFC 5746 §4.2, §4.4: a legacy first handshake, renegotiated by a side that allows it anyway. A peer that
        // now sends the extension is contradicting the first handshake.
        if (received && m_config.secureRenegotiation)
            throw TlsError(AlertDescription::HandshakeFailure,
                           "renegotiation_info arrived in a renegotiation, but the first handshake did not agree on "
                           "it (RFC 5746 §4.2, §4.4)");
        emitState("insecure renegotiation",
                  "no renegotiation_info ties this handshake to the previous one: the " + std::string(sideName(m_side)) +
                      " cannot tell whether the peer of the new handshake is the peer of the old one (RFC 5746 §1)");
        return;
    }
    const Side peer = peerOf(m_side);
    // RFC 5746 §3.7: the SCSV has no place in a renegotiation.
    if (scsv)
        throw TlsError(AlertDescription::HandshakeFailure,
                       "the renegotiation ClientHello lists TLS_EMPTY_RENEGOTIATION_INFO_SCSV, which only a first "
                       "handshake may (RFC 5746 §3.7)");
    if (!received)
        throw TlsError(AlertDescription::HandshakeFailure,
                       std::string("the ") + sideName(peer) +
                           " renegotiates without renegotiation_info, although the first handshake agreed on it "
                           "(RFC 5746 " + (m_side == Side::Server ? "§3.7" : "§3.5") + ")");
    const Bytes expected =
        m_side == Side::Server ? m_peerVerifyData : concat(m_ownVerifyData, m_peerVerifyData);
    const std::string what = m_side == Side::Server ? "the client's verify_data from the previous handshake"
                                                    : "the client's and then the server's verify_data from the "
                                                      "previous handshake";
    m_trace.add(CertificateCheckEvent{
        m_side, -1, {}, "renegotiation_info", sameBytes(*received, expected),
        "the " + std::string(sideName(peer)) + " sent " + shortHex(*received) + "; it must be " + what + ", " +
            shortHex(expected) + " (RFC 5746 " + (m_side == Side::Server ? "§3.7" : "§3.5") + ")"});
    if (!sameBytes(*received, expected))
        throw TlsError(AlertDescription::HandshakeFailure,
                       "renegotiation_info does not hold " + what +
                           (received->empty() ? ": it is empty, as in a first handshake, so the " +
                                                    std::string(sideName(peer)) +
                                                    " believes it is starting a new connection (someone in the middle "
                                                    "spliced it onto this one)"
                                              : ": the " + std::string(sideName(peer)) +
                                                    " is renegotiating a different connection") +
                           " (RFC 5746 " + (m_side == Side::Server ? "§3.7" : "§3.5") + ")");
}

std::vector<Bytes> Connection::sealForeign(ContentType type, ByteView payload)
{
    std::vector<Bytes> out;
    for (RecordView& r : m_records.seal(type, payload, m_rng))
        out.push_back(std::move(r.wire));
    return out;
}

RecordView Connection::openForeign(ByteView record)
{
    return m_records.open(record);
}

} // namespace hl
