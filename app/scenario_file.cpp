// Reading and writing scenario files with yaml-cpp: every key checked against what the format allows, every value
// against what the engine knows, each error with its line.
#include "scenario_file.h"

#include "directory_source.h"
#include "pki.h"

#include "common/alert.h"
#include "crypto/cipher_suite.h"
#include "x509/ocsp.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

namespace hl::app {

ScenarioFileError::ScenarioFileError(std::string file, int line, const std::string& problem)
    : std::runtime_error(file + ":" + (line > 0 ? std::to_string(line) + ":" : std::string()) + " " + problem),
      m_file(std::move(file)), m_line(line), m_problem(problem)
{
}

namespace {

const std::vector<std::string> kTopKeys{"title", "description", "topic", "notes", "client", "server",
                                        "extended_master_secret", "cbc_record_splitting", "application",
                                        "resume", "renegotiate", "attacker", "expect"};
const std::vector<std::string> kResumeKeys{"by", "failure", "renew_ticket"};
const std::vector<std::string> kRenegotiateKeys{"by",   "after",  "resume", "client",
                                                "server", "renegotiation_info", "attack", "prefix"};
const std::vector<std::string> kNotesKeys{"introduction", "steps", "questions"};
const std::vector<std::string> kStepNoteKeys{"message", "from", "occurrence", "text"};
const std::vector<std::string> kClientKeys{"min_version", "max_version",  "suites", "fallback_scsv",
                                           "server_name", "certificate", "trust",  "crls",
                                           "certificates", "ocsp"};
const std::vector<std::string> kServerKeys{"min_version", "max_version", "suites", "preference",
                                           "certificates", "client_auth", "trust",  "crls",
                                           "ocsp", "directory", "directory_match"};
const std::vector<std::string> kClientOcsp{"off", "request", "require"};
const std::vector<std::string> kServerOcsp{"none", "good", "revoked", "unknown", "stale", "forged"};
const std::vector<std::string> kApplicationKeys{"request", "response", "exchanges"};
const std::vector<std::string> kRuleActions{"flip", "drop", "rewrite", "delay", "replay", "inject"};
const std::vector<std::string> kRuleKeys{"message", "from", "occurrence", "flip", "drop", "rewrite", "delay",
                                         "replay", "inject"};
const std::vector<std::string> kFlipKeys{"field", "byte", "mask"};
const std::vector<std::string> kRewriteKeys{"version", "suites"};
const std::vector<std::string> kInjectKeys{"type", "hex", "size", "position"};
const std::vector<std::string> kExpectKeys{"alert", "from"};
const std::vector<std::string> kCredentialKeys{"chain", "key"};

std::size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

int hexDigit(char c)
{
    return std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
           : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
           : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                       : -1;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

// ", did you mean \"x\"?" when one allowed word is close; then the whole list.
std::string suggestion(const std::string& got, const std::vector<std::string>& allowed)
{
    std::string best;
    std::size_t bestDistance = 3;
    for (const std::string& a : allowed) {
        const std::size_t d = editDistance(got, a);
        if (d < bestDistance) {
            bestDistance = d;
            best = a;
        }
    }
    if (best.empty()) {
        // No close spelling: a word holding every part of what was written ("bad_mac" -> "bad_record_mac").
        const auto parts = [](const std::string& w) {
            std::vector<std::string> out(1);
            for (char c : w) {
                if (c == '_' || c == '-' || c == '.')
                    out.emplace_back();
                else
                    out.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            return out;
        };
        const std::vector<std::string> wanted = parts(got);
        for (const std::string& a : allowed) {
            const std::vector<std::string> have = parts(a);
            if (std::all_of(wanted.begin(), wanted.end(), [&](const std::string& p) {
                    return !p.empty() && std::find(have.begin(), have.end(), p) != have.end();
                })) {
                best = a;
                break;
            }
        }
    }
    return (best.empty() ? std::string() : "; did you mean \"" + best + "\"?") + " (allowed: " + joined(allowed) + ")";
}

class Reader {
public:
    Reader(std::string origin, std::string baseDir) : m_origin(std::move(origin)), m_baseDir(std::move(baseDir)) {}

    [[noreturn]] void fail(const YAML::Node& at, const std::string& problem) const
    {
        throw ScenarioFileError(m_origin, lineOf(at), problem);
    }
    int lineOf(const YAML::Node& n) const
    {
        const YAML::Mark m = n.Mark();
        return m.is_null() ? m_lastLine : m.line + 1;
    }

    // A mapping whose keys must come from `allowed`; returns key -> value, refusing unknown and repeated keys.
    std::map<std::string, YAML::Node> mapping(const YAML::Node& node, const std::string& what,
                                              const std::vector<std::string>& allowed)
    {
        note(node);
        if (!node.IsMap())
            fail(node, what + " must be a mapping of keys to values (allowed keys: " + joined(allowed) + ")");
        std::map<std::string, YAML::Node> out;
        for (auto it = node.begin(); it != node.end(); ++it) {
            note(it->first);
            if (!it->first.IsScalar())
                fail(it->first, "a key in " + what + " must be a word");
            const std::string key = it->first.Scalar();
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                fail(it->first, "unknown key \"" + key + "\" in " + what + suggestion(key, allowed));
            if (out.count(key))
                fail(it->first, "\"" + key + "\" is given twice in " + what);
            out.emplace(key, it->second);
        }
        return out;
    }

    std::string text(const YAML::Node& node, const std::string& what)
    {
        note(node);
        if (!node.IsScalar())
            fail(node, what + " must be text, not a " + kind(node));
        return node.Scalar();
    }
    bool boolean(const YAML::Node& node, const std::string& what)
    {
        const std::string t = text(node, what);
        if (t == "true" || t == "yes" || t == "on")
            return true;
        if (t == "false" || t == "no" || t == "off")
            return false;
        fail(node, what + " must be true or false, got \"" + t + "\"");
    }
    std::uint64_t number(const YAML::Node& node, const std::string& what, std::uint64_t min, std::uint64_t max)
    {
        const std::string t = text(node, what);
        std::uint64_t v = 0;
        bool ok = !t.empty() && t.size() <= 19;
        if (ok && t.rfind("0x", 0) == 0 && t.size() > 2) {
            for (char c : t.substr(2)) {
                const int d = hexDigit(c);
                ok = ok && d >= 0;
                v = v * 16 + static_cast<std::uint64_t>(std::max(d, 0));
            }
        } else {
            for (char c : t) {
                ok = ok && std::isdigit(static_cast<unsigned char>(c));
                v = v * 10 + static_cast<std::uint64_t>(c - '0');
            }
        }
        if (!ok || v < min || v > max)
            fail(node, what + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                           ", got \"" + t + "\"");
        return v;
    }
    ProtocolVersion version(const YAML::Node& node, const std::string& what)
    {
        const std::string t = text(node, what);
        if (const auto v = parseVersionOption(t))
            return *v;
        fail(node, what + " must be ssl3, tls1.0, tls1.1 or tls1.2, got \"" + t + "\"");
    }
    std::vector<std::uint16_t> suites(const YAML::Node& node, const std::string& what)
    {
        note(node);
        if (!node.IsSequence() || node.size() == 0)
            fail(node, what + " must be a list of one or more IANA suite names, e.g. [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]");
        std::vector<std::uint16_t> out;
        for (const YAML::Node& item : node) {
            const std::string name = text(item, "a suite in " + what);
            const CipherSuite* s = findCipherSuite(name);
            if (!s) {
                std::vector<std::string> known;
                for (const CipherSuite& c : allCipherSuites())
                    known.emplace_back(c.name);
                fail(item, "unknown cipher suite \"" + name + "\" in " + what + suggestion(name, known));
            }
            if (std::find(out.begin(), out.end(), s->id) != out.end())
                fail(item, "suite " + name + " is listed twice in " + what);
            out.push_back(s->id);
        }
        return out;
    }
    Side side(const YAML::Node& node, const std::string& what)
    {
        const std::string t = text(node, what);
        if (t == "client")
            return Side::Client;
        if (t == "server")
            return Side::Server;
        fail(node, what + " must be client or server, got \"" + t + "\"");
    }
    std::string message(const YAML::Node& node, const std::string& what)
    {
        const std::string t = text(node, what);
        const auto& known = interceptableMessages();
        if (std::find(known.begin(), known.end(), t) == known.end())
            fail(node, "unknown message \"" + t + "\" in " + what + suggestion(t, known));
        return t;
    }
    std::uint8_t alert(const YAML::Node& node, const std::string& what)
    {
        const std::string t = text(node, what);
        std::vector<std::string> known;
        for (int code = 0; code < 256; ++code) {
            const std::string name = alertName(static_cast<std::uint8_t>(code));
            if (name.find('(') != std::string::npos || name.find(' ') != std::string::npos ||
                name.rfind("alert_", 0) == 0) // a code without a name
                continue;
            if (name == t)
                return static_cast<std::uint8_t>(code);
            known.push_back(name);
        }
        fail(node, "unknown alert \"" + t + "\" in " + what + suggestion(t, known));
    }
    Bytes hex(const YAML::Node& node, const std::string& what)
    {
        std::string t = text(node, what);
        t.erase(std::remove_if(t.begin(), t.end(), [](unsigned char c) { return std::isspace(c) || c == ':'; }),
                t.end());
        if (t.size() % 2 != 0 || std::any_of(t.begin(), t.end(), [&](char c) { return hexDigit(c) < 0; }))
            fail(node, what + " must be hexadecimal bytes, e.g. \"16 03 03 00 01\"");
        Bytes out;
        for (std::size_t i = 0; i < t.size(); i += 2)
            out.push_back(static_cast<std::uint8_t>(hexDigit(t[i]) << 4 | hexDigit(t[i + 1])));
        return out;
    }

    // A path in the file, relative to the file's folder.
    std::string path(const YAML::Node& node, const std::string& what)
    {
        const std::string t = text(node, what);
        std::filesystem::path p(t);
        if (p.is_relative() && !m_baseDir.empty())
            p = std::filesystem::path(m_baseDir) / p;
        return p.string();
    }
    Credential credential(const YAML::Node& node, const std::string& what)
    {
        note(node);
        if (node.IsScalar()) {
            if (const Credential* c = demoCredential(node.Scalar()))
                return *c;
            fail(node, "unknown demo identity \"" + node.Scalar() + "\" for " + what +
                           suggestion(node.Scalar(), demoCredentialNames()) +
                           ", or give PEM files as {chain: FILE, key: FILE}");
        }
        auto m = mapping(node, what, kCredentialKeys);
        if (!m.count("chain") || !m.count("key"))
            fail(node, what + " needs both chain (the certificates, leaf first) and key (its private key)");
        Credential c;
        try {
            c.chain = loadCertificates(path(m["chain"], what + "'s chain"));
        } catch (const std::exception& e) {
            fail(m["chain"], e.what());
        }
        try {
            c.key = loadPrivateKey(path(m["key"], what + "'s key"));
        } catch (const std::exception& e) {
            fail(m["key"], e.what());
        }
        return c;
    }
    // A list whose entries are demo items by name or files of them: the trust anchors, the revocation lists.
    template <typename T>
    std::vector<T> namedOrFiles(const YAML::Node& node, const std::string& what, const std::string& kind,
                                const std::vector<std::string>& names, const T* (*byName)(std::string_view),
                                const std::vector<std::string>& suffixes, std::vector<T> (*load)(const std::string&))
    {
        note(node);
        if (!node.IsSequence() || node.size() == 0)
            fail(node, what + " must be a list of demo " + kind + " names (" + joined(names) + ") or files (" +
                           joined(suffixes) + ")");
        std::vector<T> out;
        for (const YAML::Node& item : node) {
            const std::string t = text(item, "an entry of " + what);
            if (const T* known = byName(t)) {
                out.push_back(*known);
                continue;
            }
            const bool file = std::any_of(suffixes.begin(), suffixes.end(), [&](const std::string& e) {
                return t.size() > e.size() && t.compare(t.size() - e.size(), e.size(), e) == 0;
            });
            if (!file)
                fail(item, "unknown " + kind + " \"" + t + "\" in " + what + suggestion(t, names) +
                               ", or name a file ending in " + joined(suffixes));
            try {
                for (T& loaded : load(path(item, what)))
                    out.push_back(std::move(loaded));
            } catch (const std::exception& e) {
                fail(item, e.what());
            }
        }
        return out;
    }
    std::vector<Certificate> trust(const YAML::Node& node, const std::string& what)
    {
        return namedOrFiles<Certificate>(node, what, "CA", demoCertificateNames(), &demoCertificate, {".pem"},
                                         &loadCertificates);
    }
    std::vector<Crl> crls(const YAML::Node& node, const std::string& what)
    {
        return namedOrFiles<Crl>(node, what, "revocation list", demoCrlNames(), &demoCrl, {".pem", ".der", ".crl"},
                                 &loadCrls);
    }

    void note(const YAML::Node& n)
    {
        if (!n.Mark().is_null())
            m_lastLine = n.Mark().line + 1;
    }

private:
    static std::string kind(const YAML::Node& n)
    {
        return n.IsMap() ? "mapping" : n.IsSequence() ? "list" : "missing value";
    }

    std::string m_origin;
    std::string m_baseDir;
    int m_lastLine = 0;
};

// Which side alone sends a message, when only one does.
std::optional<Side> onlySender(const std::string& message)
{
    static const std::set<std::string> client{"ClientHello", "ClientKeyExchange", "CertificateVerify"};
    static const std::set<std::string> server{"ServerHello", "ServerKeyExchange", "CertificateRequest",
                                              "ServerHelloDone", "NewSessionTicket", "HelloRequest",
                                              "CertificateStatus"};
    if (client.count(message))
        return Side::Client;
    if (server.count(message))
        return Side::Server;
    return std::nullopt;
}

struct Target {
    std::string message;
    std::optional<Side> from;
    int line;
};

// A message the scenario's configuration can never send: a rule or note naming it would wait in vain.
std::string neverSent(const Scenario& s, const Target& t)
{
    if (t.from && onlySender(t.message) && *onlySender(t.message) != *t.from)
        return t.message + " is sent only by the " + sideName(*onlySender(t.message)) + ", not the " +
               sideName(*t.from);
    const std::vector<std::uint16_t> suites = s.serverSuites.empty() ? std::vector<std::uint16_t>{s.cipherSuite}
                                                                     : s.serverSuites;
    const bool anyEphemeral = std::any_of(suites.begin(), suites.end(), [](std::uint16_t id) {
        const CipherSuite* c = findCipherSuite(id);
        return c && c->isEphemeral();
    });
    if (t.message == "ServerKeyExchange" && !anyEphemeral)
        return "ServerKeyExchange is never sent here: every suite the server accepts uses RSA key transport";
    const bool clientAsked = s.clientAuth != ClientAuthMode::None;
    if (!clientAsked && (t.message == "CertificateRequest" || t.message == "CertificateVerify" ||
                         (t.message == "Certificate" && t.from == Side::Client)))
        return t.message + (t.message == "CertificateRequest" ? "" : " from the client") +
               " is never sent here: the server does not ask for a client certificate (server.client_auth)";
    if (t.message == "CertificateStatus" && s.clientStatusRequest == StatusRequest::Off)
        return "CertificateStatus is never sent here: the client does not ask for it (client.ocsp)";
    if (t.message == "CertificateStatus" && s.serverOcsp == OcspStaple::None && s.serverOcspResponse.empty())
        return "CertificateStatus is never sent here: the server has no OCSP response to staple (server.ocsp)";
    if (t.message == "CertificateVerify" && !s.clientHasCertificate)
        return "CertificateVerify is never sent here: the client has no certificate (client.certificate: none)";
    if (t.message == "NewSessionTicket" && s.resume != Resumption::Ticket)
        return "NewSessionTicket is never sent here: only with resume.by: ticket does the client ask for a ticket";
    return {};
}

std::string stem(const std::string& origin)
{
    return std::filesystem::path(origin).stem().string();
}

RenegotiationPolicy renegotiationPolicy(Reader& r, const YAML::Node& node, const std::string& what, bool client)
{
    const std::string t = r.text(node, what);
    if (t == "allow")
        return RenegotiationPolicy::Allow;
    if (t == "allow_insecure")
        return RenegotiationPolicy::AllowInsecure;
    if (t == "refuse")
        return RenegotiationPolicy::Refuse;
    if (t == "ignore" && client)
        return RenegotiationPolicy::Ignore;
    r.fail(node, what + " must be allow, allow_insecure, refuse" + (client ? std::string(" or ignore") : "") +
                     ", got \"" + t + "\"");
}

// renegotiate: a second handshake on the first connection, or the 2009 splicing attack on one.
RenegotiationPlan readRenegotiation(Reader& r, const YAML::Node& node, Scenario& s)
{
    auto m = r.mapping(node, "renegotiate", kRenegotiateKeys);
    RenegotiationPlan plan;
    if (m.count("by")) {
        const std::string by = r.text(m["by"], "renegotiate.by");
        if (by == "client")
            plan.by = Side::Client;
        else if (by == "server")
            plan.by = Side::Server;
        else
            r.fail(m["by"], "renegotiate.by must be client (a new ClientHello) or server (HelloRequest), got \"" +
                                by + "\"");
    }
    if (m.count("after"))
        plan.after = r.number(m["after"], "renegotiate.after", 0, 10000);
    if (m.count("resume"))
        plan.resume = r.boolean(m["resume"], "renegotiate.resume");
    if (m.count("client"))
        plan.clientPolicy = renegotiationPolicy(r, m["client"], "renegotiate.client", true);
    if (m.count("server"))
        plan.serverPolicy = renegotiationPolicy(r, m["server"], "renegotiate.server", false);
    if (m.count("renegotiation_info")) {
        const std::string who = r.text(m["renegotiation_info"], "renegotiate.renegotiation_info");
        if (who != "both" && who != "client" && who != "server" && who != "none")
            r.fail(m["renegotiation_info"],
                   "renegotiate.renegotiation_info must be both, client, server or none (the sides that implement "
                   "RFC 5746), got \"" + who + "\"");
        s.clientRenegotiationInfo = who == "both" || who == "client";
        s.serverRenegotiationInfo = who == "both" || who == "server";
    }
    if (m.count("attack")) {
        const std::string a = r.text(m["attack"], "renegotiate.attack");
        if (a == "splice")
            plan.spliceAttack = true;
        else if (a != "none")
            r.fail(m["attack"], "renegotiate.attack must be none or splice, got \"" + a + "\"");
    }
    if (m.count("prefix")) {
        if (!plan.spliceAttack)
            r.fail(m["prefix"], "renegotiate.prefix is the attacker's request, used only with attack: splice");
        plan.prefix = r.text(m["prefix"], "renegotiate.prefix");
        if (plan.prefix.empty())
            r.fail(m["prefix"], "renegotiate.prefix must not be empty: it is what the attacker slips in first");
    }
    if (plan.spliceAttack && (m.count("by") || m.count("after") || m.count("resume")))
        r.fail(node, "renegotiate.attack: splice runs its own script (the attacker's handshake and prefix, then the "
                     "victim's handshake); by, after and resume do not apply");
    return plan;
}

} // namespace

const std::vector<std::string>& scenarioTopLevelKeys()
{
    return kTopKeys;
}

Scenario parseScenario(const std::string& textIn, const std::string& origin, const std::string& baseDir)
{
    Reader r(origin, baseDir);
    YAML::Node root;
    try {
        root = YAML::Load(textIn);
    } catch (const YAML::Exception& e) {
        throw ScenarioFileError(origin, e.mark.is_null() ? 0 : e.mark.line + 1,
                                "not valid YAML: " + e.msg + " (check indentation and quotes)");
    }
    if (!root.IsDefined() || root.IsNull())
        throw ScenarioFileError(origin, 0, "the file is empty; a scenario needs at least a title and a description");
    auto top = r.mapping(root, "the scenario", kTopKeys);

    Scenario s;
    s.name = stem(origin);
    if (!top.count("title"))
        r.fail(root, "the scenario has no title (add: title: A short name for the list)");
    s.title = r.text(top["title"], "title");
    if (!top.count("description"))
        r.fail(root, "the scenario has no description (add: description: One line saying what happens)");
    s.description = r.text(top["description"], "description");
    s.topic = top.count("topic") ? r.text(top["topic"], "topic") : std::string("My scenarios");

    std::vector<Target> targets;
    if (top.count("notes")) {
        auto notes = r.mapping(top["notes"], "notes", kNotesKeys);
        if (notes.count("introduction"))
            s.notes.introduction = r.text(notes["introduction"], "notes.introduction");
        if (notes.count("steps")) {
            const YAML::Node steps = notes["steps"];
            if (!steps.IsSequence())
                r.fail(steps, "notes.steps must be a list of {message, from, text}");
            for (const YAML::Node& item : steps) {
                auto m = r.mapping(item, "a step note", kStepNoteKeys);
                if (!m.count("message") || !m.count("text"))
                    r.fail(item, "a step note needs message (which step) and text (what to say)");
                TeachingNotes::StepNote n;
                n.message = r.message(m["message"], "a step note");
                if (m.count("from"))
                    n.from = r.side(m["from"], "a step note's from");
                if (m.count("occurrence"))
                    n.occurrence = r.number(m["occurrence"], "a step note's occurrence", 1, 1000);
                n.text = r.text(m["text"], "a step note's text");
                targets.push_back({n.message, n.from, r.lineOf(item)});
                s.notes.steps.push_back(std::move(n));
            }
        }
        if (notes.count("questions")) {
            const YAML::Node qs = notes["questions"];
            if (!qs.IsSequence())
                r.fail(qs, "notes.questions must be a list of questions");
            for (const YAML::Node& q : qs)
                s.notes.questions.push_back(r.text(q, "a question"));
        }
    }

    if (top.count("client")) {
        auto c = r.mapping(top["client"], "client", kClientKeys);
        const auto min = c.count("min_version") ? std::optional(r.version(c["min_version"], "client.min_version"))
                                                : std::nullopt;
        const auto max = c.count("max_version") ? std::optional(r.version(c["max_version"], "client.max_version"))
                                                : std::nullopt;
        try {
            applyVersionRange(s.clientMinVersion, s.clientMaxVersion, min, max);
        } catch (const std::invalid_argument& e) {
            r.fail(c["min_version"], std::string("client: ") + e.what());
        }
        if (c.count("suites"))
            s.clientSuites = r.suites(c["suites"], "client.suites");
        if (c.count("fallback_scsv"))
            s.fallbackScsv = r.boolean(c["fallback_scsv"], "client.fallback_scsv");
        if (c.count("server_name"))
            s.serverName = r.text(c["server_name"], "client.server_name");
        if (c.count("certificate")) {
            const YAML::Node cert = c["certificate"];
            if (cert.IsScalar() && cert.Scalar() == "none")
                s.clientHasCertificate = false;
            else
                s.clientCredential = r.credential(cert, "client.certificate");
        }
        if (c.count("certificates")) {
            if (c.count("certificate"))
                r.fail(c["certificates"], "give client.certificate (one) or client.certificates (several), not both");
            const YAML::Node list = c["certificates"];
            if (!list.IsSequence() || list.size() == 0)
                r.fail(list, "client.certificates must be a list of demo identities or {chain, key} PEM files");
            for (const YAML::Node& item : list)
                s.clientCredentials.push_back(r.credential(item, "a client certificate"));
        }
        if (c.count("ocsp")) {
            const std::string m = r.text(c["ocsp"], "client.ocsp");
            if (m == "off")
                s.clientStatusRequest = StatusRequest::Off;
            else if (m == "request")
                s.clientStatusRequest = StatusRequest::Request;
            else if (m == "require")
                s.clientStatusRequest = StatusRequest::Require;
            else
                r.fail(c["ocsp"], "client.ocsp must be off, request (ask for a stapled OCSP response) or require "
                                  "(refuse a server that staples none), got \"" + m + "\"");
        }
        if (c.count("trust"))
            s.clientTrustAnchors = r.trust(c["trust"], "client.trust");
        if (c.count("crls"))
            s.clientCrls = r.crls(c["crls"], "client.crls");
    }

    if (top.count("server")) {
        auto v = r.mapping(top["server"], "server", kServerKeys);
        const auto min = v.count("min_version") ? std::optional(r.version(v["min_version"], "server.min_version"))
                                                : std::nullopt;
        const auto max = v.count("max_version") ? std::optional(r.version(v["max_version"], "server.max_version"))
                                                : std::nullopt;
        try {
            applyVersionRange(s.serverMinVersion, s.serverMaxVersion, min, max);
        } catch (const std::invalid_argument& e) {
            r.fail(v["min_version"], std::string("server: ") + e.what());
        }
        if (v.count("suites")) {
            const std::vector<std::uint16_t> list = r.suites(v["suites"], "server.suites");
            s.cipherSuite = list.front();
            if (list.size() > 1)
                s.serverSuites = list;
        }
        if (v.count("preference")) {
            const std::string p = r.text(v["preference"], "server.preference");
            if (p != "server" && p != "client")
                r.fail(v["preference"], "server.preference must be server (its own order decides) or client, got \"" +
                                            p + "\"");
            s.serverPreference = p == "server";
        }
        if (v.count("certificates")) {
            const YAML::Node list = v["certificates"];
            if (!list.IsSequence() || list.size() == 0)
                r.fail(list, "server.certificates must be a list of demo identities or {chain, key} PEM files");
            for (const YAML::Node& item : list)
                s.serverCredentials.push_back(r.credential(item, "a server certificate"));
        }
        if (v.count("client_auth")) {
            const std::string m = r.text(v["client_auth"], "server.client_auth");
            if (m == "none")
                s.clientAuth = ClientAuthMode::None;
            else if (m == "optional")
                s.clientAuth = ClientAuthMode::Request;
            else if (m == "required")
                s.clientAuth = ClientAuthMode::Require;
            else
                r.fail(v["client_auth"], "server.client_auth must be none, optional or required, got \"" + m + "\"");
        }
        if (v.count("ocsp")) {
            const std::string m = r.text(v["ocsp"], "server.ocsp");
            const auto at = std::find(kServerOcsp.begin(), kServerOcsp.end(), m);
            if (at != kServerOcsp.end()) {
                s.serverOcsp = static_cast<OcspStaple>(at - kServerOcsp.begin());
            } else if (m.size() > 4 && m.compare(m.size() - 4, 4, ".der") == 0) {
                try {
                    const std::string der = readTextFile(r.path(v["ocsp"], "server.ocsp"));
                    s.serverOcspResponse.assign(der.begin(), der.end());
                    OcspResponse::parse(s.serverOcspResponse);
                } catch (const std::exception& e) {
                    r.fail(v["ocsp"], e.what());
                }
            } else {
                r.fail(v["ocsp"], "unknown OCSP response \"" + m + "\" in server.ocsp" + suggestion(m, kServerOcsp) +
                                      ", or name a DER response file ending in .der");
            }
        }
        if (v.count("directory")) {
            const std::string d = r.text(v["directory"], "server.directory");
            try {
                if (d == "demo")
                    s.serverDirectory = demoDirectory();
                else if (d.size() > 5 && d.compare(d.size() - 5, 5, ".ldif") == 0)
                    s.serverDirectory = loadLdifDirectory(r.path(v["directory"], "server.directory"));
                else
                    r.fail(v["directory"], "server.directory must be demo (the shipped demo-directory.ldif) or an "
                                           "LDIF file ending in .ldif, got \"" + d + "\"");
            } catch (const std::runtime_error& e) {
                if (dynamic_cast<const ScenarioFileError*>(&e))
                    throw;
                r.fail(v["directory"], e.what());
            }
        }
        if (v.count("directory_match")) {
            if (!s.serverDirectory)
                r.fail(v["directory_match"], "server.directory_match says how to find a user in server.directory, "
                                             "which is missing");
            try {
                s.directoryMatch = directoryMatchFromText(r.text(v["directory_match"], "server.directory_match"));
            } catch (const std::runtime_error& e) {
                r.fail(v["directory_match"], std::string("server.directory_match: ") + e.what());
            }
        }
        if (v.count("trust"))
            s.serverTrustAnchors = r.trust(v["trust"], "server.trust");
        if (v.count("crls"))
            s.serverCrls = r.crls(v["crls"], "server.crls");
    }
    if (top.count("extended_master_secret"))
        s.extendedMasterSecret = r.boolean(top["extended_master_secret"], "extended_master_secret");
    if (top.count("cbc_record_splitting"))
        s.cbcRecordSplitting = r.boolean(top["cbc_record_splitting"], "cbc_record_splitting");

    if (top.count("application")) {
        auto a = r.mapping(top["application"], "application", kApplicationKeys);
        if (a.count("request"))
            s.request = r.text(a["request"], "application.request");
        if (a.count("response"))
            s.response = r.text(a["response"], "application.response");
        if (a.count("exchanges"))
            s.repeat = r.number(a["exchanges"], "application.exchanges", 0, 10000);
    }

    if (top.count("resume")) {
        auto m = r.mapping(top["resume"], "resume", kResumeKeys);
        const std::string by = m.count("by") ? r.text(m["by"], "resume.by") : std::string("session_id");
        if (by == "none")
            s.resume = Resumption::None;
        else if (by == "session_id")
            s.resume = Resumption::SessionId;
        else if (by == "ticket")
            s.resume = Resumption::Ticket;
        else
            r.fail(m.count("by") ? m["by"] : top["resume"],
                   "resume.by must be none, session_id or ticket, got \"" + by + "\"");
        if (m.count("failure")) {
            const std::string f = r.text(m["failure"], "resume.failure");
            if (f == "none")
                s.resumeFailure = ResumeFailure::None;
            else if (f == "unknown_id")
                s.resumeFailure = ResumeFailure::UnknownId;
            else if (f == "expired")
                s.resumeFailure = ResumeFailure::Expired;
            else if (f == "different_suite")
                s.resumeFailure = ResumeFailure::DifferentSuite;
            else if (f == "tampered_ticket")
                s.resumeFailure = ResumeFailure::TamperedTicket;
            else if (f == "unknown_ticket_key")
                s.resumeFailure = ResumeFailure::UnknownTicketKey;
            else
                r.fail(m["failure"], "resume.failure must be none, unknown_id, expired, different_suite, "
                                     "tampered_ticket or unknown_ticket_key, got \"" + f + "\"");
            // Each spoiling belongs to one way of resuming: a ticket cannot be tampered with when there is none.
            const bool ticketOnly = s.resumeFailure == ResumeFailure::TamperedTicket ||
                                    s.resumeFailure == ResumeFailure::UnknownTicketKey;
            if (ticketOnly && s.resume != Resumption::Ticket)
                r.fail(m["failure"], "resume.failure " + f + " needs resume.by: ticket");
            if (s.resumeFailure == ResumeFailure::UnknownId && s.resume != Resumption::SessionId)
                r.fail(m["failure"], "resume.failure unknown_id needs resume.by: session_id (a ticket-resuming "
                                     "server keeps no cache to lose; try unknown_ticket_key)");
        }
        if (m.count("renew_ticket")) {
            s.renewTicket = r.boolean(m["renew_ticket"], "resume.renew_ticket");
            if (s.renewTicket && s.resume != Resumption::Ticket)
                r.fail(m["renew_ticket"], "resume.renew_ticket needs resume.by: ticket");
        }
    }

    if (top.count("renegotiate"))
        s.renegotiate = readRenegotiation(r, top["renegotiate"], s);

    if (top.count("attacker")) {
        const YAML::Node rules = top["attacker"];
        if (!rules.IsSequence())
            r.fail(rules, "attacker must be a list of rules, each naming a message and one action (" +
                              joined(kRuleActions) + ")");
        for (const YAML::Node& item : rules) {
            auto m = r.mapping(item, "an attacker rule", kRuleKeys);
            if (!m.count("message"))
                r.fail(item, "an attacker rule needs message: the message it acts on, e.g. ServerKeyExchange");
            InterceptRule rule;
            rule.message = r.message(m["message"], "an attacker rule");
            if (m.count("from"))
                rule.from = r.side(m["from"], "an attacker rule's from");
            if (m.count("occurrence"))
                rule.occurrence = r.number(m["occurrence"], "an attacker rule's occurrence", 1, 1000000);
            std::vector<std::string> actions;
            for (const std::string& a : kRuleActions)
                if (m.count(a))
                    actions.push_back(a);
            if (actions.size() != 1)
                r.fail(item, "an attacker rule needs exactly one action of " + joined(kRuleActions) +
                                 (actions.empty() ? std::string(", found none") : ", found " + joined(actions)));
            const std::string action = actions.front();
            const YAML::Node value = m[action];
            if (action == "flip") {
                rule.action = InterceptRule::Action::Flip;
                if (value.IsScalar()) {
                    rule.field = value.Scalar();
                } else {
                    auto f = r.mapping(value, "flip", kFlipKeys);
                    if (f.count("field") == f.count("byte"))
                        r.fail(value, "flip needs either field (a field name from the Message panel) or byte (an "
                                      "offset in the message), not both or neither");
                    if (f.count("field"))
                        rule.field = r.text(f["field"], "flip.field");
                    if (f.count("byte"))
                        rule.byte = r.number(f["byte"], "flip.byte", 0, 1u << 24);
                    if (f.count("mask"))
                        rule.mask = static_cast<std::uint8_t>(r.number(f["mask"], "flip.mask", 1, 255));
                }
            } else if (action == "drop" || action == "replay") {
                if (!r.boolean(value, action))
                    r.fail(value, action + ": false does nothing; remove the rule instead");
                rule.action = action == "drop" ? InterceptRule::Action::Drop : InterceptRule::Action::Replay;
            } else if (action == "delay") {
                rule.action = InterceptRule::Action::Delay;
                rule.delayRecords = r.number(value, "delay (how many later records overtake it)", 1, 1000);
            } else if (action == "rewrite") {
                rule.action = InterceptRule::Action::Rewrite;
                if (rule.message != "ClientHello")
                    r.fail(m["message"], "rewrite works on ClientHello only (its version and suite list)");
                auto w = r.mapping(value, "rewrite", kRewriteKeys);
                if (w.empty())
                    r.fail(value, "rewrite needs version, suites or both");
                if (w.count("version"))
                    rule.setVersion = r.version(w["version"], "rewrite.version");
                if (w.count("suites"))
                    rule.setSuites = r.suites(w["suites"], "rewrite.suites");
            } else { // inject
                rule.action = InterceptRule::Action::Inject;
                auto j = r.mapping(value, "inject", kInjectKeys);
                if (!j.count("type"))
                    r.fail(value, "inject needs type: handshake, alert, change_cipher_spec or application_data");
                static const std::map<std::string, ContentType> types{
                    {"change_cipher_spec", ContentType::ChangeCipherSpec}, {"alert", ContentType::Alert},
                    {"handshake", ContentType::Handshake}, {"application_data", ContentType::ApplicationData}};
                const std::string type = r.text(j["type"], "inject.type");
                const auto t = types.find(type);
                if (t == types.end())
                    r.fail(j["type"], "unknown record type \"" + type + "\"" +
                                          suggestion(type, {"handshake", "alert", "change_cipher_spec",
                                                            "application_data"}));
                rule.injectType = static_cast<std::uint8_t>(t->second);
                if (j.count("hex") == j.count("size"))
                    r.fail(value, "inject needs either hex (the record's content) or size (that many zero bytes)");
                if (j.count("hex"))
                    rule.payload = r.hex(j["hex"], "inject.hex");
                if (j.count("size"))
                    rule.injectSize = r.number(j["size"], "inject.size", 0, 65535);
                if (j.count("position")) {
                    const std::string p = r.text(j["position"], "inject.position");
                    if (p != "before" && p != "after")
                        r.fail(j["position"], "inject.position must be before or after, got \"" + p + "\"");
                    rule.injectBefore = p == "before";
                }
            }
            targets.push_back({rule.message, rule.from, r.lineOf(item)});
            rule.sourceLine = r.lineOf(item);
            s.interceptRules.push_back(std::move(rule));
        }
    }

    if (top.count("expect")) {
        const YAML::Node e = top["expect"];
        if (e.IsScalar()) {
            if (e.Scalar() != "completed")
                r.fail(e, "expect must be completed, or {alert: NAME, from: client|server} for a failure");
            s.expect = Expectation{};
        } else {
            auto m = r.mapping(e, "expect", kExpectKeys);
            if (!m.count("alert") || !m.count("from"))
                r.fail(e, "a failure needs both alert (e.g. decrypt_error) and from (the side that sends it)");
            s.expect.completed = false;
            s.expect.alert = r.alert(m["alert"], "expect.alert");
            s.expect.alertFrom = r.side(m["from"], "expect.from");
        }
    }

    for (const Target& t : targets)
        if (const std::string why = neverSent(s, t); !why.empty())
            throw ScenarioFileError(origin, t.line, why);
    return s;
}

Scenario loadScenarioFile(const std::string& path)
{
    std::string text;
    try {
        text = readTextFile(path);
    } catch (const std::exception& e) {
        throw ScenarioFileError(path, 0, e.what());
    }
    return parseScenario(text, path, std::filesystem::path(path).parent_path().string());
}

namespace {
std::string credentialName(const Credential& c)
{
    for (const std::string& n : demoCredentialNames())
        if (const Credential* d = demoCredential(n); d && !c.chain.empty() && !d->chain.empty() &&
                                                     d->chain.front().der == c.chain.front().der)
            return n;
    return {};
}
std::string certificateName(const Certificate& c)
{
    for (const std::string& n : demoCertificateNames())
        if (const Certificate* d = demoCertificate(n); d && d->der == c.der)
            return n;
    return {};
}
void emitCrls(YAML::Emitter& y, const std::vector<Crl>& crls)
{
    y << YAML::Key << "crls" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const Crl& c : crls) {
        std::string name;
        for (const std::string& n : demoCrlNames())
            if (const Crl* d = demoCrl(n); d && d->der == c.der)
                name = n;
        y << (name.empty() ? std::string("intermediate-ca") : name);
        if (name.empty())
            y << YAML::Comment("a list that is not a demo one: name its file here");
    }
    y << YAML::EndSeq;
}

const char* policyName(RenegotiationPolicy p)
{
    switch (p) {
    case RenegotiationPolicy::Refuse: return "refuse";
    case RenegotiationPolicy::Ignore: return "ignore";
    case RenegotiationPolicy::Allow: return "allow";
    case RenegotiationPolicy::AllowInsecure: return "allow_insecure";
    }
    return "allow";
}
void emitRenegotiation(YAML::Emitter& y, const RenegotiationPlan& p, const Scenario& s)
{
    y << YAML::Key << "renegotiate" << YAML::Value << YAML::BeginMap;
    if (p.spliceAttack) {
        y << YAML::Key << "attack" << YAML::Value << "splice";
        y << YAML::Key << "prefix" << YAML::Value << YAML::DoubleQuoted << p.prefix;
    } else {
        y << YAML::Key << "by" << YAML::Value << sideName(p.by);
        y << YAML::Key << "after" << YAML::Value << p.after;
        if (p.resume)
            y << YAML::Key << "resume" << YAML::Value << true;
    }
    y << YAML::Key << "client" << YAML::Value << policyName(p.clientPolicy);
    y << YAML::Key << "server" << YAML::Value << policyName(p.serverPolicy);
    y << YAML::Key << "renegotiation_info" << YAML::Value
      << (s.clientRenegotiationInfo && s.serverRenegotiationInfo ? "both"
          : s.clientRenegotiationInfo                           ? "client"
          : s.serverRenegotiationInfo                           ? "server"
                                                                : "none");
    y << YAML::EndMap;
}
void emitSuites(YAML::Emitter& y, const std::vector<std::uint16_t>& ids)
{
    y << YAML::BeginSeq;
    for (std::uint16_t id : ids)
        y << cipherSuiteName(id);
    y << YAML::EndSeq;
}
void emitTrust(YAML::Emitter& y, const std::vector<Certificate>& certs)
{
    y << YAML::Key << "trust" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const Certificate& c : certs) {
        const std::string n = certificateName(c);
        y << (n.empty() ? std::string("root-ca") : n);
        if (n.empty())
            y << YAML::Comment("a CA that is not a demo one: name its PEM file here");
    }
    y << YAML::EndSeq;
}
} // namespace

std::string scenarioToYaml(const Scenario& s)
{
    const Scenario d;
    YAML::Emitter y;
    y << YAML::Comment("HandshakeLab scenario (docs/scenarios.md describes every key)");
    y << YAML::BeginMap;
    y << YAML::Key << "title" << YAML::Value << s.title;
    y << YAML::Key << "description" << YAML::Value << s.description;
    y << YAML::Key << "topic" << YAML::Value << (s.topic.empty() ? std::string("My scenarios") : s.topic);
    if (!s.notes.empty()) {
        y << YAML::Key << "notes" << YAML::Value << YAML::BeginMap;
        if (!s.notes.introduction.empty())
            y << YAML::Key << "introduction" << YAML::Value << YAML::Literal << s.notes.introduction;
        if (!s.notes.steps.empty()) {
            y << YAML::Key << "steps" << YAML::Value << YAML::BeginSeq;
            for (const TeachingNotes::StepNote& n : s.notes.steps) {
                y << YAML::BeginMap << YAML::Key << "message" << YAML::Value << n.message;
                if (n.from)
                    y << YAML::Key << "from" << YAML::Value << sideName(*n.from);
                if (n.occurrence != 1)
                    y << YAML::Key << "occurrence" << YAML::Value << n.occurrence;
                y << YAML::Key << "text" << YAML::Value << n.text << YAML::EndMap;
            }
            y << YAML::EndSeq;
        }
        if (!s.notes.questions.empty()) {
            y << YAML::Key << "questions" << YAML::Value << YAML::BeginSeq;
            for (const std::string& q : s.notes.questions)
                y << q;
            y << YAML::EndSeq;
        }
        y << YAML::EndMap;
    }

    y << YAML::Key << "client" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "min_version" << YAML::Value << versionOptionName(s.clientMinVersion);
    y << YAML::Key << "max_version" << YAML::Value << versionOptionName(s.clientMaxVersion);
    if (!s.clientSuites.empty()) {
        y << YAML::Key << "suites" << YAML::Value;
        emitSuites(y, s.clientSuites);
    }
    if (s.fallbackScsv)
        y << YAML::Key << "fallback_scsv" << YAML::Value << true;
    y << YAML::Key << "server_name" << YAML::Value << s.serverName;
    if (!s.clientHasCertificate) {
        y << YAML::Key << "certificate" << YAML::Value << "none";
    } else if (s.clientCredential) {
        const std::string n = credentialName(*s.clientCredential);
        y << YAML::Key << "certificate" << YAML::Value << (n.empty() ? std::string("client") : n);
        if (n.empty())
            y << YAML::Comment("not a demo identity: give {chain: FILE, key: FILE}");
    }
    if (!s.clientCredentials.empty() && s.clientHasCertificate) {
        y << YAML::Key << "certificates" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const Credential& c : s.clientCredentials) {
            const std::string n = credentialName(c);
            y << (n.empty() ? std::string("client") : n);
        }
        y << YAML::EndSeq;
    }
    if (s.clientStatusRequest != StatusRequest::Off)
        y << YAML::Key << "ocsp" << YAML::Value << kClientOcsp[static_cast<std::size_t>(s.clientStatusRequest)];
    if (!s.clientTrustAnchors.empty())
        emitTrust(y, s.clientTrustAnchors);
    if (!s.clientCrls.empty())
        emitCrls(y, s.clientCrls);
    y << YAML::EndMap;

