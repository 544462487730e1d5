// OCSP stapling: the response builder and parser (RFC 6960), the client's checks on a stapled response (good,
// revoked, unknown, stale, not yet valid, forged, about another certificate, from another responder, unsuccessful),
// the status_request extension and CertificateStatus in the flow (RFC 6066 §8), and both directions against OpenSSL.
#include "pki.h"
#include "scenario_library.h"
#include "session_support.h"

#include "interop_support.h"

#include "crypto/rng.h"
#include "messages/certificate_status.h"
#include "messages/client_hello.h"
#include "messages/extensions.h"
#include "session/scenario.h"
#include "session/session.h"
#include "x509/certificate_builder.h"
#include "x509/der.h"
#include "x509/ocsp.h"

#include <QDateTime>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace hl;

Q_DECLARE_METATYPE(hl::OcspCertStatus)

namespace {

using hltest::kDemoNow;
constexpr std::int64_t kDay = 86400;

const Credential& credential(const char* name)
{
    const Credential* c = app::demoCredential(name);
    if (!c)
        qFatal("no demo credential %s", name);
    return *c;
}
const Certificate& authority(const char* name) { return app::demoPki().authorities.at(name); }
const PrivateKey& authorityKey(const char* name) { return app::demoPki().authorityKeys.at(name); }

const Certificate& serverLeaf() { return credential("server-rsa").chain.front(); }
const Certificate& intermediate() { return authority("intermediate-ca"); }

OcspResponseBuilder current(OcspCertStatus status = OcspCertStatus::Good)
{
    OcspResponseBuilder b;
    b.status = status;
    b.producedAt = b.thisUpdate = kDemoNow - 3600;
    b.nextUpdate = kDemoNow + 7 * kDay;
    return b;
}

Bytes sign(const OcspResponseBuilder& b, const Certificate& leaf = serverLeaf(), const char* signer = "intermediate-ca")
{
    SeededRng rng(1, "ocsp test");
    return b.signWith(leaf, intermediate(), authorityKey(signer), rng);
}

std::vector<const CertificateCheckEvent*> ocspChecks(const Trace& t)
{
    std::vector<const CertificateCheckEvent*> out;
    for (const TraceEvent& e : t.events())
        if (const auto* c = std::get_if<CertificateCheckEvent>(&e); c && c->check.rfind("OCSP", 0) == 0)
            out.push_back(c);
    return out;
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

Trace runScenario(Scenario s)
{
    RunOptions o;
    o.seed = 7;
    o.now = kDemoNow;
    return hl::runScenario(s, app::demoPki(), o);
}

bool opensslAvailable()
{
    QProcess p;
    p.start("openssl", {"version"});
    return p.waitForFinished(10000) && p.exitCode() == 0;
}

void writeFile(const QString& path, const Bytes& data)
{
    std::ofstream(path.toStdString(), std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

} // namespace

class TestOcsp : public QObject {
    Q_OBJECT

private slots:
    // ---- the response itself
    void builderAndParserAgree()
    {
        OcspResponseBuilder b = current(OcspCertStatus::Revoked);
        b.revocationTime = kDemoNow - 30 * kDay;
        b.reason = RevocationReason::KeyCompromise;
        const OcspResponse r = OcspResponse::parse(sign(b));
        QCOMPARE(int(r.responseStatus), 0);
        QVERIFY(r.responderName);
        QVERIFY(*r.responderName == intermediate().subject);
        QCOMPARE(r.producedAt, kDemoNow - 3600);
        QCOMPARE(r.signatureAlgorithm, std::string("sha256WithRSAEncryption"));
        QCOMPARE(r.responses.size(), std::size_t(1));
        const OcspResponse::Single& s = r.responses.front();
        QVERIFY(s.certId == OcspCertId::of(serverLeaf(), intermediate()));
        QCOMPARE(s.certId.serial, serverLeaf().serial);
        QCOMPARE(s.certId.issuerNameHash.size(), std::size_t(20)); // SHA-1
        QVERIFY(s.status == OcspCertStatus::Revoked);
        QCOMPARE(s.revocationTime, kDemoNow - 30 * kDay);
        QVERIFY(s.reason == RevocationReason::KeyCompromise);
        QCOMPARE(s.thisUpdate, kDemoNow - 3600);
        QCOMPARE(*s.nextUpdate, kDemoNow + 7 * kDay);
        QVERIFY(r.find(OcspCertId::of(credential("server-ecdsa").chain.front(), intermediate())) == nullptr);
    }

    void responderByKeyAndUnsuccessfulStatusParse()
    {
        OcspResponseBuilder b = current();
        b.responderByKey = true;
        const OcspResponse byKey = OcspResponse::parse(sign(b));
        QVERIFY(!byKey.responderName);
        QCOMPARE(byKey.responderKeyHash, keyIdentifier(intermediate().publicKey));
        OcspResponseBuilder later;
        later.responseStatus = 3; // tryLater
        const OcspResponse r = OcspResponse::parse(sign(later));
        QCOMPARE(int(r.responseStatus), 3);
        QVERIFY(r.responses.empty());
        QCOMPARE(ocspResponseStatusName(3), std::string("tryLater"));
    }

    void parseRejectsMalformedDer_data()
    {
        QTest::addColumn<QByteArray>("der");
        QTest::addColumn<QString>("error");
        const Bytes good = sign(current());
        QTest::newRow("empty") << QByteArray() << "OCSP response";
        QTest::newRow("truncated") << QByteArray(reinterpret_cast<const char*>(good.data()), int(good.size()) - 1)
                                   << "OCSP response";
        Bytes trailing = good;
        trailing.push_back(0);
        QTest::newRow("trailing byte") << QByteArray(reinterpret_cast<const char*>(trailing.data()), int(trailing.size()))
                                       << "after the OCSPResponse";
        // successful (0) with no responseBytes
        QTest::newRow("successful without a response") << QByteArray::fromHex("30030a0100") << "no responseBytes";
        // an undefined responseStatus value (4 is unused in RFC 6960)
        QTest::newRow("undefined status") << QByteArray::fromHex("30030a0104") << "responseStatus";
        // responseBytes naming another response type (1.2.3)
        QTest::newRow("unknown response type")
            << QByteArray::fromHex("300e0a0100a009300706022a030401ff") << "not id-pkix-ocsp-basic";
    }
    void parseRejectsMalformedDer()
    {
        QFETCH(QByteArray, der);
        QFETCH(QString, error);
        try {
            OcspResponse::parse(Bytes(der.begin(), der.end()));
            QFAIL("a malformed response parsed");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(error), e.what());
            QVERIFY2(QString(e.what()).startsWith("OCSP response"), e.what());
        }
    }

    // ---- what the client makes of it: each outcome, its alert, and the check that decided
    void checkOutcomes_data()
    {
        QTest::addColumn<QByteArray>("der");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("alert");
        QTest::addColumn<QString>("failedCheck");
        QTest::addColumn<QString>("detail");
        const auto row = [](const char* name, const Bytes& der, bool ok, AlertDescription alert, const char* check,
                            const char* detail) {
            QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(der.data()), int(der.size())) << ok
                                << int(alert) << QString(check) << QString(detail);
        };
        const auto bad = AlertDescription::BadCertificateStatusResponse;
        row("good", sign(current()), true, bad, "", "is good");
        OcspResponseBuilder revoked = current(OcspCertStatus::Revoked);
        revoked.revocationTime = kDemoNow - 30 * kDay;
        revoked.reason = RevocationReason::KeyCompromise;
        row("revoked", sign(revoked), false, AlertDescription::CertificateRevoked, "OCSP status",
            "revoked since 2025-12-02 00:00:00 UTC (keyCompromise)");
        row("unknown", sign(current(OcspCertStatus::Unknown)), false, bad, "OCSP status", "does not know serial 10:01");
        OcspResponseBuilder stale = current();
        stale.thisUpdate = kDemoNow - 14 * kDay;
        stale.nextUpdate = kDemoNow - 7 * kDay;
        row("stale", sign(stale), false, bad, "OCSP freshness", "the response is stale");
        OcspResponseBuilder early = current();
        early.thisUpdate = kDemoNow + kDay;
        row("not yet valid", sign(early), false, bad, "OCSP freshness", "not valid yet");
        row("signed with another CA's key", sign(current(), serverLeaf(), "other-ca"), false, bad, "OCSP signature",
            "does NOT verify");
        row("about another certificate", sign(current(), credential("server-ecdsa").chain.front()), false, bad,
            "OCSP certID", "about another certificate");
        OcspResponseBuilder later;
        later.responseStatus = 2; // internalError
        row("responder failed", sign(later), false, bad, "OCSP response status", "internalError");
        Bytes garbage = sign(current());
        garbage.resize(garbage.size() / 2);
        row("unreadable", garbage, false, bad, "OCSP response status", "cannot be read");
        OcspResponseBuilder byKey = current();
        byKey.responderByKey = true;
        row("responder named by key", sign(byKey), true, bad, "", "is good");
    }
    void checkOutcomes()
    {
        QFETCH(QByteArray, der);
        QFETCH(bool, ok);
        QFETCH(int, alert);
        QFETCH(QString, failedCheck);
        QFETCH(QString, detail);
        const OcspCheck c = checkOcspResponse(Bytes(der.begin(), der.end()), serverLeaf(), intermediate(), kDemoNow);
        QCOMPARE(c.ok, ok);
        QVERIFY(!c.steps.empty());
        const VerificationStep& last = c.steps.back();
        QVERIFY2(QString::fromStdString(last.detail).contains(detail), last.detail.c_str());
        if (ok) {
            QVERIFY(last.passed);
            QVERIFY(c.status == OcspCertStatus::Good);
            return;
        }
        QCOMPARE(int(c.alert), alert);
        QVERIFY(!last.passed);
        QCOMPARE(QString::fromStdString(last.check), failedCheck);
        QCOMPARE(c.reason, last.detail);
        for (std::size_t i = 0; i + 1 < c.steps.size(); ++i)
            QVERIFY(c.steps[i].passed); // the checks stop at the first failure
    }

    // A response from the issuer that says "good" for the leaf must not vouch for the issuer itself.
    void issuerMustMatchTheResponder()
    {
        const Bytes der = sign(current());
        const OcspCheck c = checkOcspResponse(der, serverLeaf(), authority("other-ca"), kDemoNow);
        QVERIFY(!c.ok);
        QCOMPARE(c.steps.back().check, std::string("OCSP responder"));
    }

    // ---- in the handshake
    void statusRequestIsOptIn()
    {
        const Trace t = hltest::runDemo("default");
        for (const RecordEvent* r : hltest::records(t))
            for (const MessageInfo& m : r->messages)
                if (m.name == "ClientHello") {
                    const ClientHello ch = ClientHello::decode(ByteView(r->plaintext).subspan(4));
                    QVERIFY(!findExtension(ch.extensions, ExtensionType::StatusRequest));
                }
        QVERIFY(!sent(t, Side::Server, "CertificateStatus"));
        QVERIFY(ocspChecks(t).empty());
        // Nobody asked, so CertificateStatus is not even a skipped step: every ordinary handshake would show one.
        for (const TraceEvent& e : t.events())
            if (const auto* s = std::get_if<SkippedStepEvent>(&e))
                QVERIFY2(s->message != "CertificateStatus", s->reason.c_str());
        // A client that asks and a server with nothing to staple: then the step is skipped, and says why.
        Scenario s = *app::findScenario("default");
        s.clientStatusRequest = StatusRequest::Request;
        const Trace asked = runScenario(s);
        bool skipped = false;
        for (const TraceEvent& e : asked.events())
            if (const auto* k = std::get_if<SkippedStepEvent>(&e); k && k->message == "CertificateStatus")
                skipped = k->reason.find("status_request") != std::string::npos;
        QVERIFY(skipped);
    }

    void shippedScenariosEndAsRfc6066Says_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<bool>("stapled");
        QTest::addColumn<int>("alert"); // 0: completes
        QTest::addColumn<QString>("check");
        QTest::newRow("good") << "ocsp-good" << true << 0 << "OCSP status";
        QTest::newRow("revoked") << "ocsp-revoked" << true << int(AlertDescription::CertificateRevoked)
                                 << "OCSP status";
        QTest::newRow("stale") << "ocsp-stale" << true << int(AlertDescription::BadCertificateStatusResponse)
                               << "OCSP freshness";
        QTest::newRow("forged") << "ocsp-forged" << true << int(AlertDescription::BadCertificateStatusResponse)
                                << "OCSP signature";
        QTest::newRow("must-staple, none") << "ocsp-must-staple" << false
                                           << int(AlertDescription::BadCertificateStatusResponse) << "OCSP stapling";
    }
    void shippedScenariosEndAsRfc6066Says()
    {
        QFETCH(QString, scenario);
        QFETCH(bool, stapled);
        QFETCH(int, alert);
        QFETCH(QString, check);
        const Trace t = hltest::runDemo(scenario.toStdString());
        QCOMPARE(sent(t, Side::Server, "CertificateStatus"), stapled);
        QCOMPARE(t.outcome.completed, alert == 0);
        if (alert) {
            QCOMPARE(int(t.outcome.alert), alert);
            QCOMPARE(t.outcome.alertFrom, Side::Client);
        }
        const auto checks = ocspChecks(t);
        QVERIFY(!checks.empty());
        QCOMPARE(QString::fromStdString(checks.back()->check), check);
        QCOMPARE(checks.back()->passed, alert == 0);
    }

