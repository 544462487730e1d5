// Interoperability with OpenSSL (Debian's `openssl` command) over loopback, both directions: our client
// against `openssl s_server`, and `openssl s_client -verify_return_error` against `handshakelab serve`, with
// application data checked both ways, at TLS 1.2 and (with `-tls1`/`-tls1_1` and SECLEVEL=0) at TLS 1.0 and 1.1.
// If OpenSSL disagrees with the engine, the engine is wrong.
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "interop_support.h"

namespace {

using hltest::freePort;
using hltest::kBinary;
using hltest::kPki;
using hltest::startServe;

using hltest::readUntil;

// s_server prints ACCEPT once it listens.
bool waitForAccept(QProcess& server)
{
    return hltest::waitForOutput(server, "ACCEPT");
}

struct SuiteRow {
    const char* iana;
    const char* openssl;
    bool ecdsa;
};
const SuiteRow kSuites[] = {
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", false},
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", false},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", true},
    {"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256", false},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", false},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", false},
    {"TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256", false},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", false},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", false},
};

void addSuiteRows()
{
    QTest::addColumn<QString>("iana");
    QTest::addColumn<QString>("openssl");
    QTest::addColumn<bool>("ecdsa");
    for (const SuiteRow& r : kSuites)
        QTest::newRow(r.iana) << QString(r.iana) << QString(r.openssl) << r.ecdsa;
}


// `openssl s_client` against 127.0.0.1:port with `args`: sends `line` and returns all it printed once the line
// came back (or 20 s passed).
QString opensslClientEcho(quint16 port, const QStringList& args, const QString& line)
{
    QProcess client;
    client.setProcessChannelMode(QProcess::MergedChannels);
    client.start("openssl", QStringList{"s_client", "-connect", QString("127.0.0.1:%1").arg(port)} + args);
    if (!client.waitForStarted())
        return "openssl s_client did not start";
    client.write((line + "\n").toUtf8());
    // Closing s_client's stdin before the echo arrives would end the connection too early.
    QString out = readUntil(client, "\n" + line, 20000);
    client.closeWriteChannel(); // s_client closes the connection with close_notify
    client.waitForFinished(10000);
    out += client.readAll();
    return out;
}

// `openssl s_server` on 127.0.0.1:port answering each line reversed (-rev), once; false if it never listened.
bool startOpensslServer(QProcess& server, quint16 port, const QStringList& args)
{
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start("openssl", QStringList{"s_server", "-accept", QString("127.0.0.1:%1").arg(port), "-rev", "-naccept",
                                        "1"} + args);
    return server.waitForStarted() && waitForAccept(server);
}

QStringList serverCertArgs(bool ecdsa)
{
    const QString leaf = ecdsa ? "server-ecdsa" : "server-rsa";
    return {"-cert", kPki + leaf + ".crt.pem", "-key", kPki + leaf + ".key.pem", "-cert_chain",
            kPki + "intermediate-ca.crt.pem"};
}

// TLS 1.0 and 1.1 with the CBC suites they had, OpenSSL allowing them only at security level 0.
struct LegacyRow {
    const char* version; // our option value
    const char* opensslFlag;
    const char* opensslName; // as s_client's "Protocol  :" and s_server's "Protocol version:" print it
    const char* ourName;     // as our trace prints it
};
const LegacyRow kLegacyVersions[] = {
    {"tls1.0", "-tls1", "TLSv1", "TLS 1.0 (3,1 on the wire)"},
    {"tls1.1", "-tls1_1", "TLSv1.1", "TLS 1.1 (3,2 on the wire)"},
};
const SuiteRow kLegacySuites[] = {
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", false},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", false},
    {"TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", false},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", true},
};

void addLegacyRows()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("opensslFlag");
    QTest::addColumn<QString>("opensslName");
    QTest::addColumn<QString>("ourName");
    QTest::addColumn<QString>("iana");
    QTest::addColumn<QString>("openssl");
    QTest::addColumn<bool>("ecdsa");
    for (const LegacyRow& v : kLegacyVersions)
        for (const SuiteRow& r : kLegacySuites)
            QTest::newRow(qPrintable(QString("%1 %2").arg(v.version, r.iana)))
                << QString(v.version) << QString(v.opensslFlag) << QString(v.opensslName) << QString(v.ourName)
                << QString(r.iana) << QString(r.openssl) << r.ecdsa;
}

} // namespace

