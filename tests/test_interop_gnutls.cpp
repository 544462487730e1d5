// Interoperability with a second, independent stack: GnuTLS (Debian's gnutls-bin: `gnutls-cli`, `gnutls-serv`) over
// loopback, both directions, at TLS 1.0, 1.1 and 1.2, with a CBC suite, 3DES and RC4 (which Debian's OpenSSL no
// longer offers) and, at TLS 1.2, an AEAD suite. GnuTLS is held to one version by its priority string; our side accepts
// TLS 1.0 to 1.2, so the version is negotiated. Both sides verify the chain with the demo root.
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include "interop_support.h"

namespace {

using hltest::freePort;
using hltest::kBinary;
using hltest::kPki;
using hltest::startServe;

using hltest::readUntil;

// gnutls-serv says "Echo Server listening on IPv4 ..." once it listens.
bool waitForListening(QProcess& server)
{
    return hltest::waitForOutput(server, "listening on IPv4");
}

struct Row {
    const char* name;
    const char* version;       // our option value
    const char* gnutlsVersion; // in a priority string and in GnuTLS's session description
    const char* iana;
    const char* gnutlsCipher; // as the description names it
    const char* gnutlsExtra;  // appended to the priority string
};
const Row kRows[] = {
    {"TLS 1.0 ECDHE-RSA AES-128-CBC", "tls1.0", "TLS1.0", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "AES-128-CBC", ""},
    {"TLS 1.0 RSA 3DES", "tls1.0", "TLS1.0", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "3DES-CBC", ":+3DES-CBC"},
    {"TLS 1.1 ECDHE-RSA AES-128-CBC", "tls1.1", "TLS1.1", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "AES-128-CBC", ""},
    {"TLS 1.1 RSA 3DES", "tls1.1", "TLS1.1", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "3DES-CBC", ":+3DES-CBC"},
    {"TLS 1.2 ECDHE-RSA AES-128-CBC", "tls1.2", "TLS1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "AES-128-CBC", ""},
    {"TLS 1.2 RSA 3DES", "tls1.2", "TLS1.2", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "3DES-CBC", ":+3DES-CBC"},
    {"TLS 1.2 ECDHE-RSA AES-128-GCM", "tls1.2", "TLS1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "AES-128-GCM", ""},
    // The history lesson's other suites: RC4 (one key stream for the connection, no IV) and DHE.
    {"TLS 1.0 RSA RC4-128 SHA-1", "tls1.0", "TLS1.0", "TLS_RSA_WITH_RC4_128_SHA", "ARCFOUR-128", ":+ARCFOUR-128"},
    {"TLS 1.0 RSA RC4-128 MD5", "tls1.0", "TLS1.0", "TLS_RSA_WITH_RC4_128_MD5", "ARCFOUR-128", ":+ARCFOUR-128:+MD5"},
    {"TLS 1.1 RSA RC4-128 SHA-1", "tls1.1", "TLS1.1", "TLS_RSA_WITH_RC4_128_SHA", "ARCFOUR-128", ":+ARCFOUR-128"},
    {"TLS 1.1 DHE-RSA AES-128-CBC", "tls1.1", "TLS1.1", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "AES-128-CBC", ":+DHE-RSA"},
};

void addRows()
{
    QTest::addColumn<QString>("gnutlsVersion");
    QTest::addColumn<QString>("iana");
    QTest::addColumn<QString>("gnutlsCipher");
    QTest::addColumn<QString>("priority");
    for (const Row& r : kRows)
        QTest::newRow(r.name) << QString(r.gnutlsVersion) << QString(r.iana) << QString(r.gnutlsCipher)
                              << QString("NORMAL:-VERS-ALL:+VERS-%1%2").arg(r.gnutlsVersion, r.gnutlsExtra);
}

// "TLS1.1" -> "TLS 1.1 (3,2 on the wire)", as our trace names the negotiated version.
QString ourVersionName(const QString& gnutlsVersion)
{
    const QString minor = gnutlsVersion.mid(5);
    return QString("TLS 1.%1 (3,%2 on the wire)").arg(minor).arg(minor.toInt() + 1);
}

} // namespace

class TestInteropGnutls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable("gnutls-cli").isEmpty() ||
            QStandardPaths::findExecutable("gnutls-serv").isEmpty())
            QFAIL("gnutls-cli / gnutls-serv are not installed (scripts/setup.sh installs gnutls-bin)");
    }

    void ourClientAgainstGnutlsServer_data() { addRows(); }
    void ourClientAgainstGnutlsServer()
    {
        QFETCH(QString, gnutlsVersion);
        QFETCH(QString, iana);
        QFETCH(QString, gnutlsCipher);
        QFETCH(QString, priority);
        const quint16 port = freePort();
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        // --echo answers every line as it came; -a: no client certificate requested.
        server.start("gnutls-serv", {"--echo", "-a", "-p", QString::number(port), "--x509certfile",
                                     kPki + "server-rsa.chain.pem", "--x509keyfile", kPki + "server-rsa.key.pem",
                                     "--priority", priority});
        QVERIFY(server.waitForStarted());
        QVERIFY2(waitForListening(server), qPrintable(server.readAll()));

        QProcess client;
        client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--ca", kPki + "root-ca.crt.pem",
                               "--servername", "localhost", "--min-version", "tls1.0", "--suite", iana, "--send",
                               "gnutls ping"});
        QVERIFY(client.waitForFinished(30000));
        const QString out = client.readAllStandardOutput();
        const QString err = client.readAllStandardError();
        const QString sout = readUntil(server, "gnutls ping", 3000);
        server.kill();
        server.waitForFinished(5000);
        QVERIFY2(client.exitCode() == 0, qPrintable(err + "\n" + out.right(2000) + "\n" + sout));
        QVERIFY2(err.contains("reply: gnutls ping"), qPrintable(err));
        QVERIFY(out.contains("Outcome: completed with " + iana));
        QVERIFY2(out.contains("negotiated " + ourVersionName(gnutlsVersion) + " and " + iana), qPrintable(out.left(4000)));
        // The certificate checks our client made up to the demo root.
        QVERIFY(out.contains("HandshakeLab Demo Root CA"));
        QVERIFY2(sout.contains("- Version: " + gnutlsVersion + "\n"), qPrintable(sout));
        QVERIFY2(sout.contains("- Cipher: " + gnutlsCipher + "\n"), qPrintable(sout));
    }

    void gnutlsClientAgainstOurServer_data() { addRows(); }
    void gnutlsClientAgainstOurServer()
    {
        QFETCH(QString, gnutlsVersion);
        QFETCH(QString, iana);
        QFETCH(QString, gnutlsCipher);
        QFETCH(QString, priority);
        QProcess server;
        QString serverErr;
        const quint16 port = startServe(server, {"--min-version", "tls1.0", "--suite", iana}, serverErr);
        QVERIFY2(port, qPrintable(serverErr));

        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start("gnutls-cli", {"127.0.0.1", "-p", QString::number(port), "--x509cafile",
                                    kPki + "root-ca.crt.pem", "--sni-hostname", "localhost", "--verify-hostname",
                                    "localhost", "--priority", priority});
        QVERIFY(client.waitForStarted());
        client.write("echo through the engine\n");
        QString cout = readUntil(client, "\necho through the engine", 20000);
        client.closeWriteChannel(); // gnutls-cli ends the connection with close_notify at end of input
        QVERIFY(client.state() == QProcess::NotRunning || client.waitForFinished(10000));
        cout += client.readAll();
        QVERIFY2(cout.contains("- Status: The certificate is trusted."), qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("- Description: (" + gnutlsVersion + "-X.509)"), qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("-(" + gnutlsCipher + ")"), qPrintable(cout.right(3000)));
        QVERIFY2(cout.contains("\necho through the engine"), qPrintable(cout.right(3000)));

        QVERIFY(server.waitForFinished(10000));
        const QString trace = server.readAllStandardOutput();
        QVERIFY2(server.exitCode() == 0, qPrintable(serverErr + server.readAllStandardError() + trace.right(2000)));
        QVERIFY(trace.contains("reads 24 bytes: \"echo through the engine\\n\""));
        QVERIFY(trace.contains("Outcome: completed with " + iana));
        QVERIFY2(trace.contains(ourVersionName(gnutlsVersion)), qPrintable(trace.left(3000)));
    }

    // RFC 7507 with GnuTLS both ways: "%FALLBACK_SCSV" in a priority string marks the retry; a server that could do
    // better than the retry's TLS 1.1 refuses it with inappropriate_fallback (86), one that could not accepts it.
    void fallbackScsvWithGnutls_data()
    {
        QTest::addColumn<bool>("serverCanDoBetter");
        QTest::newRow("server could do better: refused") << true;
        QTest::newRow("server's best is the retry's: completes") << false;
    }
    void fallbackScsvWithGnutls()
    {
        QFETCH(bool, serverCanDoBetter);
        {
            const quint16 port = freePort();
            QProcess server;
            server.setProcessChannelMode(QProcess::MergedChannels);
            server.start("gnutls-serv",
                         {"--echo", "-a", "-p", QString::number(port), "--x509certfile", kPki + "server-rsa.chain.pem",
                          "--x509keyfile", kPki + "server-rsa.key.pem", "--priority",
                          serverCanDoBetter ? "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1"
                                            : "NORMAL:-VERS-ALL:+VERS-TLS1.1"});
            QVERIFY(server.waitForStarted());
            QVERIFY2(waitForListening(server), qPrintable(server.readAll()));
            QProcess client;
            client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--ca", kPki + "root-ca.crt.pem",
                                   "--servername", "localhost", "--min-version", "tls1.0", "--max-version", "tls1.1",
                                   "--fallback-scsv", "--suite", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "--send",
                                   "retry"});
            QVERIFY(client.waitForFinished(30000));
            const QString err = client.readAllStandardError();
            server.kill();
            server.waitForFinished(5000);
            if (serverCanDoBetter) {
                QCOMPARE(client.exitCode(), 1);
                QVERIFY2(err.contains("the server sent the fatal alert inappropriate_fallback"), qPrintable(err));
            } else {
                QVERIFY2(client.exitCode() == 0, qPrintable(err));
                QVERIFY2(err.contains("reply: retry"), qPrintable(err));
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
            QProcess client;
            client.setProcessChannelMode(QProcess::MergedChannels);
            client.start("gnutls-cli", {"127.0.0.1", "-p", QString::number(port), "--x509cafile",
                                        kPki + "root-ca.crt.pem", "--sni-hostname", "localhost", "--verify-hostname",
                                        "localhost", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.1:%FALLBACK_SCSV"});
            QVERIFY(client.waitForStarted());
            client.write("second try\n");
            QString cout = readUntil(client, "\nsecond try", serverCanDoBetter ? 5000 : 20000);
            client.closeWriteChannel();
            // A refused gnutls-cli may have exited already, and waitForFinished is false for a finished process.
            QVERIFY(client.state() == QProcess::NotRunning || client.waitForFinished(10000));
            cout += client.readAll();
            QVERIFY(server.waitForFinished(10000));
            const QString err = serverErr + server.readAllStandardError();
            if (serverCanDoBetter) {
                QVERIFY2(cout.contains("Received alert [86]"), qPrintable(cout.right(3000)));
                QCOMPARE(server.exitCode(), 1);
                QVERIFY2(err.contains("the server sent the fatal alert inappropriate_fallback"), qPrintable(err));
            } else {
                QVERIFY2(cout.contains("- Description: (TLS1.1-X.509)") && cout.contains("\nsecond try"),
                         qPrintable(cout.right(3000)));
                QVERIFY2(server.exitCode() == 0, qPrintable(err));
            }
        }
    }

    // RFC 8446 §4.1.3 against GnuTLS: a relay rewrites the ClientHello's version from 3,3 to 3,1. GnuTLS's server
    // (TLS 1.0 to 1.3 allowed) marks its TLS 1.0 answer and our client refuses it; our server marks its answer and
    // gnutls-cli refuses it. Untouched, both complete at TLS 1.2 through the same relay.
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
            server.setProcessChannelMode(QProcess::MergedChannels);
            server.start("gnutls-serv", {"--echo", "-a", "-p", QString::number(port), "--x509certfile",
                                         kPki + "server-rsa.chain.pem", "--x509keyfile", kPki + "server-rsa.key.pem",
                                         "--priority", "NORMAL:+VERS-TLS1.1:+VERS-TLS1.0"});
            QVERIFY(server.waitForStarted());
            QVERIFY2(waitForListening(server), qPrintable(server.readAll()));
            hltest::VersionRewritingRelay relay(port, to);
            QProcess client;
            client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(relay.port()), "--ca",
                                   kPki + "root-ca.crt.pem", "--servername", "localhost", "--min-version", "tls1.0",
                                   "--suite", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "--send", "through the relay"});
            QVERIFY(client.waitForFinished(30000));
            const QString out = client.readAllStandardOutput();
            const QString err = client.readAllStandardError();
            server.kill();
            server.waitForFinished(5000);
            QCOMPARE(relay.seenVersion(), std::uint16_t{0x0303});
            if (rewrite) {
                QCOMPARE(client.exitCode(), 1);
                QVERIFY2(err.contains("the client sent the fatal alert illegal_parameter") &&
                             err.contains("downgrade sentinel"),
                         qPrintable(err));
                QVERIFY(out.contains("server_version: TLS 1.0 (3,1 = 0x0301)"));
            } else {
                QVERIFY2(client.exitCode() == 0, qPrintable(err));
                QVERIFY2(err.contains("reply: through the relay"), qPrintable(err));
                QVERIFY(out.contains("negotiated TLS 1.2 (3,3 on the wire)"));
            }
        }
        {
            QProcess server;
            QString serverErr;
            const quint16 port = startServe(server, {"--min-version", "tls1.0"}, serverErr);
            QVERIFY2(port, qPrintable(serverErr));
            hltest::VersionRewritingRelay relay(port, to);
            QProcess client;
            client.setProcessChannelMode(QProcess::MergedChannels);
            client.start("gnutls-cli", {"127.0.0.1", "-p", QString::number(relay.port()), "--x509cafile",
                                        kPki + "root-ca.crt.pem", "--sni-hostname", "localhost", "--verify-hostname",
                                        "localhost", "--priority", "NORMAL:+VERS-TLS1.1:+VERS-TLS1.0"});
            QVERIFY(client.waitForStarted());
            client.write("second stack\n");
            QString cout = readUntil(client, "\nsecond stack", rewrite ? 5000 : 20000);
            client.closeWriteChannel();
            QVERIFY(client.state() == QProcess::NotRunning || client.waitForFinished(10000));
            cout += client.readAll();
            QVERIFY(server.waitForFinished(10000));
            const QString err = serverErr + server.readAllStandardError();
            const QString trace = server.readAllStandardOutput();
            QCOMPARE(relay.seenVersion(), std::uint16_t{0x0303});
            if (rewrite) {
                QVERIFY(!cout.contains("\nsecond stack"));
                QVERIFY2(cout.contains("Detected downgrade to TLS 1.1 or earlier"), qPrintable(cout.right(3000)));
                QCOMPARE(server.exitCode(), 1);
                QVERIFY2(err.contains("the client sent the fatal alert illegal_parameter"), qPrintable(err + cout));
                QVERIFY(trace.contains("downgrade sentinel"));
            } else {
                QVERIFY2(cout.contains("- Description: (TLS1.2-X.509)") && cout.contains("\nsecond stack"),
                         qPrintable(cout.right(3000)));
                QVERIFY2(server.exitCode() == 0, qPrintable(err));
            }
        }
    }

    // Client authentication at TLS 1.1 both ways: the CertificateVerify of TLS 1.0 and 1.1 signs MD5 || SHA-1 with
    // no algorithm field (RFC 4346 §7.4.8), and GnuTLS checks ours as we check its.
    void clientAuthenticationAtTls11BothWays()
    {
        {
            const quint16 port = freePort();
            QProcess server;
            server.setProcessChannelMode(QProcess::MergedChannels);
            server.start("gnutls-serv", {"--echo", "-r", "--x509cafile", kPki + "root-ca.crt.pem", "-p",
                                         QString::number(port), "--x509certfile", kPki + "server-rsa.chain.pem",
                                         "--x509keyfile", kPki + "server-rsa.key.pem", "--priority",
                                         "NORMAL:-VERS-ALL:+VERS-TLS1.1"});
            QVERIFY(server.waitForStarted());
            QVERIFY2(waitForListening(server), qPrintable(server.readAll()));
            QProcess client;
            client.start(kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--ca", kPki + "root-ca.crt.pem",
                                   "--servername", "localhost", "--min-version", "tls1.0", "--cert",
                                   kPki + "client.chain.pem", "--key", kPki + "client.key.pem", "--send", "signed"});
            QVERIFY(client.waitForFinished(30000));
            const QString out = client.readAllStandardOutput();
            const QString err = client.readAllStandardError();
            const QString sout = readUntil(server, "signed", 3000);
            server.kill();
            server.waitForFinished(5000);
            QVERIFY2(client.exitCode() == 0, qPrintable(err + out.right(2000) + sout));
            QVERIFY2(err.contains("reply: signed"), qPrintable(err));
            QVERIFY(out.contains("CertificateVerify"));
            QVERIFY(out.contains("negotiated TLS 1.1 (3,2 on the wire)"));
            QVERIFY2(sout.contains("- Version: TLS1.1\n"), qPrintable(sout));
            QVERIFY2(sout.contains("HandshakeLab Demo Student"), qPrintable(sout));
        }
        {
            QProcess server;
            QString serverErr;
            const quint16 port = startServe(
                server, {"--min-version", "tls1.0", "--verify-client", kPki + "root-ca.crt.pem"}, serverErr);
            QVERIFY2(port, qPrintable(serverErr));
            QProcess client;
            client.setProcessChannelMode(QProcess::MergedChannels);
            client.start("gnutls-cli", {"127.0.0.1", "-p", QString::number(port), "--x509cafile",
                                        kPki + "root-ca.crt.pem", "--sni-hostname", "localhost", "--verify-hostname",
                                        "localhost", "--x509certfile", kPki + "client.chain.pem", "--x509keyfile",
                                        kPki + "client.key.pem", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.1"});
            QVERIFY(client.waitForStarted());
            client.write("signed in\n");
            QString cout = readUntil(client, "\nsigned in", 20000);
            client.closeWriteChannel();
            QVERIFY(client.state() == QProcess::NotRunning || client.waitForFinished(10000));
            cout += client.readAll();
            QVERIFY2(cout.contains("- Description: (TLS1.1-X.509)") && cout.contains("\nsigned in"),
                     qPrintable(cout.right(3000)));
            QVERIFY(server.waitForFinished(10000));
            const QString trace = server.readAllStandardOutput();
            QVERIFY2(server.exitCode() == 0, qPrintable(serverErr + server.readAllStandardError() + trace.right(2000)));
            QVERIFY(trace.contains("ok   CertificateVerify: the client's signature over the handshake verifies"));
            QVERIFY(trace.contains("TLS 1.1 (3,2 on the wire)"));
        }
    }
};

QTEST_GUILESS_MAIN(TestInteropGnutls)
#include "test_interop_gnutls.moc"