    // Asked but holding nothing, the server leaves status_request out and a client that only asks goes on; a server
    // holding a response staples it only to a client that asks.
    void staplingNeedsBothSides_data()
    {
        QTest::addColumn<int>("client"); // StatusRequest
        QTest::addColumn<int>("server"); // OcspStaple
        QTest::addColumn<bool>("stapled");
        QTest::addColumn<bool>("completes");
        QTest::newRow("asked, nothing to staple") << int(StatusRequest::Request) << int(OcspStaple::None) << false << true;
        QTest::newRow("not asked, holding one") << int(StatusRequest::Off) << int(OcspStaple::Good) << false << true;
        QTest::newRow("asked, unknown") << int(StatusRequest::Request) << int(OcspStaple::Unknown) << true << false;
        QTest::newRow("required, good") << int(StatusRequest::Require) << int(OcspStaple::Good) << true << true;
    }
    void staplingNeedsBothSides()
    {
        QFETCH(int, client);
        QFETCH(int, server);
        QFETCH(bool, stapled);
        QFETCH(bool, completes);
        Scenario s = *app::findScenario("default");
        s.clientStatusRequest = static_cast<StatusRequest>(client);
        s.serverOcsp = static_cast<OcspStaple>(server);
        const Trace t = runScenario(s);
        QCOMPARE(sent(t, Side::Server, "CertificateStatus"), stapled);
        QVERIFY2(t.outcome.completed == completes, t.outcome.reason.c_str());
    }

