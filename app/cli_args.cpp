// Argument parsing shared by the subcommands, and the options of an in-memory run.
#include "cli_args.h"

#include "pki.h"
#include "scenario_library.h"

#include "crypto/cipher_suite.h"

#include <algorithm>
#include <chrono>

namespace hl::app {

const std::set<std::string> kVersionValued{"min-version", "max-version", "suite"};
const std::set<std::string> kVersionFlags{"server-preference", "client-preference", "fallback-scsv", "cbc-split"};

std::set<std::string> with(std::set<std::string> base, std::initializer_list<std::string> more)
{
    base.insert(more);
    return base;
}

const std::set<std::string> kRunValuedOptions =
    with(kVersionValued, {"seed", "server-suite", "server-min-version", "server-max-version", "crl"});
const std::set<std::string> kRunFlags = with(kVersionFlags, {"client-auth"});

Args parseArgs(int argc, char** argv, int first, const std::set<std::string>& valued,
               const std::set<std::string>& flags, const std::map<std::string, std::string>& aliases)
{
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.size() == 2 && arg[0] == '-' && aliases.count(arg.substr(1)))
            arg = "--" + aliases.at(arg.substr(1));
        if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
            std::string name = arg.substr(2);
            std::optional<std::string> inlineValue;
            if (const auto eq = name.find('='); eq != std::string::npos) {
                inlineValue = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            if (valued.count(name)) {
                if (!inlineValue) {
                    if (i + 1 >= argc)
                        throw UsageError("option --" + name + " needs a value");
                    inlineValue = argv[++i];
                }
                a.values[name] = *inlineValue;
                a.every[name].push_back(*inlineValue);
            } else if (flags.count(name)) {
                if (inlineValue)
                    throw UsageError("option --" + name + " takes no value");
                a.flags.insert(name);
            } else {
                throw UsageError("unknown option --" + name);
            }
        } else if (arg.size() > 1 && arg[0] == '-') {
            throw UsageError("unknown option " + arg);
        } else {
            a.positional.push_back(arg);
        }
    }
    return a;
}

std::uint64_t parseUnsigned(const std::string& option, const std::string& text, std::uint64_t max)
{
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        throw UsageError("--" + option + " must be a non-negative whole number, got \"" + text + "\"");
    try {
        const unsigned long long v = std::stoull(text);
        if (v > max)
            throw UsageError("--" + option + " must be at most " + std::to_string(max) + ", got " + text);
        return v;
    } catch (const std::out_of_range&) {
        throw UsageError("--" + option + " is too large: " + text);
    }
}

std::uint16_t parseSuite(const std::string& option, const std::string& name)
{
    if (const CipherSuite* s = findCipherSuite(name))
        return s->id;
    std::string known;
    for (const CipherSuite& s : allCipherSuites())
        known += "\n  " + std::string(s.name);
    throw UsageError("--" + option + ": unknown cipher suite \"" + name + "\"; known suites:" + known);
}

std::vector<std::uint16_t> suiteList(const Args& a, const std::string& option)
{
    std::vector<std::uint16_t> out;
    for (const std::string& value : a.all(option)) {
        std::size_t start = 0;
        for (;;) {
            const std::size_t comma = value.find(',', start);
            const std::string name = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (name.empty())
                throw UsageError("--" + option + ": empty suite name in \"" + value + "\"");
            const std::uint16_t id = parseSuite(option, name);
            if (std::find(out.begin(), out.end(), id) == out.end())
                out.push_back(id);
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
    }
    return out;
}

std::optional<ProtocolVersion> versionOption(const Args& a, const std::string& option)
{
    const auto text = a.value(option);
    if (!text)
        return std::nullopt;
    if (const auto v = parseVersionOption(*text))
        return v;
    throw UsageError("--" + option + " must be ssl3, tls1.0, tls1.1 or tls1.2, got \"" + *text + "\"");
}

std::optional<bool> preferenceOption(const Args& a)
{
    if (a.has("server-preference") && a.has("client-preference"))
        throw UsageError("--server-preference and --client-preference exclude each other");
    if (a.has("server-preference"))
        return true;
    if (a.has("client-preference"))
        return false;
    return std::nullopt;
}

void applyVersionArgs(const Args& a, EndpointConfig& cfg)
{
    const auto min = versionOption(a, "min-version");
    const auto max = versionOption(a, "max-version");
    if (min)
        cfg.minVersion = *min;
    if (max)
        cfg.maxVersion = *max;
    if (max && !min && cfg.minVersion > cfg.maxVersion)
        cfg.minVersion = cfg.maxVersion;
    if (min && !max && cfg.maxVersion < cfg.minVersion)
        cfg.maxVersion = cfg.minVersion;
    if (cfg.minVersion > cfg.maxVersion)
        throw UsageError("--min-version " + versionOptionName(cfg.minVersion) + " is above --max-version " +
                         versionOptionName(cfg.maxVersion));
    if (const auto p = preferenceOption(a))
        cfg.serverPreference = *p;
    cfg.fallbackScsv = a.has("fallback-scsv");
    cfg.cbcRecordSplitting = a.has("cbc-split");
}

std::vector<Crl> crlsFromArgs(const Args& a)
{
    std::vector<Crl> out;
    for (const std::string& path : a.all("crl")) {
        try {
            for (Crl& c : loadCrls(path))
                out.push_back(std::move(c));
        } catch (const std::runtime_error& e) {
            throw UsageError(std::string("--crl: ") + e.what());
        }
    }
    return out;
}

RunRequest runRequestFromArgs(const Args& a, const std::string& name)
{
    RunRequest r;
    const std::string scenario = name.empty() ? "default" : name;
    try {
        r.scenario = resolveScenario(scenario);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    RunOptions& opts = r.options;
    if (auto s = a.value("seed"))
        opts.seed = parseUnsigned("seed", *s, UINT64_MAX);
    // In memory both ends are ours: the offer is also what the server accepts unless --server-suite says otherwise.
    opts.clientSuites = suiteList(a, "suite");
    opts.serverSuites = a.all("server-suite").empty() ? opts.clientSuites : suiteList(a, "server-suite");
    opts.minVersion = versionOption(a, "min-version");
    opts.maxVersion = versionOption(a, "max-version");
    opts.serverMinVersion = versionOption(a, "server-min-version");
    opts.serverMaxVersion = versionOption(a, "server-max-version");
    // A range whose two ends are both given names the options, as connect and serve do; ranges one option only
    // half sets are checked with the scenario's own ends below.
    const auto checkRange = [](const char* minName, std::optional<ProtocolVersion> min, const char* maxName,
                               std::optional<ProtocolVersion> max) {
        if (min && max && *min > *max)
            throw UsageError(std::string("--") + minName + " " + versionOptionName(*min) + " is above --" + maxName +
                             " " + versionOptionName(*max));
    };
    checkRange("min-version", opts.minVersion, "max-version", opts.maxVersion);
    checkRange("server-min-version", opts.serverMinVersion, "server-max-version", opts.serverMaxVersion);
    opts.serverPreference = preferenceOption(a);
    if (a.has("fallback-scsv"))
        opts.fallbackScsv = true;
    if (a.has("cbc-split"))
        opts.cbcRecordSplitting = true;
    if (a.has("client-auth"))
        opts.clientAuth = true;
    opts.crls = crlsFromArgs(a);
    try {
        applyRunOptions(r.scenario, opts); // checks the version ranges before anything runs
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    r.options.now =
        r.options.seed
            ? kReproducibleNow
            : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return r;
}

} // namespace hl::app
