// The RFC 5246 full-handshake table and the tracker that walks it.
#include "flow/flow.h"

#include <stdexcept>

namespace hl {

namespace {
constexpr MessageId hs(HandshakeType t) { return {ContentType::Handshake, static_cast<std::uint8_t>(t)}; }
constexpr MessageId kCcs{ContentType::ChangeCipherSpec, 0xff};

using HT = HandshakeType;
using C = Condition;

// Explanations are the product's own words; they are shown to students next to the diagram.
constexpr std::array kFullHandshake{
    FlowStep{"ClientHello", Side::Client, hs(HT::ClientHello), C::Always,
             "Opens the handshake: the client's random, the versions, cipher suites and extensions it can use.", {}, {}},
    FlowStep{"ServerHello", Side::Server, hs(HT::ServerHello), C::Always,
             "The server picks one cipher suite and the version from the client's offer and adds its own random.", {}, {}},
    FlowStep{"Certificate", Side::Server, hs(HT::Certificate), C::ServerAuthenticated,
             "The server's certificate chain, so the client can check whom it is talking to.",
             "the chosen suite authenticates the server with a certificate",
             "the chosen suite is anonymous: the server proves nothing about its identity"},
    FlowStep{"CertificateStatus", Side::Server, hs(HT::CertificateStatus), C::CertificateStatusSent,
             "The server staples a recent OCSP response, signed by its certificate's CA, saying the certificate is "
             "not revoked, so the client need not ask the CA itself.",
             "the client asked for the certificate's status (status_request) and the server holds a response from "
             "its CA to staple",
             "the client asked for the certificate's status (status_request), but the server has no OCSP response "
             "to staple, so its ServerHello does not promise one"},
    FlowStep{"ServerKeyExchange", Side::Server, hs(HT::ServerKeyExchange), C::EphemeralKeyExchange,
             "The server's fresh (EC)Diffie-Hellman public value, signed with its certificate's key.",
             "the suite uses an ephemeral (EC)DHE key exchange, so the certificate's key alone is not enough",
             "with RSA key transport the client encrypts the pre-master secret to the certificate's key, so no "
             "extra server key is needed"},
    FlowStep{"CertificateRequest", Side::Server, hs(HT::CertificateRequest), C::ClientAuthRequested,
             "The server asks the client to prove its identity with a certificate too.",
             "the server is configured to authenticate clients (mutual TLS)",
             "the server does not ask for client authentication, as most web servers do not"},
    FlowStep{"ServerHelloDone", Side::Server, hs(HT::ServerHelloDone), C::Always,
             "The server has said everything for now; it is the client's turn.", {}, {}},
    FlowStep{"Certificate", Side::Client, hs(HT::Certificate), C::ClientCertificateMessage,
             "The client's certificate chain, sent because the server asked for it (it may be empty).",
             "the server sent a CertificateRequest",
             "the server did not ask for a client certificate"},
    FlowStep{"ClientKeyExchange", Side::Client, hs(HT::ClientKeyExchange), C::Always,
             "The client's share of the key exchange: an encrypted pre-master secret (RSA) or its (EC)DH public "
             "value.",
             {}, {}},
    FlowStep{"CertificateVerify", Side::Client, hs(HT::CertificateVerify), C::ClientCertificateSent,
             "The client signs the handshake so far, proving it holds the private key of its certificate.",
             "the client sent a certificate and must prove it owns that certificate's private key",
             "the client sent no certificate, so there is nothing to prove"},
    FlowStep{"ChangeCipherSpec", Side::Client, kCcs, C::Always,
             "From the next record on, the client encrypts and authenticates everything it sends.", {}, {}},
    FlowStep{"Finished", Side::Client, hs(HT::Finished), C::Always,
             "The client's first protected message: a MAC over the whole handshake, so tampering is detected.", {}, {}},
    // RFC 5077 §3.1, figure 1: the ticket comes after the client's Finished and before the server's ChangeCipherSpec.
    FlowStep{"NewSessionTicket", Side::Server, hs(HT::NewSessionTicket), C::SessionTicketIssued,
             "The server hands the client a ticket: this session's state sealed under a key only the server knows, for "
             "the client to present when it comes back.",
             "the client asked for a ticket with an empty session_ticket extension, and the server, which issues "
             "tickets, promised one in its ServerHello",
             "the server did not promise a ticket in its ServerHello, so it keeps no ticket for this session"},
    FlowStep{"ChangeCipherSpec", Side::Server, kCcs, C::Always,
             "From the next record on, the server encrypts and authenticates everything it sends.", {}, {}},
    FlowStep{"Finished", Side::Server, hs(HT::Finished), C::Always,
             "The server's MAC over the whole handshake; when it checks out, both sides share the same keys.", {}, {}},
};

constexpr Flow kFullFlow{"full handshake", kFullHandshake};

// No certificates, no key exchange: both sides already hold the master secret. The server speaks first after its
// hello, so the client's Finished ends the handshake one round trip earlier than in the full flow.
constexpr std::array kResumedHandshake{
    FlowStep{"ClientHello", Side::Client, hs(HT::ClientHello), C::Always,
             "Opens the handshake as usual, but names a saved session the client would like to resume: by its "
             "session ID, or with the ticket the server gave it.",
             {}, {}},
    FlowStep{"ServerHello", Side::Server, hs(HT::ServerHello), C::Always,
             "The server still has that session and agrees to resume it: it echoes the session ID, repeats the "
             "session's suite and adds a fresh random.",
             {}, {}},
    // RFC 5077 §3.1, figure 3: a server resuming from a ticket may seal the session into a new one, before its
    // ChangeCipherSpec.
    FlowStep{"NewSessionTicket", Side::Server, hs(HT::NewSessionTicket), C::SessionTicketIssued,
             "The server renews the client's ticket: the same session sealed again, to present next time.",
             "the server promised a new ticket in its ServerHello: it renews tickets when it resumes from one",
             "the server resumes without promising a new ticket: the client keeps the one it has"},
    FlowStep{"ChangeCipherSpec", Side::Server, kCcs, C::Always,
             "The server protects what it sends from here on, with keys made from the saved master secret and the "
             "two new randoms.",
             {}, {}},
    FlowStep{"Finished", Side::Server, hs(HT::Finished), C::Always,
             "The server proves it knows the saved master secret with a MAC over the two hellos.", {}, {}},
    FlowStep{"ChangeCipherSpec", Side::Client, kCcs, C::Always,
             "The client protects what it sends from here on.", {}, {}},
    FlowStep{"Finished", Side::Client, hs(HT::Finished), C::Always,
             "The client's MAC over the whole abbreviated handshake; when it checks out, the session is resumed.", {},
             {}},
};

constexpr Flow kResumedFlow{"resumed handshake", kResumedHandshake};
} // namespace

std::string messageName(MessageId id)
{
    if (id.contentType == ContentType::Handshake)
        return handshakeName(id.handshakeType);
    return contentTypeName(static_cast<std::uint8_t>(id.contentType));
}

const Flow& fullHandshakeFlow() { return kFullFlow; }
const Flow& resumedHandshakeFlow() { return kResumedFlow; }

void FlowTracker::switchTo(const Flow& flow)
{
    for (std::size_t i = 0; i < m_pos; ++i)
        if (i >= flow.steps.size() || flow.steps[i].sender != m_flow->steps[i].sender ||
            !(flow.steps[i].message == m_flow->steps[i].message))
            throw std::logic_error("cannot continue in the " + std::string(flow.name) + ": the steps taken differ");
    m_flow = &flow;
}

const FlowStep* findStep(const Flow& flow, Side sender, MessageId id)
{
    for (const FlowStep& s : flow.steps)
        if (s.sender == sender && s.message == id)
            return &s;
    return nullptr;
}

FlowTracker::Accepted FlowTracker::accept(Side sender, MessageId id, const FlowFacts& facts)
{
    Accepted result;
    for (std::size_t i = m_pos; i < m_flow->steps.size(); ++i) {
        const FlowStep& step = m_flow->steps[i];
        if (step.sender == sender && step.message == id && facts.get(step.condition) != false) {
            m_pos = i + 1;
            result.step = &step;
            return result;
        }
        // A step may be passed over only if it is optional and not known to be required.
        if (!step.optional() || facts.get(step.condition) == true)
            break;
        if (!facts.quiet(step.condition))
            result.skipped.push_back(&step);
    }
    const std::string expected = expectedDescription(facts);
    throw TlsError(AlertDescription::UnexpectedMessage,
                   std::string(sideName(sender)) + " sent " + messageName(id) + " but " +
                       (expected.empty() ? std::string("the handshake was already over")
                                         : "the next message had to be " + expected));
}

const FlowStep* FlowTracker::nextOwnStep(Side sender, const FlowFacts& facts, std::vector<const FlowStep*>& skipped)
{
    while (m_pos < m_flow->steps.size()) {
        const FlowStep& step = m_flow->steps[m_pos];
        if (step.sender != sender)
            return nullptr;
        const std::optional<bool> wanted = facts.get(step.condition);
        if (wanted == false) {
            if (!facts.quiet(step.condition))
                skipped.push_back(&step);
            ++m_pos;
            continue;
        }
        return &step; // the caller sends it and then calls accept()
    }
    return nullptr;
}

std::string FlowTracker::expectedDescription(const FlowFacts& facts) const
{
    std::string out;
    for (std::size_t i = m_pos; i < m_flow->steps.size(); ++i) {
        const FlowStep& step = m_flow->steps[i];
        if (facts.get(step.condition) == false)
            continue;
        if (!out.empty())
            out += " or ";
        out += std::string(sideName(step.sender)) + " " + std::string(step.name);
        if (!step.optional() || facts.get(step.condition) == true)
            break;
    }
    return out;
}

} // namespace hl
