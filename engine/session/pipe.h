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

namespace hl {

enum class InterceptAction { Pass, Drop };

class Interceptor {
public:
    virtual ~Interceptor() = default;
    // Called for every record put on the wire. It may rewrite `record` in place; `note` says what it did, for
    // the trace ("flipped one bit of the Finished record").
    virtual InterceptAction onRecord(Side from, std::size_t index, Bytes& record, std::string& note) = 0;
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
    Trace& m_trace;
    Interceptor* m_interceptor = nullptr;
    std::deque<InFlight> m_queue;
    std::size_t m_count = 0;
};

} // namespace hl
