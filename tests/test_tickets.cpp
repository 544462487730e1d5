// Session tickets (RFC 5077): sealing and opening a ticket, the session_ticket extension and NewSessionTicket in the
// flow, resumption from a ticket, and each way it falls back to a full handshake.
#include "session_support.h"

#include "crypto/rng.h"
#include "flow/flow.h"
#include "messages/extensions.h"
#include "session/session.h"
#include "session/session_ticket.h"
#include "trace/explain.h"
#include "trace/pcapng.h"
#include "trace/trace_format.h"

#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace hl;
using namespace hltest;

namespace {

std::shared_ptr<const TicketKey> ticketKey(const char* label = "ticket key")
{
    SeededRng rng(1, label);
    return std::make_shared<const TicketKey>(TicketKey::generate(rng));
}

EndpointConfig ticketClient()
{
    EndpointConfig c = clientConfigFor(Scenario{}, app::demoPki(), kDemoNow);
    c.sessionTickets = true;
    return c;
}

// A server that issues tickets and keeps no session cache.
EndpointConfig ticketServer(std::shared_ptr<const TicketKey> key)
{
    EndpointConfig c = serverConfigFor(Scenario{}, app::demoPki(), kDemoNow);
    c.ticketKey = std::move(key);
    return c;
}

QStringList handshakeFlow(const Trace& t, int connection = 0)
{
    QStringList out;
    for (const RecordEvent* r : records(t))
        if (connection == 0 || r->connection == connection)
            for (const MessageInfo& m : r->messages)
                if (m.name != "ApplicationData" && m.name != "Alert")
                    out << QString::fromStdString(std::string(r->from == Side::Client ? "C " : "S ") + m.name);
    return out;
}

const MessageInfo* message(const Trace& t, Side from, const std::string& name, int occurrence = 1)
{
    for (const RecordEvent* r : records(t))
        if (r->from == from)
            for (const MessageInfo& m : r->messages)
                if (m.name == name && --occurrence == 0)
                    return &m;
    return nullptr;
}

const Field* extension(const MessageInfo& hello, const std::string& name)
{
    const Field* block = findField(hello.fields, "extensions");
    if (!block)
        return nullptr;
    for (const Field& e : block->children)
        if (e.value.find(name) != std::string::npos || e.name.find(name) != std::string::npos)
            return &e;
    return nullptr;
}

const StateEvent* state(const Trace& t, Side side, const std::string& name)
{
    for (const TraceEvent& e : t.events())
        if (const auto* s = std::get_if<StateEvent>(&e); s && s->side == side && s->state == name)
            return s;
    return nullptr;
}

const SkippedStepEvent* skipped(const Trace& t, const std::string& message)
{
    for (const TraceEvent& e : t.events())
        if (const auto* s = std::get_if<SkippedStepEvent>(&e); s && s->message == message)
            return s;
    return nullptr;
}

SavedSession sampleState()
{
    SavedSession s;
    s.version = kTls12;
    s.cipherSuite = 0xc02f;
    s.extendedMasterSecret = true;
    s.masterSecret = Bytes(48, 0x5a);
    s.createdAt = kDemoNow;
    s.ticketLifetimeHint = 7200;
    s.peerCertificates = {Bytes{0x30, 0x03, 0x02, 0x01, 0x01}, Bytes(300, 0x42)};
    return s;
}

Trace runTicketScenario(ResumeFailure failure, bool renew = false)
{
    Scenario sc;
    sc.name = "tickets";
    sc.resume = Resumption::Ticket;
    sc.resumeFailure = failure;
    sc.renewTicket = renew;
    if (failure == ResumeFailure::DifferentSuite)
        sc.serverSuites = {0xc02f, 0xc030};
    RunOptions o;
    o.seed = 7;
    o.now = kDemoNow;
    return runScenario(sc, app::demoPki(), o);
}

const QStringList kAbbreviated{"C ClientHello", "S ServerHello", "S ChangeCipherSpec", "S Finished",
                               "C ChangeCipherSpec", "C Finished"};

} // namespace

