// X.509 certificate parsing (RFC 5280 §4.1, §4.2) with the DER reader, and the field tree for the hex view.
#include "x509/certificate.h"

#include "x509/der.h"
#include "x509/oids.h"
#include "x509/pem.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace hl {

namespace {

[[noreturn]] void bad(const std::string& why)
{
    throw TlsError(AlertDescription::BadCertificate, "certificate: " + why);
}

std::string colonHex(ByteView b)
{
    std::string hex = toHex(b);
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        if (!out.empty())
            out += ':';
        out += hex.substr(i, 2);
    }
    return out;
}

struct AlgorithmId {
    std::string oid;
    ByteView whole;
};

AlgorithmId readAlgorithm(const der::Element& e, const std::string& what)
{
    der::Reader r(e, what);
    AlgorithmId a;
    a.oid = der::objectIdentifier(r.read(der::ObjectIdentifier, "algorithm"), what + ".algorithm");
    if (!r.done())
        r.read("parameters");
    r.expectDone("");
    a.whole = e.whole;
    return a;
}

// RFC 4514 §2.4: characters that need a backslash in a string representation.
std::string escapeDnValue(const std::string& v)
{
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        const bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' ||
                             (i == 0 && (c == '#' || c == ' ')) || (i + 1 == v.size() && c == ' ');
        if (special)
            out += '\\';
        out += c;
    }
    return out;
}

std::string attributeValue(const der::Element& value, const std::string& name)
{
    switch (value.tag) {
    case der::Utf8String:
    case der::PrintableString:
    case der::TeletexString:
    case der::Ia5String:
    case der::UniversalString:
    case der::BmpString:
    case 0x12:
    case 0x1a:
        return der::text(value, name);
    default:
        return "#" + toHex(value.whole); // RFC 4514 §2.4 for values that are not strings
    }
}

// Calls f(atv, shortName, value) for every AttributeTypeAndValue of a Name, checking its structure.
template <typename F> void walkName(const der::Element& name, const std::string& what, F&& f)
{
    der::Reader rdns(name, what);
    while (!rdns.done()) {
        const der::Element rdn = rdns.read(der::Set, "RelativeDistinguishedName");
        der::Reader atvs(rdn, what + " RDN");
        if (atvs.done())
            atvs.fail("", "a RelativeDistinguishedName needs at least one attribute");
        while (!atvs.done()) {
            const der::Element atv = atvs.read(der::Sequence, "AttributeTypeAndValue");
            der::Reader fields(atv, what + " attribute");
            const std::string type = der::objectIdentifier(fields.read(der::ObjectIdentifier, "type"), what + " type");
            const std::string shortName = oid::name(type);
            const std::string value = attributeValue(fields.read("value"), what + " " + shortName);
            fields.expectDone("");
            f(atv, shortName, value);
        }
    }
}

DistinguishedName parseName(const der::Element& name, const std::string& what)
{
    DistinguishedName dn;
    dn.der = name.bytes();
    walkName(name, what, [&](const der::Element&, const std::string& type, const std::string& value) {
        dn.attributes.emplace_back(type, value);
    });
    return dn;
}

// One der::Reader over an extension's value, which must be exactly one element.
der::Element extensionBody(const Certificate::Extension& ext, std::uint8_t tag)
{
    der::Reader r(ext.value, "extension " + ext.name);
    const der::Element e = r.read(tag, "");
    r.expectDone("");
    return e;
}

struct BasicConstraintsValue {
    bool ca = false;
    std::optional<int> pathLength;
};

BasicConstraintsValue decodeBasicConstraints(const Certificate::Extension& ext)
{
    // RFC 5280 §4.2.1.9: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
    const der::Element seq = extensionBody(ext, der::Sequence);
    der::Reader r(seq, "basicConstraints");
    BasicConstraintsValue v;
    if (auto ca = r.readOptional(der::Boolean, "cA"))
        v.ca = der::boolean(*ca, "basicConstraints.cA");
    if (auto len = r.readOptional(der::Integer, "pathLenConstraint"))
        v.pathLength = static_cast<int>(der::smallUnsigned(*len, 1000000, "basicConstraints.pathLenConstraint"));
    r.expectDone("");
    return v;
}

