// In-memory record pipe with an interception hook.
#include "session/pipe.h"

#include "record/record_layer.h"

namespace hl {

void Pipe::send(Side from, Bytes record)
{
    const std::size_t index = m_count++;
    if (m_interceptor) {
        const Bytes original = record;
        std::string note;
        const InterceptAction action = m_interceptor->onRecord(from, index, record, note);
        if (action == InterceptAction::Drop) {
            m_trace.add(StateEvent{from, "record dropped",
                                   note.empty() ? "the interceptor removed this record from the wire" : note});
            return;
        }
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
    }
    m_queue.push_back({from, std::move(record)});
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
    if (m_queue.empty())
        return std::nullopt;
    InFlight f = std::move(m_queue.front());
    m_queue.pop_front();
    return f;
}

} // namespace hl
