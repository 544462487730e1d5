// Session resumption (RFC 5246 §7.3, figure 2): the server's session cache, the abbreviated handshake, each way it
// falls back to a full handshake, and the extended master secret rules for resumption (RFC 7627 §5.3).
#include "session_support.h"

#include "crypto/rng.h"
#include "session/session.h"
#include "session/session_cache.h"
#include "trace/explain.h"
#include "trace/export_text.h"
#include "trace/pcapng.h"
#include "trace/sequence.h"
#include "trace/trace_format.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace hl;
using namespace hltest;

namespace {

EndpointConfig clientConfig(const Scenario& sc = {})
{
    return clientConfigFor(sc, app::demoPki(), kDemoNow);
}

EndpointConfig serverConfig(const std::shared_ptr<SessionCache>& cache, const Scenario& sc = {})
{
    EndpointConfig c = serverConfigFor(sc, app::demoPki(), kDemoNow);
    c.sessionCache = cache;
    return c;
}

// "Server ChangeCipherSpec", ... for every record a side sent, in wire order.
QStringList flowOf(const Trace& t)
{
    QStringList out;
    for (const RecordEvent* r : records(t))
        for (const MessageInfo& m : r->messages)
            out << QString::fromStdString(std::string(r->from == Side::Client ? "C " : "S ") + m.name);
    return out;
}

QStringList handshakeOnly(QStringList flow)
{
    flow.removeIf([](const QString& s) { return s.endsWith("ApplicationData") || s.endsWith("Alert"); });
    return flow;
}

const SecretEvent* secret(const Trace& t, Side side, const std::string& name)
{
    for (const TraceEvent& e : t.events())
        if (const auto* s = std::get_if<SecretEvent>(&e); s && s->side == side && s->name == name)
            return s;
    return nullptr;
}

bool hasState(const Trace& t, Side side, const std::string& state)
{
    for (const TraceEvent& e : t.events())
        if (const auto* s = std::get_if<StateEvent>(&e); s && s->side == side && s->state == state)
            return true;
    return false;
}

Trace runResumption(ResumeFailure failure = ResumeFailure::None, std::uint64_t seed = 7)
{
    Scenario sc;
    sc.name = "resumption";
    sc.resume = Resumption::SessionId;
    sc.resumeFailure = failure;
    if (failure == ResumeFailure::DifferentSuite)
        sc.serverSuites = {0xc02f, 0xc030};
    RunOptions o;
    o.seed = seed;
    o.now = kDemoNow;
    return runScenario(sc, app::demoPki(), o);
}

QStringList flowOf(const Trace& t, int connection)
{
    QStringList out;
    for (const RecordEvent* r : records(t))
        if (r->connection == connection)
            for (const MessageInfo& m : r->messages)
                out << QString::fromStdString(std::string(r->from == Side::Client ? "C " : "S ") + m.name);
    return out;
}

} // namespace

class TestResumption : public QObject {
    Q_OBJECT

private slots:
    void aServerWithoutCacheNamesNoSession()
    {
        const Connected c = handshake(clientConfig(), serverConfig(nullptr), 1);
        QVERIFY2(c.completed, c.reason.c_str());
        QVERIFY(!c.saved); // an empty session_id: nothing to resume
    }

    void aFullHandshakeIsCachedUnderARandomId()
    {
        auto cache = std::make_shared<SessionCache>();
        const Connected c = handshake(clientConfig(), serverConfig(cache), 1);
        QVERIFY2(c.completed, c.reason.c_str());
        QVERIFY(c.saved);
        QCOMPARE(c.saved->sessionId.size(), std::size_t{32});
        QCOMPARE(c.saved->masterSecret, c.clientMaster);
        QCOMPARE(cache->size(), std::size_t{1});
        QVERIFY(c.saved->extendedMasterSecret);
        QVERIFY(!c.saved->peerCertificates.empty());
        QVERIFY(secret(c.trace, Side::Server, "session_id"));
        // A different seed, a different ID: it comes from the server's generator.
        const Connected other = handshake(clientConfig(), serverConfig(cache), 2);
        QVERIFY(other.saved && other.saved->sessionId != c.saved->sessionId);
    }

