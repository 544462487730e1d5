// Byte buffers and hex helpers shared by every engine unit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hl {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Lower-case hex, no separators.
std::string toHex(ByteView data);
// Accepts upper or lower case and ignores spaces, colons and newlines; throws std::invalid_argument
// naming the offending character otherwise.
Bytes fromHex(std::string_view text);

inline ByteView asBytes(std::string_view s)
{
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string asString(ByteView b)
{
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

inline void append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

template <typename... Parts>
Bytes concat(const Parts&... parts)
{
    Bytes out;
    (append(out, ByteView(parts)), ...);
    return out;
}

} // namespace hl
