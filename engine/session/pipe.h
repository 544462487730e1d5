// The in-memory wire between the client and the server: records travel one at a time, in the order they were
// sent, so a viewer can stop between any two. An interceptor on the wire can watch, change, drop or add records,
// which is how tampering and attack scenarios are staged.
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"
#include "trace/trace.h"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace hl {

// Pass the record on (perhaps changed), drop it, or hold it back to release later (a delayed or reordered record).
enum class InterceptAction { Pass, Drop, Hold };

// A record the interceptor puts on the wire itself: one it held and now lets go, a copy it replays, or one it made.
struct WireInsert {
    enum class Kind { Released, Replayed, Injected };
    Kind kind = Kind::Injected;
    Side from = Side::Client; // whose record it appears to be
    Bytes record;
    std::string note;
    bool beforeCurrent = false; // ahead of the record just handled rather than after it
};

class Interceptor {
public:
    virtual ~Interceptor() = default;
    // Called for every record put on the wire. It may rewrite `record` in place; `note` says what it did, for
    // the trace ("flipped one bit of the Finished record").
    virtual InterceptAction onRecord(Side from, std::size_t index, Bytes& record, std::string& note) = 0;
    // Records to put on the wire around the one onRecord just handled.
    virtual std::vector<WireInsert> takeInserts() { return {}; }
    // The wire has gone quiet: whatever is still held must go now, or both sides would wait for ever.
    virtual std::vector<WireInsert> drain() { return {}; }
};

class Pipe {
public:
    explicit Pipe(Trace& trace) : m_trace(trace) {}

    void setInterceptor(Interceptor* interceptor) { m_interceptor = interceptor; }
    void send(Side from, Bytes record);
    // A record that no endpoint sent, as an attacker on the path would add it.
    void inject(Side pretendingToBe, Bytes record, const std::string& note);

    struct InFlight {
        Side from;
        Bytes record;
    };
    std::optional<InFlight> next();
    bool empty() const { return m_queue.empty(); }
    std::size_t recordsSent() const { return m_count; }

private:
    // traceAt: where the record's event goes in the trace (by default at the end).
    void insert(WireInsert w, std::optional<std::size_t> traceAt = std::nullopt);

    Trace& m_trace;
    Interceptor* m_interceptor = nullptr;
    std::deque<InFlight> m_queue;
    std::size_t m_count = 0;
};

} // namespace hl
