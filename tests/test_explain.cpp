// The explanation panel's text: every event of every built-in scenario is explained, and the words follow the
// run (the group actually used, the alert actually sent, forward secrecy where it is missing).
#include "pki.h"
#include "scenario_library.h"
#include "session_support.h"

#include "crypto/cipher_suite.h"
#include "session/session.h"
#include "trace/explain.h"

#include <QTest>

#include <algorithm>

using namespace hl;

namespace {

Trace run(const std::string& scenario, std::uint16_t suite = 0, Interceptor* interceptor = nullptr)
{
    return hltest::runDemo(scenario, {suite, 7, interceptor});
}

// Changes or drops the record with one wire index.
class Tamper : public Interceptor {
public:
    std::size_t target = 0;
    bool drop = false;
    InterceptAction onRecord(Side, std::size_t index, Bytes& record, std::string& note) override
    {
        if (index != target)
            return InterceptAction::Pass;
        note = "test tampering";
        if (drop)
            return InterceptAction::Drop;
        record.back() ^= 0x01;
        return InterceptAction::Pass;
    }
};

bool has(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string all(const Explanation& x)
{
    return x.title + "\n" + x.what + "\n" + x.why + "\n" + x.realWorld;
}

// The wire index (records only) of the record whose first message is `name`, sent by `from`.
std::size_t wireIndex(const Trace& t, Side from, const std::string& name)
{
    std::size_t n = 0;
    for (const TraceEvent& e : t.events())
        if (const auto* r = std::get_if<RecordEvent>(&e)) {
            if (r->from == from && !r->messages.empty() && r->messages.front().name == name)
                return n;
            ++n;
        }
    return SIZE_MAX;
}

// Index of the record whose first message is `name`, sent by `from`; SIZE_MAX when there is none.
std::size_t recordIndex(const Trace& t, Side from, const std::string& name)
{
    for (std::size_t i = 0; i < t.size(); ++i)
        if (const auto* r = std::get_if<RecordEvent>(&t.events()[i]))
            if (r->from == from && !r->messages.empty() && r->messages.front().name == name)
                return i;
    return SIZE_MAX;
}

template <typename T, typename Pred> std::size_t eventIndex(const Trace& t, Pred pred)
{
    for (std::size_t i = 0; i < t.size(); ++i)
        if (const auto* e = std::get_if<T>(&t.events()[i]); e && pred(*e))
            return i;
    return SIZE_MAX;
}

} // namespace

class TestExplain : public QObject {
    Q_OBJECT
private slots:
    // The opening overview tells what the run is about but keeps how it ends for the class to find.
    void openingOverviewDoesNotGiveTheEndingAway_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char* s : {"default", "wrong-host", "client-auth-missing", "rsa"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void openingOverviewDoesNotGiveTheEndingAway()
    {
        QFETCH(QString, scenario);
        const Trace t = run(scenario.toStdString());
        const Explanation x = explainRunOpening(t);
        const std::string text = all(x);
        QVERIFY(!x.what.empty());
        QVERIFY2(text.find(app::findScenario(scenario.toStdString())->description) != std::string::npos, text.c_str());
        for (const char* ending : {"completed", "failed", "fatal"})
            QVERIFY2(text.find(ending) == std::string::npos, text.c_str());
        if (!t.outcome.completed)
            QVERIFY(text.find(alertName(t.outcome.alert)) == std::string::npos);
    }

    void everyEventOfEveryScenarioHasATitleAndWhat_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const Scenario& s : app::builtinScenarios())
            QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name);
    }
    void everyEventOfEveryScenarioHasATitleAndWhat()
    {
        QFETCH(QString, scenario);
        const Trace t = run(scenario.toStdString());
        // A refusal at ClientHello (no common version or suite) is short; a completed run is not.
        QVERIFY(t.size() > (t.outcome.completed ? 10u : 3u));
        for (std::size_t i = 0; i < t.size(); ++i) {
            const Explanation x = explainEvent(t, i);
            const std::string where = std::to_string(i) + " (" + eventKind(t.events()[i]) + ")";
            QVERIFY2(!x.title.empty(), where.c_str());
            QVERIFY2(!x.what.empty(), where.c_str());
            QVERIFY2(!x.why.empty(), (where + " " + x.title).c_str());
        }
        const Explanation overview = explainRun(t);
        QVERIFY(!overview.title.empty());
        QVERIFY(!overview.what.empty());
    }

    // The window's explainer gathers the run once; it must say exactly what explainEvent and teacherNote say.
    void runExplainerSaysWhatExplainEventSays()
    {
        std::size_t notes = 0;
        for (const Scenario& s : app::builtinScenarios()) {
            const Trace t = run(s.name);
            const RunExplainer explainer(t);
            for (std::size_t i = 0; i <= t.size(); ++i) {
                const Explanation a = explainEvent(t, i), b = explainer.event(i);
                const std::string where = s.name + " event " + std::to_string(i);
                QVERIFY2(a.title == b.title && a.what == b.what && a.why == b.why && a.realWorld == b.realWorld &&
                             a.rfc == b.rfc,
                         where.c_str());
                QVERIFY2(teacherNote(t, i) == explainer.teacherNote(i), where.c_str());
                notes += explainer.teacherNote(i).empty() ? 0 : 1;
            }
        }
        QVERIFY(notes > 10); // the shipped scenarios carry teacher's notes, so the comparison saw some
        // The default scenario's note on ServerKeyExchange sits on the record that carries it, and nowhere else.
        const Trace t = run("default");
        const RunExplainer explainer(t);
        int found = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            const std::string note = explainer.teacherNote(i);
            if (note.find("x25519 public value and an RSA-PSS signature") == std::string::npos)
                continue;
            ++found;
            const auto* r = std::get_if<RecordEvent>(&t.events()[i]);
            QVERIFY(r && r->from == Side::Server);
            QVERIFY(std::any_of(r->messages.begin(), r->messages.end(),
                                [](const MessageInfo& m) { return m.name == "ServerKeyExchange"; }));
        }
        QCOMPARE(found, 1);
    }

    void everySuiteIsExplainedWithItsOwnCipher_data()
    {
        QTest::addColumn<int>("suite");
        for (const CipherSuite& s : allCipherSuites())
            QTest::newRow(std::string(s.name).c_str()) << int(s.id);
    }
    void everySuiteIsExplainedWithItsOwnCipher()
    {
        QFETCH(int, suite);
        const Trace t = run("default", static_cast<std::uint16_t>(suite));
        QVERIFY(t.outcome.completed);
        for (std::size_t i = 0; i < t.size(); ++i) {
            const Explanation x = explainEvent(t, i);
            QVERIFY2(!x.title.empty() && !x.what.empty(), std::to_string(i).c_str());
        }
        const CipherSuite& cs = *findCipherSuite(static_cast<std::uint16_t>(suite));
        const Explanation sh = explainEvent(t, recordIndex(t, Side::Server, "ServerHello"));
        QVERIFY2(has(sh.what, std::string(cs.name)), sh.what.c_str());
        const Explanation overview = explainRun(t);
        QVERIFY2(has(overview.what, std::string(cs.name)), overview.what.c_str());
        // The explanation of a protected application data record names how this suite protects it.
        const Explanation data = explainEvent(t, recordIndex(t, Side::Client, "ApplicationData"));
        const std::string expected = cs.isAead() ? "AEAD" : "MAC-then-encrypt";
        QVERIFY2(has(data.why, expected), data.why.c_str());
    }

    void serverKeyExchangeNamesTheGroupUsed()
    {
        const Trace t = run("default");
        const std::size_t i = recordIndex(t, Side::Server, "ServerKeyExchange");
        QVERIFY(i != SIZE_MAX);
        const auto& rec = std::get<RecordEvent>(t.events()[i]);
        const Field* curve = findField(rec.messages.front().fields, "named_curve");
        QVERIFY(curve);
        const std::string group = curve->value.substr(0, curve->value.find(" ("));
        QVERIFY(!group.empty());
        const Explanation x = explainEvent(t, i);
        QCOMPARE(x.title, std::string("ServerKeyExchange (server → client)"));
        QVERIFY2(has(x.what, group), x.what.c_str());
        QVERIFY(!x.rfc.empty());
    }

    void rsaRunExplainsTheMissingForwardSecrecy()
    {
        const Trace t = run("rsa");
        QVERIFY(t.outcome.completed);
        const std::size_t i = eventIndex<SkippedStepEvent>(
            t, [](const SkippedStepEvent& s) { return s.message == "ServerKeyExchange" && s.sender == Side::Server; });
        QVERIFY(i != SIZE_MAX);
        const Explanation x = explainEvent(t, i);
        QVERIFY2(has(x.what, std::get<SkippedStepEvent>(t.events()[i]).reason), x.what.c_str());
        QVERIFY2(has(x.why, "forward secrecy"), x.why.c_str());
        QVERIFY2(has(explainRun(t).why, "no forward secrecy"), explainRun(t).why.c_str());
        // The RSA ClientKeyExchange is an encrypted pre-master secret, the ECDHE one a public key.
        QVERIFY(has(explainEvent(t, recordIndex(t, Side::Client, "ClientKeyExchange")).what, "encrypted"));
        const Trace ecdhe = run("default");
        QVERIFY(has(explainRun(ecdhe).why, "has forward secrecy"));
        QVERIFY(has(explainEvent(ecdhe, recordIndex(ecdhe, Side::Client, "ClientKeyExchange")).what, "public key"));
    }

    void secretExplanationsCarryTheirFormula()
    {
        const Trace t = run("default");
        std::size_t seen = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            const auto* s = std::get_if<SecretEvent>(&t.events()[i]);
            if (!s || s->formula.empty())
                continue;
            const Explanation x = explainEvent(t, i);
            QVERIFY2(has(x.what, s->formula), (s->name + ": " + x.what).c_str());
            QVERIFY2(!has(x.title, "derives " + s->name), x.title.c_str()); // a known name gets its own title
            ++seen;
        }
        QVERIFY(seen >= 10);
    }

    void finishedSaysItTravelsEncrypted()
    {
        const Trace t = run("default");
        for (Side s : {Side::Client, Side::Server}) {
            const std::size_t i = recordIndex(t, s, "Finished");
            QVERIFY(i != SIZE_MAX);
            const auto& rec = std::get<RecordEvent>(t.events()[i]);
            const Explanation x = explainEvent(t, i);
            QVERIFY2(has(x.what, "encrypted with " + rec.protection), x.what.c_str());
        }
    }

    void failedRunsNameTheAlertTheTraceCarries_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("wrong-host") << QString("wrong-host");
        QTest::newRow("client-auth-missing") << QString("client-auth-missing");
    }
    void failedRunsNameTheAlertTheTraceCarries()
    {
        QFETCH(QString, scenario);
        const Trace t = run(scenario.toStdString());
        QVERIFY(!t.outcome.completed);
        const std::string alert = alertName(t.outcome.alert);

        const std::size_t sent = eventIndex<AlertEvent>(t, [](const AlertEvent& a) { return a.sent; });
        QVERIFY(sent != SIZE_MAX);
        const auto& ev = std::get<AlertEvent>(t.events()[sent]);
        QCOMPARE(ev.description, t.outcome.alert);
        const Explanation x = explainEvent(t, sent);
        QVERIFY2(has(x.title, alert), x.title.c_str());
        QVERIFY2(has(x.title, "fatal"), x.title.c_str());
        QVERIFY2(has(x.what, ev.reason), x.what.c_str());

        const std::size_t record = recordIndex(t, t.outcome.alertFrom, "Alert");
        QVERIFY(record != SIZE_MAX);
        const Explanation rx = explainEvent(t, record);
        QVERIFY2(has(rx.what, alert), rx.what.c_str());
        QVERIFY2(has(rx.what, "in clear"), rx.what.c_str()); // sent before the sender switched on encryption

        const Explanation overview = explainRun(t);
        QVERIFY2(has(overview.title, "failed"), overview.title.c_str());
        QVERIFY2(has(overview.what, "failed"), overview.what.c_str());
        QVERIFY2(has(overview.what, alert), overview.what.c_str());
        QVERIFY2(has(overview.what, t.outcome.reason), overview.what.c_str());
    }

    void failedHostNameCheckSaysWhatItGuardsAgainst()
    {
        const Trace t = run("wrong-host");
        const std::size_t i =
            eventIndex<CertificateCheckEvent>(t, [](const CertificateCheckEvent& c) { return !c.passed; });
        QVERIFY(i != SIZE_MAX);
        QCOMPARE(std::get<CertificateCheckEvent>(t.events()[i]).check, std::string("hostname"));
        const Explanation x = explainEvent(t, i);
        QVERIFY2(has(x.title, "failed"), x.title.c_str());
        QVERIFY2(has(x.what, "bad_certificate"), x.what.c_str());
        QVERIFY2(has(x.why, "attacker"), x.why.c_str());
        QVERIFY2(has(explainRun(t).why, "attacker"), explainRun(t).why.c_str());
    }

    void completedRunSaysSo()
    {
        const Trace t = run("client-auth");
        QVERIFY(t.outcome.completed);
        const Explanation x = explainRun(t);
        QVERIFY2(has(x.title, "completed"), x.title.c_str());
        QVERIFY2(has(x.what, "completed"), x.what.c_str());
        QVERIFY2(has(x.what, "presents one"), x.what.c_str());
        QVERIFY(!has(all(x), "failed"));
        const std::size_t cr = recordIndex(t, Side::Server, "CertificateRequest");
        QVERIFY(cr != SIZE_MAX);
        QVERIFY(has(explainEvent(t, cr).realWorld, "mutual TLS"));
    }

    void tamperedRunsAreExplainedToo_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("drop");
        QTest::addColumn<int>("alert"); // -1: the run just stops
        QTest::newRow("flipped bit in client Finished")
            << QString("Finished") << false << int(AlertDescription::BadRecordMac);
        QTest::newRow("dropped ServerKeyExchange")
            << QString("ServerKeyExchange") << true << int(AlertDescription::UnexpectedMessage);
        QTest::newRow("dropped ServerHelloDone") << QString("ServerHelloDone") << true << -1;
    }
    void tamperedRunsAreExplainedToo()
    {
        QFETCH(QString, message);
        QFETCH(bool, drop);
        QFETCH(int, alert);
        const Trace clean = run("default");
        const Side from = message == "Finished" ? Side::Client : Side::Server;
        Tamper tamper;
        tamper.target = wireIndex(clean, from, message.toStdString());
        tamper.drop = drop;
        QVERIFY(tamper.target != SIZE_MAX);
        const Trace t = run("default", 0, &tamper);
        QVERIFY(!t.outcome.completed);
        bool sawTampering = false;
        for (std::size_t i = 0; i < t.size(); ++i) {
            const Explanation x = explainEvent(t, i);
            const std::string where = std::to_string(i) + " (" + eventKind(t.events()[i]) + ")";
            QVERIFY2(!x.title.empty() && !x.what.empty() && !x.why.empty(), where.c_str());
            sawTampering = sawTampering || has(x.what, "est tampering"); // the note, capitalised or not
        }
        QVERIFY(sawTampering);
        const Explanation overview = explainRun(t);
        QVERIFY2(has(overview.title, "failed"), overview.title.c_str());
        if (alert >= 0)
            QVERIFY2(has(overview.what, alertName(static_cast<std::uint8_t>(alert))), overview.what.c_str());
        else
            QVERIFY2(has(overview.what, t.outcome.reason), overview.what.c_str());
    }

    void outOfRangeIsEmpty()
    {
        const Trace t = run("default");
        QVERIFY(explainEvent(t, t.size()).empty());
        QVERIFY(explainEvent(t, SIZE_MAX).empty());
        QVERIFY(explainEvent(Trace{}, 0).empty());
        QVERIFY(!explainEvent(t, t.size() - 1).empty());
        QVERIFY(!explainRun(Trace{}).title.empty());
        QVERIFY(!explainRunOpening(Trace{}).title.empty());
    }
};

QTEST_GUILESS_MAIN(TestExplain)
#include "test_explain.moc"