std::uint16_t decodeKeyUsage(const Certificate::Extension& ext)
{
    // RFC 5280 §4.2.1.3: a named BIT STRING; bit n is the n-th bit from the most significant of the first octet.
    const der::BitStringValue bits = der::bitString(extensionBody(ext, der::BitString), "keyUsage");
    std::uint16_t value = 0;
    for (std::size_t i = 0; i < 9 && i / 8 < bits.bytes.size(); ++i)
        if (bits.bytes[i / 8] & (0x80 >> (i % 8)))
            value |= static_cast<std::uint16_t>(1u << i);
    return value;
}

std::vector<std::string> decodeExtendedKeyUsage(const Certificate::Extension& ext)
{
    // RFC 5280 §4.2.1.12: SEQUENCE SIZE (1..MAX) OF KeyPurposeId
    der::Reader r(extensionBody(ext, der::Sequence), "extendedKeyUsage");
    std::vector<std::string> purposes;
    while (!r.done())
        purposes.push_back(
            oid::name(der::objectIdentifier(r.read(der::ObjectIdentifier, "KeyPurposeId"), "extendedKeyUsage")));
    if (purposes.empty())
        r.fail("", "extendedKeyUsage needs at least one purpose");
    return purposes;
}

struct GeneralName {
    std::string kind; // "DNS", "IP", "email", "URI", "dirName", "othername", "RID"
    std::string value;
    der::Element element;
};

std::vector<GeneralName> decodeSubjectAltName(const Certificate::Extension& ext, std::size_t valueOffset)
{
    // RFC 5280 §4.2.1.6: GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (context-tagged CHOICE).
    der::Reader outer(ext.value, "subjectAltName", valueOffset);
    const der::Element seq = outer.read(der::Sequence, "");
    outer.expectDone("");
    der::Reader r(seq, "subjectAltName");
    std::vector<GeneralName> names;
    while (!r.done()) {
        const der::Element e = r.read("GeneralName");
        GeneralName n{"", "", e};
        switch (e.tag) {
        case der::contextTag(2, false): // dNSName IA5String
            n.kind = "DNS";
            n.value = der::text(der::Element{der::Ia5String, e.whole, e.contents, e.offset}, "subjectAltName dNSName");
            break;
        case der::contextTag(7, false): // iPAddress OCTET STRING, 4 or 16 octets
            if (e.contents.size() != 4 && e.contents.size() != 16)
                r.fail("iPAddress", "must be 4 or 16 bytes, not " + std::to_string(e.contents.size()));
            n.kind = "IP";
            n.value = formatIpAddress(e.contents);
            break;
        case der::contextTag(1, false):
            n.kind = "email";
            n.value =
                der::text(der::Element{der::Ia5String, e.whole, e.contents, e.offset}, "subjectAltName rfc822Name");
            break;
        case der::contextTag(6, false):
            n.kind = "URI";
            n.value = der::text(der::Element{der::Ia5String, e.whole, e.contents, e.offset}, "subjectAltName URI");
            break;
        case der::contextTag(0, true):
            n.kind = "othername", n.value = preview(e.contents, 16);
            break;
        case der::contextTag(3, true):
            n.kind = "x400Address", n.value = preview(e.contents, 16);
            break;
        case der::contextTag(4, true):
            n.kind = "dirName", n.value = preview(e.contents, 16);
            break;
        case der::contextTag(5, true):
            n.kind = "ediPartyName", n.value = preview(e.contents, 16);
            break;
        case der::contextTag(8, false):
            n.kind = "RID", n.value = preview(e.contents, 16);
            break;
        default:
            r.fail("GeneralName", "unknown choice " + der::tagName(e.tag));
        }
        names.push_back(std::move(n));
    }
    if (names.empty())
        r.fail("", "subjectAltName needs at least one name");
    return names;
}

