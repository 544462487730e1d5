// The trace: one ordered list of events, the single source of truth for every view and export.
//
// Each endpoint appends what it does as it does it: the records it puts on the wire (and, when the peer is a
// real foreign stack, the records it receives), the secrets it derives, the certificate checks it performs,
// its state changes and alerts. Views never recompute protocol facts: whatever they show is carried here.
#pragma once

#include "common/alert.h"
#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace hl {

// One handshake message (or ChangeCipherSpec / Alert / application data) carried by a record.
struct MessageInfo {
    std::string name;                  // "ClientHello", "ChangeCipherSpec", "Alert", "ApplicationData"
    std::string summary;               // short detail for a diagram label, e.g. the chosen suite
    std::uint8_t handshakeType = 0xff; // for handshake messages; 0xff otherwise
    bool optional = false;             // RFC 5246 marks the message as sent only in some handshakes
    std::string optionalWhy;           // when optional: why it was sent in this run
    std::size_t offset = 0;            // of the message inside the record's plaintext
    std::size_t length = 0;
    std::vector<Field> fields; // offsets relative to the plaintext
};

struct RecordEvent {
    Side from = Side::Client;
    std::uint8_t contentType = 0;
    std::uint16_t version = 0;
    Bytes wire; // the whole record, header included, exactly as on the wire
    bool isProtected = false;
    std::string protection; // e.g. "AES-128-GCM" when protected
    Bytes plaintext;        // the record's content after removing protection (== fragment when unprotected)
    std::uint64_t sequence = 0;
    std::vector<MessageInfo> messages;
    std::vector<Field> headerFields; // content type, version, length
    std::string note;                // e.g. "modified by the interceptor"
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

// A secret as one side derives it. `name` is stable ("client_random", "pre_master_secret", "master_secret",
// "client_write_key", ...) so views can pair the two sides' values.
struct SecretEvent {
    Side side = Side::Client;
    std::string name;
    std::string label; // display name, e.g. "Master secret"
    Bytes value;
    std::string formula; // how it was computed, in RFC notation
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

struct CertificateCheckEvent {
    Side side = Side::Client; // the side that checks
    int certificateIndex = -1;
    std::string subject;
    std::string check;
    bool passed = false;
    std::string detail;
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

// The chain one side received, with its parsed fields for the certificate panel.
struct CertificateChainEvent {
    Side side = Side::Client; // the side that received it
    struct Entry {
        Bytes der;
        std::string subject, issuer;
        std::vector<Field> fields; // offsets inside der
        // "leaf" (the sender's own, first in the chain, RFC 5246 §7.4.2), "intermediate" or "root" (self-issued).
        std::string role;
    };
    std::vector<Entry> chain;
    // The root from the receiver's own trust store that the chain led to, when the sender left it out (it never
    // crosses the wire, but it is the end of the chain the receiver checked).
    std::optional<Entry> trustAnchor;
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

struct StateEvent {
    Side side = Side::Client;
    std::string state; // e.g. "ExpectServerHello", "encrypting", "Connected"
    std::string note;
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

// An optional step of the flow that this run did not take, and why.
struct SkippedStepEvent {
    Side sender = Side::Server;
    std::string message;
    std::string reason;
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

struct AlertEvent {
    Side side = Side::Client; // the side that sent (sent == true) or received it
    bool sent = true;
    AlertLevel level = AlertLevel::Fatal;
    std::uint8_t description = 0;
    std::string reason;
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

struct ApplicationDataEvent {
    Side side = Side::Client; // the side that received and read it
    Bytes data;
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

using TraceEvent = std::variant<RecordEvent, SecretEvent, CertificateCheckEvent, CertificateChainEvent, StateEvent,
                                SkippedStepEvent, AlertEvent, ApplicationDataEvent>;

// How the two sides agreed on a version and a cipher suite (RFC 5246 §7.4.1.3, App. E.1), as the side that decided
// saw it. A server records everything; a client facing a foreign server knows only its offer and the answer.
struct Negotiation {
    Side recordedBy = Side::Server;
    ProtocolVersion clientVersion = 0;           // ClientHello.client_version: the highest the client offered
    ProtocolVersion serverMin = 0, serverMax = 0; // the server's range (0 when not known)
    ProtocolVersion version = 0;                 // the version chosen; 0 when none could be
    std::vector<std::uint16_t> offeredSuites;    // the client's list, in its order of preference
    std::vector<std::uint16_t> serverSuites;     // the suites the server accepts, in its order (empty when unknown)
    bool serverPreference = true;                // whose order decided
    std::uint16_t suite = 0;                     // the suite chosen; 0 when none could be
    std::string versionRule;                     // why this version, in a sentence
    std::string suiteRule;                       // why this suite, in a sentence
    std::vector<std::string> passedOver;         // suites both listed but that could not be used, each with why
    int connection = 1; // the run's connection it belongs to, from 1; Trace::add sets it
};

struct Outcome {
    bool completed = false;
    // When the run failed: the fatal alert, which side sent it, and why.
    std::uint8_t alert = 0;
    Side alertFrom = Side::Client;
    std::string reason;
};

// What a teacher writes beside the product's own explanations: an introduction, a note on chosen steps, and
// questions for the class.
struct TeachingNotes {
    struct StepNote {
        std::string message;       // as InterceptRule::message names it: "ServerKeyExchange", "Finished", ...
        std::optional<Side> from;  // whose, when both sides send one
        std::size_t occurrence = 1;
        std::string text;
    };
    std::string introduction;
    std::vector<StepNote> steps;
    std::vector<std::string> questions;

