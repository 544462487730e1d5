// Running the built-in scenarios for tests: the demo PKI, a fixed seed and a fixed clock, so every byte is known
// and a failure replays exactly.
#pragma once

#include "pki.h"
#include "scenario_library.h"

#include "crypto/rng.h"
#include "session/saved_session.h"
#include "session/session.h"

#include <cstdint>
#include <optional>
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

// One connection between a client and a server configured by hand, run to the end in memory: whether it completed,
// whether each side resumed, what the client would resume next time, both master secrets, and the fatal alert with
// its reason as the side that sent it gives it.
struct Connected {
    hl::Trace trace;
    bool completed = false;
    bool clientResumed = false, serverResumed = false;
    std::optional<hl::SavedSession> saved;
    hl::Bytes clientMaster, serverMaster;
    std::uint8_t alert = 0;
    std::string reason;
};

inline Connected handshake(hl::EndpointConfig client, hl::EndpointConfig server, std::uint64_t seed)
{
    hl::SeededRng crng(seed, "client"), srng(seed, "server");
    hl::Session s(std::move(client), std::move(server), crng, srng);
    s.start();
    s.runUntilIdle();
    Connected out;
    out.completed = s.client().handshakeComplete() && s.server().handshakeComplete() && !s.client().failed() &&
                    !s.server().failed();
    out.clientResumed = s.client().resumed();
    out.serverResumed = s.server().resumed();
    out.saved = s.client().savedSession();
    out.clientMaster = s.client().masterSecret();
    out.serverMaster = s.server().masterSecret();
    const hl::Connection& failed = s.client().failed() && s.client().failureAlertSentByUs()
                                       ? static_cast<const hl::Connection&>(s.client())
                                       : s.server();
    out.alert = failed.failureAlert();
    out.reason = failed.failureReason();
    out.trace = std::move(s.trace());
    return out;
}

} // namespace hltest
