// A trace as a pcapng capture: the records on a synthetic TCP/IPv4 connection, with the key log embedded so that
// Wireshark and tshark decrypt the conversation without any setting.
#pragma once

#include "common/bytes.h"
#include "trace/trace.h"

#include <cstddef>
#include <cstdint>

namespace hl {

// The most TCP payload one IPv4 packet can carry: RFC 791's 16-bit total length less both 20-byte headers.
constexpr std::size_t kMaxTcpPayload = 65535 - 20 - 20;

struct PcapngOptions {
    std::uint16_t clientPort = 50000;
    // 443 is the port Wireshark dissects as TLS, and the TLS payload as HTTP, with no "Decode As".
    std::uint16_t serverPort = 443;
    // Unix seconds of the first packet; each packet after it is 1 ms later, so a seeded run gives the same file.
    std::int64_t startTime = 1767225600;
    // Embed traceToKeyLog(trace) as a Decryption Secrets Block; without it, decrypt with a separate key log file.
    bool embedKeys = true;
    // TCP payload bytes per packet; a record longer than this is split over several segments.
    std::size_t maxSegment = kMaxTcpPayload;
};

// The whole pcapng file (little-endian): Section Header, one raw-IPv4 Interface Description, the Decryption
// Secrets (when the trace derived a master secret and embedKeys is set), then SYN, SYN/ACK, ACK, one packet per
// RecordEvent in trace order from its sender, and FIN/ACK both ways. A record's note becomes the packet comment.
Bytes traceToPcapng(const Trace& trace, const PcapngOptions& options = {});

} // namespace hl
