// Scenario files: every shipped one reaches the outcome it declares, every kind of mistake in a file is refused with
// its file and line, and a scenario written back as a file runs byte for byte as the original.
#include "pki.h"
#include "scenario_file.h"
#include "scenario_library.h"

#include "session/session.h"

#include <cryptopp/sha.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace hl;

namespace {

Trace seeded(const Scenario& s, std::uint64_t seed = 7)
{
    RunOptions o;
    o.seed = seed;
    o.now = kReproducibleNow;
    return runScenario(s, app::demoPki(), o);
}

QString wireDigest(const Trace& t)
{
    CryptoPP::SHA256 h;
    for (const TraceEvent& e : t.events())
        if (const auto* r = std::get_if<RecordEvent>(&e))
            h.Update(r->wire.data(), r->wire.size());
    Bytes d(h.DigestSize());
    h.Final(d.data());
    return QString::fromStdString(toHex(d));
}

struct Result {
    int code;
    QString out, err;
};

Result command(const QStringList& args, const QString& scenarioDir = QString())
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!scenarioDir.isEmpty())
        env.insert(QStringLiteral("HANDSHAKELAB_SCENARIO_DIR"), scenarioDir);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(HL_BINARY), args);
    p.waitForFinished(60000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

void write(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

void copyResource(const QString& name, const QString& to)
{
    QFile::remove(to);
    QVERIFY2(QFile::copy(QStringLiteral(":/pki/") + name, to), qPrintable(name));
}

const char* kMinimal = "title: T\ndescription: D\n";

} // namespace

class TestScenarioFiles : public QObject {
    Q_OBJECT
private slots:
    // The sessions lesson: each scenario reads its resume setting from its file.
    void theSessionScenariosResumeAsTheirFilesSay()
    {
        const Scenario* resumed = app::findScenario("resume-session-id");
        const Scenario* refused = app::findScenario("resume-refused");
        QVERIFY(resumed && refused);
        QCOMPARE(resumed->resume, Resumption::SessionId);
        QCOMPARE(resumed->resumeFailure, ResumeFailure::None);
        QCOMPARE(refused->resume, Resumption::SessionId);
        QCOMPARE(refused->resumeFailure, ResumeFailure::Expired);
        const Trace t = seeded(*resumed);
        QCOMPARE(t.connectionCount(), 2);
        // The ticket lessons: by ticket, plain, tampered and renewed.
        const Scenario* ticket = app::findScenario("resume-ticket");
        const Scenario* tampered = app::findScenario("resume-ticket-tampered");
        const Scenario* renewed = app::findScenario("resume-ticket-renewed");
        QVERIFY(ticket && tampered && renewed);
        QCOMPARE(ticket->resume, Resumption::Ticket);
        QCOMPARE(ticket->resumeFailure, ResumeFailure::None);
        QVERIFY(!ticket->renewTicket);
        QCOMPARE(tampered->resume, Resumption::Ticket);
        QCOMPARE(tampered->resumeFailure, ResumeFailure::TamperedTicket);
        QCOMPARE(renewed->resumeFailure, ResumeFailure::None);
        QVERIFY(renewed->renewTicket);
        // Written back, the ticket settings survive.
        const Scenario back = app::parseScenario(app::scenarioToYaml(*renewed), "back.yaml", "");
        QCOMPARE(back.resume, Resumption::Ticket);
        QVERIFY(back.renewTicket);
    }

    void theLibraryShipsThirtyScenariosInTopics()
    {
        const auto all = app::builtinScenarios();
        QVERIFY2(all.size() >= 30, qPrintable(QString::number(all.size())));
        std::map<std::string, int> byTopic;
        for (const Scenario& s : all) {
            QVERIFY2(!s.title.empty() && !s.description.empty() && !s.topic.empty(), s.name.c_str());
            ++byTopic[s.topic];
        }
        QVERIFY(byTopic.size() >= 5);
        QVERIFY(app::findScenario("default"));
        QVERIFY(!app::findScenario("no-such-scenario"));
    }

    // Each failure scenario names the alert and the side that sends it, here as well as in its file: editing a file's
    // expectation to whatever the run does cannot make this pass.
    void everyShippedScenarioEndsAsDeclared_data()
    {
        static const std::map<std::string, std::pair<AlertDescription, Side>> failures{
            {"client-auth-missing", {AlertDescription::HandshakeFailure, Side::Server}},
            {"wrong-host", {AlertDescription::BadCertificate, Side::Client}},
            {"no-common-version", {AlertDescription::ProtocolVersion, Side::Client}},
            {"no-common-suite", {AlertDescription::HandshakeFailure, Side::Server}},
            {"fallback-scsv", {AlertDescription::InappropriateFallback, Side::Server}},
            {"downgrade-attack", {AlertDescription::IllegalParameter, Side::Client}},
            {"strip-suites", {AlertDescription::DecryptError, Side::Server}},
            {"forged-ske", {AlertDescription::DecryptError, Side::Client}},
            {"tampered-hello", {AlertDescription::DecryptError, Side::Server}},
            {"tampered-data", {AlertDescription::BadRecordMac, Side::Server}},
            {"out-of-order", {AlertDescription::UnexpectedMessage, Side::Client}},
            {"oversized-record", {AlertDescription::RecordOverflow, Side::Server}},
            {"replayed-data", {AlertDescription::BadRecordMac, Side::Server}},
            {"early-ccs", {AlertDescription::UnexpectedMessage, Side::Server}},
            {"client-untrusted", {AlertDescription::UnknownCa, Side::Server}},
            {"client-expired", {AlertDescription::CertificateExpired, Side::Server}},
            {"client-wrong-usage", {AlertDescription::UnsupportedCertificate, Side::Server}},
            {"client-revoked", {AlertDescription::CertificateRevoked, Side::Server}},
            {"client-forged-verify", {AlertDescription::DecryptError, Side::Server}},
            {"server-unknown-ca", {AlertDescription::UnknownCa, Side::Client}},
            {"server-expired", {AlertDescription::CertificateExpired, Side::Client}},
            {"server-not-yet-valid", {AlertDescription::BadCertificate, Side::Client}},
            {"server-bad-signature", {AlertDescription::DecryptError, Side::Client}},
            {"server-key-mismatch", {AlertDescription::DecryptError, Side::Client}},
            {"server-key-mismatch-rsa", {AlertDescription::BadRecordMac, Side::Server}},
            {"server-revoked", {AlertDescription::CertificateRevoked, Side::Client}},
            {"server-crl-stale", {AlertDescription::CertificateExpired, Side::Client}},
            {"renegotiation-attack-rfc5746", {AlertDescription::HandshakeFailure, Side::Server}},
            {"ocsp-revoked", {AlertDescription::CertificateRevoked, Side::Client}},
            {"ocsp-stale", {AlertDescription::BadCertificateStatusResponse, Side::Client}},
            {"ocsp-forged", {AlertDescription::BadCertificateStatusResponse, Side::Client}},
            {"ocsp-must-staple", {AlertDescription::BadCertificateStatusResponse, Side::Client}},
            {"client-not-in-directory", {AlertDescription::AccessDenied, Side::Server}},
        };
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("completes");
        QTest::addColumn<int>("alert");
        QTest::addColumn<int>("from");
        for (const Scenario& s : app::builtinScenarios()) {
            const auto it = failures.find(s.name);
            if (it == failures.end())
                QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name) << s.expect.completed
                                              << int(s.expect.alert) << int(s.expect.alertFrom);
            else
                QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name) << false << int(it->second.first)
                                              << int(it->second.second);
        }
    }
    void everyShippedScenarioEndsAsDeclared()
    {
        QFETCH(QString, name);
        QFETCH(bool, completes);
        QFETCH(int, alert);
        QFETCH(int, from);
        const Scenario& s = *app::findScenario(name.toStdString());
        QCOMPARE(s.expect.completed, completes);
        const Trace t = seeded(s);
        std::string why;
        QVERIFY2(meetsExpectation(s, t, &why), why.c_str());
        QVERIFY2(t.warnings.empty(), t.warnings.empty() ? "" : t.warnings.front().c_str());
        QCOMPARE(t.outcome.completed, completes);
        if (!completes) {
            QCOMPARE(int(t.outcome.alert), alert);
            QCOMPARE(int(t.outcome.alertFrom), from);
        }
        QCOMPARE(t.scenarioTitle, s.title);
    }

    // A record the attacker slips in ahead of another stands before it in the trace, as on the wire.
    void anInjectedRecordStandsWhereItWasOnTheWire()
    {
        const Trace t = seeded(*app::findScenario("early-ccs"));
        std::optional<std::size_t> injected, keyExchange;
        for (std::size_t i = 0; i < t.size(); ++i)
            if (const auto* r = std::get_if<RecordEvent>(&t.events()[i])) {
                if (r->note.rfind("injected", 0) == 0 && !injected)
                    injected = i;
                for (const MessageInfo& m : r->messages)
                    if (m.name == "ClientKeyExchange" && !keyExchange)
                        keyExchange = i;
            }
        QVERIFY(injected && keyExchange);
        QVERIFY2(*injected < *keyExchange, qPrintable(QStringLiteral("%1 %2").arg(*injected).arg(*keyExchange)));
    }

    // Save as scenario, then load: the same run, byte for byte, the same expectation and notes.
    void aScenarioWrittenBackRunsTheSame_data()
    {
        QTest::addColumn<QString>("name");
        for (const Scenario& s : app::builtinScenarios())
            QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name);
    }
    void aScenarioWrittenBackRunsTheSame()
    {
        QFETCH(QString, name);
        const Scenario& s = *app::findScenario(name.toStdString());
        const std::string yaml = app::scenarioToYaml(s);
        const Scenario back = app::parseScenario(yaml, name.toStdString() + ".yaml", "");
        QCOMPARE(back.name, s.name);
        QCOMPARE(back.title, s.title);
        QCOMPARE(back.topic, s.topic);
        QCOMPARE(back.notes.introduction, s.notes.introduction);
        QCOMPARE(back.notes.steps.size(), s.notes.steps.size());
        QCOMPARE(back.notes.questions, s.notes.questions);
        QCOMPARE(back.expect.completed, s.expect.completed);
        QCOMPARE(back.expect.alert, s.expect.alert);
        QCOMPARE(wireDigest(seeded(back)), wireDigest(seeded(s)));
    }

    // Every kind of mistake: the error starts with FILE:LINE: and says what is wrong and what is allowed.
    void aBrokenFileNamesItsLineAndTheProblem_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown key, nearest suggested")
            << QByteArray("titel: T\ndescription: D\n") << 1 << "unknown key \"titel\" in the scenario; did you mean \"title\"?";
        QTest::newRow("unknown key in a section")
            << QByteArray("title: T\ndescription: D\nserver:\n  sutes: [TLS_RSA_WITH_AES_128_CBC_SHA]\n") << 4
            << "unknown key \"sutes\" in server; did you mean \"suites\"?";
        QTest::newRow("given twice") << QByteArray("title: T\ndescription: D\ntitle: U\n") << 3 << "\"title\" is given twice";
        QTest::newRow("wrong type") << QByteArray("title: T\ndescription: D\nclient: 5\n") << 3
                                    << "client must be a mapping";
        QTest::newRow("not YAML") << QByteArray("title: T\ndescription: [D\n") << 3 << "not valid YAML";
        QTest::newRow("empty file") << QByteArray("") << 0 << "the file is empty";
        QTest::newRow("no title") << QByteArray("description: D\n") << 1 << "no title";
        QTest::newRow("unknown suite")
            << QByteArray("title: T\ndescription: D\nserver:\n  suites:\n    - TLS_RSA_WITH_AES_128_CBC_SHA\n"
                          "    - TLS_RSA_WITH_AES_128_CBC_SHA2\n")
            << 6 << "unknown cipher suite \"TLS_RSA_WITH_AES_128_CBC_SHA2\" in server.suites; did you mean";
        QTest::newRow("unknown version") << QByteArray("title: T\ndescription: D\nclient:\n  max_version: tls1.3\n") << 4
                                         << "client.max_version must be ssl3, tls1.0, tls1.1 or tls1.2, got \"tls1.3\"";
        QTest::newRow("min above max")
            << QByteArray("title: T\ndescription: D\nserver:\n  min_version: tls1.2\n  max_version: tls1.0\n") << 4
            << "server: the minimum version TLS 1.2 is above the maximum TLS 1.0";
        QTest::newRow("unknown identity")
            << QByteArray("title: T\ndescription: D\nserver:\n  certificates: [server-rsaa]\n") << 4
            << "unknown demo identity \"server-rsaa\" for a server certificate; did you mean \"server-rsa\"?";
        QTest::newRow("missing PEM file")
            << QByteArray("title: T\ndescription: D\nserver:\n  certificates:\n    - chain: nowhere.pem\n"
                          "      key: nowhere.key\n")
            << 5 << "cannot read";
        QTest::newRow("unknown CA") << QByteArray("title: T\ndescription: D\nclient:\n  trust: [rot-ca]\n") << 4
                                    << "unknown CA \"rot-ca\" in client.trust; did you mean \"root-ca\"?";
        QTest::newRow("client auth mode")
            << QByteArray("title: T\ndescription: D\nserver:\n  client_auth: maybe\n") << 4
            << "server.client_auth must be none, optional or required";
        QTest::newRow("unknown message")
            << QByteArray("title: T\ndescription: D\nattacker:\n  - message: ServerKeyExchang\n    drop: true\n") << 4
            << "unknown message \"ServerKeyExchang\" in an attacker rule; did you mean \"ServerKeyExchange\"?";
        QTest::newRow("a message never sent: RSA key transport")
            << QByteArray("title: T\ndescription: D\nserver:\n  suites: [TLS_RSA_WITH_AES_128_CBC_SHA]\nattacker:\n"
                          "  - message: ServerKeyExchange\n    flip: signature\n")
            << 6 << "ServerKeyExchange is never sent here: every suite the server accepts uses RSA key transport";
        QTest::newRow("a message never sent: no client authentication")
            << QByteArray("title: T\ndescription: D\nattacker:\n  - message: CertificateVerify\n    drop: true\n") << 4
            << "the server does not ask for a client certificate";
        QTest::newRow("the wrong sender") << QByteArray("title: T\ndescription: D\nattacker:\n  - message: ClientHello\n"
                                                        "    from: server\n    drop: true\n")
                                          << 4 << "ClientHello is sent only by the client, not the server";
        QTest::newRow("two actions") << QByteArray("title: T\ndescription: D\nattacker:\n  - message: Finished\n"
                                                   "    drop: true\n    replay: true\n")
                                     << 4 << "exactly one action";
        QTest::newRow("no action") << QByteArray("title: T\ndescription: D\nattacker:\n  - message: Finished\n") << 4
                                   << "found none";
        QTest::newRow("rewrite beyond ClientHello")
            << QByteArray("title: T\ndescription: D\nattacker:\n  - message: ServerHello\n    rewrite: {version: tls1.0}\n")
            << 4 << "rewrite works on ClientHello only";
        QTest::newRow("inject without content")
            << QByteArray("title: T\ndescription: D\nattacker:\n  - message: ClientHello\n    inject: {type: alert}\n") << 5
            << "inject needs either hex";
        QTest::newRow("inject bad hex")
            << QByteArray("title: T\ndescription: D\nattacker:\n  - message: ClientHello\n"
                          "    inject: {type: alert, hex: \"0g\"}\n")
            << 5 << "inject.hex must be hexadecimal bytes";
        QTest::newRow("delay of zero") << QByteArray("title: T\ndescription: D\nattacker:\n  - message: Certificate\n"
                                                     "    delay: 0\n")
                                       << 5 << "must be a whole number from 1 to 1000";
        QTest::newRow("unknown alert") << QByteArray("title: T\ndescription: D\nexpect: {alert: bad_mac, from: server}\n")
                                       << 3 << "unknown alert \"bad_mac\" in expect.alert; did you mean \"bad_record_mac\"?";
        QTest::newRow("expect spelled wrong") << QByteArray("title: T\ndescription: D\nexpect: complete\n") << 3
                                              << "expect must be completed";
        QTest::newRow("a note on a step never taken")
            << QByteArray("title: T\ndescription: D\nnotes:\n  steps:\n    - message: CertificateRequest\n"
                          "      text: Look.\n")
            << 5 << "CertificateRequest is never sent here";
        QTest::newRow("unknown revocation list")
            << QByteArray("title: T\ndescription: D\nclient:\n  crls: [intermediate-ca-stal]\n") << 4
            << "unknown revocation list \"intermediate-ca-stal\" in client.crls; did you mean \"intermediate-ca-stale\"?";
        QTest::newRow("resume by an unknown way")
            << QByteArray("title: T\ndescription: D\nresume:\n  by: cookie\n") << 4
            << "resume.by must be none, session_id or ticket";
        QTest::newRow("resume failure spelled wrong")
            << QByteArray("title: T\ndescription: D\nresume:\n  failure: expire\n") << 4
            << "resume.failure must be none, unknown_id, expired, different_suite, tampered_ticket or "
               "unknown_ticket_key";
        QTest::newRow("a tampered ticket without tickets")
            << QByteArray("title: T\ndescription: D\nresume:\n  by: session_id\n  failure: tampered_ticket\n") << 5
            << "resume.failure tampered_ticket needs resume.by: ticket";
        QTest::newRow("an unknown ID with tickets")
            << QByteArray("title: T\ndescription: D\nresume:\n  by: ticket\n  failure: unknown_id\n") << 5
            << "try unknown_ticket_key";
        QTest::newRow("a ticket note without tickets")
            << QByteArray("title: T\ndescription: D\nnotes:\n  steps:\n    - message: NewSessionTicket\n"
                          "      text: Look.\n")
            << 5 << "NewSessionTicket is never sent here";
        QTest::newRow("a renewed ticket without tickets")
            << QByteArray("title: T\ndescription: D\nresume:\n  renew_ticket: true\n") << 4
            << "resume.renew_ticket needs resume.by: ticket";
        QTest::newRow("renegotiate by nobody")
            << QByteArray("title: T\ndescription: D\nrenegotiate:\n  by: both\n") << 4
            << "renegotiate.by must be client (a new ClientHello) or server (HelloRequest)";
        QTest::newRow("server cannot ignore a renegotiation")
            << QByteArray("title: T\ndescription: D\nrenegotiate:\n  server: ignore\n") << 4
            << "renegotiate.server must be allow, allow_insecure, refuse, got \"ignore\"";
        QTest::newRow("renegotiation_info of a third party")
            << QByteArray("title: T\ndescription: D\nrenegotiate:\n  renegotiation_info: attacker\n") << 4
            << "renegotiate.renegotiation_info must be both, client, server or none";
        QTest::newRow("a prefix without the attack")
            << QByteArray("title: T\ndescription: D\nrenegotiate:\n  prefix: \"GET /\"\n") << 4
            << "used only with attack: splice";
        QTest::newRow("the attack with a schedule")
            << QByteArray("title: T\ndescription: D\nrenegotiate:\n  attack: splice\n  after: 2\n") << 4
            << "by, after and resume do not apply";
        QTest::newRow("renegotiate after too many")
            << QByteArray("title: T\ndescription: D\nrenegotiate:\n  after: 10001\n") << 4
            << "renegotiate.after must be a whole number from 0 to 10000";
        QTest::newRow("unknown key under resume")
            << QByteArray("title: T\ndescription: D\nresume:\n  after: 3\n") << 4 << "after";
        QTest::newRow("OCSP response kind spelled wrong")
            << QByteArray("title: T\ndescription: D\nserver:\n  ocsp: revokd\n") << 4
            << "unknown OCSP response \"revokd\" in server.ocsp; did you mean \"revoked\"?";
        QTest::newRow("client OCSP policy unknown")
            << QByteArray("title: T\ndescription: D\nclient:\n  ocsp: always\n") << 4
            << "client.ocsp must be off, request";
        QTest::newRow("a note on CertificateStatus nobody asked for")
            << QByteArray("title: T\ndescription: D\nnotes:\n  steps:\n    - message: CertificateStatus\n"
                          "      text: Look.\n")
            << 5 << "CertificateStatus is never sent here: the client does not ask for it (client.ocsp)";
        QTest::newRow("directory that is not LDIF")
            << QByteArray("title: T\ndescription: D\nserver:\n  directory: users.txt\n") << 4
            << "server.directory must be demo";
        QTest::newRow("directory file missing")
            << QByteArray("title: T\ndescription: D\nserver:\n  directory: nowhere.ldif\n") << 4
            << "cannot read";
        QTest::newRow("one certificate and several")
            << QByteArray("title: T\ndescription: D\nclient:\n  certificate: client\n  certificates: [client]\n")
            << 5 << "not both";
        QTest::newRow("boolean spelled wrong") << QByteArray("title: T\ndescription: D\nextended_master_secret: nope\n")
                                               << 3 << "extended_master_secret must be true or false";
    }
    void aBrokenFileNamesItsLineAndTheProblem()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, says);
        try {
            app::parseScenario(text.toStdString(), "lesson.yaml", QDir::tempPath().toStdString());
            QFAIL("a broken file loaded");
        } catch (const app::ScenarioFileError& e) {
            const QString what = QString::fromUtf8(e.what());
            QCOMPARE(e.line(), line);
            QVERIFY2(what.startsWith(line > 0 ? QStringLiteral("lesson.yaml:%1: ").arg(line) : QStringLiteral("lesson.yaml: ")),
                     qPrintable(what));
            QVERIFY2(what.contains(says), qPrintable(what));
        }
    }

    // A teacher's own certificates, as PEM files beside the scenario: the run uses them, really.
    void pemFilesBesideTheScenarioAreUsed()
    {
        QTemporaryDir dir;
        copyResource(QStringLiteral("server-ecdsa.chain.pem"), dir.filePath(QStringLiteral("my-server.pem")));
        copyResource(QStringLiteral("server-ecdsa.key.pem"), dir.filePath(QStringLiteral("my-server.key")));
        copyResource(QStringLiteral("root-ca.crt.pem"), dir.filePath(QStringLiteral("my-ca.pem")));
        const QString file = dir.filePath(QStringLiteral("mine.yaml"));
        write(file, "title: Mine\ndescription: My ECDSA server.\nclient:\n  trust: [my-ca.pem]\nserver:\n"
                    "  suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n"
                    "  certificates:\n    - {chain: my-server.pem, key: my-server.key}\n");
        const Scenario s = app::loadScenarioFile(file.toStdString());
        QCOMPARE(s.name, std::string("mine"));
        QCOMPARE(s.serverCredentials.size(), std::size_t(1));
        QCOMPARE(s.serverCredentials.front().chain.front().der, app::demoPki().serverEcdsa.chain.front().der);
        const Trace t = seeded(s);
        QVERIFY2(t.outcome.completed, outcomeSummary(t).c_str());

        // The same server, but the client trusts only a CA that did not issue it.
        copyResource(QStringLiteral("server-rsa.crt.pem"), dir.filePath(QStringLiteral("not-a-ca.pem")));
        write(file, "title: Mine\ndescription: D\nclient:\n  trust: [not-a-ca.pem]\nserver:\n"
                    "  suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n"
                    "  certificates:\n    - {chain: my-server.pem, key: my-server.key}\n");
        const Trace refused = seeded(app::loadScenarioFile(file.toStdString()));
        QVERIFY(!refused.outcome.completed);
        QCOMPARE(refused.outcome.alertFrom, Side::Client);
    }

    void aNonexistentFileIsAnErrorNamingIt()
    {
        try {
            app::loadScenarioFile("/nonexistent/lesson.yaml");
            QFAIL("loaded");
        } catch (const app::ScenarioFileError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(QStringLiteral("/nonexistent/lesson.yaml: cannot read")), e.what());
        }
    }

    // The user's folder: good files join the library, broken ones are listed with their error, names stay unique.
    void theUserFolderJoinsTheLibrary()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("monday.yaml")), "title: Monday\ndescription: D\ntopic: Week 1\n");
        write(dir.filePath(QStringLiteral("broken.yaml")), "title: B\ndescription: D\nserver: {suites: [NOPE]}\n");
        write(dir.filePath(QStringLiteral("default.yaml")), kMinimal);
        qputenv("HANDSHAKELAB_SCENARIO_DIR", dir.path().toUtf8());
        const std::vector<app::ScenarioEntry> all = app::scenarioLibrary();
        qunsetenv("HANDSHAKELAB_SCENARIO_DIR");
        const auto find = [&](const std::string& file) -> const app::ScenarioEntry* {
            for (const app::ScenarioEntry& e : all)
                if (e.path == dir.path().toStdString() + file)
                    return &e;
            return nullptr;
        };
        QVERIFY(find("/monday.yaml") && find("/monday.yaml")->error.empty());
        QCOMPARE(find("/monday.yaml")->scenario.topic, std::string("Week 1"));
        QVERIFY(find("/broken.yaml"));
        QVERIFY2(QString::fromStdString(find("/broken.yaml")->error).contains(QStringLiteral("broken.yaml:3: unknown cipher suite")),
                 find("/broken.yaml")->error.c_str());
        QVERIFY2(QString::fromStdString(find("/default.yaml")->error).contains(QStringLiteral("already used by a shipped scenario")),
                 find("/default.yaml")->error.c_str());
    }

    void theCommandLineListsRunsAndChecksFiles()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("lesson.yaml")),
              "title: Lesson\ndescription: Forged signature.\ntopic: Week 2\nattacker:\n"
              "  - message: ServerKeyExchange\n    flip: signature\nexpect: {alert: decrypt_error, from: client}\n");
        write(dir.filePath(QStringLiteral("typo.yaml")), "title: T\ndescription: D\nserver:\n  prefrence: client\n");

        const Result list = command({QStringLiteral("scenarios")}, dir.path());
        QCOMPARE(list.code, 0);
        QVERIFY2(list.out.contains(QStringLiteral("Week 2\n  lesson")), qPrintable(list.out));
        QVERIFY2(list.out.contains(QStringLiteral("typo.yaml:4: unknown key \"prefrence\"")), qPrintable(list.out));
        QVERIFY(list.out.count(QLatin1Char('\n')) >= 30);

        // By name from the user's folder, and by path: the declared failure is success.
        QCOMPARE(command({QStringLiteral("run"), QStringLiteral("lesson"), QStringLiteral("--seed"), QStringLiteral("1")}, dir.path()).code, 0);
        QCOMPARE(command({QStringLiteral("run"), dir.filePath(QStringLiteral("lesson.yaml"))}).code, 0);

        const Result good = command({QStringLiteral("check"), dir.filePath(QStringLiteral("lesson.yaml"))});
        QCOMPARE(good.code, 0);
        QVERIFY2(good.out.contains(QStringLiteral("ok: Lesson (expects decrypt_error from the client)")), qPrintable(good.out));

        const Result bad = command({QStringLiteral("check"), dir.filePath(QStringLiteral("lesson.yaml")),
                               dir.filePath(QStringLiteral("typo.yaml"))});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains(dir.filePath(QStringLiteral("typo.yaml")) +
                                  QStringLiteral(":4: unknown key \"prefrence\" in server; did you mean \"preference\"?")),
                 qPrintable(bad.err));

        // What only a run can tell: a field the message does not have, an outcome other than the one declared.
        write(dir.filePath(QStringLiteral("nofield.yaml")),
              "title: T\ndescription: D\nattacker:\n  - message: ServerHello\n    flip: signature\n");
        const Result field = command({QStringLiteral("check"), dir.filePath(QStringLiteral("nofield.yaml"))});
        QCOMPARE(field.code, 2);
        QVERIFY2(field.err.contains(QStringLiteral("nofield.yaml:4: interceptor rule not applied: flip a bit of the last "
                                                   "byte of ServerHello's signature: the message has no field \"signature\"")),
                 qPrintable(field.err));
        write(dir.filePath(QStringLiteral("hopeful.yaml")), "title: T\ndescription: D\nexpect: {alert: unknown_ca, from: client}\n");
        const Result hopeful = command({QStringLiteral("check"), dir.filePath(QStringLiteral("hopeful.yaml"))});
        QCOMPARE(hopeful.code, 2);
        QVERIFY2(hopeful.err.contains(QStringLiteral("hopeful.yaml: a seeded run does not end as the file declares: expected "
                                                     "the client to send unknown_ca, but the handshake completed")),
                 qPrintable(hopeful.err));

        const Result runBad = command({QStringLiteral("run"), dir.filePath(QStringLiteral("typo.yaml"))});
        QCOMPARE(runBad.code, 2);
        QVERIFY2(runBad.err.contains(QStringLiteral("typo.yaml:4:")), qPrintable(runBad.err));
        QCOMPARE(runBad.out, QString());
    }
};

QTEST_MAIN(TestScenarioFiles)
#include "test_scenario_files.moc"
