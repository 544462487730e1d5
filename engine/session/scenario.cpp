// What a scenario expects of a run, and the suite lists current clients and servers use. The scenarios themselves
// are files (scenarios/), read by the application.
#include "session/scenario.h"

namespace hl {

namespace {
// OpenSSL 3's default TLS 1.2 order, less the suites this engine does not speak.
constexpr std::uint16_t kModernClientOffer[] = {
    0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc027,
    0xc014, 0xc009, 0xc013, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f,
};
// A server's order as current configuration guides give it: forward secrecy and AEAD first, RSA key transport
// last, no RC4 or 3DES.
constexpr std::uint16_t kModernServerPreference[] = {
    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009e, 0x009f, 0xccaa, 0xc027,
    0xc009, 0xc013, 0xc014, 0x0033, 0x009c, 0x009d, 0x003c, 0x003d, 0x002f, 0x0035,
};
} // namespace

bool meetsExpectation(const Scenario& scenario, const Trace& trace, std::string* why)
{
    const Expectation& e = scenario.expect;
    const Outcome& o = trace.outcome;
    const auto say = [why](std::string text) {
        if (why)
            *why = std::move(text);
        return false;
    };
    if (!trace.warnings.empty())
        return say(trace.warnings.front());
    if (e.completed)
        return o.completed ? true : say("expected the handshake to complete, but it " + outcomeSummary(trace));
    if (o.completed)
        return say("expected the " + std::string(sideName(e.alertFrom)) + " to send " + alertName(e.alert) +
                   ", but the handshake completed");
    if (o.alert != e.alert || o.alertFrom != e.alertFrom)
        return say("expected the " + std::string(sideName(e.alertFrom)) + " to send " + alertName(e.alert) +
                   ", but the run " + outcomeSummary(trace));
    return true;
}

std::span<const std::uint16_t> modernClientOffer() { return kModernClientOffer; }
std::span<const std::uint16_t> modernServerPreference() { return kModernServerPreference; }

} // namespace hl
