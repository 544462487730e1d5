// Handshake message framing and reassembly across records (RFC 5246 §6.2.1, §7.4).
#include "messages/handshake_framing.h"

#include "common/alert.h"
#include "common/codec.h"

#include <stdexcept>

namespace hl {

namespace {
constexpr std::size_t kHeaderLength = 4; // msg_type + uint24 length
}

Bytes frameHandshake(HandshakeType type, ByteView body)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(type));
    if (body.size() > 0xffffff)
        throw std::length_error("frameHandshake: body of " + std::to_string(body.size()) + " bytes exceeds 2^24-1");
    w.u24(static_cast<std::uint32_t>(body.size()));
    w.bytes(body);
    return w.take();
}

void HandshakeReassembler::add(ByteView recordPlaintext)
{
    append(m_buffer, recordPlaintext);
}

std::optional<HandshakeFrame> HandshakeReassembler::next()
{
    if (m_buffer.size() < kHeaderLength)
        return std::nullopt;
    Reader header(ByteView(m_buffer).first(kHeaderLength), "handshake header");
    const std::uint8_t type = header.u8("msg_type");
    const std::size_t length = header.u24("length");
    if (length > kMaxBodyLength)
        throw TlsError(AlertDescription::DecodeError, handshakeName(type) + ": header claims " +
                                                          std::to_string(length) + " bytes, more than the " +
                                                          std::to_string(kMaxBodyLength) + " HandshakeLab accepts");
    if (m_buffer.size() < kHeaderLength + length)
        return std::nullopt;
    HandshakeFrame frame{
        type,
        Bytes(m_buffer.begin() + kHeaderLength, m_buffer.begin() + static_cast<std::ptrdiff_t>(kHeaderLength + length)),
        m_consumed};
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(kHeaderLength + length));
    m_consumed += kHeaderLength + length;
    return frame;
}

} // namespace hl
