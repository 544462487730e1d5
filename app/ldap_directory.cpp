// LDAP look-ups with OpenLDAP's synchronous API (ldap_initialize, ldap_sasl_bind_s, ldap_search_ext_s).
#include "ldap_directory.h"

#include <ldap.h>

#include <memory>

namespace hl::app {

namespace {
constexpr int kTimeoutSeconds = 5;

struct LdapDeleter {
    void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct MessageDeleter {
    void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};

std::string error(int rc) { return std::string(ldap_err2string(rc)) + " (LDAP result " + std::to_string(rc) + ")"; }
} // namespace

std::string escapeFilterValue(const std::string& value)
{
    static const char* const hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : value) {
        if (c == '*' || c == '(' || c == ')' || c == '\\' || c == 0) {
            out += '\\';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

LdapDirectory::LdapDirectory(const std::string& url) : m_url(url)
{
    LDAPURLDesc* desc = nullptr;
    if (ldap_url_parse(url.c_str(), &desc) != LDAP_URL_SUCCESS || !desc)
        throw std::runtime_error("\"" + url + "\" is not an LDAP URL (ldap://HOST:PORT/BASE_DN)");
    const std::unique_ptr<LDAPURLDesc, void (*)(LDAPURLDesc*)> guard(desc, ldap_free_urldesc);
    if (std::string(desc->lud_scheme ? desc->lud_scheme : "") != "ldap")
        throw std::runtime_error("\"" + url + "\": only ldap:// is supported");
    if (!desc->lud_dn || !*desc->lud_dn)
        throw std::runtime_error("\"" + url + "\" names no base DN (ldap://HOST:PORT/BASE_DN)");
    m_baseDn = desc->lud_dn;
    m_server = "ldap://" + std::string(desc->lud_host ? desc->lud_host : "127.0.0.1") + ":" +
               std::to_string(desc->lud_port ? desc->lud_port : 389);
}

Directory::Query LdapDirectory::find(const DistinguishedName& subject, const DirectoryMatch& match) const
{
    Query q;
    std::string base, filter;
    int scope = LDAP_SCOPE_SUBTREE;
    if (match.byDn()) {
        base = subject.toString();
        filter = "(objectClass=*)";
        scope = LDAP_SCOPE_BASE;
        q.description = "the entry " + base;
    } else {
        const std::string value = subjectValueFor(subject, match.attribute);
        if (value.empty())
            throw std::invalid_argument("the certificate's subject " + subject.toString() + " has no " +
                                        match.attribute + " to look its user up by");
        base = m_baseDn;
        filter = "(" + match.attribute + "=" + escapeFilterValue(value) + ")";
        q.description = "the entry with " + match.attribute + "=" + value + " under " + m_baseDn;
    }

    LDAP* raw = nullptr;
    int rc = ldap_initialize(&raw, m_server.c_str());
    if (rc != LDAP_SUCCESS)
        throw DirectoryError("cannot set up a connection to " + m_server + ": " + error(rc));
    const std::unique_ptr<LDAP, LdapDeleter> ld(raw);
    const int version = LDAP_VERSION3;
    ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
    timeval timeout{kTimeoutSeconds, 0};
    ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    berval anonymous{0, nullptr};
    rc = ldap_sasl_bind_s(ld.get(), nullptr, LDAP_SASL_SIMPLE, &anonymous, nullptr, nullptr, nullptr);
    if (rc != LDAP_SUCCESS)
        throw DirectoryError("the anonymous bind to " + m_server + " failed: " + error(rc));
    char attribute[] = "userCertificate;binary";
    char* attributes[] = {attribute, nullptr};
    LDAPMessage* rawResult = nullptr;
    rc = ldap_search_ext_s(ld.get(), base.c_str(), scope, filter.c_str(), attributes, 0, nullptr, nullptr, &timeout,
                           LDAP_NO_LIMIT, &rawResult);
    const std::unique_ptr<LDAPMessage, MessageDeleter> result(rawResult);
    if (rc == LDAP_NO_SUCH_OBJECT)
        return q; // the DN (or the base) is not in the directory: no such user
    if (rc != LDAP_SUCCESS)
        throw DirectoryError("the search for " + q.description + " on " + m_server + " failed: " + error(rc));
    for (LDAPMessage* e = ldap_first_entry(ld.get(), result.get()); e; e = ldap_next_entry(ld.get(), e)) {
        DirectoryEntry entry;
        if (char* dn = ldap_get_dn(ld.get(), e)) {
            entry.dn = dn;
            ldap_memfree(dn);
        }
        if (berval** values = ldap_get_values_len(ld.get(), e, attribute)) {
            for (berval** v = values; *v; ++v) {
                const auto* p = reinterpret_cast<const std::uint8_t*>((*v)->bv_val);
                entry.certificates.emplace_back(p, p + (*v)->bv_len);
            }
            ldap_value_free_len(values);
        }
        q.entries.push_back(std::move(entry));
    }
    return q;
}

} // namespace hl::app
