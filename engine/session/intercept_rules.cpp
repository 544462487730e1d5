// Rules for the attacker in the middle, applied record by record.
#include "session/intercept_rules.h"

#include "messages/client_hello.h"
#include "messages/describe.h"
#include "messages/handshake_framing.h"
#include "messages/server_hello.h"
#include "record/record_layer.h"

#include <algorithm>
#include <utility>

namespace hl {

namespace {
constexpr std::size_t kHeader = kRecordHeaderLength;

const Field* findDeep(const std::vector<Field>& fields, const std::string& name)
{
    for (const Field& f : fields) {
        if (f.name == name)
            return &f;
        if (const Field* c = findDeep(f.children, name))
            return c;
    }
    return nullptr;
}

std::string whose(const std::optional<Side>& from)
{
    return from ? std::string("the ") + sideName(*from) + "'s " : std::string();
}

std::string ordinal(std::size_t n)
{
    switch (n) {
    case 1: return "";
    case 2: return "second ";
    case 3: return "third ";
    }
    return std::to_string(n) + "th ";
}

void putU16(Bytes& b, std::size_t at, std::size_t v)
{
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}
} // namespace

const std::vector<std::string>& interceptableMessages()
{
    static const std::vector<std::string> names{
        "ClientHello",       "ServerHello",       "Certificate", "ServerKeyExchange", "CertificateRequest",
        "ServerHelloDone",   "ClientKeyExchange", "CertificateVerify", "ChangeCipherSpec", "Finished",
        "ApplicationData",   "Alert",             "NewSessionTicket", "HelloRequest", "CertificateStatus"};
    return names;
}

std::string InterceptRule::describe() const
{
    const std::string target = whose(from) + ordinal(occurrence) + message;
    switch (action) {
    case Action::Drop:
        return "drop " + target;
    case Action::Delay:
        return delayRecords == 1 ? "hold back " + target + " and deliver it after the next record"
                                 : "hold back " + target + " until " + std::to_string(delayRecords) +
                                       " later records have gone past";
    case Action::Replay:
        return "replay " + target + " (send it twice)";
    case Action::Inject: {
        const std::size_t size = injectSize.value_or(payload.size());
        return "inject a " + std::to_string(size) + "-byte " + contentTypeName(injectType) + " record " +
               (injectBefore ? "before " : "after ") + target;
    }
    case Action::Rewrite: {
        std::string what;
        if (setVersion)
            what = "client_version to " + versionName(*setVersion);
        if (!setSuites.empty())
            what += (what.empty() ? "" : " and ") + std::string("the cipher suites to ") +
                    std::to_string(setSuites.size()) + " of the attacker's choice";
        return "rewrite " + target + ": " + what;
    }
    case Action::Flip:
        break;
    }
    if (!field.empty())
        return "flip a bit of the last byte of " + target + "'s " + field;
    return "flip a bit of byte " + std::to_string(byte.value_or(0)) + " of " + target;
}

RuleInterceptor::RuleInterceptor(std::vector<InterceptRule> rules)
    : m_rules(std::move(rules)), m_applied(m_rules.size(), false)
{
}

std::size_t RuleInterceptor::count(Side from, const std::string& message)
{
    auto& seen = m_state[static_cast<int>(from)].seen;
    for (auto& [name, n] : seen)
        if (name == message)
            return ++n;
    seen.emplace_back(message, 1);
    return 1;
}

std::vector<WireInsert> RuleInterceptor::takeInserts()
{
    return std::exchange(m_inserts, {});
}

std::vector<WireInsert> RuleInterceptor::drain()
{
    std::vector<WireInsert> out;
    for (Held& h : m_held)
        out.push_back(std::move(h.insert));
    m_held.clear();
    return out;
}

InterceptAction RuleInterceptor::onRecord(Side from, std::size_t, Bytes& record, std::string& note)
{
    // Every record that goes by brings the held ones closer to release; they follow the record that frees them.
    for (auto it = m_held.begin(); it != m_held.end();) {
        if (--it->remaining == 0) {
            m_inserts.push_back(std::move(it->insert));
            it = m_held.erase(it);
        } else {
            ++it;
        }
    }
    if (record.size() < kHeader)
        return InterceptAction::Pass;
    State& state = m_state[static_cast<int>(from)];
    // The messages this record carries: (name, start inside the record, length, plaintext handshake?).
    struct Carried {
        std::string name;
        std::size_t start, length;
        bool handshake;
    };
    std::vector<Carried> carried;
    const std::size_t fragment = record.size() - kHeader;
    switch (static_cast<ContentType>(record[0])) {
    case ContentType::ChangeCipherSpec:
        carried.push_back({"ChangeCipherSpec", kHeader, fragment, false});
        break;
    case ContentType::Alert:
        carried.push_back({"Alert", kHeader, fragment, false});
        break;
    case ContentType::ApplicationData:
        carried.push_back({"ApplicationData", kHeader, fragment, false});
        break;
    case ContentType::Handshake:
        if (state.encrypting) {
            // Protected: the first handshake message after ChangeCipherSpec is Finished.
            carried.push_back({"Finished", kHeader, fragment, false});
            break;
        }
        for (std::size_t at = kHeader; at + 4 <= record.size();) {
            const std::size_t length = std::size_t{record[at + 1]} << 16 | std::size_t{record[at + 2]} << 8 | record[at + 3];
            if (at + 4 + length > record.size())
                break;
            const std::uint8_t type = record[at];
            const ByteView body(record.data() + at + 4, length);
            if (type == static_cast<std::uint8_t>(HandshakeType::ServerHello)) {
                try {
                    const ServerHello sh = ServerHello::decode(body);
                    m_version = sh.serverVersion;
                    if (const CipherSuite* s = findCipherSuite(sh.cipherSuite))
                        m_kind = s->keyExchange;
                } catch (const TlsError&) {
                }
            }
            carried.push_back({handshakeName(type), at, 4 + length, true});
            at += 4 + length;
        }
        break;
    }
    InterceptAction action = InterceptAction::Pass;
    std::vector<std::size_t> pending; // delay, replay and inject act on the whole record, after any changes
    for (const Carried& c : carried) {
        const std::size_t n = count(from, c.name);
        for (std::size_t i = 0; i < m_rules.size(); ++i) {
            const InterceptRule& r = m_rules[i];
            if (m_applied[i] || r.message != c.name || (r.from && *r.from != from) || r.occurrence != n)
                continue;
            if (r.action == InterceptRule::Action::Drop) {
                m_applied[i] = true;
                note = r.describe();
                action = InterceptAction::Drop;
                continue;
            }
            if (r.action == InterceptRule::Action::Delay || r.action == InterceptRule::Action::Replay ||
                r.action == InterceptRule::Action::Inject) {
                m_applied[i] = true;
                pending.push_back(i);
                continue;
            }
            if (apply(i, from, record, c.start, c.length, c.handshake, note))
                m_applied[i] = true;
        }
    }
    for (std::size_t i : pending) {
        const InterceptRule& r = m_rules[i];
        if (r.action == InterceptRule::Action::Inject) {
            Bytes made{r.injectType, record[1], record[2], 0, 0};
            if (r.injectSize)
                made.resize(kHeader + *r.injectSize, 0);
            else
                append(made, r.payload);
            putU16(made, 3, std::min<std::size_t>(made.size() - kHeader, 0xffff));
            m_inserts.push_back({WireInsert::Kind::Injected, from, std::move(made), r.describe(), r.injectBefore});
        } else if (r.action == InterceptRule::Action::Replay) {
            m_inserts.push_back({WireInsert::Kind::Replayed, from, record, r.describe(), false});
        } else if (action == InterceptAction::Pass) {
            note = r.describe();
            action = InterceptAction::Hold;
            m_held.push_back({{WireInsert::Kind::Released, from, record, r.describe(), false},
                              std::max<std::size_t>(1, r.delayRecords)});
        }
    }
    if (record[0] == static_cast<std::uint8_t>(ContentType::ChangeCipherSpec))
        state.encrypting = true;
    return action;
}

bool RuleInterceptor::apply(std::size_t ruleIndex, Side, Bytes& record, std::size_t start, std::size_t length,
                            bool plaintextHandshake, std::string& note)
{
    const InterceptRule& r = m_rules[ruleIndex];
    const auto problem = [&](const std::string& why) {
        m_problems.push_back(r.describe() + ": " + why);
        return false;
    };
    if (r.action == InterceptRule::Action::Rewrite) {
        if (r.message != "ClientHello" || !plaintextHandshake)
            return problem("only a ClientHello can be rewritten");
        ClientHello ch = ClientHello::decode(ByteView(record).subspan(start + 4, length - 4));
        if (r.setVersion)
            ch.clientVersion = *r.setVersion;
        if (!r.setSuites.empty())
            ch.cipherSuites = r.setSuites;
        const Bytes message = frameHandshake(HandshakeType::ClientHello, ch.serialize());
        Bytes rebuilt(record.begin(), record.begin() + static_cast<std::ptrdiff_t>(start));
        append(rebuilt, message);
        rebuilt.insert(rebuilt.end(), record.begin() + static_cast<std::ptrdiff_t>(start + length), record.end());
        putU16(rebuilt, 3, rebuilt.size() - kHeader);
        record = std::move(rebuilt);
        note = r.describe();
        return true;
    }
    std::size_t at = 0;
    if (!r.field.empty()) {
        if (!plaintextHandshake)
            return problem("the message is encrypted or not a handshake message, so its fields cannot be found; "
                           "name a byte instead");
        const std::vector<Field> fields = describeHandshake(record[start], ByteView(record).subspan(start + 4, length - 4),
                                                           start, m_kind, m_version);
        const Field* f = findDeep(fields, r.field);
        if (!f || f->length == 0)
            return problem("the message has no field \"" + r.field + "\"");
        at = f->offset + f->length - 1;
    } else {
        const std::size_t base = plaintextHandshake ? start + 4 : start;
        const std::size_t size = plaintextHandshake ? length - 4 : length;
        if (!r.byte || *r.byte >= size)
            return problem("byte " + std::to_string(r.byte.value_or(0)) + " is past the message's " +
                           std::to_string(size) + " bytes");
        at = base + *r.byte;
    }
    if (at >= record.size())
        return problem("the field lies outside the record");
    record[at] ^= r.mask;
    note = r.describe();
    return true;
}

std::vector<std::string> RuleInterceptor::unapplied() const
{
    std::vector<std::string> out = m_problems;
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        if (m_applied[i])
            continue;
        const std::string prefix = m_rules[i].describe() + ": ";
        const bool explained = std::any_of(m_problems.begin(), m_problems.end(),
                                           [&](const std::string& p) { return p.rfind(prefix, 0) == 0; });
        if (!explained)
            out.push_back(m_rules[i].describe() + ": no such message crossed the wire in this run");
    }
    return out;
}

} // namespace hl
