// What every subcommand parses its arguments with, and the options that describe an in-memory run, so `run` and
// `export` accept the same ones (and any added to `run` reach `export` too).
#pragma once

#include "session/scenario.h"
#include "session/session.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace hl::app {

// A bad argument: the command line prints its message and exits 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;             // the last value of each option
    std::map<std::string, std::vector<std::string>> every; // every value of each option, in order
    std::set<std::string> flags;

    bool has(const std::string& f) const { return flags.count(f) || values.count(f); }
    std::optional<std::string> value(const std::string& k) const
    {
        auto it = values.find(k);
        if (it == values.end())
            return std::nullopt;
        return it->second;
    }
    std::vector<std::string> all(const std::string& k) const
    {
        auto it = every.find(k);
        return it == every.end() ? std::vector<std::string>{} : it->second;
    }
};

// `aliases` maps one-letter options to long names ({"o", "output"} lets "-o FILE" stand for "--output FILE").
Args parseArgs(int argc, char** argv, int first, const std::set<std::string>& valued,
               const std::set<std::string>& flags, const std::map<std::string, std::string>& aliases = {});

std::uint64_t parseUnsigned(const std::string& option, const std::string& text, std::uint64_t max);
std::uint16_t parseSuite(const std::string& name);

// The options of an in-memory run (`run SCENARIO --seed N --suite NAME --client-auth`).
extern const std::set<std::string> kRunValuedOptions;
extern const std::set<std::string> kRunFlags;

struct RunRequest {
    const Scenario* scenario = nullptr;
    RunOptions options;
};
// The scenario named (the default one when `name` is empty) and the run options in `a`. With --seed the clock is
// pinned too, so every byte and every sentence of the trace repeats.
RunRequest runRequestFromArgs(const Args& a, const std::string& name);

} // namespace hl::app
