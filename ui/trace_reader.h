// Reads a trace back from its JSON form (docs/trace-format.md), so an exported run reopens in the window
// (`handshakelab view FILE.json`, File ▸ Open trace…) and can be exported again.
#pragma once

#include "trace/trace.h"

#include <QString>

#include <optional>

namespace hl::ui {

// The trace in `path`, or nothing with `error` saying what is wrong (unreadable file, not JSON, another schema,
// a malformed event).
std::optional<Trace> readTraceFile(const QString& path, QString* error);
std::optional<Trace> readTraceJson(const QByteArray& json, QString* error);

} // namespace hl::ui
