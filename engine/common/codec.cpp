// Bounds-checked wire reading with field recording, and length-prefixed writing.
#include "common/codec.h"

#include <algorithm>
#include <stdexcept>

namespace hl {

namespace {
std::string intValue(std::uint64_t v, int digits)
{
    return std::to_string(v) + " (" + hexValue(v, digits) + ")";
}
} // namespace

std::string hexValue(std::uint64_t v, int digits)
{
    // Called for nearly every decoded field, so no printf: it was a visible share of a handshake's CPU time.
    static constexpr char kDigits[] = "0123456789abcdef";
    char buf[2 + 16];
    int n = 0;
    for (std::uint64_t rest = v; rest != 0 && n < 16; rest >>= 4)
        ++n;
    n = std::clamp(std::max(n, digits), 1, 16);
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < n; ++i)
        buf[2 + i] = kDigits[(v >> (4 * (n - 1 - i))) & 0xf];
    return std::string(buf, static_cast<std::size_t>(2 + n));
}

std::string preview(ByteView b, std::size_t maxBytes)
{
    if (b.size() <= maxBytes)
        return toHex(b);
    return toHex(b.first(maxBytes)) + "… (" + std::to_string(b.size()) + " bytes)";
}

const Field* findField(const std::vector<Field>& fields, std::string_view name)
{
    for (const Field& f : fields) {
        if (f.name == name)
            return &f;
        if (const Field* inner = findField(f.children, name))
            return inner;
    }
    return nullptr;
}

Reader::Reader(ByteView data, std::string what, std::vector<Field>* sink, std::size_t baseOffset)
    : m_data(data), m_what(std::move(what)), m_sink(sink), m_base(baseOffset)
{
}

void Reader::need(std::size_t n, std::string_view name) const
{
    if (remaining() < n)
        throw TlsError(AlertDescription::DecodeError,
                       m_what + ": truncated at " + std::string(name) + " (needs " + std::to_string(n) +
                           " bytes, " + std::to_string(remaining()) + " left)");
}

// Callers test m_sink before formatting `value`: a decode that records no fields (the engine acting on a message,
// not describing it) formats nothing.
void Reader::record(std::string_view name, std::string_view meaning, std::size_t start, std::string value)
{
    if (!m_sink)
        return;
    m_sink->push_back(Field{std::string(name), std::move(value), std::string(meaning), m_base + start,
                            m_pos - start, {}});
}

std::uint8_t Reader::u8(std::string_view name, std::string_view meaning)
{
    need(1, name);
    const std::size_t start = m_pos;
    const std::uint8_t v = m_data[m_pos++];
    if (m_sink)
        record(name, meaning, start, intValue(v, 2));
    return v;
}

std::uint16_t Reader::u16(std::string_view name, std::string_view meaning)
{
    need(2, name);
    const std::size_t start = m_pos;
    const std::uint16_t v = static_cast<std::uint16_t>(m_data[m_pos] << 8 | m_data[m_pos + 1]);
    m_pos += 2;
    if (m_sink)
        record(name, meaning, start, intValue(v, 4));
    return v;
}

std::uint32_t Reader::u24(std::string_view name, std::string_view meaning)
{
    need(3, name);
    const std::size_t start = m_pos;
    const std::uint32_t v =
        static_cast<std::uint32_t>(m_data[m_pos]) << 16 | static_cast<std::uint32_t>(m_data[m_pos + 1]) << 8 |
        m_data[m_pos + 2];
    m_pos += 3;
    if (m_sink)
        record(name, meaning, start, intValue(v, 6));
    return v;
}

Bytes Reader::fixed(std::size_t n, std::string_view name, std::string_view meaning)
{
    need(n, name);
    const std::size_t start = m_pos;
    Bytes out(m_data.begin() + static_cast<std::ptrdiff_t>(m_pos),
              m_data.begin() + static_cast<std::ptrdiff_t>(m_pos + n));
    m_pos += n;
    if (m_sink)
        record(name, meaning, start, preview(out));
    return out;
}

Bytes Reader::vec(int lenBytes, std::size_t min, std::size_t max, std::string_view name, std::string_view meaning)
{
    const std::size_t start = m_pos;
    Reader body = sub(lenBytes, min, max, name, meaning);
    Bytes out = body.rest("body");
    if (m_sink) {
        // An opaque vector is one field: drop the helper child and show the body as the value.
        Field& f = m_sink->back();
        f.children.clear();
        f.value = preview(out);
        (void)start;
    }
    return out;
}

