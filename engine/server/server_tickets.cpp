// The server's side of session tickets (RFC 5077): opening the ticket a client presents, each reason to fall back
// to a full handshake, and issuing a NewSessionTicket.
#include "server/server.h"

#include "messages/new_session_ticket.h"
#include "session/session_ticket.h"

namespace hl {

bool Server::tryResumeFromTicket()
{
    const std::string named = "the client presents a " + std::to_string(m_clientTicket->size()) + "-byte session ticket";
    const auto fullHandshake = [&](const std::string& why) {
        emitState("not resuming", why + ", so the server runs the full handshake" +
                                      (m_config.ticketKey ? " and will issue a new ticket" : std::string()));
        return false;
    };
    const OpenedTicket opened = openTicket(*m_config.ticketKey, *m_clientTicket);
    switch (opened.status) {
    case OpenedTicket::Status::Ok: break;
    case OpenedTicket::Status::UnknownKey:
        return fullHandshake(named + ", but " + opened.detail +
                             ": it was sealed by another server, or under a key this one has since replaced");
    case OpenedTicket::Status::BadMac:
        return fullHandshake(named + ", but " + opened.detail +
                             "; the server never decrypts a ticket that fails its MAC (RFC 5077 §4)");
    case OpenedTicket::Status::Malformed:
    case OpenedTicket::Status::BadState:
        return fullHandshake(named + ", but the server cannot read it: " + opened.detail);
    }
    SavedSession saved = *opened.session;
    const std::int64_t age = m_config.now - saved.createdAt;
    // The ticket's age counts from the full handshake that made the session: renewing a ticket keeps that time.
    if (age > m_config.sessionLifetime)
        return fullHandshake(named + ", which opens, but its session is " + std::to_string(age) +
                             " seconds old and this server resumes sessions for " +
                             std::to_string(m_config.sessionLifetime) + " seconds only");
    // RFC 5077 §3.4: the server echoes the client's session ID to say it accepted the ticket.
    saved.sessionId = m_clientHello.sessionId;
    if (!resumeIfAcceptable(named, saved,
                            "which opens with the server's ticket key (" + std::to_string(age) +
                                " seconds old, nothing kept on the server)"))
        return false;
    m_resumedFromTicket = true;
    return true;
}

void Server::decideTicket()
{
    // RFC 5077 §3.2: only a client that sent the extension gets a ticket, and only from a server that issues them.
    if (!m_clientTicket || m_version == kSsl30) {
        m_facts.setNotInPlay(Condition::SessionTicketIssued);
        return;
    }
    if (!m_config.ticketKey) {
        m_facts.set(Condition::SessionTicketIssued, false);
        emitState("no ticket", "the client asks for a session ticket, but this server issues none (tickets are "
                               "switched off): it ignores the extension");
        return;
    }
    if (m_resumedFromTicket && !m_config.renewTickets) {
        m_facts.set(Condition::SessionTicketIssued, false);
        return;
    }
    m_facts.set(Condition::SessionTicketIssued, true);
}

void Server::sendNewSessionTicket()
{
    // The state sealed is the session as both sides hold it now; a renewed ticket keeps the session's creation time.
    SavedSession state = m_resumed ? *m_resuming : sessionState({}, m_clientChain, m_config.now);
    state.sessionId.clear();
    state.ticket.clear();
    state.ticketLifetimeHint = static_cast<std::uint32_t>(std::max<std::int64_t>(0, m_config.sessionLifetime));
    NewSessionTicket nst;
    nst.lifetimeHint = state.ticketLifetimeHint;
    nst.ticket = sealTicket(*m_config.ticketKey, state, m_rng);
    sendHandshake(HandshakeType::NewSessionTicket, nst.serialize());
    emitState("ticket issued",
              "the server sealed this session (" + versionName(state.version) + ", " +
                  cipherSuiteName(state.cipherSuite) + ", the master secret" +
                  (state.extendedMasterSecret ? ", the extended master secret flag" : "") +
                  (state.peerCertificates.empty() ? "" : ", the client's certificates") +
                  " and its creation time) into a " + std::to_string(nst.ticket.size()) +
                  "-byte ticket under its ticket key, AES-128-CBC and HMAC-SHA-256; it keeps no copy");
}

} // namespace hl