class TestInterop : public QObject {
    Q_OBJECT
private slots:
    // `connect --session-out` saves the session openssl s_server named, `--session-in` offers it again: the server
    // resumes it (a hit in s_server's session cache) and so does our client; a damaged file is refused. --no-ticket
    // keeps both connections on the session ID, as s_client -no_ticket does.
    void connectResumesAgainstOpensslServer()
    {
        const quint16 port = freePort();
        QProcess server;
        QVERIFY2(startOpensslServer(server, port, QStringList{"-tls1_2", "-naccept", "2"} + serverCertArgs(false)),
                 "openssl s_server did not start listening");
        QTemporaryDir dir;
        const QString session = dir.filePath("session.txt");
        const QStringList common{"connect", QString("127.0.0.1:%1").arg(port), "--ca", kPki + "root-ca.crt.pem",
                                 "--servername", "localhost", "--send", "resume me", "--no-ticket"};
        QProcess first;
        first.start(kBinary, common + QStringList{"--session-out", session});
        QVERIFY(first.waitForFinished(30000));
        const QString firstErr = first.readAllStandardError();
        QVERIFY2(first.exitCode() == 0 && firstErr.contains("session: new"), qPrintable(firstErr));
        QVERIFY2(QFile::exists(session), qPrintable(firstErr));
        QProcess second;
        second.start(kBinary, common + QStringList{"--session-in", session});
        QVERIFY(second.waitForFinished(30000));
        const QString secondErr = second.readAllStandardError();
        const QString secondOut = second.readAllStandardOutput();
        QVERIFY2(second.exitCode() == 0, qPrintable(secondErr + secondOut.right(2000)));
        QVERIFY2(secondErr.contains("session: reused"), qPrintable(secondErr));
        QVERIFY2(secondErr.contains("reply: em emuser"), qPrintable(secondErr));
        server.waitForFinished(5000);
        if (server.state() != QProcess::NotRunning)
            server.kill();
        // s_server -rev prints its cache statistics when it stops: the second connection was a hit.
        const QByteArray stats = server.readAll();
        QVERIFY2(stats.contains(" 1 session cache hits") && stats.contains(" 0 session cache misses"), stats.constData());

        QFile damaged(dir.filePath("damaged.txt"));
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("HandshakeLab TLS session\nsession_id: zz\n");
        damaged.close();
        QProcess refused;
        refused.start(kBinary, common + QStringList{"--session-in", damaged.fileName()});
        QVERIFY(refused.waitForFinished(30000));
        QVERIFY(refused.exitCode() != 0);
        QVERIFY2(refused.readAllStandardError().contains("--session-in"), "no message naming --session-in");
    }

    // openssl s_server issues tickets by default: `connect` asks for one, saves it in the session file and presents it
    // on the next connection, which s_server resumes from the ticket alone.
    void connectResumesByTicketAgainstOpensslServer()
    {
        const quint16 port = freePort();
        QProcess server;
        QVERIFY2(startOpensslServer(server, port, QStringList{"-tls1_2", "-naccept", "2"} + serverCertArgs(false)),
                 "openssl s_server did not start listening");
        QTemporaryDir dir;
        const QString session = dir.filePath("session.txt");
        const QStringList common{"connect", QString("127.0.0.1:%1").arg(port), "--ca", kPki + "root-ca.crt.pem",
                                 "--servername", "localhost", "--send", "ticket please"};
        QProcess first;
        first.start(kBinary, common + QStringList{"--session-out", session});
        QVERIFY(first.waitForFinished(30000));
        const QString firstErr = first.readAllStandardError();
        const QString firstOut = first.readAllStandardOutput();
        QVERIFY2(first.exitCode() == 0 && firstErr.contains("session: new"), qPrintable(firstErr));
        QVERIFY2(firstOut.contains("NewSessionTicket"), qPrintable(firstOut.right(3000)));
        QFile saved(session);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray file = saved.readAll();
        QVERIFY2(file.contains("\nticket: ") && file.contains("\nticket_lifetime_hint: "), file.constData());

        QProcess second;
        second.start(kBinary, common + QStringList{"--session-in", session});
        QVERIFY(second.waitForFinished(30000));
        const QString secondErr = second.readAllStandardError();
        const QString secondOut = second.readAllStandardOutput();
        QVERIFY2(second.exitCode() == 0, qPrintable(secondErr + secondOut.right(2000)));
        QVERIFY2(secondErr.contains("session: reused"), qPrintable(secondErr));
        QVERIFY2(secondErr.contains("reply: esaelp tekcit"), qPrintable(secondErr));
        // The abbreviated handshake came from the ticket: our client presented it and keys came from it.
        QVERIFY2(secondOut.contains("presents the") && secondOut.contains("session ticket"),
                 qPrintable(secondOut.right(3000)));
        QVERIFY2(!secondOut.contains("ServerKeyExchange"), qPrintable(secondOut.right(3000)));
        server.waitForFinished(5000);
        if (server.state() != QProcess::NotRunning)
            server.kill();
    }