    bool empty() const { return introduction.empty() && steps.empty() && questions.empty(); }
};

class Trace {
public:
    void add(TraceEvent e)
    {
        stamp(e);
        m_events.push_back(std::move(e));
        if (m_latestRecords && std::holds_alternative<RecordEvent>(m_events.back()) &&
            ++m_tailRecords > 2 * m_latestRecords)
            dropOldestOfTail();
    }
    // Puts an event before events()[at] (at the end when at is past it): a record an attacker slipped onto the wire
    // ahead of one whose event was written when its side produced it.
    void insert(std::size_t at, TraceEvent e)
    {
        stamp(e);
        m_events.insert(m_events.begin() + static_cast<std::ptrdiff_t>(std::min(at, m_events.size())), std::move(e));
        if (m_latestRecords && at <= m_head)
            ++m_head;
    }
    // A connection that lives long (serve, connect) must not grow with its traffic: from this call on, the events
    // already held stay (the handshake), and of the records added later only the latest `latestRecords` or so are kept
    // (between that and twice that, with what each carried); older ones are dropped and counted. Unbounded by default.
    void keepOnlyLatestRecords(std::size_t latestRecords)
    {
        m_latestRecords = latestRecords;
        m_head = m_events.size();
        m_tailRecords = 0;
    }
    // What was dropped, and where: the dropped events stood just before events()[droppedAt()].
    std::size_t droppedRecords() const { return m_droppedRecords; }
    std::size_t droppedEvents() const { return m_droppedEvents; }
    std::size_t droppedAt() const { return m_head; }
    // A run may hold several connections (a full handshake, then one that resumes it): events added from now on
    // belong to connection `n`, counted from 1.
    void setConnection(int n) { m_connection = n; }
    int connection() const { return m_connection; }
    // How many connections the run holds (1 for most runs).
    int connectionCount() const;
    const std::vector<TraceEvent>& events() const { return m_events; }
    std::size_t size() const { return m_events.size(); }

    Outcome outcome;
    std::uint16_t cipherSuite = 0; // the suite the server chose, from its ServerHello on (0: none chosen)
    std::uint16_t version = 0;
    std::string scenario;            // its name, e.g. "default"
    std::string scenarioTitle;       // as the scenario list shows it
    std::string scenarioDescription; // its one line
    TeachingNotes notes;             // the teacher's, when the scenario has any
    // Every version and suite negotiation of the run, in order.
    std::vector<Negotiation> negotiations;
    // What did not go as the scenario asked (an interceptor rule whose message never crossed the wire).
    std::vector<std::string> warnings;

private:
    void stamp(TraceEvent& e) const
    {
        std::visit([this](auto& ev) { ev.connection = m_connection; }, e);
    }
    void dropOldestOfTail();
    std::vector<TraceEvent> m_events;
    int m_connection = 1;
    std::size_t m_latestRecords = 0; // 0: keep everything
    std::size_t m_head = 0;          // events before this index are kept for good
    std::size_t m_tailRecords = 0;   // records after it
    std::size_t m_droppedRecords = 0, m_droppedEvents = 0;
};

// The connection an event belongs to.
int connectionOf(const TraceEvent& e);

// One line for how a run ended, the same in every view: "completed with TLS_...", "failed: the client sent the
// fatal alert bad_certificate: <reason>", or, when it ended without an alert, "failed: <reason>".
std::string outcomeSummary(const Trace& trace);
// The same in a few words for a headline: "completed", "failed: bad_certificate from the client", "failed
// without an alert".
std::string outcomeShort(const Trace& trace);
// Whether the run failed with an alert (Outcome::alert is meaningful).
inline bool failedWithAlert(const Outcome& o)
{
    return !o.completed && o.alert != 0;
}

// "record", "secret", ... as used in the JSON format.
const char* eventKind(const TraceEvent& e);

} // namespace hl
