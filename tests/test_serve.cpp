// `serve` and `connect` as long-lived network peers: several clients at once, an idle timeout per read apart from
// the handshake's deadline, `serve --http` answering curl and our own client with a page about the handshake,
// `connect` keeping its trace however the server ends the connection, and a trace that stays bounded.
#include "http_page.h"
#include "interop_support.h"
#include "net.h"
#include "pki.h"
#include "scenario_library.h"

#include "client/client.h"
#include "crypto/rng.h"
#include "server/server.h"
#include "session/session.h"
#include "trace/trace_format.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <chrono>
#include <thread>

using namespace hl;
using hltest::kBinary;
using hltest::kPki;
using hltest::startServe;

namespace {

std::int64_t now()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Result {
    int code = -1;
    QString out, err;
    qint64 ms = 0;
};

Result run(const QString& program, const QStringList& args, int waitMs = 30000)
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    if (!p.waitForFinished(waitMs))
        p.kill();
    p.waitForFinished(2000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError(), t.elapsed()};
}

Result connectTo(quint16 port, const QStringList& extra = {})
{
    return run(kBinary, QStringList{"connect", QString("127.0.0.1:%1").arg(port), "--servername", "localhost"} + extra);
}

// What `p` writes on stderr until it contains `what`, `p` stops, or `ms` pass.
QString stderrUntil(QProcess& p, const QString& what, int ms)
{
    QString err;
    QElapsedTimer waited;
    waited.start();
    while (!err.contains(what) && waited.elapsed() < ms && p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(100);
        err += p.readAllStandardError();
    }
    return err + p.readAllStandardError();
}

void stop(QProcess& p)
{
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(5000);
    }
}

// Drives the engine's client over a real socket: the handshake, then whatever the test does.
struct LiveClient {
    SeededRng rng{5, "client"};
    Trace trace;
    app::Socket sock;
    std::unique_ptr<Client> client;

    explicit LiveClient(quint16 port)
    {
        EndpointConfig cfg = clientConfigFor(*app::findScenario("default"), app::demoPki(), now());
        cfg.serverName = "localhost";
        sock = app::connectTcp("127.0.0.1", port);
        client = std::make_unique<Client>(cfg, rng, trace, TraceOptions{true, true});
        client->start();
        flush();
        while (!client->handshakeComplete() && !client->failed()) {
            auto d = sock.readSome(5000);
            if (!d || d->empty())
                break;
            client->receive(*d);
            flush();
        }
    }
    void flush()
    {
        for (const Bytes& r : client->takeOutgoing())
            sock.writeAll(r);
    }
    // Sends `text` and reads until it comes back; empty on silence or close.
    std::string echo(const std::string& text)
    {
        client->sendApplicationData(asBytes(text));
        flush();
        std::string got;
        while (got.size() < text.size()) {
            auto d = sock.readSome(5000);
            if (!d || d->empty())
                return got;
            client->receive(*d);
            flush();
            for (const Bytes& b : client->takeApplicationData())
                got += asString(b);
        }
        return got;
    }
};

// A TLS server on a loopback port, played by the engine on a thread: it finishes one handshake, then ends the
// connection the way `mode` says, as a real server might.
class ScriptedServer {
public:
    enum class Mode { CloseNotifyAtOnce, SendThenCloseNotify, TcpCloseAtOnce, StreamThenCloseNotify };

    explicit ScriptedServer(Mode mode) : m_mode(mode)
    {
        std::uint16_t bound = 0;
        m_listener = app::listenLoopback(0, bound);
        m_port = bound;
        m_thread = std::thread([this] { serve(); });
    }
    ~ScriptedServer() { m_thread.join(); }
    quint16 port() const { return m_port; }

private:
    void serve()
    {
        app::Socket conn = app::acceptOne(m_listener);
        SeededRng rng(9, "server");
        Trace trace;
        Server server(serverConfigFor(*app::findScenario("default"), app::demoPki(), now()), rng, trace);
        server.start();
        // One write for everything: the client reads the handshake's end and what follows it at once.
        const auto flush = [&] {
            Bytes all;
            for (const Bytes& r : server.takeOutgoing())
                all.insert(all.end(), r.begin(), r.end());
            conn.writeAll(all);
        };
        while (!server.handshakeComplete() && !server.failed()) {
            auto d = conn.readSome(5000);
            if (!d || d->empty())
                return;
            server.receive(*d);
            if (!server.handshakeComplete())
                flush(); // the server's last flight waits for what follows it
        }
        if (m_mode == Mode::SendThenCloseNotify)
            server.sendApplicationData(asBytes("goodbye before you speak\n"));
        if (m_mode == Mode::StreamThenCloseNotify)
            for (int i = 0; i < 300; ++i)
                server.sendApplicationData(Bytes(1000, 'z')); // no newline: connect reads until the close
        if (m_mode != Mode::TcpCloseAtOnce)
            server.close();
        // Finished, any data and the close go out together, before the client can send its line.
        flush();
        conn.shutdownWrite();
        // Read whatever the client still sends, then close, so the client sees an orderly end rather than a reset.
        while (auto d = conn.readSome(3000))
            if (d->empty())
                break;
    }