    void theAbbreviatedHandshakeRunsInFigure2Order()
    {
        auto cache = std::make_shared<SessionCache>();
        const Connected first = handshake(clientConfig(), serverConfig(cache), 1);
        EndpointConfig again = clientConfig();
        again.resumeSession = first.saved;
        const Connected second = handshake(again, serverConfig(cache), 2);
        QVERIFY2(second.completed, second.reason.c_str());
        QVERIFY(second.clientResumed && second.serverResumed);
        QCOMPARE(handshakeOnly(flowOf(second.trace)),
                 QStringList({"C ClientHello", "S ServerHello", "S ChangeCipherSpec", "S Finished",
                              "C ChangeCipherSpec", "C Finished"}));
        // The server echoes the ID the client offered.
        QCOMPARE(second.saved->sessionId, first.saved->sessionId);
    }

    void resumedKeysComeFromTheSavedMasterSecretAndNewRandoms()
    {
        auto cache = std::make_shared<SessionCache>();
        const Connected first = handshake(clientConfig(), serverConfig(cache), 1);
        EndpointConfig again = clientConfig();
        again.resumeSession = first.saved;
        const Connected second = handshake(again, serverConfig(cache), 2);
        QVERIFY2(second.completed, second.reason.c_str());
        QCOMPARE(second.clientMaster, first.clientMaster);
        QCOMPARE(second.serverMaster, first.clientMaster);
        // No key exchange: no pre-master secret on either side.
        QVERIFY(!secret(second.trace, Side::Client, "pre_master_secret"));
        QVERIFY(!secret(second.trace, Side::Server, "pre_master_secret"));
        const SecretEvent* ck = secret(second.trace, Side::Client, "key_block");
        const SecretEvent* sk = secret(second.trace, Side::Server, "key_block");
        const SecretEvent* firstKb = secret(first.trace, Side::Client, "key_block");
        QVERIFY(ck && sk && firstKb);
        QCOMPARE(ck->value, sk->value);
        QVERIFY(ck->value != firstKb->value); // new randoms, new keys
        // Exactly what RFC 5246 §6.3 gives for the saved master secret and the new randoms.
        const SecretEvent* cr = secret(second.trace, Side::Client, "client_random");
        const SecretEvent* sr = secret(second.trace, Side::Client, "server_random");
        const KeyBlock kb = computeKeyBlock(kTls12, *findCipherSuite(first.saved->cipherSuite), first.clientMaster,
                                            cr->value, sr->value);
        QCOMPARE(ck->value, kb.raw);
    }

    // Each reason the server declines and runs the full handshake instead, with a new session ID.
    void fallsBackToAFullHandshake_data()
    {
        QTest::addColumn<QString>("why");
        QTest::newRow("unknown ID (server restarted)") << "unknown";
        QTest::newRow("expired") << "expired";
        QTest::newRow("client no longer offers the suite") << "suite";
        QTest::newRow("another version negotiated") << "version";
        QTest::newRow("session without EMS, hello with EMS") << "ems-upgrade";
        QTest::newRow("server keeps no cache") << "no-cache";
    }
    void fallsBackToAFullHandshake()
    {
        QFETCH(QString, why);
        auto cache = std::make_shared<SessionCache>();
        EndpointConfig c1 = clientConfig();
        EndpointConfig s1 = serverConfig(cache);
        if (why == "version") {
            s1.minVersion = s1.maxVersion = kTls11;
            c1.minVersion = kTls11;
            s1.cipherSuites = {0xc013}; // ECDHE-RSA with AES-128-CBC: TLS 1.1 has no GCM
        }
        if (why == "ems-upgrade")
            c1.extendedMasterSecret = false;
        if (why == "suite")
            s1.cipherSuites = {0xc02f, 0xc030};
        const Connected first = handshake(c1, s1, 1);
        QVERIFY2(first.completed, first.reason.c_str());
        QVERIFY(first.saved);

        EndpointConfig c2 = clientConfig();
        EndpointConfig s2 = serverConfig(cache);
        c2.resumeSession = first.saved;
        if (why == "unknown")
            s2.sessionCache = std::make_shared<SessionCache>();
        if (why == "no-cache")
            s2.sessionCache = nullptr;
        if (why == "expired")
            s2.now = first.saved->createdAt + s2.sessionLifetime + 1;
        if (why == "suite") {
            s2.cipherSuites = {0xc02f, 0xc030};
            c2.cipherSuites = {0xc030};
        }
        if (why == "version") {
            s2.minVersion = c2.minVersion = kTls11;
            s2.cipherSuites = {0xc013};
        }
        const Connected second = handshake(c2, s2, 2);
        QVERIFY2(second.completed, second.reason.c_str());
        QVERIFY(!second.clientResumed);
        QVERIFY(!second.serverResumed);
        QVERIFY(hasState(second.trace, Side::Server, "not resuming"));
        QVERIFY(hasState(second.trace, Side::Client, "not resumed"));
        QVERIFY(secret(second.trace, Side::Client, "pre_master_secret"));
        QVERIFY(handshakeOnly(flowOf(second.trace)).contains("C ClientKeyExchange"));
        QVERIFY(second.clientMaster != first.clientMaster);
        if (why != "no-cache") {
            QVERIFY(second.saved);
            QVERIFY(second.saved->sessionId != first.saved->sessionId);
        }
        if (why == "expired")
            QCOMPARE(s2.sessionCache->size(), std::size_t{1}); // the expired one forgotten, the new one kept
    }

