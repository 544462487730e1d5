// Record framing and protection switching.
#include "record/record_layer.h"

#include "common/alert.h"
#include "record/protection.h"

namespace hl {

namespace {
bool knownContentType(std::uint8_t t)
{
    return t >= static_cast<std::uint8_t>(ContentType::ChangeCipherSpec) &&
           t <= static_cast<std::uint8_t>(ContentType::ApplicationData);
}
} // namespace

std::optional<std::size_t> completeRecordLength(ByteView buffer)
{
    if (buffer.size() < kRecordHeaderLength)
        return std::nullopt;
    const std::uint8_t type = buffer[0];
    if (!knownContentType(type))
        throw TlsError(AlertDescription::UnexpectedMessage,
                       "record with unknown content type " + std::to_string(type) +
                           " (RFC 5246 §6: only 20, 21, 22 and 23 exist in TLS 1.2)");
    if (buffer[1] != 3)
        throw TlsError(AlertDescription::ProtocolVersion,
                       "record header version " + hexValue(static_cast<std::uint16_t>(buffer[1] << 8 | buffer[2]), 4) +
                           " is not SSL 3.0 or any TLS version");
    const std::size_t len = static_cast<std::size_t>(buffer[3] << 8 | buffer[4]);
    if (len > kMaxCiphertext)
        throw TlsError(AlertDescription::RecordOverflow,
                       "record claims " + std::to_string(len) + " bytes; RFC 5246 §6.2.3 allows at most 2^14 + 2048");
    if (buffer.size() < kRecordHeaderLength + len)
        return std::nullopt;
    return kRecordHeaderLength + len;
}

std::vector<Field> describeRecordHeader(ByteView record)
{
    std::vector<Field> fields;
    try {
        Reader r(record.first(std::min(record.size(), kRecordHeaderLength)), "record header", &fields);
        const std::uint8_t type = r.u8("content_type", "what the record carries");
        r.describe(contentTypeName(type) + " (" + std::to_string(type) + ")");
        const std::uint16_t v = r.u16("version", "protocol version of the record layer");
        r.describe(versionName(v) + " (" + versionWireText(v) + " = " + hexValue(v, 4) + ")");
        const std::uint16_t len = r.u16("length", "bytes of record content that follow this header");
        r.describe(std::to_string(len) + " bytes");
    } catch (const TlsError&) {
        // A short header: the fields read so far are all there is to show.
    }
    return fields;
}

RecordLayer::RecordLayer() = default;
RecordLayer::~RecordLayer() = default;
RecordLayer::RecordLayer(RecordLayer&&) noexcept = default;
RecordLayer& RecordLayer::operator=(RecordLayer&&) noexcept = default;

void RecordLayer::changeWriteState(std::unique_ptr<RecordProtection> p)
{
    m_write = std::move(p);
    m_writeSeq = 0;
}

void RecordLayer::changeReadState(std::unique_ptr<RecordProtection> p)
{
    m_read = std::move(p);
    m_readSeq = 0;
}

std::vector<RecordView> RecordLayer::seal(ContentType type, ByteView data, CryptoPP::RandomNumberGenerator& rng)
{
    std::vector<RecordView> out;
    std::size_t pos = 0;
    // Application data may legitimately be empty; handshake, alert and CCS records must not be
    // (RFC 5246 §6.2.1), and callers never ask for that.
    do {
        const std::size_t n = std::min(kMaxPlaintext, data.size() - pos);
        const ByteView chunk = data.subspan(pos, n);
        RecordView rec;
        rec.contentType = static_cast<std::uint8_t>(type);
        rec.version = m_writeVersion;
        rec.plaintext.assign(chunk.begin(), chunk.end());
        rec.sequence = m_writeSeq;
        Bytes fragment;
        if (m_write) {
            fragment = m_write->protect(m_writeSeq, rec.contentType, rec.version, chunk, rng);
            rec.isProtected = true;
            rec.protection = m_write->description();
        } else {
            fragment = rec.plaintext;
        }
        ++m_writeSeq;
        Writer w;
        w.u8(rec.contentType);
        w.u16(rec.version);
        w.vec(2, fragment);
        rec.wire = w.take();
        out.push_back(std::move(rec));
        pos += n;
    } while (pos < data.size());
    return out;
}

RecordView RecordLayer::open(ByteView record)
{
    const std::optional<std::size_t> len = completeRecordLength(record);
    if (!len || *len != record.size())
        throw TlsError(AlertDescription::DecodeError, "record length does not match its header");
    RecordView rec;
    rec.contentType = record[0];
    rec.version = static_cast<std::uint16_t>(record[1] << 8 | record[2]);
    rec.wire.assign(record.begin(), record.end());
    rec.sequence = m_readSeq;
    const ByteView fragment = record.subspan(kRecordHeaderLength);
    if (m_read) {
        rec.plaintext = m_read->unprotect(m_readSeq, rec.contentType, rec.version, fragment);
        rec.isProtected = true;
        rec.protection = m_read->description();
    } else {
        if (fragment.size() > kMaxPlaintext)
            throw TlsError(AlertDescription::RecordOverflow,
                           "plaintext record of " + std::to_string(fragment.size()) + " bytes exceeds 2^14");
        rec.plaintext.assign(fragment.begin(), fragment.end());
    }
    ++m_readSeq;
    if (rec.plaintext.empty() && rec.contentType != static_cast<std::uint8_t>(ContentType::ApplicationData))
        throw TlsError(AlertDescription::UnexpectedMessage,
                       "empty " + contentTypeName(rec.contentType) + " record (RFC 5246 §6.2.1 forbids them)");
    return rec;
}

} // namespace hl