class TestTickets : public QObject {
    Q_OBJECT

private slots:
    // ---- Ticket protection (RFC 5077 §4)

    void aTicketOpensIntoTheStateItSealed()
    {
        const auto key = ticketKey();
        SeededRng rng(3, "iv");
        const SavedSession state = sampleState();
        const Bytes ticket = sealTicket(*key, state, rng);
        // key_name in the clear, then the IV, the encrypted state's length, the state and a 32-byte MAC.
        QCOMPARE(Bytes(ticket.begin(), ticket.begin() + 16), key->name);
        const std::size_t stateLength = std::size_t{ticket[32]} << 8 | ticket[33];
        QCOMPARE(ticket.size(), 16 + 16 + 2 + stateLength + 32);
        QCOMPARE(stateLength % 16, std::size_t{0}); // AES-CBC blocks
        const OpenedTicket opened = openTicket(*key, ticket);
        QCOMPARE(opened.status, OpenedTicket::Status::Ok);
        QVERIFY(opened.session);
        SavedSession expected = state;
        expected.ticket = ticket;
        QCOMPARE(*opened.session, expected);
        // The master secret never appears in the clear.
        const Bytes& m = state.masterSecret;
        QVERIFY(std::search(ticket.begin(), ticket.end(), m.begin(), m.begin() + 8) == ticket.end());
        // A fresh IV each time: the same state seals into other bytes.
        QVERIFY(sealTicket(*key, state, rng) != ticket);
    }

    // Whatever single bit changes, the ticket never opens into a session: the key name then names another key, and
    // any other change fails the MAC (or the lengths) before anything is decrypted.
    void aTamperedTicketNeverOpens()
    {
        const auto key = ticketKey();
        SeededRng rng(3, "iv");
        const Bytes ticket = sealTicket(*key, sampleState(), rng);
        for (std::size_t i = 0; i < ticket.size(); ++i)
            for (const std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
                Bytes spoiled = ticket;
                spoiled[i] ^= mask;
                const OpenedTicket opened = openTicket(*key, spoiled);
                QVERIFY2(opened.status != OpenedTicket::Status::Ok && !opened.session,
                         qPrintable(QString("byte %1 mask %2").arg(i).arg(mask)));
                const OpenedTicket::Status expected = i < 16               ? OpenedTicket::Status::UnknownKey
                                                      : i == 32 || i == 33 ? OpenedTicket::Status::Malformed
                                                                           : OpenedTicket::Status::BadMac;
                QCOMPARE(opened.status, expected);
            }
        // Cut short, or with a byte added: the lengths no longer add up.
        QCOMPARE(openTicket(*key, ByteView(ticket).first(ticket.size() - 1)).status, OpenedTicket::Status::Malformed);
        Bytes longer = ticket;
        longer.push_back(0);
        QCOMPARE(openTicket(*key, longer).status, OpenedTicket::Status::Malformed);
        QCOMPARE(openTicket(*key, Bytes(60, 0)).status, OpenedTicket::Status::Malformed);
        QCOMPARE(openTicket(*key, Bytes{}).status, OpenedTicket::Status::Malformed);
    }

    void anotherKeyCannotOpenATicket()
    {
        const auto key = ticketKey();
        SeededRng rng(3, "iv");
        const Bytes ticket = sealTicket(*key, sampleState(), rng);
        const OpenedTicket other = openTicket(*ticketKey("another server"), ticket);
        QCOMPARE(other.status, OpenedTicket::Status::UnknownKey);
        QVERIFY(!other.session);
        // The same name over other secrets (a key replaced but its name kept): the MAC catches it.
        TicketKey renamed = *ticketKey("another server");
        renamed.name = key->name;
        QCOMPARE(openTicket(renamed, ticket).status, OpenedTicket::Status::BadMac);
    }

    // ---- The flow table

