// Renegotiation (RFC 5246 §7.4.1.1, RFC 5746): a second handshake on an established connection, started by either
// side, its renegotiation_info checks, refusal, the keys changing at each side's new ChangeCipherSpec, and the 2009
// splicing attack with and without RFC 5746.
#include "interop_support.h"
#include "session_support.h"

#include "crypto/rng.h"
#include "session/session.h"
#include "trace/explain.h"
#include "trace/pcapng.h"
#include "trace/trace_format.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace hl;
using namespace hltest;

namespace {

// Lets a test break what a side remembers of the previous handshake, as a peer renegotiating some other connection
// would present it.
class ForgetfulClient : public Client {
public:
    using Client::Client;
    void spoilVerifyData() { m_ownVerifyData.at(0) ^= 0x01; }
};
class ForgetfulServer : public Server {
public:
    using Server::Server;
    void spoilVerifyData() { m_ownVerifyData.at(0) ^= 0x01; }
};

// A client and a server joined directly, with the same seeded generators as a Session.
struct Pair {
    Trace trace;
    SeededRng crng{11, "client"}, srng{11, "server"};
    ForgetfulClient client;
    ForgetfulServer server;
    Pair(EndpointConfig c, EndpointConfig s)
        : client(std::move(c), crng, trace, TraceOptions{true, false}),
          server(std::move(s), srng, trace, TraceOptions{true, false})
    {
    }
    void pump()
    {
        for (bool moved = true; moved;) {
            moved = false;
            for (Bytes& r : client.takeOutgoing()) {
                server.receiveRecord(r);
                moved = true;
            }
            for (Bytes& r : server.takeOutgoing()) {
                client.receiveRecord(r);
                moved = true;
            }
        }
    }
    bool open() const
    {
        return client.handshakeComplete() && server.handshakeComplete() && !client.failed() && !server.failed();
    }
    // One request and its answer; true when both arrived intact.
    bool exchange(const std::string& request, const std::string& response)
    {
        client.sendApplicationData(asBytes(request));
        pump();
        const std::vector<Bytes> got = server.takeApplicationData();
        if (got.size() != 1 || asString(got[0]) != request)
            return false;
        server.sendApplicationData(asBytes(response));
        pump();
        const std::vector<Bytes> back = client.takeApplicationData();
        return back.size() == 1 && asString(back[0]) == response;
    }
};

EndpointConfig clientConfig(RenegotiationPolicy p = RenegotiationPolicy::Allow)
{
    EndpointConfig c = clientConfigFor(Scenario{}, app::demoPki(), kDemoNow);
    c.renegotiation = p;
    return c;
}
EndpointConfig serverConfig(RenegotiationPolicy p = RenegotiationPolicy::Allow)
{
    EndpointConfig s = serverConfigFor(Scenario{}, app::demoPki(), kDemoNow);
    s.renegotiation = p;
    return s;
}

std::vector<const SecretEvent*> secrets(const Trace& t, Side side, const std::string& name)
{
    std::vector<const SecretEvent*> out;
    for (const TraceEvent& e : t.events())
        if (const auto* s = std::get_if<SecretEvent>(&e); s && s->side == side && s->name == name)
            out.push_back(s);
    return out;
}

std::vector<const AlertEvent*> sentAlerts(const Trace& t)
{
    std::vector<const AlertEvent*> out;
    for (const TraceEvent& e : t.events())
        if (const auto* a = std::get_if<AlertEvent>(&e); a && a->sent)
            out.push_back(a);
    return out;
}

// The names of the messages each side sent, in wire order, with whether their record was protected.
QStringList wire(const Trace& t)
{
    QStringList out;
    for (const RecordEvent* r : records(t))
        for (const MessageInfo& m : r->messages)
            out << QString::fromStdString(std::string(r->from == Side::Client ? "C " : "S ") + m.name +
                                          (r->isProtected ? "*" : ""));
    return out;
}

int countStates(const Trace& t, const std::string& state)
{
    int n = 0;
    for (const TraceEvent& e : t.events())
        if (const auto* s = std::get_if<StateEvent>(&e); s && s->state == state)
            ++n;
    return n;
}

// openssl s_server on 127.0.0.1 for one connection, answering each line reversed (-rev) and printing each message
// it sends and receives (-msg).
bool startOpensslServer(QProcess& server, quint16 port, const QStringList& extra)
{
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start("openssl", QStringList{"s_server", "-accept", QString("127.0.0.1:%1").arg(port), "-naccept", "1",
                                        "-rev", "-msg", "-tls1_2", "-cert", kPki + "server-rsa.crt.pem", "-key",
                                        kPki + "server-rsa.key.pem", "-cert_chain", kPki + "intermediate-ca.crt.pem"} +
                                extra);
    return server.waitForStarted() && waitForOutput(server, "ACCEPT");
}

QString stopAndRead(QProcess& p)
{
    p.waitForFinished(5000);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(5000);
    }
    return QString::fromUtf8(p.readAll());
}

