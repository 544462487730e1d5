// What a hostile or broken peer meets: a record version other than the negotiated one, floods of warnings or empty
// records, FFDHE groups the server cannot use (RFC 7919 §4). Each ends with the alert a real stack would send.
#include "alert_support.h"
#include "scenario_library.h"
#include "session_support.h"

#include "crypto/rng.h"
#include "session/session.h"

#include <QTest>

using namespace hl;
using namespace hltest;

namespace {
struct Pair {
    SeededRng clientRng{11, "client"}, serverRng{11, "server"};
    std::unique_ptr<Session> session;
    Pair(EndpointConfig c, EndpointConfig s)
    {
        session = std::make_unique<Session>(std::move(c), std::move(s), clientRng, serverRng);
    }
};

EndpointConfig clientConfig()
{
    return clientConfigFor(*app::findScenario("default"), app::demoPki(), kDemoNow);
}
EndpointConfig serverConfig()
{
    return serverConfigFor(*app::findScenario("default"), app::demoPki(), kDemoNow);
}

// Rewrites the record-header version of the client's n-th handshake record.
class RecordVersion : public Interceptor {
public:
    explicit RecordVersion(std::size_t handshakeRecord) : m_target(handshakeRecord) {}
    InterceptAction onRecord(Side from, std::size_t, Bytes& record, std::string& note) override
    {
        if (from == Side::Client && record[0] == 22 && ++m_seen == m_target) {
            record[2] = 0x02;
            note = "record version rewritten to 3,2";
        }
        return InterceptAction::Pass;
    }

private:
    std::size_t m_target, m_seen = 0;
};
} // namespace

class TestHardening : public QObject {
    Q_OBJECT
private slots:
    void aRecordWithAnotherVersionAfterServerHelloIsRefused()
    {
        // The ClientHello record may say anything from 3,0 on; the client's second handshake record comes after
        // ServerHello and must say 3,3.
        RecordVersion second(2);
        DemoRun how;
        how.interceptor = &second;
        const Trace t = runDemo("default", how);
        QVERIFY(!t.outcome.completed);
        QCOMPARE(alertName(t.outcome.alert), std::string("protocol_version"));
        QCOMPARE(t.outcome.alertFrom, Side::Server);
        QVERIFY2(t.outcome.reason.find("TLS 1.1 (3,2 on the wire)") != std::string::npos, t.outcome.reason.c_str());

        // The first (ClientHello) record's version is free: rewriting it changes nothing.
        RecordVersion first(1);
        how.interceptor = &first;
        QVERIFY(runDemo("default", how).outcome.completed);
    }

    void aFloodOfWarningAlertsIsCutOff()
    {
        Trace trace;
        SeededRng rng(1, "server");
        Server server(serverConfig(), rng, trace, TraceOptions{true, true});
        server.start();
        const Bytes warning = fromHex("150301000201" "5a"); // user_canceled, a warning
        for (int i = 0; i < 5; ++i)
            server.receive(warning);
        QVERIFY(!server.failed());
        server.receive(warning);
        QVERIFY(server.failed());
        QCOMPARE(alertName(server.failureAlert()), std::string("unexpected_message"));
        QVERIFY(server.failureReason().find("warning alerts in a row") != std::string::npos);
    }

    void aFloodOfEmptyRecordsIsCutOff()
    {
        Pair p(clientConfig(), serverConfig());
        Session& s = *p.session;
        s.start();
        s.runUntilIdle();
        QVERIFY(s.client().handshakeComplete() && s.server().handshakeComplete());
        for (int i = 0; i < 32; ++i)
            s.client().sendApplicationData({});
        for (Bytes& r : s.client().takeOutgoing())
            s.server().receiveRecord(r);
        QVERIFY2(!s.server().failed(), s.server().failureReason().c_str());
        s.client().sendApplicationData({});
        for (Bytes& r : s.client().takeOutgoing())
            s.server().receiveRecord(r);
        QVERIFY(s.server().failed());
        QCOMPARE(alertName(s.server().failureAlert()), std::string("unexpected_message"));
        QVERIFY(s.server().failureReason().find("empty records in a row") != std::string::npos);
    }

    void onlyUnknownFfdheGroupsIsInsufficientSecurity()
    {
        // RFC 7919 §4: the client lists FFDHE groups (ffdhe3072 = 257) but none the server accepts, and no other
        // suite fits: insufficient_security, not handshake_failure.
        EndpointConfig c = clientConfig();
        c.cipherSuites = {0x009e};
        c.groups = {257};
        EndpointConfig srv = serverConfig();
        srv.cipherSuites = {0x009e, 0xc02f};
        Pair p(c, srv);
        p.session->start();
        p.session->runUntilIdle();
        QVERIFY(p.session->server().failed());
        QCOMPARE(alertName(p.session->server().failureAlert()), std::string("insufficient_security"));

        // With another usable suite on offer the server takes it instead (RFC 7919 §4: SHOULD).
        c.cipherSuites = {0x009e, 0xc02f};
        c.groups = {257, static_cast<std::uint16_t>(NamedGroup::X25519)};
        Pair q(c, srv);
        q.session->start();
        q.session->runUntilIdle();
        QVERIFY2(q.session->server().handshakeComplete(), q.session->server().failureReason().c_str());
        QCOMPARE(q.session->server().cipherSuite()->id, std::uint16_t{0xc02f});
    }
};

QTEST_GUILESS_MAIN(TestHardening)
#include "test_hardening.moc"