    // RFC 7627 §5.3: a session made with the extended master secret is never resumed without it: the server aborts.
    void anEmsSessionOfferedWithoutEmsIsAborted()
    {
        auto cache = std::make_shared<SessionCache>();
        const Connected first = handshake(clientConfig(), serverConfig(cache), 1);
        QVERIFY(first.saved && first.saved->extendedMasterSecret);
        EndpointConfig c2 = clientConfig();
        c2.resumeSession = first.saved;
        c2.extendedMasterSecret = false;
        const Connected second = handshake(c2, serverConfig(cache), 2);
        QVERIFY(!second.completed);
        QCOMPARE(second.alert, static_cast<std::uint8_t>(AlertDescription::HandshakeFailure));
        QVERIFY2(second.reason.find("RFC 7627 §5.3") != std::string::npos, second.reason.c_str());
    }

    // Neither session nor hello uses the extension: resumed, as OpenSSL does, with a warning in the trace.
    void aSessionWithoutEmsResumesWithoutEms()
    {
        auto cache = std::make_shared<SessionCache>();
        EndpointConfig c1 = clientConfig();
        c1.extendedMasterSecret = false;
        const Connected first = handshake(c1, serverConfig(cache), 1);
        QVERIFY(first.saved && !first.saved->extendedMasterSecret);
        EndpointConfig c2 = c1;
        c2.resumeSession = first.saved;
        const Connected second = handshake(c2, serverConfig(cache), 2);
        QVERIFY2(second.completed, second.reason.c_str());
        QVERIFY(second.clientResumed);
        QVERIFY(hasState(second.trace, Side::Server, "legacy resumption"));
    }

    // The client checks the server's side of RFC 7627 §5.3 too: a server resuming an EMS session without the
    // extension in its ServerHello is refused.
    void theClientRefusesAResumptionThatDropsEms()
    {
        auto cache = std::make_shared<SessionCache>();
        const Connected first = handshake(clientConfig(), serverConfig(cache), 1);
        // The server forgot the session was made with EMS and no longer does EMS at all.
        SessionCache lying;
        SavedSession s = *first.saved;
        s.extendedMasterSecret = false;
        auto forgetful = std::make_shared<SessionCache>();
        forgetful->store(s, 10);
        EndpointConfig c2 = clientConfig();
        c2.resumeSession = first.saved;
        EndpointConfig s2 = serverConfig(forgetful);
        s2.extendedMasterSecret = false;
        const Connected second = handshake(c2, s2, 2);
        QVERIFY(!second.completed);
        QCOMPARE(second.alert, static_cast<std::uint8_t>(AlertDescription::HandshakeFailure));
        QVERIFY2(second.reason.find("RFC 7627 §5.3") != std::string::npos, second.reason.c_str());
    }