    void newSessionTicketStandsWhereRfc5077PutsIt()
    {
        const auto names = [](const Flow& f) {
            QStringList out;
            for (const FlowStep& s : f.steps)
                out << QString::fromStdString(std::string(s.sender == Side::Client ? "C " : "S ") + std::string(s.name));
            return out;
        };
        const QStringList full = names(fullHandshakeFlow());
        QCOMPARE(full.indexOf("S NewSessionTicket"), full.indexOf("C Finished") + 1);
        QCOMPARE(full.indexOf("S ChangeCipherSpec"), full.indexOf("S NewSessionTicket") + 1);
        const QStringList resumed = names(resumedHandshakeFlow());
        QCOMPARE(resumed.indexOf("S NewSessionTicket"), resumed.indexOf("S ServerHello") + 1);
        QCOMPARE(resumed.indexOf("S ChangeCipherSpec"), resumed.indexOf("S NewSessionTicket") + 1);
        const FlowStep* step = findStep(fullHandshakeFlow(), Side::Server,
                                        {ContentType::Handshake, static_cast<std::uint8_t>(HandshakeType::NewSessionTicket)});
        QVERIFY(step && step->optional());
        QVERIFY(!step->whenSent.empty() && !step->whenSkipped.empty());
    }

    // A client promised a ticket refuses a ChangeCipherSpec in its place, naming what it waited for.
    void aPromisedTicketCannotBeLeftOut()
    {
        FlowTracker t(fullHandshakeFlow());
        FlowFacts f;
        f.set(Condition::ServerAuthenticated, true);
        f.set(Condition::EphemeralKeyExchange, true);
        f.set(Condition::ClientAuthRequested, false);
        f.set(Condition::ClientCertificateMessage, false);
        f.set(Condition::ClientCertificateSent, false);
        f.set(Condition::SessionTicketIssued, true);
        const auto hs = [](HandshakeType h) { return MessageId{ContentType::Handshake, static_cast<std::uint8_t>(h)}; };
        t.accept(Side::Client, hs(HandshakeType::ClientHello), f);
        for (HandshakeType h : {HandshakeType::ServerHello, HandshakeType::Certificate, HandshakeType::ServerKeyExchange,
                                HandshakeType::ServerHelloDone})
            t.accept(Side::Server, hs(h), f);
        t.accept(Side::Client, hs(HandshakeType::ClientKeyExchange), f);
        t.accept(Side::Client, {ContentType::ChangeCipherSpec, 0xff}, f);
        t.accept(Side::Client, hs(HandshakeType::Finished), f);
        try {
            t.accept(Side::Server, {ContentType::ChangeCipherSpec, 0xff}, f);
            QFAIL("a ChangeCipherSpec in place of the promised NewSessionTicket was accepted");
        } catch (const TlsError& e) {
            QCOMPARE(e.alert(), AlertDescription::UnexpectedMessage);
            QVERIFY2(std::string(e.what()).find("server NewSessionTicket") != std::string::npos, e.what());
        }
        // Not promised: the ticket step is passed over; promised "not in play", it is passed over without a trace.
        FlowFacts quiet = f;
        quiet.setNotInPlay(Condition::SessionTicketIssued);
        FlowTracker q = t;
        const FlowTracker::Accepted acc = q.accept(Side::Server, {ContentType::ChangeCipherSpec, 0xff}, quiet);
        QVERIFY(acc.step && acc.skipped.empty());
        FlowFacts declined = f;
        declined.set(Condition::SessionTicketIssued, false);
        FlowTracker d = t;
        QCOMPARE(d.accept(Side::Server, {ContentType::ChangeCipherSpec, 0xff}, declined).skipped.size(), std::size_t{1});
    }

    // ---- Handshakes

