// pcapng writer over the trace: blocks per draft-tuexen-opsawg-pcapng, IPv4 (RFC 791) and TCP (RFC 9293) headers
// with their RFC 1071 checksums.
//
// Which records the capture carries: every RecordEvent, in trace order. In memory (Session) each endpoint traces
// what it sends, at the moment it seals it, and nothing it receives, so each record of both directions is there
// once. For `connect` and `serve` the engine's endpoint traces what it sends and, with TraceOptions::incoming,
// what it receives (Connection::handleRecord, or receiveRecord when the record cannot be opened), again once each.
// What the endpoint does not trace is not in the capture either: records that arrive after it failed (RFC 5246
// §7.2.2: it reads nothing more), bytes whose record header it rejects before framing a record, an unfinished
// record when the peer closes, and a record that decrypts but whose handshake header the reassembler rejects
// (that error is raised before the record is traced). With an interceptor on the in-memory wire the trace holds a
// record as sent and then, as a separate event noted "modified in transit", as changed; both become packets, the
// note (the packet comment) saying which is which; a dropped record is still there, as its sender sent it.
#include "trace/pcapng.h"

#include "common/codec.h"
#include "trace/trace_format.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace hl {

namespace {

// draft-tuexen-opsawg-pcapng §4 block types and §4.7 secrets type.
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescriptionBlock = 0x00000001;
constexpr std::uint32_t kEnhancedPacketBlock = 0x00000006;
constexpr std::uint32_t kDecryptionSecretsBlock = 0x0000000A;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint32_t kTlsKeyLogSecrets = 0x544C534B; // "TLSK": NSS key log lines

// §3.5 options shared by every block, and the two header-specific ones used here.
constexpr std::uint16_t kOptEndOfOptions = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserApplication = 4;
constexpr std::uint16_t kIfName = 2;

// tcpdump.org link types: LINKTYPE_RAW, each packet starts with an IPv4 or IPv6 header (no Ethernet framing).
constexpr std::uint16_t kLinkTypeRaw = 101;

// RFC 9293 §3.1 control bits.
constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kPsh = 0x08;
constexpr std::uint8_t kAck = 0x10;

constexpr std::array<std::uint8_t, 4> kLoopback{127, 0, 0, 1};
// Fixed initial sequence numbers keep seeded files identical; Wireshark shows sequence numbers relative anyway.
constexpr std::uint32_t kClientIsn = 0x484C0000;
constexpr std::uint32_t kServerIsn = 0x6C480000;

// pcapng stores its own fields in the writer's byte order; this writer is little-endian, which the Section
// Header's byte-order magic announces.
class LittleEndian {
public:
    void u16(std::uint16_t v)
    {
        m_out.push_back(static_cast<std::uint8_t>(v));
        m_out.push_back(static_cast<std::uint8_t>(v >> 8));
    }
    void u32(std::uint32_t v)
    {
        u16(static_cast<std::uint16_t>(v));
        u16(static_cast<std::uint16_t>(v >> 16));
    }
    void u64(std::uint64_t v)
    {
        u32(static_cast<std::uint32_t>(v));
        u32(static_cast<std::uint32_t>(v >> 32));
    }
    // Data padded with zeros to a 32-bit boundary, as every variable-length pcapng field is.
    void padded(ByteView b)
    {
        append(m_out, b);
        m_out.resize(m_out.size() + (4 - b.size() % 4) % 4, 0);
    }
    void option(std::uint16_t code, std::string_view value)
    {
        // An option's length is 16 bits; a longer comment is cut rather than corrupting the block.
        const std::string_view v = value.substr(0, 0xFFFF);
        u16(code);
        u16(static_cast<std::uint16_t>(v.size()));
        padded(asBytes(v));
    }
    void endOfOptions()
    {
        u16(kOptEndOfOptions);
        u16(0);
    }
    Bytes take() { return std::move(m_out); }

private:
    Bytes m_out;
};

// §3.1: type, total length, body, and the total length again so a reader can walk backwards.
void appendBlock(Bytes& file, std::uint32_t type, Bytes body)
{
    LittleEndian b;
    const auto total = static_cast<std::uint32_t>(12 + body.size());
    b.u32(type);
    b.u32(total);
    b.padded(body); // bodies are built padded already; this keeps the invariant if one is not
    b.u32(total);
    append(file, b.take());
}

// RFC 1071: the 16-bit ones' complement of the ones' complement sum, over big-endian 16-bit words.
std::uint16_t internetChecksum(ByteView data)
{
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < data.size(); i += 2)
        sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    if (data.size() % 2)
        sum += static_cast<std::uint32_t>(data.back() << 8);
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

void putU16(Bytes& b, std::size_t at, std::uint16_t v)
{
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

// The two ends of one TCP connection on the loopback interface, writing each segment as an Enhanced Packet.
class TcpConversation {
public:
    TcpConversation(Bytes& file, const PcapngOptions& options) : m_file(file), m_options(options)
    {
        m_nextSeq = {kClientIsn, kServerIsn};
        const std::int64_t start = std::max<std::int64_t>(0, options.startTime);
        m_micros = static_cast<std::uint64_t>(start) * 1000000;
    }

    // RFC 9293 §3.5: the three-way handshake; SYN occupies one sequence number.
    void open()
    {
        segment(Side::Client, kSyn, {}, {});
        segment(Side::Server, kSyn | kAck, {}, {});
        segment(Side::Client, kAck, {}, {});
    }

    // A record as one segment, or several when it exceeds maxSegment; PSH marks where the sender's write ends.
    void send(Side from, ByteView data, std::string_view comment)
    {
        const std::size_t limit = std::clamp<std::size_t>(m_options.maxSegment, 1, kMaxTcpPayload);
        for (std::size_t pos = 0; pos < data.size(); pos += limit) {
            const ByteView part = data.subspan(pos, std::min(limit, data.size() - pos));
            const bool last = pos + part.size() == data.size();
            segment(from, last ? kPsh | kAck : kAck, part, pos == 0 ? comment : std::string_view{});
        }
    }

    // RFC 9293 §3.6: the client closes first, the server answers with its own FIN, the client acknowledges it.
    void close()
    {
        segment(Side::Client, kFin | kAck, {}, {});
        segment(Side::Server, kFin | kAck, {}, {});
        segment(Side::Client, kAck, {}, {});
    }

private:
    void segment(Side from, std::uint8_t flags, ByteView payload, std::string_view comment)
    {
        const std::size_t me = from == Side::Client ? 0 : 1;
        const std::size_t peer = 1 - me;
        const std::uint16_t srcPort = from == Side::Client ? m_options.clientPort : m_options.serverPort;
        const std::uint16_t dstPort = from == Side::Client ? m_options.serverPort : m_options.clientPort;

        Writer tcp;
        tcp.u16(srcPort);
        tcp.u16(dstPort);
        tcp.u32(m_nextSeq[me]);
        tcp.u32(flags & kAck ? m_nextSeq[peer] : 0);
        tcp.u8(5 << 4); // data offset: 5 words, no options
        tcp.u8(flags);
        tcp.u16(0xFFFF); // window
        tcp.u16(0);      // checksum, filled in below
        tcp.u16(0);      // urgent pointer
        tcp.bytes(payload);
        Bytes segmentBytes = tcp.take();

        // RFC 9293 §3.1: the checksum also covers a pseudo-header of addresses, protocol and TCP length.
        Writer pseudo;
        pseudo.bytes(kLoopback);
        pseudo.bytes(kLoopback);
        pseudo.u8(0);
        pseudo.u8(6);
        pseudo.u16(static_cast<std::uint16_t>(segmentBytes.size()));
        pseudo.bytes(segmentBytes);
        putU16(segmentBytes, 16, internetChecksum(pseudo.data()));

        Writer ip;
        ip.u8(0x45); // RFC 791: version 4, header of 5 words
        ip.u8(0);    // type of service
        ip.u16(static_cast<std::uint16_t>(20 + segmentBytes.size()));
        ip.u16(m_ipId[me]++);
        ip.u16(0x4000); // Don't Fragment, offset 0
        ip.u8(64);      // time to live
        ip.u8(6);       // protocol: TCP
        ip.u16(0);      // header checksum, filled in below
        ip.bytes(kLoopback);
        ip.bytes(kLoopback);
        Bytes packet = ip.take();
        putU16(packet, 10, internetChecksum(packet));
        append(packet, segmentBytes);

        m_nextSeq[me] += static_cast<std::uint32_t>(payload.size()) + ((flags & (kSyn | kFin)) ? 1 : 0);

        // §4.3 Enhanced Packet Block; timestamps in the default resolution, microseconds since 1970.
        LittleEndian epb;
        epb.u32(0); // interface 0
        epb.u32(static_cast<std::uint32_t>(m_micros >> 32));
        epb.u32(static_cast<std::uint32_t>(m_micros));
        epb.u32(static_cast<std::uint32_t>(packet.size()));
        epb.u32(static_cast<std::uint32_t>(packet.size()));
        epb.padded(packet);
        if (!comment.empty()) {
            epb.option(kOptComment, comment);
            epb.endOfOptions();
        }
        appendBlock(m_file, kEnhancedPacketBlock, epb.take());
        m_micros += 1000;
    }

    Bytes& m_file;
    const PcapngOptions& m_options;
    std::array<std::uint32_t, 2> m_nextSeq{};
    std::array<std::uint16_t, 2> m_ipId{1, 1};
    std::uint64_t m_micros = 0;
};

} // namespace

Bytes traceToPcapng(const Trace& trace, const PcapngOptions& options)
{
    Bytes file;

    // §4.1 Section Header Block: version 1.0, section length unknown (-1).
    LittleEndian shb;
    shb.u32(kByteOrderMagic);
    shb.u16(1);
    shb.u16(0);
    shb.u64(~std::uint64_t{0});
    if (!trace.scenario.empty())
        shb.option(kOptComment, "HandshakeLab trace: " + trace.scenario);
    shb.option(kShbUserApplication, "HandshakeLab");
    shb.endOfOptions();
    appendBlock(file, kSectionHeaderBlock, shb.take());

    // §4.2 Interface Description Block: raw IPv4, no snapshot limit, default microsecond timestamps.
    LittleEndian idb;
    idb.u16(kLinkTypeRaw);
    idb.u16(0);
    idb.u32(0);
    idb.option(kIfName, "lo");
    idb.endOfOptions();
    appendBlock(file, kInterfaceDescriptionBlock, idb.take());

    // §4.7 Decryption Secrets Block: it must precede the packets it decrypts; Wireshark reads it as if it were a
    // key log file given with -o tls.keylog_file.
    if (options.embedKeys) {
        const std::string keyLog = traceToKeyLog(trace);
        if (!keyLog.empty()) {
            LittleEndian dsb;
            dsb.u32(kTlsKeyLogSecrets);
            dsb.u32(static_cast<std::uint32_t>(keyLog.size()));
            dsb.padded(asBytes(keyLog));
            appendBlock(file, kDecryptionSecretsBlock, dsb.take());
        }
    }

    // Each connection of the run is its own TCP connection from the next client port (as a browser reconnecting
    // would be), so Wireshark follows each as its own TLS stream; the clock goes on from where the last one closed.
    std::int64_t startTime = options.startTime;
    for (int c = 1; c <= trace.connectionCount(); ++c) {
        PcapngOptions connection = options;
        connection.clientPort = static_cast<std::uint16_t>(options.clientPort + c - 1);
        connection.startTime = startTime;
        TcpConversation tcp(file, connection);
        tcp.open();
        std::size_t packets = 6; // the three-way handshake and the close
        for (const TraceEvent& e : trace.events())
            if (const auto* r = std::get_if<RecordEvent>(&e); r && r->connection == c) {
                tcp.send(r->from, r->wire, r->note);
                packets += r->wire.size() / std::max<std::size_t>(1, options.maxSegment) + 1;
            }
        tcp.close();
        startTime += static_cast<std::int64_t>(packets / 1000) + 1;
    }
    return file;
}

} // namespace hl
