// PlantUML and Mermaid writers. Both walk the rows once, opening a group when a flight starts and closing it
// after the flight's last row, so blocks always nest.
#include "trace/export_text.h"

#include "crypto/cipher_suite.h"

#include <sstream>

namespace hl {
namespace {

// Participant aliases, short so the text stays readable when a teacher edits it.
const char* alias(Side side)
{
    return side == Side::Client ? "C" : "S";
}

std::string flightTitle(const SequenceDiagram& d, int flight)
{
    const Flight& f = d.flights[static_cast<std::size_t>(flight)];
    return "Flight " + std::to_string(f.number) + " · " + sideName(f.sender);
}

// PlantUML reads a label up to the end of the line; "\n" in the text is its line break.
std::string plantText(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '\n')
            out += "\\n";
        else if (c != '\r')
            out += c;
    }
    return out;
}

// Mermaid ends a statement at ';' and reads '#...;' as an entity, so both are written as entities, as are the
// angle brackets its HTML labels would otherwise interpret.
std::string mermaidText(const std::string& s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case ';':
            out += "#59;";
            break;
        case '#':
            out += "#35;";
            break;
        case '<':
            out += "#lt;";
            break;
        case '>':
            out += "#gt;";
            break;
        case '\n':
            out += "<br/>";
            break;
        case '\r':
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string noteText(const SequenceRow& r)
{
    if (r.kind == RowKind::State && r.startsEncryption)
        return "starts encrypting";
    if (r.detail.empty() || r.kind == RowKind::State)
        return r.label;
    return r.label + "\n" + r.detail;
}

} // namespace

std::string defaultExportTitle(const Trace& trace)
{
    std::string title = trace.scenario.empty() ? std::string("TLS handshake") : trace.scenario;
    title += " · " + versionName(trace.version ? trace.version : kTls12);
    if (trace.cipherSuite)
        title += " · " + cipherSuiteName(trace.cipherSuite);
    title += " · " + outcomeShort(trace);
    return title;
}

std::string sequenceToPlantUml(const SequenceDiagram& d, const std::string& title)
{
    std::ostringstream os;
    os << "@startuml\n";
    if (!title.empty())
        os << "title " << plantText(title) << "\n";
    os << "skinparam sequenceMessageAlign center\n"
          "participant \"Client\" as C #DCE8F8\n"
          "participant \"Server\" as S #FBE6D2\n";
    int open = -1;
    for (std::size_t i = 0; i < d.rows.size(); ++i) {
        const SequenceRow& r = d.rows[i];
        // A divider where the run's next connection begins (no flight spans two connections, so none is open here).
        if (i > 0 && r.connection != d.rows[i - 1].connection)
            os << "== Connection " << r.connection << ": a new TCP connection ==\n";
        if (r.kind == RowKind::Message && r.flight != open) {
            os << "group " << flightTitle(d, r.flight) << "\n";
            open = r.flight;
        }
        const std::string from = alias(r.side), to = alias(peerOf(r.side));
        if (r.kind == RowKind::Skipped) {
            // RFC 5246 marks the step optional; this run left it out, and says why.
            os << "opt #EEEEEE not sent: " << plantText(r.detail.empty() ? "not needed in this run" : r.detail)
               << "\n  " << from << " -[#999999]->> " << to << " : <color:#888888>" << plantText(r.label)
               << "</color>\nend\n";
        } else if (r.kind == RowKind::Message) {
            std::string label = (r.isProtected ? "<&lock-locked> " : "") + plantText(r.label);
            if (!r.detail.empty())
                label += "\\n<size:10>" + plantText(r.detail) + "</size>";
            const std::string arrow = r.fatal ? " -[#C81E1E]>x " : " -> ";
            if (r.fatal)
                label = "<color:#C81E1E>" + label + "</color>";
            if (r.optional)
                os << "opt optional\n  ";
            os << from << arrow << to << " : " << label << "\n";
            if (r.optional)
                os << "end\n";
        } else {
            const char* where = r.side == Side::Client ? "left of C" : "right of S";
            std::string colour;
            if ((r.kind == RowKind::Alert && r.fatal) || (r.kind == RowKind::CertificateCheck && !r.passed))
                colour = " #FFD6D6";
            else if (r.kind == RowKind::Secret)
                colour = " #FFF6CC";
            else if (r.startsEncryption)
                colour = " #D4F2E2";
            os << "note " << where << colour << " : " << plantText(noteText(r)) << "\n";
        }
        if (open >= 0 && (i + 1 == d.rows.size() || d.flights[static_cast<std::size_t>(open)].lastRow == i)) {
            os << "end\n";
            open = -1;
        }
    }
    os << "@enduml\n";
    return os.str();
}

std::string sequenceToMermaid(const SequenceDiagram& d, const std::string& title)
{
    std::ostringstream os;
    os << "sequenceDiagram\n";
    if (!title.empty())
        os << "    title " << mermaidText(title) << "\n";
    os << "    participant C as Client\n"
          "    participant S as Server\n";
    int open = -1;
    for (std::size_t i = 0; i < d.rows.size(); ++i) {
        const SequenceRow& r = d.rows[i];
        if (i > 0 && r.connection != d.rows[i - 1].connection)
            os << "    Note over C,S: " << mermaidText("Connection " + std::to_string(r.connection) + ": a new TCP connection")
               << "\n";
        if (r.kind == RowKind::Message && r.flight != open) {
            const bool client = d.flights[static_cast<std::size_t>(r.flight)].sender == Side::Client;
            os << "    rect " << (client ? "rgba(25, 100, 200, 0.07)" : "rgba(200, 95, 0, 0.07)") << "\n";
            os << "    Note over C,S: " << mermaidText(flightTitle(d, r.flight)) << "\n";
            open = r.flight;
        }
        const std::string from = alias(r.side), to = alias(peerOf(r.side));
        if (r.kind == RowKind::Skipped) {
            os << "    opt not sent: " << mermaidText(r.detail.empty() ? "not needed in this run" : r.detail) << "\n"
               << "        " << from << "--)" << to << ": (" << mermaidText(r.label) << ")\n"
               << "    end\n";
        } else if (r.kind == RowKind::Message) {
            std::string label = (r.isProtected ? "🔒 " : "") + mermaidText(r.label);
            if (!r.detail.empty())
                label += "<br/><small>" + mermaidText(r.detail) + "</small>";
            if (r.optional)
                os << "    opt optional\n    ";
            os << "    " << from << (r.fatal ? "-x" : "->>") << to << ": " << label << "\n";
            if (r.optional)
                os << "    end\n";
        } else {
            os << "    Note " << (r.side == Side::Client ? "left of C" : "right of S") << ": "
               << mermaidText(noteText(r)) << "\n";
        }
        if (open >= 0 && (i + 1 == d.rows.size() || d.flights[static_cast<std::size_t>(open)].lastRow == i)) {
            os << "    end\n";
            open = -1;
        }
    }
    return os.str();
}

} // namespace hl
