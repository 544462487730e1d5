// The JSON reader mirrors traceToJson: every member it writes is read back. Bytes come from the hex members; the
// record's content type and version come from its own header bytes, which the file carries whole.
#include "trace_reader.h"

#include "common/protocol.h"
#include "crypto/cipher_suite.h"
#include "trace/trace_format.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <stdexcept>

namespace hl::ui {
namespace {

class Malformed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString().toStdString();
}

Side side(const QJsonObject& o, const char* key)
{
    const QString s = o.value(QLatin1String(key)).toString();
    if (s == QLatin1String("client"))
        return Side::Client;
    if (s == QLatin1String("server"))
        return Side::Server;
    throw Malformed(std::string("\"") + key + "\" must be \"client\" or \"server\"");
}

Bytes hex(const QJsonObject& o, const char* key)
{
    try {
        return fromHex(str(o, key));
    } catch (const std::exception&) {
        throw Malformed(std::string("\"") + key + "\" is not hexadecimal");
    }
}

std::size_t number(const QJsonObject& o, const char* key)
{
    const double v = o.value(QLatin1String(key)).toDouble(-1);
    if (v < 0)
        throw Malformed(std::string("\"") + key + "\" must be a number from 0 on");
    return static_cast<std::size_t>(v);
}

std::vector<Field> fields(const QJsonValue& v)
{
    std::vector<Field> out;
    for (const QJsonValue& item : v.toArray()) {
        const QJsonObject o = item.toObject();
        Field f;
        f.name = str(o, "name");
        f.value = str(o, "value");
        f.meaning = str(o, "meaning");
        f.offset = number(o, "offset");
        f.length = number(o, "length");
        f.children = fields(o.value(QLatin1String("children")));
        out.push_back(std::move(f));
    }
    return out;
}

// "0x0303", or "" for none.
ProtocolVersion hexVersion(const QJsonObject& o, const char* key)
{
    const QString s = o.value(QLatin1String(key)).toString();
    if (s.isEmpty())
        return 0;
    bool ok = false;
    const uint v = s.startsWith(QLatin1String("0x")) ? s.mid(2).toUInt(&ok, 16) : 0;
    if (!ok || v > 0xffff)
        throw Malformed(std::string("\"") + key + "\" must be a version such as \"0x0303\"");
    return static_cast<ProtocolVersion>(v);
}

std::vector<std::uint16_t> suiteNames(const QJsonObject& o, const char* key)
{
    std::vector<std::uint16_t> out;
    for (const QJsonValue& v : o.value(QLatin1String(key)).toArray()) {
        const std::string name = v.toString().toStdString();
        const auto id = cipherSuiteFromName(name);
        if (!id)
            throw Malformed(std::string("\"") + key + "\" names an unknown cipher suite \"" + name + "\"");
        out.push_back(*id);
    }
    return out;
}

Negotiation negotiation(const QJsonObject& o)
{
    Negotiation n;
    n.recordedBy = side(o, "recorded_by");
    n.connection = o.value(QLatin1String("connection")).toInt(1);
    n.clientVersion = hexVersion(o, "client_version");
    n.serverMin = hexVersion(o, "server_min_version");
    n.serverMax = hexVersion(o, "server_max_version");
    n.version = hexVersion(o, "version");
    n.offeredSuites = suiteNames(o, "offered_suites");
    n.serverSuites = suiteNames(o, "server_suites");
    n.serverPreference = o.value(QLatin1String("server_preference")).toBool(true);
    const std::string suite = str(o, "suite");
    if (!suite.empty()) {
        const auto id = cipherSuiteFromName(suite);
        if (!id)
            throw Malformed("\"suite\" names an unknown cipher suite \"" + suite + "\"");
        n.suite = *id;
    }
    n.versionRule = str(o, "version_rule");
    n.suiteRule = str(o, "suite_rule");
    for (const QJsonValue& p : o.value(QLatin1String("passed_over")).toArray())
        n.passedOver.push_back(p.toString().toStdString());
    return n;
}

CertificateChainEvent::Entry chainEntry(const QJsonObject& o)
{
    CertificateChainEvent::Entry e;
    e.subject = str(o, "subject");
    e.issuer = str(o, "issuer");
    e.role = str(o, "role");
    e.der = hex(o, "der_hex");
    e.fields = fields(o.value(QLatin1String("fields")));
    return e;
}

TraceEvent event(const QJsonObject& o)
{
    const QString kind = o.value(QLatin1String("kind")).toString();
    if (kind == QLatin1String("record")) {
        RecordEvent e;
        e.from = side(o, "from");
        e.wire = hex(o, "hex");
        if (e.wire.size() < 5)
            throw Malformed("a record's \"hex\" must hold at least its 5-byte header");
        e.contentType = e.wire[0];
        e.version = static_cast<std::uint16_t>(e.wire[1] << 8 | e.wire[2]);
        e.sequence = number(o, "sequence");
        e.isProtected = o.value(QLatin1String("protected")).toBool();
        e.protection = str(o, "protection");
        e.plaintext = hex(o, "plaintext_hex");
        e.note = str(o, "note");
        e.headerFields = fields(o.value(QLatin1String("header")));
        for (const QJsonValue& mv : o.value(QLatin1String("messages")).toArray()) {
            const QJsonObject m = mv.toObject();
            MessageInfo info;
            info.name = str(m, "name");
            info.summary = str(m, "summary");
            info.optional = m.value(QLatin1String("optional")).toBool();
            info.optionalWhy = str(m, "optional_why");
            info.offset = number(m, "offset");
            info.length = number(m, "length");
            info.fields = fields(m.value(QLatin1String("fields")));
            // RFC 5246 §7.4: a handshake message starts with its type.
            if (e.contentType == static_cast<std::uint8_t>(ContentType::Handshake) && info.offset < e.plaintext.size())
                info.handshakeType = e.plaintext[info.offset];
            e.messages.push_back(std::move(info));
        }
        return e;
    }
    if (kind == QLatin1String("secret"))
        return SecretEvent{side(o, "side"), str(o, "name"), str(o, "label"), hex(o, "hex"), str(o, "formula")};
    if (kind == QLatin1String("certificate_check"))
        return CertificateCheckEvent{side(o, "side"),
                                     o.value(QLatin1String("certificate_index")).toInt(-1),
                                     str(o, "subject"),
                                     str(o, "check"),
                                     o.value(QLatin1String("passed")).toBool(),
                                     str(o, "detail")};
    if (kind == QLatin1String("certificate_chain")) {
        CertificateChainEvent e;
        e.side = side(o, "side");
        for (const QJsonValue& c : o.value(QLatin1String("chain")).toArray())
            e.chain.push_back(chainEntry(c.toObject()));
        if (o.contains(QLatin1String("trust_anchor")))
            e.trustAnchor = chainEntry(o.value(QLatin1String("trust_anchor")).toObject());
        return e;
    }
    if (kind == QLatin1String("state"))
        return StateEvent{side(o, "side"), str(o, "state"), str(o, "note")};
    if (kind == QLatin1String("skipped"))
        return SkippedStepEvent{side(o, "sender"), str(o, "message"), str(o, "reason")};
    if (kind == QLatin1String("alert")) {
        AlertEvent e;
        e.side = side(o, "side");
        e.sent = o.value(QLatin1String("sent")).toBool();
        e.level = str(o, "level") == "warning" ? AlertLevel::Warning : AlertLevel::Fatal;
        e.description = static_cast<std::uint8_t>(number(o, "code"));
        e.reason = str(o, "reason");
        return e;
    }
    if (kind == QLatin1String("application_data"))
        return ApplicationDataEvent{side(o, "side"), hex(o, "hex")};
    throw Malformed("unknown event kind \"" + kind.toStdString() + "\"");
}

std::uint16_t versionFromName(const std::string& name)
{
    for (std::uint16_t v = 0x0300; v <= 0x0304; ++v)
        if (versionName(v) == name)
            return v;
    return 0;
}

} // namespace