// openssl s_client against `serve`: "R" on its stdin asks for a renegotiation, then `line` is sent.
QString opensslClientRenegotiates(quint16 port, const QString& line)
{
    QProcess client;
    client.setProcessChannelMode(QProcess::MergedChannels);
    client.start("openssl", {"s_client", "-connect", QString("127.0.0.1:%1").arg(port), "-tls1_2", "-CAfile",
                             kPki + "root-ca.crt.pem", "-verify_return_error", "-servername", "localhost"});
    if (!client.waitForStarted())
        return "openssl s_client did not start";
    QString out = readUntil(client, "Verify return code", 15000);
    client.write("R\n");
    out += readUntil(client, "RENEGOTIATING", 5000);
    // Time for the second handshake (or its refusal) before the data follows.
    out += readUntil(client, "no such text", 1500);
    client.write((line + "\n").toUtf8());
    out += readUntil(client, line, 5000);
    client.closeWriteChannel();
    client.waitForFinished(5000);
    if (client.state() != QProcess::NotRunning)
        client.kill();
    client.waitForFinished(5000);
    return out + client.readAll();
}

} // namespace

class TestRenegotiation : public QObject {
    Q_OBJECT
private slots:
    // Either side starts it; the second handshake is a full one, all of it encrypted under the first keys, and data
    // flows before and after.
    void secureRenegotiationBothInitiators_data()
    {
        QTest::addColumn<bool>("byServer");
        QTest::newRow("client sends a new ClientHello") << false;
        QTest::newRow("server sends HelloRequest") << true;
    }
    void secureRenegotiationBothInitiators()
    {
        QFETCH(bool, byServer);
        Pair p(clientConfig(), serverConfig());
        p.client.start();
        p.pump();
        QVERIFY(p.open());
        QVERIFY(p.client.secureRenegotiation() && p.server.secureRenegotiation());
        QVERIFY(p.exchange("before", "answer before"));
        const Bytes firstMaster = p.client.masterSecret();
        const std::size_t firstRecords = records(p.trace).size();
        if (byServer)
            p.server.renegotiate();
        else
            p.client.renegotiate();
        p.pump();
        QVERIFY2(p.open(), p.client.failed() ? p.client.failureReason().c_str() : p.server.failureReason().c_str());
        QCOMPARE(p.client.handshakeNumber(), 2);
        QCOMPARE(p.server.handshakeNumber(), 2);
        QVERIFY(!p.client.renegotiating() && !p.server.renegotiating());
        QVERIFY(p.client.masterSecret() != firstMaster);
        QCOMPARE(p.client.masterSecret(), p.server.masterSecret());
        QVERIFY(p.exchange("after", "answer after"));

        // Everything after the first handshake is protected, the second handshake included.
        const QStringList all = wire(p.trace);
        QStringList second;
        const std::vector<const RecordEvent*> recs = records(p.trace);
        for (const RecordEvent* r : std::vector(recs.begin() + static_cast<std::ptrdiff_t>(firstRecords), recs.end()))
            for (const MessageInfo& m : r->messages) {
                QVERIFY2(r->isProtected, m.name.c_str());
                second << QString::fromStdString(std::string(r->from == Side::Client ? "C " : "S ") + m.name);
            }
        QStringList expected{"C ClientHello", "S ServerHello", "S Certificate", "S ServerKeyExchange",
                             "S ServerHelloDone", "C ClientKeyExchange", "C ChangeCipherSpec", "C Finished",
                             "S ChangeCipherSpec", "S Finished", "C ApplicationData", "S ApplicationData"};
        if (byServer)
            expected.prepend("S HelloRequest");
        QCOMPARE(second, expected);
        QCOMPARE(all.count("C ClientHello"), 1); // the first, in the clear
        // Both handshakes' secrets are in the trace, and the key log has a line for each.
        QCOMPARE(secrets(p.trace, Side::Client, "master_secret").size(), std::size_t{2});
        QCOMPARE(secrets(p.trace, Side::Server, "master_secret").size(), std::size_t{2});
        const QStringList keyLog = QString::fromStdString(traceToKeyLog(p.trace)).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(keyLog.size(), 2);
        QVERIFY(keyLog[0] != keyLog[1]);
        QVERIFY(keyLog[1].endsWith(QString::fromStdString(toHex(p.client.masterSecret()))));
        QCOMPARE(countStates(p.trace, "Renegotiating"), 2); // each side says a new handshake begins
    }

