// Saves the sequence diagram as it stands at the current step, for notes and slides: PNG (at twice the screen
// resolution, so it stays sharp on a projector) or SVG (text stays text, editable in any vector editor).
#pragma once

#include <QString>

namespace hl::ui {

class SequenceScene;

// The format comes from the file's extension (.png or .svg). Returns an empty string on success, otherwise a
// message naming what went wrong.
QString exportDiagram(SequenceScene& scene, const QString& path);

} // namespace hl::ui
