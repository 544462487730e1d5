// JSON, text and key-log writers over the trace.
#include "trace/trace_format.h"

#include "crypto/cipher_suite.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace hl {

namespace {

std::string jsonString(std::string_view s)
{
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    return out + "\"";
}

// A tiny streaming JSON writer: keys and values in order, commas handled.
class Json {
public:
    void beginObject() { value(); m_out += '{'; m_first = true; }
    void endObject() { m_out += '}'; m_first = false; }
    void beginArray() { value(); m_out += '['; m_first = true; }
    void endArray() { m_out += ']'; m_first = false; }
    void key(std::string_view k)
    {
        if (!m_first)
            m_out += ',';
        m_out += jsonString(k) + ':';
        m_first = true;
        m_afterKey = true;
    }
    void str(std::string_view s) { value(); m_out += jsonString(s); }
    void num(std::uint64_t n) { value(); m_out += std::to_string(n); }
    void integer(std::int64_t n) { value(); m_out += std::to_string(n); }
    void boolean(bool b) { value(); m_out += b ? "true" : "false"; }
    std::string take() { return std::move(m_out); }

private:
    void value()
    {
        if (m_afterKey) {
            m_afterKey = false;
            m_first = false;
            return;
        }
        if (!m_first)
            m_out += ',';
        m_first = false;
    }
    std::string m_out;
    bool m_first = true;
    bool m_afterKey = false;
};

void writeFields(Json& j, const std::vector<Field>& fields)
{
    j.beginArray();
    for (const Field& f : fields) {
        j.beginObject();
        j.key("name"); j.str(f.name);
        j.key("value"); j.str(f.value);
        j.key("meaning"); j.str(f.meaning);
        j.key("offset"); j.num(f.offset);
        j.key("length"); j.num(f.length);
        if (!f.children.empty()) {
            j.key("children");
            writeFields(j, f.children);
        }
        j.endObject();
    }
    j.endArray();
}

struct JsonEvent {
    Json& j;
    void operator()(const RecordEvent& e) const
    {
        j.key("from"); j.str(sideName(e.from));
        j.key("content_type"); j.str(contentTypeName(e.contentType));
        j.key("version"); j.str(hexValue(e.version, 4));
        j.key("sequence"); j.num(e.sequence);
        j.key("protected"); j.boolean(e.isProtected);
        if (e.isProtected) {
            j.key("protection"); j.str(e.protection);
        }
        j.key("hex"); j.str(toHex(e.wire));
        j.key("plaintext_hex"); j.str(toHex(e.plaintext));
        if (!e.note.empty()) {
            j.key("note"); j.str(e.note);
        }
        j.key("header"); writeFields(j, e.headerFields);
        j.key("messages");
        j.beginArray();
        for (const MessageInfo& m : e.messages) {
            j.beginObject();
            j.key("name"); j.str(m.name);
            j.key("summary"); j.str(m.summary);
            j.key("optional"); j.boolean(m.optional);
            if (m.optional) {
                j.key("optional_why"); j.str(m.optionalWhy);
            }
            j.key("offset"); j.num(m.offset);
            j.key("length"); j.num(m.length);
            j.key("fields"); writeFields(j, m.fields);
            j.endObject();
        }
        j.endArray();
    }
    void operator()(const SecretEvent& e) const
    {
        j.key("side"); j.str(sideName(e.side));
        j.key("name"); j.str(e.name);
        j.key("label"); j.str(e.label);
        j.key("hex"); j.str(toHex(e.value));
        j.key("formula"); j.str(e.formula);
    }
    void operator()(const CertificateCheckEvent& e) const
    {
        j.key("side"); j.str(sideName(e.side));
        // -1 (the trust anchor, or the chain as a whole) as docs/trace-format.md says, so a reader can tell it from 0.
        j.key("certificate_index"); j.integer(e.certificateIndex);
        j.key("subject"); j.str(e.subject);
        j.key("check"); j.str(e.check);
        j.key("passed"); j.boolean(e.passed);
        j.key("detail"); j.str(e.detail);
    }
    void operator()(const CertificateChainEvent& e) const
    {
        j.key("side"); j.str(sideName(e.side));
        j.key("chain");
        j.beginArray();
        for (const auto& c : e.chain)
            entry(c);
        j.endArray();
        if (e.trustAnchor) {
            j.key("trust_anchor");
            entry(*e.trustAnchor);
        }
    }
    void entry(const CertificateChainEvent::Entry& c) const
    {
        j.beginObject();
        j.key("subject"); j.str(c.subject);
        j.key("issuer"); j.str(c.issuer);
        j.key("role"); j.str(c.role);
        j.key("der_hex"); j.str(toHex(c.der));
        j.key("fields"); writeFields(j, c.fields);
        j.endObject();
    }
    void operator()(const StateEvent& e) const
    {
        j.key("side"); j.str(sideName(e.side));
        j.key("state"); j.str(e.state);
        j.key("note"); j.str(e.note);
    }
    void operator()(const SkippedStepEvent& e) const
    {
        j.key("sender"); j.str(sideName(e.sender));
        j.key("message"); j.str(e.message);
        j.key("reason"); j.str(e.reason);
    }
    void operator()(const AlertEvent& e) const
    {
        j.key("side"); j.str(sideName(e.side));
        j.key("sent"); j.boolean(e.sent);
        j.key("level"); j.str(e.level == AlertLevel::Fatal ? "fatal" : "warning");
        j.key("description"); j.str(alertName(e.description));
        j.key("code"); j.num(e.description);
        j.key("reason"); j.str(e.reason);
    }
    void operator()(const ApplicationDataEvent& e) const
    {
        j.key("side"); j.str(sideName(e.side));
        j.key("length"); j.num(e.data.size());
        j.key("hex"); j.str(toHex(e.data));
    }
};

std::string printable(ByteView data, std::size_t max)
{
    std::string out;
    for (std::size_t i = 0; i < data.size() && i < max; ++i) {
        const char c = static_cast<char>(data[i]);
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (c >= 0x20 && c < 0x7f)
            out += c;
        else
            out += '.';
    }
    if (data.size() > max)
        out += "…";
    return out;
}

void hexDump(std::ostringstream& os, ByteView data, const char* indent)
{
    for (std::size_t i = 0; i < data.size(); i += 16) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%04zx  ", i);
        os << indent << buf;
        for (std::size_t k = i; k < i + 16 && k < data.size(); ++k) {
            std::snprintf(buf, sizeof buf, "%02x ", data[k]);
            os << buf;
        }
        os << '\n';
    }
}