    // RFC 5746 §3.5 and §3.7: renegotiation_info must hold the previous handshake's verify_data; a value from some
    // other handshake ends the renegotiation with handshake_failure, from whichever side checks it.
    void wrongVerifyDataIsHandshakeFailure_data()
    {
        QTest::addColumn<bool>("spoilClient");
        QTest::newRow("client's value wrong: the server aborts") << true;
        QTest::newRow("server's value wrong: the client aborts") << false;
    }
    void wrongVerifyDataIsHandshakeFailure()
    {
        QFETCH(bool, spoilClient);
        Pair p(clientConfig(), serverConfig());
        p.client.start();
        p.pump();
        QVERIFY(p.open());
        if (spoilClient)
            p.client.spoilVerifyData();
        else
            p.server.spoilVerifyData();
        p.client.renegotiate();
        p.pump();
        const Connection& checker = spoilClient ? static_cast<const Connection&>(p.server) : p.client;
        QVERIFY(checker.failed());
        QVERIFY(checker.failureAlertSentByUs());
        QCOMPARE(checker.failureAlert(), std::uint8_t(AlertDescription::HandshakeFailure));
        QVERIFY2(QString::fromStdString(checker.failureReason()).contains("renegotiation_info"),
                 checker.failureReason().c_str());
    }

    // A side that does not renegotiate answers with a no_renegotiation warning and the connection goes on with its
    // first keys (RFC 5246 §7.4.1.2); a client may also ignore a HelloRequest altogether (§7.4.1.1).
    void refusalKeepsTheConnection_data()
    {
        QTest::addColumn<bool>("byServer");
        QTest::addColumn<int>("policy");
        QTest::addColumn<bool>("warningExpected");
        QTest::newRow("server refuses a client's ClientHello")
            << false << int(RenegotiationPolicy::Refuse) << true;
        QTest::newRow("client refuses a HelloRequest") << true << int(RenegotiationPolicy::Refuse) << true;
        QTest::newRow("client ignores a HelloRequest") << true << int(RenegotiationPolicy::Ignore) << false;
    }
    void refusalKeepsTheConnection()
    {
        QFETCH(bool, byServer);
        QFETCH(int, policy);
        QFETCH(bool, warningExpected);
        const auto refusing = static_cast<RenegotiationPolicy>(policy);
        Pair p(clientConfig(byServer ? refusing : RenegotiationPolicy::Allow),
               serverConfig(byServer ? RenegotiationPolicy::Allow : refusing));
        p.client.start();
        p.pump();
        QVERIFY(p.open());
        const Bytes master = p.client.masterSecret();
        if (byServer)
            p.server.renegotiate();
        else
            p.client.renegotiate();
        p.pump();
        QVERIFY(p.open());
        QVERIFY(!p.client.renegotiating());
        QCOMPARE(p.client.masterSecret(), master);
        const auto alerts = sentAlerts(p.trace);
        if (warningExpected) {
            QCOMPARE(alerts.size(), std::size_t{1});
            QCOMPARE(alerts[0]->side, byServer ? Side::Client : Side::Server);
            QCOMPARE(alerts[0]->level, AlertLevel::Warning);
            QCOMPARE(alerts[0]->description, std::uint8_t(AlertDescription::NoRenegotiation));
        } else {
            QVERIFY(alerts.empty());
            QCOMPARE(countStates(p.trace, "HelloRequest ignored"), 1);
        }
        QVERIFY(p.exchange("still here", "still answering"));
        // The second request went under the first handshake's keys: one key block only.
        QCOMPARE(secrets(p.trace, Side::Client, "key_block").size(), std::size_t{1});
    }