    void certificateStatusRoundTripsAndRefusesOtherTypes()
    {
        CertificateStatus m;
        m.response = sign(current());
        const Bytes wire = m.serialize();
        QCOMPARE(int(wire[0]), 1);
        QVERIFY(CertificateStatus::decode(wire) == m);
        std::vector<Field> fields;
        CertificateStatus::decode(wire, &fields);
        QVERIFY(fields.size() >= 2);
        QVERIFY2(QString::fromStdString(fields.back().value).contains("good"), fields.back().value.c_str());
        Bytes other = wire;
        other[0] = 2;
        QVERIFY_THROWS_EXCEPTION(TlsError, CertificateStatus::decode(other));
        const Bytes empty{1, 0, 0, 0};
        QVERIFY_THROWS_EXCEPTION(TlsError, CertificateStatus::decode(empty));
        QCOMPARE(int(ext::parseStatusRequest(ext::statusRequestOcsp().data)), 1);
    }

    // ---- against OpenSSL
    void opensslReadsAndVerifiesOurResponse()
    {
        if (!opensslAvailable())
            QSKIP("the openssl command is not installed");
        QTemporaryDir dir;
        const QString file = dir.filePath("response.der");
        writeFile(file, sign(current()));
        const QString pki = hltest::kPki;
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start("openssl", {"ocsp", "-respin", file, "-resp_text", "-CAfile", pki + "root-ca.crt.pem",
                            "-verify_other", pki + "intermediate-ca.crt.pem", "-issuer",
                            pki + "intermediate-ca.crt.pem", "-cert", pki + "server-rsa.crt.pem",
                            "-attime", QString::number(kDemoNow)});
        QVERIFY(p.waitForFinished(20000));
        const QString out = QString::fromUtf8(p.readAll());
        QVERIFY2(out.contains("Response verify OK"), qPrintable(out));
        QVERIFY2(out.contains("Cert Status: good"), qPrintable(out));
        QVERIFY2(out.contains("OCSP Response Status: successful"), qPrintable(out));
    }