void textFields(std::ostringstream& os, const std::vector<Field>& fields, int depth, int maxDepth)
{
    if (depth >= maxDepth)
        return;
    for (const Field& f : fields) {
        os << std::string(6 + 2 * static_cast<std::size_t>(depth), ' ') << f.name << ": " << f.value << '\n';
        textFields(os, f.children, depth + 1, maxDepth);
    }
}

} // namespace

std::string traceToJson(const Trace& trace)
{
    Json j;
    j.beginObject();
    j.key("schema"); j.str(kTraceSchema);
    j.key("scenario"); j.str(trace.scenario);
    if (!trace.scenarioTitle.empty()) {
        j.key("title"); j.str(trace.scenarioTitle);
    }
    if (!trace.scenarioDescription.empty()) {
        j.key("description"); j.str(trace.scenarioDescription);
    }
    if (!trace.notes.empty()) {
        // The teacher's notes travel with the trace, so a reopened trace teaches as the run did.
        j.key("notes");
        j.beginObject();
        j.key("introduction"); j.str(trace.notes.introduction);
        j.key("steps");
        j.beginArray();
        for (const TeachingNotes::StepNote& n : trace.notes.steps) {
            j.beginObject();
            j.key("message"); j.str(n.message);
            if (n.from) {
                j.key("from"); j.str(sideName(*n.from));
            }
            j.key("occurrence"); j.num(n.occurrence);
            j.key("text"); j.str(n.text);
            j.endObject();
        }
        j.endArray();
        j.key("questions");
        j.beginArray();
        for (const std::string& q : trace.notes.questions)
            j.str(q);
        j.endArray();
        j.endObject();
    }
    j.key("outcome"); j.str(trace.outcome.completed ? "completed" : "failed");
    if (!trace.outcome.completed) {
        j.key("alert");
        j.beginObject();
        j.key("description"); j.str(trace.outcome.alert ? alertName(trace.outcome.alert) : "");
        j.key("code"); j.num(trace.outcome.alert);
        j.key("from"); j.str(sideName(trace.outcome.alertFrom));
        j.key("reason"); j.str(trace.outcome.reason);
        j.endObject();
    }
    if (trace.cipherSuite) {
        j.key("cipher_suite"); j.str(cipherSuiteName(trace.cipherSuite));
        j.key("version"); j.str(versionName(trace.version));
        j.key("version_wire"); j.str(hexValue(trace.version, 4));
    }
    if (trace.droppedEvents()) {
        // A bounded trace: what it left out between the handshake and its latest records (docs/trace-format.md).
        j.key("dropped");
        j.beginObject();
        j.key("records"); j.num(trace.droppedRecords());
        j.key("events"); j.num(trace.droppedEvents());
        j.key("before_event"); j.num(trace.droppedAt());
        j.endObject();
    }
    if (!trace.warnings.empty()) {
        j.key("warnings");
        j.beginArray();
        for (const std::string& w : trace.warnings)
            j.str(w);
        j.endArray();
    }
    // How version and suite were agreed (docs/trace-format.md: "negotiations").
    j.key("negotiations");
    j.beginArray();
    for (const Negotiation& n : trace.negotiations) {
        const auto suites = [&j](const std::vector<std::uint16_t>& ids) {
            j.beginArray();
            for (std::uint16_t id : ids)
                j.str(cipherSuiteName(id));
            j.endArray();
        };
        j.beginObject();
        j.key("recorded_by"); j.str(sideName(n.recordedBy));
        j.key("connection"); j.num(static_cast<std::size_t>(n.connection));
        j.key("client_version"); j.str(hexValue(n.clientVersion, 4));
        if (n.serverMax) {
            j.key("server_min_version"); j.str(hexValue(n.serverMin, 4));
            j.key("server_max_version"); j.str(hexValue(n.serverMax, 4));
        }
        j.key("version"); j.str(n.version ? hexValue(n.version, 4) : "");
        j.key("offered_suites"); suites(n.offeredSuites);
        j.key("server_suites"); suites(n.serverSuites);
        j.key("server_preference"); j.boolean(n.serverPreference);
        j.key("suite"); j.str(n.suite ? cipherSuiteName(n.suite) : "");
        j.key("version_rule"); j.str(n.versionRule);
        j.key("suite_rule"); j.str(n.suiteRule);
        j.key("passed_over");
        j.beginArray();
        for (const std::string& p : n.passedOver)
            j.str(p);
        j.endArray();
        j.endObject();
    }
    j.endArray();
    j.key("events");
    j.beginArray();
    for (const TraceEvent& e : trace.events()) {
        j.beginObject();
        j.key("kind"); j.str(eventKind(e));
        j.key("connection"); j.num(static_cast<std::size_t>(connectionOf(e)));
        std::visit(JsonEvent{j}, e);
        j.endObject();
    }
    j.endArray();
    j.endObject();
    return j.take() + "\n";
}

