// The one reader and the one writer for TLS wire bytes (RFC 5246 §4 presentation language).
//
// Every message is decoded through Reader and encoded through Writer; no message code does pointer
// arithmetic. A Reader can also record each field it reads (name, value, meaning, offset, length) into a
// Field tree: that tree is what the trace carries and what the hex view highlights.
#pragma once

#include "common/alert.h"
#include "common/bytes.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hl {

// One decoded field. offset/length are in bytes from the start of the buffer the outermost Reader was
// given, plus that Reader's base offset, so they point straight into a record's plaintext.
struct Field {
    std::string name;
    std::string value;   // display text, e.g. "TLS 1.2 (0x0303)"
    std::string meaning; // one line saying what the field is for
    std::size_t offset = 0;
    std::size_t length = 0;
    std::vector<Field> children;

    bool operator==(const Field&) const = default;
};

class Reader {
public:
    // `what` names the structure being decoded ("ClientHello"), for error messages.
    // `sink`, when given, receives a Field for every read; `baseOffset` is added to every offset.
    Reader(ByteView data, std::string what, std::vector<Field>* sink = nullptr, std::size_t baseOffset = 0);

    std::uint8_t u8(std::string_view name, std::string_view meaning = {});
    std::uint16_t u16(std::string_view name, std::string_view meaning = {});
    std::uint32_t u24(std::string_view name, std::string_view meaning = {});
    Bytes fixed(std::size_t n, std::string_view name, std::string_view meaning = {});
    // A length-prefixed opaque vector<min..max> with a lenBytes-byte length (1, 2 or 3). The recorded field
    // spans prefix and body; the body is returned.
    Bytes vec(int lenBytes, std::size_t min, std::size_t max, std::string_view name, std::string_view meaning = {});
    // A length-prefixed vector whose body is itself structured: the returned Reader reads only the body and
    // records its fields as children of the new field. Finish it before reading on with this Reader.
    Reader sub(int lenBytes, std::size_t min, std::size_t max, std::string_view name, std::string_view meaning = {});
    // The rest of the input as one field (e.g. an unknown extension body).
    Bytes rest(std::string_view name, std::string_view meaning = {});

    // Replace the display value / meaning of the field read last (no-op when not recording).
    void describe(std::string value, std::string_view meaning = {});
    // Group the fields recorded since `mark()` under one parent field named `name`.
    std::size_t mark() const;
    void group(std::size_t mark, std::string_view name, std::string value = {}, std::string_view meaning = {});

    // RFC 5246 §7.4: structures carry no trailing bytes; decode_error if any are left.
    void expectDone() const;

    bool done() const { return m_pos == m_data.size(); }
    std::size_t remaining() const { return m_data.size() - m_pos; }
    std::size_t position() const { return m_pos; }
    const std::string& what() const { return m_what; }
    std::vector<Field>* sink() const { return m_sink; }

private:
    void need(std::size_t n, std::string_view name) const;
    void record(std::string_view name, std::string_view meaning, std::size_t start, std::string value);

    ByteView m_data;
    std::string m_what;
    std::vector<Field>* m_sink;
    std::size_t m_base;
    std::size_t m_pos = 0;
};

class Writer {
public:
    void u8(std::uint8_t v);
    void u16(std::uint16_t v);
    void u24(std::uint32_t v);
    void u32(std::uint32_t v);
    void u64(std::uint64_t v);
    void bytes(ByteView b);
    // Length-prefixed opaque vector; throws std::length_error if it cannot fit the prefix.
    void vec(int lenBytes, ByteView body);
    // Length-prefixed structure: `body` writes into this Writer and the prefix is filled in afterwards.
    void prefixed(int lenBytes, const std::function<void(Writer&)>& body);

    const Bytes& data() const { return m_out; }
    Bytes take() { return std::move(m_out); }
    std::size_t size() const { return m_out.size(); }

private:
    void putLength(std::size_t at, int lenBytes, std::size_t value);
    Bytes m_out;
};

// Display helpers shared by message describers.
std::string hexValue(std::uint64_t v, int digits);
std::string preview(ByteView b, std::size_t maxBytes = 64);
// The first field named `name` in a decoded tree, depth first; nullptr when there is none.
const Field* findField(const std::vector<Field>& fields, std::string_view name);

} // namespace hl
