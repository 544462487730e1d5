// The explanation panel's text for each trace event and for a whole run, without Qt, so the GUI and the
// exports show the same words.
//
// Every sentence is made concrete from what the trace carries (the suite the server chose, the group of the
// ServerKeyExchange, the host the client asked for, the alert that ended the run); nothing is recomputed. The
// step texts of the flow table (flow/flow.h) are reused, not repeated.
#pragma once

#include "trace/trace.h"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hl {

struct Explanation {
    std::string title;     // e.g. "ServerKeyExchange (server → client)" or "Client derives the master secret"
    std::string what;      // what this step does in this run, 1–3 plain sentences
    std::string why;       // why the protocol does it, what it protects against
    std::string realWorld; // what real servers and browsers do, common pitfalls; may be empty
    std::string rfc;       // e.g. "RFC 5246 §7.4.3"; may be empty

    bool empty() const { return title.empty() && what.empty() && why.empty() && realWorld.empty() && rfc.empty(); }
};

// Explains trace.events()[index] in the context of the whole trace (a record can say which suite was chosen, an
// alert which check failed). Never throws for index < trace.size(); out of range gives an empty Explanation.
Explanation explainEvent(const Trace& trace, std::size_t index);

// The overview shown before the first step: scenario, suite, key exchange, client authentication, and how the
// run ended (completed, or failed with which alert and why).
Explanation explainRun(const Trace& trace);

// The same overview before the class has seen the run: scenario, suite, key exchange and client authentication,
// but not how it ends (a failure is the lesson; it should not be given away at the first step).
Explanation explainRunOpening(const Trace& trace);

// The teacher's note for trace.events()[index], from the scenario's notes: the note naming the message this record
// carries, by sender and occurrence (records the interceptor changed, added or released do not count twice). Empty
// when the teacher wrote none for it.
std::string teacherNote(const Trace& trace, std::size_t index);

// explainEvent and teacherNote for one trace, event after event: what they need from the whole run (its suite,
// host, key exchange, and each record's note) is gathered once, so explaining a step costs the same at any run
// length. The window explains one step at a time; a handout every step. The trace must outlive it.
class RunExplainer {
public:
    explicit RunExplainer(const Trace& trace);
    ~RunExplainer();
    RunExplainer(const RunExplainer&) = delete;
    RunExplainer& operator=(const RunExplainer&) = delete;

    Explanation event(std::size_t index) const;
    std::string teacherNote(std::size_t index) const;

private:
    struct Facts;
    const Trace& m_trace;
    std::unique_ptr<Facts> m_facts;
    std::vector<std::pair<std::size_t, std::string>> m_notes; // by event index, ascending
};

} // namespace hl
