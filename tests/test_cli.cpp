// The command line as a user runs it: exit codes, one-line errors naming the argument, seeded repeatability,
// the key log and the capture file.
#include <QFile>
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

    void failedHandshakeExitsOneWithTheAlert()
    {
        const Result r = hl({"run", "client-auth-missing", "--seed", "3"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("handshake failed: the server sent the fatal alert handshake_failure"), qPrintable(r.err));
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