    // Tickets are opt-in on both sides: a client that does not ask sends no extension and the server sends no ticket,
    // and nothing about tickets enters the trace.
    void ticketsAreOptIn()
    {
        const Connected c = handshake(clientConfigFor(Scenario{}, app::demoPki(), kDemoNow), ticketServer(ticketKey()), 1);
        QVERIFY2(c.completed, c.reason.c_str());
        QVERIFY(!handshakeFlow(c.trace).contains("S NewSessionTicket"));
        QVERIFY(!extension(*message(c.trace, Side::Client, "ClientHello"), "session_ticket"));
        QVERIFY(!skipped(c.trace, "NewSessionTicket"));
        QVERIFY(!c.saved); // no cache, no ticket: nothing to resume
    }

    // A server without a ticket key ignores the client's request; the skipped step says why.
    void aServerWithoutTicketsSaysSo()
    {
        const Connected c = handshake(ticketClient(), ticketServer(nullptr), 1);
        QVERIFY2(c.completed, c.reason.c_str());
        QVERIFY(extension(*message(c.trace, Side::Client, "ClientHello"), "session_ticket"));
        QVERIFY(!extension(*message(c.trace, Side::Server, "ServerHello"), "session_ticket"));
        const SkippedStepEvent* sk = skipped(c.trace, "NewSessionTicket");
        QVERIFY(sk);
        QCOMPARE(sk->sender, Side::Server);
        QVERIFY2(sk->reason.find("did not promise a ticket") != std::string::npos, sk->reason.c_str());
        QVERIFY(state(c.trace, Side::Server, "no ticket"));
    }

    void aFullHandshakeEndsWithATicket()
    {
        const auto key = ticketKey();
        const Connected c = handshake(ticketClient(), ticketServer(key), 1);
        QVERIFY2(c.completed, c.reason.c_str());
        QCOMPARE(handshakeFlow(c.trace),
                 QStringList({"C ClientHello", "S ServerHello", "S Certificate", "S ServerKeyExchange",
                              "S ServerHelloDone", "C ClientKeyExchange", "C ChangeCipherSpec", "C Finished",
                              "S NewSessionTicket", "S ChangeCipherSpec", "S Finished"}));
        // RFC 5077 §3.2: an empty extension in ServerHello promises the ticket.
        const Field* promise = extension(*message(c.trace, Side::Server, "ServerHello"), "session_ticket");
        QVERIFY(promise);
        // The step says why it was sent.
        const MessageInfo* nst = message(c.trace, Side::Server, "NewSessionTicket");
        QVERIFY(nst && nst->optional);
        QVERIFY2(nst->optionalWhy.find("asked for a ticket") != std::string::npos, nst->optionalWhy.c_str());
        QVERIFY2(nst->summary.find("lifetime hint 7200 s") != std::string::npos, nst->summary.c_str());
        // The client saved the ticket; the server, with no cache, gave no session ID.
        QVERIFY(c.saved);
        QVERIFY(c.saved->sessionId.empty());
        QCOMPARE(c.saved->ticketLifetimeHint, std::uint32_t{7200});
        // The ticket holds exactly the session both sides agreed.
        const OpenedTicket opened = openTicket(*key, c.saved->ticket);
        QCOMPARE(opened.status, OpenedTicket::Status::Ok);
        QCOMPARE(opened.session->masterSecret, c.serverMaster);
        QCOMPARE(opened.session->cipherSuite, std::uint16_t{0xc02f});
        QCOMPARE(opened.session->version, kTls12);
        QVERIFY(opened.session->extendedMasterSecret);
        QCOMPARE(opened.session->createdAt, kDemoNow);
    }

    // The client's identity travels in the ticket too, so a resumed client-authenticated session still knows it.
    void theTicketCarriesTheClientsCertificate()
    {
        const auto key = ticketKey();
        EndpointConfig server = ticketServer(key);
        server.clientAuth = ClientAuthMode::Require;
        const Connected c = handshake(ticketClient(), server, 1);
        QVERIFY2(c.completed, c.reason.c_str());
        const OpenedTicket opened = openTicket(*key, c.saved->ticket);
        QCOMPARE(opened.status, OpenedTicket::Status::Ok);
        QCOMPARE(opened.session->peerCertificates.size(), app::demoPki().client.chain.size());
        QCOMPARE(opened.session->peerCertificates.front(), app::demoPki().client.chain.front().der);
    }