    Mode m_mode;
    app::Socket m_listener;
    quint16 m_port = 0;
    std::thread m_thread;
};

} // namespace

class TestServe : public QObject {
    Q_OBJECT
private slots:
    void aSecondClientIsServedWhileAFirstIdles()
    {
        QProcess server;
        QString err;
        const quint16 port = startServe(server, {"--forever", "--timeout", "3"}, err);
        QVERIFY2(port, qPrintable(err));
        // The first client connects and says nothing.
        app::Socket idle = app::connectTcp("127.0.0.1", port);
        QTest::qWait(300);
        const Result second = connectTo(port, {"--send", "second"});
        QCOMPARE(second.code, 0);
        QVERIFY2(second.err.contains("reply: second"), qPrintable(second.err));
        QVERIFY2(second.ms < 2500, qPrintable(QString("the second client waited %1 ms").arg(second.ms)));
        // The idle one is cut after its 3 s, with user_canceled and a line that says why.
        auto alert = idle.readSome(5000);
        QVERIFY(alert && alert->size() >= 7);
        QCOMPARE(int((*alert)[0]), 21);                    // an alert record
        QCOMPARE(int((*alert)[6]), int(AlertDescription::UserCanceled));
        err += stderrUntil(server, "connection 1: handshake failed", 5000);
        QVERIFY2(err.contains("connection 1: handshake failed: the server sent the fatal alert user_canceled: the peer "
                              "sent nothing for 3 s (--timeout)"),
                 qPrintable(err));
        QVERIFY2(err.contains("connection 2: the client closed the connection with close_notify"), qPrintable(err));
        stop(server);
    }

    void clientsBeyondMaxClientsWaitTheirTurn()
    {
        QProcess server;
        QString err;
        const quint16 port = startServe(server, {"--forever", "--timeout", "2", "--max-clients", "1"}, err);
        QVERIFY2(port, qPrintable(err));
        app::Socket idle = app::connectTcp("127.0.0.1", port);
        QTest::qWait(300);
        // The only slot is taken: the second client waits in the backlog until the first is cut, then is served.
        const Result second = connectTo(port, {"--send", "patient"});
        QCOMPARE(second.code, 0);
        QVERIFY2(second.err.contains("reply: patient"), qPrintable(second.err));
        QVERIFY2(second.ms > 1200, qPrintable(QString("served after %1 ms despite --max-clients 1").arg(second.ms)));
        stop(server);
    }

