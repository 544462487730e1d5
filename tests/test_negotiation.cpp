// Version and suite negotiation as a table (RFC 5246 §7.4.1.3, App. E.1): for each pair of version ranges, suite
// lists and preference, the version and suite the two sides settle on, or the exact alert and who sent it. Then the
// two downgrade defences, each shown to trigger exactly when it should: TLS_FALLBACK_SCSV (RFC 7507) and the
// "DOWNGRD" sentinel in ServerHello.random (RFC 8446 §4.1.3). All in memory, seeded: every row replays exactly.
#include "pki.h"
#include "session_support.h"

#include "crypto/cipher_suite.h"
#include "crypto/rng.h"
#include "session/session.h"
#include "session/version_rules.h"

#include <QTest>

#include <algorithm>

using namespace hl;

Q_DECLARE_METATYPE(hl::ProtocolVersion)

namespace {

using hltest::kDemoNow;

std::vector<std::uint16_t> suiteIds(const QStringList& names)
{
    std::vector<std::uint16_t> ids;
    for (const QString& n : names) {
        const CipherSuite* s = findCipherSuite(n.toStdString());
        if (!s)
            qFatal("the table names an unknown suite %s", qPrintable(n));
        ids.push_back(s->id);
    }
    return ids;
}

Bytes secretOf(const Trace& t, Side side, const std::string& name)
{
    for (const TraceEvent& e : t.events())
        if (const auto* s = std::get_if<SecretEvent>(&e); s && s->side == side && s->name == name)
            return s->value;
    return {};
}

bool sentAlert(const Trace& t, Side side, AlertDescription d)
{
    for (const TraceEvent& e : t.events())
        if (const auto* a = std::get_if<AlertEvent>(&e);
            a && a->sent && a->side == side && a->description == static_cast<std::uint8_t>(d))
            return true;
    return false;
}

QString outcomeText(const Trace& t)
{
    return QString::fromStdString(outcomeSummary(t));
}

// A scenario built here, not taken from the built-in list, so each row says everything that decides its answer.
Scenario scenarioFor(ProtocolVersion clientMin, ProtocolVersion clientMax, ProtocolVersion serverMin,
                     ProtocolVersion serverMax, const QStringList& clientSuites, const QStringList& serverSuites)
{
    Scenario s;
    s.name = "negotiation-table";
    s.clientMinVersion = clientMin;
    s.clientMaxVersion = clientMax;
    s.serverMinVersion = serverMin;
    s.serverMaxVersion = serverMax;
    s.clientSuites = suiteIds(clientSuites);
    s.serverSuites = suiteIds(serverSuites);
    return s;
}

Trace run(const Scenario& s, std::uint64_t seed = 7)
{
    RunOptions o;
    o.seed = seed;
    o.now = kDemoNow;
    return runScenario(s, app::demoPki(), o);
}

// Runs the scenario with the endpoint configurations adjusted by `tweak`, for options a scenario does not carry.
template <typename Tweak>
Trace runTweaked(const Scenario& s, Interceptor* interceptor, Tweak tweak)
{
    SeededRng clientRng(7, "client"), serverRng(7, "server");
    EndpointConfig c = clientConfigFor(s, app::demoPki(), kDemoNow);
    EndpointConfig sv = serverConfigFor(s, app::demoPki(), kDemoNow);
    tweak(c, sv);
    Session session(std::move(c), std::move(sv), clientRng, serverRng);
    session.pipe().setInterceptor(interceptor);
    session.runScript(s);
    return std::move(session.trace());
}

// Rewrites ClientHello.client_version on the wire, as an attacker forcing a lower version would. The field is found
// from the record's own bytes: a handshake record (22) whose first message is a ClientHello (1), its version after
// the 5-byte record header and the 4-byte handshake header (RFC 5246 §6.2.1, §7.4).
class ClientVersionRewriter : public Interceptor {
public:
    explicit ClientVersionRewriter(ProtocolVersion to) : m_to(to) {}
    InterceptAction onRecord(Side from, std::size_t, Bytes& record, std::string& note) override
    {
        if (from != Side::Client || record.size() < 11 || record[0] != 22 || record[5] != 1)
            return InterceptAction::Pass;
        m_seenVersion = static_cast<ProtocolVersion>(record[9] << 8 | record[10]);
        record[9] = static_cast<std::uint8_t>(m_to >> 8);
        record[10] = static_cast<std::uint8_t>(m_to & 0xff);
        ++m_rewrites;
        note = "ClientHello.client_version rewritten to " + versionWireText(m_to);
        return InterceptAction::Pass;
    }
    ProtocolVersion m_to;
    ProtocolVersion m_seenVersion = 0;
    int m_rewrites = 0;
};

const QStringList kCbcAndGcm{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                             "TLS_RSA_WITH_AES_128_CBC_SHA"};

} // namespace