    void opensslClientReadsOurStaple()
    {
        if (!opensslAvailable())
            QSKIP("the openssl command is not installed");
        QTemporaryDir dir;
        const QString file = dir.filePath("response.der");
        // Dated around the real clock: serve checks nothing, but the response should be one a client would take.
        const std::int64_t now = QDateTime::currentSecsSinceEpoch();
        OcspResponseBuilder b;
        b.producedAt = b.thisUpdate = now - 3600;
        b.nextUpdate = now + 7 * kDay;
        writeFile(file, sign(b));
        QProcess server;
        server.setProcessChannelMode(QProcess::SeparateChannels);
        QString err;
        const quint16 port = hltest::startServe(server, {"--ocsp", file, "--timeout", "10"}, err);
        QVERIFY2(port != 0, qPrintable(err));
        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start("openssl", {"s_client", "-connect", QString("127.0.0.1:%1").arg(port), "-tls1_2", "-status",
                                 "-CAfile", hltest::kPki + "root-ca.crt.pem", "-servername", "localhost"});
        QVERIFY(client.waitForStarted());
        client.write("hello\n");
        const QString out = hltest::readUntil(client, "hello", 15000);
        client.closeWriteChannel();
        client.waitForFinished(10000);
        QVERIFY(server.waitForFinished(20000));
        QVERIFY2(out.contains("OCSP Response Status: successful"), qPrintable(out));
        QVERIFY2(out.contains("Cert Status: good"), qPrintable(out));
        const QString trace = server.readAllStandardOutput();
        QVERIFY2(trace.contains("CertificateStatus"), qPrintable(trace.right(2000)));
    }

