// Event kind names shared by every serialisation of the trace.
#include "trace/trace.h"

#include "crypto/cipher_suite.h"

namespace hl {

const char* eventKind(const TraceEvent& e)
{
    struct Visitor {
        const char* operator()(const RecordEvent&) const { return "record"; }
        const char* operator()(const SecretEvent&) const { return "secret"; }
        const char* operator()(const CertificateCheckEvent&) const { return "certificate_check"; }
        const char* operator()(const CertificateChainEvent&) const { return "certificate_chain"; }
        const char* operator()(const StateEvent&) const { return "state"; }
        const char* operator()(const SkippedStepEvent&) const { return "skipped"; }
        const char* operator()(const AlertEvent&) const { return "alert"; }
        const char* operator()(const ApplicationDataEvent&) const { return "application_data"; }
    };
    return std::visit(Visitor{}, e);
}

int connectionOf(const TraceEvent& e)
{
    return std::visit([](const auto& ev) { return ev.connection; }, e);
}

int Trace::connectionCount() const
{
    int n = 1;
    for (const TraceEvent& e : m_events)
        n = std::max(n, connectionOf(e));
    return n;
}

void Trace::dropOldestOfTail()
{
    // Drops the oldest records of the tail down to the latest m_latestRecords, each with the events that followed it
    // (the data it carried, a state change); done in batches, so each add costs O(1) on average.
    auto end = m_events.begin() + static_cast<std::ptrdiff_t>(m_head);
    std::size_t records = 0;
    while (end != m_events.end()) {
        if (std::holds_alternative<RecordEvent>(*end)) {
            if (m_tailRecords - records == m_latestRecords)
                break;
            ++records;
        }
        ++end;
    }
    const auto begin = m_events.begin() + static_cast<std::ptrdiff_t>(m_head);
    m_droppedEvents += static_cast<std::size_t>(end - begin);
    m_droppedRecords += records;
    m_tailRecords -= records;
    m_events.erase(begin, end);
}

std::string outcomeSummary(const Trace& trace)
{
    const Outcome& o = trace.outcome;
    if (o.completed)
        return "completed" + (trace.cipherSuite ? " with " + cipherSuiteName(trace.cipherSuite) : std::string());
    // close_notify is alert 0, so a run that stopped without any alert must not read as one that sent it.
    if (!failedWithAlert(o))
        return "failed: " + (o.reason.empty() ? std::string("the handshake did not finish") : o.reason);
    return "failed: the " + std::string(sideName(o.alertFrom)) + " sent the fatal alert " + alertName(o.alert) +
           (o.reason.empty() ? std::string() : ": " + o.reason);
}

std::string outcomeShort(const Trace& trace)
{
    const Outcome& o = trace.outcome;
    if (o.completed)
        return "completed";
    if (!failedWithAlert(o))
        return "failed without an alert";
    return "failed: " + alertName(o.alert) + " from the " + sideName(o.alertFrom);
}

} // namespace hl
