// The sequence diagram as data: one row per trace event, with the sender, label, flight and encryption state a
// drawing needs. It knows no toolkit, so the Qt scene and the text exports (PlantUML, Mermaid, SVG) draw the
// same model and can never disagree about what happened.
#pragma once

#include "trace/trace.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hl {

enum class RowKind {
    Message, // a record on the wire: an arrow from its sender to the peer
    Skipped, // an optional step this run did not take: a greyed arrow with the reason
    Secret,  // a value one side derived: a note on that side's lifeline
    CertificateChain,
    CertificateCheck,
    State,
    Alert,           // an alert one side sent or received (the record itself is a Message row)
    ApplicationData, // data one side read
};

struct SequenceRow {
    std::size_t event = 0; // index into Trace::events(); rows and events are one to one
    RowKind kind = RowKind::State;
    Side side = Side::Client;      // the sender for Message/Skipped rows, otherwise the side that acted
    std::string label;             // "ServerHello", "Certificate, ServerKeyExchange", "Alert: bad_certificate (fatal)"
    std::string detail;            // second line: the chosen suite, the check's result, the reason
    bool optional = false;         // a message RFC 5246 sends only in some handshakes
    bool isProtected = false;      // the record travels encrypted
    bool isAlert = false;          // an alert record or event
    bool fatal = false;            // a fatal alert
    bool passed = true;            // for certificate checks
    bool startsEncryption = false; // the side protects what it sends from this row on (after its ChangeCipherSpec)
    int flight = -1;               // Message rows: the flight (consecutive records from one sender), from 0
    int connection = 1;            // the run's connection the event belongs to (a resumption run has two)
    bool startsConnection = false; // the first row of a connection after the first: a diagram draws a separator
};

struct Flight {
    Side sender = Side::Client;
    std::size_t firstRow = 0;
    std::size_t lastRow = 0;
    int number = 1; // counted from 1 over the whole run, so a slice keeps the numbers the class saw
};

struct SequenceDiagram {
    std::vector<SequenceRow> rows;
    std::vector<Flight> flights;
    // The row at which each side starts protecting what it sends (after its ChangeCipherSpec); -1 if never.
    long long clientEncryptsFrom = -1;
    long long serverEncryptsFrom = -1;

    long long encryptsFrom(Side side) const { return side == Side::Client ? clientEncryptsFrom : serverEncryptsFrom; }
};

SequenceDiagram buildSequence(const Trace& trace);

// How much of a run a diagram shows. The window and every export share these levels, so a slide drawn at
// "messages" shows exactly the rows the window shows at that level.
enum class DetailLevel {
    Messages, // the records, the optional steps skipped, and the fatal alert that ended a failed run
    Keys,     // plus each side's key derivations and the point where it starts encrypting
    All,      // plus every certificate check, state change and application-data read
};

std::optional<DetailLevel> detailLevelFromName(std::string_view name); // "messages", "keys", "all"
const char* detailLevelName(DetailLevel level);
bool shownAt(const SequenceRow& row, DetailLevel level);

// The rows of `diagram` shown at `level`. Rows keep their event index; flights and the rows where each side
// starts encrypting are worked out again for the rows that remain.
SequenceDiagram filterSequence(const SequenceDiagram& diagram, DetailLevel level);
// Rows [first, first + count) of `diagram` (clamped). A side that started encrypting before `first` encrypts
// from the slice's first row.
SequenceDiagram sliceSequence(const SequenceDiagram& diagram, std::size_t first, std::size_t count);

} // namespace hl
