// The handout: a PDF to read after class, like an annotated textbook page. The whole diagram first, then every
// step with its own strip of the diagram, what it does in this run, why, what real servers do, the RFC, the
// fields of each message and the formula and value of each key derived. Text comes from the same explanations
// the window shows (trace/explain.h).
#pragma once

#include "diagram_export.h"

#include <QString>

namespace hl::ui {

// Writes the handout for `diagram` (rows of `trace` at the chosen detail) to `path` through a temporary file.
// Returns an error message, or empty.
QString writeHandout(const Trace& trace, const SequenceDiagram& diagram, const QString& title, PageKind page,
                     ExportTheme theme, const QString& path);

} // namespace hl::ui
