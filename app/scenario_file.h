// Scenario files: the YAML a teacher writes (docs/scenarios.md), read into an engine Scenario, and written back from
// one. Reading resolves every name (demo identities, suites, versions, alerts, messages) and every PEM file, so a
// scenario that loads is complete; anything wrong is refused whole with "file:line: what is wrong".
#pragma once

#include "session/scenario.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace hl::app {

// What is wrong with a scenario file and where: what() reads "FILE:LINE: problem".
class ScenarioFileError : public std::runtime_error {
public:
    ScenarioFileError(std::string file, int line, const std::string& problem);
    const std::string& file() const { return m_file; }
    int line() const { return m_line; } // 1-based; 0 when the problem is the file as a whole
    const std::string& problem() const { return m_problem; }

private:
    std::string m_file;
    int m_line;
    std::string m_problem;
};

// Parses a scenario from its text. `origin` names the file in errors (and gives the scenario its name, the file's
// stem); PEM files are looked up relative to `baseDir`. Throws ScenarioFileError.
Scenario parseScenario(const std::string& text, const std::string& origin, const std::string& baseDir);
// Reads and parses a file (at most app::kMaxTextFileBytes). Throws ScenarioFileError.
Scenario loadScenarioFile(const std::string& path);

// The scenario as a file a teacher can edit: every setting it changes from the defaults, demo identities by name.
// Identities that are not demo ones cannot be named and are left as a comment saying so.
std::string scenarioToYaml(const Scenario& scenario);

// The top-level keys and the keys of each section, for documentation and tests.
const std::vector<std::string>& scenarioTopLevelKeys();

} // namespace hl::app
