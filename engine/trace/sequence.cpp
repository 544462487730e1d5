// Builds the sequence diagram model from a trace: labels, flights and the rows where each side starts encrypting.
#include "trace/sequence.h"

#include "common/alert.h"

#include <type_traits>

namespace hl {
namespace {

std::string joinNames(const RecordEvent& rec)
{
    std::string label;
    for (const MessageInfo& m : rec.messages) {
        if (!label.empty())
            label += ", ";
        label += m.name;
    }
    if (label.empty())
        label = contentTypeName(rec.contentType);
    return label;
}

void describeRecord(const RecordEvent& rec, SequenceRow& row)
{
    row.kind = RowKind::Message;
    row.side = rec.from;
    row.isProtected = rec.isProtected;
    row.label = joinNames(rec);
    if (rec.contentType == static_cast<std::uint8_t>(ContentType::Alert) && rec.plaintext.size() >= 2) {
        // RFC 5246 §7.2: level then description, readable here because the trace carries the plaintext.
        row.isAlert = true;
        row.fatal = rec.plaintext[0] == static_cast<std::uint8_t>(AlertLevel::Fatal);
        row.label = "Alert: " + alertName(rec.plaintext[1]) + (row.fatal ? " (fatal)" : " (warning)");
    }
    for (const MessageInfo& m : rec.messages) {
        row.optional = row.optional || m.optional;
        if (!row.isAlert && !m.summary.empty()) {
            if (!row.detail.empty())
                row.detail += "; ";
            row.detail += m.summary;
        }
    }
    if (!rec.note.empty())
        row.detail += (row.detail.empty() ? "" : " — ") + rec.note;
}

} // namespace

SequenceDiagram buildSequence(const Trace& trace)
{
    SequenceDiagram d;
    d.rows.reserve(trace.size());
    for (std::size_t i = 0; i < trace.size(); ++i) {
        SequenceRow row;
        row.event = i;
        std::visit(
            [&](const auto& ev) {
                using T = std::decay_t<decltype(ev)>;
                if constexpr (std::is_same_v<T, RecordEvent>) {
                    describeRecord(ev, row);
                } else if constexpr (std::is_same_v<T, SecretEvent>) {
                    row.kind = RowKind::Secret;
                    row.side = ev.side;
                    row.label = ev.label.empty() ? ev.name : ev.label;
                    row.detail = std::to_string(ev.value.size()) + " bytes";
                } else if constexpr (std::is_same_v<T, CertificateChainEvent>) {
                    row.kind = RowKind::CertificateChain;
                    row.side = ev.side;
                    row.label = "Received a chain of " + std::to_string(ev.chain.size()) + " certificate" +
                                (ev.chain.size() == 1 ? "" : "s");
                    if (!ev.chain.empty())
                        row.detail = ev.chain.front().subject;
                } else if constexpr (std::is_same_v<T, CertificateCheckEvent>) {
                    row.kind = RowKind::CertificateCheck;
                    row.side = ev.side;
                    row.passed = ev.passed;
                    row.label = ev.check;
                    row.detail = ev.detail;
                } else if constexpr (std::is_same_v<T, StateEvent>) {
                    row.kind = RowKind::State;
                    row.side = ev.side;
                    row.label = ev.state;
                    row.detail = ev.note;
                    if (ev.state == "encrypting") {
                        row.startsEncryption = true;
                        long long& from = ev.side == Side::Client ? d.clientEncryptsFrom : d.serverEncryptsFrom;
                        if (from < 0)
                            from = static_cast<long long>(i);
                    }
                } else if constexpr (std::is_same_v<T, SkippedStepEvent>) {
                    row.kind = RowKind::Skipped;
                    row.side = ev.sender;
                    row.optional = true;
                    row.label = ev.message;
                    row.detail = ev.reason;
                } else if constexpr (std::is_same_v<T, AlertEvent>) {
                    row.kind = RowKind::Alert;
                    row.side = ev.side;
                    row.isAlert = true;
                    row.fatal = ev.level == AlertLevel::Fatal;
                    row.label = std::string(ev.sent ? "Sends " : "Receives ") + alertName(ev.description) +
                                (row.fatal ? " (fatal)" : " (warning)");
                    row.detail = ev.reason;
                } else if constexpr (std::is_same_v<T, ApplicationDataEvent>) {
                    row.kind = RowKind::ApplicationData;
                    row.side = ev.side;
                    row.label = "Reads " + std::to_string(ev.data.size()) + " bytes of application data";
                }
            },
            trace.events()[i]);

        row.connection = connectionOf(trace.events()[i]);
        row.startsConnection = i > 0 && row.connection != connectionOf(trace.events()[i - 1]);
        if (row.kind == RowKind::Message) {
            // A flight is what one side sends before it waits for the peer (RFC 5246 §7.3 draws them as blocks); a
            // new connection starts a new flight even when the same side spoke last.
            const bool newConnection =
                !d.flights.empty() && d.rows[d.flights.back().lastRow].connection != row.connection;
            if (d.flights.empty() || d.flights.back().sender != row.side || newConnection)
                d.flights.push_back({row.side, d.rows.size(), d.rows.size(), static_cast<int>(d.flights.size()) + 1});
            else
                d.flights.back().lastRow = d.rows.size();
            row.flight = static_cast<int>(d.flights.size()) - 1;
        }
        d.rows.push_back(std::move(row));
    }
    return d;
}

namespace {

// Copies the rows `keep` selects. An encryption start whose row is dropped moves to the next row kept, so the
// bar on the lifeline still begins where the side's protected records begin.
SequenceDiagram keepRows(const SequenceDiagram& from, const std::vector<bool>& keep)
{
    SequenceDiagram d;
    std::optional<long long> clientFrom, serverFrom;
    for (std::size_t i = 0; i < from.rows.size(); ++i) {
        const auto at = static_cast<long long>(i);
        if (!clientFrom && from.clientEncryptsFrom >= 0 && from.clientEncryptsFrom <= at && keep[i])
            clientFrom = static_cast<long long>(d.rows.size());
        if (!serverFrom && from.serverEncryptsFrom >= 0 && from.serverEncryptsFrom <= at && keep[i])
            serverFrom = static_cast<long long>(d.rows.size());
        if (!keep[i])
            continue;
        SequenceRow row = from.rows[i];
        if (row.kind == RowKind::Message) {
            // Rows kept are a level's or a range's: no records are dropped between two kept ones, so flights
            // never merge and keep their numbers.
            const int number = from.flights[static_cast<std::size_t>(row.flight)].number;
            if (d.flights.empty() || d.flights.back().number != number)
                d.flights.push_back({row.side, d.rows.size(), d.rows.size(), number});
            else
                d.flights.back().lastRow = d.rows.size();
            row.flight = static_cast<int>(d.flights.size()) - 1;
        }
        d.rows.push_back(std::move(row));
    }
    d.clientEncryptsFrom = clientFrom.value_or(-1);
    d.serverEncryptsFrom = serverFrom.value_or(-1);
    return d;
}

} // namespace

std::optional<DetailLevel> detailLevelFromName(std::string_view name)
{
    if (name == "messages")
        return DetailLevel::Messages;
    if (name == "keys")
        return DetailLevel::Keys;
    if (name == "all")
        return DetailLevel::All;
    return std::nullopt;
}

const char* detailLevelName(DetailLevel level)
{
    switch (level) {
    case DetailLevel::Messages:
        return "messages";
    case DetailLevel::Keys:
        return "keys";
    case DetailLevel::All:
        break;
    }
    return "all";
}

bool shownAt(const SequenceRow& row, DetailLevel level)
{
    switch (row.kind) {
    case RowKind::Message:
    case RowKind::Skipped:
        return true;
    case RowKind::Alert:
        // The alert record is already an arrow; the event adds the reason, which a failed run must not lose.
        return level == DetailLevel::All || row.fatal;
    case RowKind::Secret:
        return level != DetailLevel::Messages;
    case RowKind::State:
        return level == DetailLevel::All || (level == DetailLevel::Keys && row.startsEncryption);
    case RowKind::CertificateChain:
    case RowKind::CertificateCheck:
    case RowKind::ApplicationData:
        break;
    }
    return level == DetailLevel::All;
}

SequenceDiagram filterSequence(const SequenceDiagram& diagram, DetailLevel level)
{
    std::vector<bool> keep(diagram.rows.size());
    for (std::size_t i = 0; i < keep.size(); ++i)
        keep[i] = shownAt(diagram.rows[i], level);
    return keepRows(diagram, keep);
}

SequenceDiagram sliceSequence(const SequenceDiagram& diagram, std::size_t first, std::size_t count)
{
    std::vector<bool> keep(diagram.rows.size());
    for (std::size_t i = first; i < keep.size() && i - first < count; ++i)
        keep[i] = true;
    return keepRows(diagram, keep);
}

} // namespace hl
