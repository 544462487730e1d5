// Argument parsing shared by the subcommands, and the options of an in-memory run.
#include "cli_args.h"

#include "crypto/cipher_suite.h"

#include <chrono>

namespace hl::app {

const std::set<std::string> kRunValuedOptions = {"seed", "suite"};
const std::set<std::string> kRunFlags = {"client-auth"};

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

std::uint16_t parseSuite(const std::string& name)
{
    if (const CipherSuite* s = findCipherSuite(name))
        return s->id;
    std::string known;
    for (const CipherSuite& s : allCipherSuites())
        known += "\n  " + std::string(s.name);
    throw UsageError("--suite: unknown cipher suite \"" + name + "\"; known suites:" + known);
}

RunRequest runRequestFromArgs(const Args& a, const std::string& name)
{
    RunRequest r;
    const std::string scenario = name.empty() ? "default" : name;
    r.scenario = findScenario(scenario);
    if (!r.scenario) {
        std::string known;
        for (const Scenario& s : builtinScenarios())
            known += " " + s.name;
        throw UsageError("unknown scenario \"" + scenario + "\"; known:" + known);
    }
    if (auto s = a.value("seed"))
        r.options.seed = parseUnsigned("seed", *s, UINT64_MAX);
    if (auto s = a.value("suite"))
        r.options.cipherSuite = parseSuite(*s);
    if (a.has("client-auth"))
        r.options.clientAuth = true;
    r.options.now =
        r.options.seed
            ? kReproducibleNow
            : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return r;
}

} // namespace hl::app
