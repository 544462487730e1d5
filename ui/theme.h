// Light and dark themes for the whole application (panels and diagram alike), chosen for a projector:
// strong contrast, no pure black on white glare.
#pragma once

#include <QPalette>
#include <QString>

namespace hl::ui {

enum class Theme { Light, Dark };

QString themeName(Theme theme);
Theme themeFromName(const QString& name); // unknown names fall back to Light
// The theme's palette, for what is drawn away from the screen (exports) as well as for the window.
QPalette themePalette(Theme theme);
// Sets the Fusion style and the theme's palette on the running QApplication.
void applyTheme(Theme theme);

} // namespace hl::ui