    // RFC 5746 §4.2 and §4.4: with a legacy peer (no renegotiation_info in the first handshake) a side that allows
    // only secure renegotiation refuses; one that allows insecure renegotiation goes ahead.
    void legacyPeerNeedsInsecurePolicy_data()
    {
        QTest::addColumn<int>("serverPolicy");
        QTest::addColumn<bool>("renegotiated");
        QTest::newRow("allow: refused") << int(RenegotiationPolicy::Allow) << false;
        QTest::newRow("allow_insecure: renegotiated") << int(RenegotiationPolicy::AllowInsecure) << true;
    }
    void legacyPeerNeedsInsecurePolicy()
    {
        QFETCH(int, serverPolicy);
        QFETCH(bool, renegotiated);
        EndpointConfig c = clientConfig();
        c.secureRenegotiation = false; // a client from before 2009
        c.renegotiation = RenegotiationPolicy::AllowInsecure;
        Pair p(c, serverConfig(static_cast<RenegotiationPolicy>(serverPolicy)));
        p.client.start();
        p.pump();
        QVERIFY(p.open());
        QVERIFY(!p.server.secureRenegotiation());
        const Bytes master = p.client.masterSecret();
        p.client.renegotiate();
        p.pump();
        QVERIFY(p.open());
        QCOMPARE(p.client.masterSecret() != master, renegotiated);
        QCOMPARE(countStates(p.trace, "insecure renegotiation") > 0, renegotiated);
    }

    // The abbreviated handshake inside a connection: the client offers the connection's own session.
    void abbreviatedRenegotiationKeepsTheMasterSecret()
    {
        EndpointConfig c = clientConfig();
        c.renegotiationResumes = true;
        EndpointConfig s = serverConfig();
        s.sessionCache = std::make_shared<SessionCache>();
        Pair p(c, s);
        p.client.start();
        p.pump();
        QVERIFY(p.open() && !p.client.resumed());
        const Bytes master = p.client.masterSecret();
        p.client.renegotiate();
        p.pump();
        QVERIFY(p.open());
        QVERIFY(p.client.resumed() && p.server.resumed());
        QCOMPARE(p.client.masterSecret(), master);
        QCOMPARE(secrets(p.trace, Side::Client, "key_block").size(), std::size_t{2});
        QVERIFY(secrets(p.trace, Side::Client, "key_block")[0]->value !=
                secrets(p.trace, Side::Client, "key_block")[1]->value);
        QVERIFY(p.exchange("again", "again too"));
    }

    // The new keys take over exactly at each side's new ChangeCipherSpec: every record before it decrypts with the
    // first key block's keys, every record after it with the second's.
    void newKeysTakeOverAtTheNewChangeCipherSpec()
    {
        Pair p(clientConfig(), serverConfig());
        p.client.start();
        p.pump();
        QVERIFY(p.exchange("one", "two"));
        p.client.renegotiate();
        p.pump();
        QVERIFY(p.exchange("three", "four"));
        const auto keys = secrets(p.trace, Side::Client, "client_write_key");
        QCOMPARE(keys.size(), std::size_t{2});
        QVERIFY(keys[0]->value != keys[1]->value);
        // Walk each direction: after its first ChangeCipherSpec records are protected under epoch 1, after its second
        // under epoch 2, and the record sequence number starts again at 0 at each switch.
        for (Side side : {Side::Client, Side::Server}) {
            int epoch = 0;
            std::uint64_t expectSeq = 0;
            QStringList epochs;
            for (const RecordEvent* r : records(p.trace)) {
                if (r->from != side)
                    continue;
                QCOMPARE(r->isProtected, epoch > 0);
                if (epoch > 0) {
                    QCOMPARE(r->sequence, expectSeq);
                    ++expectSeq;
                }
                for (const MessageInfo& m : r->messages)
                    epochs << QString("%1:%2").arg(QString::fromStdString(m.name)).arg(epoch);
                if (r->contentType == std::uint8_t(ContentType::ChangeCipherSpec)) {
                    ++epoch;
                    expectSeq = 0;
                }
            }
            QCOMPARE(epoch, 2);
            // The second handshake's Finished is the first record under the new keys.
            QVERIFY2(epochs.contains("Finished:2") && epochs.indexOf("Finished:2") ==
                                                          epochs.indexOf("ChangeCipherSpec:1") + 1,
                     qPrintable(epochs.join(' ')));
        }
        QVERIFY(p.open());
    }

