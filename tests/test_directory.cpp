// The directory check: LDIF parsing (RFC 2849: folding, base64, comments, every refusal with its line), the in-memory
// directory and its look-ups, the server accepting a listed certificate and refusing others with access_denied, and
// the same against a real OpenLDAP slapd started on a loopback port for the suite and stopped whatever happens.
#include "directory_source.h"
#include "ldap_directory.h"
#include "pki.h"
#include "scenario_library.h"
#include "session_support.h"

#include "interop_support.h"

#include "session/directory.h"
#include "session/scenario.h"
#include "session/session.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace hl;

namespace {

using hltest::kDemoNow;

const Credential& credential(const char* name)
{
    const Credential* c = app::demoCredential(name);
    if (!c)
        qFatal("no demo credential %s", name);
    return *c;
}

const CertificateCheckEvent* lastCheck(const Trace& t, const std::string& name)
{
    const CertificateCheckEvent* found = nullptr;
    for (const TraceEvent& e : t.events())
        if (const auto* c = std::get_if<CertificateCheckEvent>(&e); c && c->check == name)
            found = c;
    return found;
}

Trace runWith(const std::string& clientCredential, std::shared_ptr<const Directory> directory,
              DirectoryMatch match = {}, std::vector<std::string> serverTrust = {})
{
    Scenario s = *app::findScenario("client-auth");
    s.demoNames.clientCredential = clientCredential;
    s.clientCredential.reset();
    s.serverDirectory = std::move(directory);
    s.directoryMatch = match;
    s.demoNames.serverTrustAnchors = std::move(serverTrust);
    RunOptions o;
    o.seed = 7;
    o.now = kDemoNow;
    return runScenario(s, app::demoPki(), o);
}

QString findProgram(const QString& name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(name, {"/usr/sbin", "/usr/local/sbin", "/sbin"});
    return path;
}

} // namespace

class TestDirectory : public QObject {
    Q_OBJECT

private slots:
    // ---- LDIF
    void demoDirectoryHoldsTwoUsersAndTheClientCertificate()
    {
        const auto dir = app::demoDirectory();
        const std::vector<LdifRecord>& records = dir->records();
        QCOMPARE(records.size(), std::size_t(4));
        const LdifRecord& student = records[2];
        QCOMPARE(student.dn, std::string("cn=HandshakeLab Demo Student,ou=people,dc=handshakelab,dc=test"));
        const std::vector<Bytes> certs = userCertificates(student);
        QCOMPARE(certs.size(), std::size_t(1));
        QCOMPARE(certs.front(), credential("client").chain.front().der); // folded base64, decoded
        QVERIFY(userCertificates(records[3]).empty());
    }

    void parsesFoldingBase64CommentsAndCrlf()
    {
        const std::string text = "version: 1\r\n"
                                 "# a comment\r\n"
                                 "#  folded on\r\n"
                                 " to here\r\n"
                                 "dn: cn=Ada Love\r\n"
                                 " lace,dc=test\r\n"
                                 "cn: Ada Lovelace\r\n"
                                 "description:: aMOpbGxv\r\n"
                                 "sn:   Lovelace   \r\n"
                                 "\r\n"
                                 "\r\n"
                                 "dn:: Y249Qm9iLGRjPXRlc3Q=\r\n"
                                 "cn: Bob\r\n";
        const std::vector<LdifRecord> r = parseLdif(text, "t.ldif");
        QCOMPARE(r.size(), std::size_t(2));
        QCOMPARE(r[0].dn, std::string("cn=Ada Lovelace,dc=test"));
        QCOMPARE(r[0].line, 5);
        QCOMPARE(r[0].attributes.size(), std::size_t(3));
        QCOMPARE(asString(r[0].attributes[1].second), std::string("h\xc3\xa9llo"));
        QCOMPARE(asString(r[0].attributes[2].second), std::string("Lovelace"));
        QCOMPARE(r[1].dn, std::string("cn=Bob,dc=test"));
        QCOMPARE(r[1].line, 12);
    }