std::optional<Trace> readTraceJson(const QByteArray& json, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        *error = QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    const QJsonObject top = doc.object();
    const QString schema = top.value(QLatin1String("schema")).toString();
    if (schema != QLatin1String(kTraceSchema)) {
        *error = QStringLiteral("not a HandshakeLab trace: schema is \"%1\", expected \"%2\"")
                     .arg(schema, QLatin1String(kTraceSchema));
        return std::nullopt;
    }
    Trace trace;
    const QJsonArray events = top.value(QLatin1String("events")).toArray();
    try {
        trace.scenario = str(top, "scenario");
        trace.scenarioTitle = top.value(QLatin1String("title")).toString().toStdString();
        trace.scenarioDescription = top.value(QLatin1String("description")).toString().toStdString();
        const QJsonObject notes = top.value(QLatin1String("notes")).toObject();
        trace.notes.introduction = notes.value(QLatin1String("introduction")).toString().toStdString();
        for (const QJsonValue& v : notes.value(QLatin1String("steps")).toArray()) {
            const QJsonObject o = v.toObject();
            TeachingNotes::StepNote n;
            n.message = str(o, "message");
            if (o.contains(QLatin1String("from")))
                n.from = side(o, "from");
            n.occurrence = static_cast<std::size_t>(std::max<qint64>(1, o.value(QLatin1String("occurrence")).toInteger(1)));
            n.text = str(o, "text");
            trace.notes.steps.push_back(std::move(n));
        }
        for (const QJsonValue& q : notes.value(QLatin1String("questions")).toArray())
            trace.notes.questions.push_back(q.toString().toStdString());
        trace.outcome.completed = str(top, "outcome") == "completed";
        if (!trace.outcome.completed && top.contains(QLatin1String("alert"))) {
            const QJsonObject alert = top.value(QLatin1String("alert")).toObject();
            trace.outcome.alert = static_cast<std::uint8_t>(number(alert, "code"));
            trace.outcome.alertFrom = side(alert, "from");
            trace.outcome.reason = str(alert, "reason");
        }
        if (const CipherSuite* suite = findCipherSuite(str(top, "cipher_suite")))
            trace.cipherSuite = suite->id;
        trace.version = versionFromName(str(top, "version"));
        for (const QJsonValue& w : top.value(QLatin1String("warnings")).toArray())
            trace.warnings.push_back(w.toString().toStdString());
        const QJsonArray negotiations = top.value(QLatin1String("negotiations")).toArray();
        for (qsizetype i = 0; i < negotiations.size(); ++i) {
            try {
                trace.negotiations.push_back(negotiation(negotiations[i].toObject()));
            } catch (const Malformed& e) {
                throw Malformed("negotiation " + std::to_string(i + 1) + ": " + e.what());
            }
        }
        for (qsizetype i = 0; i < events.size(); ++i) {
            try {
                // Traces written before runs had several connections say nothing: they had one.
                trace.setConnection(events[i].toObject().value(QLatin1String("connection")).toInt(1));
                trace.add(event(events[i].toObject()));
            } catch (const Malformed& e) {
                throw Malformed("event " + std::to_string(i + 1) + ": " + e.what());
            }
        }
    } catch (const Malformed& e) {
        *error = QString::fromStdString(e.what());
        return std::nullopt;
    }
    return trace;
}

std::optional<Trace> readTraceFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    auto trace = readTraceJson(file.readAll(), error);
    if (!trace)
        *error = path + QStringLiteral(": ") + *error;
    return trace;
}

} // namespace hl::ui