Bytes decodeSubjectKeyId(const Certificate::Extension& ext)
{
    const der::Element e = extensionBody(ext, der::OctetString);
    return Bytes(e.contents.begin(), e.contents.end());
}

Bytes decodeAuthorityKeyId(const Certificate::Extension& ext)
{
    // RFC 5280 §4.2.1.1: SEQUENCE { keyIdentifier [0] OPTIONAL, authorityCertIssuer [1] OPTIONAL,
    //                               authorityCertSerialNumber [2] OPTIONAL }
    der::Reader r(extensionBody(ext, der::Sequence), "authorityKeyIdentifier");
    Bytes id;
    if (auto key = r.readOptional(der::contextTag(0, false), "keyIdentifier"))
        id.assign(key->contents.begin(), key->contents.end());
    r.readOptional(der::contextTag(1, true), "authorityCertIssuer");
    r.readOptional(der::contextTag(2, false), "authorityCertSerialNumber");
    r.expectDone("");
    return id;
}

// The display text of an extension's value, for describe().
std::string extensionDisplay(const Certificate::Extension& ext)
{
    if (ext.oid == oid::BasicConstraints) {
        const BasicConstraintsValue v = decodeBasicConstraints(ext);
        std::string s = v.ca ? "CA:TRUE" : "CA:FALSE";
        if (v.pathLength)
            s += ", pathlen:" + std::to_string(*v.pathLength);
        return s;
    }
    if (ext.oid == oid::KeyUsage)
        return keyUsageNames(decodeKeyUsage(ext));
    if (ext.oid == oid::ExtKeyUsage) {
        std::string s;
        for (const std::string& p : decodeExtendedKeyUsage(ext))
            s += (s.empty() ? "" : ", ") + p;
        return s;
    }
    if (ext.oid == oid::SubjectAltName) {
        std::string s;
        for (const GeneralName& n : decodeSubjectAltName(ext, 0))
            s += (s.empty() ? "" : ", ") + n.kind + ":" + n.value;
        return s;
    }
    if (ext.oid == oid::SubjectKeyIdentifier)
        return colonHex(decodeSubjectKeyId(ext));
    if (ext.oid == oid::AuthorityKeyIdentifier)
        return "keyid:" + colonHex(decodeAuthorityKeyId(ext));
    return preview(ext.value, 32);
}

std::string extensionMeaning(const Certificate::Extension& ext)
{
    if (ext.oid == oid::BasicConstraints)
        return "Whether this certificate may sign other certificates (a CA), and how many CAs may follow below it.";
    if (ext.oid == oid::KeyUsage)
        return "What the key may be used for: signing, encrypting keys, signing certificates, ...";
    if (ext.oid == oid::ExtKeyUsage)
        return "Which applications may rely on the key, e.g. TLS server or TLS client authentication.";
    if (ext.oid == oid::SubjectAltName)
        return "The host names and IP addresses the certificate is good for; a TLS client checks the server name here.";
    if (ext.oid == oid::SubjectKeyIdentifier)
        return "A short fingerprint of this certificate's key, so certificates it signs can point back to it.";
    if (ext.oid == oid::AuthorityKeyIdentifier)
        return "The fingerprint of the issuer's key, to pick the right issuer certificate when building a chain.";
    return ext.critical ? "An extension HandshakeLab does not interpret; it is critical, so a verifier that does not "
                          "understand it must reject the certificate."
                        : "An extension HandshakeLab does not interpret; not critical, so it may be ignored.";
}

