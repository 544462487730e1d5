// Running the built-in scenarios for tests: the demo PKI, a fixed seed and a fixed clock, so every byte is known
// and a failure replays exactly.
#pragma once

#include "pki.h"
#include "scenario_library.h"

#include "session/session.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hltest {

constexpr std::int64_t kDemoNow = 1767225600; // 2026-01-01, inside the demo PKI's validity

struct DemoRun {
    std::uint16_t suite = 0; // 0: the scenario's own
    std::uint64_t seed = 7;
    hl::Interceptor* interceptor = nullptr;
};

inline hl::Trace runDemo(const std::string& scenario, const DemoRun& how = {})
{
    hl::RunOptions o;
    o.seed = how.seed;
    o.now = kDemoNow;
    if (how.suite)
        o.cipherSuite = how.suite;
    o.interceptor = how.interceptor;
    return hl::runScenario(*hl::app::findScenario(scenario), hl::app::demoPki(), o);
}

inline std::vector<const hl::RecordEvent*> records(const hl::Trace& t)
{
    std::vector<const hl::RecordEvent*> out;
    for (const hl::TraceEvent& e : t.events())
        if (const auto* r = std::get_if<hl::RecordEvent>(&e))
            out.push_back(r);
    return out;
}

} // namespace hltest
