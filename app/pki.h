// Loading certificates and keys: the demo PKI compiled into the executable, and PEM files named on the
// command line. File access lives here, outside the engine.
#pragma once

#include "session/session.h"

#include <string>
#include <vector>

namespace hl::app {

// Throws std::runtime_error("cannot read PATH: reason").
std::string readTextFile(const std::string& path);
// The demo PKI shipped in resources/pki (built into the executable). Throws std::runtime_error if missing.
const DemoPki& demoPki();
// Every certificate in a PEM file, in order. Throws std::runtime_error naming the file and the problem.
std::vector<Certificate> loadCertificates(const std::string& path);
PrivateKey loadPrivateKey(const std::string& path);

} // namespace hl::app
