// A user directory on an LDAP server (RFC 4511), asked through OpenLDAP's libldap: an anonymous simple bind, then a
// search for the user's entry and its userCertificate;binary values (RFC 4523).
#pragma once

#include "session/directory.h"

#include <string>

namespace hl::app {

class LdapDirectory : public Directory {
public:
    // "ldap://HOST:PORT/BASE_DN". Throws std::runtime_error when the URL does not parse or names no base DN.
    explicit LdapDirectory(const std::string& url);
    // One connection per look-up, closed after it: a server asks once per handshake. Throws DirectoryError when the
    // server cannot be reached or refuses the search (a base DN it does not hold answers with no entry).
    Query find(const DistinguishedName& subject, const DirectoryMatch& match) const override;
    std::string name() const override { return m_url; }

private:
    std::string m_url;
    std::string m_server; // ldap://HOST:PORT
    std::string m_baseDn;
};

// RFC 4515 §3: a value inside a search filter, with * ( ) \ and NUL escaped as \XX.
std::string escapeFilterValue(const std::string& value);

} // namespace hl::app
