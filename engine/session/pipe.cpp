// In-memory record pipe with an interception hook.
#include "session/pipe.h"

#include "record/record_layer.h"

#include <algorithm>

namespace hl {

void Pipe::send(Side from, Bytes record)
{
    const std::size_t index = m_count++;
    if (!m_interceptor) {
        m_queue.push_back({from, std::move(record)});
        return;
    }
    const Bytes original = record;
    std::string note;
    const InterceptAction action = m_interceptor->onRecord(from, index, record, note);
    std::vector<WireInsert> inserts = m_interceptor->takeInserts();
    if (std::any_of(inserts.begin(), inserts.end(), [](const WireInsert& w) { return w.beforeCurrent; })) {
        // The current record's event was written when its side produced it, perhaps a whole flight ago: what goes
        // on the wire before it goes before that event too, so the trace keeps the wire's order.
        std::optional<std::size_t> at;
        const auto& events = m_trace.events();
        for (std::size_t i = events.size(); i-- > 0 && !at;)
            if (const auto* r = std::get_if<RecordEvent>(&events[i]); r && r->from == from && r->wire == original)
                at = i;
        for (WireInsert& w : inserts)
            if (w.beforeCurrent) {
                insert(std::move(w), at);
                if (at)
                    ++*at;
            }
    }
    if (action == InterceptAction::Drop) {
        m_trace.add(StateEvent{from, "record dropped",
                               note.empty() ? "the interceptor removed this record from the wire" : note});
    } else if (action == InterceptAction::Hold) {
        m_trace.add(StateEvent{from, "record held back",
                               note.empty() ? "the interceptor keeps this record to deliver it later" : note});
    } else {
        if (record != original) {
            RecordEvent ev;
            ev.from = from;
            ev.contentType = record.empty() ? 0 : record[0];
            ev.version = record.size() >= 3 ? static_cast<std::uint16_t>(record[1] << 8 | record[2]) : 0;
            ev.wire = record;
            ev.headerFields = describeRecordHeader(record);
            ev.note = "modified in transit" + (note.empty() ? std::string() : ": " + note);
            m_trace.add(std::move(ev));
        }
        m_queue.push_back({from, std::move(record)});
    }
    for (WireInsert& w : inserts)
        if (!w.beforeCurrent)
            insert(std::move(w));
}

void Pipe::insert(WireInsert w, std::optional<std::size_t> traceAt)
{
    static constexpr const char* kWhat[] = {"released by the interceptor", "replayed by the interceptor",
                                            "injected by the interceptor"};
    RecordEvent ev;
    ev.from = w.from;
    ev.contentType = w.record.empty() ? 0 : w.record[0];
    ev.version = w.record.size() >= 3 ? static_cast<std::uint16_t>(w.record[1] << 8 | w.record[2]) : 0;
    ev.wire = w.record;
    ev.headerFields = describeRecordHeader(w.record);
    ev.note = kWhat[static_cast<int>(w.kind)] + (w.note.empty() ? std::string() : ": " + w.note);
    if (traceAt)
        m_trace.insert(*traceAt, std::move(ev));
    else
        m_trace.add(std::move(ev));
    m_queue.push_back({w.from, std::move(w.record)});
}

void Pipe::inject(Side pretendingToBe, Bytes record, const std::string& note)
{
    RecordEvent ev;
    ev.from = pretendingToBe;
    ev.contentType = record.empty() ? 0 : record[0];
    ev.wire = record;
    ev.headerFields = describeRecordHeader(record);
    ev.note = "injected by the interceptor" + (note.empty() ? std::string() : ": " + note);
    m_trace.add(std::move(ev));
    m_queue.push_back({pretendingToBe, std::move(record)});
}

std::optional<Pipe::InFlight> Pipe::next()
{
    if (m_queue.empty() && m_interceptor)
        for (WireInsert& w : m_interceptor->drain())
            insert(std::move(w));
    if (m_queue.empty())
        return std::nullopt;
    InFlight f = std::move(m_queue.front());
    m_queue.pop_front();
    return f;
}

} // namespace hl