    // The shipped scenarios: each ends as it says, and the attack shows the splice or is stopped.
    void scenariosEndAsTheySay_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("handshakes"); // ClientHello messages on the wire
        QTest::addColumn<int>("alert");      // the fatal alert, 0: completed
        QTest::newRow("client-initiated") << "renegotiate-client" << 2 << 0;
        QTest::newRow("server-initiated") << "renegotiate-server" << 2 << 0;
        QTest::newRow("refused") << "renegotiate-refused" << 2 << 0;
        QTest::newRow("abbreviated") << "renegotiate-resumed" << 2 << 0;
        QTest::newRow("attack without RFC 5746") << "renegotiation-attack" << 2 << 0;
        QTest::newRow("attack with RFC 5746") << "renegotiation-attack-rfc5746" << 2
                                              << int(AlertDescription::HandshakeFailure);
    }
    void scenariosEndAsTheySay()
    {
        QFETCH(QString, scenario);
        QFETCH(int, handshakes);
        QFETCH(int, alert);
        const Trace t = runDemo(scenario.toStdString());
        QCOMPARE(wire(t).filter(QRegularExpression("^C ClientHello")).size(), handshakes);
        QCOMPARE(t.outcome.completed, alert == 0);
        if (alert) {
            QCOMPARE(int(t.outcome.alert), alert);
            QCOMPARE(t.outcome.alertFrom, Side::Server);
        }
        QVERIFY(meetsExpectation(*app::findScenario(scenario.toStdString()), t));
    }

    // The attack without RFC 5746: the server reads the attacker's prefix and the victim's request as one request.
    void spliceSucceedsWithoutRfc5746()
    {
        const Scenario& sc = *app::findScenario("renegotiation-attack");
        const Trace t = runDemo("renegotiation-attack");
        QVERIFY(t.outcome.completed);
        std::string spliced;
        for (const TraceEvent& e : t.events())
            if (const auto* s = std::get_if<StateEvent>(&e); s && s->state == "spliced request")
                spliced = s->note;
        QVERIFY(!spliced.empty());
        QVERIFY(spliced.find(sc.renegotiate->prefix + sc.request) != std::string::npos);
        // The victim's request went only under the new keys, which the attacker never had: its ApplicationData
        // record is the second one from the client side, protected.
        int data = 0;
        for (const RecordEvent* r : records(t))
            if (r->from == Side::Client && r->contentType == std::uint8_t(ContentType::ApplicationData)) {
                ++data;
                QVERIFY(r->isProtected);
            }
        QCOMPARE(data, 2);
        // The victim read the server's answer to the spliced request.
        QCOMPARE(countStates(t, "spliced request"), 1);
    }

    // With RFC 5746 the server sees an empty renegotiation_info in what it takes for a renegotiation and aborts;
    // no application data of the victim's reaches it.
    void spliceStoppedByRfc5746()
    {
        const Trace t = runDemo("renegotiation-attack-rfc5746");
        QVERIFY(!t.outcome.completed);
        QCOMPARE(t.outcome.alert, std::uint8_t(AlertDescription::HandshakeFailure));
        QVERIFY2(QString::fromStdString(t.outcome.reason).contains("empty"), t.outcome.reason.c_str());
        int clientData = 0;
        for (const RecordEvent* r : records(t))
            clientData += r->from == Side::Client && r->contentType == std::uint8_t(ContentType::ApplicationData);
        QCOMPARE(clientData, 1); // the attacker's prefix only
        QCOMPARE(countStates(t, "spliced request"), 0);
    }

    // connect --renegotiate against openssl s_server: OpenSSL counts a renegotiation and saw two ClientHellos, our
    // trace holds both handshakes, and the data after it is answered. Without -client_renegotiation OpenSSL refuses
    // with a warning, and connect goes on with its first keys.
    void connectRenegotiatesAgainstOpensslServer_data()
    {
        QTest::addColumn<bool>("allowed");
        QTest::newRow("s_server -client_renegotiation") << true;
        QTest::newRow("s_server refusing") << false;
    }
    void connectRenegotiatesAgainstOpensslServer()
    {
        QFETCH(bool, allowed);
        if (QStandardPaths::findExecutable("openssl").isEmpty())
            QSKIP("openssl is not installed (scripts/setup.sh installs it)");
        const quint16 port = freePort();
        QProcess server;
        QVERIFY2(startOpensslServer(server, port, allowed ? QStringList{"-client_renegotiation"} : QStringList{}),
                 "openssl s_server did not start listening");
        QProcess client;
        client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--ca", kPki + "root-ca.crt.pem",
                               "--servername", "localhost", "--renegotiate", "--send", "after the second handshake"});
        QVERIFY(client.waitForFinished(30000));
        const QString out = client.readAllStandardOutput();
        const QString err = client.readAllStandardError();
        const QString opensslOut = stopAndRead(server);
        QVERIFY2(client.exitCode() == 0, qPrintable(err + "\n" + out.right(2000)));
        QVERIFY2(err.contains("reply: ekahsdnah dnoces eht retfa"), qPrintable(err));
        QVERIFY2(opensslOut.count("<<< TLS 1.2, Handshake") >= 1, qPrintable(opensslOut.right(2000)));
        if (allowed) {
            QVERIFY2(err.contains("renegotiation: handshake 2 complete, new keys in use"), qPrintable(err));
            QVERIFY2(opensslOut.contains(" 1 server renegotiates"), qPrintable(opensslOut.right(2000)));
            QCOMPARE(opensslOut.count("], ClientHello"), 2);
            QCOMPARE(out.count("Renegotiating: handshake 2"), 1);
            QVERIFY(out.contains("Connected: renegotiation complete"));
        } else {
            QVERIFY2(err.contains("renegotiation: refused by the server"), qPrintable(err));
            QVERIFY2(out.contains("receives warning alert no_renegotiation"), qPrintable(out.right(2000)));
            QVERIFY2(opensslOut.contains("warning no_renegotiation"), qPrintable(opensslOut.right(2000)));
            QCOMPARE(opensslOut.count("], ClientHello"), 2); // the second one, refused
        }
    }

    // openssl s_client's R command against serve: s_client prints RENEGOTIATING and verifies the chain again for
    // the second handshake, and the echo after it comes back; serve's trace holds both handshakes. With
    // --no-renegotiation serve answers no_renegotiation, which OpenSSL treats as the end of the connection.
    void opensslClientRenegotiatesAgainstServe_data()
    {
        QTest::addColumn<bool>("allowed");
        QTest::newRow("serve") << true;
        QTest::newRow("serve --no-renegotiation") << false;
    }
    void opensslClientRenegotiatesAgainstServe()
    {
        QFETCH(bool, allowed);
        if (QStandardPaths::findExecutable("openssl").isEmpty())
            QSKIP("openssl is not installed (scripts/setup.sh installs it)");
        QProcess server;
        QString serverErr;
        const quint16 port = startServe(server, allowed ? QStringList{} : QStringList{"--no-renegotiation"}, serverErr);
        QVERIFY2(port, qPrintable(serverErr));
        const QString out = opensslClientRenegotiates(port, "echo after renegotiation");
        server.waitForFinished(10000);
        if (server.state() != QProcess::NotRunning)
            server.kill();
        server.waitForFinished(5000);
        const QString trace = QString::fromUtf8(server.readAllStandardOutput());
        QVERIFY2(out.contains("RENEGOTIATING"), qPrintable(out.right(3000)));
        if (allowed) {
            QCOMPARE(out.count("verify return:1"), 6); // three certificates, checked in each handshake
            QVERIFY2(out.contains("\necho after renegotiation"), qPrintable(out.right(3000)));
            QCOMPARE(trace.count("Renegotiating: handshake 2"), 1);
            QVERIFY2(trace.contains("renegotiation_info: the client sent"), qPrintable(trace.right(3000)));
            QVERIFY2(trace.contains("Connected: renegotiation complete"), qPrintable(trace.right(3000)));
        } else {
            QVERIFY2(out.contains("no renegotiation"), qPrintable(out.right(3000)));
            QVERIFY2(trace.contains("sends warning alert no_renegotiation"), qPrintable(trace.right(3000)));
            QCOMPARE(trace.count("Renegotiating:"), 0);
        }
    }

    // A pcapng of a renegotiated run, with the key log embedded: tshark decrypts every handshake message of both
    // handshakes (those of the second are encrypted twice over in time: under the first keys on the wire, after a
    // second key log line for what follows) and every application record.
    void tsharkDecryptsBothHandshakes_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("types"); // handshake types tshark must read, in order
        const QString full = "1 2 11 12 14 16 20 20";
        QTest::newRow("client-initiated") << "renegotiate-client" << full + " " + full;
        QTest::newRow("server-initiated") << "renegotiate-server" << full + " 0 " + full;
        QTest::newRow("abbreviated") << "renegotiate-resumed" << full + " 1 2 20 20";
    }
    void tsharkDecryptsBothHandshakes()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, types);
        const QString tshark = QStandardPaths::findExecutable("tshark");
        if (tshark.isEmpty())
            QSKIP("tshark is not installed (scripts/setup.sh --tests installs it)");
        const Trace trace = runDemo(scenario.toStdString());
        QVERIFY(trace.outcome.completed);
        QTemporaryDir dir;
        const QString capture = dir.filePath("renegotiated.pcapng");
        {
            QFile f(capture);
            const Bytes bytes = traceToPcapng(trace);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size())), qint64(bytes.size()));
        }
        // Only the embedded keys: the personal key log preference is set empty.
        QProcess p;
        p.start(tshark, {"-r", capture, "-o", "tls.keylog_file:", "-T", "fields", "-e", "tls.handshake.type", "-e",
                         "tls.alert_message.desc", "-z", "follow,tls,ascii,0"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QStringList seen, alerts;
        for (const QString& line : out.split('\n')) {
            if (line.startsWith("====")) // the follow output comes after the fields
                break;
            const QStringList f = line.split('\t');
            if (f.size() < 2)
                continue;
            seen += f[0].split(',', Qt::SkipEmptyParts);
            alerts += f[1].split(',', Qt::SkipEmptyParts);
        }
        QCOMPARE(seen.join(' '), types);
        QCOMPARE(alerts, (QStringList{"0", "0"})); // both close_notify alerts, read under the second keys
        const Scenario& s = *app::findScenario(scenario.toStdString());
        const QString request = QString::fromStdString(s.request.substr(0, s.request.find('\r')));
        QCOMPARE(out.count(request), int(s.repeat)); // every request, before and after the renegotiation
        QCOMPARE(out.count("HTTP/1.1 200 OK"), int(s.repeat));
    }

    // The second pair of hellos is explained as a renegotiation, with RFC 5746's rule; the first pair is not.
    void theSecondHellosAreExplainedAsARenegotiation()
    {
        const Trace t = runDemo("renegotiate-client");
        QStringList explained;
        for (std::size_t i = 0; i < t.events().size(); ++i) {
            const auto* r = std::get_if<RecordEvent>(&t.events()[i]);
            if (!r || r->messages.empty() ||
                (r->messages[0].name != "ClientHello" && r->messages[0].name != "ServerHello"))
                continue;
            const Explanation x = explainEvent(t, i);
            explained << QString("%1 %2 %3")
                             .arg(QString::fromStdString(r->messages[0].name))
                             .arg(x.what.find("second handshake") != std::string::npos ||
                                  x.what.find("answers a renegotiation") != std::string::npos)
                             .arg(QString::fromStdString(x.rfc).contains("RFC 5746"));
        }
        QCOMPARE(explained, (QStringList{"ClientHello 0 0", "ServerHello 0 0",
                                         "ClientHello 1 1", "ServerHello 1 1"}));
    }

    // Renegotiation needs an established connection; asking too early is the caller's mistake, not the peer's.
    void renegotiateBeforeTheHandshakeIsRefused()
    {
        Pair p(clientConfig(), serverConfig());
        QVERIFY_THROWS_EXCEPTION(std::logic_error, p.client.renegotiate());
        p.client.start();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, p.client.renegotiate());
    }
};

QTEST_GUILESS_MAIN(TestRenegotiation)
#include "test_renegotiation.moc"
