// Trust: every client-authentication outcome, every way the server's certificate can fail, and revocation by CRL,
// each with the alert OpenSSL sends and the side that sends it; CRL parsing and checking on their own; and the same
// outcomes against OpenSSL over loopback, which is the judge of which alert is right.
#include "pki.h"
#include "scenario_library.h"
#include "session_support.h"

#include "interop_support.h"

#include "crypto/rng.h"
#include "session/scenario.h"
#include "session/session.h"
#include "x509/certificate_builder.h"
#include "x509/crl.h"
#include "x509/der.h"
#include "x509/pem.h"
#include "x509/verify.h"

#include <QDateTime>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace hl;

Q_DECLARE_METATYPE(hl::Side)

namespace {

using hltest::kDemoNow;

const std::int64_t k2025March = der::unixFromCivil({2025, 3, 1, 0, 0, 0});

const CertificateCheckEvent* firstFailedCheck(const Trace& t)
{
    for (const TraceEvent& e : t.events())
        if (const auto* c = std::get_if<CertificateCheckEvent>(&e); c && !c->passed)
            return c;
    return nullptr;
}

std::vector<const CertificateCheckEvent*> checksNamed(const Trace& t, Side side, const std::string& check)
{
    std::vector<const CertificateCheckEvent*> out;
    for (const TraceEvent& e : t.events())
        if (const auto* c = std::get_if<CertificateCheckEvent>(&e); c && c->side == side && c->check == check)
            out.push_back(c);
    return out;
}

bool hasState(const Trace& t, Side side, const std::string& state)
{
    for (const TraceEvent& e : t.events())
        if (const auto* s = std::get_if<StateEvent>(&e); s && s->side == side && s->state == state)
            return true;
    return false;
}

bool sent(const Trace& t, Side side, const std::string& message)
{
    for (const RecordEvent* r : hltest::records(t))
        if (r->from == side)
            for (const MessageInfo& m : r->messages)
                if (m.name == message)
                    return true;
    return false;
}

Trace runAt(const std::string& scenario, std::int64_t now, std::optional<std::uint64_t> seed = 7)
{
    RunOptions o;
    o.seed = seed;
    o.now = now;
    return runScenario(*app::findScenario(scenario), app::demoPki(), o);
}

const Credential& credential(const char* name)
{
    const Credential* c = app::demoCredential(name);
    if (!c)
        qFatal("no demo credential %s", name);
    return *c;
}

const Crl& demoCrl(const char* name)
{
    const Crl* c = app::demoCrl(name);
    if (!c)
        qFatal("no demo CRL %s", name);
    return *c;
}

// The server chain `name` checked by a client that trusts the demo root, with these CRLs, at `now`.
ChainVerification verifyServer(const char* name, const std::vector<Crl>& crls, std::int64_t now = kDemoNow)
{
    return verifyChain(credential(name).chain, {app::demoPki().root}, now, std::string("localhost"),
                       CertificatePurpose::ServerAuth, crls);
}

Bytes tamperedCopy(Bytes der, std::size_t offsetFromEnd)
{
    der[der.size() - offsetFromEnd] ^= 0x01;
    return der;
}

QString runCli(const QStringList& args, int* exitCode)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(hltest::kBinary, args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        *exitCode = -1;
        return "did not finish";
    }
    *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAll());
}

bool opensslAvailable()
{
    QProcess p;
    p.start("openssl", {"version"});
    return p.waitForFinished(10000) && p.exitCode() == 0;
}

} // namespace

