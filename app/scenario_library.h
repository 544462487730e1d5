// The scenario library: the files shipped in scenarios/ (built into the executable, so every command finds them
// wherever it is started) and the files in the user's own folder. A broken file is listed with its error, never
// half-loaded; names are unique across the library.
#pragma once

#include "scenario_file.h"

#include <span>
#include <string>
#include <vector>

namespace hl::app {

struct ScenarioEntry {
    Scenario scenario;   // complete when error is empty
    std::string path;    // ":/scenarios/..." for shipped files
    std::string error;   // "file:line: problem" when the file could not be used
    bool shipped = false;
};

// The shipped scenarios, in library order (by folder, then file). Throws std::runtime_error if a shipped file is
// broken: that is a bug in this build, not a user's mistake.
std::span<const Scenario> builtinScenarios();
// A shipped scenario by name; null when there is none.
const Scenario* findScenario(std::string_view name);

// Where the user's own scenarios live: $HANDSHAKELAB_SCENARIO_DIR when set, else the folder chosen in the window
// (remembered), else <user data>/HandshakeLab/scenarios. May not exist.
std::string userScenarioFolder();
void setUserScenarioFolder(const std::string& folder);

// Every *.yaml / *.yml file in `folder` (not recursive into hidden folders), each parsed; errors kept per file.
std::vector<ScenarioEntry> folderScenarios(const std::string& folder);
// The shipped scenarios followed by the user's; a user file reusing a name already taken is listed as an error.
std::vector<ScenarioEntry> scenarioLibrary();

// A scenario named on the command line: a path (contains '/' or ends in .yaml/.yml) is loaded from that file,
// anything else is looked up in the library. Throws ScenarioFileError for a broken file, std::invalid_argument
// naming the known scenarios for an unknown name.
Scenario resolveScenario(const std::string& nameOrFile);

} // namespace hl::app