    // `serve --forever` keeps its sessions: OpenSSL saves the session of a first connection (-sess_out) and resumes
    // it on a second (-sess_in), which it reports as "Reused"; a third connection without the session is "New". By
    // default s_client asks for a ticket and serve issues one; either side's -no_ticket leaves the session ID.
    void opensslResumesItsSessionAgainstServe_data()
    {
        QTest::addColumn<QStringList>("serveArgs");
        QTest::addColumn<QStringList>("clientArgs");
        QTest::addColumn<bool>("ticket");
        QTest::newRow("by ticket") << QStringList{} << QStringList{} << true;
        QTest::newRow("by session ID: s_client -no_ticket") << QStringList{} << QStringList{"-no_ticket"} << false;
        QTest::newRow("by session ID: serve --no-ticket") << QStringList{"--no-ticket"} << QStringList{} << false;
    }
    void opensslResumesItsSessionAgainstServe()
    {
        QFETCH(QStringList, serveArgs);
        QFETCH(QStringList, clientArgs);
        QFETCH(bool, ticket);
        QProcess server;
        QString serverErr;
        const quint16 port = startServe(server, QStringList{"--forever"} + serveArgs, serverErr);
        QVERIFY2(port, qPrintable(serverErr));
        QTemporaryDir dir;
        const QString session = dir.filePath("session.pem");
        const QStringList common = QStringList{"-CAfile", kPki + "root-ca.crt.pem", "-verify_return_error",
                                               "-servername", "localhost", "-tls1_2"} + clientArgs;
        const QString first = opensslClientEcho(port, common + QStringList{"-sess_out", session}, "first");
        QVERIFY2(first.contains("New, TLSv1.2"), qPrintable(first.right(3000)));
        QVERIFY2(QFile::exists(session), qPrintable(first.right(3000)));
        // s_client prints the ticket it was given in its session summary.
        QCOMPARE(first.contains("TLS session ticket lifetime hint: 7200"), ticket);
        const QString second = opensslClientEcho(port, common + QStringList{"-sess_in", session}, "second");
        QVERIFY2(second.contains("Reused, TLSv1.2"), qPrintable(second.right(3000)));
        QCOMPARE(second.contains("TLS session ticket:"), ticket);
        QVERIFY2(second.contains("\nsecond"), qPrintable(second.right(3000)));
        const QString third = opensslClientEcho(port, common, "third");
        QVERIFY2(third.contains("New, TLSv1.2"), qPrintable(third.right(3000)));
        server.kill();
        server.waitForFinished(5000);
    }

    void initTestCase()
    {
        if (QStandardPaths::findExecutable("openssl").isEmpty())
            QFAIL("openssl is not installed (scripts/setup.sh installs it)");
    }