Reader Reader::sub(int lenBytes, std::size_t min, std::size_t max, std::string_view name, std::string_view meaning)
{
    if (lenBytes < 1 || lenBytes > 3)
        throw std::logic_error("Reader::sub: length prefix must be 1..3 bytes");
    const std::size_t start = m_pos;
    need(static_cast<std::size_t>(lenBytes), name);
    std::size_t len = 0;
    for (int i = 0; i < lenBytes; ++i)
        len = len << 8 | m_data[m_pos++];
    if (len < min || len > max) {
        m_pos = start;
        throw TlsError(AlertDescription::DecodeError,
                       m_what + ": " + std::string(name) + " length " + std::to_string(len) + " outside " +
                           std::to_string(min) + ".." + std::to_string(max));
    }
    if (remaining() < len) {
        const std::size_t left = remaining();
        m_pos = start;
        throw TlsError(AlertDescription::DecodeError,
                       m_what + ": " + std::string(name) + " claims " + std::to_string(len) + " bytes but only " +
                           std::to_string(left) + " follow");
    }
    const std::size_t bodyStart = m_pos;
    m_pos += len;
    std::vector<Field>* childSink = nullptr;
    if (m_sink) {
        record(name, meaning, start, std::to_string(len) + " bytes");
        childSink = &m_sink->back().children;
    }
    return Reader(m_data.subspan(bodyStart, len), m_what, childSink, m_base + bodyStart);
}

Bytes Reader::rest(std::string_view name, std::string_view meaning)
{
    return fixed(remaining(), name, meaning);
}

void Reader::describe(std::string value, std::string_view meaning)
{
    if (!m_sink || m_sink->empty())
        return;
    m_sink->back().value = std::move(value);
    if (!meaning.empty())
        m_sink->back().meaning = std::string(meaning);
}

std::size_t Reader::mark() const
{
    return m_sink ? m_sink->size() : 0;
}

void Reader::group(std::size_t mark, std::string_view name, std::string value, std::string_view meaning)
{
    if (!m_sink || mark > m_sink->size())
        return;
    Field parent{std::string(name), std::move(value), std::string(meaning), 0, 0, {}};
    if (mark < m_sink->size()) {
        const std::size_t first = (*m_sink)[mark].offset;
        const Field& lastField = m_sink->back();
        parent.offset = first;
        parent.length = lastField.offset + lastField.length - first;
        parent.children.assign(std::make_move_iterator(m_sink->begin() + static_cast<std::ptrdiff_t>(mark)),
                               std::make_move_iterator(m_sink->end()));
        m_sink->erase(m_sink->begin() + static_cast<std::ptrdiff_t>(mark), m_sink->end());
    } else {
        parent.offset = m_base + m_pos;
    }
    m_sink->push_back(std::move(parent));
}

void Reader::expectDone() const
{
    if (!done())
        throw TlsError(AlertDescription::DecodeError,
                       m_what + ": " + std::to_string(remaining()) + " unexpected trailing byte(s)");
}

void Writer::u8(std::uint8_t v) { m_out.push_back(v); }
void Writer::u16(std::uint16_t v)
{
    m_out.push_back(static_cast<std::uint8_t>(v >> 8));
    m_out.push_back(static_cast<std::uint8_t>(v));
}
void Writer::u24(std::uint32_t v)
{
    if (v > 0xffffff)
        throw std::length_error("u24 value too large");
    m_out.push_back(static_cast<std::uint8_t>(v >> 16));
    m_out.push_back(static_cast<std::uint8_t>(v >> 8));
    m_out.push_back(static_cast<std::uint8_t>(v));
}
void Writer::u32(std::uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8)
        m_out.push_back(static_cast<std::uint8_t>(v >> s));
}
void Writer::u64(std::uint64_t v)
{
    for (int s = 56; s >= 0; s -= 8)
        m_out.push_back(static_cast<std::uint8_t>(v >> s));
}
void Writer::bytes(ByteView b) { append(m_out, b); }

void Writer::putLength(std::size_t at, int lenBytes, std::size_t value)
{
    if (lenBytes < 1 || lenBytes > 3)
        throw std::logic_error("Writer: length prefix must be 1..3 bytes");
    if (value >> (8 * lenBytes))
        throw std::length_error("Writer: " + std::to_string(value) + " bytes do not fit a " +
                                std::to_string(lenBytes) + "-byte length");
    for (int i = 0; i < lenBytes; ++i)
        m_out[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (8 * (lenBytes - 1 - i)));
}

void Writer::vec(int lenBytes, ByteView body)
{
    const std::size_t at = m_out.size();
    m_out.resize(at + static_cast<std::size_t>(lenBytes));
    putLength(at, lenBytes, body.size());
    append(m_out, body);
}

void Writer::prefixed(int lenBytes, const std::function<void(Writer&)>& body)
{
    const std::size_t at = m_out.size();
    m_out.resize(at + static_cast<std::size_t>(lenBytes));
    body(*this);
    putLength(at, lenBytes, m_out.size() - at - static_cast<std::size_t>(lenBytes));
}

} // namespace hl