    void refusesBadLdifNamingTheLine_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("bad base64") << "dn: cn=a\ncn:: !!notbase64\n" << 2 << "not valid base64";
        QTest::newRow("base64 length") << "dn: cn=a\ncn:: YWJj\n\ndn: cn=b\nsn:: YWJ\n" << 5 << "not valid base64";
        QTest::newRow("attribute before dn") << "version: 1\n\ncn: a\n" << 3 << "before any \"dn:\" line";
        QTest::newRow("change record") << "dn: cn=a\nchangetype: modify\n" << 2 << "change records";
        QTest::newRow("URL value") << "dn: cn=a\njpegPhoto:< file:///etc/passwd\n" << 2 << "is a URL";
        QTest::newRow("continuation first") << " dangling\ndn: cn=a\n" << 1 << "no line to continue";
        QTest::newRow("no colon") << "dn: cn=a\njust words\n" << 2 << "expected \"attribute: value\"";
        QTest::newRow("version 2") << "version: 2\ndn: cn=a\n" << 1 << "version 1";
        QTest::newRow("two dns") << "dn: cn=a\ndn: cn=b\n" << 2 << "second dn";
        QTest::newRow("bad attribute name") << "dn: cn=a\nc n: x\n" << 2 << "not an attribute description";
    }
    void refusesBadLdifNamingTheLine()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(QString, error);
        try {
            parseLdif(text.toStdString(), "users.ldif");
            QFAIL("bad LDIF parsed");
        } catch (const LdifError& e) {
            QCOMPARE(e.line(), line);
            QVERIFY2(QString(e.what()).startsWith(QString("users.ldif:%1: ").arg(line)), e.what());
            QVERIFY2(QString(e.what()).contains(error), e.what());
        }
    }

    void dnsCompareWithoutCaseOrSpacing()
    {
        QCOMPARE(normalizeDn("CN=HandshakeLab Demo Student, O=HandshakeLab Demo"),
                 normalizeDn("cn=handshakelab demo student,o=HandshakeLab Demo"));
        QVERIFY(normalizeDn("cn=a,o=b") != normalizeDn("cn=a,o=c"));
        QCOMPARE(normalizeDn("cn=a\\,b , o=c"), std::string("cn=a\\,b,o=c"));
    }

    void looksUsersUpByAttributeOrDn()
    {
        const auto dir = app::demoDirectory();
        const Certificate& student = credential("client").chain.front();
        Directory::Query q = dir->find(student.subject, DirectoryMatch{});
        QCOMPARE(q.entries.size(), std::size_t(1));
        QCOMPARE(q.description, std::string("the entry with cn=HandshakeLab Demo Student"));
        q = dir->find(student.subject, DirectoryMatch{""}); // by DN: O=HandshakeLab Demo is not this tree
        QVERIFY(q.entries.empty());
        const std::string byDn = "dn: CN=HandshakeLab Demo Student, O=HandshakeLab Demo\nuid: s\n";
        LdifDirectory flat(parseLdif(byDn, "flat.ldif"), "flat.ldif");
        QCOMPARE(flat.find(student.subject, DirectoryMatch{""}).entries.size(), std::size_t(1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dir->find(student.subject, DirectoryMatch{"mail"}));
    }

    void escapesLdapFilterValues()
    {
        QCOMPARE(app::escapeFilterValue("a*(b)\\c"), std::string("a\\2a\\28b\\29\\5cc"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, app::LdapDirectory("ldap://127.0.0.1:1"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, app::openDirectory("http://example.test/"));
        QCOMPARE(app::directoryMatchFromText("dn").byDn(), true);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, app::directoryMatchFromText("c n"));
    }

    // ---- the server's check
    void listedCertificateIsAccepted()
    {
        const Trace t = runWith("client", app::demoDirectory());
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        const CertificateCheckEvent* entry = lastCheck(t, "directory entry");
        const CertificateCheckEvent* cert = lastCheck(t, "directory certificate");
        QVERIFY(entry && entry->passed && cert && cert->passed);
        QVERIFY2(cert->detail.find("cn=HandshakeLab Demo Student,ou=people,dc=handshakelab,dc=test") !=
                     std::string::npos,
                 cert->detail.c_str());
    }

    void unlistedCertificatesAreDenied_data()
    {
        QTest::addColumn<QString>("credential");
        QTest::addColumn<QString>("match");
        QTest::addColumn<QString>("failedCheck");
        QTest::addColumn<QString>("reason");
        // The same student, an older certificate: the entry holds another one.
        QTest::newRow("entry holds another certificate") << "client-revoked" << "cn" << "directory certificate"
                                                         << "holds 1 certificate, but not this one (serial 20:04)";
        // Looked up by DN, the student's subject names no entry of this tree.
        QTest::newRow("no entry for the DN") << "client" << "dn" << "directory entry"
                                             << "the entry CN=HandshakeLab Demo Student, O=HandshakeLab Demo";
    }
    void unlistedCertificatesAreDenied()
    {
        QFETCH(QString, credential);
        QFETCH(QString, match);
        QFETCH(QString, failedCheck);
        QFETCH(QString, reason);
        const Trace t = runWith(credential.toStdString(), app::demoDirectory(),
                                app::directoryMatchFromText(match.toStdString()));
        QVERIFY(!t.outcome.completed);
        QCOMPARE(int(t.outcome.alert), int(AlertDescription::AccessDenied));
        QCOMPARE(t.outcome.alertFrom, Side::Server);
        QVERIFY2(QString::fromStdString(t.outcome.reason).contains(reason), t.outcome.reason.c_str());
        const CertificateCheckEvent* c = lastCheck(t, failedCheck.toStdString());
        QVERIFY(c && !c->passed);
    }

    void userWithoutEntryIsDenied()
    {
        // other-client chains to the Other Demo Root CA, which this server trusts here; "Other Demo Student" has an
        // entry, so an LDIF without it shows the missing-user case.
        const std::string text = "dn: cn=HandshakeLab Demo Student,dc=test\ncn: HandshakeLab Demo Student\n";
        auto dir = std::make_shared<const LdifDirectory>(parseLdif(text, "one.ldif"), "one.ldif");
        const Trace t = runWith("other-client", dir, {}, {"other-ca"});
        QCOMPARE(int(t.outcome.alert), int(AlertDescription::AccessDenied));
        QVERIFY2(t.outcome.reason.find("looked up the entry with cn=Other Demo Student in the LDIF directory "
                                       "one.ldif and found no such user") != std::string::npos,
                 t.outcome.reason.c_str());
    }

    void scenarioFilesDeclareTheDirectory()
    {
        const Trace in = hltest::runDemo("client-in-directory");
        QVERIFY2(in.outcome.completed, in.outcome.reason.c_str());
        const Trace out = hltest::runDemo("client-not-in-directory");
        QCOMPARE(int(out.outcome.alert), int(AlertDescription::AccessDenied));
    }

    // ---- a real LDAP server
    void slapdAcceptsTheListedCertificateAndRefusesTheOther()
    {
        const QString slapd = findProgram("slapd");
        const QString slapadd = findProgram("slapadd");
        if (slapd.isEmpty() || slapadd.isEmpty())
            QSKIP("OpenLDAP's slapd is not installed (scripts/setup.sh --tests installs slapd and ldap-utils)");
        const QString schema = "/etc/ldap/schema";
        if (!QFile::exists(schema + "/inetorgperson.schema"))
            QSKIP("slapd's schema files are missing from /etc/ldap/schema");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath("db"));
        const QString conf = dir.filePath("slapd.conf");
        const QString modules = QFile::exists("/usr/lib/ldap/back_mdb.la") || QFile::exists("/usr/lib/ldap/back_mdb.so")
                                    ? "modulepath /usr/lib/ldap\nmoduleload back_mdb\n"
                                    : "";
        {
            QFile f(conf);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QString("include %1/core.schema\ninclude %1/cosine.schema\ninclude %1/inetorgperson.schema\n"
                            "%2pidfile %3/slapd.pid\n"
                            "database mdb\nmaxsize 10485760\nsuffix \"dc=handshakelab,dc=test\"\n"
                            "rootdn \"cn=admin,dc=handshakelab,dc=test\"\ndirectory %3/db\n"
                            "access to * by * read\n")
                        .arg(schema, modules, dir.path())
                        .toUtf8());
        }
        {
            QProcess add;
            add.setProcessChannelMode(QProcess::MergedChannels);
            add.start(slapadd, {"-f", conf, "-l", hltest::kPki + "demo-directory.ldif"});
            QVERIFY(add.waitForFinished(30000));
            QVERIFY2(add.exitCode() == 0, add.readAll().constData());
        }
        const quint16 port = hltest::freePort();
        const QString url = QString("ldap://127.0.0.1:%1/").arg(port);
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(slapd, {"-d", "0", "-h", url, "-f", conf});
        QVERIFY(server.waitForStarted());
        // slapd stops whatever happens below: a failed QVERIFY returns through here.
        const auto stop = qScopeGuard([&] {
            server.terminate();
            if (!server.waitForFinished(5000)) {
                server.kill();
                server.waitForFinished(5000);
            }
        });
        // Ready when an anonymous search answers.
        app::LdapDirectory probe(url.toStdString() + "dc=handshakelab,dc=test");
        bool ready = false;
        for (int i = 0; i < 100 && !ready && server.state() == QProcess::Running; ++i) {
            try {
                probe.find(credential("client").chain.front().subject, DirectoryMatch{});
                ready = true;
            } catch (const DirectoryError&) {
                QTest::qWait(100);
            }
        }
        QVERIFY2(ready, server.readAll().constData());

        const QString pki = hltest::kPki;
        const auto attempt = [&](const QString& chain, QString& serverTrace) {
            QProcess serve;
            serve.setProcessChannelMode(QProcess::SeparateChannels);
            QString err;
            const quint16 tlsPort = hltest::startServe(
                serve,
                {"--verify-client", pki + "root-ca.crt.pem", "--directory",
                 url + "dc=handshakelab,dc=test", "--timeout", "10"},
                err);
            if (tlsPort == 0) {
                serverTrace = err;
                return -1;
            }
            QProcess client;
            client.setProcessChannelMode(QProcess::MergedChannels);
            client.start(hltest::kBinary, {"connect", QString("127.0.0.1:%1").arg(tlsPort), "--servername",
                                           "localhost", "--cert", pki + chain, "--key", pki + "client.key.pem",
                                           "--timeout", "10"});
            client.waitForFinished(30000);
            serve.waitForFinished(30000);
            serverTrace = serve.readAllStandardOutput() + err + serve.readAllStandardError();
            return serve.exitCode();
        };
        QString trace;
        QCOMPARE(attempt("client.chain.pem", trace), 0);
        QVERIFY2(trace.contains("Outcome: completed"), qPrintable(trace.right(3000)));
        QVERIFY2(trace.contains("cn=HandshakeLab Demo Student,ou=people,dc=handshakelab,dc=test holds this very "
                                "certificate"),
                 qPrintable(trace.right(3000)));
        QCOMPARE(attempt("client-revoked.chain.pem", trace), 1);
        QVERIFY2(trace.contains("sends fatal alert access_denied"), qPrintable(trace.right(3000)));
        QVERIFY2(trace.contains("cn=HandshakeLab Demo Student,ou=people,dc=handshakelab,dc=test"),
                 qPrintable(trace.right(3000)));
    }

    void unreachableLdapServerIsAnInternalError()
    {
        const quint16 port = hltest::freePort(); // nobody listens there
        auto dir = std::make_shared<const app::LdapDirectory>(QString("ldap://127.0.0.1:%1/dc=test").arg(port).toStdString());
        const Trace t = runWith("client", dir);
        QCOMPARE(int(t.outcome.alert), int(AlertDescription::InternalError));
        QVERIFY2(t.outcome.reason.find("could not consult ldap://127.0.0.1:") != std::string::npos,
                 t.outcome.reason.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDirectory)
#include "test_directory.moc"
