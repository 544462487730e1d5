// The renegotiation splicing attack: an attacker's connection, its prefix, and the victim's handshake relayed into
// it as a renegotiation.
#include "session/renegotiation_attack.h"

#include "client/client.h"
#include "record/record_layer.h"
#include "server/server.h"

namespace hl {

namespace {

// The man in the middle: its own client connection to the server, and the relay between that connection and the
// victim's plaintext handshake.
class SpliceRelay {
public:
    SpliceRelay(Client& attacker, Client& victim, Server& server, Trace& trace)
        : m_attacker(attacker), m_victim(victim), m_server(server), m_trace(trace)
    {
    }

    void narrate(const std::string& note) { m_trace.add(StateEvent{Side::Client, "man in the middle", note}); }

    // Moves records until nobody has anything more to send.
    void pump()
    {
        for (bool moved = true; moved;) {
            moved = false;
            for (Bytes& r : m_attacker.takeOutgoing()) {
                m_server.receiveRecord(r);
                moved = true;
                // The attacker's own states stay out of the trace, but where its records start being protected is
                // part of what the server's side of the wire shows.
                if (!m_attackerEncrypting && r.size() > 0 &&
                    r[0] == static_cast<std::uint8_t>(ContentType::ChangeCipherSpec)) {
                    m_attackerEncrypting = true;
                    m_trace.add(StateEvent{Side::Client, "encrypting",
                                           "the attacker protects what it sends from here on, with the keys of its "
                                           "own handshake with the server"});
                }
            }
            for (Bytes& r : m_server.takeOutgoing()) {
                moved = true;
                if (m_relaying)
                    toVictim(r);
                else
                    m_attacker.receiveRecord(r);
            }
            for (Bytes& r : m_victim.takeOutgoing()) {
                moved = true;
                toServer(r);
            }
        }
    }

    void startRelaying() { m_relaying = true; }

private:
    // The server's records of the new handshake are sealed with the attacker's keys: the attacker opens them and
    // hands the victim plaintext, as a server in a first handshake would send. Once the server has sent its new
    // ChangeCipherSpec its records are sealed with keys the attacker never learns, and it can only pass them on.
    void toVictim(const Bytes& record)
    {
        if (m_serverSwitched) {
            m_victim.receiveRecord(record);
            return;
        }
        RecordView opened;
        try {
            opened = m_attacker.openForeign(record);
        } catch (const TlsError& e) {
            narrate(std::string("the attacker cannot open a record from the server: ") + e.what());
            return;
        }
        Bytes plain{opened.contentType, static_cast<std::uint8_t>(opened.version >> 8),
                    static_cast<std::uint8_t>(opened.version), static_cast<std::uint8_t>(opened.plaintext.size() >> 8),
                    static_cast<std::uint8_t>(opened.plaintext.size())};
        append(plain, opened.plaintext);
        m_victim.receiveRecord(plain);
        if (opened.contentType == static_cast<std::uint8_t>(ContentType::ChangeCipherSpec))
            m_serverSwitched = true;
    }

    // The victim's handshake records are plaintext: the attacker seals them with its own keys, so that the server
    // reads them inside the attacker's connection. From the victim's ChangeCipherSpec on they are sealed with the
    // new keys, which the server now uses to read: the attacker passes them on untouched.
    void toServer(const Bytes& record)
    {
        if (m_victimSwitched) {
            m_server.receiveRecord(record);
            return;
        }
        if (record.size() < kRecordHeaderLength)
            return;
        const auto type = static_cast<ContentType>(record[0]);
        for (Bytes& sealed : m_attacker.sealForeign(type, ByteView(record).subspan(kRecordHeaderLength)))
            m_server.receiveRecord(sealed);
        if (type == ContentType::ChangeCipherSpec)
            m_victimSwitched = true;
    }