class TestNegotiation : public QObject {
    Q_OBJECT
private slots:
    void table_data()
    {
        QTest::addColumn<ProtocolVersion>("clientMin");
        QTest::addColumn<ProtocolVersion>("clientMax");
        QTest::addColumn<ProtocolVersion>("serverMin");
        QTest::addColumn<ProtocolVersion>("serverMax");
        QTest::addColumn<QStringList>("clientSuites");
        QTest::addColumn<QStringList>("serverSuites");
        QTest::addColumn<bool>("serverPreference");
        // Expected: the version and suite (0 / empty when the run fails), or the alert and its sender.
        QTest::addColumn<ProtocolVersion>("version");
        QTest::addColumn<QString>("suite");
        QTest::addColumn<int>("alert");
        QTest::addColumn<QString>("alertFrom");
        // Words the failure's explanation must contain.
        QTest::addColumn<QStringList>("explains");

        const auto ok = [](const char* name, ProtocolVersion cMin, ProtocolVersion cMax, ProtocolVersion sMin,
                           ProtocolVersion sMax, QStringList cs, QStringList ss, bool serverPref, ProtocolVersion v,
                           QString suite) {
            QTest::newRow(name) << cMin << cMax << sMin << sMax << cs << ss << serverPref << v << suite << 0
                                << QString() << QStringList();
        };
        const auto fails = [](const char* name, ProtocolVersion cMin, ProtocolVersion cMax, ProtocolVersion sMin,
                              ProtocolVersion sMax, QStringList cs, QStringList ss, AlertDescription alert,
                              QString from, QStringList explains) {
            QTest::newRow(name) << cMin << cMax << sMin << sMax << cs << ss << true << ProtocolVersion(0)
                                << QString() << static_cast<int>(alert) << from << explains;
        };
        const QStringList aes{"TLS_RSA_WITH_AES_128_CBC_SHA"};
        const QStringList gcm{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"};

        // The highest version both support (RFC 5246 App. E.1).
        ok("both 1.0-1.2: TLS 1.2", kTls10, kTls12, kTls10, kTls12, kCbcAndGcm, kCbcAndGcm, true, kTls12,
           "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        ok("client up to 1.2, server stops at 1.1", kTls10, kTls12, kTls10, kTls11, aes, aes, true, kTls11,
           "TLS_RSA_WITH_AES_128_CBC_SHA");
        ok("client up to 1.2, server stops at 1.0", kSsl30, kTls12, kSsl30, kTls10, aes, aes, true, kTls10,
           "TLS_RSA_WITH_AES_128_CBC_SHA");
        ok("server up to 1.2, client stops at 1.1", kTls10, kTls11, kTls10, kTls12, aes, aes, true, kTls11,
           "TLS_RSA_WITH_AES_128_CBC_SHA");
        ok("server up to 1.2, client stops at 1.0", kTls10, kTls10, kSsl30, kTls12, aes, aes, true, kTls10,
           "TLS_RSA_WITH_AES_128_CBC_SHA");
        ok("SSL 3.0 both", kSsl30, kSsl30, kSsl30, kTls12, aes, aes, true, kSsl30, "TLS_RSA_WITH_AES_128_CBC_SHA");
        ok("SSL 3.0 client, server down to SSL 3.0", kSsl30, kSsl30, kSsl30, kTls10, aes, aes, true, kSsl30,
           "TLS_RSA_WITH_AES_128_CBC_SHA");

        // Suites the negotiated version does not allow are passed over (RFC 5246 App. A.5: AEAD needs TLS 1.2).
        ok("GCM offered to a TLS 1.1 server: CBC chosen", kTls10, kTls12, kTls10, kTls11, kCbcAndGcm, kCbcAndGcm,
           true, kTls11, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        ok("ECDHE passed over in SSL 3.0", kSsl30, kTls12, kSsl30, kSsl30,
           {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"},
           {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"}, true, kSsl30,
           "TLS_RSA_WITH_AES_128_CBC_SHA");

        // Whose order decides.
        const QStringList rsaFirst{"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"};
        const QStringList ecdheFirst{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"};
        ok("server preference: the server's first", kTls12, kTls12, kTls12, kTls12, rsaFirst, ecdheFirst, true,
           kTls12, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        ok("client preference: the client's first", kTls12, kTls12, kTls12, kTls12, rsaFirst, ecdheFirst, false,
           kTls12, "TLS_RSA_WITH_AES_128_CBC_SHA");
        ok("server preference, other way round", kTls12, kTls12, kTls12, kTls12, ecdheFirst, rsaFirst, true, kTls12,
           "TLS_RSA_WITH_AES_128_CBC_SHA");
        ok("client preference, other way round", kTls12, kTls12, kTls12, kTls12, ecdheFirst, rsaFirst, false, kTls12,
           "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        ok("client preference skips a suite the version forbids", kTls10, kTls12, kTls10, kTls11, kCbcAndGcm,
           kCbcAndGcm, false, kTls11, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");

        // The legacy suites at the versions they belong to.
        ok("RC4-MD5 at TLS 1.0", kTls10, kTls10, kTls10, kTls10, {"TLS_RSA_WITH_RC4_128_MD5"},
           {"TLS_RSA_WITH_RC4_128_MD5"}, true, kTls10, "TLS_RSA_WITH_RC4_128_MD5");
        ok("RC4-SHA at SSL 3.0", kSsl30, kSsl30, kSsl30, kSsl30, {"TLS_RSA_WITH_RC4_128_SHA"},
           {"TLS_RSA_WITH_RC4_128_SHA"}, true, kSsl30, "TLS_RSA_WITH_RC4_128_SHA");
        ok("3DES at TLS 1.1", kTls11, kTls11, kTls10, kTls12, {"TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
           {"TLS_RSA_WITH_3DES_EDE_CBC_SHA"}, true, kTls11, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        ok("DHE-RSA at TLS 1.0", kTls10, kTls10, kTls10, kTls10, {"TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
           {"TLS_DHE_RSA_WITH_AES_128_CBC_SHA"}, true, kTls10, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
        ok("ECDHE-ECDSA at TLS 1.1", kTls10, kTls11, kTls10, kTls11, {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
           {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"}, true, kTls11, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");

        // No version in common: the server refuses a client entirely below its range; a client refuses a server
        // answering below the client's range.
        fails("client 1.0 only, server 1.2 only", kTls10, kTls10, kTls12, kTls12, aes, aes,
              AlertDescription::ProtocolVersion, "server", {"TLS 1.0", "TLS 1.2"});
        fails("SSL 3.0 client, TLS server", kSsl30, kSsl30, kTls10, kTls12, aes, aes,
              AlertDescription::ProtocolVersion, "server", {"SSL 3.0", "TLS 1.0"});
        fails("client 1.2 only, server stops at 1.0", kTls12, kTls12, kTls10, kTls10, aes, aes,
              AlertDescription::ProtocolVersion, "client", {"TLS 1.0", "TLS 1.2"});
        fails("client 1.1-1.2, server stops at 1.0", kTls11, kTls12, kSsl30, kTls10, aes, aes,
              AlertDescription::ProtocolVersion, "client", {"TLS 1.0", "TLS 1.1"});

        // No suite in common: handshake_failure, the explanation naming both lists.
        fails("no suite in common", kTls12, kTls12, kTls12, kTls12, gcm,
              {"TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"}, AlertDescription::HandshakeFailure,
              "server",
              {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"});
        fails("only GCM in common, TLS 1.1 negotiated", kTls10, kTls12, kTls10, kTls11, gcm, gcm,
              AlertDescription::HandshakeFailure, "server",
              {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS 1.2", "TLS 1.1"});
        fails("only ECDHE in common, SSL 3.0 negotiated", kSsl30, kTls12, kSsl30, kSsl30,
              {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"}, {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
              AlertDescription::HandshakeFailure, "server", {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "SSL 3.0"});
    }
    void table()
    {
        QFETCH(ProtocolVersion, clientMin);
        QFETCH(ProtocolVersion, clientMax);
        QFETCH(ProtocolVersion, serverMin);
        QFETCH(ProtocolVersion, serverMax);
        QFETCH(QStringList, clientSuites);
        QFETCH(QStringList, serverSuites);
        QFETCH(bool, serverPreference);
        QFETCH(ProtocolVersion, version);
        QFETCH(QString, suite);
        QFETCH(int, alert);
        QFETCH(QString, alertFrom);
        QFETCH(QStringList, explains);

        Scenario s = scenarioFor(clientMin, clientMax, serverMin, serverMax, clientSuites, serverSuites);
        s.serverPreference = serverPreference;
        const Trace t = run(s);

        // The server records one negotiation, whatever the outcome.
        QCOMPARE(t.negotiations.size(), std::size_t{1});
        const Negotiation& n = t.negotiations.front();
        QCOMPARE(n.recordedBy, Side::Server);
        QCOMPARE(n.clientVersion, clientMax);
        QCOMPARE(n.serverMin, serverMin);
        QCOMPARE(n.serverMax, serverMax);
        QCOMPARE(n.serverPreference, serverPreference);
        // The client leaves out what its highest version cannot use (GCM in a TLS 1.1 offer), keeping its order.
        std::vector<std::uint16_t> usable;
        for (std::uint16_t id : suiteIds(clientSuites))
            if (findCipherSuite(id)->allowedWith(clientMax))
                usable.push_back(id);
        std::vector<std::uint16_t> offered;
        for (std::uint16_t id : n.offeredSuites)
            if (findCipherSuite(id))
                offered.push_back(id);
        QVERIFY(offered == usable);
        const QString versionRule = QString::fromStdString(n.versionRule);
        // The rule names what the client offered and the server's range.
        QVERIFY2(versionRule.contains(QString::fromStdString(versionName(clientMax))), qPrintable(versionRule));
        QVERIFY2(versionRule.contains(QString::fromStdString(versionName(serverMax))), qPrintable(versionRule));

        if (alert == 0) {
            QVERIFY2(t.outcome.completed, qPrintable(outcomeText(t)));
            QCOMPARE(t.version, version);
            QCOMPARE(QString::fromStdString(cipherSuiteName(t.cipherSuite)), suite);
            QCOMPARE(n.version, version);
            QCOMPARE(QString::fromStdString(cipherSuiteName(n.suite)), suite);
            QVERIFY2(versionRule.contains(QString::fromStdString(versionName(version))), qPrintable(versionRule));
            const QString suiteRule = QString::fromStdString(n.suiteRule);
            QVERIFY2(suiteRule.contains(suite), qPrintable(suiteRule));
            QVERIFY2(suiteRule.contains(serverPreference ? "server preference" : "client preference"),
                     qPrintable(suiteRule));
            // A suite both list but the version forbids is passed over, with why.
            for (const QString& c : clientSuites) {
                const CipherSuite* cs = findCipherSuite(c.toStdString());
                if (serverSuites.contains(c) && cs->allowedWith(clientMax) && !cs->allowedWith(version)) {
                    const bool named = std::any_of(n.passedOver.begin(), n.passedOver.end(), [&](const std::string& p) {
                        return QString::fromStdString(p).contains(c);
                    });
                    QVERIFY2(named, qPrintable(c + " is not among the suites passed over"));
                }
            }
            // RFC 5246 App. E.1: from ServerHello on, every record carries the negotiated version in its header; only
            // the ClientHello's record may say something else (3,1 or the client's lowest).
            const auto recs = hltest::records(t);
            QVERIFY(recs.size() > 4);
            for (std::size_t i = 1; i < recs.size(); ++i) {
                const ProtocolVersion onWire = static_cast<ProtocolVersion>(recs[i]->wire[1] << 8 | recs[i]->wire[2]);
                QVERIFY2(onWire == version, qPrintable(QString("record %1 says %2").arg(i).arg(onWire, 4, 16)));
            }
            // Both sides read each other's application data.
            bool serverRead = false, clientRead = false;
            for (const TraceEvent& e : t.events())
                if (const auto* d = std::get_if<ApplicationDataEvent>(&e))
                    (d->side == Side::Server ? serverRead : clientRead) = !d->data.empty();
            QVERIFY(serverRead && clientRead);
            return;
        }
        QVERIFY2(!t.outcome.completed, "the run completed but should have failed");
        QVERIFY2(t.outcome.alert == alert, qPrintable(outcomeText(t)));
        QCOMPARE(QString(sideName(t.outcome.alertFrom)), alertFrom);
        const Side from = alertFrom == "client" ? Side::Client : Side::Server;
        QVERIFY(sentAlert(t, from, static_cast<AlertDescription>(alert)));
        const QString reason = QString::fromStdString(t.outcome.reason);
        for (const QString& w : explains)
            QVERIFY2(reason.contains(w), qPrintable("\"" + w + "\" not in: " + reason));
        if (alert == static_cast<int>(AlertDescription::HandshakeFailure)) {
            QCOMPARE(n.suite, std::uint16_t{0});
            QVERIFY(!n.suiteRule.empty());
        }
        if (alert == static_cast<int>(AlertDescription::ProtocolVersion) && from == Side::Server) {
            QCOMPARE(n.version, ProtocolVersion{0});
            QVERIFY2(versionRule.contains("no version in common"), qPrintable(versionRule));
        }
    }

    // A client whose every suite needs a later version than its own best refuses to start: nothing goes on the wire.
    void clientWithNoSuiteForItsVersionSendsNothing()
    {
        const Trace t = run(scenarioFor(kSsl30, kSsl30, kSsl30, kTls12, {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
                                        {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"}));
        QVERIFY(!t.outcome.completed);
        QCOMPARE(t.outcome.alert, static_cast<std::uint8_t>(AlertDescription::HandshakeFailure));
        QCOMPARE(t.outcome.alertFrom, Side::Client);
        QVERIFY2(QString::fromStdString(t.outcome.reason).contains("SSL 3.0"), t.outcome.reason.c_str());
        QVERIFY(t.negotiations.empty());
        for (const RecordEvent* r : hltest::records(t))
            QVERIFY(r->contentType != 22);
    }

    // RFC 6101 §5.6.6: an SSL 3.0 client asked for a certificate it does not have answers with the warning alert
    // no_certificate (41); a server that only requests goes on, one that requires refuses with handshake_failure.
    void ssl3ClientWithoutCertificate_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("hasCertificate");
        QTest::addColumn<bool>("completes");
        QTest::newRow("requested, none: no_certificate, completes")
            << static_cast<int>(ClientAuthMode::Request) << false << true;
        QTest::newRow("required, none: no_certificate, handshake_failure")
            << static_cast<int>(ClientAuthMode::Require) << false << false;
        QTest::newRow("required, has one: Certificate and CertificateVerify")
            << static_cast<int>(ClientAuthMode::Require) << true << true;
    }
    void ssl3ClientWithoutCertificate()
    {
        QFETCH(int, mode);
        QFETCH(bool, hasCertificate);
        QFETCH(bool, completes);
        Scenario s = scenarioFor(kSsl30, kSsl30, kSsl30, kTls12, {"TLS_RSA_WITH_AES_128_CBC_SHA"},
                                 {"TLS_RSA_WITH_AES_128_CBC_SHA"});
        s.clientAuth = static_cast<ClientAuthMode>(mode);
        s.clientHasCertificate = hasCertificate;
        const Trace t = run(s);
        QCOMPARE(t.version, kSsl30);
        QCOMPARE(t.outcome.completed, completes);
        QCOMPARE(sentAlert(t, Side::Client, AlertDescription::NoCertificate), !hasCertificate);
        bool sawCertificateVerify = false;
        for (const RecordEvent* r : hltest::records(t))
            for (const MessageInfo& m : r->messages)
                if (r->from == Side::Client && m.name == "CertificateVerify")
                    sawCertificateVerify = true;
        QCOMPARE(sawCertificateVerify, hasCertificate);
        // The client's skipped Certificate says why in SSL 3.0's terms, not "the server did not ask".
        bool skipNamesTheAlert = false;
        for (const TraceEvent& e : t.events())
            if (const auto* sk = std::get_if<SkippedStepEvent>(&e);
                sk && sk->sender == Side::Client && sk->message == "Certificate")
                skipNamesTheAlert = sk->reason.find("no_certificate alert") != std::string::npos;
        QCOMPARE(skipNamesTheAlert, !hasCertificate);
        if (!completes) {
            QCOMPARE(t.outcome.alert, static_cast<std::uint8_t>(AlertDescription::HandshakeFailure));
            QCOMPARE(t.outcome.alertFrom, Side::Server);
        }
    }

    // RFC 7507 §3: a server refuses a retry marked TLS_FALLBACK_SCSV only when it could have done better.
    void fallbackScsv_data()
    {
        QTest::addColumn<ProtocolVersion>("clientMax");
        QTest::addColumn<ProtocolVersion>("serverMax");
        QTest::addColumn<bool>("scsv");
        QTest::addColumn<bool>("refused");
        QTest::newRow("SCSV at 1.1, server up to 1.2: refused") << kTls11 << kTls12 << true << true;
        QTest::newRow("SCSV at 1.0, server up to 1.1: refused") << kTls10 << kTls11 << true << true;
        QTest::newRow("SCSV at 1.0, server up to 1.2: refused") << kTls10 << kTls12 << true << true;
        QTest::newRow("SCSV at 1.1, server up to 1.1: completes") << kTls11 << kTls11 << true << false;
        QTest::newRow("SCSV at 1.2, server up to 1.2: completes") << kTls12 << kTls12 << true << false;
        QTest::newRow("SCSV at 1.2, server up to 1.1: completes") << kTls12 << kTls11 << true << false;
        QTest::newRow("no SCSV at 1.1, server up to 1.2: completes") << kTls11 << kTls12 << false << false;
    }
    void fallbackScsv()
    {
        QFETCH(ProtocolVersion, clientMax);
        QFETCH(ProtocolVersion, serverMax);
        QFETCH(bool, scsv);
        QFETCH(bool, refused);
        Scenario s = scenarioFor(kTls10, clientMax, kTls10, serverMax, kCbcAndGcm, kCbcAndGcm);
        s.fallbackScsv = scsv;
        const Trace t = run(s);
        if (!refused) {
            QVERIFY2(t.outcome.completed, qPrintable(outcomeText(t)));
            QCOMPARE(t.version, std::min(clientMax, serverMax));
            return;
        }
        QVERIFY2(!t.outcome.completed, "a fallback the server could have bettered was accepted");
        QCOMPARE(t.outcome.alert, static_cast<std::uint8_t>(AlertDescription::InappropriateFallback));
        QCOMPARE(t.outcome.alert, std::uint8_t{86});
        QCOMPARE(t.outcome.alertFrom, Side::Server);
        QVERIFY(sentAlert(t, Side::Server, AlertDescription::InappropriateFallback));
        // Refused before any ServerHello.
        for (const RecordEvent* r : hltest::records(t))
            for (const MessageInfo& m : r->messages)
                QVERIFY(m.name != "ServerHello");
        QVERIFY(QString::fromStdString(t.negotiations.front().versionRule).contains("TLS_FALLBACK_SCSV"));
    }

    // RFC 8446 §4.1.3: the sentinel appears exactly when a server able to do TLS 1.2 answers below it.
    void sentinelOnlyWhenTheServerCouldDoBetter_data()
    {
        QTest::addColumn<ProtocolVersion>("clientMax");
        QTest::addColumn<ProtocolVersion>("serverMax");
        QTest::addColumn<bool>("sentinel");
        QTest::newRow("client 1.1, server up to 1.2: sentinel") << kTls11 << kTls12 << true;
        QTest::newRow("client 1.0, server up to 1.2: sentinel") << kTls10 << kTls12 << true;
        QTest::newRow("client 1.2, server up to 1.1: none") << kTls12 << kTls11 << false;
        QTest::newRow("client 1.1, server up to 1.1: none") << kTls11 << kTls11 << false;
        QTest::newRow("client 1.2, server up to 1.2: none") << kTls12 << kTls12 << false;
    }
    void sentinelOnlyWhenTheServerCouldDoBetter()
    {
        QFETCH(ProtocolVersion, clientMax);
        QFETCH(ProtocolVersion, serverMax);
        QFETCH(bool, sentinel);
        const Trace t = run(scenarioFor(kTls10, clientMax, kTls10, serverMax, kCbcAndGcm, kCbcAndGcm));
        // The client never checks the sentinel when it did not offer TLS 1.2 itself, so every row completes.
        QVERIFY2(t.outcome.completed, qPrintable(outcomeText(t)));
        const Bytes random = secretOf(t, Side::Server, "server_random");
        QCOMPARE(random.size(), std::size_t{32});
        const Bytes downgrd{0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00};
        QCOMPARE(std::equal(downgrd.begin(), downgrd.end(), random.end() - 8), sentinel);
        QCOMPARE(hasDowngradeSentinel(random), sentinel);
        // What the client read in ServerHello is the same random.
        QCOMPARE(secretOf(t, Side::Client, "server_random"), random);
    }

    // An attacker rewrites the ClientHello's version from 3,3 to 3,1. The sentinel lets the client see it at
    // ServerHello; without the sentinel check, the Finished exchange still catches the tampered transcript.
    void rewrittenClientVersion_data()
    {
        QTest::addColumn<QString>("suite");
        QTest::addColumn<bool>("clientChecksSentinel");
        QTest::addColumn<int>("alert");
        QTest::addColumn<QString>("alertFrom");
        QTest::newRow("sentinel checked: illegal_parameter at ServerHello")
            << "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" << true << static_cast<int>(AlertDescription::IllegalParameter)
            << "client";
        QTest::newRow("sentinel ignored: decrypt_error at Finished")
            << "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" << false << static_cast<int>(AlertDescription::DecryptError)
            << "server";
        // RFC 5246 §7.4.7.1: the server takes the pre-master secret's first two bytes from ClientHello.client_version,
        // so with RSA key transport the rewrite already splits the keys: the Finished record does not decrypt.
        QTest::newRow("sentinel ignored, RSA: bad_record_mac at Finished")
            << "TLS_RSA_WITH_AES_128_CBC_SHA" << false << static_cast<int>(AlertDescription::BadRecordMac) << "server";
        QTest::newRow("sentinel checked, RSA: illegal_parameter at ServerHello")
            << "TLS_RSA_WITH_AES_128_CBC_SHA" << true << static_cast<int>(AlertDescription::IllegalParameter)
            << "client";
    }
    void rewrittenClientVersion()
    {
        QFETCH(QString, suite);
        QFETCH(bool, clientChecksSentinel);
        QFETCH(int, alert);
        QFETCH(QString, alertFrom);
        // No extended master secret, so with ECDHE (whose pre-master secret carries no version) both sides derive the
        // same keys and only the Finished exchange can tell.
        Scenario s = scenarioFor(kTls10, kTls12, kTls10, kTls12, {suite}, {suite});
        s.extendedMasterSecret = false;
        ClientVersionRewriter attacker(kTls10);
        const Trace t = runTweaked(s, &attacker, [&](EndpointConfig& c, EndpointConfig&) {
            c.downgradeSentinel = clientChecksSentinel;
        });
        QCOMPARE(attacker.m_rewrites, 1);
        QCOMPARE(attacker.m_seenVersion, kTls12);
        QCOMPARE(t.negotiations.front().clientVersion, kTls10);
        QCOMPARE(t.negotiations.front().version, kTls10);
        QVERIFY(hasDowngradeSentinel(secretOf(t, Side::Server, "server_random")));
        QVERIFY2(!t.outcome.completed, "the downgrade went unnoticed");
        QVERIFY2(t.outcome.alert == alert, qPrintable(outcomeText(t)));
        QCOMPARE(QString(sideName(t.outcome.alertFrom)), alertFrom);

        // Where it was caught: which messages the client sent.
        bool clientSentFinished = false, clientSentKeyExchange = false;
        for (const RecordEvent* r : hltest::records(t)) {
            if (r->from != Side::Client)
                continue;
            for (const MessageInfo& m : r->messages)
                clientSentKeyExchange |= m.name == "ClientKeyExchange";
            clientSentFinished |= r->contentType == 22 && r->isProtected;
        }
        if (clientChecksSentinel) {
            QVERIFY2(!clientSentKeyExchange && !clientSentFinished, "the client went past ServerHello");
            QVERIFY(QString::fromStdString(t.outcome.reason).contains("DOWNGRD"));
        } else {
            QVERIFY(clientSentKeyExchange && clientSentFinished);
        }
    }

    // The same rewrite against a server that stops at TLS 1.1 carries no sentinel; a client checking for it goes on
    // to Finished, which fails. (The sentinel protects only what the server could have done.)
    void rewriteAgainstATls11ServerIsCaughtByFinished()
    {
        Scenario s = scenarioFor(kTls10, kTls12, kTls10, kTls11, {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
                                 {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"});
        s.extendedMasterSecret = false;
        ClientVersionRewriter attacker(kTls10);
        const Trace t = runTweaked(s, &attacker, [](EndpointConfig&, EndpointConfig&) {});
        QCOMPARE(attacker.m_rewrites, 1);
        QVERIFY(!hasDowngradeSentinel(secretOf(t, Side::Server, "server_random")));
        QVERIFY(!t.outcome.completed);
        QVERIFY2(t.outcome.alert == static_cast<std::uint8_t>(AlertDescription::DecryptError), qPrintable(outcomeText(t)));
        QCOMPARE(t.outcome.alertFrom, Side::Server);
    }
};

QTEST_GUILESS_MAIN(TestNegotiation)
#include "test_negotiation.moc"