std::string attributeMeaning(const std::string& shortName)
{
    if (shortName == "CN")
        return "Common name: a person, a CA, or (in old certificates) the server's host name.";
    if (shortName == "O")
        return "Organization.";
    if (shortName == "OU")
        return "Organizational unit.";
    if (shortName == "C")
        return "Country, two letters.";
    if (shortName == "L")
        return "Locality (city).";
    if (shortName == "ST")
        return "State or province.";
    return "A name attribute.";
}

Field makeField(std::string name, std::string value, std::string meaning, const der::Element& e)
{
    return Field{std::move(name), std::move(value), std::move(meaning), e.offset, e.whole.size(), {}};
}

Field nameField(const std::string& fieldName, const der::Element& e, const std::string& meaning)
{
    DistinguishedName dn;
    Field f = makeField(fieldName, "", meaning, e);
    walkName(e, fieldName, [&](const der::Element& atv, const std::string& type, const std::string& value) {
        dn.attributes.emplace_back(type, value);
        f.children.push_back(makeField(type, value, attributeMeaning(type), atv));
    });
    f.value = dn.toString();
    return f;
}

Certificate parseCertificate(ByteView input)
{
    Certificate c;
    der::Reader top(input, "Certificate");
    const der::Element certEl = top.read(der::Sequence, "");
    top.expectDone("after the certificate");
    der::Reader cert(certEl, "Certificate");
    const der::Element tbsEl = cert.read(der::Sequence, "tbsCertificate");
    const der::Element sigAlgEl = cert.read(der::Sequence, "signatureAlgorithm");
    const der::Element sigEl = cert.read(der::BitString, "signatureValue");
    cert.expectDone("");

    c.der = certEl.bytes();
    c.tbsDer = tbsEl.bytes();
    const AlgorithmId outerAlg = readAlgorithm(sigAlgEl, "signatureAlgorithm");
    c.signatureAlgorithmOid = outerAlg.oid;
    c.signatureAlgorithm = oid::name(outerAlg.oid);
    c.signature = der::octetAlignedBitString(sigEl, "signatureValue");

    der::Reader tbs(tbsEl, "tbsCertificate");
    // RFC 5280 §4.1.2.1: version [0] EXPLICIT, DEFAULT v1.
    c.version = 1;
    if (auto v = tbs.readOptional(der::contextTag(0, true), "version")) {
        der::Reader vr(*v, "tbsCertificate.version");
        c.version = static_cast<int>(der::smallUnsigned(vr.read(der::Integer, "version"), 2, "version")) + 1;
        vr.expectDone("");
    }
    c.serial = der::integerContents(tbs.read(der::Integer, "serialNumber"), "serialNumber");
    const AlgorithmId innerAlg = readAlgorithm(tbs.read(der::Sequence, "signature"), "tbsCertificate.signature");
    // RFC 5280 §4.1.1.2: signatureAlgorithm MUST be the same as tbsCertificate.signature; otherwise an attacker
    // could change the outer (unsigned) one.
    if (!std::equal(innerAlg.whole.begin(), innerAlg.whole.end(), outerAlg.whole.begin(), outerAlg.whole.end()))
        bad("tbsCertificate.signature (" + oid::name(innerAlg.oid) + ") differs from signatureAlgorithm (" +
            c.signatureAlgorithm + "), RFC 5280 §4.1.1.2");
    const der::Element issuerEl = tbs.read(der::Sequence, "issuer");
    c.issuer = parseName(issuerEl, "issuer");
    // RFC 5280 §4.1.2.4: the issuer field MUST contain a non-empty distinguished name.
    if (c.issuer.attributes.empty())
        bad("the issuer name is empty (RFC 5280 §4.1.2.4)");
    {
        der::Reader validity(tbs.read(der::Sequence, "validity"), "tbsCertificate.validity");
        c.notBefore = der::time(validity.read("notBefore"), "validity.notBefore");
        c.notAfter = der::time(validity.read("notAfter"), "validity.notAfter");
        validity.expectDone("");
    }
    c.subject = parseName(tbs.read(der::Sequence, "subject"), "subject");
    const der::Element spki = tbs.read(der::Sequence, "subjectPublicKeyInfo");
    try {
        c.publicKey = PublicKey::fromSubjectPublicKeyInfo(spki.whole);
    } catch (const TlsError& e) {
        throw TlsError(e.alert(), std::string("certificate: ") + e.what());
    }
    // RFC 5280 §4.1.2.8: unique identifiers only in v2 and v3.
    for (int n : {1, 2})
        if (tbs.readOptional(der::contextTag(n, false), n == 1 ? "issuerUniqueID" : "subjectUniqueID") && c.version < 2)
            bad("a unique identifier in a version 1 certificate (RFC 5280 §4.1.2.8)");
    if (auto extsWrapper = tbs.readOptional(der::contextTag(3, true), "extensions")) {
        // RFC 5280 §4.1.2.9: extensions only in v3, SEQUENCE SIZE (1..MAX), each type at most once.
        if (c.version != 3)
            bad("extensions in a version " + std::to_string(c.version) + " certificate (RFC 5280 §4.1.2.9)");
        der::Reader wrapper(*extsWrapper, "tbsCertificate.extensions");
        const der::Element list = wrapper.read(der::Sequence, "");
        wrapper.expectDone("");
        der::Reader exts(list, "tbsCertificate.extensions");
        if (exts.done())
            bad("the extensions field is present but empty (RFC 5280 §4.1)");
        std::set<std::string> seen;
        while (!exts.done()) {
            der::Reader fields(exts.read(der::Sequence, "Extension"), "extension");
            Certificate::Extension ext;
            ext.oid = der::objectIdentifier(fields.read(der::ObjectIdentifier, "extnID"), "extnID");
            ext.name = oid::name(ext.oid);
            if (auto critical = fields.readOptional(der::Boolean, "critical"))
                ext.critical = der::boolean(*critical, ext.name + ".critical");
            const der::Element value = fields.read(der::OctetString, "extnValue");
            fields.expectDone("");
            ext.value.assign(value.contents.begin(), value.contents.end());
            if (!seen.insert(ext.oid).second)
                bad("extension " + ext.name + " appears twice (RFC 5280 §4.2)");
            c.extensions.push_back(std::move(ext));
        }
    }
    tbs.expectDone("");

    for (const Certificate::Extension& ext : c.extensions) {
        if (ext.oid == oid::BasicConstraints) {
            const BasicConstraintsValue v = decodeBasicConstraints(ext);
            c.basicConstraintsCa = v.ca;
            c.pathLength = v.pathLength;
        } else if (ext.oid == oid::KeyUsage) {
            c.keyUsage = decodeKeyUsage(ext);
        } else if (ext.oid == oid::ExtKeyUsage) {
            c.extendedKeyUsage = decodeExtendedKeyUsage(ext);
        } else if (ext.oid == oid::SubjectAltName) {
            for (const GeneralName& n : decodeSubjectAltName(ext, 0)) {
                if (n.kind == "DNS")
                    c.dnsNames.push_back(n.value);
                else if (n.kind == "IP")
                    c.ipAddresses.push_back(n.value);
            }
        } else if (ext.oid == oid::SubjectKeyIdentifier) {
            c.subjectKeyId = decodeSubjectKeyId(ext);
        } else if (ext.oid == oid::AuthorityKeyIdentifier) {
            c.authorityKeyId = decodeAuthorityKeyId(ext);
        }
    }
    return c;
}

} // namespace

