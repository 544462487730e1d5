// The explanation panel's words for every trace event and for a whole run, made concrete from the trace.
#include "trace/explain.h"

#include "crypto/cipher_suite.h"
#include "flow/flow.h"
#include "session/scenario.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

namespace hl {

namespace {

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

std::string sideTitle(Side s)
{
    return s == Side::Client ? "Client" : "Server";
}
std::string side(Side s)
{
    return sideName(s);
}

// "ServerKeyExchange (server → client)"
std::string directed(const std::string& name, Side from)
{
    return name + " (" + side(from) + " → " + side(peerOf(from)) + ")";
}

std::string capitalized(std::string s)
{
    if (!s.empty())
        s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

// A sentence from a fragment: capital first letter, full stop at the end (unless it already ends a sentence).
std::string sentence(std::string s)
{
    s = capitalized(std::move(s));
    if (!s.empty() && s.back() != '.' && s.back() != '!' && s.back() != '?')
        s += '.';
    return s;
}

std::string joined(const std::vector<std::string>& parts, const std::string& last = " and ")
{
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0)
            out += i + 1 == parts.size() ? last : ", ";
        out += parts[i];
    }
    return out;
}

std::string bytesText(std::size_t n)
{
    return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}
// "32-byte", for a size in front of a noun.
std::string byteSized(std::size_t n)
{
    return std::to_string(n) + "-byte";
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}
bool contains(std::string_view s, std::string_view part)
{
    return s.find(part) != std::string_view::npos;
}

// "x25519 (29)" -> "x25519"
std::string beforeParenthesis(const std::string& v)
{
    const std::size_t p = v.find(" (");
    return p == std::string::npos ? v : v.substr(0, p);
}

// The common name of a subject such as "CN=localhost, O=HandshakeLab Demo"; the whole subject when there is none.
std::string commonName(const std::string& subject)
{
    const std::size_t at = subject.find("CN=");
    if (at == std::string::npos)
        return subject;
    const std::size_t end = subject.find(", ", at);
    return subject.substr(at + 3, end == std::string::npos ? std::string::npos : end - at - 3);
}

bool anyFieldValue(const std::vector<Field>& fields, std::string_view value)
{
    for (const Field& f : fields)
        if (f.value == value || anyFieldValue(f.children, value))
            return true;
    return false;
}

bool isHandshake(const MessageInfo& m, HandshakeType t)
{
    return m.handshakeType == static_cast<std::uint8_t>(t);
}

// The first line of application data when it is printable text, for a quote in the explanation.
std::optional<std::string> firstLine(const Bytes& data)
{
    std::string line;
    for (std::uint8_t b : data) {
        if (b == '\r' || b == '\n')
            break;
        if (b < 0x20 || b > 0x7e)
            return std::nullopt;
        line += static_cast<char>(b);
        if (line.size() >= 60) {
            line += "…";
            break;
        }
    }
    if (line.empty())
        return std::nullopt;
    return line;
}

template <typename T> const T* eventAt(const Trace& t, std::size_t i)
{
    return i < t.size() ? std::get_if<T>(&t.events()[i]) : nullptr;
}

// ---------------------------------------------------------------------------------------------------------------
// What the trace says about this run as a whole

struct RunFacts {
    const CipherSuite* suite = nullptr; // the suite the server chose, when a ServerHello was seen
    std::string group;                  // ServerKeyExchange summary: "x25519", "2048-bit DH"
    std::string serverSignature;        // signature scheme of the ServerKeyExchange
    std::string host;                   // server_name the client asked for
    bool clientAuthRequested = false;
    std::optional<bool> clientCertificateSent;
    bool extendedMasterSecret = false;
    const Negotiation* negotiation = nullptr; // the first handshake's version and suite choice
    ProtocolVersion version = 0;              // the negotiated version, when known
};

RunFacts gatherFacts(const Trace& trace)
{
    RunFacts f;
    f.suite = findCipherSuite(trace.cipherSuite);
    if (!trace.negotiations.empty())
        f.negotiation = &trace.negotiations.front();
    f.version = trace.version ? trace.version : (f.negotiation ? f.negotiation->version : ProtocolVersion{0});
    for (const TraceEvent& e : trace.events()) {
        if (const auto* s = std::get_if<SecretEvent>(&e)) {
            f.extendedMasterSecret = f.extendedMasterSecret || s->name == "session_hash";
            continue;
        }
        const auto* r = std::get_if<RecordEvent>(&e);
        if (!r || r->contentType != static_cast<std::uint8_t>(ContentType::Handshake))
            continue;
        for (const MessageInfo& m : r->messages) {
            if (isHandshake(m, HandshakeType::ClientHello) && f.host.empty()) {
                if (const Field* h = findField(m.fields, "host_name"))
                    f.host = h->value;
            } else if (isHandshake(m, HandshakeType::ServerHello) && !f.suite) {
                f.suite = findCipherSuite(std::string_view(m.summary));
            } else if (isHandshake(m, HandshakeType::ServerKeyExchange)) {
                if (m.summary != "malformed")
                    f.group = m.summary;
                if (const Field* sig = findField(m.fields, "signed_params"))
                    f.serverSignature = sig->value;
            } else if (isHandshake(m, HandshakeType::CertificateRequest)) {
                f.clientAuthRequested = true;
            } else if (isHandshake(m, HandshakeType::Certificate) && r->from == Side::Client) {
                f.clientCertificateSent = m.summary != "no certificate";
            }
        }
    }
    return f;
}

// ---------------------------------------------------------------------------------------------------------------
// Suite facts, read from the suite table (crypto/cipher_suite.h)

bool isGcm(const CipherSuite& s)
{
    return s.cipher == BulkCipher::Aes128Gcm || s.cipher == BulkCipher::Aes256Gcm;
}
bool isCbc(const CipherSuite& s)
{
    return s.cipher == BulkCipher::Aes128Cbc || s.cipher == BulkCipher::Aes256Cbc;
}
bool isChaCha(const CipherSuite& s)
{
    return s.cipher == BulkCipher::ChaCha20Poly1305;
}

std::string cipherName(const CipherSuite& s)
{
    return bulkCipherName(s.cipher);
}

std::string macName(const CipherSuite& s)
{
    switch (s.mac) {
    case MacAlgorithm::HmacMd5:
        return "HMAC-MD5";
    case MacAlgorithm::HmacSha1:
        return "HMAC-SHA-1";
    case MacAlgorithm::HmacSha256:
        return "HMAC-SHA-256";
    case MacAlgorithm::HmacSha384:
        return "HMAC-SHA-384";
    case MacAlgorithm::Aead:
        break;
    }
    return "the AEAD's own tag";
}

// "AES-128-GCM", "AES-128-CBC with HMAC-SHA-1"
std::string protectionName(const CipherSuite& s)
{
    return s.isAead() ? cipherName(s) : cipherName(s) + " with " + macName(s);
}

std::string signerName(const CipherSuite& s)
{
    return s.serverKeyIsEcdsa() ? "ECDSA" : "RSA";
}

// One phrase for the key exchange, with the group when the trace names it.
std::string keyExchangePhrase(const CipherSuite& s, const std::string& group)
{
    const std::string on = group.empty() ? std::string() : " on " + group;
    switch (s.keyExchange) {
    case KeyExchangeKind::Rsa:
        return "RSA key transport (the client encrypts the pre-master secret to the server's RSA key)";
    case KeyExchangeKind::DheRsa:
        return "ephemeral finite-field Diffie-Hellman" + on + ", signed with the server's RSA key";
    case KeyExchangeKind::EcdheRsa:
    case KeyExchangeKind::EcdheEcdsa:
        return "ephemeral elliptic-curve Diffie-Hellman" + on + ", signed with the server's " + signerName(s) + " key";
    }
    return "?";
}

std::string forwardSecrecyText(const CipherSuite& s)
{
    if (s.isEphemeral())
        return "This run has forward secrecy: both (EC)DH private keys are used for this handshake only and then "
               "forgotten, so someone who later steals the server's certificate key still cannot decrypt a "
               "recording of it.";
    return "This run has no forward secrecy: anyone who ever obtains the server's RSA private key can decrypt the "
           "ClientKeyExchange of a recorded session, recover its pre-master secret and read everything.";
}

// How a record is protected with this suite, in one or two sentences.
std::string recordProtectionText(const CipherSuite& s)
{
    if (isGcm(s))
        return cipherName(s) + " is an AEAD: one operation encrypts the content and computes a 16-byte tag over it "
                               "and the record header. The nonce is the 4-byte write IV followed by an 8-byte "
                               "explicit part sent in front of each record.";
    if (isChaCha(s))
        return "ChaCha20-Poly1305 is an AEAD: one operation encrypts the content and computes a 16-byte tag over it "
               "and the record header. Its nonce is the 12-byte write IV XORed with the record's sequence number, "
               "so nothing but the tag is added on the wire.";
    return cipherName(s) + " with " + macName(s) +
           " is MAC-then-encrypt: an HMAC over the sequence number, header and content is appended, then "
           "padding, and the whole is CBC-encrypted under a fresh random 16-byte IV sent in front of the record.";
}

// What protection adds to a record's content, for the wire-size sentence.
std::string overheadParts(const CipherSuite* s)
{
    if (!s)
        return "protection";
    if (isGcm(*s))
        return "explicit nonce (8) and tag (16)";
    if (isChaCha(*s))
        return "tag (16)";
    return "IV (16), " + macName(*s) + " and padding";
}

std::string recordProtectionRfc(const CipherSuite& s)
{
    if (isGcm(s))
        return "RFC 5246 §6.2.3.3; RFC 5288 §3";
    if (isChaCha(s))
        return "RFC 5246 §6.2.3.3; RFC 7905 §2";
    return "RFC 5246 §6.2.3.1, §6.2.3.2";
}

std::string cipherRealWorld(const CipherSuite& s)
{
    if (isGcm(s))
        return "AES-GCM carries most HTTPS traffic today; processors with AES instructions make it very fast.";
    if (isChaCha(s))
        return "ChaCha20-Poly1305 is fast in plain software, so phones and small devices without AES instructions "
               "prefer it; TLS 1.3 kept it.";
    return "MAC-then-encrypt with CBC led to a decade of padding-oracle attacks (Vaudenay 2002, Lucky Thirteen "
           "2013, POODLE against SSL 3.0). The encrypt_then_mac extension (RFC 7366) or an AEAD suite avoids them, "
           "and current guidance prefers AEAD suites.";
}

std::string suiteRfcs(const CipherSuite& s)
{
    std::vector<std::string> rfcs;
    if (isGcm(s) && !s.usesEcdhe())
        rfcs.push_back("RFC 5288");
    if (s.usesEcdhe())
        rfcs.push_back("RFC 8422");
    if (s.usesEcdhe() && (isGcm(s) || s.mac == MacAlgorithm::HmacSha256 || s.mac == MacAlgorithm::HmacSha384))
        rfcs.push_back("RFC 5289");
    if (isChaCha(s))
        rfcs.push_back("RFC 7905");
    if (s.keyExchange == KeyExchangeKind::DheRsa)
        rfcs.push_back("RFC 7919");
    return joined(rfcs, ", ");
}

// ---------------------------------------------------------------------------------------------------------------
// Alerts (RFC 5246 §7.2)

struct AlertText {
    std::string meaning;   // what the alert says
    std::string realWorld; // where it is met in practice; may be empty
    std::string rfc;
};

AlertText alertText(std::uint8_t description)
{
    switch (static_cast<AlertDescription>(description)) {
    case AlertDescription::CloseNotify:
        return {"the sender has finished and will send nothing more on this connection",
                "Many real programs simply close the TCP connection without close_notify; an HTTP client then has "
                "to rely on Content-Length to know the response arrived whole.",
                "RFC 5246 §7.2.1"};
    case AlertDescription::NoCertificate:
        return {"the client has no certificate to answer the server's CertificateRequest with (SSL 3.0 only; TLS "
                "sends an empty Certificate message instead)",
                "Only SSL 3.0 clients send it; TLS 1.0 retired the alert.", "RFC 6101 §5.4"};
    case AlertDescription::UnexpectedMessage:
        return {"a message arrived that is not allowed at this point of the handshake",
                "Stacks that were lax about message order fell to state-machine attacks (SKIP-TLS, FREAK, 2015), "
                "where a required message could be left out or a forbidden one slipped in.",
                "RFC 5246 §7.2.2"};
    case AlertDescription::BadRecordMac:
        return {"a protected record failed its integrity check, because it was altered, forged, or opened with the "
                "wrong keys",
                "On a real network this usually means an intermediary rewrote bytes, or the two sides derived "
                "different keys because of a bug.",
                "RFC 5246 §7.2.2"};
    case AlertDescription::RecordOverflow:
        return {"a record was longer than the protocol allows (2^14 bytes of content, plus at most 2048 for "
                "protection)",
                {},
                "RFC 5246 §7.2.2"};
    case AlertDescription::DecompressionFailure:
        return {"compressed content could not be decompressed",
                "TLS compression is disabled everywhere since the CRIME attack (2012).", "RFC 5246 §7.2.2"};
    case AlertDescription::HandshakeFailure:
        return {"the sender cannot accept any set of security parameters it was offered, for example no cipher "
                "suite in common or a required client certificate missing",
                "Typical causes: an old client meeting a server that allows only modern suites, or a server that "
                "insists on a client certificate the client does not have.",
                "RFC 5246 §7.2.2"};
    case AlertDescription::BadCertificate:
        return {"the certificate is corrupt or fails a check (OpenSSL, like this engine, uses this alert for a host "
                "name that does not match)",
                {},
                "RFC 5246 §7.2.2"};
    case AlertDescription::UnsupportedCertificate:
        return {
            "the certificate is of a kind, or allows key uses, that do not fit this purpose", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::CertificateRevoked:
        return {"the certificate was revoked by its issuer", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::CertificateExpired:
        return {"a certificate has expired or is not valid at this time", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::CertificateUnknown:
        return {"some other problem with the certificate made it unacceptable", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::IllegalParameter:
        return {"a field of a handshake message was out of range or contradicted another one, for example a "
                "choice the other side never offered",
                {},
                "RFC 5246 §7.2.2"};
    case AlertDescription::UnknownCa:
        return {"the certificate chain does not lead to a certification authority the receiver trusts",
                {},
                "RFC 5246 §7.2.2"};
    case AlertDescription::AccessDenied:
        return {"the certificate was fine, but the receiver's access control refuses this peer", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::DecodeError:
        return {"a message could not be decoded because a length or a field does not fit the format",
                {},
                "RFC 5246 §7.2.2"};
    case AlertDescription::DecryptError:
        return {"a cryptographic check of the handshake failed, such as a signature that does not verify or a "
                "Finished that does not match",
                {},
                "RFC 5246 §7.2.2"};
    case AlertDescription::ProtocolVersion:
        return {"the peer's protocol version is known but not supported",
                "Servers that have switched off TLS 1.0 and 1.1 answer old clients this way.", "RFC 5246 §7.2.2"};
    case AlertDescription::InsufficientSecurity:
        return {"the peer offered only parameters weaker than the sender requires", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::InternalError:
        return {
            "a fault inside the sender, unrelated to the peer, makes it impossible to go on", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::InappropriateFallback:
        return {"a client retried with a lower version than it supports, which is what a downgrade attack would "
                "cause",
                {},
                "RFC 7507 §2"};
    case AlertDescription::UserCanceled:
        return {"the handshake was cancelled for a reason unrelated to the protocol", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::NoRenegotiation:
        return {"the sender refuses to renegotiate; as a warning it leaves the connection open", {}, "RFC 5246 §7.2.2"};
    case AlertDescription::MissingExtension:
        return {"a required extension is missing (an alert defined for TLS 1.3)", {}, "RFC 8446 §6.2"};
    case AlertDescription::UnsupportedExtension:
        return {"a message carried an extension the receiver never asked for or cannot accept there",
                {},
                "RFC 5246 §7.2.2; RFC 5246 §7.4.1.4"};
    case AlertDescription::UnrecognizedName:
        return {"the server has nothing for the host name asked for in server_name", {}, "RFC 6066 §3"};
    case AlertDescription::BadCertificateStatusResponse:
        return {"the certificate status (a stapled OCSP response) the server sent cannot be trusted or is out of "
                "date, or the client demanded one and got none",
                {},
                "RFC 6066 §8"};
    case AlertDescription::NoApplicationProtocol:
        return {"client and server share no application protocol in ALPN", {}, "RFC 7301 §3.2"};
    }
    return {"an alert this program has no description for", {}, "RFC 5246 §7.2"};
}

std::string levelName(AlertLevel l)
{
    return l == AlertLevel::Warning ? "warning" : "fatal";
}

std::string alertWhy(AlertLevel level, std::uint8_t description)
{
    if (description == static_cast<std::uint8_t>(AlertDescription::CloseNotify))
        return "An explicit goodbye lets the receiver tell a real end of data from a connection cut short by an "
               "attacker, who could otherwise truncate a response unnoticed.";
    if (level == AlertLevel::Fatal)
        return "A fatal alert ends the connection at once: both sides must forget its keys and secrets and may "
               "not resume its session, so an attacker gains nothing by pushing a side into an error.";
    return "A warning reports a problem without ending the connection; the receiver decides whether to go on.";
}

// The failed certificate check, if the run has one.
const CertificateCheckEvent* failedCheck(const Trace& t)
{
    for (const TraceEvent& e : t.events())
        if (const auto* c = std::get_if<CertificateCheckEvent>(&e); c && !c->passed)
            return c;
    return nullptr;
}

// ---------------------------------------------------------------------------------------------------------------
// Certificate checks (x509/verify.cpp names them)

struct CheckText {
    std::string label; // for the title
    std::string why;
    std::string realWorld;
    std::string rfc;
};

CheckText checkText(const CertificateCheckEvent& c)
{
    const std::string& n = c.check;
    if (n == "validity")
        return {"the validity period",
                "A certificate vouches for a key only between notBefore and notAfter; outside that window the CA "
                "no longer stands behind it, and an old key may have leaked long ago.",
                "Expired certificates are a common cause of outages when renewal is forgotten, which is why ACME "
                "(Let's Encrypt) automates it. A client with a wrong clock sees the same error; Chrome shows "
                "NET::ERR_CERT_DATE_INVALID.",
                "RFC 5280 §4.1.2.5"};
    if (n == "critical extensions")
        return {"the critical extensions",
                "An issuer marks an extension critical when ignoring it would be unsafe; a verifier that does not "
                "understand one must reject the certificate rather than guess.",
                "Rare on the public web; a private CA with critical name constraints can trip an old verifier.",
                "RFC 5280 §4.2"};
    if (n == "keyUsage" && c.certificateIndex == 0)
        return {"keyUsage",
                "keyUsage limits what the key may do: digitalSignature to sign handshakes, keyEncipherment to "
                "receive an RSA-encrypted pre-master secret. A key meant for something else is refused.",
                {},
                "RFC 5280 §4.2.1.3"};
    if (n == "keyUsage")
        return {"keyUsage",
                "A certificate that issues other certificates needs keyCertSign; otherwise its key was never meant "
                "to vouch for anyone.",
                {},
                "RFC 5280 §4.2.1.3"};
    if (n == "extendedKeyUsage")
        return {"extendedKeyUsage",
                "extendedKeyUsage says what the certificate is for: serverAuth for a TLS server, clientAuth for a "
                "TLS client. It stops a certificate issued for e-mail, code signing or a client from posing as a "
                "server.",
                "Publicly trusted server certificates carry serverAuth; using a client or S/MIME certificate on a "
                "server fails here.",
                "RFC 5280 §4.2.1.12"};
    if (n == "hostname")
        return {"the host name",
                "Without this check any valid certificate would do, including one the attacker legitimately "
                "obtained for his own domain: the name binds the key to the site the client meant to reach.",
                "A very common certificate error: example.com versus www.example.com, or a server reached by its "
                "IP address. Modern browsers look only at subjectAltName and show NET::ERR_CERT_COMMON_NAME_INVALID "
                "(Chrome) on a mismatch.",
                "RFC 6125 §6; RFC 5280 §4.2.1.6"};
    if (n == "issuer name")
        return {"the issuer name",
                "Each certificate names its issuer; that name must be the subject of the next certificate up, or "
                "the chain does not link.",
                "Servers that send the wrong intermediate, for example after their CA changed intermediates, break "
                "here.",
                "RFC 5280 §6.1.3; RFC 5246 §7.4.2"};
    if (n == "signature")
        return {"the signature",
                "The issuer signs the certificate's contents; if the signature does not verify with the issuer's "
                "key, someone altered the certificate or forged it.",
                {},
                "RFC 5280 §6.1.3"};
    if (n == "basicConstraints")
        return {"basicConstraints",
                "Only a certificate marked CA:TRUE may issue certificates. Without this rule, anyone who owns an "
                "ordinary site certificate could sign a certificate for any other site.",
                "Exactly that happened in 2002: Internet Explorer ignored basicConstraints, and any site "
                "certificate could act as a CA.",
                "RFC 5280 §4.2.1.9"};
    if (n == "path length")
        return {"the path length",
                "pathLenConstraint limits how many intermediate CAs may sit below this one, so a CA can delegate "
                "issuing without allowing endless further delegation.",
                "Roots often give their issuing CAs a path length of 0: those may sign server certificates but no "
                "further CAs.",
                "RFC 5280 §4.2.1.9"};
    if (n == "trust anchor")
        return {"the trust anchor",
                "The chain must end at a certificate the verifier already trusts; otherwise anybody could make a "
                "self-signed CA and vouch for himself.",
                "Operating systems and browsers ship around 150 roots. Self-signed and private-CA certificates fail "
                "here unless their root is installed; company TLS-inspection proxies work by installing their own "
                "root. Chrome shows NET::ERR_CERT_AUTHORITY_INVALID.",
                "RFC 5280 §6.1"};
    if (n == "revocation")
        return {"revocation",
                "A certificate can outlive the trust in it: its key leaks, its owner leaves. The CA then lists its "
                "serial number on a signed certificate revocation list (CRL), and a verifier that fetched the list "
                "refuses the certificate even though every signature and date is right. Without a list for the "
                "issuer, a verifier that promised to check cannot say yes.",
                "Browsers mostly gave up on fetching CRLs during the handshake (too slow, and an attacker can block "
                "the download) in favour of OCSP stapling and lists pushed with updates (CRLSets, CRLite). Servers "
                "checking client certificates, VPNs and enterprise PKIs still load CRLs, as OpenSSL's -crl_check "
                "does.",
                "RFC 5280 §5, §6.3"};
    if (n == "CRL signature")
        return {"the revocation list's signature",
                "A revocation list is only as good as its signature: the certificate's own issuer must have signed "
                "it with a key allowed to sign CRLs, or anyone could publish a list that removes a revoked "
                "certificate or adds a good one.",
                {},
                "RFC 5280 §6.3.3 (f), (g)"};
    if (n == "CRL validity")
        return {"the revocation list's dates",
                "A CRL speaks for the time from thisUpdate to nextUpdate. After nextUpdate the CA has published a "
                "newer list that may name this certificate, so an old one cannot prove it is still good; an "
                "attacker who keeps replaying an old list would otherwise hide a revocation forever.",
                "A CRL distribution point that stops being refreshed makes every certificate of its CA fail this "
                "way; OpenSSL reports \"CRL has expired\" and sends certificate_expired.",
                "RFC 5280 §5.1.2.4, §5.1.2.5, §6.3.3 (a)"};
    if (n == "CRL extensions")
        return {"the revocation list's extensions",
                "A critical extension on a CRL (a partial list, a delta) changes what the list covers; a verifier "
                "that does not understand it cannot rely on the list.",
                {},
                "RFC 5280 §5.2"};
    if (n == "chain")
        return {"the chain",
                "Without a certificate there is nothing to verify, so nobody is authenticated.",
                {},
                "RFC 5246 §7.4.2"};
    if (n == "ServerKeyExchange signature")
        return {"the ServerKeyExchange signature",
                "The signature shows that the one-time key exchange parameters come from the owner of the "
                "certificate and were made for this handshake (both randoms are signed too), so a man in the "
                "middle cannot slip in his own.",
                {},
                "RFC 5246 §7.4.3; RFC 8422 §5.4"};
    if (n == "CertificateVerify")
        return {"CertificateVerify",
                "A certificate is public; only a signature made with its private key over this handshake shows "
                "that the client really owns it.",
                {},
                "RFC 5246 §7.4.8"};
    if (n == "verification")
        return {"nothing (verification off)",
                "Encryption without authentication protects only against passive listeners: a man in the middle "
                "simply presents his own certificate.",
                "curl -k, Python's verify=False and Go's InsecureSkipVerify do the same: common in test code, "
                "dangerous in production.",
                "RFC 5246 §7.4.2"};
    return {n, "Every check on the chain must pass before its key is trusted.", {}, "RFC 5280 §6"};
}

// ---------------------------------------------------------------------------------------------------------------
// Records

// The protection of the first protected record `from` sends after `index`.
std::string nextProtection(const Trace& t, std::size_t index, Side from)
{
    for (std::size_t i = index + 1; i < t.size(); ++i)
        if (const auto* r = eventAt<RecordEvent>(t, i); r && r->from == from && r->isProtected)
            return r->protection;
    return {};
}

// The first secret named `name` that `side` derived, if any.
const SecretEvent* findSecret(const Trace& t, Side s, std::string_view name)
{
    for (const TraceEvent& e : t.events())
        if (const auto* sec = std::get_if<SecretEvent>(&e); sec && sec->side == s && sec->name == name)
            return sec;
    return nullptr;
}

// The chain `receiver` got, the first one after `index`.
const CertificateChainEvent* chainReceivedBy(const Trace& t, std::size_t index, Side receiver)
{
    for (std::size_t i = index + 1; i < t.size(); ++i)
        if (const auto* c = eventAt<CertificateChainEvent>(t, i); c && c->side == receiver)
            return c;
    return nullptr;
}

const FlowStep* stepFor(Side sender, const MessageInfo& m, std::uint8_t contentType)
{
    const MessageId id{static_cast<ContentType>(contentType),
                       contentType == static_cast<std::uint8_t>(ContentType::Handshake) ? m.handshakeType
                                                                                        : std::uint8_t{0xff}};
    return findStep(fullHandshakeFlow(), sender, id);
}

std::string purposeOf(const FlowStep* step)
{
    return step ? std::string(step->purpose) : std::string();
}

// A sentence joined to what came before it with a space.
void add(std::string& text, const std::string& more)
{
    if (more.empty())
        return;
    if (!text.empty())
        text += ' ';
    text += more;
}

Explanation explainClientHello(const RecordEvent& r, const MessageInfo& m, const RunFacts& f)
{
    Explanation x;
    std::string offer;
    if (const Field* suites = findField(m.fields, "cipher_suites")) {
        std::vector<std::string> names;
        for (const Field& s : suites->children)
            names.push_back(beforeParenthesis(s.value));
        offer = names.size() <= 3 ? joined(names, " and ") : std::to_string(names.size()) + " cipher suites";
    }
    std::string concrete = offer.empty() ? std::string() : "Here it offers " + offer;
    if (const Field* v = findField(m.fields, "client_version"))
        concrete += (concrete.empty() ? "Here it offers " : ", ") + std::string("versions up to ") + v->value;
    if (!f.host.empty())
        concrete += (concrete.empty() ? "Here it asks" : " and asks") + std::string(" for the host \"") + f.host +
                    "\" in server_name";
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    if (!concrete.empty())
        add(x.what, concrete + ".");
    x.why = "The client's 32 random bytes make this connection's keys unique even if everything else repeats, so a "
            "recorded handshake cannot simply be replayed. The offer travels in clear and could be edited on the "
            "way, but both Finished messages cover it, so a forced downgrade to a weaker suite is caught at the end.";
    x.realWorld = "A browser offers a dozen or more suites and many extensions, among them supported_versions to "
                  "offer TLS 1.3; a server that speaks only TLS 1.2 ignores what it does not know. The server_name "
                  "is readable by anyone on the path, which reveals the site visited (Encrypted Client Hello is the "
                  "newer remedy).";
    if (r.version == kTls10 && f.negotiation && f.negotiation->clientVersion > kTls10)
        add(x.realWorld, "The record header says TLS 1.0 (3,1) while the message offers " +
                             versionName(f.negotiation->clientVersion) +
                             ": some old servers rejected records with a version they did not know, so clients keep "
                             "the first record's version low (RFC 5246 App. E.1).");
    x.rfc = "RFC 5246 §7.4.1.2; RFC 6066 §3";
    return x;
}

Explanation explainServerHello(const RecordEvent& r, const MessageInfo& m, const RunFacts& f)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    const CipherSuite* s = findCipherSuite(std::string_view(m.summary));
    const std::string version = f.version ? versionWithWire(f.version) + " and " : std::string();
    if (s)
        add(x.what, "It chose " + version + std::string(s->name) + ": " + keyExchangePhrase(*s, f.group) +
                        ", with records protected by " + protectionName(*s) + ".");
    else if (!m.summary.empty())
        add(x.what, "It chose " + version + m.summary + ".");
    if (const Negotiation* n = f.negotiation) {
        if (!n->versionRule.empty())
            add(x.what, "Version: " + sentence(n->versionRule));
        if (!n->suiteRule.empty())
            add(x.what, "Suite: " + sentence(n->suiteRule));
    }
    if (s && s->insecure())
        add(x.what, "This suite is insecure: " + sentence(std::string(s->weakness)));
    if (anyFieldValue(m.fields, "extended_master_secret"))
        add(x.what, "It also agrees to the extended master secret (RFC 7627).");
    x.why = "Only the server decides, and only among what the client offered: a client that receives a suite it "
            "never offered aborts. The server's own random makes the keys fresh even if a client repeats its "
            "random.";
    const Field* sid = findField(m.fields, "session_id");
    if (sid && startsWith(sid->value, "empty"))
        x.realWorld = "Real servers usually hand out a session ID or a session ticket, so the client can later "
                      "resume with a short handshake that skips the certificate and the key exchange. This server "
                      "leaves session_id empty, so every connection runs the full handshake.";
    else if (sid)
        x.realWorld = "The server filled session_id, so the client may resume this session later with a short "
                      "handshake that skips the certificate and the key exchange.";
    add(x.realWorld, "Servers are commonly set to prefer their own order of suites over the client's (for example "
                     "ssl_prefer_server_ciphers in nginx).");
    if (f.version && f.version < kTls12)
        add(x.realWorld, sentence(std::string(versionWeakness(f.version))));
    x.rfc = "RFC 5246 §7.4.1.3";
    return x;
}

Explanation explainCertificate(const Trace& t, std::size_t index, const RecordEvent& r, const MessageInfo& m,
                               const RunFacts& f)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    const CertificateChainEvent* chain = chainReceivedBy(t, index, peerOf(r.from));
    if (r.from == Side::Client && m.summary == "no certificate") {
        add(x.what, "This one is empty: the client has no certificate the server would accept, and the rules say "
                    "to send the message anyway, with an empty list, rather than leave it out.");
        x.why = "The server decides what an empty answer means: a server that only requests a certificate goes on "
                "without one, a server that requires one ends the handshake with handshake_failure.";
        x.realWorld = "Browsers ask the user which certificate to present, or send none; company-issued "
                      "certificates and smart cards are the usual sources.";
        x.rfc = "RFC 5246 §7.4.6";
        return x;
    }
    std::string holds = m.summary.empty() ? std::string() : "It holds " + m.summary;
    if (chain && !chain->chain.empty()) {
        const auto& leaf = chain->chain.front();
        holds += (holds.empty() ? "It names " : ": ") + std::string(leaf.subject) + ", issued by " + leaf.issuer;
    }
    if (!holds.empty())
        add(x.what, holds + ".");
    if (r.from == Side::Server) {
        if (f.suite)
            add(x.what, f.suite->isEphemeral()
                            ? "With " + keyExchangeName(f.suite->keyExchange) +
                                  " its key only signs the ServerKeyExchange; it never encrypts anything."
                            : std::string("With RSA key transport the client will encrypt the pre-master secret to "
                                          "this certificate's public key."));
        x.why = "Encryption is worthless if the other end is an impostor. The certificate binds a public key to a "
                "name and is vouched for by a certification authority the client already trusts; the client checks "
                "the chain and the name before it relies on the key.";
        x.realWorld = "Servers send their own certificate and the intermediates, but not the root, which the client "
                      "must already have. A forgotten intermediate is a classic mistake: some browsers fill the gap "
                      "from a cache or by downloading it, while curl, Java or Python clients fail with an 'unable "
                      "to get local issuer certificate' error.";
        x.rfc = "RFC 5246 §7.4.2; RFC 5280 §6";
    } else {
        x.why = "The server checks this chain against its own trust anchors, as the client checked the server's. "
                "The certificate alone proves nothing yet: CertificateVerify must show the client holds its "
                "private key.";
        x.realWorld = "Client certificates are common where both ends are machines or known users: payment and "
                      "banking APIs, service meshes running mutual TLS between microservices, company VPN and "
                      "Wi-Fi (EAP-TLS), smart-card logins.";
        x.rfc = "RFC 5246 §7.4.6";
    }
    return x;
}

Explanation explainServerKeyExchange(const RecordEvent& r, const MessageInfo& m, const RunFacts& f)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    const bool dhe = f.suite && f.suite->keyExchange == KeyExchangeKind::DheRsa;
    const std::string sig = f.serverSignature.empty() ? std::string() : " with " + f.serverSignature;
    if (dhe)
        add(x.what, "In this run it sends the group's prime p and generator g (" + m.summary +
                        ") and its public value g^x mod p, signed" + sig + " over both randoms and these values.");
    else if (!m.summary.empty())
        add(x.what, "In this run the group is " + m.summary +
                        ": the server made a one-time key pair on it and sends the public half, signed" + sig +
                        " over both randoms and the group and key.");
    x.why = "The certificate's key only signs; the key exchange uses a key made for this handshake alone, which "
            "gives forward secrecy. Because the signature also covers client_random and server_random, an "
            "attacker can neither substitute his own key nor replay parameters from an older handshake.";
    if (dhe)
        x.realWorld = "Finite-field DHE is slower than ECDHE and rare today. Servers used to pick weak 1024-bit or "
                      "widely shared primes (the Logjam attack, 2015); RFC 7919 defines named groups such as "
                      "ffdhe2048 that a client can ask for.";
    else
        x.realWorld = "Nearly every HTTPS server negotiates ECDHE, mostly on x25519 or secp256r1; in TLS 1.3 every "
                      "full handshake uses (EC)DHE.";
    if (startsWith(f.serverSignature, "rsa_pss"))
        add(x.realWorld, f.serverSignature + " is an RSA-PSS signature; TLS 1.3 requires PSS for RSA handshake "
                                             "signatures, while TLS 1.2 also allows the older PKCS #1 v1.5 ones.");
    x.rfc = dhe ? "RFC 5246 §7.4.3; RFC 7919" : "RFC 5246 §7.4.3; RFC 8422 §5.4";
    return x;
}

Explanation explainCertificateRequest(const RecordEvent& r, const MessageInfo& m)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    std::string concrete;
    if (!m.summary.empty())
        concrete = "It accepts " + m.summary + " certificates";
    if (const Field* cas = findField(m.fields, "certificate_authorities"))
        concrete += (concrete.empty() ? "It " : " and ") + (startsWith(cas->value, "empty")
                                                                ? std::string("names no particular CA (any will do)")
                                                                : "names the CAs it trusts (" + cas->value + ")");
    if (!concrete.empty())
        add(x.what, concrete + ".");
    x.why = "Passwords can be phished or guessed; a client certificate lets the server know the client "
            "cryptographically, before any application data flows. The list of CAs helps the client pick a "
            "certificate the server can verify.";
    x.realWorld = "Rare on the public web, common where both ends are machines or known users: banking and payment "
                  "APIs, service meshes running mutual TLS between microservices, company VPN and Wi-Fi (EAP-TLS), "
                  "smart-card logins.";
    x.rfc = "RFC 5246 §7.4.4";
    return x;
}

Explanation explainServerHelloDone(const Trace& t, std::size_t index, const RecordEvent& r, const MessageInfo& m)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    std::vector<std::string> flight;
    for (std::size_t i = 0; i < index; ++i)
        if (const auto* prev = eventAt<RecordEvent>(t, i);
            prev && prev->from == r.from && prev->contentType == static_cast<std::uint8_t>(ContentType::Handshake))
            for (const MessageInfo& pm : prev->messages)
                flight.push_back(pm.name);
    if (!flight.empty())
        add(x.what, "It is empty and closes a flight of " + joined(flight) + ".");
    x.why = "The server's flight has optional parts, so without an explicit end marker the client could not know "
            "when to answer.";
    x.realWorld = "Many stacks pack the whole flight into one or a few records; Wireshark then shows 'Multiple "
                  "Handshake Messages' in one record.";
    if (r.messages.size() == 1)
        add(x.realWorld, "Here each message has a record of its own.");
    x.rfc = "RFC 5246 §7.4.5";
    return x;
}

Explanation explainClientKeyExchange(const RecordEvent& r, const MessageInfo& m, const RunFacts& f)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    if (f.suite && f.suite->keyExchange == KeyExchangeKind::Rsa) {
        add(x.what, "Here the client chose a 48-byte pre-master secret (the version it offered, then 46 random "
                    "bytes) and encrypted it with the server's RSA public key" +
                        (m.summary.empty() ? std::string(".") : ": " + m.summary + "."));
        x.why = "Only the holder of the certificate's private key can decrypt it; a server without that key could "
                "not compute the right Finished, which is how RSA key transport authenticates the server.";
        x.realWorld = "RSA decryption with PKCS #1 v1.5 padding is fragile: servers that let slip whether the "
                      "padding was wrong fell to Bleichenbacher's attack (1998) and again to ROBOT (2017). The RFC "
                      "tells the server to carry on with a random pre-master secret when decryption fails, so "
                      "nothing leaks. TLS 1.3 removed RSA key transport.";
        x.rfc = "RFC 5246 §7.4.7.1";
        return x;
    }
    const std::string what = f.group.empty() ? std::string("fresh public key") : "fresh public key for " + f.group;
    add(x.what, "Here it is the client's " + what + (m.summary.empty() ? std::string() : " (" + m.summary + ")") +
                    ". Each side combines its own private key with the other's public key and gets the same shared "
                    "secret, which never crosses the wire.");
    x.why = "An eavesdropper sees both public keys but cannot compute the shared secret from them. The client's key "
            "is not signed: a client is authenticated, if at all, by its certificate and CertificateVerify.";
    x.realWorld = "Sizes differ by group: an x25519 key is 32 bytes, a secp256r1 point 65 bytes, an ffdhe2048 value "
                  "up to 256 bytes.";
    x.rfc = f.suite && f.suite->usesEcdhe() ? "RFC 5246 §7.4.7; RFC 8422 §5.7" : "RFC 5246 §7.4.7.2";
    return x;
}

Explanation explainCertificateVerify(const RecordEvent& r, const MessageInfo& m)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    add(x.what, "It signs" + (m.summary.empty() ? std::string() : " with " + m.summary) +
                    " over every handshake message from ClientHello up to and including ClientKeyExchange.");
    x.why = "A certificate is public: anyone can send a copy. Only a signature made with the matching private key "
            "proves ownership, and because it covers this handshake, both randoms included, it cannot be replayed "
            "into another connection.";
    x.realWorld = "With smart cards and hardware tokens this signature is made inside the token, so the private key "
                  "never leaves it.";
    x.rfc = "RFC 5246 §7.4.8";
    return x;
}

Explanation explainFinished(const Trace& t, const RecordEvent& r, const MessageInfo& m)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    if (r.isProtected)
        add(x.what, "It travels encrypted with " + r.protection +
                        ", so an observer sees only ciphertext; inside are the 12 bytes of verify_data.");
    else
        add(x.what, "This copy of the record carries no protection information; normally Finished is encrypted.");
    if (const SecretEvent* vd = findSecret(t, r.from, side(r.from) + "_verify_data"))
        add(x.what, "verify_data = " + vd->formula + ".");
    if (r.from == Side::Client)
        x.why = "The MAC covers every handshake message, so any change on the way, such as strong suites removed "
                "from the ClientHello, makes it fail; and only someone who derived the same master secret can "
                "produce it.";
    else
        x.why = "When it checks out, the client knows the server derived the same keys from the same handshake; "
                "with RSA key transport that also proves the server could decrypt the pre-master secret, that is, "
                "holds the certificate's key.";
    x.realWorld = "Without the keys, Wireshark shows this record as 'Encrypted Handshake Message'; a key log file "
                  "(SSLKEYLOGFILE) lets it decrypt it.";
    x.rfc = "RFC 5246 §7.4.9";
    return x;
}

Explanation explainOtherHandshake(const RecordEvent& r, const MessageInfo& m)
{
    Explanation x;
    if (isHandshake(m, HandshakeType::HelloRequest)) {
        x.what = "The server asks the client to start a new handshake on this connection (renegotiation).";
        x.why = "Renegotiation lets a server change parameters mid-connection, for example to ask for a client "
                "certificate only for one part of a site.";
        x.realWorld = "Renegotiation was abused in 2009 to splice an attacker's request in front of a victim's; "
                      "RFC 5746 fixed it, and TLS 1.3 dropped renegotiation altogether.";
        x.rfc = "RFC 5246 §7.4.1.1; RFC 5746";
    } else if (isHandshake(m, HandshakeType::CertificateStatus)) {
        x.what = "The server staples an OCSP response to its certificate: a statement signed by the certificate's "
                 "CA that the certificate was not revoked, valid for a few days. " + (m.summary.empty() ? std::string()
                 : "This one says: " + m.summary + ".");
        x.why = "Without it the client would have to ask the CA's OCSP responder itself, which is slow, tells the "
                "CA which sites the user visits, and is usually skipped when the responder does not answer. The "
                "server fetches the response once and hands it to every client; the CA's signature means the "
                "server cannot forge it, and its dates mean an old one cannot be replayed forever.";
        x.realWorld = "Web servers (nginx ssl_stapling, Apache SSLUseStapling) staple; browsers check what they get. "
                      "A certificate can demand stapling (the TLS feature extension, RFC 7633, \"must-staple\").";
        x.rfc = "RFC 6066 §8; RFC 6960 §4.2";
    } else if (isHandshake(m, HandshakeType::NewSessionTicket)) {
        x.what = "The server gives the client an encrypted ticket holding the session state (version, suite, master "
                 "secret, the client's identity and when the session was made), to present on a later connection.";
        if (!m.summary.empty())
            add(x.what, "This one: a " + m.summary + ".");
        add(x.what, "It travels before the server's ChangeCipherSpec, so the record itself is not encrypted; the "
                    "ticket inside is, under a key only the server holds.");
        x.why = "With the ticket the client can resume the session with a short handshake, and the server does "
                "not have to store anything: no session cache to fill, share between servers or lose on a restart.";
        x.realWorld = "OpenSSL issues tickets by default (AES-256-CBC and HMAC-SHA-256, the same layout as here); "
                      "TLS 1.3 keeps the idea but sends its tickets encrypted, after the handshake.";
        x.rfc = "RFC 5077 §3.3, §4";
    } else {
        x.what = "A " + m.name + " handshake message from the " + side(r.from) + ".";
        x.why = "It is not part of the full handshake this program teaches.";
    }
    return x;
}

// A hello inside the protected band belongs to a renegotiation (RFC 5246 §7.4.1.1): say so, and what its
// renegotiation_info must hold.
Explanation renegotiationHello(Explanation x, Side from)
{
    add(x.what, from == Side::Client
                    ? "This hello comes on a connection that is already established, so it starts a second handshake "
                      "(a renegotiation). It travels encrypted under the keys of the handshake before; the new keys "
                      "take over only at each side's next ChangeCipherSpec. When both sides speak RFC 5746, its "
                      "renegotiation_info holds the client's verify_data from the previous Finished, which lets the "
                      "server tell that the same client is asking; a server that does not check it cannot."
                    : "This answers a renegotiation, still under the previous handshake's keys. When both sides speak "
                      "RFC 5746, its renegotiation_info holds both verify_data values of the previous handshake, the "
                      "client's then the server's, and the client checks them against what it remembers.");
    x.rfc += std::string(x.rfc.empty() ? "" : "; ") + (from == Side::Client ? "RFC 5746 §3.5" : "RFC 5746 §3.6");
    return x;
}

Explanation explainHandshakeRecord(const Trace& t, std::size_t index, const RecordEvent& r, const MessageInfo& m,
                                   const RunFacts& f)
{
    switch (static_cast<HandshakeType>(m.handshakeType)) {
    case HandshakeType::ClientHello:
        if (r.isProtected)
            return renegotiationHello(explainClientHello(r, m, f), Side::Client);
        return explainClientHello(r, m, f);
    case HandshakeType::ServerHello:
        if (r.isProtected)
            return renegotiationHello(explainServerHello(r, m, f), Side::Server);
        return explainServerHello(r, m, f);
    case HandshakeType::Certificate:
        return explainCertificate(t, index, r, m, f);
    case HandshakeType::ServerKeyExchange:
        return explainServerKeyExchange(r, m, f);
    case HandshakeType::CertificateRequest:
        return explainCertificateRequest(r, m);
    case HandshakeType::ServerHelloDone:
        return explainServerHelloDone(t, index, r, m);
    case HandshakeType::ClientKeyExchange:
        return explainClientKeyExchange(r, m, f);
    case HandshakeType::CertificateVerify:
        return explainCertificateVerify(r, m);
    case HandshakeType::Finished:
        return explainFinished(t, r, m);
    case HandshakeType::HelloRequest:
    case HandshakeType::CertificateStatus:
    case HandshakeType::NewSessionTicket:
        break;
    }
    return explainOtherHandshake(r, m);
}

Explanation explainChangeCipherSpecRecord(const Trace& t, std::size_t index, const RecordEvent& r, const MessageInfo& m)
{
    Explanation x;
    x.what = purposeOf(stepFor(r.from, m, r.contentType));
    const std::string next = nextProtection(t, index, r.from);
    add(x.what, "The record holds a single byte, 1" +
                    (next.empty() ? std::string(".") : "; the " + side(r.from) + "'s next record uses " + next + "."));
    x.why = "The keys are agreed by now, but the peer must know exactly where protection starts; this message marks "
            "that point, and the sequence numbers for the new keys start again at 0. It has its own content type, "
            "so it is not among the handshake messages that Finished covers.";
    x.realWorld = "TLS 1.3 dropped ChangeCipherSpec, yet TLS 1.3 stacks still send a dummy one because some "
                  "middleboxes expected it. A 2014 OpenSSL bug (CCS injection, CVE-2014-0224) accepted it too early "
                  "and let a man in the middle make both sides use keys he could compute.";
    x.rfc = "RFC 5246 §7.1";
    return x;
}

// The AlertEvent that goes with an alert record: the first one after it with the same sender and description.
const AlertEvent* alertEventFor(const Trace& t, std::size_t index, Side from, std::uint8_t description)
{
    for (std::size_t i = index + 1; i < t.size() && i <= index + 3; ++i)
        if (const auto* a = eventAt<AlertEvent>(t, i);
            a && a->description == description && ((a->sent && a->side == from) || (!a->sent && a->side != from)))
            return a;
    return nullptr;
}

Explanation explainAlertRecord(const Trace& t, std::size_t index, const RecordEvent& r, const MessageInfo& m)
{
    Explanation x;
    // RFC 5246 §7.2: the fragment is level (1 byte) then description (1 byte).
    if (r.plaintext.size() != 2) {
        x.what = "An alert record from the " + side(r.from) + " that does not hold a well-formed alert" +
                 (m.summary.empty() ? std::string(".") : ": " + m.summary + ".");
        x.why = "An alert is exactly two bytes, a level and a description; anything else is itself a decode error.";
        x.rfc = "RFC 5246 §7.2";
        return x;
    }
    const auto level = static_cast<AlertLevel>(r.plaintext[0]);
    const std::uint8_t description = r.plaintext[1];
    const AlertText text = alertText(description);
    const std::string name = alertName(description);
    x.what = "The " + side(r.from) + " sends a " + levelName(level) + " " + name + " alert" +
             (r.isProtected ? ", encrypted with " + r.protection + " like every record after its ChangeCipherSpec."
                            : ", in clear because it has not switched on encryption yet.");
    add(x.what, sentence("It means " + text.meaning));
    const AlertEvent* ev = alertEventFor(t, index, r.from, description);
    if (ev && ev->sent && !ev->reason.empty() &&
        description != static_cast<std::uint8_t>(AlertDescription::CloseNotify))
        add(x.what, sentence("Here: " + ev->reason));
    x.why = alertWhy(level, description);
    x.realWorld = text.realWorld;
    x.rfc = text.rfc;
    return x;
}

Explanation explainApplicationDataRecord(const RecordEvent& r, const RunFacts& f)
{
    Explanation x;
    x.what = sentence(bytesText(r.plaintext.size()) + " of application data from the " + side(r.from) +
                      (r.isProtected ? ", protected with " + r.protection : std::string()));
    if (r.isProtected && r.wire.size() >= 5 + r.plaintext.size())
        add(x.what, "On the wire the record is " + bytesText(r.wire.size()) + ": the 5-byte header and " +
                        bytesText(r.wire.size() - 5 - r.plaintext.size()) + " of " + overheadParts(f.suite) +
                        " around the content.");
    if (const auto line = firstLine(r.plaintext))
        add(x.what, "The content begins: \"" + *line + "\".");
    x.why = "Only the two endpoints hold the write keys, so nobody else can read the content or change it "
            "unnoticed. The record's sequence number enters the integrity check, so replayed, reordered or deleted "
            "records are detected too.";
    if (f.suite)
        add(x.why, recordProtectionText(*f.suite));
    x.realWorld = "The content is hidden but its length is not: an observer still sees how big each record is.";
    if (f.suite)
        add(x.realWorld, cipherRealWorld(*f.suite));
    x.rfc = f.suite ? "RFC 5246 §10; " + recordProtectionRfc(*f.suite) : "RFC 5246 §6.2, §10";
    return x;
}

// A record without a decoded message: a later fragment, or bytes the interceptor changed or made up.
Explanation explainBareRecord(const RecordEvent& r)
{
    Explanation x;
    const std::string type = contentTypeName(r.contentType);
    x.title = directed(type + " record", r.from);
    if (startsWith(r.note, "fragment")) {
        x.what = "A further piece of a " + type + " message too long for one record (" + r.note + ").";
        x.why = "A record carries at most 2^14 bytes of content, so a longer message is split over several records "
                "and put together again by the receiver.";
        x.rfc = "RFC 5246 §6.2.1";
        return x;
    }
    x.what = "A " + type + " record of " + bytesText(r.wire.size()) +
             (r.note.empty() ? std::string(".") : ": " + r.note + ".");
    if (startsWith(r.note, "modified"))
        add(x.what, "The " + side(peerOf(r.from)) + " receives this altered copy instead of what the " + side(r.from) +
                        " sent.");
    else if (startsWith(r.note, "injected"))
        add(x.what, "The " + side(peerOf(r.from)) + " receives it as if the " + side(r.from) + " had sent it.");
    x.why = "An attacker on the path can change, drop or insert records. TLS cannot prevent that, only detect it: a "
            "changed protected record fails its integrity check (bad_record_mac), and a changed handshake message "
            "makes the two Finished messages disagree.";
    x.realWorld = "This is what a man in the middle can do to bytes he cannot decrypt.";
    x.rfc = "RFC 5246 §6.2.3, §7.4.9";
    return x;
}

Explanation explainRecord(const Trace& t, std::size_t index, const RecordEvent& r, const RunFacts& f)
{
    if (r.messages.empty())
        return explainBareRecord(r);
    const MessageInfo& m = r.messages.front();
    Explanation x;
    switch (static_cast<ContentType>(r.contentType)) {
    case ContentType::Handshake:
        x = explainHandshakeRecord(t, index, r, m, f);
        break;
    case ContentType::ChangeCipherSpec:
        x = explainChangeCipherSpecRecord(t, index, r, m);
        break;
    case ContentType::Alert:
        x = explainAlertRecord(t, index, r, m);
        break;
    case ContentType::ApplicationData:
        x = explainApplicationDataRecord(r, f);
        break;
    default:
        x = explainBareRecord(r);
        break;
    }
    x.title = directed(m.name, r.from);
    if (r.messages.size() > 1) {
        std::vector<std::string> rest;
        for (std::size_t i = 1; i < r.messages.size(); ++i)
            rest.push_back(r.messages[i].name);
        x.title += " + " + std::to_string(rest.size()) + " more";
        add(x.what, "The same record also carries " + joined(rest) + ", each a separate handshake message.");
    }
    if (!r.note.empty() && !startsWith(r.note, "fragment 1 of"))
        add(x.what, sentence("Note: " + r.note));
    else if (startsWith(r.note, "fragment 1 of"))
        add(x.what, "The message is too long for one record and continues in the next ones (" + r.note + ").");
    return x;
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets (session/connection.cpp, client/client.cpp, server/server.cpp emit them)

// "client_write_key" -> Side::Client; nullopt when the name does not start with a side.
std::optional<Side> ownerOf(const std::string& name)
{
    if (startsWith(name, "client_"))
        return Side::Client;
    if (startsWith(name, "server_"))
        return Side::Server;
    return std::nullopt;
}

Explanation explainSecret(const Trace& t, std::size_t index, const SecretEvent& s, const RunFacts& f)
{
    Explanation x;
    const std::string who = sideTitle(s.side);
    const std::optional<Side> owner = ownerOf(s.name);
    const std::string ownerName = owner ? side(*owner) : std::string();
    const std::string formula = s.formula.empty() ? std::string() : sentence("Formula: " + s.formula);
    const std::string origin = s.formula.empty() ? std::string() : sentence("Origin: " + s.formula);
    const std::string size = bytesText(s.value.size());
    const std::string sized = byteSized(s.value.size());
    const std::string& n = s.name;

    if (n == "client_random" || n == "server_random") {
        const bool own = owner == s.side;
        x.title = own ? who + " picks its random" : who + " receives the " + ownerName + " random";
        x.what = "The " + ownerName + "'s " + size + " of randomness, sent in clear in " +
                 (owner == Side::Client ? "ClientHello." : "ServerHello.");
        add(x.what, origin);
        x.why = "Both randoms enter the key derivation, so each connection gets its own keys even from the same "
                "pre-master secret, and a replayed old handshake leads to keys that do not match.";
        if (owner == Side::Client)
            x.realWorld = "RFC 5246 puts the sender's clock in the first 4 bytes; many stacks now fill all 32 bytes "
                          "at random, since the time helped to fingerprint devices and served no purpose.";
        else
            x.realWorld = "A server that also speaks TLS 1.3 ends its random with the bytes \"DOWNGRD\" and 0x01 "
                          "when it settles on TLS 1.2, so a TLS 1.3 client can notice an attacker forcing the older "
                          "version (RFC 8446 §4.1.3).";
        x.rfc = owner == Side::Client ? "RFC 5246 §7.4.1.2" : "RFC 5246 §7.4.1.3";
        return x;
    }
    if (n == "client_ephemeral_private" || n == "server_ephemeral_private") {
        x.title = who + " makes its ephemeral private key";
        x.what = "A fresh " + sized + " private key for this handshake only. It never leaves the " + side(s.side) +
                 "; only the matching public key goes out in " +
                 (owner == Side::Server ? "ServerKeyExchange." : "ClientKeyExchange.");
        add(x.what, origin);
        x.why = "It is forgotten after the handshake. Once it is gone, nobody, not even the two endpoints, can "
                "recompute the shared secret: that is forward secrecy.";
        x.realWorld = "Some servers reuse one 'ephemeral' key for many connections to save time; until it is "
                      "discarded, every connection it served is exposed if the server is broken into.";
        x.rfc =
            f.suite && f.suite->keyExchange == KeyExchangeKind::DheRsa ? "RFC 5246 §8.1.2; RFC 7919" : "RFC 8422 §5.10";
        return x;
    }
    if (n == "pre_master_secret") {
        const bool rsa = f.suite && f.suite->keyExchange == KeyExchangeKind::Rsa;
        if (rsa) {
            x.title = s.side == Side::Client ? "Client chooses the pre-master secret"
                                             : "Server decrypts the pre-master secret";
            x.what = size + " the client chose and sent, encrypted to the server's RSA key, in ClientKeyExchange.";
            x.realWorld = "Anyone holding the server's private key and a recording can decrypt ClientKeyExchange "
                          "and get this value; passive decryption appliances in some data centres worked that way, "
                          "and it is why TLS 1.3 dropped RSA key transport.";
            x.rfc = "RFC 5246 §7.4.7.1, §8.1.1";
        } else {
            x.title = who + " computes the shared pre-master secret";
            x.what = size + " of shared secret from the " + side(s.side) +
                     "'s own ephemeral private key and the peer's public key; both sides get the same value without "
                     "ever sending it.";
            if (f.suite && f.suite->usesEcdhe())
                x.realWorld = "For x25519 this is the 32-byte function output, for secp256r1 the 32-byte x "
                              "coordinate of the shared point.";
            x.rfc = f.suite && f.suite->keyExchange == KeyExchangeKind::DheRsa ? "RFC 5246 §8.1.2" : "RFC 8422 §5.10";
        }
        add(x.what, formula);
        x.why = "Its length and shape depend on the key exchange, so it is not used directly: it is condensed into a "
                "48-byte master secret and then forgotten.";
        return x;
    }
    if (n == "session_hash") {
        x.title = who + " hashes the handshake so far (session hash)";
        x.what = "A " + sized +
                 " hash of every handshake message from ClientHello through ClientKeyExchange. Both "
                 "sides agreed on the extended master secret, so it replaces the two randoms in the master secret.";
        add(x.what, formula);
        x.why = "It ties the master secret to this exact handshake, certificates and key exchange included. Without "
                "it, an attacker between two connections could give both the same master secret (the triple "
                "handshake attack, 2014).";
        x.realWorld = "TLS 1.3 builds the same idea into its key schedule; for TLS 1.2, current best-practice "
                      "guidance (RFC 9325) recommends the extended master secret.";
        x.rfc = "RFC 7627 §3";
        return x;
    }
    if (n == "master_secret" && startsWith(s.formula, "reused")) {
        x.title = who + " reuses the saved master secret";
        x.what = "The same 48 bytes as in the connection that made the session: nothing is exchanged or computed to "
                 "get them. Only the key block is new, made from this master secret and this connection's two "
                 "randoms.";
        add(x.what, formula);
        x.why = "Both sides kept the master secret when the session was made; proving with Finished that they still "
                "know it authenticates the new connection as well as certificates and a key exchange would, at a "
                "fraction of the cost.";
        if (contains(s.formula, "session ticket"))
            add(x.what, "The server kept no copy: it took them out of the ticket the client presented, which only its "
                        "ticket key opens.");
        x.realWorld = "A stolen session (its ID or ticket and master secret) lets its thief decrypt every connection "
                      "resumed from it, so servers limit how long sessions live; TLS 1.3 resumption adds a fresh "
                      "(EC)DHE exchange for forward secrecy.";
        x.rfc = "RFC 5246 §7.3";
        return x;
    }
    if (n == "session_id") {
        x.title = who + " names the session";
        x.what = "The server gives this session a " + size + " ID in ServerHello and will keep the master secret, "
                 "suite and version under it once the handshake completes.";
        x.why = "A client that comes back with this ID in its ClientHello can resume the session with the "
                "abbreviated handshake instead of the full one.";
        x.realWorld = "OpenSSL makes 32-byte random IDs and keeps sessions for 7200 seconds by default; a server "
                      "that will not cache sends an empty ID.";
        x.rfc = "RFC 5246 §7.4.1.3";
        return x;
    }
    if (n == "master_secret") {
        x.title = who + " derives the master secret";
        x.what = "48 bytes from which every key of this connection comes, made from the pre-master secret and " +
                 std::string(f.extendedMasterSecret ? "the session hash (extended master secret)." : "both randoms.");
        add(x.what, formula);
        x.why = "Whatever the key exchange produced, the result is a uniform 48-byte secret that differs for every "
                "connection; the pre-master secret can be forgotten now.";
        x.realWorld = "This is the value browsers write, next to the client random, to the file named by "
                      "SSLKEYLOGFILE so that Wireshark can decrypt a capture; `handshakelab run --keylog FILE` "
                      "writes the same line.";
        x.rfc = f.extendedMasterSecret ? "RFC 7627 §4" : "RFC 5246 §8.1";
        return x;
    }
    if (n == "key_block") {
        x.title = who + " expands the key block";
        x.what = size + " of key material";
        if (f.suite) {
            const CipherSuite& cs = *f.suite;
            std::vector<std::string> parts;
            if (cs.macLength)
                parts.push_back("two " + std::to_string(cs.macLength) + "-byte MAC keys");
            parts.push_back("two " + std::to_string(cs.keyLength) + "-byte write keys");
            if (cs.fixedIvLength)
                parts.push_back("two " + std::to_string(cs.fixedIvLength) + "-byte IVs");
            x.what += ", cut into " + joined(parts) + " for " + std::string(cs.name);
        }
        x.what += ".";
        add(x.what, formula);
        x.why = "Each direction gets its own keys, so a record cannot be reflected back to its sender as if the peer "
                "had sent it. The randoms go in again, this time server_random first.";
        x.realWorld = "Both sides compute the key block on their own; no part of it is ever sent.";
        x.rfc = "RFC 5246 §6.3";
        return x;
    }
    if (owner && (contains(n, "_write_mac_key") || contains(n, "_write_key") || contains(n, "_write_iv"))) {
        const bool own = owner == s.side;
        const std::string use = own ? "the " + side(s.side) + " uses it on the records it sends"
                                    : "the " + side(s.side) + " uses it to open the " + ownerName + "'s records";
        if (contains(n, "_write_mac_key")) {
            x.title = who + " takes the " + ownerName + " write MAC key";
            x.what = "The " + sized + " " + (f.suite ? macName(*f.suite) + " " : std::string()) +
                     "key that authenticates every record the " + ownerName + " sends; " + use + ".";
            x.why = "The MAC shows a record was not altered and comes from someone holding the key; the sequence "
                    "number in the MAC input stops replays and reordering.";
            x.realWorld = "Only CBC suites have MAC keys; AEAD suites (GCM, ChaCha20-Poly1305) authenticate with the "
                          "write key itself.";
            x.rfc = "RFC 5246 §6.3, §6.2.3.1";
        } else if (contains(n, "_write_key")) {
            x.title = who + " takes the " + ownerName + " write key";
            x.what = "The " + sized + " " + (f.suite ? cipherName(*f.suite) + " " : std::string()) +
                     "key that encrypts every record the " + ownerName + " sends; " + use + ".";
            x.why = "Separate keys per direction mean the two streams never share a key, so one side's records "
                    "cannot be passed off as the other's.";
            x.realWorld = s.value.size() * 8 > 128
                              ? std::to_string(s.value.size() * 8) +
                                    "-bit keys add margin; 128 bits are already far beyond any brute-force search."
                              : "A 128-bit key is already far beyond any brute-force search.";
            x.rfc = "RFC 5246 §6.3";
        } else {
            x.title = who + " takes the " + ownerName + " write IV";
            if (f.suite && isGcm(*f.suite)) {
                x.what = "The " + sized + " implicit part (salt) of the AES-GCM nonce for the " + ownerName +
                         "'s records; each record adds an 8-byte explicit part, here its sequence number.";
                x.why = "A GCM nonce must never repeat under one key; a secret salt plus a counter guarantees that.";
                x.rfc = "RFC 5288 §3";
            } else if (f.suite && isChaCha(*f.suite)) {
                x.what = "The " + sized + " value XORed with each record's sequence number to form the nonce of the " +
                         ownerName + "'s records; nothing of the nonce is sent.";
                x.why = "A ChaCha20-Poly1305 nonce must never repeat under one key; mixing a secret value with the "
                        "counter guarantees that and costs no bytes on the wire.";
                x.rfc = "RFC 7905 §2";
            } else {
                x.what = "A " + sized +
                         " value from the key block. CBC records in TLS 1.2 each carry a fresh random "
                         "IV in front, so this one plays no part in protecting them; it comes last in the key "
                         "block and does not shift the other keys.";
                x.why = "Predictable CBC IVs let an attacker test guesses about the plaintext (BEAST, 2011), which "
                        "is why TLS 1.1 moved to a random IV in every record.";
                x.rfc = "RFC 5246 §6.2.3.2, §6.3";
            }
        }
        add(x.what, formula);
        return x;
    }
    if (n == "client_verify_data" || n == "server_verify_data") {
        const bool own = owner == s.side;
        if (own) {
            x.title = who + " computes its Finished verify_data";
            x.what = size + " that go inside the " + ownerName +
                     "'s Finished: a PRF over the master secret and the hash of every handshake message so far.";
        } else {
            x.title = who + " computes the verify_data it expects from the " + ownerName;
            x.what = "The " + side(s.side) + " recomputes the " + ownerName +
                     "'s verify_data from its own view of the handshake and compares it with the received Finished.";
            for (std::size_t i = index + 1; i < t.size(); ++i) {
                const auto* st = eventAt<StateEvent>(t, i);
                if (!st || st->side != s.side)
                    continue;
                add(x.what, st->state == "Failed" ? "They do not match." : "They match.");
                break;
            }
        }
        add(x.what, formula);
        x.why = "Equal verify_data proves both sides derived the same master secret and saw the same handshake "
                "messages, byte for byte. The labels \"client finished\" and \"server finished\" make the two values "
                "differ, so one side's Finished cannot be echoed back as the other's.";
        x.rfc = "RFC 5246 §7.4.9";
        return x;
    }
    x.title = who + " derives " + (s.label.empty() ? n : s.label);
    x.what = sentence((s.label.empty() ? n : s.label) + ": " + size);
    add(x.what, formula);
    x.why = "Part of the key schedule that turns the key exchange into record keys.";
    x.rfc = "RFC 5246 §8.1, §6.3";
    return x;
}

// ---------------------------------------------------------------------------------------------------------------
// Certificates

Explanation explainChain(const CertificateChainEvent& c)
{
    Explanation x;
    const Side peer = peerOf(c.side);
    x.title = sideTitle(c.side) + " receives the " + side(peer) + "'s certificate chain";
    std::vector<std::string> entries;
    for (std::size_t i = 0; i < c.chain.size(); ++i) {
        std::string entry = "#";
        entry += std::to_string(i);
        entry += ' ';
        entry += c.chain[i].subject;
        entry += " (issued by ";
        entry += c.chain[i].issuer;
        entry += ')';
        entries.push_back(std::move(entry));
    }
    x.what = c.chain.empty()
                 ? "The chain is empty."
                 : sentence(std::to_string(c.chain.size()) +
                            (c.chain.size() == 1 ? " certificate: " : " certificates: ") + joined(entries, "; "));
    add(x.what, "The checks that follow walk it from the " + side(peer) + "'s own certificate up to a trust anchor.");
    if (c.trustAnchor)
        add(x.what, "The chain ends at " + c.trustAnchor->subject + ", a root the " + side(c.side) +
                        " already holds in its own trust store; it was not sent, since a root that arrives with the "
                        "chain proves nothing.");
    x.why = "Each certificate is signed by the next one up, and the last is signed by a root the " + side(c.side) +
            " already trusts; trust flows down the chain only if every link holds.";
    x.realWorld = "TLS 1.2 requires each certificate to certify the one before it; TLS 1.3 relaxed the order, and "
                  "real servers do send chains out of order or with extra certificates.";
    x.rfc = "RFC 5246 §7.4.2; RFC 5280 §6";
    return x;
}

Explanation explainCheck(const Trace& t, const CertificateCheckEvent& c)
{
    Explanation x;
    const CheckText text = checkText(c);
    const std::string cn = commonName(c.subject);
    x.title = sideTitle(c.side) + " checks " + text.label + (cn.empty() ? std::string() : " of " + cn) +
              (c.passed ? std::string() : ": failed");
    std::string where;
    if (c.check == "ServerKeyExchange signature" || c.check == "CertificateVerify")
        where = " with the key of " + (cn.empty() ? std::string("the peer's certificate") : cn);
    else if (c.certificateIndex == 0)
        where = " on the " + side(peerOf(c.side)) + "'s own certificate";
    else if (c.certificateIndex > 0)
        where = " on certificate #" + std::to_string(c.certificateIndex) + " of the chain";
    else if (!c.subject.empty())
        where = " on a trust anchor the peer did not send";
    x.what = sentence(std::string(c.passed ? "Passed" : "FAILED") + where + ": " + c.detail);
    if (!c.passed && !t.outcome.completed && t.outcome.alert != 0)
        add(x.what, "The handshake stops here with a fatal " + alertName(t.outcome.alert) + " alert.");
    x.why = text.why;
    x.realWorld = text.realWorld;
    x.rfc = text.rfc;
    return x;
}

// ---------------------------------------------------------------------------------------------------------------
// States (Expect* from the two state machines, and the connection's own)

Explanation explainState(const StateEvent& st, const RunFacts& f)
{
    Explanation x;
    const std::string who = sideTitle(st.side);
    const std::string peer = side(peerOf(st.side));
    const std::string& s = st.state;
    const std::string note = st.note.empty() ? std::string() : sentence(st.note);
    if (s == "ticket issued" || s == "ticket received" || s == "no ticket") {
        x.title = who + (s == "ticket issued"     ? " seals the session into a ticket"
                         : s == "ticket received" ? " keeps the session ticket"
                                                  : " gets no session ticket");
        x.what = note;
        x.why = "With a ticket the server need not remember anything: the client carries the session's state, "
                "sealed so that only the server can open it and any change is detected, and hands it back to resume.";
        x.realWorld = "Servers behind a load balancer share one ticket key so that any of them can resume any "
                      "client, and rotate it often: whoever steals a ticket key can open every ticket sealed under it "
                      "and decrypt the connections resumed from them.";
        x.rfc = "RFC 5077 §3, §4";
        return x;
    }
    if (s == "offering resumption" || s == "resuming" || s == "not resuming" || s == "not resumed" ||
        s == "session cached" || s == "legacy resumption") {
        x.title = who + (s == "offering resumption" ? " offers to resume a session"
                         : s == "resuming"          ? " resumes the session"
                         : s == "session cached"    ? " caches the session"
                         : s == "legacy resumption" ? " resumes without the extended master secret"
                                                    : " runs the full handshake instead");
        x.what = note;
        x.why = s == "not resuming" || s == "not resumed"
                    ? "Resumption is an offer the server may always decline; declining costs only the full handshake, "
                      "never the connection."
                    : "A resumed session skips the certificates and the key exchange: both sides already share the "
                      "master secret of an earlier, fully authenticated handshake.";
        x.rfc = s == "legacy resumption" ? "RFC 7627 §5.3" : "RFC 5246 §7.3, §7.4.1.2";
        return x;
    }
    if (s == "ExpectServerHello") {
        x.title = "Client waits for ServerHello";
        x.what = sentence(st.note.empty() ? "the client sent its ClientHello" : st.note);
        add(x.what, "From now on it accepts only the server's ServerHello; anything else is an unexpected_message.");
    } else if (s == "ExpectCertificate") {
        x.title = "Client has read ServerHello";
        x.what = "ServerHello accepted" + (st.note.empty() ? std::string() : " (" + st.note + ")") +
                 ". The client now expects the server's Certificate.";
        x.why = "The suite decides the rest of the flight: whether a ServerKeyExchange must follow and how to read "
                "it.";
        if (contains(st.note, "secure renegotiation"))
            x.realWorld = "Both sides sent renegotiation_info, which closes the 2009 renegotiation attack even though "
                          "nobody renegotiates here.";
    } else if (s == "ExpectClientKeyExchange") {
        x.title = "Server waits for the client's flight";
        x.what = note;
        add(x.what, f.clientAuthRequested
                        ? "Next come the client's Certificate, ClientKeyExchange, CertificateVerify if it sent a "
                          "certificate, then ChangeCipherSpec and Finished."
                        : "Next come the client's ClientKeyExchange, ChangeCipherSpec and Finished.");
    } else if (s == "ExpectChangeCipherSpec") {
        x.title = "Client waits for the server's ChangeCipherSpec";
        x.what = note;
        add(x.what, "Its own Finished is sent; only when the server's Finished checks out is the handshake complete "
                    "for the client.");
        x.realWorld = "Some clients send their first request right after their own Finished without waiting (False "
                      "Start), saving a round trip when the suite has forward secrecy.";
    } else if (s == "negotiated") {
        x.title = "Server chooses the version and the cipher suite";
        x.what = note;
        if (f.negotiation && !f.negotiation->passedOver.empty())
            add(x.what, "Passed over on the way: " + joined(f.negotiation->passedOver, "; ") + ".");
        x.why = "The client can only offer; the server decides, and only among what was offered. The highest version "
                "both speak wins, because each newer version closes holes of the one before. Among the suites both "
                "accept, whoever's order the server follows decides, which is why servers are set to prefer their "
                "own list: it puts forward secrecy and AEAD first whatever an old client lists first.";
        if (f.negotiation && f.negotiation->version && f.negotiation->version < kTls12)
            x.realWorld = std::string(versionWeakness(f.negotiation->version)) + ".";
        if (f.suite && f.suite->insecure())
            add(x.realWorld, "The chosen suite is insecure: " + std::string(f.suite->weakness) + ".");
        x.rfc = "RFC 5246 §7.4.1.3 and App. E.1";
        return x;
    } else if (s == "downgrade sentinel") {
        x.title = "Server marks its random: answered below its best";
        x.what = note;
        x.why = "The offer in ClientHello travels in clear: an attacker could lower the client's version and force an "
                "old protocol whose weaknesses it knows. A client that offered TLS 1.2 and reads this mark aborts "
                "at once, before any weak key is used; a client that really only speaks the old version ignores it.";
        x.realWorld = "Servers that speak TLS 1.3 must add it (\"DOWNGRD\" 01 for TLS 1.2, 00 below); OpenSSL and "
                      "GnuTLS clients check it.";
        x.rfc = "RFC 8446 §4.1.3";
        return x;
    } else if (s == "downgrade detected") {
        x.title = "Client detects a forced downgrade";
        x.what = note;
        add(x.what, "It offered TLS 1.2, so an answer marked this way means its offer was rewritten on the way.");
        x.why = "Finished would also catch a rewritten ClientHello, but only after the old version's weak key "
                "exchange has run; the sentinel stops the handshake before that.";
        x.rfc = "RFC 8446 §4.1.3";
        return x;
    } else if (s == "server_name") {
        x.title = "Server reads the requested host name";
        x.what = note;
        add(x.what, "A server hosting several sites uses it to choose which certificate to present.");
        x.why = "Many sites share one IP address, and the HTTP Host header arrives only later, encrypted; "
                "server_name tells the server in the very first message which site is wanted.";
        x.realWorld = "The name travels in clear and reveals the site to anyone watching; Encrypted Client Hello "
                      "(ECH) hides it. Network filters often block by this name.";
        x.rfc = "RFC 6066 §3";
        return x;
    } else if (s == "client certificate") {
        x.title = "Client picks its certificate";
        x.what = note;
        x.why = "The client looks for a certificate whose key type and signature algorithm are among those the "
                "CertificateRequest allows.";
        x.realWorld = "Browsers show a certificate picker at this point.";
        x.rfc = "RFC 5246 §7.4.6";
        return x;
    } else if (s == "no client certificate") {
        x.title = "Server goes on without a client certificate";
        x.what = note;
        x.why = "The server only requested a certificate; it can still authenticate the user later, for example "
                "with a password inside the encrypted connection.";
        x.rfc = "RFC 5246 §7.4.6";
        return x;
    } else if (s == "encrypting") {
        x.title = who + " switches on encryption";
        x.what = note;
        x.why = "From its ChangeCipherSpec on, the sender uses the new keys. Sequence numbers restart at 0 for the "
                "new keys; the peer switches its reading side when it receives the same ChangeCipherSpec.";
        x.rfc = "RFC 5246 §6.1, §7.1";
        return x;
    } else if (s == "peer encrypts") {
        x.title = who + " starts decrypting the " + peer + "'s records";
        x.what = note;
        x.why = "The receiver switches exactly at ChangeCipherSpec, so both agree which records are protected and "
                "which are not.";
        x.rfc = "RFC 5246 §6.1, §7.1";
        return x;
    } else if (s == "Connected") {
        x.title = who + ": handshake complete";
        x.what = std::string(st.side == Side::Client ? "The client checked the server's Finished"
                                                     : "The server checked the client's Finished and sent its own") +
                 (st.note.empty() ? std::string(".") : ": " + st.note + ".") + " Application data may flow now.";
        x.why = "Both Finished messages verified, so each side knows the other holds the same keys and saw the same "
                "handshake: nobody altered it on the way.";
        x.realWorld = "A full TLS 1.2 handshake costs two round trips before the first request; session resumption "
                      "and TLS 1.3 need one.";
        x.rfc = "RFC 5246 §7.4.9";
        return x;
    } else if (s == "peer closed") {
        x.title = who + " sees the " + peer + " close";
        x.what = note;
        add(x.what, "The " + side(st.side) +
                        " answers with its own close_notify unless it already sent one; then the "
                        "connection is over.");
        x.why = alertWhy(AlertLevel::Warning, static_cast<std::uint8_t>(AlertDescription::CloseNotify));
        x.rfc = "RFC 5246 §7.2.1";
        return x;
    } else if (s == "Failed") {
        x.title = who + ": handshake failed";
        x.what = note;
        add(x.what, "The connection is dead: the " + side(st.side) + " sends and reads nothing more on it.");
        x.why = alertWhy(AlertLevel::Fatal, 255);
        x.rfc = "RFC 5246 §7.2.2";
        return x;
    } else if (s == "record dropped") {
        x.title = "A record from the " + side(st.side) + " is lost";
        x.what = note;
        add(x.what, "The " + peer + " never receives it.");
        x.why = "TLS relies on a reliable transport and has no retransmission of its own. A lost handshake record "
                "leaves both sides waiting; a lost protected record shows up as a wrong sequence number, that is a "
                "failed integrity check on the next one.";
        x.rfc = "RFC 5246 §6.2.3";
        return x;
    } else {
        x.title = who + ": " + s;
        x.what = st.note.empty() ? "The " + side(st.side) + " enters state " + s + "." : note;
    }
    if (x.why.empty())
        x.why = "Each state names the messages allowed next; holding to RFC 5246's order defeats attacks that skip "
                "or reorder messages.";
    if (x.realWorld.empty() && startsWith(s, "Expect"))
        x.realWorld = "Stacks that were lax about order fell to state-machine attacks (SKIP-TLS, FREAK, 2015), "
                      "where a required message could be left out or a forbidden one slipped in.";
    if (x.rfc.empty())
        x.rfc = "RFC 5246 §7.3";
    return x;
}

// ---------------------------------------------------------------------------------------------------------------
// Skipped optional steps (flow/flow.cpp holds whenSkipped)

const FlowStep* flowStepNamed(Side sender, const std::string& name)
{
    for (const FlowStep& s : fullHandshakeFlow().steps)
        if (s.sender == sender && s.name == name)
            return &s;
    return nullptr;
}

Explanation explainSkipped(const SkippedStepEvent& sk, const RunFacts& f)
{
    Explanation x;
    const FlowStep* step = flowStepNamed(sk.sender, sk.message);
    x.title = sk.message + " skipped (" + side(sk.sender) + " → " + side(peerOf(sk.sender)) + ")";
    const std::string reason = !sk.reason.empty() ? sk.reason : step ? std::string(step->whenSkipped) : std::string();
    x.what = "The " + side(sk.sender) + " does not send " + sk.message + (reason.empty() ? "." : ": " + reason + ".");
    if (step)
        add(x.what, "In runs that take this step: " + std::string(step->purpose));
    if (sk.message == "ServerKeyExchange") {
        x.why = "The price is forward secrecy. The pre-master secret is protected only by the server's long-term "
                "RSA key, so whoever gets that key later (a break-in, a leaked backup, a court order) can decrypt "
                "every recorded session that used it. ECDHE and DHE suites sign a one-time key instead.";
        if (f.suite && f.suite->isEphemeral())
            x.why = "The chosen suite needs it; this skip is unexpected.";
        x.realWorld = "TLS 1.3 removed RSA key transport for this reason. It lingered in some data centres because "
                      "monitoring appliances holding the server key could decrypt traffic passively, which is the "
                      "very weakness; browsers put ECDHE suites first and are phasing RSA key exchange out.";
        x.rfc = "RFC 5246 §7.4.3, §7.4.7.1";
    } else if (sk.message == "CertificateStatus") {
        x.why = "Stapling is optional: without it the client either asks the CA's OCSP responder itself, checks a "
                "revocation list, or, as most browsers do for ordinary certificates, does not check revocation at "
                "all during the handshake.";
        x.realWorld = "Many servers staple; a client asks with status_request and a server holding a fresh response "
                      "from its CA sends it in CertificateStatus.";
        x.rfc = "RFC 6066 §8";
    } else if (sk.message == "CertificateRequest") {
        x.why = "Most servers authenticate their users after the handshake, with passwords, cookies or tokens "
                "inside the encrypted connection, so they do not ask for certificates.";
        x.realWorld = "Servers do ask where both ends are machines or known users: banking and payment APIs, "
                      "service meshes running mutual TLS between microservices, company VPN and Wi-Fi (EAP-TLS), "
                      "smart-card logins.";
        x.rfc = "RFC 5246 §7.4.4";
    } else if (sk.message == "Certificate" && sk.sender == Side::Client) {
        x.why = "A client sends a certificate only in answer to CertificateRequest; the server did not ask, so the "
                "client stays anonymous at the TLS level.";
        x.realWorld = "On the web the user is identified later, by a login inside the encrypted connection.";
        x.rfc = "RFC 5246 §7.4.6";
    } else if (sk.message == "CertificateVerify") {
        x.why = "CertificateVerify proves ownership of a certificate's private key; without a client certificate "
                "there is nothing to prove.";
        x.rfc = "RFC 5246 §7.4.8";
    } else if (sk.message == "Certificate") {
        x.why = "Anonymous suites give encryption without knowing who is at the other end, which any man in the "
                "middle exploits trivially.";
        x.realWorld = "Anonymous (DH_anon) suites are disabled in browsers and in the default settings of common "
                      "TLS libraries.";
        x.rfc = "RFC 5246 §7.4.2";
    } else {
        x.why = "Optional steps are taken only when the negotiated parameters call for them.";
        x.rfc = "RFC 5246 §7.3";
    }
    return x;
}

// ---------------------------------------------------------------------------------------------------------------
// Alerts and application data as the endpoints see them

Explanation explainAlertEvent(const AlertEvent& a)
{
    Explanation x;
    const std::string name = alertName(a.description);
    const std::string level = levelName(a.level);
    const AlertText text = alertText(a.description);
    const std::string who = sideTitle(a.side);
    const bool close = a.description == static_cast<std::uint8_t>(AlertDescription::CloseNotify);
    if (a.sent) {
        x.title = who + " sends a " + level + " " + name + " alert";
        // The reason is quoted as the engine wrote it, so the panel and the log read the same.
        if (a.reason.empty())
            x.what = "The " + side(a.side) + " raises " + name + ".";
        else if (a.level == AlertLevel::Fatal)
            x.what = "The " + side(a.side) + " ends the handshake: " + a.reason + ".";
        else
            x.what = sentence(a.reason);
        if (!close)
            add(x.what, sentence("The alert says " + text.meaning));
    } else {
        x.title = who + " receives a " + level + " " + name + " alert";
        x.what = "The " + side(a.side) + " reads the " + side(peerOf(a.side)) + "'s alert: " + text.meaning + ".";
        if (a.level == AlertLevel::Fatal)
            add(x.what, "It closes the connection at once.");
        else if (!close)
            add(x.what, "It may go on.");
    }
    x.why = alertWhy(a.level, a.description);
    x.realWorld = text.realWorld;
    x.rfc = text.rfc;
    return x;
}

Explanation explainApplicationData(const ApplicationDataEvent& d)
{
    Explanation x;
    x.title = sideTitle(d.side) + " reads application data";
    x.what = "After checking and decrypting the record, the " + side(d.side) + " hands " + bytesText(d.data.size()) +
             " to the application.";
    const std::optional<std::string> line = firstLine(d.data);
    if (line)
        add(x.what, "They begin: \"" + *line + "\".");
    x.why = "Only content whose integrity check passed reaches the application; a forged or altered record would "
            "end the connection with bad_record_mac instead.";
    if (line && (startsWith(*line, "GET ") || startsWith(*line, "POST ") || startsWith(*line, "HTTP/")))
        x.realWorld = "The content is HTTP: HTTPS is exactly this, plain HTTP carried inside TLS records, request "
                      "line and headers included.";
    x.rfc = "RFC 5246 §10";
    return x;
}

// ---------------------------------------------------------------------------------------------------------------
// The run

struct DataTotals {
    std::size_t toServer = 0, toClient = 0;
    bool closed = false;
};

DataTotals dataTotals(const Trace& t)
{
    DataTotals d;
    for (const TraceEvent& e : t.events()) {
        if (const auto* a = std::get_if<ApplicationDataEvent>(&e))
            (a->side == Side::Server ? d.toServer : d.toClient) += a->data.size();
        else if (const auto* al = std::get_if<AlertEvent>(&e);
                 al && al->description == static_cast<std::uint8_t>(AlertDescription::CloseNotify))
            d.closed = true;
    }
    return d;
}

// What one connection's handshake cost, counted from the trace: the round trips before the client may send data (one
// per server flight of handshake records) and the public-key operations both sides did (signatures made and checked,
// ephemeral keys generated, pre-master secrets computed by encryption or (EC)DH).
struct HandshakeCost {
    int roundTrips = 0;
    int publicKeyOperations = 0;
    bool resumed = false;
    bool byTicket = false; // resumed from a session ticket (RFC 5077) rather than the server's cache
    bool ticketIssued = false; // the server sent NewSessionTicket on this connection
    bool completed = false;
};

HandshakeCost handshakeCost(const Trace& t, int connection)
{
    HandshakeCost c;
    std::optional<Side> lastSender;
    for (const TraceEvent& e : t.events()) {
        if (connectionOf(e) != connection)
            continue;
        if (const auto* r = std::get_if<RecordEvent>(&e)) {
            const bool handshakePart = r->contentType == static_cast<std::uint8_t>(ContentType::Handshake) ||
                                       r->contentType == static_cast<std::uint8_t>(ContentType::ChangeCipherSpec);
            if (!handshakePart)
                continue;
            if (r->from == Side::Server && lastSender != Side::Server)
                ++c.roundTrips;
            lastSender = r->from;
            for (const MessageInfo& m : r->messages)
                if (isHandshake(m, HandshakeType::ServerKeyExchange) || isHandshake(m, HandshakeType::CertificateVerify))
                    ++c.publicKeyOperations; // the signature made
                else if (isHandshake(m, HandshakeType::NewSessionTicket))
                    c.ticketIssued = true;
        } else if (const auto* k = std::get_if<CertificateCheckEvent>(&e)) {
            if (contains(k->check, "signature") || k->check == "CertificateVerify")
                ++c.publicKeyOperations;
        } else if (const auto* s = std::get_if<SecretEvent>(&e)) {
            if (s->name == "pre_master_secret" || s->name == "client_ephemeral_private" ||
                s->name == "server_ephemeral_private")
                ++c.publicKeyOperations;
            if (s->name == "master_secret" && contains(s->formula, "session ticket"))
                c.byTicket = true;
        } else if (const auto* st = std::get_if<StateEvent>(&e)) {
            if (st->state == "resuming")
                c.resumed = true;
            if (st->state == "Connected")
                c.completed = true;
        }
    }
    return c;
}

std::string countText(int n, const std::string& one, const std::string& many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The resumption lesson of a run with several connections: what the second one reused and what it saved.
std::string resumptionText(const Trace& t)
{
    std::string out;
    const HandshakeCost first = handshakeCost(t, 1);
    for (int n = 2; n <= t.connectionCount(); ++n) {
        const HandshakeCost c = handshakeCost(t, n);
        const std::string which = "Connection " + std::to_string(n);
        if (c.resumed && c.completed && c.byTicket) {
            add(out, which + " resumed the session of connection 1 from a ticket: the client had saved the ticket "
                             "the server gave it with the master secret, suite and version, and the server kept "
                             "nothing; it opened the ticket with its ticket key and found the same state inside. "
                             "Only the randoms are new, and the keys come from the saved master secret with them.");
        } else if (c.resumed && c.completed) {
            add(out, which + " resumed the session of connection 1: the client had saved its session ID, master "
                             "secret, suite and version, and the server still held the same in its session cache. "
                             "Only the randoms are new, and the keys come from the saved master secret with them.");
        }
        if (c.resumed && c.completed) {
            add(out, "Its handshake took " + countText(c.roundTrips, "round trip", "round trips") + " instead of " +
                         std::to_string(first.roundTrips) + " and " +
                         countText(c.publicKeyOperations, "public-key operation", "public-key operations") +
                         " instead of " + std::to_string(first.publicKeyOperations) +
                         ": no certificate to send and check, no key exchange to sign, encrypt or compute, because "
                         "both sides proved with Finished that they still know the saved master secret.");
        } else if (c.completed) {
            add(out, which + " offered to resume the session of connection 1, but the server ran the full "
                             "handshake again (" +
                         countText(c.roundTrips, "round trip", "round trips") + ", " +
                         countText(c.publicKeyOperations, "public-key operation", "public-key operations") +
                         (c.ticketIssued ? ") and sealed the new session into a new ticket."
                                         : ") and named a new session."));
        }
    }
    return out;
}

} // namespace

static Explanation explainEventWith(const Trace& trace, std::size_t index, const RunFacts& facts)
{
    if (index >= trace.size())
        return {};
    const TraceEvent& e = trace.events()[index];
    if (const auto* r = std::get_if<RecordEvent>(&e))
        return explainRecord(trace, index, *r, facts);
    if (const auto* s = std::get_if<SecretEvent>(&e))
        return explainSecret(trace, index, *s, facts);
    if (const auto* c = std::get_if<CertificateCheckEvent>(&e))
        return explainCheck(trace, *c);
    if (const auto* c = std::get_if<CertificateChainEvent>(&e))
        return explainChain(*c);
    if (const auto* st = std::get_if<StateEvent>(&e))
        return explainState(*st, facts);
    if (const auto* sk = std::get_if<SkippedStepEvent>(&e))
        return explainSkipped(*sk, facts);
    if (const auto* a = std::get_if<AlertEvent>(&e))
        return explainAlertEvent(*a);
    if (const auto* d = std::get_if<ApplicationDataEvent>(&e))
        return explainApplicationData(*d);
    return {};
}

Explanation explainEvent(const Trace& trace, std::size_t index)
{
    return index < trace.size() ? explainEventWith(trace, index, gatherFacts(trace)) : Explanation{};
}

Explanation explainRun(const Trace& trace)
{
    Explanation x;
    const RunFacts f = gatherFacts(trace);
    const std::string name = !trace.scenarioTitle.empty() ? trace.scenarioTitle
                             : trace.scenario.empty()      ? std::string("This run")
                                                           : "Scenario " + trace.scenario;
    const Outcome& o = trace.outcome;
    x.title = name + (o.completed ? ": completed" : ": failed");

    x.what = trace.scenarioDescription;
    if (f.suite)
        add(x.what, "The server chose " + std::string(f.suite->name) + ": " + keyExchangePhrase(*f.suite, f.group) +
                        ", with records protected by " + protectionName(*f.suite) + ".");
    if (f.clientAuthRequested)
        add(x.what, std::string("The server asks for a client certificate") +
                        (f.clientCertificateSent == true    ? " and the client presents one."
                         : f.clientCertificateSent == false ? " and the client has none to give."
                                                            : "."));
    else if (f.suite)
        add(x.what, "Only the server is authenticated; the client stays anonymous at the TLS level.");
    if (o.completed) {
        const DataTotals d = dataTotals(trace);
        std::string end = "The handshake completed";
        if (d.toServer || d.toClient)
            end += ", the client sent " + bytesText(d.toServer) + " and the server " + bytesText(d.toClient) +
                   " of application data";
        end += d.closed ? ", and both sides closed with close_notify." : ".";
        add(x.what, end);
        if (trace.connectionCount() > 1)
            add(x.what, resumptionText(trace));
    } else if (o.alert != 0 || !o.reason.empty()) {
        std::string end = "The handshake failed";
        if (o.alert != 0)
            end += ": the " + side(o.alertFrom) + " sent a fatal " + alertName(o.alert) + " alert";
        if (!o.reason.empty())
            end += " because " + o.reason;
        add(x.what, sentence(end));
    } else {
        add(x.what, "The handshake failed.");
    }

    if (o.completed) {
        x.why = f.suite ? forwardSecrecyText(*f.suite) : std::string();
        add(x.why, "Both Finished messages verified, so the two sides hold the same keys and saw the same handshake.");
        if (f.suite)
            x.realWorld = f.suite->isEphemeral()
                              ? cipherRealWorld(*f.suite)
                              : "RSA key transport survives in old configurations; TLS 1.3 removed it, and current "
                                "guidance asks for ECDHE suites.";
    } else {
        const AlertText text = alertText(o.alert);
        x.why = sentence("The alert means " + text.meaning);
        if (const CertificateCheckEvent* c = failedCheck(trace)) {
            const CheckText ct = checkText(*c);
            add(x.why, ct.why);
            x.realWorld = ct.realWorld;
        } else {
            x.realWorld = text.realWorld;
        }
    }
    const std::string suiteRfc = f.suite ? suiteRfcs(*f.suite) : std::string();
    x.rfc = "RFC 5246 §7.3" + (suiteRfc.empty() ? std::string() : "; " + suiteRfc);
    return x;
}

Explanation explainRunOpening(const Trace& trace)
{
    Explanation x;
    const RunFacts f = gatherFacts(trace);
    x.title = !trace.scenarioTitle.empty() ? trace.scenarioTitle
              : trace.scenario.empty()      ? std::string("This run")
                                            : "Scenario " + trace.scenario;
    x.what = trace.scenarioDescription;
    if (f.suite)
        add(x.what, "The server chose " + std::string(f.suite->name) + ": " + keyExchangePhrase(*f.suite, f.group) +
                        ", with records protected by " + protectionName(*f.suite) + ".");
    if (f.clientAuthRequested)
        add(x.what, "The server will ask the client for a certificate.");
    add(x.what, "Step through to see each message on the wire, the keys as each side derives them, and how the "
                "certificates are checked.");
    x.why = f.suite ? forwardSecrecyText(*f.suite) : std::string();
    const std::string suiteRfc = f.suite ? suiteRfcs(*f.suite) : std::string();
    x.rfc = "RFC 5246 §7.3" + (suiteRfc.empty() ? std::string() : "; " + suiteRfc);
    return x;
}

// Calls `found(i, text)` for each teacher's note of the records among events [0, end), in event order.
template <typename Found> static void forEachTeacherNote(const Trace& trace, std::size_t end, Found found)
{
    if (trace.notes.steps.empty())
        return;
    // Count each side's messages by name up to this record, as the scenario file counts them.
    std::map<std::pair<int, std::string>, std::size_t> seen;
    for (std::size_t i = 0; i < end; ++i) {
        const auto* r = std::get_if<RecordEvent>(&trace.events()[i]);
        if (!r || !r->note.empty())
            continue;
        std::string out;
        for (const MessageInfo& m : r->messages) {
            const std::size_t n = ++seen[{static_cast<int>(r->from), m.name}];
            for (const TeachingNotes::StepNote& note : trace.notes.steps)
                if (note.message == m.name && (!note.from || *note.from == r->from) && note.occurrence == n)
                    out += (out.empty() ? "" : " ") + note.text;
        }
        if (!out.empty())
            found(i, std::move(out));
    }
}

std::string teacherNote(const Trace& trace, std::size_t index)
{
    if (index >= trace.size() || !std::holds_alternative<RecordEvent>(trace.events()[index]))
        return {};
    std::string out;
    forEachTeacherNote(trace, index + 1, [&](std::size_t i, std::string text) {
        if (i == index)
            out = std::move(text);
    });
    return out;
}

struct RunExplainer::Facts {
    RunFacts facts;
};

RunExplainer::RunExplainer(const Trace& trace) : m_trace(trace), m_facts(new Facts{gatherFacts(trace)})
{
    forEachTeacherNote(trace, trace.size(),
                       [this](std::size_t i, std::string text) { m_notes.emplace_back(i, std::move(text)); });
}

RunExplainer::~RunExplainer() = default;

Explanation RunExplainer::event(std::size_t index) const
{
    return index < m_trace.size() ? explainEventWith(m_trace, index, m_facts->facts) : Explanation{};
}

std::string RunExplainer::teacherNote(std::size_t index) const
{
    const auto it = std::lower_bound(m_notes.begin(), m_notes.end(), index,
                                     [](const auto& note, std::size_t i) { return note.first < i; });
    return it != m_notes.end() && it->first == index ? it->second : std::string();
}

} // namespace hl
