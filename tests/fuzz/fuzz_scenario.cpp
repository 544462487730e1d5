// Scenario files (YAML) as a teacher might write them, broken in every way: the loader must answer with a
// ScenarioFileError naming the line, never crash or throw anything else.
#include "scenario_file.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)hl::app::parseScenario(text, "fuzz.yaml", "/nonexistent-fuzz-dir");
    } catch (const hl::app::ScenarioFileError&) {
    }
    return 0;
}