std::string keyUsageNames(std::uint16_t bits)
{
    static constexpr const char* names[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                            "dataEncipherment", "keyAgreement",   "keyCertSign",
                                            "cRLSign",          "encipherOnly",   "decipherOnly"};
    std::string out;
    for (int i = 0; i < 9; ++i)
        if (bits & (1u << i))
            out += (out.empty() ? "" : ", ") + std::string(names[i]);
    return out.empty() ? "(none)" : out;
}

std::string DistinguishedName::toString() const
{
    std::string out;
    for (auto it = attributes.rbegin(); it != attributes.rend(); ++it)
        out += (out.empty() ? "" : ", ") + it->first + "=" + escapeDnValue(it->second);
    return out;
}

std::string DistinguishedName::value(std::string_view shortName) const
{
    for (const auto& [type, v] : attributes)
        if (type == shortName)
            return v;
    return {};
}

DistinguishedName parseDistinguishedName(ByteView der, const std::string& what)
{
    der::Reader r(der, what);
    const DistinguishedName name = parseName(r.read(der::Sequence, ""), what);
    r.expectDone("");
    return name;
}

std::string formatTime(std::int64_t unixSeconds)
{
    const der::CivilTime t = der::civilFromUnix(unixSeconds);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d UTC", t.year, t.month, t.day, t.hour, t.minute,
                  t.second);
    return buf;
}

