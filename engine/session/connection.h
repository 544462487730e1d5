// What the client and the server share: the record layer, the handshake transcript, the flow tracker, alerts,
// application data and tracing. The two state machines (client/, server/) derive from it.
//
// A Connection does no I/O: whoever drives it feeds it the peer's bytes with receive() and sends whatever
// takeOutgoing() returns, one record per element. Every TlsError raised while handling input is caught here,
// turned into the fatal alert a real stack would send, and recorded in the trace.
#pragma once

#include "crypto/cipher_suite.h"
#include "crypto/hash.h"
#include "crypto/key_schedule.h"
#include "flow/flow.h"
#include "messages/handshake_framing.h"
#include "record/record_layer.h"
#include "session/endpoint_config.h"
#include "trace/trace.h"

#include <cryptopp/cryptlib.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hl {

class RecordProtection;

struct TraceOptions {
    bool outgoing = true; // record what this side sends
    bool incoming = false; // record what it receives (when the peer is a foreign stack)
};

class Connection {
public:
    Connection(Side side, EndpointConfig config, CryptoPP::RandomNumberGenerator& rng, Trace& trace,
               TraceOptions traceOptions);
    virtual ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Client: sends ClientHello. Server: nothing (it waits).
    void start();
    // Any number of bytes from the peer; complete records are processed, the rest is kept.
    void receive(ByteView bytes);
    // Exactly one record, header included.
    void receiveRecord(ByteView record);
    void sendApplicationData(ByteView data);
    // Sends close_notify (RFC 5246 §7.2.1).
    void close();
    // Fails the connection from outside (e.g. the peer vanished): records why, sends the alert if it can.
    void abort(AlertDescription alert, const std::string& reason);

    std::vector<Bytes> takeOutgoing();
    std::vector<Bytes> takeApplicationData();

    Side side() const { return m_side; }
    bool handshakeComplete() const { return m_handshakeComplete; }
    bool failed() const { return m_failed; }
    bool closeSent() const { return m_closeSent; }
    bool peerClosed() const { return m_peerClosed; }
    const std::string& failureReason() const { return m_failureReason; }
    std::uint8_t failureAlert() const { return m_failureAlert; }
    bool failureAlertSentByUs() const { return m_failureSentByUs; }
    const CipherSuite* cipherSuite() const { return m_suite; }
    // The negotiated version; 0 until ServerHello.
    ProtocolVersion version() const { return m_version; }
    const Bytes& clientRandom() const { return m_clientRandom; }
    const Bytes& masterSecret() const { return m_master; }
    // This connection resumed a saved session with the abbreviated handshake (RFC 5246 §7.3, figure 2).
    bool resumed() const { return m_resumed; }

    // Renegotiation (RFC 5246 §7.4.1.1, RFC 5746), in session/renegotiation.cpp.
    // Starts a new handshake on this established connection: a client sends a new ClientHello, a server a
    // HelloRequest. The new handshake's records travel under the current keys; each direction switches to the new
    // ones at its own new ChangeCipherSpec.
    void renegotiate();
    bool renegotiating() const { return m_renegotiating; }
    // The handshake under way or last completed on this connection: 1, then 2 once a renegotiation begins, ...
    int handshakeNumber() const { return m_handshakeNumber; }
    // RFC 5746's secure_renegotiation flag: both sides sent renegotiation_info in the first handshake.
    bool secureRenegotiation() const { return m_secureRenegotiationAgreed; }
    // What a man in the middle of its own connection can do with it (the 2009 renegotiation attack): seal bytes
    // that are not its own messages under the current write keys, and open a record under the current read keys,
    // with no handshake processing and nothing traced.
    std::vector<Bytes> sealForeign(ContentType type, ByteView payload);
    RecordView openForeign(ByteView record);

protected:
    // What a session keeps for resumption, as this connection agreed it: both sides save the same facts.
    SavedSession sessionState(const Bytes& sessionId, const std::vector<Certificate>& peerChain,
                              std::int64_t createdAt) const;
    virtual void onStart() {}
    virtual void onHandshakeMessage(const HandshakeFrame& frame) = 0;
    // Sends the message for `step`, a step this side takes now (called while walking the flow).
    virtual void sendStep(const FlowStep& step) = 0;

    // Sends this side's steps until the flow expects the peer.
    void sendFlight();
    void sendHandshake(HandshakeType type, const Bytes& body);
    void sendChangeCipherSpec();
    void sendAlert(AlertLevel level, AlertDescription description, const std::string& reason);
    // A new handshake begins on this connection: each side forgets what belonged to the last one (its peer's
    // hello, key exchange, certificates) but keeps the keys in use, which change only at ChangeCipherSpec.
    virtual void resetHandshakeState() {}
    // RFC 5746 §3.4-3.7: renegotiated_connection for this side's hello (empty on a first handshake), and the checks
    // on the peer's.
    Bytes renegotiatedConnectionToSend() const;
    // Server: the client's renegotiation_info (or SCSV) in a renegotiation ClientHello. Client: the server's in a
    // renegotiation ServerHello. `received` is nullopt when the extension did not come; `scsv`: the client listed
    // TLS_EMPTY_RENEGOTIATION_INFO_SCSV. Throws handshake_failure.
    void checkPeerRenegotiationInfo(const std::optional<Bytes>& received, bool scsv);
    // A warning alert other than close_notify arrived (SSL 3.0's no_certificate, say).
    virtual void onWarningAlert(AlertDescription) {}
    // Why an optional step was not taken in this run: the flow table's reason, or a version's own.
    std::string skipReason(const FlowStep& step) const;
    // The version is known (ServerHello sent or received): later records carry it in their header.
    void setNegotiatedVersion(ProtocolVersion v);

