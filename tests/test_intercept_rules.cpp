// The attacker in the middle as rules: each rule finds its record by message, acts on the named field or byte, and
// a rule that could not act says why. Every built-in scenario ends the way it declares.
#include "alert_support.h"
#include "scenario_library.h"
#include "session_support.h"

#include "session/intercept_rules.h"
#include "session/scenario.h"

#include <QTest>

using namespace hl;
using namespace hltest;

namespace {
Trace runWith(const std::string& scenarioName, std::vector<InterceptRule> rules, std::uint16_t serverSuite = 0)
{
    Scenario s = *app::findScenario(scenarioName);
    s.interceptRules = std::move(rules);
    if (serverSuite)
        s.cipherSuite = serverSuite;
    RunOptions o;
    o.seed = 3;
    o.now = kDemoNow;
    return runScenario(s, app::demoPki(), o);
}

InterceptRule flip(const std::string& message, const std::string& field)
{
    InterceptRule r;
    r.message = message;
    r.field = field;
    return r;
}

std::size_t modifiedRecords(const Trace& t)
{
    std::size_t n = 0;
    for (const RecordEvent* r : records(t))
        n += r->note.rfind("modified in transit", 0) == 0 ? 1 : 0;
    return n;
}
} // namespace

class TestInterceptRules : public QObject {
    Q_OBJECT
private slots:
    void everyBuiltinScenarioEndsAsDeclared_data()
    {
        QTest::addColumn<QString>("name");
        for (const Scenario& s : app::builtinScenarios())
            QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name);
    }
    void everyBuiltinScenarioEndsAsDeclared()
    {
        QFETCH(QString, name);
        const Scenario& s = *app::findScenario(name.toStdString());
        const Trace t = runDemo(s.name);
        std::string why;
        QVERIFY2(meetsExpectation(s, t, &why), why.c_str());
        if (!s.expect.completed) {
            QCOMPARE(alertName(t.outcome.alert), alertName(s.expect.alert));
            QCOMPARE(t.outcome.alertFrom, s.expect.alertFrom);
        }
    }

    void anExpectationThatIsNotMetSaysWhatHappened()
    {
        Scenario s = *app::findScenario("wrong-host");
        const Trace t = runDemo("default");
        std::string why;
        QVERIFY(!meetsExpectation(s, t, &why));
        QVERIFY2(why.find("bad_certificate") != std::string::npos, why.c_str());
        QVERIFY2(why.find("completed") != std::string::npos, why.c_str());
    }

    void aFlippedSignatureFieldIsCaughtByTheClient()
    {
        const Trace t = runWith("default", {flip("ServerKeyExchange", "signature")});
        QCOMPARE(modifiedRecords(t), std::size_t{1});
        QVERIFY(t.warnings.empty());
        QVERIFY(!t.outcome.completed);
        QCOMPARE(alertName(t.outcome.alert), std::string("decrypt_error"));
        QCOMPARE(t.outcome.alertFrom, Side::Client);
    }

    void aRuleOnAMessageThatIsNeverSentIsReported()
    {
        // RSA key transport has no ServerKeyExchange to forge.
        const Trace t = runWith("default", {flip("ServerKeyExchange", "signature")}, 0x002f);
        QVERIFY(t.outcome.completed);
        QCOMPARE(t.warnings.size(), std::size_t{1});
        QVERIFY2(t.warnings[0].find("no such message crossed the wire") != std::string::npos, t.warnings[0].c_str());
        std::string why;
        Scenario s = *app::findScenario("default");
        QVERIFY(!meetsExpectation(s, t, &why));
    }

    void aFieldTheMessageLacksIsReported()
    {
        const Trace t = runWith("default", {flip("ServerHello", "no_such_field")});
        QVERIFY(t.outcome.completed);
        QCOMPARE(t.warnings.size(), std::size_t{1});
        QVERIFY2(t.warnings[0].find("no field \"no_such_field\"") != std::string::npos, t.warnings[0].c_str());
    }

    void aFieldOfAnEncryptedMessageCannotBeFound()
    {
        InterceptRule r = flip("Finished", "verify_data");
        r.from = Side::Client;
        const Trace t = runWith("default", {r});
        QVERIFY(t.outcome.completed);
        QCOMPARE(t.warnings.size(), std::size_t{1});
        QVERIFY2(t.warnings[0].find("encrypted") != std::string::npos, t.warnings[0].c_str());
    }

    void aFlippedByteOfTheEncryptedFinishedIsABadRecordMac()
    {
        InterceptRule r;
        r.message = "Finished";
        r.from = Side::Server;
        r.byte = 10;
        const Trace t = runWith("default", {r});
        QVERIFY(!t.outcome.completed);
        QCOMPARE(alertName(t.outcome.alert), std::string("bad_record_mac"));
        QCOMPARE(t.outcome.alertFrom, Side::Client);
    }

    void theSecondOccurrenceIsFoundByCount()
    {
        // The server's second ApplicationData only exists with two exchanges: the first passes, the second fails.
        Scenario s = *app::findScenario("default");
        s.repeat = 2;
        InterceptRule r;
        r.message = "ApplicationData";
        r.from = Side::Server;
        r.occurrence = 2;
        r.byte = 0;
        s.interceptRules = {r};
        RunOptions o;
        o.seed = 3;
        o.now = kDemoNow;
        const Trace t = runScenario(s, app::demoPki(), o);
        QCOMPARE(alertName(t.outcome.alert), std::string("bad_record_mac"));
        QCOMPARE(t.outcome.alertFrom, Side::Client);
        std::size_t clientReads = 0;
        for (const TraceEvent& e : t.events())
            if (const auto* d = std::get_if<ApplicationDataEvent>(&e); d && d->side == Side::Client)
                ++clientReads;
        QCOMPARE(clientReads, std::size_t{1});
    }

    void aDroppedRecordStopsTheHandshakeWithoutAnAlert()
    {
        InterceptRule r;
        r.message = "ServerHelloDone";
        r.action = InterceptRule::Action::Drop;
        const Trace t = runWith("default", {r});
        QVERIFY(!t.outcome.completed);
        QCOMPARE(t.outcome.alert, std::uint8_t{0});
        bool sawDrop = false;
        for (const TraceEvent& e : t.events())
            if (const auto* st = std::get_if<StateEvent>(&e); st && st->state == "record dropped")
                sawDrop = st->note.find("ServerHelloDone") != std::string::npos;
        QVERIFY(sawDrop);
    }

    void aRewrittenOfferKeepsEveryLengthRight()
    {
        InterceptRule r;
        r.message = "ClientHello";
        r.action = InterceptRule::Action::Rewrite;
        r.setSuites = {0x002f, 0x0035};
        const Trace t = runWith("negotiation", {r});
        // The server parsed the rewritten hello (lengths fixed) and chose from the attacker's list...
        QCOMPARE(t.negotiations.size(), std::size_t{1});
        const std::vector<std::uint16_t> offered{0x002f, 0x0035};
        QVERIFY(t.negotiations[0].offeredSuites == offered);
        QCOMPARE(t.negotiations[0].suite, std::uint16_t{0x002f});
        // ...and the keys differ because the extended master secret covers the real hello.
        QVERIFY(!t.outcome.completed);
        QCOMPARE(t.outcome.alertFrom, Side::Server);
    }
};

QTEST_GUILESS_MAIN(TestInterceptRules)
#include "test_intercept_rules.moc"
