// The TLS record layer (RFC 5246 §6.2): framing, fragmentation at 2^14, sequence numbers, and the switch from
// plaintext to protected records at ChangeCipherSpec. Knows nothing of handshake messages.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cryptopp/cryptlib.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hl {

class RecordProtection;

constexpr std::size_t kRecordHeaderLength = 5;
constexpr std::size_t kMaxPlaintext = 1u << 14;               // RFC 5246 §6.2.1
constexpr std::size_t kMaxCiphertext = kMaxPlaintext + 2048;  // RFC 5246 §6.2.3

// One record as it crossed the wire, with what it meant to the side that sealed or opened it.
struct RecordView {
    std::uint8_t contentType = 0;
    std::uint16_t version = 0;
    Bytes wire;
    Bytes plaintext;
    std::uint64_t sequence = 0;
    bool isProtected = false;
    std::string protection;
};

// Splits a byte stream into whole records. Returns the length of the first complete record in `buffer`, or
// nullopt when more bytes are needed. Throws TlsError for a header no TLS peer would send.
std::optional<std::size_t> completeRecordLength(ByteView buffer);

// The header's fields for the trace (content type, version, length), offsets from the record's first byte.
std::vector<Field> describeRecordHeader(ByteView record);

class RecordLayer {
public:
    RecordLayer();
    ~RecordLayer();
    RecordLayer(RecordLayer&&) noexcept;
    RecordLayer& operator=(RecordLayer&&) noexcept;

    // The version written into record headers; ClientHello's record traditionally says TLS 1.0 (0x0301) for
    // compatibility with old servers, later records the negotiated version.
    void setWriteVersion(std::uint16_t v) { m_writeVersion = v; }

    // ChangeCipherSpec: from now on this direction is protected, and its sequence number restarts at 0
    // (RFC 5246 §6.1).
    void changeWriteState(std::unique_ptr<RecordProtection> p);
    void changeReadState(std::unique_ptr<RecordProtection> p);
    bool writeProtected() const { return m_write != nullptr; }
    bool readProtected() const { return m_read != nullptr; }

    // Fragments `data` into records of at most 2^14 bytes of plaintext and protects each one.
    std::vector<RecordView> seal(ContentType type, ByteView data, CryptoPP::RandomNumberGenerator& rng);
    // Opens one complete record (as delimited by completeRecordLength).
    RecordView open(ByteView record);

private:
    std::unique_ptr<RecordProtection> m_write, m_read;
    std::uint64_t m_writeSeq = 0, m_readSeq = 0;
    std::uint16_t m_writeVersion = 0x0303;
};

} // namespace hl
