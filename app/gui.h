// Starts the Qt application and its main window.
#pragma once

namespace hl::app {
int runGui(int argc, char** argv);
}