    // A resumption scenario: one trace, the full handshake on connection 1, the abbreviated one on connection 2.
    void oneTraceHoldsBothConnections()
    {
        const Trace t = runResumption();
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        QCOMPARE(t.connectionCount(), 2);
        // Every event of connection 1 comes before every event of connection 2.
        int last = 1;
        for (const TraceEvent& e : t.events()) {
            QVERIFY(connectionOf(e) >= last);
            last = connectionOf(e);
        }
        QVERIFY(handshakeOnly(flowOf(t, 1)).contains("C ClientKeyExchange"));
        QCOMPARE(handshakeOnly(flowOf(t, 2)),
                 QStringList({"C ClientHello", "S ServerHello", "S ChangeCipherSpec", "S Finished",
                              "C ChangeCipherSpec", "C Finished"}));
        // The application data is exchanged on both connections.
        QCOMPARE(flowOf(t, 2).count("C ApplicationData"), 1);
        QCOMPARE(t.negotiations.size(), std::size_t{2});
        QCOMPARE(t.negotiations[1].connection, 2);
    }

    void theSecondOfferIsSpoiledAsTheScenarioSays_data()
    {
        QTest::addColumn<int>("failure");
        QTest::newRow("unknown id") << static_cast<int>(ResumeFailure::UnknownId);
        QTest::newRow("expired") << static_cast<int>(ResumeFailure::Expired);
        QTest::newRow("different suite") << static_cast<int>(ResumeFailure::DifferentSuite);
    }
    void theSecondOfferIsSpoiledAsTheScenarioSays()
    {
        QFETCH(int, failure);
        const Trace t = runResumption(static_cast<ResumeFailure>(failure));
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        QCOMPARE(t.connectionCount(), 2);
        QVERIFY(handshakeOnly(flowOf(t, 2)).contains("C ClientKeyExchange"));
        QVERIFY(explainRun(t).what.find("ran the full handshake again") != std::string::npos);
    }

