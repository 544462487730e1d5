// Alert (RFC 5246 §7.2): a two-byte record announcing a warning, a close, or a fatal error.
#pragma once

#include "common/alert.h"
#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hl {

struct AlertMessage {
    static constexpr ContentType kContentType = ContentType::Alert;

    AlertMessage() = default;
    AlertMessage(AlertLevel l, AlertDescription d)
        : level(l), description(d), rawDescription(static_cast<std::uint8_t>(d))
    {
    }

    AlertLevel level = AlertLevel::Fatal;
    // description holds any byte, known or not (the enum's underlying type is std::uint8_t); serialize() writes it.
    // rawDescription is the same byte as a number, for display of values the enum does not name.
    AlertDescription description = AlertDescription::CloseNotify;
    std::uint8_t rawDescription = 0;

    // `fragment` is the whole record fragment: exactly 2 bytes, else decode_error; a level other than warning (1)
    // or fatal (2) is illegal_parameter. Unknown descriptions are kept (RFC 5246 §7.2.2 lets new ones appear).
    static AlertMessage decode(ByteView fragment, std::vector<Field>* fields = nullptr, std::size_t baseOffset = 0);
    Bytes serialize() const;
    std::string describe() const; // "fatal handshake_failure"

    bool operator==(const AlertMessage&) const = default;
};

// "warning" / "fatal" / "level <n>"
std::string alertLevelName(std::uint8_t level);

} // namespace hl
