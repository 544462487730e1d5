// Times whole in-memory handshakes (a scenario run end to end: handshake, one request and response, close_notify)
// with the demo PKI loaded once, so the figures are the engine's and Crypto++'s alone.
//
// Each timed run goes through timedHandshake(), which is what `valgrind --tool=callgrind
// --toggle-collect='*timedHandshake*'` collects and what scripts/perf_split.py keeps: warm-up runs and PKI loading
// stay out of the profile, tearing the trace down stays in. Wall-clock figures are printed for reference; the
// comparison in scripts/bench.sh uses the process CPU time per handshake ("cpu-us-median").
#include "pki.h"
#include "scenario_library.h"

#include "crypto/cipher_suite.h"
#include "crypto/keys.h"
#include "session/session.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hl::bench {

namespace {

// Inside the demo PKI's validity, so certificate checks pass the same way on every run.
constexpr std::int64_t kNow = 1767225600; // 2026-01-01 00:00:00 UTC

struct Options {
    std::size_t runs = 200;
    std::size_t warmup = 3;
    std::string scenario = "default";
    std::optional<std::uint16_t> suite;
};

[[noreturn]] void usage(const std::string& problem)
{
    std::cerr << "handshakelab-bench-engine: " << problem << "\n"
              << "Usage: handshakelab-bench-engine [--runs N] [--warmup N] [--suite NAME] [--scenario NAME]\n";
    std::exit(2);
}

std::size_t parseCount(const std::string& option, const char* text)
{
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (!*text || *end || errno || text[0] == '-')
        usage("--" + option + " must be a non-negative whole number, got \"" + text + "\"");
    return static_cast<std::size_t>(v);
}

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg != "--runs" && arg != "--warmup" && arg != "--scenario" && arg != "--suite")
            usage("unknown option " + arg);
        if (i + 1 >= argc)
            usage("option " + arg + " needs a value");
        const char* value = argv[++i];
        if (arg == "--runs")
            o.runs = parseCount("runs", value);
        else if (arg == "--warmup")
            o.warmup = parseCount("warmup", value);
        else if (arg == "--scenario")
            o.scenario = value;
        else if (arg == "--suite") {
            const CipherSuite* s = findCipherSuite(value);
            if (!s)
                usage(std::string("--suite: unknown cipher suite \"") + value + "\"");
            o.suite = s->id;
        }
    }
    if (o.runs == 0)
        usage("--runs must be at least 1");
    if (!app::findScenario(o.scenario))
        usage("--scenario: unknown scenario \"" + o.scenario + "\"");
    return o;
}

struct RunSummary {
    std::uint16_t suite = 0;
    bool completed = false;
};

// Kept out of line so the profilers can collect exactly the timed handshakes by this name. The trace is destroyed
// in here: freeing what a run built is part of its cost.
[[gnu::noinline]] RunSummary timedHandshake(const Scenario& scenario, const DemoPki& pki, const RunOptions& options)
{
    const Trace trace = runScenario(scenario, pki, options);
    return {trace.cipherSuite, trace.outcome.completed};
}

double cpuMicros()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

RunOptions runOptions(const Options& o, std::uint64_t seed)
{
    RunOptions r;
    r.seed = seed; // a different seed per run, still the same sequence every time the benchmark runs
    r.now = kNow;
    r.cipherSuite = o.suite;
    return r;
}

} // namespace

int run(int argc, char** argv)
{
    const Options o = parse(argc, argv);
    const Scenario& scenario = *app::findScenario(o.scenario);
    const DemoPki& pki = app::demoPki();

    for (std::size_t i = 0; i < o.warmup; ++i)
        runScenario(scenario, pki, runOptions(o, 1000000 + i));

    using Clock = std::chrono::steady_clock;
    std::vector<double> micros, cpu;
    micros.reserve(o.runs);
    cpu.reserve(o.runs);
    std::uint16_t suite = 0;
    std::size_t failed = 0;
    const auto start = Clock::now();
    const std::uint64_t checksBefore = signatureVerifications();
    for (std::size_t i = 0; i < o.runs; ++i) {
        const auto t0 = Clock::now();
        const double c0 = cpuMicros();
        const RunSummary run = timedHandshake(scenario, pki, runOptions(o, i + 1));
        cpu.push_back(cpuMicros() - c0);
        const auto t1 = Clock::now();
        micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        suite = run.suite;
        failed += run.completed ? 0 : 1;
    }
    const double total = std::chrono::duration<double>(Clock::now() - start).count();
    const double checks = static_cast<double>(signatureVerifications() - checksBefore) / static_cast<double>(o.runs);

    std::sort(micros.begin(), micros.end());
    std::sort(cpu.begin(), cpu.end());
    const auto at = [&](double q) {
        return micros[static_cast<std::size_t>(q * static_cast<double>(micros.size() - 1))];
    };
    std::printf("scenario:          %s\n", scenario.name.c_str());
    std::printf("cipher suite:      %s\n", suite ? cipherSuiteName(suite).c_str() : "(none agreed)");
    std::printf("handshakes:        %zu (after %zu warm-up)%s\n", o.runs, o.warmup,
                failed ? (", " + std::to_string(failed) + " did not complete").c_str() : "");
    std::printf("median:            %.0f us per handshake\n", at(0.5));
    std::printf("p90:               %.0f us per handshake\n", at(0.9));
    std::printf("handshakes/s:      %.1f\n", static_cast<double>(o.runs) / total);
    std::printf("signature checks:  %.1f per handshake\n", checks);
    std::printf("cpu-us-median:     %.1f\n", cpu[cpu.size() / 2]);
    return 0;
}

} // namespace hl::bench

int main(int argc, char** argv)
{
    try {
        return hl::bench::run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "handshakelab-bench-engine: " << e.what() << '\n';
        return 1;
    }
}