    void aTicketResumesTheSession()
    {
        const auto key = ticketKey();
        const Connected first = handshake(ticketClient(), ticketServer(key), 1);
        EndpointConfig again = ticketClient();
        again.resumeSession = first.saved;
        const Connected second = handshake(again, ticketServer(key), 2);
        QVERIFY2(second.completed, second.reason.c_str());
        QVERIFY(second.clientResumed && second.serverResumed);
        QCOMPARE(handshakeFlow(second.trace), kAbbreviated);
        QCOMPARE(second.clientMaster, first.clientMaster);
        QCOMPARE(second.serverMaster, first.clientMaster);
        // The client presented the ticket beside a session ID of its own, which the server echoed (RFC 5077 §3.4).
        const MessageInfo* ch = message(second.trace, Side::Client, "ClientHello");
        const Field* presented = extension(*ch, "session_ticket");
        QVERIFY(presented && presented->length == 4 + first.saved->ticket.size());
        const Field* offeredId = findField(ch->fields, "session_id");
        const Field* echoedId = findField(message(second.trace, Side::Server, "ServerHello")->fields, "session_id");
        QVERIFY(offeredId && echoedId);
        QCOMPARE(offeredId->value, echoedId->value);
        QVERIFY(offeredId->value.find("32 bytes") != std::string::npos || offeredId->length == 33);
        // Not renewed: no promise, no ticket, and the client keeps the ticket it used.
        QVERIFY(!extension(*message(second.trace, Side::Server, "ServerHello"), "session_ticket"));
        const SkippedStepEvent* sk = skipped(second.trace, "NewSessionTicket");
        QVERIFY(sk && sk->reason.find("keeps the one it has") != std::string::npos);
        QCOMPARE(second.saved->ticket, first.saved->ticket);
        const StateEvent* resuming = state(second.trace, Side::Server, "resuming");
        QVERIFY(resuming && resuming->note.find("nothing kept on the server") != std::string::npos);
    }

    void aRenewedTicketComesBeforeTheServersChangeCipherSpec()
    {
        const auto key = ticketKey();
        const Connected first = handshake(ticketClient(), ticketServer(key), 1);
        EndpointConfig again = ticketClient();
        again.resumeSession = first.saved;
        EndpointConfig renewing = ticketServer(key);
        renewing.renewTickets = true;
        renewing.now = kDemoNow + 600;
        again.now = renewing.now;
        const Connected second = handshake(again, renewing, 2);
        QVERIFY2(second.completed, second.reason.c_str());
        QVERIFY(second.clientResumed);
        QCOMPARE(handshakeFlow(second.trace),
                 QStringList({"C ClientHello", "S ServerHello", "S NewSessionTicket", "S ChangeCipherSpec",
                              "S Finished", "C ChangeCipherSpec", "C Finished"}));
        QVERIFY(second.saved->ticket != first.saved->ticket);
        // The same session, sealed again; its creation time is the full handshake's, not the renewal's.
        const OpenedTicket renewed = openTicket(*key, second.saved->ticket);
        QCOMPARE(renewed.status, OpenedTicket::Status::Ok);
        QCOMPARE(renewed.session->masterSecret, first.clientMaster);
        QCOMPARE(renewed.session->createdAt, kDemoNow);
        QCOMPARE(second.saved->createdAt, kDemoNow);
    }

