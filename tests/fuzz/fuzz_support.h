// Shared by the libFuzzer targets: the default scenario's two endpoints exactly as `run default --seed 1` builds
// them, so a recorded peer stream replays through a whole handshake and mutations of it reach every state.
#pragma once

#include "pki.h"
#include "scenario_library.h"

#include "crypto/rng.h"
#include "session/session.h"

#include <cstdint>

namespace hlfuzz {

constexpr std::uint64_t kSeed = 1;
constexpr std::int64_t kNow = 1767225600; // 2026-01-01, inside the demo PKI's validity

inline const hl::Scenario& defaultScenario()
{
    static const hl::Scenario* s = hl::app::findScenario("default");
    return *s;
}

} // namespace hlfuzz
