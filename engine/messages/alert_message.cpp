// Alert (RFC 5246 §7.2): `struct { AlertLevel level; AlertDescription description; }`.
#include "messages/alert_message.h"

namespace hl {

std::string alertLevelName(std::uint8_t level)
{
    switch (static_cast<AlertLevel>(level)) {
    case AlertLevel::Warning:
        return "warning";
    case AlertLevel::Fatal:
        return "fatal";
    }
    return "level " + std::to_string(level);
}

AlertMessage AlertMessage::decode(ByteView fragment, std::vector<Field>* fields, std::size_t baseOffset)
{
    // Checked first so that an alert of the wrong size is a framing fault whatever its first byte says.
    if (fragment.size() != 2)
        throw TlsError(AlertDescription::DecodeError, "Alert: the record holds " + std::to_string(fragment.size()) +
                                                          " byte(s), an alert is exactly 2");
    Reader r(fragment, "Alert", fields, baseOffset);
    AlertMessage m;
    const std::uint8_t level = r.u8("level", "warning: the connection may go on; fatal: it ends now");
    r.describe(alertLevelName(level) + " (" + std::to_string(level) + ")");
    m.rawDescription = r.u8("description", "what happened, from the RFC's list of alerts");
    m.description = static_cast<AlertDescription>(m.rawDescription);
    r.describe(alertName(m.rawDescription) + " (" + std::to_string(m.rawDescription) + ")");
    r.expectDone();
    if (level != static_cast<std::uint8_t>(AlertLevel::Warning) &&
        level != static_cast<std::uint8_t>(AlertLevel::Fatal))
        throw TlsError(AlertDescription::IllegalParameter,
                       "Alert: level " + std::to_string(level) + " is neither warning (1) nor fatal (2)");
    m.level = static_cast<AlertLevel>(level);
    return m;
}

Bytes AlertMessage::serialize() const
{
    return {static_cast<std::uint8_t>(level), static_cast<std::uint8_t>(description)};
}

std::string AlertMessage::describe() const
{
    return alertLevelName(static_cast<std::uint8_t>(level)) + " " + alertName(static_cast<std::uint8_t>(description));
}

} // namespace hl
