// Serialisations of the trace for the command line and for other tools: JSON (docs/trace-format.md), a text
// log in the spirit of `openssl s_client -msg`, and the NSS key log that Wireshark reads.
#pragma once

#include "trace/trace.h"

#include <string>

namespace hl {

constexpr const char* kTraceSchema = "handshakelab-trace/1";

std::string traceToJson(const Trace& trace);

struct TextOptions {
    bool hexDump = true;     // every record's bytes
    int fieldDepth = 2;      // how deep the field tree is printed
};
std::string traceToText(const Trace& trace, const TextOptions& options = {});

// NSS key log format (CLIENT_RANDOM <client_random> <master_secret>), one line per session in the trace;
// empty when no master secret was derived.
std::string traceToKeyLog(const Trace& trace);

} // namespace hl
