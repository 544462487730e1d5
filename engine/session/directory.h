// The user directory a server may consult once a client's certificate chain verifies: the server looks up the user's
// entry and accepts the client only if the very certificate it presented is stored there (the userCertificate
// attribute, RFC 4523 §2.1). A CA that revokes a certificate may be slow to say so; an administrator who removes it
// from the user's entry withdraws it at once.
//
// The engine sees only this interface. An LDIF directory (RFC 2849 text, parsed here, held in memory) is the
// in-process default; the application adds an LDAP one over the network. Neither reads files in the engine.
#pragma once

#include "common/bytes.h"
#include "x509/certificate.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hl {

struct DirectoryEntry {
    std::string dn;                 // as the directory writes it: "cn=HandshakeLab Demo Student,ou=people,..."
    std::vector<Bytes> certificates; // the DER values of userCertificate (;binary)
};

// How a certificate names its user's entry. By DN: the entry whose DN is the certificate's subject DN (the default
// mapping of Netscape and Sun directory servers). By attribute ("cn", "uid", "mail"...): the entries under the base
// DN whose attribute equals the value the certificate's subject has for it.
struct DirectoryMatch {
    std::string attribute = "cn"; // empty: by DN
    bool byDn() const { return attribute.empty(); }
};

// The directory could not answer (a server that does not reply, a refused bind): not the same as "no entry".
class DirectoryError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Directory {
public:
    virtual ~Directory() = default;

    struct Query {
        std::string description; // "the entry with cn=HandshakeLab Demo Student under dc=handshakelab,dc=test"
        std::vector<DirectoryEntry> entries;
    };
    // Every entry the certificate's subject maps to (usually one). Throws DirectoryError when the directory cannot
    // be asked, std::invalid_argument when the subject has no value for the attribute matched on.
    virtual Query find(const DistinguishedName& subject, const DirectoryMatch& match) const = 0;
    // Where the entries come from: "the LDIF directory demo-directory.ldif", "ldap://127.0.0.1:3890/dc=...".
    virtual std::string name() const = 0;
};

// RFC 2849 LDIF content records: a "dn:" line, then "attribute: value" lines, records separated by blank lines.
// Values may be base64 ("attr:: ...") and lines folded (a line beginning with one space continues the last).
struct LdifRecord {
    std::string dn;
    std::vector<std::pair<std::string, Bytes>> attributes; // names as written, options included ("userCertificate;binary")
    int line = 0;                                          // of the dn line
};

// Malformed LDIF: what() reads "ORIGIN:LINE: problem".
class LdifError : public std::invalid_argument {
public:
    LdifError(const std::string& origin, int line, const std::string& problem);
    int line() const { return m_line; }

private:
    int m_line;
};

// Parses LDIF text. Refuses change records (changetype), URL values ("attr:< file://..."), bad base64, an attribute
// line before any dn, a record without dn, and a version other than 1, each with its line.
std::vector<LdifRecord> parseLdif(std::string_view text, const std::string& origin);

// An RFC 4514 DN in a form two spellings of the same name share: attribute types in lower case, values trimmed
// and compared without regard to case (caseIgnoreMatch), no spaces around separators.
std::string normalizeDn(std::string_view dn);

class LdifDirectory : public Directory {
public:
    // `origin` names the file in name() ("demo-directory.ldif").
    LdifDirectory(std::vector<LdifRecord> records, std::string origin);
    Query find(const DistinguishedName& subject, const DirectoryMatch& match) const override;
    std::string name() const override;
    const std::vector<LdifRecord>& records() const { return m_records; }

private:
    std::vector<LdifRecord> m_records;
    std::string m_origin;
};

// The certificates an entry holds: the values of userCertificate, with or without the ;binary option (RFC 4523).
std::vector<Bytes> userCertificates(const LdifRecord& record);
// The value the certificate's subject has for a directory attribute: "cn" -> its CN, "mail" -> its emailAddress.
// Empty when it has none.
std::string subjectValueFor(const DistinguishedName& subject, const std::string& attribute);

} // namespace hl