    Client& m_attacker;
    Client& m_victim;
    Server& m_server;
    Trace& m_trace;
    bool m_relaying = false;
    bool m_attackerEncrypting = false;
    bool m_serverSwitched = false;
    bool m_victimSwitched = false;
};

void setOutcome(Trace& trace, const Client& victim, const Server& server, const Client& attacker)
{
    Outcome& o = trace.outcome;
    const Connection* failedSide = nullptr;
    for (const Connection* c : {static_cast<const Connection*>(&server), static_cast<const Connection*>(&victim)})
        if (c->failed() && c->failureAlertSentByUs() && !failedSide)
            failedSide = c;
    for (const Connection* c : {static_cast<const Connection*>(&server), static_cast<const Connection*>(&victim)})
        if (c->failed() && !failedSide)
            failedSide = c;
    if (failedSide) {
        o.completed = false;
        o.alert = failedSide->failureAlert();
        o.alertFrom = failedSide->failureAlertSentByUs() ? failedSide->side() : peerOf(failedSide->side());
        o.reason = failedSide->failureReason();
        return;
    }
    if (!attacker.handshakeComplete()) {
        o.completed = false;
        o.reason = "the attacker's own handshake with the server did not complete";
        return;
    }
    if (!victim.handshakeComplete() || !server.handshakeComplete() || server.handshakeNumber() < 2) {
        o.completed = false;
        o.reason = "the victim's handshake did not complete through the attacker";
        return;
    }
    o.completed = true;
}

} // namespace

Trace runSpliceAttack(const Scenario& scenario, const EndpointConfig& victimConfig, const EndpointConfig& serverConfig,
                      CryptoPP::RandomNumberGenerator& victimRng, CryptoPP::RandomNumberGenerator& serverRng,
                      CryptoPP::RandomNumberGenerator& attackerRng)
{
    Trace trace;
    Trace attackerView; // the attacker's own states and secrets: not part of what the server or the victim saw
    // The attacker is an ordinary client with no certificate of its own; RFC 5746 or not, whatever the server likes.
    EndpointConfig attackerConfig = victimConfig;
    attackerConfig.credentials.clear();
    attackerConfig.renegotiation = RenegotiationPolicy::Refuse;
    Server server(serverConfig, serverRng, trace, TraceOptions{true, true});
    Client attacker(attackerConfig, attackerRng, attackerView, TraceOptions{false, false});
    Client victim(victimConfig, victimRng, trace, TraceOptions{false, false});
    SpliceRelay relay(attacker, victim, server, trace);

    relay.narrate("the victim's connection to the server runs through the attacker, who holds it back and first "
                  "opens a connection of its own to the same server: the records from the client side up to the "
                  "prefix are the attacker's");
    attacker.start();
    server.start();
    relay.pump();
    if (!attacker.handshakeComplete() || !server.handshakeComplete()) {
        setOutcome(trace, victim, server, attacker);
        return trace;
    }
    attacker.sendApplicationData(asBytes(scenario.renegotiate->prefix));
    relay.pump();
    const std::vector<Bytes> prefixRead = server.takeApplicationData();
    relay.narrate("the attacker has sent its prefix, an unfinished request the server's application keeps waiting "
                  "for the rest of; now it lets the victim's ClientHello through, inside its own encrypted "
                  "connection, where the server takes it for a renegotiation");
    relay.startRelaying();
    victim.start();
    relay.pump();
    if (victim.handshakeComplete() && server.handshakeComplete() && !victim.failed() && !server.failed()) {
        relay.narrate("the victim's handshake is complete: from both ChangeCipherSpecs on, the attacker sees only "
                      "records it cannot open, and simply passes them on");
        for (std::size_t i = 0; i < scenario.repeat && !victim.failed() && !server.failed(); ++i) {
            victim.sendApplicationData(asBytes(scenario.request));
            relay.pump();
            Bytes read;
            if (i == 0)
                for (const Bytes& b : prefixRead)
                    append(read, b);
            for (const Bytes& b : server.takeApplicationData())
                append(read, b);
            if (i == 0)
                trace.add(StateEvent{Side::Server, "spliced request",
                                     "the server's application reads the attacker's prefix and the victim's request "
                                     "as one stream, so it handles this request, with the victim's credentials "
                                     "(cookies) in its headers: \"" +
                                         std::string(read.begin(), read.end()) + "\""});
            if (server.failed() || victim.failed())
                break;
            server.sendApplicationData(asBytes(scenario.response));
            relay.pump();
        }
        if (!victim.failed() && !server.failed()) {
            victim.close();
            relay.pump();
        }
    }
    setOutcome(trace, victim, server, attacker);
    return trace;
}

} // namespace hl
