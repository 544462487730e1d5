// The command line as a user runs it: exit codes, one-line errors naming the argument, seeded repeatability,
// the key log and the capture file.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {
struct Result {
    int code;
    QString out, err;
};

Result hl(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(HL_BINARY), args);
    p.waitForFinished(60000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}
} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void badArgumentsExitTwoAndNameTheArgument_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown option") << QStringList{"run", "--bogus"} << "--bogus";
        QTest::newRow("seed not a number") << QStringList{"run", "--seed", "abc"} << "--seed";
        QTest::newRow("seed missing value") << QStringList{"run", "--seed"} << "--seed";
        QTest::newRow("unknown suite") << QStringList{"run", "--suite", "TLS_NOPE"} << "TLS_NOPE";
        QTest::newRow("unknown scenario") << QStringList{"run", "nosuch"} << "nosuch";
        QTest::newRow("bad format") << QStringList{"run", "--format", "xml"} << "--format";
        QTest::newRow("unknown command") << QStringList{"fly"} << "fly";
        QTest::newRow("connect without port") << QStringList{"connect", "localhost"} << "HOST:PORT";
        QTest::newRow("unreadable ca") << QStringList{"connect", "127.0.0.1:1", "--ca", "/nonexistent.pem"}
                                       << "/nonexistent.pem";
        QTest::newRow("serve without port") << QStringList{"serve"} << "--port";
        QTest::newRow("cert without key") << QStringList{"serve", "--port", "0", "--cert", "x.pem"} << "--key";
        QTest::newRow("unwritable pcap") << QStringList{"run", "--pcap", "/nonexistent/dir/run.pcapng"} << "--pcap";
        QTest::newRow("pcap missing value") << QStringList{"serve", "--port", "0", "--pcap"} << "--pcap";
        QTest::newRow("unknown version") << QStringList{"run", "--min-version", "tls1.3"} << "--min-version";
        QTest::newRow("version spelled wrong") << QStringList{"run", "--max-version", "TLS 1.0"} << "--max-version";
        QTest::newRow("server version unknown") << QStringList{"run", "--server-max-version", "sslv2"}
                                                << "--server-max-version";
        QTest::newRow("min above max") << QStringList{"run", "--min-version", "tls1.2", "--max-version", "tls1.0"}
                                       << "--min-version tls1.2 is above --max-version tls1.0";
        QTest::newRow("server min above server max")
            << QStringList{"run", "--server-min-version", "tls1.1", "--server-max-version", "ssl3"}
            << "--server-min-version tls1.1 is above --server-max-version ssl3";
        QTest::newRow("connect min above max")
            << QStringList{"connect", "127.0.0.1:1", "--min-version", "tls1.1", "--max-version", "tls1.0"}
            << "--min-version tls1.1 is above --max-version tls1.0";
        QTest::newRow("unknown suite in a list")
            << QStringList{"run", "--suite", "TLS_RSA_WITH_AES_128_CBC_SHA,TLS_NOPE_WITH_NOTHING"}
            << "TLS_NOPE_WITH_NOTHING";
        QTest::newRow("unknown suite repeated")
            << QStringList{"run", "--suite", "TLS_RSA_WITH_AES_128_CBC_SHA", "--suite", "TLS_NOPE"} << "TLS_NOPE";
        QTest::newRow("unknown server suite") << QStringList{"run", "--server-suite", "TLS_NOPE"} << "TLS_NOPE";
        QTest::newRow("both preferences")
            << QStringList{"run", "--server-preference", "--client-preference"} << "--client-preference";
        // Start-up checks: what would otherwise fail every connection later, or never end.
        const QString pki = QStringLiteral(HL_RESOURCES) + "/pki/";
        QTest::newRow("key of another certificate")
            << QStringList{"serve", "--port", "0", "--cert", pki + "server-rsa.crt.pem", "--key",
                           pki + "server-ecdsa.key.pem"}
            << "is not the private key of the first certificate";
        QTest::newRow("timeout zero") << QStringList{"serve", "--port", "0", "--timeout", "0"} << "--timeout";
        QTest::newRow("connect to port zero") << QStringList{"connect", "127.0.0.1:0"} << "port from 1 to 65535";
        QTest::newRow("endless certificate file")
            << QStringList{"serve", "--port", "0", "--cert", "/dev/zero", "--key", "/dev/zero"} << "larger than";
    }
    void badArgumentsExitTwoAndNameTheArgument()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Result r = hl(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    // The command the "done when" names: a TLS 1.0 run with one CBC suite. The JSON names the version at the
    // top (docs/trace-format.md) and every record after the first ClientHello carries 3,1 in its header.
    void runAtTls10WritesItsVersionInTheJson()
    {
        const Result r = hl({"run", "--max-version", "tls1.0", "--suite", "TLS_RSA_WITH_AES_128_CBC_SHA", "--seed", "1",
                             "--format", "json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o["outcome"].toString(), QString("completed"));
        QCOMPARE(o["version"].toString(), QString("TLS 1.0"));
        QCOMPARE(o["cipher_suite"].toString(), QString("TLS_RSA_WITH_AES_128_CBC_SHA"));
        int records = 0;
        for (const QJsonValue e : o["events"].toArray()) {
            if (e["kind"].toString() != "record")
                continue;
            ++records;
            QCOMPARE(e["version"].toString(), QString("0x0301"));
        }
        QVERIFY(records >= 10);
    }

    void versionsAndSuitesNegotiateOnTheCommandLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("ssl3") << QStringList{"run", "ssl3", "--seed", "2"} << 0
                              << "Outcome: completed with TLS_RSA_WITH_AES_128_CBC_SHA";
        QTest::newRow("server stops at 1.1") << QStringList{"run", "--min-version", "tls1.0", "--server-max-version",
                                                            "tls1.1", "--suite", "TLS_RSA_WITH_AES_128_CBC_SHA",
                                                            "--seed", "2"}
                                             << 0 << "TLS 1.1 (3,2 on the wire)";
        QTest::newRow("client preference") << QStringList{"run", "--suite",
                                                          "TLS_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                                                          "--server-suite",
                                                          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA",
                                                          "--client-preference", "--seed", "2"}
                                           << 0 << "Outcome: completed with TLS_RSA_WITH_AES_128_CBC_SHA";
        QTest::newRow("server preference") << QStringList{"run", "--suite",
                                                          "TLS_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                                                          "--server-suite",
                                                          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA",
                                                          "--seed", "2"}
                                           << 0 << "Outcome: completed with TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        QTest::newRow("fallback refused") << QStringList{"run", "--min-version", "tls1.0", "--max-version", "tls1.1",
                                                         "--server-max-version", "tls1.2", "--suite",
                                                         "TLS_RSA_WITH_AES_128_CBC_SHA", "--fallback-scsv", "--seed", "2"}
                                          << 1 << "inappropriate_fallback";
        QTest::newRow("no common version") << QStringList{"run", "--max-version", "tls1.2", "--server-max-version",
                                                          "tls1.0", "--suite", "TLS_RSA_WITH_AES_128_CBC_SHA", "--seed",
                                                          "2"}
                                           << 1 << "the client sent the fatal alert protocol_version";
    }
    void versionsAndSuitesNegotiateOnTheCommandLine()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, says);
        const Result r = hl(args);
        QCOMPARE(r.code, code);
        QVERIFY2((r.out + r.err).contains(says), qPrintable(r.err + r.out.right(1500)));
    }

    void aKeyLogThatCannotBeWrittenIsAnError()
    {
        const Result r = hl({"run", "--seed", "1", "--keylog", "/dev/full"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--keylog"), qPrintable(r.err));
    }

    // A scenario declares its outcome: a failure scenario that fails with its alert has done what it should.
    void aFailureScenarioThatFailsAsDeclaredExitsZero()
    {
        const Result r = hl({"run", "client-auth-missing", "--seed", "3"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("handshake failed: the server sent the fatal alert handshake_failure"), qPrintable(r.err));
    }

    void aRunThatMissesTheDeclaredOutcomeExitsOneSayingWhatHappened()
    {
        // default expects completion; a server stopped at TLS 1.0 cannot give it.
        const Result r = hl({"run", "default", "--seed", "3", "--server-max-version", "tls1.0"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("scenario default: expected the handshake to complete, but it failed"), qPrintable(r.err));
        // A teacher's file that expects the wrong alert: the run says which alert came instead.
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("wrong-guess.yaml"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("title: Guess\ndescription: The class guesses bad_certificate.\n"
                "attacker:\n  - message: ServerKeyExchange\n    flip: signature\n"
                "expect: {alert: bad_certificate, from: client}\n");
        f.close();
        const Result g = hl({"run", file, "--seed", "3"});
        QCOMPARE(g.code, 1);
        QVERIFY2(g.err.contains("scenario wrong-guess: expected the client to send bad_certificate, but the run failed: "
                                "the client sent the fatal alert decrypt_error"),
                 qPrintable(g.err));
    }

    void seededRunsRepeatByteForByte()
    {
        const Result a = hl({"run", "--seed", "11", "--format", "json"});
        const Result b = hl({"run", "--seed", "11", "--format", "json"});
        const Result c = hl({"run", "--seed", "12", "--format", "json"});
        QCOMPARE(a.code, 0);
        QCOMPARE(a.out, b.out);
        QVERIFY(a.out != c.out);
    }

    void keyLogHasTheClientRandomAndMasterSecret()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("keys.log");
        const Result r = hl({"run", "--seed", "5", "--keylog", path});
        QCOMPARE(r.code, 0);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString line = f.readAll();
        QVERIFY2(QRegularExpression("^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$").match(line).hasMatch(),
                 qPrintable(line));
        QVERIFY(r.out.contains(line.split(' ')[1]));
    }

    void pcapIsWrittenAndRepeatsWithTheSeed()
    {
        QTemporaryDir dir;
        QByteArray files[2];
        for (int i = 0; i < 2; ++i) {
            const QString path = dir.filePath(QString("run%1.pcapng").arg(i));
            const Result r = hl({"run", "--seed", "5", "--pcap", path});
            QCOMPARE(r.code, 0);
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            files[i] = f.readAll();
        }
        // A pcapng file starts with the Section Header Block's type.
        QVERIFY(files[0].startsWith(QByteArray::fromHex("0a0d0d0a")));
        QCOMPARE(files[0], files[1]);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
