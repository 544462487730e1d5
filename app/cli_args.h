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
// An IANA suite name given to --OPTION; UsageError naming the option and listing the known suites otherwise.
std::uint16_t parseSuite(const std::string& option, const std::string& name);
// Every --OPTION value, each a comma-separated list of IANA names, in order; a suite named twice counts once.
std::vector<std::uint16_t> suiteList(const Args& a, const std::string& option);
// --OPTION as ssl3, tls1.0, tls1.1 or tls1.2; nullopt when absent.
std::optional<ProtocolVersion> versionOption(const Args& a, const std::string& option);
// --server-preference / --client-preference.
std::optional<bool> preferenceOption(const Args& a);

// The version and suite options run, connect and serve share.
extern const std::set<std::string> kVersionValued;
extern const std::set<std::string> kVersionFlags;
std::set<std::string> with(std::set<std::string> base, std::initializer_list<std::string> more);
// connect and serve: --min-version/--max-version (TLS 1.2 only unless asked), preference, fallback, 1/n-1 split.
void applyVersionArgs(const Args& a, EndpointConfig& cfg);

// Every CRL of every --crl FILE (PEM or DER), in order; UsageError naming the file when one cannot be read.
std::vector<Crl> crlsFromArgs(const Args& a);

// The options of an in-memory run (`run SCENARIO --seed N --suite LIST --min-version V ... --client-auth`).
extern const std::set<std::string> kRunValuedOptions;
extern const std::set<std::string> kRunFlags;

struct RunRequest {
    Scenario scenario;
    RunOptions options;
};
// The scenario named, or read from the file given (the default one when `name` is empty) and the run options in `a`, version ranges checked.
// With --seed the clock is pinned too, so every byte and every sentence of the trace repeats.
RunRequest runRequestFromArgs(const Args& a, const std::string& name);

} // namespace hl::app
