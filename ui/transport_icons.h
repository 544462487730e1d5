// Transport-bar icons drawn in the palette's text colour, so they read on the dark theme as on the light one
// (the style's stock media icons are dark glyphs and vanish on a dark projector background).
#pragma once

#include <QColor>
#include <QIcon>

namespace hl::ui {

enum class TransportIcon { ToStart, StepBack, Play, Pause, StepForward, ToEnd };

QIcon transportIcon(TransportIcon kind, const QColor& color);

} // namespace hl::ui