    // Key schedule helpers (RFC 5246 §8.1, §6.3; RFC 7627).
    void deriveKeys(const Bytes& preMaster, const std::optional<Bytes>& sessionHash);
    // Resumption: the master secret comes from the saved session; only the key block is new (RFC 5246 §6.3 with
    // this connection's randoms).
    void deriveKeysFromSavedMaster(const Bytes& master, const std::string& origin);
    // Hash(handshake messages) of the first `upTo` transcript bytes, as the version defines it: the suite's PRF hash
    // in TLS 1.2, MD5 || SHA-1 before.
    Bytes handshakeHash(std::size_t upTo) const;
    ByteView transcriptUpTo(std::size_t upTo) const;
    // Finished.verify_data of `sender` over the first `upTo` transcript bytes, in the negotiated version.
    Bytes verifyData(Side sender, std::size_t upTo) const;
    // This side's Finished.verify_data over every handshake message so far (RFC 5246 §7.4.9).
    Bytes ownVerifyData();
    // Checks the peer's Finished, whose bytes are already in the transcript (they are not hashed).
    void checkPeerFinished(const Bytes& received);

    void emitSecret(const std::string& name, const std::string& label, const Bytes& value, const std::string& formula);
    void emitState(const std::string& state, const std::string& note = {});
    void markHandshakeComplete();
    // Verifies a received chain, recording every check; throws TlsError with the check's alert on failure.
    std::vector<Certificate> verifyPeerChain(const std::vector<Bytes>& chainDer, bool serverChain);

    std::optional<KeyExchangeKind> knownKeyExchange() const;

    Side m_side;
    EndpointConfig m_config;
    CryptoPP::RandomNumberGenerator& m_rng;
    Trace& m_trace;
    TraceOptions m_traceOptions;

    FlowTracker m_flow;
    FlowFacts m_facts;
    TranscriptHash m_transcript;
    const CipherSuite* m_suite = nullptr;
    ProtocolVersion m_version = 0;
    Bytes m_clientRandom, m_serverRandom;
    Bytes m_master;
    bool m_useExtendedMasterSecret = false;
    bool m_resumed = false;
    std::size_t m_currentMessageStart = 0; // transcript offset of the message being handled
    Bytes m_peerVerifyData, m_ownVerifyData; // kept for renegotiation_info (RFC 5746)
    bool m_secureRenegotiationAgreed = false; // RFC 5746 §3.1's secure_renegotiation flag
    int m_handshakeNumber = 1;
    bool m_renegotiating = false;

private:
    void handleRecord(const RecordView& rec);
    void handleHandshakeFrames(std::vector<HandshakeFrame> frames);
    // A HelloRequest or ClientHello on an established connection: true when it opens a new handshake that the
    // caller goes on to process, false when it was refused or ignored.
    bool startRenegotiationFrom(const HandshakeFrame& frame);
    // Why this side will not renegotiate now (empty: it will), from its policy and RFC 5746's flag.
    std::string renegotiationRefusal() const;
    void beginNewHandshake(const std::string& why);
    // The server answered a client's new ClientHello with no_renegotiation.
    void onNoRenegotiation();
    void sendHelloRequest();
    void handleChangeCipherSpec(const RecordView& rec);
    void handleAlert(const RecordView& rec);
    void handleApplicationData(const RecordView& rec);
    void sendRecord(ContentType type, const Bytes& payload, std::vector<MessageInfo> messages,
                    const std::string& note = {});
    void fail(const TlsError& e);
    void deriveKeyBlock();
    void traceIncomingRecord(const RecordView& rec, const std::vector<HandshakeFrame>& frames, std::size_t streamStart);
    MessageInfo describeOwnMessage(Side sender, MessageId id, ByteView message, std::size_t offset) const;

    RecordLayer m_records;
    HandshakeReassembler m_reassembler;
    std::unique_ptr<RecordProtection> m_pendingRead, m_pendingWrite;
    Bytes m_inBuffer;
    std::vector<Bytes> m_outgoing;
    std::vector<Bytes> m_appData;
    bool m_handshakeComplete = false;
    bool m_failed = false;
    bool m_closeSent = false;
    bool m_peerClosed = false;
    std::string m_failureReason;
    std::uint8_t m_failureAlert = 0;
    bool m_failureSentByUs = false;
    static constexpr std::size_t kMaxEmptyRecordsInARow = 32; // OpenSSL's MAX_EMPTY_RECORDS
    static constexpr std::size_t kMaxWarningsInARow = 5;      // OpenSSL's MAX_WARN_ALERT_COUNT
    std::size_t m_emptyRecordsInARow = 0;
    std::size_t m_warningsInARow = 0;
};

} // namespace hl
