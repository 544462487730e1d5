// The tamper sweep: one bit flipped in one byte of one record, for records of every shipped scenario that completes,
// through the pipe's interceptor. Every such flip must end the run with a fatal alert: none may complete with the
// change unnoticed, and none may leave both sides waiting with no alert, except the positions described below, each
// with why: two a TLS stack is right to ignore (harmless()), and handshake lengths made larger, which a stack is right
// to wait on (waitsForTheRest()).
//
// Run time: every byte of every record would be some 60,000 handshakes. The sweep samples: every byte of each
// record's header, of each plaintext handshake message's header and of each record of up to 32 bytes (alerts, CCS,
// short Finished), and for longer records 8 positions spread over the body plus its last 4 bytes (where a MAC or tag
// ends): about 5,000 handshakes, some 15 s of CPU. HL_TAMPER_SWEEP=full flips every byte instead (many minutes).
#include "pki.h"
#include "scenario_library.h"

#include "session/session.h"

#include <QTest>

#include <cstdlib>
#include <set>
#include <sstream>

using namespace hl;

namespace {

// Flips one bit of byte `at` of the wire's record number `target` (both directions, counted from 0).
class ByteFlip : public Interceptor {
public:
    ByteFlip(std::size_t target, std::size_t at) : m_target(target), m_at(at) {}
    InterceptAction onRecord(Side, std::size_t index, Bytes& record, std::string& note) override
    {
        if (index == m_target && m_at < record.size()) {
            record[m_at] ^= 0x01;
            note = "tamper sweep: one bit of byte " + std::to_string(m_at) + " flipped";
            m_applied = true;
        }
        return InterceptAction::Pass;
    }
    bool applied() const { return m_applied; }

private:
    std::size_t m_target, m_at;
    bool m_applied = false;
};

// The record events of a run, in wire order.
std::vector<const RecordEvent*> records(const Trace& t)
{
    std::vector<const RecordEvent*> out;
    for (const TraceEvent& e : t.events())
        if (const auto* r = std::get_if<RecordEvent>(&e))
            out.push_back(r);
    return out;
}

// The byte positions the sweep flips in one record (see the file comment).
std::vector<std::size_t> positions(const RecordEvent& r, bool full)
{
    const std::size_t size = r.wire.size();
    std::set<std::size_t> at;
    if (full || size <= 5 + 32) {
        for (std::size_t i = 0; i < size; ++i)
            at.insert(i);
    } else {
        for (std::size_t i = 0; i < 5; ++i)
            at.insert(i);
        for (std::size_t k = 0; k < 8; ++k)
            at.insert(5 + (size - 5) * k / 8);
        for (std::size_t i = size - 4; i < size; ++i)
            at.insert(i);
        // Each plaintext handshake message's 4-byte header (type, 24-bit length).
        if (!r.isProtected)
            for (const MessageInfo& m : r.messages)
                for (std::size_t i = 0; i < 4 && m.handshakeType != 0xff; ++i)
                    at.insert(5 + m.offset + i);
    }
    return {at.begin(), at.end()};
}

// RFC 5246 Appendix E.1: the record-layer version of a ClientHello record may be any 0x03XX (clients put 0x0301 there
// for old servers' sake), and a server must take the ClientHello whatever its minor number; the client reads the
// record carrying ServerHello before it knows the version that hello names, so it checks the version in the hello,
// not in the header (as OpenSSL does). So in each connection the minor byte of those two records' headers may change
// unnoticed; from then on every record must carry the agreed version. Nothing else may change unnoticed.
bool harmless(const RecordEvent& r, std::size_t at, bool versionAgreedForReceiver)
{
    return at == 2 && !r.isProtected && !versionAgreedForReceiver;
}

// A plaintext handshake message's 24-bit length made larger: the receiver waits for the rest of the message, since
// a handshake message may span records (RFC 5246 §6.2.1), and in memory the wire then goes quiet. OpenSSL waits the
// same way for most messages (it refuses at once only lengths above a per-message maximum, such as a non-empty
// ServerHelloDone). On a network the wait ends with user_canceled at serve's --handshake-timeout or the idle
// --timeout; here it must at least not complete.
bool waitsForTheRest(const RecordEvent& r, std::size_t at)
{
    if (r.isProtected || at >= r.wire.size() || (r.wire[at] & 0x01) != 0)
        return false; // only a flip that sets a bit makes the length larger
    for (const MessageInfo& m : r.messages)
        if (m.handshakeType != 0xff && at >= 5 + m.offset + 1 && at <= 5 + m.offset + 3)
            return true;
    return false;
}

struct Sweep {
    std::size_t runs = 0, harmless = 0, waiting = 0;
    std::vector<std::string> problems;
};

void sweepScenario(const Scenario& s, bool full, Sweep& out)
{
    RunOptions opts;
    opts.seed = 1;
    opts.now = kReproducibleNow;
    const Trace clean = runScenario(s, app::demoPki(), opts);
    QVERIFY2(clean.outcome.completed, s.name.c_str());
    const auto recs = records(clean);
    for (std::size_t i = 0; i < recs.size(); ++i) {
        const RecordEvent& r = *recs[i];
        // Whether the receiver knew the version when this record came: a ServerHello of this connection went before.
        bool agreed = false;
        for (std::size_t j = 0; j < i; ++j)
            for (const MessageInfo& m : recs[j]->messages)
                agreed = agreed || (m.name == "ServerHello" && recs[j]->connection == r.connection);
        for (const std::size_t at : positions(r, full)) {
            ByteFlip flip(i, at);
            opts.interceptor = &flip;
            const Trace t = runScenario(s, app::demoPki(), opts);
            ++out.runs;
            if (!flip.applied()) {
                out.problems.push_back(s.name + ": record " + std::to_string(i) + " was never on the wire");
                continue;
            }
            if (failedWithAlert(t.outcome))
                continue;
            if (harmless(r, at, agreed)) {
                ++out.harmless;
                continue;
            }
            if (!t.outcome.completed && waitsForTheRest(r, at)) {
                ++out.waiting;
                continue;
            }
            std::ostringstream why;
            why << s.name << ": record #" << (i + 1) << " (" << (r.from == Side::Client ? "client " : "server ")
                << (r.messages.empty() ? std::string("?") : r.messages.front().name) << ", " << r.wire.size()
                << " bytes), byte " << at << ": "
                << (t.outcome.completed ? "completed unnoticed" : "stalled without an alert: " + t.outcome.reason);
            out.problems.push_back(why.str());
        }
    }
}

} // namespace

