// Interoperability with OpenSSL (Debian's `openssl` command) over loopback, both directions: our client
// against `openssl s_server`, and `openssl s_client -verify_return_error` against `handshakelab serve`, with
// application data checked both ways. If OpenSSL disagrees with the engine, the engine is wrong.
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

const QString kBinary = QStringLiteral(HL_BINARY);
const QString kPki = QStringLiteral(HL_RESOURCES) + "/pki/";

// A port that was free a moment ago on 127.0.0.1.
quint16 freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// s_server prints ACCEPT once it listens. (Probing with a connection would use up its one -naccept.)
bool waitForAccept(QProcess& server)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 15000) {
        if (server.peek(1 << 20).contains("ACCEPT"))
            return true;
        if (server.state() == QProcess::NotRunning)
            return false;
        server.waitForReadyRead(100);
    }
    return false;
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

} // namespace

class TestInterop : public QObject {
    Q_OBJECT
private slots:
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
        const QString leaf = ecdsa ? "server-ecdsa" : "server-rsa";
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        // -rev answers every line reversed: what comes back proves the data crossed both ways.
        server.start("openssl", {"s_server", "-accept", QString("127.0.0.1:%1").arg(port), "-tls1_2", "-cert",
                                 kPki + leaf + ".crt.pem", "-key", kPki + leaf + ".key.pem", "-cert_chain",
                                 kPki + "intermediate-ca.crt.pem", "-rev", "-naccept", "1"});
        QVERIFY(server.waitForStarted());
        QVERIFY2(waitForAccept(server), "openssl s_server did not start listening");

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
        server.start(kBinary, {"serve", "--port", "0", "--suite", iana});
        QVERIFY(server.waitForStarted());
        QRegularExpression listening("listening on 127\\.0\\.0\\.1:(\\d+)");
        QString serverErr;
        quint16 port = 0;
        QElapsedTimer waited;
        waited.start();
        while (!port && waited.elapsed() < 15000 && server.state() != QProcess::NotRunning) {
            server.waitForReadyRead(100);
            serverErr += server.readAllStandardError();
            if (auto m = listening.match(serverErr); m.hasMatch())
                port = static_cast<quint16>(m.captured(1).toUInt());
        }
        QVERIFY2(port, qPrintable(serverErr));

        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start("openssl", {"s_client", "-connect", QString("127.0.0.1:%1").arg(port), "-CAfile",
                                 kPki + "root-ca.crt.pem", "-verify_return_error", "-servername", "localhost",
                                 "-verify_hostname", "localhost", "-tls1_2", "-cipher", openssl});
        QVERIFY(client.waitForStarted());
        client.write("echo through the engine\n");
        // Wait on the clock, not on a count of reads: s_client prints its chain and session in many small
        // chunks, and closing its stdin before the echo arrives would end the connection too early.
        QString cout;
        waited.restart();
        while (!cout.contains("\necho through the engine") && waited.elapsed() < 20000) {
            client.waitForReadyRead(200);
            cout += client.readAll();
        }
        client.closeWriteChannel(); // s_client closes the connection with close_notify
        QVERIFY(client.waitForFinished(10000));
        cout += client.readAll();
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
};

QTEST_GUILESS_MAIN(TestInterop)
#include "test_interop.moc"
