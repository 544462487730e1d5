// LDIF parsing (RFC 2849) and the in-memory directory built from it.
#include "session/directory.h"

#include <cryptopp/base64.h>
#include <cryptopp/filters.h>

#include <algorithm>
#include <cctype>

namespace hl {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(std::string_view s)
{
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        --e;
    return std::string(s.substr(b, e - b));
}

// RFC 2849: BASE64-STRING; Crypto++ decodes, but skips characters outside the alphabet, so they are refused first.
bool decodeBase64(std::string_view text, Bytes& out)
{
    std::string compact;
    for (char c : text) {
        if (c == ' ')
            continue;
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='))
            return false;
        compact += c;
    }
    if (compact.size() % 4 != 0)
        return false;
    const std::size_t pad = compact.find('=');
    if (pad != std::string::npos && (compact.size() - pad > 2 || compact.find_first_not_of('=', pad) != std::string::npos))
        return false;
    std::string decoded;
    CryptoPP::StringSource(compact, true, new CryptoPP::Base64Decoder(new CryptoPP::StringSink(decoded)));
    out.assign(decoded.begin(), decoded.end());
    return true;
}

struct Line {
    std::string text;
    int number;
};

// Physical lines to logical ones: a line beginning with a single space continues the one before (RFC 2849 note 2);
// comment lines (and their continuations) go.
std::vector<Line> unfold(std::string_view text)
{
    std::vector<Line> out;
    bool inComment = false;
    int number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string line(text.substr(pos, end - pos));
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        ++number;
        if (!line.empty() && line[0] == ' ') {
            if (!inComment && !out.empty() && !out.back().text.empty())
                out.back().text += line.substr(1);
            else if (!inComment)
                out.push_back({line, number}); // reported by the parser: nothing to continue
        } else {
            inComment = !line.empty() && line[0] == '#';
            if (!inComment)
                out.push_back({line, number});
        }
        if (end == text.size())
            break;
        pos = end + 1;
    }
    return out;
}

// One RDN component of an RFC 4514 string, split at unescaped commas (a "+" multi-valued RDN stays as one piece).
std::vector<std::string> splitDn(std::string_view dn)
{
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < dn.size(); ++i) {
        if (dn[i] == '\\' && i + 1 < dn.size()) {
            cur += dn[i];
            cur += dn[++i];
        } else if (dn[i] == ',' || dn[i] == ';') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += dn[i];
        }
    }
    if (!cur.empty() || !out.empty())
        out.push_back(cur);
    return out;
}

bool hasAttribute(const LdifRecord& r, const std::string& attribute, const std::string& value)
{
    const std::string want = lower(attribute);
    for (const auto& [name, v] : r.attributes) {
        const std::string base = lower(name.substr(0, name.find(';')));
        if (base == want && lower(trim(std::string(v.begin(), v.end()))) == lower(trim(value)))
            return true;
    }
    return false;
}

} // namespace

LdifError::LdifError(const std::string& origin, int line, const std::string& problem)
    : std::invalid_argument(origin + ":" + std::to_string(line) + ": " + problem), m_line(line)
{
}

