// NewSessionTicket (RFC 5077 §3.3): `uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>;`.
#include "messages/new_session_ticket.h"

namespace hl {

NewSessionTicket NewSessionTicket::decode(ByteView body, std::vector<Field>* fields, std::size_t baseOffset)
{
    Reader r(body, "NewSessionTicket", fields, baseOffset);
    NewSessionTicket m;
    const Bytes hint = r.fixed(4, "ticket_lifetime_hint",
                               "how many seconds the client may keep the ticket (0: the server does not say)");
    m.lifetimeHint = static_cast<std::uint32_t>(hint[0]) << 24 | static_cast<std::uint32_t>(hint[1]) << 16 |
                     static_cast<std::uint32_t>(hint[2]) << 8 | hint[3];
    r.describe(std::to_string(m.lifetimeHint) + " seconds");
    m.ticket = r.vec(2, 0, 0xffff, "ticket",
                     "the session state sealed with the server's ticket key: the client stores it and sends it back, "
                     "but cannot read or change it");
    if (m.ticket.empty())
        r.describe("empty: the server takes back its promise of a ticket (RFC 5077 §3.3)");
    r.expectDone();
    return m;
}

Bytes NewSessionTicket::serialize() const
{
    Writer w;
    w.u32(lifetimeHint);
    w.vec(2, ticket);
    return w.take();
}

} // namespace hl