Certificate Certificate::parse(ByteView der)
{
    try {
        return parseCertificate(der);
    } catch (const der::Error& e) {
        throw TlsError(AlertDescription::BadCertificate, std::string("certificate: ") + e.what());
    }
}

const Certificate::Extension* Certificate::findExtension(std::string_view oidText) const
{
    for (const Extension& e : extensions)
        if (e.oid == oidText)
            return &e;
    return nullptr;
}

std::vector<Field> Certificate::describe(std::size_t baseOffset) const
{
    std::vector<Field> out;
    if (der.empty())
        return out;
    try {
        der::Reader top(der, "Certificate", baseOffset);
        der::Reader cert(top.read(der::Sequence, ""), "Certificate");
        const der::Element tbsEl = cert.read(der::Sequence, "tbsCertificate");
        const der::Element sigAlgEl = cert.read(der::Sequence, "signatureAlgorithm");
        const der::Element sigEl = cert.read(der::BitString, "signatureValue");

        Field tbsField = makeField("tbsCertificate", std::to_string(tbsDer.size()) + " bytes, signed by the issuer",
                                   "The part the issuer signs: everything about the subject and its key.", tbsEl);
        der::Reader tbs(tbsEl, "tbsCertificate");
        if (auto v = tbs.readOptional(der::contextTag(0, true), "version"))
            tbsField.children.push_back(makeField("version", "v" + std::to_string(version),
                                                  "Format version; v3 is the one that allows extensions.", *v));
        tbsField.children.push_back(makeField(
            "serialNumber", colonHex(serial),
            "A number the issuer picked for this certificate, unique among all it signs; revocation lists use it.",
            tbs.read(der::Integer, "serialNumber")));
        tbsField.children.push_back(makeField("signature", signatureAlgorithm + " (" + signatureAlgorithmOid + ")",
                                              "The algorithm the issuer signs with, inside the signed part so that "
                                              "nobody can swap it.",
                                              tbs.read(der::Sequence, "signature")));
        tbsField.children.push_back(nameField("issuer", tbs.read(der::Sequence, "issuer"),
                                              "Who vouches for this certificate: the subject of the CA certificate "
                                              "whose key signed it."));
        {
            const der::Element validityEl = tbs.read(der::Sequence, "validity");
            der::Reader validity(validityEl, "validity");
            Field f = makeField("validity", formatTime(notBefore) + " to " + formatTime(notAfter),
                                "The certificate may only be relied on between these two moments.", validityEl);
            f.children.push_back(makeField("notBefore", formatTime(notBefore), "Not valid before this time.",
                                           validity.read("notBefore")));
            f.children.push_back(
                makeField("notAfter", formatTime(notAfter), "Expired after this time.", validity.read("notAfter")));
            tbsField.children.push_back(std::move(f));
        }
        tbsField.children.push_back(nameField("subject", tbs.read(der::Sequence, "subject"),
                                              "Whom the certificate is about; a TLS server's host name is checked "
                                              "against subjectAltName."));
        {
            const der::Element spkiEl = tbs.read(der::Sequence, "subjectPublicKeyInfo");
            der::Reader spki(spkiEl, "subjectPublicKeyInfo");
            Field f = makeField("subjectPublicKeyInfo", publicKey.description(),
                                "The subject's public key: the peer proves it holds the matching private key during "
                                "the handshake.",
                                spkiEl);
            const der::Element algEl = spki.read(der::Sequence, "algorithm");
            f.children.push_back(makeField("algorithm", oid::name(readAlgorithm(algEl, "algorithm").oid),
                                           "The kind of key (RSA, or elliptic curve with its curve).", algEl));
            const der::Element keyEl = spki.read(der::BitString, "subjectPublicKey");
            f.children.push_back(makeField("subjectPublicKey", preview(keyEl.contents.subspan(1), 24),
                                           publicKey.type() == KeyType::Rsa ? "The RSA modulus and public exponent."
                                                                            : "The curve point 04 || x || y.",
                                           keyEl));
            tbsField.children.push_back(std::move(f));
        }
        for (int n : {1, 2})
            if (auto id = tbs.readOptional(der::contextTag(n, false), "uniqueID"))
                tbsField.children.push_back(makeField(n == 1 ? "issuerUniqueID" : "subjectUniqueID",
                                                      preview(id->contents, 16),
                                                      "An obsolete v2 field; RFC 5280 says not to generate it.", *id));
        if (auto extsWrapper = tbs.readOptional(der::contextTag(3, true), "extensions")) {
            Field f = makeField("extensions", std::to_string(extensions.size()) + " extensions",
                                "Extra facts and rules (v3): whether it is a CA, what the key may do, which names "
                                "it covers.",
                                *extsWrapper);
            der::Reader wrapper(*extsWrapper, "extensions");
            der::Reader exts(wrapper.read(der::Sequence, ""), "extensions");
            std::size_t i = 0;
            while (!exts.done() && i < extensions.size()) {
                const Extension& ext = extensions[i++];
                const der::Element extEl = exts.read(der::Sequence, "Extension");
                der::Reader fields(extEl, "Extension");
                Field e = makeField(ext.name, (ext.critical ? "critical, " : "") + extensionDisplay(ext),
                                    extensionMeaning(ext), extEl);
                e.children.push_back(makeField("extnID", ext.oid, "Which extension this is.",
                                               fields.read(der::ObjectIdentifier, "extnID")));
                if (auto critical = fields.readOptional(der::Boolean, "critical"))
                    e.children.push_back(makeField("critical", ext.critical ? "TRUE" : "FALSE",
                                                   "A verifier that does not understand a critical extension must "
                                                   "reject the certificate.",
                                                   *critical));
                const der::Element valueEl = fields.read(der::OctetString, "extnValue");
                Field value = makeField("extnValue", preview(ext.value, 32),
                                        "The extension's own DER, wrapped in an OCTET STRING.", valueEl);
                if (ext.oid == oid::SubjectAltName)
                    for (const GeneralName& n : decodeSubjectAltName(ext, valueEl.contentsOffset()))
                        value.children.push_back(makeField(n.kind, n.value,
                                                           n.kind == "DNS"  ? "A host name the certificate covers."
                                                           : n.kind == "IP" ? "An IP address the certificate covers."
                                                                            : "Another kind of name.",
                                                           n.element));
                e.children.push_back(std::move(value));
                f.children.push_back(std::move(e));
            }
            tbsField.children.push_back(std::move(f));
        }
        out.push_back(std::move(tbsField));
        out.push_back(makeField("signatureAlgorithm", signatureAlgorithm + " (" + signatureAlgorithmOid + ")",
                                "How the issuer signed: a hash of tbsCertificate, signed with the issuer's private "
                                "key.",
                                sigAlgEl));
        out.push_back(makeField("signatureValue", preview(signature, 24),
                                "The issuer's signature over tbsCertificate; anyone with the issuer's public key can "
                                "check it.",
                                sigEl));
    } catch (const std::exception&) {
        // `der` was checked by parse(); a hand-edited Certificate only loses the rest of its tree.
    }
    return out;
}

