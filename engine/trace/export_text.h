// The sequence diagram as text for diagram tools: PlantUML (.puml) and Mermaid (.mmd). Both are written from the
// same model the window draws (trace/sequence.h), already filtered to a detail level and a range of steps, so a
// pasted diagram shows what the class saw.
#pragma once

#include "trace/sequence.h"
#include "trace/trace.h"

#include <string>

namespace hl {

// The default title of every export: scenario, version, suite and outcome, e.g.
// "default · TLS 1.2 · TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 · completed".
std::string defaultExportTitle(const Trace& trace);

// Optional steps become `opt` blocks (skipped ones greyed, with their reason), protected records carry a lock,
// key derivations and checks are notes on their side, fatal alerts are red, and each flight is one group.
std::string sequenceToPlantUml(const SequenceDiagram& diagram, const std::string& title);
std::string sequenceToMermaid(const SequenceDiagram& diagram, const std::string& title);

} // namespace hl