class TestTrust : public QObject {
    Q_OBJECT

private slots:
    // ---- every failure first: the scenario, the alert, who sends it, and the check that failed in the trace
    void failuresEndWithOpensslsAlert_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("alert");
        QTest::addColumn<hl::Side>("from");
        QTest::addColumn<QString>("check"); // the failed CertificateCheckEvent; empty when the failure is not one
        const auto row = [](const char* name, AlertDescription a, Side s, const char* check) {
            QTest::newRow(name) << QString(name) << int(a) << s << QString(check);
        };
        row("client-auth-missing", AlertDescription::HandshakeFailure, Side::Server, "");
        row("client-untrusted", AlertDescription::UnknownCa, Side::Server, "trust anchor");
        row("client-expired", AlertDescription::CertificateExpired, Side::Server, "validity");
        row("client-wrong-usage", AlertDescription::UnsupportedCertificate, Side::Server, "keyUsage");
        row("client-revoked", AlertDescription::CertificateRevoked, Side::Server, "revocation");
        row("client-forged-verify", AlertDescription::DecryptError, Side::Server, "CertificateVerify");
        row("server-unknown-ca", AlertDescription::UnknownCa, Side::Client, "trust anchor");
        row("server-expired", AlertDescription::CertificateExpired, Side::Client, "validity");
        // X509_V_ERR_CERT_NOT_YET_VALID is bad_certificate in OpenSSL's ssl_x509err2alert(), not certificate_expired.
        row("server-not-yet-valid", AlertDescription::BadCertificate, Side::Client, "validity");
        // X509_V_ERR_CERT_SIGNATURE_FAILURE is decrypt_error there.
        row("server-bad-signature", AlertDescription::DecryptError, Side::Client, "signature");
        row("server-key-mismatch", AlertDescription::DecryptError, Side::Client, "ServerKeyExchange signature");
        row("server-key-mismatch-rsa", AlertDescription::BadRecordMac, Side::Server, "");
        row("server-revoked", AlertDescription::CertificateRevoked, Side::Client, "revocation");
        row("server-crl-stale", AlertDescription::CertificateExpired, Side::Client, "CRL validity");
    }
    void failuresEndWithOpensslsAlert()
    {
        QFETCH(QString, scenario);
        QFETCH(int, alert);
        QFETCH(hl::Side, from);
        QFETCH(QString, check);
        const Scenario* sc = app::findScenario(scenario.toStdString());
        QVERIFY2(sc, "no such built-in scenario");
        const Trace t = runAt(scenario.toStdString(), kDemoNow);
        QVERIFY(!t.outcome.completed);
        QCOMPARE(alertName(t.outcome.alert), alertName(static_cast<std::uint8_t>(alert)));
        QCOMPARE(t.outcome.alertFrom, from);
        std::string why;
        QVERIFY2(meetsExpectation(*sc, t, &why), why.c_str());
        const CertificateCheckEvent* failed = firstFailedCheck(t);
        if (check.isEmpty()) {
            QVERIFY2(!failed, failed ? failed->detail.c_str() : "");
            return;
        }
        QVERIFY2(failed, "no failed certificate check in the trace");
        QCOMPARE(QString::fromStdString(failed->check), check);
        QCOMPARE(failed->side, from);
        QVERIFY(!failed->detail.empty());
        QCOMPARE(QString::fromStdString(t.outcome.reason).isEmpty(), false);
        QCOMPARE(sc->topic.empty(), false);
    }

    // Expired certificates end before 2026 and future ones start after 2100, so the real clock agrees with the
    // reproducible one.
    void datesFailTheSameWayUnderTheRealClock_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("alert");
        QTest::newRow("server-expired") << "server-expired" << int(AlertDescription::CertificateExpired);
        QTest::newRow("server-not-yet-valid") << "server-not-yet-valid" << int(AlertDescription::BadCertificate);
        QTest::newRow("client-expired") << "client-expired" << int(AlertDescription::CertificateExpired);
        QTest::newRow("client-revoked") << "client-revoked" << int(AlertDescription::CertificateRevoked);
    }
    void datesFailTheSameWayUnderTheRealClock()
    {
        QFETCH(QString, scenario);
        QFETCH(int, alert);
        const Trace t = runAt(scenario.toStdString(), QDateTime::currentSecsSinceEpoch(), std::nullopt);
        QVERIFY(!t.outcome.completed);
        QCOMPARE(alertName(t.outcome.alert), alertName(static_cast<std::uint8_t>(alert)));
    }

    // The RSA key-transport variant fails two messages after the real mistake; the trace says why at the moment
    // it happens.
    void wrongServerKeyWithRsaTransportIsExplainedWhereItHappens()
    {
        const Trace t = runAt("server-key-mismatch-rsa", kDemoNow);
        QVERIFY(hasState(t, Side::Server, "pre-master secret unreadable"));
        QVERIFY(!hasState(runAt("rsa", kDemoNow), Side::Server, "pre-master secret unreadable"));
    }

    // ---- the outcomes that succeed
    void optionalClientAuthentication_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<bool>("certificateSent");
        QTest::newRow("optional, none") << "client-auth-optional-none" << false;
        QTest::newRow("optional, sent") << "client-auth-optional" << true;
        QTest::newRow("required, sent") << "client-auth" << true;
    }
    void optionalClientAuthentication()
    {
        QFETCH(QString, scenario);
        QFETCH(bool, certificateSent);
        const Trace t = runAt(scenario.toStdString(), kDemoNow);
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        QVERIFY(sent(t, Side::Server, "CertificateRequest"));
        // TLS: a client without a certificate still answers with an empty Certificate message (RFC 5246 §7.4.6).
        QVERIFY(sent(t, Side::Client, "Certificate"));
        QCOMPARE(sent(t, Side::Client, "CertificateVerify"), certificateSent);
        QCOMPARE(checksNamed(t, Side::Server, "CertificateVerify").size(), std::size_t(certificateSent ? 1 : 0));
        QCOMPARE(hasState(t, Side::Server, "no client certificate"), !certificateSent);
    }

    // A client holding several certificates answers CertificateRequest with the first whose chain was issued by a CA
    // the request lists (RFC 5246 §7.4.4), and with an empty Certificate when none was; one certificate is sent
    // whatever the list says (client-untrusted), as OpenSSL does.
    void severalClientCertificatesChosenByTheCaList_data()
    {
        QTest::addColumn<QStringList>("certificates");
        QTest::addColumn<bool>("optional");
        QTest::addColumn<QString>("sentSubject"); // empty: an empty Certificate
        QTest::addColumn<int>("passedOver");
        QTest::addColumn<int>("alert"); // 0: completes
        QTest::newRow("second one listed") << QStringList{"other-client", "client"} << false
                                           << "CN=HandshakeLab Demo Student, O=HandshakeLab Demo" << 1 << 0;
        QTest::newRow("first one listed") << QStringList{"client", "other-client"} << false
                                          << "CN=HandshakeLab Demo Student, O=HandshakeLab Demo" << 0 << 0;
        QTest::newRow("none listed, required") << QStringList{"other-client", "other-client"} << false << "" << 2
                                               << int(AlertDescription::HandshakeFailure);
        QTest::newRow("none listed, optional") << QStringList{"other-client", "other-client"} << true << "" << 2 << 0;
    }
    void severalClientCertificatesChosenByTheCaList()
    {
        QFETCH(QStringList, certificates);
        QFETCH(bool, optional);
        QFETCH(QString, sentSubject);
        QFETCH(int, passedOver);
        QFETCH(int, alert);
        Scenario s = *app::findScenario("client-chosen-by-ca");
        s.clientCredentials.clear();
        for (const QString& c : certificates)
            s.clientCredentials.push_back(credential(c.toUtf8().constData()));
        if (optional)
            s.clientAuth = ClientAuthMode::Request;
        RunOptions o;
        o.seed = 7;
        o.now = kDemoNow;
        const Trace t = runScenario(s, app::demoPki(), o);
        QCOMPARE(t.outcome.completed, alert == 0);
        if (alert)
            QCOMPARE(int(t.outcome.alert), alert);
        int passed = 0;
        std::string chosen;
        for (const TraceEvent& e : t.events())
            if (const auto* st = std::get_if<StateEvent>(&e); st && st->side == Side::Client &&
                                                              st->state == "client certificate") {
                if (st->note.find("passes over") != std::string::npos)
                    ++passed;
                else
                    chosen = st->note;
            }
        QCOMPARE(passed, passedOver);
        const std::vector<const CertificateCheckEvent*> verify = checksNamed(t, Side::Server, "CertificateVerify");
        if (sentSubject.isEmpty()) {
            QVERIFY2(chosen.find("none of the client's 2 certificates was issued by a CA the server lists") !=
                         std::string::npos,
                     chosen.c_str());
            QVERIFY(verify.empty());
            return;
        }
        QVERIFY2(chosen.find(sentSubject.toStdString()) != std::string::npos, chosen.c_str());
        QCOMPARE(verify.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(verify.front()->subject), sentSubject);
    }

    // A revocation check that passes is still a step of the trace, for every certificate below the anchor.
    void revocationCheckThatPassesIsTraced()
    {
        RunOptions o;
        o.seed = 7;
        o.now = kDemoNow;
        o.crls = {demoCrl("root-ca"), demoCrl("intermediate-ca")};
        const Trace t = runScenario(*app::findScenario("client-auth"), app::demoPki(), o);
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        for (Side side : {Side::Client, Side::Server}) {
            const auto steps = checksNamed(t, side, "revocation");
            QCOMPARE(steps.size(), std::size_t(2)); // the leaf against the intermediate's CRL, the intermediate
                                                    // against the root's
            for (const CertificateCheckEvent* c : steps)
                QVERIFY2(c->passed, c->detail.c_str());
            QCOMPARE(checksNamed(t, side, "CRL signature").size(), std::size_t(2));
        }
    }

    // ---- CRL parsing
    void crlParseRejectsMalformedDer_data()
    {
        QTest::addColumn<QByteArray>("der");
        QTest::addColumn<QString>("message");
        const Bytes good = demoCrl("intermediate-ca").der;
        const auto bytes = [](const Bytes& b) {
            return QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()));
        };
        QTest::newRow("empty") << QByteArray() << "CRL";
        QTest::newRow("truncated") << bytes(Bytes(good.begin(), good.end() - 10)) << "CRL";
        Bytes trailing = good;
        trailing.push_back(0x00);
        QTest::newRow("trailing byte") << bytes(trailing) << "after the CRL";
        Bytes wrongTag = good;
        wrongTag[0] = 0x31; // SET where the CertificateList SEQUENCE belongs
        QTest::newRow("outer SET") << bytes(wrongTag) << "expected SEQUENCE";
        QTest::newRow("a certificate, not a CRL") << bytes(credential("server-rsa").chain.front().der) << "CRL";
    }
    void crlParseRejectsMalformedDer()
    {
        QFETCH(QByteArray, der);
        QFETCH(QString, message);
        try {
            Crl::parse(
                ByteView(reinterpret_cast<const std::uint8_t*>(der.constData()), static_cast<std::size_t>(der.size())));
            QFAIL("parsed");
        } catch (const std::invalid_argument& e) {
            const QString what = e.what();
            QVERIFY2(what.startsWith("CRL"), qPrintable(what));
            QVERIFY2(what.contains(message), qPrintable(what));
        }
    }

    void crlParseReadsTheDemoLists()
    {
        const Crl& c = demoCrl("intermediate-ca");
        QCOMPARE(c.version, 2);
        QCOMPARE(QString::fromStdString(c.issuer.value("CN")), QString("HandshakeLab Demo Intermediate CA"));
        QCOMPARE(QString::fromStdString(c.signatureAlgorithm), QString("sha256WithRSAEncryption"));
        QVERIFY(c.nextUpdate.has_value());
        QCOMPARE(c.crlNumber, std::optional<std::uint64_t>(2));
        QCOMPARE(c.revoked.size(), std::size_t(2));
        QVERIFY(c.find(credential("server-rsa-revoked").chain.front().serial));
        QVERIFY(c.find(credential("client-revoked").chain.front().serial));
        QVERIFY(!c.find(credential("server-rsa").chain.front().serial));
        QCOMPARE(c.find(credential("server-rsa-revoked").chain.front().serial)->reason,
                 std::optional<RevocationReason>(RevocationReason::KeyCompromise));
        QVERIFY(demoCrl("root-ca").revoked.empty());
        QCOMPARE(c.authorityKeyId, app::demoCertificate("intermediate-ca")->subjectKeyId);
    }

    void crlBuilderRoundTrips()
    {
        const Credential& ca = credential("other-server"); // any key will do to sign
        SeededRng rng(1, "crl round trip");
        CrlBuilder b;
        b.thisUpdate = k2025March;
        b.nextUpdate = kDemoNow;
        b.crlNumber = 77;
        b.revoked = {{{0x01, 0x02}, k2025March, std::nullopt}, {{0x7f}, k2025March, RevocationReason::Superseded}};
        const Crl c = b.signWith(ca.chain.front(), ca.key, rng);
        const Crl again = Crl::parse(c.der);
        QCOMPARE(again.thisUpdate, k2025March);
        QCOMPARE(again.nextUpdate, std::optional<std::int64_t>(kDemoNow));
        QCOMPARE(again.crlNumber, std::optional<std::uint64_t>(77));
        QCOMPARE(again.revoked.size(), std::size_t(2));
        QVERIFY(!again.revoked[0].reason);
        QCOMPARE(again.revoked[1].reason, std::optional<RevocationReason>(RevocationReason::Superseded));
        QVERIFY(again.issuer == ca.chain.front().subject);
        QVERIFY(ca.chain.front().publicKey.verify(SignatureScheme::RsaPkcs1Sha256, again.tbsDer, again.signature));
    }

    // ---- CRL checks inside chain verification: each failure with its alert, then the passes
    void crlCheckOutcomes_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("crls"); // names, comma-separated; "tampered" = the intermediate's, one bit off
        QTest::addColumn<qint64>("now");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("alert");
        QTest::addColumn<QString>("failedCheck");
        const auto row = [](const char* name, const char* server, const char* crls, std::int64_t now, bool ok,
                            AlertDescription a, const char* check) {
            QTest::newRow(name) << QString(server) << QString(crls) << qint64(now) << ok << int(a) << QString(check);
        };
        row("revoked leaf", "server-rsa-revoked", "intermediate-ca", kDemoNow, false,
            AlertDescription::CertificateRevoked, "revocation");
        row("tampered CRL signature", "server-rsa", "tampered", kDemoNow, false, AlertDescription::DecryptError,
            "CRL signature");
        row("stale CRL", "server-rsa", "intermediate-ca-stale", kDemoNow, false, AlertDescription::CertificateExpired,
            "CRL validity");
        row("CRL not valid yet", "server-rsa", "intermediate-ca", k2025March, false, AlertDescription::BadCertificate,
            "CRL validity");
        row("only another CA's CRL", "server-rsa", "other-ca", kDemoNow, false, AlertDescription::UnknownCa,
            "revocation");
        row("CRL signed by the wrong key", "server-rsa", "forged", kDemoNow, false, AlertDescription::DecryptError,
            "CRL signature");
        row("good leaf", "server-rsa", "intermediate-ca", kDemoNow, true, AlertDescription::CloseNotify, "");
        row("newest of two lists is used", "server-rsa", "intermediate-ca-stale,intermediate-ca", kDemoNow, true,
            AlertDescription::CloseNotify, "");
        row("both CAs' lists", "server-rsa", "root-ca,intermediate-ca", kDemoNow, true, AlertDescription::CloseNotify,
            "");
    }
    void crlCheckOutcomes()
    {
        QFETCH(QString, server);
        QFETCH(QString, crls);
        QFETCH(qint64, now);
        QFETCH(bool, ok);
        QFETCH(int, alert);
        QFETCH(QString, failedCheck);
        std::vector<Crl> lists;
        for (const QString& name : crls.split(',')) {
            if (name == "tampered") {
                // The last bit of the signature flipped: the list still parses, its signature no longer verifies.
                lists.push_back(Crl::parse(tamperedCopy(demoCrl("intermediate-ca").der, 1)));
            } else if (name == "forged") {
                // The intermediate's name on a list signed by somebody else's key.
                const Credential& other = credential("other-server");
                SeededRng rng(2, "forged CRL");
                CrlBuilder b;
                b.thisUpdate = k2025March;
                b.nextUpdate = der::unixFromCivil({2045, 1, 1, 0, 0, 0});
                b.issuerName = std::vector<std::pair<std::string, std::string>>{
                    {"O", "HandshakeLab Demo"}, {"CN", "HandshakeLab Demo Intermediate CA"}};
                lists.push_back(b.signWith(other.chain.front(), other.key, rng));
            } else {
                lists.push_back(demoCrl(name.toLatin1().constData()));
            }
        }
        const ChainVerification v = verifyServer(server.toLatin1().constData(), lists, now);
        QCOMPARE(v.ok, ok);
        if (ok) {
            QVERIFY(!v.steps.empty());
            QVERIFY(v.steps.back().check == "revocation" && v.steps.back().passed);
            return;
        }
        QCOMPARE(alertName(v.alert), alertName(static_cast<std::uint8_t>(alert)));
        QCOMPARE(QString::fromStdString(v.steps.back().check), failedCheck);
        QVERIFY(!v.steps.back().passed);
        QCOMPARE(QString::fromStdString(v.reason), QString::fromStdString(v.steps.back().detail));
    }

    // Without CRLs nothing about revocation is said: OpenSSL's default, and the traces of every other lesson.
    void noCrlsNoRevocationSteps()
    {
        const ChainVerification v = verifyServer("server-rsa-revoked", {});
        QVERIFY(v.ok);
        for (const VerificationStep& s : v.steps)
            QVERIFY(s.check != "revocation" && s.check.rfind("CRL", 0) != 0);
    }

    // ---- the catalogue
    void catalogueNamesEveryVariant()
    {
        for (const char* name :
             {"server-rsa", "server-ecdsa", "client", "server-rsa-expired", "server-rsa-not-yet-valid",
              "server-rsa-bad-signature", "server-rsa-revoked", "server-key-mismatch", "client-expired",
              "client-wrong-usage", "client-revoked", "other-server", "other-client"})
            QVERIFY2(app::demoCredential(name), name);
        QVERIFY(!app::demoCredential("no-such-thing"));
        for (const char* name : {"root-ca", "intermediate-ca", "other-ca"})
            QVERIFY2(app::demoCertificate(name), name);
        for (const char* name : {"root-ca", "intermediate-ca", "intermediate-ca-stale", "other-ca"})
            QVERIFY2(app::demoCrl(name), name);
        QCOMPARE(app::demoCredentialNames().size(), app::demoPki().credentials.size());
        // The mismatched credential really holds another key than its certificate names.
        const Credential& m = credential("server-key-mismatch");
        QVERIFY(m.key.publicKey().subjectPublicKeyInfo() != m.chain.front().publicKey.subjectPublicKeyInfo());
    }

    void unknownNameInAScenarioIsAClearError()
    {
        Scenario s = *app::findScenario("default");
        s.demoNames.clientCrls = {"no-such-ca"};
        try {
            clientConfigFor(s, app::demoPki(), kDemoNow);
            QFAIL("accepted an unknown CRL name");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("no-such-ca"), e.what());
            QVERIFY2(QString(e.what()).contains("intermediate-ca"), e.what()); // lists what there is
        }
    }

    // ---- the command line
    void crlOptionOnRun_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("output");
        const QString pki = hltest::kPki;
        QTest::newRow("missing file") << QStringList{"run", "default", "--seed", "7", "--crl", "/nonexistent.crl"} << 2
                                      << "--crl: cannot read /nonexistent.crl";
        QTest::newRow("a certificate given as CRL")
            << QStringList{"run", "default", "--seed", "7", "--crl", pki + "root-ca.crt.pem"} << 2 << "X509 CRL";
        QTest::newRow("serve: required and optional at once") << QStringList{"serve",
                                                                             "--port",
                                                                             "0",
                                                                             "--verify-client",
                                                                             pki + "root-ca.crt.pem",
                                                                             "--request-client",
                                                                             pki + "root-ca.crt.pem"}
                                                              << 2 << "give one of them";
        QTest::newRow("connect: unreadable list")
            << QStringList{"connect", "127.0.0.1:1", "--crl", pki + "no-such.crl.pem"} << 2 << "--crl: cannot read";
        QTest::newRow("stale list") << QStringList{"run", "default", "--seed",
                                                   "7",   "--crl",   pki + "intermediate-ca-stale.crl.pem"}
                                    << 1 << "FAIL CRL validity";
        QTest::newRow("both sides checked, neither revoked")
            << QStringList{"run", "client-auth", "--seed", "7", "--crl", pki + "intermediate-ca.crl.pem"} << 0
            << "ok   revocation: serial 10:01 is not among the 2";
    }
    void crlOptionOnRun()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, output);
        int code = 0;
        const QString out = runCli(args, &code);
        QVERIFY2(out.contains(output), qPrintable(out.right(2000)));
        QCOMPARE(code, exitCode);
    }

    void crlFileMayBeDer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("intermediate.crl");
        {
            std::ofstream f(path.toStdString(), std::ios::binary);
            const Bytes& d = demoCrl("intermediate-ca").der;
            f.write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
        }
        const std::vector<Crl> loaded = app::loadCrls(path.toStdString());
        QCOMPARE(loaded.size(), std::size_t(1));
        QCOMPARE(loaded.front().der, demoCrl("intermediate-ca").der);
    }

    // ---- OpenSSL decides which alert is right: s_server judging our client's certificate
    void opensslServerJudgesOurClientCertificate_data()
    {
        QTest::addColumn<QString>("credential");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("alert"); // what our client receives; empty: the handshake completes
        const QString pki = hltest::kPki;
        QTest::newRow("untrusted issuer") << "other-client" << QStringList{} << "unknown_ca";
        QTest::newRow("expired") << "client-expired" << QStringList{} << "certificate_expired";
        QTest::newRow("wrong usage") << "client-wrong-usage" << QStringList{} << "unsupported_certificate";
        QTest::newRow("revoked") << "client-revoked"
                                 << QStringList{"-crl_check", "-CRL", pki + "intermediate-ca.crl.pem"}
                                 << "certificate_revoked";
        QTest::newRow("good, with a CRL check")
            << "client" << QStringList{"-crl_check", "-CRL", pki + "intermediate-ca.crl.pem"} << "";
    }
    void opensslServerJudgesOurClientCertificate()
    {
        QFETCH(QString, credential);
        QFETCH(QStringList, extra);
        QFETCH(QString, alert);
        if (!opensslAvailable())
            QSKIP("the openssl command is not installed");
        const QString pki = hltest::kPki;
        const quint16 port = hltest::freePort();
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start("openssl", QStringList{"s_server", "-accept", QString("127.0.0.1:%1").arg(port), "-tls1_2",
                                            "-cert", pki + "server-rsa.crt.pem", "-key", pki + "server-rsa.key.pem",
                                            "-cert_chain", pki + "intermediate-ca.crt.pem", "-Verify", "2", "-CAfile",
                                            pki + "root-ca.crt.pem", "-verify_return_error", "-rev", "-naccept", "1"} +
                                    extra);
        QVERIFY(server.waitForStarted());
        QVERIFY2(hltest::waitForOutput(server, "ACCEPT"), "openssl s_server did not start listening");
        const QString keyFile = credential.startsWith("other") ? credential : "client";
        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start(hltest::kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--servername", "localhost",
                                       "--cert", pki + credential + ".chain.pem", "--key", pki + keyFile + ".key.pem",
                                       "--send", "abc", "--timeout", "10"});
        QVERIFY(client.waitForFinished(30000));
        const QString out = client.readAll();
        server.waitForFinished(5000);
        if (server.state() != QProcess::NotRunning)
            server.kill();
        if (alert.isEmpty()) {
            QVERIFY2(client.exitCode() == 0, qPrintable(out.right(2000)));
            QVERIFY(out.contains("reply: cba"));
            return;
        }
        QVERIFY2(out.contains("[client] receives fatal alert " + alert), qPrintable(out.right(2000)));
        QVERIFY(client.exitCode() != 0);
    }

    // The same failures the other way round: our server judging openssl s_client's certificate, and OpenSSL's
    // client reporting the alert it received.
    void ourServerJudgesOpensslClientCertificate_data()
    {
        QTest::addColumn<QString>("credential");
        QTest::addColumn<QStringList>("serveArgs");
        QTest::addColumn<QString>("alert"); // in our trace; empty: completes
        const QString pki = hltest::kPki;
        QTest::newRow("untrusted issuer")
            << "other-client" << QStringList{"--verify-client", pki + "root-ca.crt.pem"} << "unknown_ca";
        QTest::newRow("expired") << "client-expired" << QStringList{"--verify-client", pki + "root-ca.crt.pem"}
                                 << "certificate_expired";
        QTest::newRow("revoked") << "client-revoked"
                                 << QStringList{"--verify-client", pki + "root-ca.crt.pem", "--crl",
                                                pki + "intermediate-ca.crl.pem"}
                                 << "certificate_revoked";
        QTest::newRow("optional, none sent") << "" << QStringList{"--request-client", pki + "root-ca.crt.pem"} << "";
        QTest::newRow("optional, sent") << "client" << QStringList{"--request-client", pki + "root-ca.crt.pem"} << "";
    }
    void ourServerJudgesOpensslClientCertificate()
    {
        QFETCH(QString, credential);
        QFETCH(QStringList, serveArgs);
        QFETCH(QString, alert);
        if (!opensslAvailable())
            QSKIP("the openssl command is not installed");
        const QString pki = hltest::kPki;
        QProcess server;
        server.setProcessChannelMode(QProcess::SeparateChannels);
        QString err;
        const quint16 port = hltest::startServe(server, serveArgs + QStringList{"--timeout", "10"}, err);
        QVERIFY2(port != 0, qPrintable(err));
        QStringList args{"s_client",    "-connect", QString("127.0.0.1:%1").arg(port),
                         "-tls1_2",     "-CAfile",  pki + "root-ca.crt.pem",
                         "-servername", "localhost"};
        if (!credential.isEmpty()) {
            const QString keyFile = credential.startsWith("other") ? credential : "client";
            args += {"-cert", pki + credential + ".chain.pem", "-key", pki + keyFile + ".key.pem"};
            if (!credential.startsWith("other"))
                args += {"-cert_chain", pki + "intermediate-ca.crt.pem"};
        }
        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start("openssl", args);
        QVERIFY(client.waitForStarted());
        client.write("hello\n");
        const QString cout = hltest::readUntil(client, alert.isEmpty() ? "hello" : "alert", 15000);
        client.closeWriteChannel();
        client.waitForFinished(10000);
        QVERIFY(server.waitForFinished(20000));
        const QString trace = server.readAllStandardOutput() + err + server.readAllStandardError();
        if (alert.isEmpty()) {
            QVERIFY2(trace.contains("Outcome: completed"), qPrintable(trace.right(2000)));
            QCOMPARE(trace.contains("CertificateVerify: the client's signature over the handshake verifies"),
                     !credential.isEmpty());
            return;
        }
        QVERIFY2(trace.contains("[server] sends fatal alert " + alert), qPrintable(trace.right(2000)));
        // OpenSSL names the alert it received in words: "certificate revoked", "unknown ca".
        QString words = alert;
        words.replace('_', ' ');
        QVERIFY2(cout.contains(words, Qt::CaseInsensitive), qPrintable(cout.right(2000)));
    }

    // And the server's certificate, judged by openssl s_client: the alert OpenSSL's client sends reaches our server.
    void opensslClientJudgesOurServerCertificate_data()
    {
        QTest::addColumn<QString>("chain");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("alert");
        const QString pki = hltest::kPki;
        QTest::newRow("expired") << "server-rsa-expired"
                                 << "server-rsa" << QStringList{} << "certificate_expired";
        QTest::newRow("not yet valid") << "server-rsa-not-yet-valid"
                                       << "server-rsa" << QStringList{} << "bad_certificate";
        QTest::newRow("bad signature") << "server-rsa-bad-signature"
                                       << "server-rsa" << QStringList{} << "decrypt_error";
        QTest::newRow("unknown CA") << "other-server"
                                    << "other-server" << QStringList{} << "unknown_ca";
        QTest::newRow("revoked") << "server-rsa-revoked"
                                 << "server-rsa" << QStringList{"-crl_check", "-CRL", pki + "intermediate-ca.crl.pem"}
                                 << "certificate_revoked";
        QTest::newRow("stale CRL") << "server-rsa"
                                   << "server-rsa"
                                   << QStringList{"-crl_check", "-CRL", pki + "intermediate-ca-stale.crl.pem"}
                                   << "certificate_expired";
    }
    void opensslClientJudgesOurServerCertificate()
    {
        QFETCH(QString, chain);
        QFETCH(QString, key);
        QFETCH(QStringList, extra);
        QFETCH(QString, alert);
        if (!opensslAvailable())
            QSKIP("the openssl command is not installed");
        const QString pki = hltest::kPki;
        QProcess server;
        QString err;
        const quint16 port = hltest::startServe(
            server, {"--cert", pki + chain + ".chain.pem", "--key", pki + key + ".key.pem", "--timeout", "10"}, err);
        QVERIFY2(port != 0, qPrintable(err));
        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start("openssl",
                     QStringList{"s_client", "-connect", QString("127.0.0.1:%1").arg(port), "-tls1_2", "-CAfile",
                                 pki + "root-ca.crt.pem", "-servername", "localhost", "-verify_return_error"} +
                         extra);
        QVERIFY(client.waitForStarted());
        client.closeWriteChannel();
        QVERIFY(client.waitForFinished(20000));
        QVERIFY(server.waitForFinished(20000));
        const QString trace = server.readAllStandardOutput() + err + server.readAllStandardError();
        QVERIFY2(trace.contains("[server] receives fatal alert " + alert),
                 qPrintable(trace.right(1500) + "\n--- s_client:\n" + QString(client.readAll()).right(1500)));
    }

    // connect --crl: our client checking a real server's certificate against a revocation list.
    void ourClientChecksRevocationAgainstOpensslServer_data()
    {
        QTest::addColumn<QString>("chain");
        QTest::addColumn<QString>("expected");
        QTest::newRow("revoked") << "server-rsa-revoked"
                                 << "[client] sends fatal alert certificate_revoked";
        QTest::newRow("not revoked") << "server-rsa"
                                     << "reply: cba";
    }
    void ourClientChecksRevocationAgainstOpensslServer()
    {
        QFETCH(QString, chain);
        QFETCH(QString, expected);
        if (!opensslAvailable())
            QSKIP("the openssl command is not installed");
        const QString pki = hltest::kPki;
        const quint16 port = hltest::freePort();
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        // s_server -cert reads the first certificate of the chain file; the intermediate goes with -cert_chain.
        server.start("openssl", {"s_server", "-accept", QString("127.0.0.1:%1").arg(port), "-tls1_2", "-cert",
                                 pki + chain + ".chain.pem", "-key", pki + "server-rsa.key.pem", "-cert_chain",
                                 pki + "intermediate-ca.crt.pem", "-rev", "-naccept", "1"});
        QVERIFY(server.waitForStarted());
        QVERIFY2(hltest::waitForOutput(server, "ACCEPT"), "openssl s_server did not start listening");
        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start(hltest::kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--servername", "localhost",
                                       "--crl", pki + "intermediate-ca.crl.pem", "--send", "abc", "--timeout", "10"});
        QVERIFY(client.waitForFinished(30000));
        const QString out = client.readAll();
        server.waitForFinished(5000);
        if (server.state() != QProcess::NotRunning)
            server.kill();
        QVERIFY2(out.contains(expected), qPrintable(out.right(2000)));
        QVERIFY(out.contains("revocation: serial 10:0"));
    }

    // What our own client says of the same certificates must be what OpenSSL's client said above.
    void ourClientAgreesWithOpensslsClient_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("alert");
        QTest::newRow("expired") << "server-expired"
                                 << "certificate_expired";
        QTest::newRow("not yet valid") << "server-not-yet-valid"
                                       << "bad_certificate";
        QTest::newRow("bad signature") << "server-bad-signature"
                                       << "decrypt_error";
        QTest::newRow("unknown CA") << "server-unknown-ca"
                                    << "unknown_ca";
        QTest::newRow("revoked") << "server-revoked"
                                 << "certificate_revoked";
        QTest::newRow("stale CRL") << "server-crl-stale"
                                   << "certificate_expired";
    }
    void ourClientAgreesWithOpensslsClient()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, alert);
        const Trace t = runAt(scenario.toStdString(), kDemoNow);
        QCOMPARE(QString::fromStdString(alertName(t.outcome.alert)), alert);
        QCOMPARE(t.outcome.alertFrom, Side::Client);
    }
};

QTEST_GUILESS_MAIN(TestTrust)
#include "test_trust.moc"
