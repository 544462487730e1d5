// Where a server's user directory comes from (session/directory.h): the demo LDIF built into the executable, an LDIF
// file, or an LDAP server reached through OpenLDAP's client library. File and network access live here, outside
// the engine.
#pragma once

#include "session/directory.h"

#include <memory>
#include <string>

namespace hl::app {

// resources/pki/demo-directory.ldif: two users under ou=people,dc=handshakelab,dc=test, the demo student holding
// the demo client certificate and another student holding none.
std::shared_ptr<const LdifDirectory> demoDirectory();
// An LDIF file. Throws std::runtime_error naming the file and, for bad LDIF, the line.
std::shared_ptr<const LdifDirectory> loadLdifDirectory(const std::string& path);
// "ldap://HOST:PORT/BASE_DN" (an LDAP server, searched anonymously under BASE_DN) or an LDIF file. Throws
// std::runtime_error for a URL that does not parse or a file that does not load; an LDAP server is first contacted
// at the first look-up.
std::shared_ptr<const Directory> openDirectory(const std::string& spec);
// "dn" (the certificate's subject DN is the entry's DN) or an attribute name ("cn", "uid", "mail").
DirectoryMatch directoryMatchFromText(const std::string& text);

} // namespace hl::app