    void eachEventSaysItsConnectionInJson()
    {
        const Trace t = runResumption();
        const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(traceToJson(t))).object();
        const QJsonArray events = doc.value("events").toArray();
        QCOMPARE(events.size(), static_cast<qsizetype>(t.size()));
        for (qsizetype i = 0; i < events.size(); ++i)
            QCOMPARE(events[i].toObject().value("connection").toInt(),
                     connectionOf(t.events()[static_cast<std::size_t>(i)]));
        QCOMPARE(events.last().toObject().value("connection").toInt(), 2);
    }

    // The text trace heads the second connection once, where its first event is; a single connection has no heading.
    void theTextTraceHeadsTheSecondConnection()
    {
        const std::string text = traceToText(runResumption());
        const auto heading = text.find("=== connection 2: a new TCP connection ===");
        QVERIFY(heading != std::string::npos);
        QCOMPARE(text.find("=== connection", heading + 1), std::string::npos);
        QVERIFY(text.find("ClientHello", heading) != std::string::npos);
        QVERIFY(text.find("ClientHello") < heading);
        QCOMPARE(traceToText(runDemo("default")).find("=== connection"), std::string::npos);
    }

    void theDiagramSeparatesTheConnections()
    {
        const Trace t = runResumption();
        const SequenceDiagram d = buildSequence(t);
        int separators = 0;
        for (const SequenceRow& r : d.rows)
            separators += r.startsConnection ? 1 : 0;
        QCOMPARE(separators, 1);
        // No flight spans the two connections.
        for (const Flight& f : d.flights)
            QCOMPARE(d.rows[f.firstRow].connection, d.rows[f.lastRow].connection);
        // The text diagrams draw the divider once, at the messages level too.
        const SequenceDiagram m = filterSequence(d, DetailLevel::Messages);
        const std::string puml = sequenceToPlantUml(m, "resumption");
        QCOMPARE(QString::fromStdString(puml).count("== Connection 2: a new TCP connection =="), 1);
        const std::string mmd = sequenceToMermaid(m, "resumption");
        QCOMPARE(QString::fromStdString(mmd).count("Note over C,S: Connection 2"), 1);
    }

    // The explanation names what was saved and counts what the second handshake did not have to do.
    void theExplanationCountsWhatResumptionSaved()
    {
        const Trace t = runResumption();
        const std::string what = explainRun(t).what;
        QVERIFY2(what.find("saved its session ID, master secret") != std::string::npos, what.c_str());
        // ECDHE-RSA: two chain signatures and the ServerKeyExchange signature checked, one signature made, two
        // ephemeral keys generated and two (EC)DH computations; resumed: none of them.
        QVERIFY2(what.find("1 round trip instead of 2") != std::string::npos, what.c_str());
        QVERIFY2(what.find("0 public-key operations instead of 8") != std::string::npos, what.c_str());
    }

    // Each side's reused master secret is explained as reused, not derived.
    void theReusedMasterSecretIsExplainedAsReused()
    {
        const Trace t = runResumption();
        int reused = 0, derived = 0;
        for (std::size_t i = 0; i < t.size(); ++i)
            if (const auto* s = std::get_if<SecretEvent>(&t.events()[i]); s && s->name == "master_secret") {
                const Explanation x = explainEvent(t, i);
                if (s->connection == 2) {
                    QVERIFY2(x.title.find("reuses the saved master secret") != std::string::npos, x.title.c_str());
                    ++reused;
                } else {
                    QVERIFY2(x.title.find("derives the master secret") != std::string::npos, x.title.c_str());
                    ++derived;
                }
            }
        QCOMPARE(reused, 2);
        QCOMPARE(derived, 2);
    }

    // One key log line per connection: new randoms, the same master secret.
    void theKeyLogHasALinePerConnection()
    {
        const Trace t = runResumption();
        const QStringList lines = QString::fromStdString(traceToKeyLog(t)).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        const QStringList a = lines[0].split(' '), b = lines[1].split(' ');
        QCOMPARE(a[0], QStringLiteral("CLIENT_RANDOM"));
        QVERIFY(a[1] != b[1]);
        QCOMPARE(a[2], b[2]);
    }

    // tshark reads both TCP connections of the capture and decrypts both handshakes and both requests.
    void tsharkDecryptsBothConnections()
    {
        const QString tshark = QStandardPaths::findExecutable("tshark");
        if (tshark.isEmpty())
            QSKIP("tshark is not installed (scripts/setup.sh --tests installs it)");
        const Trace t = runResumption();
        QTemporaryDir dir;
        const QString capture = dir.filePath("resumed.pcapng");
        QFile f(capture);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const Bytes pcap = traceToPcapng(t);
        f.write(reinterpret_cast<const char*>(pcap.data()), static_cast<qint64>(pcap.size()));
        f.close();
        QProcess p;
        p.start(tshark, {"-r", capture, "-o", "tls.keylog_file:", "-T", "fields", "-e", "tcp.stream", "-e",
                         "tls.handshake.type", "-e", "http.request.method", "-e", "http.response.code"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        int finished = 0, requests = 0, responses = 0;
        QSet<QString> streams;
        for (const QString& line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
            const QStringList cols = line.split('\t');
            streams.insert(cols.value(0));
            finished += cols.value(1).split(',').count("20");
            requests += cols.value(2) == "GET" ? 1 : 0;
            responses += cols.value(3) == "200" ? 1 : 0;
        }
        QCOMPARE(streams.size(), 2);
        QCOMPARE(finished, 4);
        QCOMPARE(requests, 2);
        QCOMPARE(responses, 2);
    }

    void theCacheForgetsItsOldestWhenFull()
    {
        SessionCache cache;
        for (std::uint8_t i = 0; i < 3; ++i)
            cache.store(SavedSession{Bytes{i}, Bytes(48, i), 0xc02f, kTls12, true, {}, {}, 0}, 2);
        QCOMPARE(cache.size(), std::size_t{2});
        QCOMPARE(cache.find(Bytes{0}, 0, 100).status, SessionCache::Status::Unknown);
        QCOMPARE(cache.find(Bytes{2}, 100, 100).status, SessionCache::Status::Found);
        QCOMPARE(cache.find(Bytes{2}, 101, 100).status, SessionCache::Status::Expired);
        QCOMPARE(cache.find(Bytes{2}, 0, 100).status, SessionCache::Status::Unknown); // gone once expired
    }
};

QTEST_GUILESS_MAIN(TestResumption)
#include "test_resumption.moc"
