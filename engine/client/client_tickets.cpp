// The client's side of session tickets (RFC 5077): presenting a saved ticket, reading the server's promise of a new
// one, and keeping the ticket NewSessionTicket brings.
#include "client/client.h"

#include "crypto/cipher_suite.h"
#include "messages/extensions.h"
#include "messages/new_session_ticket.h"
#include "messages/server_hello.h"

namespace hl {

void Client::offerTicket()
{
    const SavedSession& saved = *m_config.resumeSession;
    // RFC 5077 §3.4: beside the ticket the client sends a session ID of its own making; a server that accepts the
    // ticket echoes it, which is how the client learns the session is resumed.
    m_hello.sessionId.resize(32);
    m_rng.GenerateBlock(m_hello.sessionId.data(), m_hello.sessionId.size());
    m_offersResumption = true;
    m_offersTicket = true;
    emitState("offering resumption",
              "the client presents the " + std::to_string(saved.ticket.size()) +
                  "-byte ticket the server gave it for an earlier session (" + versionName(saved.version) + ", " +
                  cipherSuiteName(saved.cipherSuite) + (saved.extendedMasterSecret ? ", extended master secret" : "") +
                  "), with a fresh random session ID the server will echo if it accepts the ticket");
}

void Client::onServerTicketExtension(const ServerHello& sh)
{
    const Extension* e = findExtension(sh.extensions, ExtensionType::SessionTicket);
    if (!m_config.sessionTickets || m_version == kSsl30) {
        m_facts.setNotInPlay(Condition::SessionTicketIssued);
        return;
    }
    if (e && !e->data.empty())
        throw TlsError(AlertDescription::DecodeError,
                       "the server's session_ticket extension carries " + std::to_string(e->data.size()) +
                           " bytes; in ServerHello it must be empty (RFC 5077 §3.2)");
    m_facts.set(Condition::SessionTicketIssued, e != nullptr);
}

void Client::onNewSessionTicket(const HandshakeFrame& frame)
{
    const NewSessionTicket nst = NewSessionTicket::decode(frame.body);
    // RFC 5077 §3.3: an empty ticket takes back the promise; the client keeps no ticket from this handshake.
    if (nst.ticket.empty()) {
        emitState("no ticket", "the server promised a ticket but sent an empty one: nothing to keep");
        return;
    }
    m_newTicket = nst.ticket;
    m_newTicketLifetime = nst.lifetimeHint;
    emitState("ticket received", "the client keeps the " + std::to_string(nst.ticket.size()) +
                                     "-byte ticket beside the session's master secret, for up to " +
                                     std::to_string(nst.lifetimeHint) +
                                     " seconds (the server's hint); it cannot read what is inside");
}

} // namespace hl