std::vector<LdifRecord> parseLdif(std::string_view text, const std::string& origin)
{
    std::vector<LdifRecord> records;
    LdifRecord current;
    bool open = false; // a record has begun (its dn line was read)
    bool first = true;
    const auto finish = [&] {
        if (open)
            records.push_back(std::move(current));
        current = LdifRecord{};
        open = false;
    };
    for (const Line& l : unfold(text)) {
        if (l.text.empty()) {
            finish();
            continue;
        }
        if (l.text[0] == ' ')
            throw LdifError(origin, l.number, "a continuation line (beginning with a space) with no line to continue");
        const std::size_t colon = l.text.find(':');
        if (colon == std::string::npos || colon == 0)
            throw LdifError(origin, l.number,
                            "expected \"attribute: value\", found \"" + l.text.substr(0, 40) + "\"");
        const std::string name = l.text.substr(0, colon);
        for (char c : name)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ';' || c == '.'))
                throw LdifError(origin, l.number, "\"" + name + "\" is not an attribute description");
        Bytes value;
        std::size_t rest = colon + 1;
        if (rest < l.text.size() && l.text[rest] == ':') {
            if (!decodeBase64(std::string_view(l.text).substr(rest + 1), value))
                throw LdifError(origin, l.number, "the base64 value of " + name + " is not valid base64");
        } else if (rest < l.text.size() && l.text[rest] == '<') {
            throw LdifError(origin, l.number,
                            "the value of " + name + " is a URL (\":<\"); give it inline, base64 after \"::\"");
        } else {
            const std::string v = trim(std::string_view(l.text).substr(rest));
            value.assign(v.begin(), v.end());
        }
        const std::string lname = lower(name);
        if (first && lname == "version") {
            first = false;
            if (std::string(value.begin(), value.end()) != "1")
                throw LdifError(origin, l.number, "only LDIF version 1 exists (RFC 2849)");
            continue;
        }
        first = false;
        if (lname == "dn") {
            if (open)
                throw LdifError(origin, l.number, "a second dn in one record; separate records with a blank line");
            current = LdifRecord{std::string(value.begin(), value.end()), {}, l.number};
            open = true;
            continue;
        }
        if (!open)
            throw LdifError(origin, l.number, "the attribute " + name + " comes before any \"dn:\" line");
        if (lname == "changetype" || lname == "control")
            throw LdifError(origin, l.number,
                            "change records (" + name + ") are not supported: give the entries as content records");
        current.attributes.emplace_back(name, std::move(value));
    }
    finish();
    return records;
}

std::string normalizeDn(std::string_view dn)
{
    std::string out;
    for (const std::string& rdn : splitDn(dn)) {
        const std::size_t eq = rdn.find('=');
        const std::string type = lower(trim(eq == std::string::npos ? rdn : rdn.substr(0, eq)));
        const std::string value = eq == std::string::npos ? std::string() : lower(trim(rdn.substr(eq + 1)));
        if (!out.empty())
            out += ',';
        out += type + "=" + value;
    }
    return out;
}

std::vector<Bytes> userCertificates(const LdifRecord& record)
{
    std::vector<Bytes> out;
    for (const auto& [name, value] : record.attributes)
        if (lower(name.substr(0, name.find(';'))) == "usercertificate")
            out.push_back(value);
    return out;
}

std::string subjectValueFor(const DistinguishedName& subject, const std::string& attribute)
{
    const std::string a = lower(attribute);
    // Directory attribute names (RFC 4519) and the certificate's short names for the same types.
    const std::string shortName = a == "cn"     ? "CN"
                                  : a == "o"    ? "O"
                                  : a == "ou"   ? "OU"
                                  : a == "c"    ? "C"
                                  : a == "l"    ? "L"
                                  : a == "st"   ? "ST"
                                  : a == "mail" ? "emailAddress"
                                  : a == "uid"  ? "UID"
                                                : attribute;
    return subject.value(shortName);
}

LdifDirectory::LdifDirectory(std::vector<LdifRecord> records, std::string origin)
    : m_records(std::move(records)), m_origin(std::move(origin))
{
}

std::string LdifDirectory::name() const { return "the LDIF directory " + m_origin; }

Directory::Query LdifDirectory::find(const DistinguishedName& subject, const DirectoryMatch& match) const
{
    Query q;
    if (match.byDn()) {
        const std::string dn = subject.toString();
        q.description = "the entry " + dn;
        const std::string want = normalizeDn(dn);
        for (const LdifRecord& r : m_records)
            if (normalizeDn(r.dn) == want)
                q.entries.push_back({r.dn, userCertificates(r)});
        return q;
    }
    const std::string value = subjectValueFor(subject, match.attribute);
    if (value.empty())
        throw std::invalid_argument("the certificate's subject " + subject.toString() + " has no " + match.attribute +
                                    " to look its user up by");
    q.description = "the entry with " + match.attribute + "=" + value;
    for (const LdifRecord& r : m_records)
        if (hasAttribute(r, match.attribute, value))
            q.entries.push_back({r.dn, userCertificates(r)});
    return q;
}

} // namespace hl
