// The handshake as data (RFC 5246 §7.3, figure 1): a table of steps that drives what each side sends, what
// each side may receive next, and which optional steps a run took or skipped, and why.
//
// The same table feeds the state machines, the UI's list of upcoming and skipped steps, and the exported
// diagrams, so they can never disagree.
#pragma once

#include "common/alert.h"
#include "common/protocol.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hl {

// What decides whether an optional step happens. The answer is learned during the handshake, at different
// times by the two sides: the client learns ClientAuthRequested only when CertificateRequest (or
// ServerHelloDone instead) arrives.
enum class Condition : std::uint8_t {
    Always,
    ServerAuthenticated,   // server Certificate: every suite but the anonymous ones
    EphemeralKeyExchange,  // ServerKeyExchange: DHE and ECDHE suites
    ClientAuthRequested,   // CertificateRequest, and the client's Certificate in reply
    ClientCertificateSent, // CertificateVerify: only when the client's Certificate was not empty
    // The client's Certificate message: whenever asked in TLS (perhaps empty); in SSL 3.0 a client without a
    // certificate sends the no_certificate alert instead (RFC 6101 §5.6.6).
    ClientCertificateMessage,
    // NewSessionTicket (RFC 5077 §3.2): the client asked with session_ticket and the server, which issues tickets,
    // promised one with an empty session_ticket in ServerHello.
    SessionTicketIssued,
    // CertificateStatus: the client asked for a stapled OCSP response (status_request) and the server, holding one,
    // agreed in its ServerHello (RFC 6066 §8).
    CertificateStatusSent,
};
constexpr std::size_t kConditionCount = static_cast<std::size_t>(Condition::CertificateStatusSent) + 1; // the last one + 1

// A message as the flow sees it: the record's content type and, for handshake records, the handshake type.
struct MessageId {
    ContentType contentType = ContentType::Handshake;
    std::uint8_t handshakeType = 0xff;
    bool operator==(const MessageId&) const = default;
};
std::string messageName(MessageId id);

struct FlowStep {
    std::string_view name;
    Side sender;
    MessageId message;
    Condition condition;
    std::string_view purpose;     // what the message is for
    std::string_view whenSent;    // for optional steps: why this run sent it
    std::string_view whenSkipped; // for optional steps: why this run did not
    bool optional() const { return condition != Condition::Always; }
};

struct Flow {
    std::string_view name;
    std::span<const FlowStep> steps;
};

// RFC 5246 §7.3: the full handshake, in order.
const Flow& fullHandshakeFlow();
// RFC 5246 §7.3, figure 2: the abbreviated handshake that resumes a saved session. It begins as the full one does;
// the two part after ServerHello, when the server echoes the session ID the client offered.
const Flow& resumedHandshakeFlow();
// The step table entry for a message sent by `sender`, for describing messages outside a tracker.
const FlowStep* findStep(const Flow& flow, Side sender, MessageId id);

// What one side knows about the conditions so far: unset means "not decided yet".
class FlowFacts {
public:
    void set(Condition c, bool value) { m_values[static_cast<std::size_t>(c)] = value; }
    // A step that is not taken because its feature was never asked for (no ticket without the session_ticket
    // extension): false, and too ordinary to trace as a skipped step in every run.
    void setNotInPlay(Condition c)
    {
        set(c, false);
        m_quiet[static_cast<std::size_t>(c)] = true;
    }
    bool quiet(Condition c) const { return c != Condition::Always && m_quiet[static_cast<std::size_t>(c)]; }
    std::optional<bool> get(Condition c) const
    {
        if (c == Condition::Always)
            return true;
        return m_values[static_cast<std::size_t>(c)];
    }

private:
    std::array<std::optional<bool>, kConditionCount> m_values{};
    std::array<bool, kConditionCount> m_quiet{};
};

// Walks one flow for one side. Both directions go through accept(): the side's own sends (which checks the
// engine's own ordering) and the peer's messages (which enforces RFC 5246's order; anything else is an
// unexpected_message whose text says what was expected and what came).
class FlowTracker {
public:
    explicit FlowTracker(const Flow& flow) : m_flow(&flow) {}

    struct Accepted {
        const FlowStep* step = nullptr;
        std::vector<const FlowStep*> skipped; // optional steps passed over to reach it
    };
    Accepted accept(Side sender, MessageId id, const FlowFacts& facts);

    // The next step `sender` must take, skipping the optional ones `facts` rule out; nullptr when the next step
    // belongs to the peer or the flow is over. Steps skipped on the way are appended to `skipped`.
    const FlowStep* nextOwnStep(Side sender, const FlowFacts& facts, std::vector<const FlowStep*>& skipped);

    // The names of the messages that may come next, e.g. "CertificateRequest or ServerHelloDone".
    std::string expectedDescription(const FlowFacts& facts) const;
    bool finished() const { return m_pos >= m_flow->steps.size(); }
    // Continues in another flow at the same position, which must share the steps taken so far (the resumed flow
    // shares ClientHello and ServerHello with the full one).
    void switchTo(const Flow& flow);
    std::size_t position() const { return m_pos; }
    const Flow& flow() const { return *m_flow; }

private:
    const Flow* m_flow;
    std::size_t m_pos = 0;
};

} // namespace hl