    y << YAML::Key << "server" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "min_version" << YAML::Value << versionOptionName(s.serverMinVersion);
    y << YAML::Key << "max_version" << YAML::Value << versionOptionName(s.serverMaxVersion);
    y << YAML::Key << "suites" << YAML::Value;
    emitSuites(y, s.serverSuites.empty() ? std::vector<std::uint16_t>{s.cipherSuite} : s.serverSuites);
    y << YAML::Key << "preference" << YAML::Value << (s.serverPreference ? "server" : "client");
    if (!s.serverCredentials.empty()) {
        y << YAML::Key << "certificates" << YAML::Value << YAML::BeginSeq;
        for (const Credential& c : s.serverCredentials) {
            const std::string n = credentialName(c);
            y << (n.empty() ? std::string("server-rsa") : n);
            if (n.empty())
                y << YAML::Comment("not a demo identity: give {chain: FILE, key: FILE}");
        }
        y << YAML::EndSeq;
    }
    y << YAML::Key << "client_auth" << YAML::Value
      << (s.clientAuth == ClientAuthMode::None      ? "none"
          : s.clientAuth == ClientAuthMode::Request ? "optional"
                                                    : "required");
    if (!s.serverTrustAnchors.empty())
        emitTrust(y, s.serverTrustAnchors);
    if (!s.serverCrls.empty())
        emitCrls(y, s.serverCrls);
    if (s.serverOcsp != OcspStaple::None && s.serverOcspResponse.empty())
        y << YAML::Key << "ocsp" << YAML::Value << kServerOcsp[static_cast<std::size_t>(s.serverOcsp)];
    else if (!s.serverOcspResponse.empty())
        y << YAML::Key << "ocsp" << YAML::Value << "response.der" << YAML::Comment("a response file: name it here");
    if (s.serverDirectory) {
        y << YAML::Key << "directory" << YAML::Value << "demo";
        if (s.serverDirectory != demoDirectory())
            y << YAML::Comment("not the demo directory: name its LDIF file here");
        if (s.directoryMatch.attribute != DirectoryMatch{}.attribute)
            y << YAML::Key << "directory_match" << YAML::Value
              << (s.directoryMatch.byDn() ? std::string("dn") : s.directoryMatch.attribute);
    }
    y << YAML::EndMap;