    void ourClientAgainstOpensslServer_data() { addSuiteRows(); }
    void ourClientAgainstOpensslServer()
    {
        QFETCH(QString, iana);
        QFETCH(bool, ecdsa);
        const quint16 port = freePort();
        QProcess server;
        QVERIFY2(startOpensslServer(server, port, QStringList{"-tls1_2"} + serverCertArgs(ecdsa)),
                 "openssl s_server did not start listening");

        QProcess client;
        client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--ca", kPki + "root-ca.crt.pem",
                               "--servername", "localhost", "--suite", iana, "--send", "interop ping"});
        QVERIFY(client.waitForFinished(30000));
        const QString out = client.readAllStandardOutput();
        const QString err = client.readAllStandardError();
        QVERIFY2(client.exitCode() == 0, qPrintable(err + "\n" + out.right(2000)));
        QVERIFY2(err.contains("reply: gnip poretni"), qPrintable(err));
        QVERIFY(out.contains("Outcome: completed with " + iana));
        server.waitForFinished(5000);
        if (server.state() != QProcess::NotRunning)
            server.kill();
    }

    void opensslClientAgainstOurServer_data() { addSuiteRows(); }
    void opensslClientAgainstOurServer()
    {
        QFETCH(QString, iana);
        QFETCH(QString, openssl);
        QProcess server;
        QString serverErr;
        const quint16 port = startServe(server, {"--suite", iana}, serverErr);
        QVERIFY2(port, qPrintable(serverErr));
        const QString cout = opensslClientEcho(port,
                                               {"-CAfile", kPki + "root-ca.crt.pem", "-verify_return_error",
                                                "-servername", "localhost", "-verify_hostname", "localhost", "-tls1_2",
                                                "-cipher", openssl},
                                               "echo through the engine");
        QVERIFY2(cout.contains("Verify return code: 0 (ok)"), qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("Cipher is " + openssl) || cout.contains("Cipher    : " + openssl),
                 qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("\necho through the engine"), qPrintable(cout.right(3000)));

        QVERIFY(server.waitForFinished(10000));
        const QString trace = server.readAllStandardOutput();
        QVERIFY2(server.exitCode() == 0, qPrintable(serverErr + server.readAllStandardError() + trace.right(2000)));
        QVERIFY(trace.contains("reads 24 bytes: \"echo through the engine\\n\""));
        QVERIFY(trace.contains("Outcome: completed with " + iana));
    }

    void clientAuthenticationBothWays()
    {
        // openssl s_server demanding a client certificate, our client presenting the demo one.
        const quint16 port = freePort();
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start("openssl", {"s_server", "-accept", QString("127.0.0.1:%1").arg(port), "-tls1_2", "-cert",
                                 kPki + "server-rsa.crt.pem", "-key", kPki + "server-rsa.key.pem", "-cert_chain",
                                 kPki + "intermediate-ca.crt.pem", "-Verify", "2", "-CAfile", kPki + "root-ca.crt.pem",
                                 "-verify_return_error", "-rev", "-naccept", "1"});
        QVERIFY(server.waitForStarted());
        QVERIFY2(waitForAccept(server), "openssl s_server did not start listening");
        QProcess client;
        client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--servername", "localhost", "--cert",
                               kPki + "client.chain.pem", "--key", kPki + "client.key.pem", "--send", "abc"});
        QVERIFY(client.waitForFinished(30000));
        const QString err = client.readAllStandardError();
        QVERIFY2(client.exitCode() == 0, qPrintable(err));
        QVERIFY(err.contains("reply: cba"));
        QVERIFY(QString(client.readAllStandardOutput()).contains("CertificateVerify"));
        server.waitForFinished(5000);
        if (server.state() != QProcess::NotRunning)
            server.kill();
    }

    // Our client offers TLS 1.0 to 1.2; OpenSSL allows only one old version, and both must settle on it.
    void legacyOurClientAgainstOpensslServer_data() { addLegacyRows(); }
    void legacyOurClientAgainstOpensslServer()
    {
        QFETCH(QString, opensslFlag);
        QFETCH(QString, opensslName);
        QFETCH(QString, ourName);
        QFETCH(QString, iana);
        QFETCH(QString, openssl);
        QFETCH(bool, ecdsa);
        const quint16 port = freePort();
        QProcess server;
        QVERIFY2(startOpensslServer(server, port,
                                    QStringList{opensslFlag, "-cipher", "ALL@SECLEVEL=0"} + serverCertArgs(ecdsa)),
                 "openssl s_server did not start listening");
        QProcess client;
        client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--ca", kPki + "root-ca.crt.pem",
                               "--servername", "localhost", "--min-version", "tls1.0", "--suite", iana, "--send",
                               "interop ping"});
        QVERIFY(client.waitForFinished(30000));
        const QString out = client.readAllStandardOutput();
        const QString err = client.readAllStandardError();
        QVERIFY2(client.exitCode() == 0, qPrintable(err + "\n" + out.right(2000)));
        QVERIFY2(err.contains("reply: gnip poretni"), qPrintable(err));
        QVERIFY(out.contains("Outcome: completed with " + iana));
        QVERIFY2(out.contains("negotiated " + ourName + " and " + iana), qPrintable(out.left(4000)));
        server.waitForFinished(5000);
        if (server.state() != QProcess::NotRunning)
            server.kill();
        const QString sout = server.readAll();
        QVERIFY2(sout.contains("Protocol version: " + opensslName + "\n"), qPrintable(sout));
        QVERIFY2(sout.contains("Ciphersuite: " + openssl), qPrintable(sout));
    }

    // OpenSSL offers one old version; our server accepts TLS 1.0 to 1.2 (and so marks its random with the
    // downgrade sentinel, which a client that does not offer TLS 1.2 must ignore).
    void legacyOpensslClientAgainstOurServer_data() { addLegacyRows(); }
    void legacyOpensslClientAgainstOurServer()
    {
        QFETCH(QString, opensslFlag);
        QFETCH(QString, opensslName);
        QFETCH(QString, ourName);
        QFETCH(QString, iana);
        QFETCH(QString, openssl);
        QProcess server;
        QString serverErr;
        const quint16 port = startServe(server, {"--min-version", "tls1.0", "--suite", iana}, serverErr);
        QVERIFY2(port, qPrintable(serverErr));
        const QString cout = opensslClientEcho(
            port,
            {"-CAfile", kPki + "root-ca.crt.pem", "-verify_return_error", "-servername", "localhost",
             "-verify_hostname", "localhost", opensslFlag, "-cipher", openssl + "@SECLEVEL=0"},
            "echo through the engine");
        QVERIFY2(cout.contains("Verify return code: 0 (ok)"), qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("Protocol  : " + opensslName + "\n"), qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("Cipher    : " + openssl), qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("\necho through the engine"), qPrintable(cout.right(3000)));
        QVERIFY(server.waitForFinished(10000));
        const QString trace = server.readAllStandardOutput();
        QVERIFY2(server.exitCode() == 0, qPrintable(serverErr + server.readAllStandardError() + trace.right(2000)));
        QVERIFY(trace.contains("reads 24 bytes: \"echo through the engine\\n\""));
        QVERIFY(trace.contains("Outcome: completed with " + iana));
        QVERIFY2(trace.contains(ourName), qPrintable(trace.left(4000)));
        QVERIFY(trace.contains("downgrade sentinel"));
    }

    // TLS 1.0's CertificateVerify signs MD5 || SHA-1 of the handshake with no algorithm field (RFC 2246 §7.4.8).
    void clientAuthenticationAtTls10BothWays()
    {
        {
            const quint16 port = freePort();
            QProcess server;
            QVERIFY2(startOpensslServer(server, port,
                                        QStringList{"-tls1", "-cipher", "ALL@SECLEVEL=0", "-Verify", "2", "-CAfile",
                                                    kPki + "root-ca.crt.pem", "-verify_return_error"} +
                                            serverCertArgs(false)),
                     "openssl s_server did not start listening");
            QProcess client;
            client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--servername", "localhost",
                                   "--min-version", "tls1.0", "--max-version", "tls1.0", "--suite",
                                   "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "--cert", kPki + "client.chain.pem", "--key",
                                   kPki + "client.key.pem", "--send", "abc"});
            QVERIFY(client.waitForFinished(30000));
            const QString err = client.readAllStandardError();
            const QString out = client.readAllStandardOutput();
            QVERIFY2(client.exitCode() == 0, qPrintable(err + out.right(2000)));
            QVERIFY(err.contains("reply: cba"));
            QVERIFY(out.contains("CertificateVerify"));
            QVERIFY(out.contains("negotiated TLS 1.0 (3,1 on the wire)"));
            server.waitForFinished(5000);
            if (server.state() != QProcess::NotRunning)
                server.kill();
            const QString sout = server.readAll();
            QVERIFY2(sout.contains("Protocol version: TLSv1\n"), qPrintable(sout));
            // OpenSSL checked our legacy signature: MD5 || SHA-1 under RSA, no algorithm field.
            QVERIFY2(sout.contains("Peer certificate: O = HandshakeLab Demo, CN = HandshakeLab Demo Student"),
                     qPrintable(sout));
            QVERIFY2(sout.contains("Hash used: MD5-SHA1\n") && sout.contains("Verification: OK"), qPrintable(sout));
        }
        {
            QProcess server;
            QString serverErr;
            const quint16 port =
                startServe(server, {"--min-version", "tls1.0", "--max-version", "tls1.0", "--verify-client",
                                    kPki + "root-ca.crt.pem"},
                           serverErr);
            QVERIFY2(port, qPrintable(serverErr));
            const QString cout = opensslClientEcho(
                port,
                {"-CAfile", kPki + "root-ca.crt.pem", "-verify_return_error", "-servername", "localhost", "-tls1",
                 "-cipher", "ALL@SECLEVEL=0", "-cert", kPki + "client.crt.pem", "-key", kPki + "client.key.pem",
                 "-cert_chain", kPki + "intermediate-ca.crt.pem"},
                "signed in");
            QVERIFY2(cout.contains("Protocol  : TLSv1\n"), qPrintable(cout.right(3000)));
            QVERIFY2(cout.contains("\nsigned in"), qPrintable(cout.right(3000)));
            QVERIFY(server.waitForFinished(10000));
            const QString trace = server.readAllStandardOutput();
            QVERIFY2(server.exitCode() == 0, qPrintable(serverErr + server.readAllStandardError() + trace.right(2000)));
            QVERIFY(trace.contains("ok   CertificateVerify: the client's signature over the handshake verifies"));
            QVERIFY(trace.contains("Outcome: completed with "));
        }
    }

    // With no --suite, serve prefers forward secrecy and AEAD: OpenSSL's default offer gets an ECDHE AEAD suite.
    void defaultServePicksEcdheAeadForOpensslDefaults()
    {
        QProcess server;
        QString serverErr;
        const quint16 port = startServe(server, {}, serverErr);
        QVERIFY2(port, qPrintable(serverErr));
        const QString cout = opensslClientEcho(port,
                                               {"-CAfile", kPki + "root-ca.crt.pem", "-verify_return_error",
                                                "-servername", "localhost", "-verify_hostname", "localhost"},
                                               "defaults");
        QVERIFY2(cout.contains("Protocol  : TLSv1.2\n"), qPrintable(cout.right(3000)));
        const QRegularExpression aead("Cipher    : ECDHE-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)\n");
        QVERIFY2(aead.match(cout).hasMatch(), qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("\ndefaults"), qPrintable(cout.right(3000)));
        QVERIFY(server.waitForFinished(10000));
        QVERIFY(server.readAllStandardOutput().contains("Outcome: completed with TLS_ECDHE_"));
    }

    // A TLS 1.2-only serve refuses a TLS 1.0-only client with protocol_version (RFC 5246 App. E.1), and both say so.
    void tls12ServeRefusesTls10Client()
    {
        QProcess server;
        QString serverErr;
        const quint16 port = startServe(server, {"--max-version", "tls1.2"}, serverErr);
        QVERIFY2(port, qPrintable(serverErr));
        const QString cout = opensslClientEcho(port, {"-tls1", "-cipher", "ALL@SECLEVEL=0"}, "never echoed");
        QVERIFY2(cout.contains("alert protocol version") && cout.contains("SSL alert number 70"),
                 qPrintable(cout.right(3000)));
        QVERIFY(!cout.contains("\nnever echoed"));
        QVERIFY(server.waitForFinished(10000));
        const QString trace = server.readAllStandardOutput();
        const QString err = serverErr + server.readAllStandardError();
        QCOMPARE(server.exitCode(), 1);
        QVERIFY2(err.contains("the server sent the fatal alert protocol_version"), qPrintable(err));
        QVERIFY2(trace.contains("the client offers up to TLS 1.0 (3,1 on the wire), this server accepts TLS 1.2 only"),
                 qPrintable(trace.right(2000)));
    }

    // RFC 7507 with OpenSSL both ways: a retry at TLS 1.1 marked TLS_FALLBACK_SCSV is refused with
    // inappropriate_fallback (86) by a server able to do TLS 1.2, and accepted by one whose best is TLS 1.1.
    void fallbackScsvWithOpenssl_data()
    {
        QTest::addColumn<bool>("serverCanDoBetter");
        QTest::newRow("server could do better: refused") << true;
        QTest::newRow("server's best is the retry's: completes") << false;
    }
    void fallbackScsvWithOpenssl()
    {
        QFETCH(bool, serverCanDoBetter);
        {
            const quint16 port = freePort();
            QProcess server;
            QStringList args{"-cipher", "ALL@SECLEVEL=0"};
            if (!serverCanDoBetter)
                args += {"-max_protocol", "TLSv1.1"};
            QVERIFY2(startOpensslServer(server, port, args + serverCertArgs(false)),
                     "openssl s_server did not start listening");
            QProcess client;
            client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--servername", "localhost",
                                   "--min-version", "tls1.0", "--max-version", "tls1.1", "--fallback-scsv", "--suite",
                                   "TLS_RSA_WITH_AES_128_CBC_SHA", "--send", "retry"});
            QVERIFY(client.waitForFinished(30000));
            const QString err = client.readAllStandardError();
            server.waitForFinished(5000);
            if (server.state() != QProcess::NotRunning)
                server.kill();
            const QString sout = server.readAll();
            if (serverCanDoBetter) {
                QCOMPARE(client.exitCode(), 1);
                QVERIFY2(err.contains("the server sent the fatal alert inappropriate_fallback"), qPrintable(err));
                QVERIFY2(sout.contains("inappropriate fallback"), qPrintable(sout));
            } else {
                QVERIFY2(client.exitCode() == 0, qPrintable(err + sout));
                QVERIFY2(err.contains("reply: yrter"), qPrintable(err));
                QVERIFY2(sout.contains("Protocol version: TLSv1.1\n"), qPrintable(sout));
            }
        }
        {
            QProcess server;
            QString serverErr;
            QStringList args{"--min-version", "tls1.0"};
            if (!serverCanDoBetter)
                args += {"--max-version", "tls1.1"};
            const quint16 port = startServe(server, args, serverErr);
            QVERIFY2(port, qPrintable(serverErr));
            const QString cout = opensslClientEcho(
                port, {"-CAfile", kPki + "root-ca.crt.pem", "-servername", "localhost", "-tls1_1", "-fallback_scsv",
                       "-cipher", "ALL@SECLEVEL=0"},
                "second try");
            QVERIFY(server.waitForFinished(10000));
            const QString err = serverErr + server.readAllStandardError();
            if (serverCanDoBetter) {
                QVERIFY2(cout.contains("alert inappropriate fallback") && cout.contains("SSL alert number 86"),
                         qPrintable(cout.right(3000)));
                QCOMPARE(server.exitCode(), 1);
                QVERIFY2(err.contains("the server sent the fatal alert inappropriate_fallback"), qPrintable(err));
            } else {
                QVERIFY2(cout.contains("Protocol  : TLSv1.1\n") && cout.contains("\nsecond try"),
                         qPrintable(cout.right(3000)));
                QVERIFY2(server.exitCode() == 0, qPrintable(err));
            }
        }
    }

    // TLS 1.0's 1/n-1 split (--cbc-split): OpenSSL reassembles the data whichever side splits it. (OpenSSL's own
    // defence, an empty record before each one, must not trouble our client either.)
    void cbcSplitAtTls10WithOpenssl()
    {
        {
            const quint16 port = freePort();
            QProcess server;
            QVERIFY2(startOpensslServer(server, port,
                                        QStringList{"-tls1", "-cipher", "ALL@SECLEVEL=0"} + serverCertArgs(false)),
                     "openssl s_server did not start listening");
            QProcess client;
            client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--servername", "localhost",
                                   "--min-version", "tls1.0", "--cbc-split", "--suite", "TLS_RSA_WITH_AES_128_CBC_SHA",
                                   "--send", "split ping"});
            QVERIFY(client.waitForFinished(30000));
            const QString out = client.readAllStandardOutput();
            const QString err = client.readAllStandardError();
            QVERIFY2(client.exitCode() == 0, qPrintable(err + out.right(2000)));
            QVERIFY2(err.contains("reply: gnip tilps"), qPrintable(err));
            QVERIFY(out.contains("1/n-1 split: the first byte alone"));
            server.waitForFinished(5000);
            if (server.state() != QProcess::NotRunning)
                server.kill();
        }
        {
            QProcess server;
            QString serverErr;
            const quint16 port =
                startServe(server, {"--min-version", "tls1.0", "--max-version", "tls1.0", "--cbc-split"}, serverErr);
            QVERIFY2(port, qPrintable(serverErr));
            const QString cout = opensslClientEcho(
                port, {"-CAfile", kPki + "root-ca.crt.pem", "-verify_return_error", "-servername", "localhost", "-tls1",
                       "-cipher", "AES128-SHA@SECLEVEL=0"},
                "echo split by the engine");
            QVERIFY2(cout.contains("Protocol  : TLSv1\n"), qPrintable(cout.right(3000)));
            QVERIFY2(cout.contains("\necho split by the engine"), qPrintable(cout.right(3000)));
            QVERIFY(server.waitForFinished(10000));
            const QString trace = server.readAllStandardOutput();
            QVERIFY2(server.exitCode() == 0, qPrintable(serverErr + server.readAllStandardError()));
            QVERIFY(trace.contains("1/n-1 split: the first byte alone"));
        }
    }

    // RFC 8446 §4.1.3 with a real stack on the other end: a relay on the path rewrites the ClientHello's version from
    // 3,3 to 3,1. OpenSSL's server (able to do TLS 1.3) marks its TLS 1.0 answer with the sentinel and our client
    // refuses it at ServerHello; our server marks its answer and OpenSSL's client refuses it. Untouched, both
    // complete at TLS 1.2 through the same relay.
    void downgradeSentinelThroughARewritingRelay_data()
    {
        QTest::addColumn<bool>("rewrite");
        QTest::newRow("ClientHello rewritten to 3,1: refused") << true;
        QTest::newRow("relay passes everything: TLS 1.2") << false;
    }
    void downgradeSentinelThroughARewritingRelay()
    {
        QFETCH(bool, rewrite);
        const std::uint16_t to = rewrite ? 0x0301 : 0;
        {
            const quint16 port = freePort();
            QProcess server;
            QVERIFY2(startOpensslServer(server, port, QStringList{"-cipher", "ALL@SECLEVEL=0"} + serverCertArgs(false)),
                     "openssl s_server did not start listening");
            hltest::VersionRewritingRelay relay(port, to);
            QProcess client;
            client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(relay.port()), "--ca",
                                   kPki + "root-ca.crt.pem", "--servername", "localhost", "--min-version", "tls1.0",
                                   "--suite", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "--send", "through the relay"});
            QVERIFY(client.waitForFinished(30000));
            const QString out = client.readAllStandardOutput();
            const QString err = client.readAllStandardError();
            server.waitForFinished(5000);
            if (server.state() != QProcess::NotRunning)
                server.kill();
            QCOMPARE(relay.seenVersion(), std::uint16_t{0x0303});
            QCOMPARE(relay.rewrote(), rewrite);
            if (rewrite) {
                QCOMPARE(client.exitCode(), 1);
                QVERIFY2(err.contains("the client sent the fatal alert illegal_parameter") &&
                             err.contains("downgrade sentinel"),
                         qPrintable(err));
                QVERIFY(out.contains("server_version: TLS 1.0 (3,1 = 0x0301)"));
                QVERIFY(!out.contains("ClientKeyExchange"));
            } else {
                QVERIFY2(client.exitCode() == 0, qPrintable(err));
                QVERIFY2(err.contains("reply: yaler eht hguorht"), qPrintable(err));
                QVERIFY(out.contains("negotiated TLS 1.2 (3,3 on the wire)"));
            }
        }
        {
            QProcess server;
            QString serverErr;
            const quint16 port = startServe(server, {"--min-version", "tls1.0"}, serverErr);
            QVERIFY2(port, qPrintable(serverErr));
            hltest::VersionRewritingRelay relay(port, to);
            const QString cout = opensslClientEcho(relay.port(),
                                                   {"-CAfile", kPki + "root-ca.crt.pem", "-servername", "localhost",
                                                    "-cipher", "ALL@SECLEVEL=0"},
                                                   "second stack");
            QVERIFY(server.waitForFinished(10000));
            const QString err = serverErr + server.readAllStandardError();
            const QString trace = server.readAllStandardOutput();
            QCOMPARE(relay.seenVersion(), std::uint16_t{0x0303});
            if (rewrite) {
                // OpenSSL names the sentinel it found an "inappropriate fallback" while choosing the version, and
                // answers with illegal_parameter as RFC 8446 §4.1.3 says.
                QVERIFY2(cout.contains("ssl_choose_client_version:inappropriate fallback"), qPrintable(cout.right(3000)));
                QVERIFY(!cout.contains("\nsecond stack"));
                QCOMPARE(server.exitCode(), 1);
                QVERIFY2(err.contains("the client sent the fatal alert illegal_parameter"), qPrintable(err));
                QVERIFY(trace.contains("downgrade sentinel"));
            } else {
                QVERIFY2(cout.contains("Protocol  : TLSv1.2\n") && cout.contains("\nsecond stack"),
                         qPrintable(cout.right(3000)));
                QVERIFY2(server.exitCode() == 0, qPrintable(err));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestInterop)
#include "test_interop.moc"
