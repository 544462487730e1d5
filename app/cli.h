// The command line: `handshakelab` opens the GUI; `run`, `connect`, `serve` work headless.
#pragma once

namespace hl::app {
int runMain(int argc, char** argv);
}
