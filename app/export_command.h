// `handshakelab export`: runs a scenario headless (or reads a saved trace, FILE.json) and writes it as drawings,
// text diagrams, JSON or pcapng.
#pragma once

namespace hl::app {
// Exit status 0 when every file was written, 2 for a bad argument or a file that could not be written (then no
// file is left behind). Throws UsageError for bad arguments, as the other subcommands do.
int runExport(int argc, char** argv);
} // namespace hl::app