    // Each reason the server cannot or will not resume from the ticket: it runs the full handshake, says why, and
    // issues a new ticket.
    void fallsBackToAFullHandshake_data()
    {
        QTest::addColumn<QString>("why");
        QTest::addColumn<QString>("says");
        QTest::newRow("tampered") << "tampered" << "HMAC-SHA-256 does not verify";
        QTest::newRow("another ticket key") << "other-key" << "is not this server's ticket key";
        QTest::newRow("expired") << "expired" << "resumes sessions for 7200 seconds only";
        QTest::newRow("client no longer offers the suite") << "client-suite" << "the client no longer offers";
        QTest::newRow("server no longer accepts the suite") << "server-suite" << "the server no longer accepts";
        QTest::newRow("another version") << "version" << "but this handshake negotiates TLS 1.2";
        QTest::newRow("session without EMS, hello with EMS") << "ems-upgrade" << "RFC 7627 §5.3";
        QTest::newRow("garbage") << "garbage" << "cannot read it";
    }
    void fallsBackToAFullHandshake()
    {
        QFETCH(QString, why);
        QFETCH(QString, says);
        const auto key = ticketKey();
        EndpointConfig c1 = ticketClient();
        EndpointConfig s1 = ticketServer(key);
        if (why == "version") {
            c1.maxVersion = c1.minVersion = kTls11;
            s1.minVersion = kTls11;
            s1.cipherSuites = {0xc013, 0xc02f};
        }
        if (why == "ems-upgrade")
            c1.extendedMasterSecret = false;
        if (why == "client-suite" || why == "server-suite")
            s1.cipherSuites = {0xc02f, 0xc030};
        const Connected first = handshake(c1, s1, 1);
        QVERIFY2(first.completed, first.reason.c_str());
        QVERIFY(first.saved && !first.saved->ticket.empty());

        EndpointConfig c2 = ticketClient();
        EndpointConfig s2 = ticketServer(key);
        c2.resumeSession = first.saved;
        if (why == "tampered")
            c2.resumeSession->ticket[40] ^= 0x04;
        if (why == "garbage")
            c2.resumeSession->ticket = Bytes(20, 0xab);
        if (why == "other-key")
            s2.ticketKey = ticketKey("restarted");
        if (why == "expired")
            s2.now = c2.now = kDemoNow + s2.sessionLifetime + 1;
        if (why == "client-suite") {
            s2.cipherSuites = {0xc02f, 0xc030};
            c2.cipherSuites = {0xc030};
        }
        if (why == "server-suite")
            s2.cipherSuites = {0xc030};
        if (why == "version")
            s2.minVersion = kTls12;
        const Connected second = handshake(c2, s2, 2);
        QVERIFY2(second.completed, second.reason.c_str());
        QVERIFY(!second.clientResumed && !second.serverResumed);
        const StateEvent* declined = state(second.trace, Side::Server, "not resuming");
        QVERIFY(declined);
        QVERIFY2(declined->note.find(says.toStdString()) != std::string::npos, declined->note.c_str());
        QVERIFY(state(second.trace, Side::Client, "not resumed"));
        QVERIFY(handshakeFlow(second.trace).contains("C ClientKeyExchange"));
        QVERIFY(second.clientMaster != first.clientMaster);
        // A new session, sealed into a new ticket under the key this server holds.
        QVERIFY(handshakeFlow(second.trace).contains("S NewSessionTicket"));
        QVERIFY(second.saved && second.saved->ticket != first.saved->ticket);
        QCOMPARE(openTicket(*s2.ticketKey, second.saved->ticket).status, OpenedTicket::Status::Ok);
    }

    // RFC 7627 §5.3: a session made with the extended master secret is never resumed without it; the server aborts.
    void anEmsTicketPresentedWithoutEmsIsAborted()
    {
        const auto key = ticketKey();
        const Connected first = handshake(ticketClient(), ticketServer(key), 1);
        EndpointConfig c2 = ticketClient();
        c2.resumeSession = first.saved;
        c2.extendedMasterSecret = false;
        const Connected second = handshake(c2, ticketServer(key), 2);
        QVERIFY(!second.completed);
        QCOMPARE(second.alert, static_cast<std::uint8_t>(AlertDescription::HandshakeFailure));
        QVERIFY2(second.reason.find("RFC 7627 §5.3") != std::string::npos, second.reason.c_str());
    }