    void ourClientChecksOpensslsStaple_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("outcome");
        QTest::newRow("good") << int(OcspCertStatus::Good) << "Outcome: completed";
        QTest::newRow("revoked") << int(OcspCertStatus::Revoked) << "certificate_revoked";
    }
    void ourClientChecksOpensslsStaple()
    {
        QFETCH(int, status);
        QFETCH(QString, outcome);
        if (!opensslAvailable())
            QSKIP("the openssl command is not installed");
        QTemporaryDir dir;
        const QString file = dir.filePath("response.der");
        const std::int64_t now = QDateTime::currentSecsSinceEpoch();
        OcspResponseBuilder b;
        b.status = static_cast<OcspCertStatus>(status);
        b.revocationTime = now - 30 * kDay;
        b.producedAt = b.thisUpdate = now - 3600;
        b.nextUpdate = now + 7 * kDay;
        writeFile(file, sign(b));
        const QString pki = hltest::kPki;
        const quint16 port = hltest::freePort();
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start("openssl", {"s_server", "-accept", QString::number(port), "-4", "-tls1_2", "-cert",
                                 pki + "server-rsa.crt.pem", "-key", pki + "server-rsa.key.pem", "-cert_chain",
                                 pki + "intermediate-ca.crt.pem", "-status_file", file, "-rev", "-naccept", "1"});
        QVERIFY(hltest::waitForOutput(server, "ACCEPT"));
        int rc = -1;
        QProcess client;
        client.setProcessChannelMode(QProcess::MergedChannels);
        client.start(hltest::kBinary, {"connect", QString("127.0.0.1:%1").arg(port), "--status", "--servername",
                                       "localhost", "--timeout", "10"});
        QVERIFY(client.waitForFinished(30000));
        rc = client.exitCode();
        server.kill();
        server.waitForFinished(5000);
        const QString out = QString::fromUtf8(client.readAll());
        QVERIFY2(out.contains("CertificateStatus"), qPrintable(out.right(3000)));
        QVERIFY2(out.contains(outcome), qPrintable(out.right(3000)));
        QCOMPARE(rc, outcome.startsWith("Outcome") ? 0 : 1);
    }
};

QTEST_GUILESS_MAIN(TestOcsp)
#include "test_ocsp.moc"