std::string traceToText(const Trace& trace, const TextOptions& options)
{
    std::ostringstream os;
    std::size_t recordNo = 0;
    int connection = 1;
    const auto dropped = [&](std::size_t index) {
        // A bounded trace (Trace::keepOnlyLatestRecords) says what it left out, and numbers on as the wire did.
        if (trace.droppedEvents() == 0 || index != trace.droppedAt())
            return;
        os << "    ... " << trace.droppedRecords() << " records not kept (" << trace.droppedEvents()
           << " events): a long connection's trace keeps its handshake and its latest records ...\n";
        recordNo += trace.droppedRecords();
    };
    for (std::size_t index = 0; index < trace.events().size(); ++index) {
        const TraceEvent& ev = trace.events()[index];
        dropped(index);
        // A second connection (a resumption) starts under its own heading, as the diagram draws a separator.
        if (const int c = std::visit([](const auto& e) { return e.connection; }, ev); c != connection) {
            connection = c;
            os << "=== connection " << c << ": a new TCP connection ===\n";
        }
        if (const auto* r = std::get_if<RecordEvent>(&ev)) {
            std::string names;
            for (const MessageInfo& m : r->messages)
                names += (names.empty() ? "" : ", ") + m.name + (m.summary.empty() ? "" : " (" + m.summary + ")");
            os << (r->from == Side::Client ? ">>> client" : "<<< server") << "  #" << ++recordNo << " "
               << contentTypeName(r->contentType) << " [" << versionName(r->version) << ", "
               << (r->wire.size() >= 5 ? r->wire.size() - 5 : 0) << " bytes"
               << (r->isProtected ? ", " + r->protection + " seq " + std::to_string(r->sequence) : "") << "]"
               << (names.empty() ? "" : "  " + names) << '\n';
            if (!r->note.empty())
                os << "      note: " << r->note << '\n';
            for (const MessageInfo& m : r->messages) {
                if (m.optional)
                    os << "      optional " << m.name << ": sent because " << m.optionalWhy << '\n';
                textFields(os, m.fields, 0, options.fieldDepth);
            }
            if (options.hexDump)
                hexDump(os, r->wire, "      ");
        } else if (const auto* s = std::get_if<SecretEvent>(&ev)) {
            os << "    [" << sideName(s->side) << "] " << s->name << " = " << toHex(s->value) << '\n'
               << "      = " << s->formula << '\n';
        } else if (const auto* c = std::get_if<CertificateCheckEvent>(&ev)) {
            os << "    [" << sideName(c->side) << "] " << (c->passed ? "ok  " : "FAIL") << " " << c->check << ": "
               << c->detail << '\n';
        } else if (const auto* ch = std::get_if<CertificateChainEvent>(&ev)) {
            os << "    [" << sideName(ch->side) << "] received a chain of " << ch->chain.size() << " certificate(s)\n";
            for (std::size_t i = 0; i < ch->chain.size(); ++i)
                os << "      " << i << ": " << ch->chain[i].subject << "  (issued by " << ch->chain[i].issuer << ")\n";
            if (ch->trustAnchor)
                os << "      trust anchor (own store, not sent): " << ch->trustAnchor->subject << '\n';
        } else if (const auto* st = std::get_if<StateEvent>(&ev)) {
            os << "    [" << sideName(st->side) << "] -> " << st->state << (st->note.empty() ? "" : ": " + st->note)
               << '\n';
        } else if (const auto* sk = std::get_if<SkippedStepEvent>(&ev)) {
            os << "    (" << sideName(sk->sender) << " " << sk->message << " skipped: " << sk->reason << ")\n";
        } else if (const auto* a = std::get_if<AlertEvent>(&ev)) {
            os << "    [" << sideName(a->side) << "] " << (a->sent ? "sends" : "receives") << " "
               << (a->level == AlertLevel::Fatal ? "fatal" : "warning") << " alert " << alertName(a->description)
               << ": " << a->reason << '\n';
        } else if (const auto* d = std::get_if<ApplicationDataEvent>(&ev)) {
            os << "    [" << sideName(d->side) << "] reads " << d->data.size() << " bytes: \"" << printable(d->data, 120)
               << "\"\n";
        }
    }
    dropped(trace.events().size());
    for (const std::string& w : trace.warnings)
        os << "Warning: " << w << '\n';
    os << "Outcome: " << outcomeSummary(trace) << '\n';
    return os.str();
}

std::string traceToKeyLog(const Trace& trace)
{
    // One line per handshake: a resumed connection has new randoms but the saved master secret, a renegotiation new
    // randoms and a new master secret on the same connection, and Wireshark needs each pair. A master secret belongs
    // with the latest client random of its connection.
    std::string out;
    std::vector<Bytes> done; // client randoms already written (both sides record the same secrets)
    for (int c = 1; c <= trace.connectionCount(); ++c) {
        Bytes clientRandom;
        for (const TraceEvent& ev : trace.events()) {
            const auto* s = std::get_if<SecretEvent>(&ev);
            if (!s || s->connection != c)
                continue;
            if (s->name == "client_random") {
                clientRandom = s->value;
            } else if (s->name == "master_secret" && !clientRandom.empty() &&
                       std::find(done.begin(), done.end(), clientRandom) == done.end()) {
                done.push_back(clientRandom);
                out += "CLIENT_RANDOM " + toHex(clientRandom) + " " + toHex(s->value) + "\n";
            }
        }
    }
    return out;
}

} // namespace hl