std::vector<Certificate> parseCertificatesPem(std::string_view pemText)
{
    std::vector<Certificate> certs;
    for (const Bytes& der : pemDecodeAll(pemText, "CERTIFICATE"))
        certs.push_back(Certificate::parse(der));
    return certs;
}

std::optional<Bytes> parseIpAddress(std::string_view text)
{
    if (text.find(':') == std::string_view::npos) {
        // Dotted quad, four decimal octets without leading zeros.
        Bytes out;
        std::size_t at = 0;
        for (int part = 0; part < 4; ++part) {
            std::size_t end = at;
            while (end < text.size() && text[end] >= '0' && text[end] <= '9')
                ++end;
            if (end == at || end - at > 3 || (end - at > 1 && text[at] == '0'))
                return std::nullopt;
            const int v = std::stoi(std::string(text.substr(at, end - at)));
            if (v > 255)
                return std::nullopt;
            out.push_back(static_cast<std::uint8_t>(v));
            if (part < 3) {
                if (end >= text.size() || text[end] != '.')
                    return std::nullopt;
                at = end + 1;
            } else if (end != text.size()) {
                return std::nullopt;
            }
        }
        return out;
    }
    // RFC 4291 §2.2: eight 16-bit groups in hex, one "::" standing for a run of zero groups.
    std::vector<int> head, tail;
    std::vector<int>* groups = &head;
    bool compressed = false;
    std::size_t at = 0;
    if (text.substr(0, 2) == "::") {
        compressed = true;
        groups = &tail;
        at = 2;
    }
    while (at < text.size()) {
        std::size_t end = at;
        while (end < text.size() && std::isxdigit(static_cast<unsigned char>(text[end])))
            ++end;
        if (end == at || end - at > 4)
            return std::nullopt;
        groups->push_back(std::stoi(std::string(text.substr(at, end - at)), nullptr, 16));
        if (end == text.size())
            break;
        if (text[end] != ':')
            return std::nullopt;
        if (end + 1 < text.size() && text[end + 1] == ':') {
            if (compressed)
                return std::nullopt;
            compressed = true;
            groups = &tail;
            at = end + 2;
        } else {
            at = end + 1;
            if (at == text.size())
                return std::nullopt;
        }
    }
    const std::size_t count = head.size() + tail.size();
    if ((compressed && count > 7) || (!compressed && count != 8))
        return std::nullopt;
    std::vector<int> all = head;
    all.resize(8 - tail.size(), 0);
    all.insert(all.end(), tail.begin(), tail.end());
    Bytes out;
    for (int g : all) {
        out.push_back(static_cast<std::uint8_t>(g >> 8));
        out.push_back(static_cast<std::uint8_t>(g & 0xff));
    }
    return out;
}

std::string formatIpAddress(ByteView a)
{
    if (a.size() == 4)
        return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." +
               std::to_string(a[3]);
    if (a.size() != 16)
        return toHex(a);
    // RFC 5952 §4: lower-case hex without leading zeros; the longest run of two or more zero groups becomes "::".
    int groups[8];
    for (int i = 0; i < 8; ++i)
        groups[i] = a[2 * i] << 8 | a[2 * i + 1];
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
        if (groups[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && groups[j] == 0)
            ++j;
        if (j - i > bestLen && j - i >= 2)
            bestStart = i, bestLen = j - i;
        i = j;
    }
    std::string out;
    char buf[8];
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            out += "::";
            i += bestLen - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':')
            out += ':';
        std::snprintf(buf, sizeof buf, "%x", groups[i]);
        out += buf;
    }
    return out;
}

} // namespace hl