    void aLiveSessionOutlivesTheIdleTimeout()
    {
        QProcess server;
        QString err;
        const quint16 port = startServe(server, {"--forever", "--timeout", "2"}, err);
        QVERIFY2(port, qPrintable(err));
        LiveClient c(port);
        QVERIFY2(c.client->handshakeComplete(), c.client->failureReason().c_str());
        // A ping every second for five seconds: each read waits 2 s anew, so the session is never idle.
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(c.echo("ping " + std::to_string(i)), "ping " + std::to_string(i));
            QTest::qWait(1000);
        }
        QVERIFY(!c.client->failed() && !c.client->peerClosed());
        c.client->close();
        c.flush();
        err += stderrUntil(server, "connection 1: the client closed", 5000);
        QVERIFY2(err.contains("connection 1: the client closed the connection with close_notify"), qPrintable(err));
        QVERIFY2(!err.contains("sent nothing"), qPrintable(err));
        stop(server);
    }

    void anIdleSessionIsClosedWithCloseNotify()
    {
        QProcess server;
        QString err;
        const quint16 port = startServe(server, {"--timeout", "1"}, err);
        QVERIFY2(port, qPrintable(err));
        LiveClient c(port);
        QVERIFY(c.client->handshakeComplete());
        QVERIFY(server.waitForFinished(10000));
        err += server.readAllStandardError();
        // The handshake completed; idleness after it is not a failure.
        QCOMPARE(server.exitCode(), 0);
        QVERIFY2(err.contains("connection 1: the client sent nothing for 1 s (--timeout); closed it with close_notify"),
                 qPrintable(err));
        auto d = c.sock.readSome(2000);
        QVERIFY(d && !d->empty());
        c.client->receive(*d);
        QVERIFY(c.client->peerClosed());
    }

    void aTricklingHandshakeMeetsItsDeadline()
    {
        QProcess server;
        QString err;
        const quint16 port = startServe(server, {"--timeout", "5", "--handshake-timeout", "2"}, err);
        QVERIFY2(port, qPrintable(err));
        app::Socket s = app::connectTcp("127.0.0.1", port);
        // A record header announcing a ClientHello, then a byte every 400 ms: never idle, never done.
        s.writeAll(Bytes{0x16, 0x03, 0x01, 0x01, 0x00});
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 6000 && server.state() == QProcess::Running) {
            try {
                s.writeAll(Bytes{0x01});
            } catch (const std::runtime_error&) {
                break;
            }
            server.waitForFinished(400);
        }
        QVERIFY(server.state() == QProcess::NotRunning || server.waitForFinished(5000));
        QVERIFY2(t.elapsed() < 4000, qPrintable(QString("cut after %1 ms").arg(t.elapsed())));
        err += server.readAllStandardError();
        QCOMPARE(server.exitCode(), 1);
        QVERIFY2(err.contains("user_canceled: the handshake did not finish within 2 s (--handshake-timeout)"),
                 qPrintable(err));
    }

    void handshakeTimeoutZeroIsRefused()
    {
        const Result r = run(kBinary, {"serve", "--port", "0", "--handshake-timeout", "0"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--handshake-timeout"), qPrintable(r.err));
        const Result m = run(kBinary, {"serve", "--port", "0", "--max-clients", "0"});
        QCOMPARE(m.code, 2);
        QVERIFY2(m.err.contains("--max-clients"), qPrintable(m.err));
    }

    void httpAnswersCurlWithThePageOfItsHandshake()
    {
        if (QStandardPaths::findExecutable("curl").isEmpty())
            QSKIP("curl is not installed (scripts/setup.sh --tests installs it)");
        QProcess server;
        QString err;
        const quint16 port = startServe(server, {"--http", "--request-client", kPki + "root-ca.crt.pem"}, err);
        QVERIFY2(port, qPrintable(err));
        const Result curl = run("curl", {"-sS", "--cacert", kPki + "root-ca.crt.pem", "--cert",
                                         kPki + "client.chain.pem", "--key", kPki + "client.key.pem",
                                         QString("https://localhost:%1/hello").arg(port)});
        QVERIFY(server.waitForFinished(10000));
        const QString trace = server.readAllStandardOutput();
        err += server.readAllStandardError();
        QVERIFY2(curl.code == 0, qPrintable(curl.err));
        QCOMPARE(server.exitCode(), 0);
        QVERIFY2(curl.out.contains("<h1>The handshake you just made</h1>"), qPrintable(curl.out));
        QVERIFY2(curl.out.contains("<td>TLS 1.2</td>"), qPrintable(curl.out));
        QVERIFY2(curl.out.contains("GET /hello HTTP/1.1"), qPrintable(curl.out));
        QVERIFY2(curl.out.contains("<td>new: a full handshake</td>"), qPrintable(curl.out));
        // The suite on the page is the one the trace says was negotiated.
        const QRegularExpression suite("completed with (TLS_\\w+)");
        const auto m = suite.match(trace);
        QVERIFY2(m.hasMatch(), qPrintable(trace.right(400)));
        QVERIFY2(curl.out.contains("<td>" + m.captured(1) + "</td>"), qPrintable(curl.out));
        QVERIFY2(curl.out.contains("HandshakeLab Demo Student"), qPrintable(curl.out));
        QVERIFY2(trace.contains("close_notify"), qPrintable(trace.right(400)));
        QVERIFY2(err.contains("connection 1: answered the HTTP request and closed with close_notify"), qPrintable(err));
    }

    void httpRefusesOtherMethods()
    {
        if (QStandardPaths::findExecutable("curl").isEmpty())
            QSKIP("curl is not installed (scripts/setup.sh --tests installs it)");
        QProcess server;
        QString err;
        const quint16 port = startServe(server, {"--http"}, err);
        QVERIFY2(port, qPrintable(err));
        const Result curl = run("curl", {"-sS", "-i", "-X", "POST", "-d", "x=1", "--cacert", kPki + "root-ca.crt.pem",
                                         QString("https://localhost:%1/").arg(port)});
        QVERIFY(server.waitForFinished(10000));
        QVERIFY2(curl.out.startsWith("HTTP/1.1 405 Method Not Allowed"), qPrintable(curl.out));
        QVERIFY2(curl.out.contains("Allow: GET, HEAD"), qPrintable(curl.out));
    }

    void httpAnswersWhatIsNotAPlainGet()
    {
        app::HandshakeFacts f;
        f.version = "TLS 1.2";
        f.suite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        QVERIFY(app::httpResponse("hello there\n\n", f).starts_with("HTTP/1.1 400 Bad Request\r\n"));
        QVERIFY(app::httpResponse(std::string(app::kMaxHttpRequestHead, 'a'), f)
                    .starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        QVERIFY(!app::httpHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n"));
        QCOMPARE(*app::httpHeadEnd("GET / HTTP/1.1\r\n\r\nrest"), std::size_t(18));
        // HEAD: the headers a GET would get, without the page.
        const std::string head = app::httpResponse("HEAD / HTTP/1.1\r\n\r\n", f);
        QVERIFY(head.starts_with("HTTP/1.1 200 OK\r\n"));
        QVERIFY(head.ends_with("\r\n\r\n") && head.find("Content-Length: 0\r\n") == std::string::npos);
        // The request line is shown on the page, escaped: the page reflects nothing a browser would run.
        const std::string page = app::httpResponse("GET /<script>alert(1)</script> HTTP/1.1\r\n\r\n", f);
        QVERIFY(page.find("<script>") == std::string::npos);
        QVERIFY(page.find("GET /&lt;script&gt;alert(1)&lt;/script&gt; HTTP/1.1") != std::string::npos);
        QVERIFY(page.find("<td>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</td>") != std::string::npos);
    }

    void httpAnswersOurOwnConnect()
    {
        QProcess server;
        QString err;
        const quint16 port = startServe(server, {"--http"}, err);
        QVERIFY2(port, qPrintable(err));
        const Result r = connectTo(port, {"--send", "GET / HTTP/1.1\nHost: localhost\n"});
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("reply: HTTP/1.1 200 OK"), qPrintable(r.err));
        QVERIFY2(r.err.contains("<td>ECDHE_"), qPrintable(r.err));
        QVERIFY2(r.err.contains("closed: the server closed the connection with close_notify after sending"),
                 qPrintable(r.err));
        QVERIFY2(!r.err.contains("error"), qPrintable(r.err));
    }

    void connectKeepsItsTraceHoweverTheServerEnds_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("closedLine");
        QTest::addColumn<QString>("reply");
        QTest::newRow("close_notify right after the handshake")
            << int(ScriptedServer::Mode::CloseNotifyAtOnce)
            << "closed: the server closed the connection with close_notify right after the handshake" << "";
        QTest::newRow("data, then close_notify")
            << int(ScriptedServer::Mode::SendThenCloseNotify)
            << "closed: the server closed the connection with close_notify after sending 25 bytes"
            << "reply: goodbye before you speak";
        QTest::newRow("TCP close without close_notify")
            << int(ScriptedServer::Mode::TcpCloseAtOnce)
            << "closed: the server closed the TCP connection without close_notify right after the handshake" << "";
    }
    void connectKeepsItsTraceHoweverTheServerEnds()
    {
        QFETCH(int, mode);
        QFETCH(QString, closedLine);
        QFETCH(QString, reply);
        ScriptedServer server(static_cast<ScriptedServer::Mode>(mode));
        const Result r = connectTo(server.port(), {"--timeout", "5"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("Finished") && r.out.contains("Outcome: completed"), qPrintable(r.out.right(600)));
        QVERIFY2(r.err.contains(closedLine), qPrintable(r.err));
        if (!reply.isEmpty())
            QVERIFY2(r.err.contains(reply), qPrintable(r.err));
        QVERIFY2(!r.err.contains("error") && !r.err.contains("Broken pipe"), qPrintable(r.err));
    }

    void connectBoundsTheTraceOfALongStream()
    {
        ScriptedServer server(ScriptedServer::Mode::StreamThenCloseNotify);
        const Result r = connectTo(server.port(), {"--timeout", "5"});
        QCOMPARE(r.code, 0);
        // 300 data records: the handshake stays, the latest records stay, the rest are counted where they were.
        const QRegularExpression droppedLine("\\.\\.\\. (\\d+) records not kept \\((\\d+) events\\)");
        const auto m = droppedLine.match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out.right(600)));
        const int dropped = m.captured(1).toInt();
        // Records printed and records dropped add up to what crossed the wire, numbered as it went: the last is #N.
        int printed = 0, last = 0;
        auto lines = QRegularExpression("^(?:>>> client|<<< server)  #(\\d+) ", QRegularExpression::MultilineOption)
                         .globalMatch(r.out);
        while (lines.hasNext()) {
            ++printed;
            last = lines.next().captured(1).toInt();
        }
        QCOMPARE(printed + dropped, last);
        QVERIFY2(last > 300 && dropped > 200, qPrintable(m.captured(0)));
        // What data came with the server's Finished belongs to the handshake's part; after it, at most 64 records.
        QVERIFY2(printed < 64 + 40, qPrintable(QString::number(printed)));
        QVERIFY2(r.out.contains("ClientHello") && r.out.contains("Outcome: completed"), qPrintable(r.out.left(300)));
        QVERIFY2(r.err.contains("after sending 300000 bytes"), qPrintable(r.err));
        // The reply shown is capped; the count is not.
        QVERIFY2(r.err.contains("reply: zzz") && r.err.contains("... (300000 bytes in all)"), qPrintable(r.err.right(300)));
    }

    void aBoundedTraceKeepsItsHeadAndLatestRecords()
    {
        Trace t;
        const auto record = [](Side from, std::uint8_t type) {
            RecordEvent r;
            r.from = from;
            r.contentType = type;
            r.wire = Bytes{type, 3, 3, 0, 1, 0};
            return r;
        };
        t.add(record(Side::Client, 22));
        t.add(StateEvent{Side::Client, "Connected", {}});
        t.keepOnlyLatestRecords(4);
        for (int i = 0; i < 100; ++i) {
            t.add(record(Side::Server, 23));
            t.add(ApplicationDataEvent{Side::Client, Bytes{'x'}});
        }
        // The head stays; the tail holds between 4 and 8 records, each with the data it carried.
        QCOMPARE(t.droppedAt(), std::size_t(2));
        QVERIFY(std::holds_alternative<RecordEvent>(t.events()[0]));
        QVERIFY(std::holds_alternative<StateEvent>(t.events()[1]));
        const std::size_t kept = (t.size() - 2) / 2;
        QVERIFY2(kept >= 4 && kept <= 8, qPrintable(QString::number(kept)));
        QCOMPARE(t.droppedRecords() + kept, std::size_t(100));
        QCOMPARE(t.droppedEvents(), 2 * t.droppedRecords());
        QVERIFY(std::holds_alternative<RecordEvent>(t.events()[2]));
        // The text says what is missing, and numbers the records as the wire did: the last one is #101.
        const std::string text = traceToText(t);
        QVERIFY(text.find("... " + std::to_string(t.droppedRecords()) + " records not kept") != std::string::npos);
        QVERIFY(text.find("#101 ") != std::string::npos);
        QVERIFY(text.find("#102 ") == std::string::npos);
        const std::string json = traceToJson(t);
        QVERIFY(json.find("\"dropped\":{\"records\":" + std::to_string(t.droppedRecords())) != std::string::npos);
        // Unbounded, nothing is dropped and nothing is said.
        Trace all;
        for (int i = 0; i < 100; ++i)
            all.add(record(Side::Server, 23));
        QCOMPARE(all.size(), std::size_t(100));
        QVERIFY(traceToText(all).find("not kept") == std::string::npos);
        QVERIFY(traceToJson(all).find("\"dropped\"") == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "test_serve.moc"