    if (s.extendedMasterSecret != d.extendedMasterSecret)
        y << YAML::Key << "extended_master_secret" << YAML::Value << s.extendedMasterSecret;
    if (s.cbcRecordSplitting)
        y << YAML::Key << "cbc_record_splitting" << YAML::Value << true;
    if (s.request != d.request || s.response != d.response || s.repeat != d.repeat) {
        y << YAML::Key << "application" << YAML::Value << YAML::BeginMap;
        y << YAML::Key << "request" << YAML::Value << YAML::DoubleQuoted << s.request;
        y << YAML::Key << "response" << YAML::Value << YAML::DoubleQuoted << s.response;
        y << YAML::Key << "exchanges" << YAML::Value << s.repeat;
        y << YAML::EndMap;
    }
    if (s.resume != Resumption::None) {
        y << YAML::Key << "resume" << YAML::Value << YAML::BeginMap;
        y << YAML::Key << "by" << YAML::Value << (s.resume == Resumption::Ticket ? "ticket" : "session_id");
        y << YAML::Key << "failure" << YAML::Value
          << (s.resumeFailure == ResumeFailure::UnknownId          ? "unknown_id"
              : s.resumeFailure == ResumeFailure::Expired          ? "expired"
              : s.resumeFailure == ResumeFailure::DifferentSuite   ? "different_suite"
              : s.resumeFailure == ResumeFailure::TamperedTicket   ? "tampered_ticket"
              : s.resumeFailure == ResumeFailure::UnknownTicketKey ? "unknown_ticket_key"
                                                                   : "none");
        if (s.renewTicket)
            y << YAML::Key << "renew_ticket" << YAML::Value << true;
        y << YAML::EndMap;
    }
    if (s.renegotiate)
        emitRenegotiation(y, *s.renegotiate, s);
    if (!s.interceptRules.empty()) {
        y << YAML::Key << "attacker" << YAML::Value << YAML::BeginSeq;
        for (const InterceptRule& r : s.interceptRules) {
            y << YAML::BeginMap << YAML::Key << "message" << YAML::Value << r.message;
            if (r.from)
                y << YAML::Key << "from" << YAML::Value << sideName(*r.from);
            if (r.occurrence != 1)
                y << YAML::Key << "occurrence" << YAML::Value << r.occurrence;
            switch (r.action) {
            case InterceptRule::Action::Flip:
                y << YAML::Key << "flip" << YAML::Value << YAML::Flow << YAML::BeginMap;
                if (!r.field.empty())
                    y << YAML::Key << "field" << YAML::Value << r.field;
                else
                    y << YAML::Key << "byte" << YAML::Value << r.byte.value_or(0);
                if (r.mask != 1)
                    y << YAML::Key << "mask" << YAML::Value << static_cast<int>(r.mask);
                y << YAML::EndMap;
                break;
            case InterceptRule::Action::Drop:
                y << YAML::Key << "drop" << YAML::Value << true;
                break;
            case InterceptRule::Action::Replay:
                y << YAML::Key << "replay" << YAML::Value << true;
                break;
            case InterceptRule::Action::Delay:
                y << YAML::Key << "delay" << YAML::Value << r.delayRecords;
                break;
            case InterceptRule::Action::Rewrite:
                y << YAML::Key << "rewrite" << YAML::Value << YAML::BeginMap;
                if (r.setVersion)
                    y << YAML::Key << "version" << YAML::Value << versionOptionName(*r.setVersion);
                if (!r.setSuites.empty()) {
                    y << YAML::Key << "suites" << YAML::Value;
                    emitSuites(y, r.setSuites);
                }
                y << YAML::EndMap;
                break;
            case InterceptRule::Action::Inject: {
                static const std::map<std::uint8_t, std::string> names{
                    {20, "change_cipher_spec"}, {21, "alert"}, {22, "handshake"}, {23, "application_data"}};
                y << YAML::Key << "inject" << YAML::Value << YAML::Flow << YAML::BeginMap;
                y << YAML::Key << "type" << YAML::Value << names.at(r.injectType);
                if (r.injectSize) {
                    y << YAML::Key << "size" << YAML::Value << *r.injectSize;
                } else {
                    std::string h;
                    static const char* digits = "0123456789abcdef";
                    for (std::uint8_t b : r.payload)
                        h += std::string{digits[b >> 4], digits[b & 15]};
                    y << YAML::Key << "hex" << YAML::Value << h;
                }
                y << YAML::Key << "position" << YAML::Value << (r.injectBefore ? "before" : "after");
                y << YAML::EndMap;
                break;
            }
            }
            y << YAML::EndMap;
        }
        y << YAML::EndSeq;
    }
    if (s.expect.completed) {
        y << YAML::Key << "expect" << YAML::Value << "completed";
    } else {
        y << YAML::Key << "expect" << YAML::Value << YAML::Flow << YAML::BeginMap;
        y << YAML::Key << "alert" << YAML::Value << alertName(s.expect.alert);
        y << YAML::Key << "from" << YAML::Value << sideName(s.expect.alertFrom) << YAML::EndMap;
    }
    y << YAML::EndMap;
    return std::string(y.c_str()) + "\n";
}

} // namespace hl::app