    // A server that issues no tickets (tickets switched off since) cannot read one: full handshake.
    void aServerWithoutTicketsIgnoresAPresentedTicket()
    {
        const Connected first = handshake(ticketClient(), ticketServer(ticketKey()), 1);
        EndpointConfig c2 = ticketClient();
        c2.resumeSession = first.saved;
        const Connected second = handshake(c2, ticketServer(nullptr), 2);
        QVERIFY2(second.completed, second.reason.c_str());
        QVERIFY(!second.clientResumed);
        QVERIFY(!handshakeFlow(second.trace).contains("S NewSessionTicket"));
    }

    // The client checks the server's side: a session_ticket extension in ServerHello must be empty.
    void theClientRefusesATicketExtensionWithContent()
    {
        struct Stuffer : Interceptor {
            InterceptAction onRecord(Side from, std::size_t, Bytes& record, std::string& note) override
            {
                // The ServerHello's empty session_ticket (00 23 00 00) gains one byte; every length grows by one.
                const Bytes empty{0x00, 0x23, 0x00, 0x00};
                if (from != Side::Server || done || record.size() < 10 || record[5] != 2)
                    return InterceptAction::Pass;
                const auto at = std::search(record.begin(), record.end(), empty.begin(), empty.end());
                if (at == record.end())
                    return InterceptAction::Pass;
                const std::size_t pos = static_cast<std::size_t>(at - record.begin());
                record[pos + 3] = 1;
                record.insert(record.begin() + static_cast<std::ptrdiff_t>(pos + 4), 0x99);
                const auto bump = [&](std::size_t i, int bytes) {
                    std::uint32_t v = 0;
                    for (int k = 0; k < bytes; ++k)
                        v = v << 8 | record[i + k];
                    ++v;
                    for (int k = bytes - 1; k >= 0; --k, v >>= 8)
                        record[i + k] = static_cast<std::uint8_t>(v);
                };
                bump(3, 2);  // record length
                bump(6, 3);  // handshake length
                // The extensions block length: after version, random, session_id, suite and compression.
                const std::size_t sid = record[9 + 2 + 32];
                bump(9 + 2 + 32 + 1 + sid + 2 + 1, 2);
                note = "one byte put into the server's session_ticket extension";
                done = true;
                return InterceptAction::Pass;
            }
            bool done = false;
        } stuffer;
        SeededRng crng(1, "client"), srng(1, "server");
        Session s(ticketClient(), ticketServer(ticketKey()), crng, srng);
        s.pipe().setInterceptor(&stuffer);
        s.start();
        s.runUntilIdle();
        QVERIFY(stuffer.done);
        QVERIFY(s.client().failed());
        QCOMPARE(s.client().failureAlert(), static_cast<std::uint8_t>(AlertDescription::DecodeError));
        QVERIFY2(s.client().failureReason().find("RFC 5077 §3.2") != std::string::npos, s.client().failureReason().c_str());
    }

    // ---- Scenarios: one trace, two connections

    void theScenarioResumesFromTheTicket()
    {
        const Trace t = runTicketScenario(ResumeFailure::None);
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        QCOMPARE(t.connectionCount(), 2);
        QVERIFY(handshakeFlow(t, 1).contains("S NewSessionTicket"));
        QCOMPARE(handshakeFlow(t, 2), kAbbreviated);
        const std::string what = explainRun(t).what;
        QVERIFY2(what.find("from a ticket") != std::string::npos, what.c_str());
        QVERIFY2(what.find("1 round trip instead of 2") != std::string::npos, what.c_str());
        QVERIFY2(what.find("0 public-key operations instead of 8") != std::string::npos, what.c_str());
    }

    void theScenarioRenewsWhenAsked()
    {
        const Trace t = runTicketScenario(ResumeFailure::None, true);
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        QCOMPARE(handshakeFlow(t, 2),
                 QStringList({"C ClientHello", "S ServerHello", "S NewSessionTicket", "S ChangeCipherSpec",
                              "S Finished", "C ChangeCipherSpec", "C Finished"}));
        // Still one round trip: the new ticket rides in the server's flight.
        QVERIFY2(explainRun(t).what.find("1 round trip instead of 2") != std::string::npos, explainRun(t).what.c_str());
    }