class TestTamperSweep : public QObject {
    Q_OBJECT
private slots:
    void everyFlipEndsInAnAlert()
    {
        const bool full = qgetenv("HL_TAMPER_SWEEP") == "full";
        Sweep sweep;
        std::size_t scenarios = 0;
        for (const app::ScenarioEntry& e : app::scenarioLibrary()) {
            // Shipped scenarios that complete as they are: an attack scenario's own interceptor would stand in
            // the sweep's way, and its failure is its lesson already. The splicing attack runs three parties on
            // wires of its own, which the sweep's one interceptor never sees.
            if (!e.shipped || !e.error.empty() || !e.scenario.expect.completed || !e.scenario.interceptRules.empty() ||
                (e.scenario.renegotiate && e.scenario.renegotiate->spliceAttack))
                continue;
            ++scenarios;
            sweepScenario(e.scenario, full, sweep);
            if (QTest::currentTestFailed())
                return;
        }
        qInfo("%zu scenarios, %zu flips, %zu on the harmless list, %zu waiting for a longer handshake message",
              scenarios, sweep.runs, sweep.harmless, sweep.waiting);
        QVERIFY(scenarios >= 15);
        std::string all;
        for (const std::string& p : sweep.problems)
            all += p + "\n";
        QVERIFY2(sweep.problems.empty(), all.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTamperSweep)
#include "test_tamper_sweep.moc"
