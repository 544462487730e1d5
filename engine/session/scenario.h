// A scenario: what a teacher picks to run. Protocol options, identities and the application data to exchange;
// the session turns it into a real handshake and a trace.
#pragma once

#include "session/endpoint_config.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hl {

struct Scenario {
    std::string name;        // command-line name, e.g. "default"
    std::string title;       // shown in the scenario list
    std::string description; // one line
    std::uint16_t cipherSuite = 0xc02f;
    ClientAuthMode clientAuth = ClientAuthMode::None;
    bool clientHasCertificate = true; // when asked, does the client have one to send?
    std::string serverName = "localhost";
    bool extendedMasterSecret = true;
    std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 24\r\n\r\n"
                           "Hello from HandshakeLab\n";
    std::size_t repeat = 1; // how many request/response exchanges follow the handshake
};

std::span<const Scenario> builtinScenarios();
const Scenario* findScenario(std::string_view name);

} // namespace hl