    void theScenarioSpoilsTheTicketAsAsked_data()
    {
        QTest::addColumn<int>("failure");
        QTest::addColumn<QString>("says");
        QTest::newRow("tampered ticket") << static_cast<int>(ResumeFailure::TamperedTicket) << "does not verify";
        QTest::newRow("unknown ticket key") << static_cast<int>(ResumeFailure::UnknownTicketKey)
                                            << "is not this server's ticket key";
        QTest::newRow("expired") << static_cast<int>(ResumeFailure::Expired) << "seconds only";
        QTest::newRow("different suite") << static_cast<int>(ResumeFailure::DifferentSuite) << "no longer offers";
    }
    void theScenarioSpoilsTheTicketAsAsked()
    {
        QFETCH(int, failure);
        QFETCH(QString, says);
        const Trace t = runTicketScenario(static_cast<ResumeFailure>(failure));
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        QCOMPARE(t.connectionCount(), 2);
        QVERIFY(handshakeFlow(t, 2).contains("C ClientKeyExchange"));
        QVERIFY(handshakeFlow(t, 2).contains("S NewSessionTicket"));
        const StateEvent* declined = state(t, Side::Server, "not resuming");
        QVERIFY(declined && declined->connection == 2);
        QVERIFY2(declined->note.find(says.toStdString()) != std::string::npos, declined->note.c_str());
        const std::string what = explainRun(t).what;
        QVERIFY2(what.find("sealed the new session into a new ticket") != std::string::npos, what.c_str());
    }

    // Seeded runs repeat every byte, ticket included.
    void aSeededTicketRunRepeats()
    {
        const Trace a = runTicketScenario(ResumeFailure::None);
        const Trace b = runTicketScenario(ResumeFailure::None);
        QCOMPARE(traceToKeyLog(a), traceToKeyLog(b));
        std::vector<Bytes> wa, wb;
        for (const RecordEvent* r : records(a))
            wa.push_back(r->wire);
        for (const RecordEvent* r : records(b))
            wb.push_back(r->wire);
        QVERIFY(wa == wb);
    }

    // tshark reads both connections of a ticket-resumed capture: it sees the ticket, and with the embedded keys it
    // decrypts both handshakes' Finished and both requests and responses.
    void tsharkDecryptsATicketResumedRun()
    {
        const QString tshark = QStandardPaths::findExecutable("tshark");
        if (tshark.isEmpty())
            QSKIP("tshark is not installed (scripts/setup.sh --tests installs it)");
        const Trace t = runTicketScenario(ResumeFailure::None);
        QTemporaryDir dir;
        const QString capture = dir.filePath("ticket.pcapng");
        QFile f(capture);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const Bytes pcap = traceToPcapng(t);
        f.write(reinterpret_cast<const char*>(pcap.data()), static_cast<qint64>(pcap.size()));
        f.close();
        QProcess p;
        p.start(tshark, {"-r", capture, "-o", "tls.keylog_file:", "-T", "fields", "-e", "tcp.stream", "-e",
                         "tls.handshake.type", "-e", "tls.handshake.session_ticket_length", "-e",
                         "http.request.method", "-e", "http.response.code"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        int finished = 0, tickets = 0, requests = 0, responses = 0;
        QSet<QString> streams;
        for (const QString& line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
            const QStringList cols = line.split('\t');
            streams.insert(cols.value(0));
            finished += cols.value(1).split(',').count("20");
            tickets += cols.value(1).split(',').count("4");
            requests += cols.value(3) == "GET" ? 1 : 0;
            responses += cols.value(4) == "200" ? 1 : 0;
        }
        QCOMPARE(streams.size(), 2);
        QCOMPARE(tickets, 1);
        QCOMPARE(finished, 4);
        QCOMPARE(requests, 2);
        QCOMPARE(responses, 2);
    }
};

QTEST_GUILESS_MAIN(TestTickets)
#include "test_tickets.moc"
