// The scenarios shipped with the application.
#include "session/scenario.h"

namespace hl {

namespace {
// OpenSSL 3's default TLS 1.2 order, less the suites this engine does not speak.
constexpr std::uint16_t kModernClientOffer[] = {
    0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc027,
    0xc014, 0xc009, 0xc013, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f,
};
// A server's order as current configuration guides give it: forward secrecy and AEAD first, RSA key transport
// last, no RC4 or 3DES.
constexpr std::uint16_t kModernServerPreference[] = {
    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009e, 0x009f, 0xccaa, 0xc027,
    0xc009, 0xc013, 0xc014, 0x0033, 0x009c, 0x009d, 0x003c, 0x003d, 0x002f, 0x0035,
};
// What a server from the late 2000s accepted, strongest first.
const std::vector<std::uint16_t> kLegacyServer = {0x002f, 0x0035, 0x000a, 0x0005, 0x0004};

Expectation fails(AlertDescription alert, Side from)
{
    return Expectation{false, static_cast<std::uint8_t>(alert), from};
}

std::vector<Scenario> makeScenarios()
{
    std::vector<Scenario> v;
    Scenario s;
    s.name = "default";
    s.title = "ECDHE-RSA with AES-128-GCM";
    s.description = "The handshake most web servers run today: ephemeral x25519 keys signed by an RSA certificate.";
    v.push_back(s);

    s = Scenario{};
    s.name = "rsa";
    s.title = "RSA key transport";
    s.description = "The client encrypts the pre-master secret to the server's RSA key: no ServerKeyExchange, no "
                    "forward secrecy.";
    s.cipherSuite = 0x002f;
    v.push_back(s);

    s = Scenario{};
    s.name = "dhe";
    s.title = "Finite-field DHE";
    s.description = "Diffie-Hellman over the RFC 7919 ffdhe2048 group: the server sends p, g and its public value.";
    s.cipherSuite = 0x009e;
    v.push_back(s);

    s = Scenario{};
    s.name = "ecdsa";
    s.title = "ECDHE-ECDSA";
    s.description = "An elliptic-curve certificate: the server signs its key share with ECDSA P-256.";
    s.cipherSuite = 0xc02b;
    v.push_back(s);

    s = Scenario{};
    s.name = "chacha";
    s.title = "ChaCha20-Poly1305";
    s.description = "The AEAD cipher phones prefer: no AES hardware needed, no explicit nonce on the wire.";
    s.cipherSuite = 0xcca8;
    v.push_back(s);

    s = Scenario{};
    s.name = "client-auth";
    s.title = "Mutual authentication";
    s.description = "The server asks for a certificate; the client sends one and proves it owns the key.";
    s.clientAuth = ClientAuthMode::Require;
    v.push_back(s);

    s = Scenario{};
    s.name = "client-auth-missing";
    s.title = "Client certificate missing";
    s.description = "The server requires a client certificate, the client has none: the handshake fails.";
    s.clientAuth = ClientAuthMode::Require;
    s.clientHasCertificate = false;
    s.expect = fails(AlertDescription::HandshakeFailure, Side::Server);
    v.push_back(s);

    s = Scenario{};
    s.name = "wrong-host";
    s.title = "Wrong host name";
    s.description = "The client expects another host than the certificate names: it refuses to go on.";
    s.serverName = "www.example.com";
    s.expect = fails(AlertDescription::BadCertificate, Side::Client);
    v.push_back(s);

    // ---- versions and negotiation
    s = Scenario{};
    s.name = "negotiation";
    s.title = "Choosing a suite";
    s.description = "The client offers twenty suites, the server holds an RSA and an ECDSA certificate and picks by its "
                    "own preference.";
    s.serverSuites.assign(std::begin(kModernServerPreference), std::end(kModernServerPreference));
    v.push_back(s);

    s.name = "client-preference";
    s.title = "The client's order decides";
    s.description = "The same offer, but the server follows the client's order of preference instead of its own.";
    s.serverPreference = false;
    v.push_back(s);

    s = Scenario{};
    s.name = "tls11";
    s.title = "TLS 1.1: an explicit IV per record";
    s.description = "A server that stops at TLS 1.1: the client offers TLS 1.2 and they settle on 1.1, CBC with a "
                    "fresh IV in every record.";
    s.clientMinVersion = kTls10;
    s.serverMinVersion = kTls10;
    s.serverMaxVersion = kTls11;
    s.serverSuites = kLegacyServer;
    v.push_back(s);

    s.name = "tls10";
    s.title = "TLS 1.0: chained IVs";
    s.description = "A server that stops at TLS 1.0 (\"SSL 3.1\" on the wire): each record's CBC IV is the last block "
                    "of the record before, the weakness BEAST used.";
    s.serverMaxVersion = kTls10;
    v.push_back(s);

    s.name = "tls10-split";
    s.title = "TLS 1.0 with the 1/n-1 split";
    s.description = "The same TLS 1.0 connection with the defence browsers adopted against BEAST: a one-byte record "
                    "first, so the next IV cannot be predicted.";
    s.cbcRecordSplitting = true;
    v.push_back(s);

    s = Scenario{};
    s.name = "ssl3";
    s.title = "SSL 3.0";
    s.description = "An old client that speaks only SSL 3.0: no extensions, its own MAC, key derivation and Finished.";
    s.clientMinVersion = kSsl30;
    s.clientMaxVersion = kSsl30;
    s.serverMinVersion = kSsl30;
    s.clientSuites = kLegacyServer;
    s.serverSuites = kLegacyServer;
    v.push_back(s);

    s = Scenario{};
    s.name = "rc4";
    s.title = "RC4, the stream cipher the web gave up";
    s.description = "A TLS 1.0 server that still prefers RC4: no IV, no padding, one key stream for the whole "
                    "connection.";
    s.clientMinVersion = kTls10;
    s.clientSuites = {0xc02f, 0x002f, 0x0005};
    s.serverMinVersion = kTls10;
    s.serverMaxVersion = kTls10;
    s.serverSuites = {0x0005, 0x002f};
    v.push_back(s);

    s = Scenario{};
    s.name = "no-common-version";
    s.title = "No version in common";
    s.description = "A current client (TLS 1.2 only) meets a server that stops at TLS 1.0: the server answers with "
                    "protocol_version.";
    s.serverMinVersion = kTls10;
    s.serverMaxVersion = kTls10;
    s.serverSuites = kLegacyServer;
    s.expect = fails(AlertDescription::ProtocolVersion, Side::Client);
    v.push_back(s);

    s = Scenario{};
    s.name = "no-common-suite";
    s.title = "No cipher suite in common";
    s.description = "A current client offers only modern suites; the server still accepts only RC4 and 3DES: "
                    "handshake_failure.";
    s.serverSuites = {0x0005, 0x000a};
    s.expect = fails(AlertDescription::HandshakeFailure, Side::Server);
    v.push_back(s);

    s = Scenario{};
    s.name = "fallback-scsv";
    s.title = "A fallback the server refuses";
    s.description = "After a failed attempt the client retries at TLS 1.1 and says so (TLS_FALLBACK_SCSV); the server "
                    "can do TLS 1.2, smells a downgrade and answers inappropriate_fallback.";
    s.clientMinVersion = kTls10;
    s.clientMaxVersion = kTls11;
    s.fallbackScsv = true;
    s.serverMinVersion = kTls10;
    s.serverSuites.assign(std::begin(kModernServerPreference), std::end(kModernServerPreference));
    s.expect = fails(AlertDescription::InappropriateFallback, Side::Server);
    v.push_back(s);

    // ---- the attacker in the middle
    s = Scenario{};
    s.name = "downgrade-attack";
    s.title = "A forced downgrade, caught by the sentinel";
    s.description = "Someone on the path rewrites the client's offer from TLS 1.2 to TLS 1.0; the server marks its "
                    "answer and the client, which offered more, refuses at ServerHello.";
    s.clientMinVersion = kTls10;
    s.serverMinVersion = kTls10;
    s.serverSuites.assign(std::begin(kModernServerPreference), std::end(kModernServerPreference));
    InterceptRule downgrade;
    downgrade.message = "ClientHello";
    downgrade.action = InterceptRule::Action::Rewrite;
    downgrade.setVersion = kTls10;
    s.interceptRules = {downgrade};
    s.expect = fails(AlertDescription::IllegalParameter, Side::Client);
    v.push_back(s);

    s = Scenario{};
    s.name = "strip-suites";
    s.title = "Strong suites stripped from the offer";
    s.description = "An attacker leaves only RSA key transport in the client's offer. The server obliges, but the "
                    "client's Finished covers the offer it really sent, so the server stops the handshake. (The "
                    "extended master secret is off here; with it the keys themselves would differ.)";
    s.extendedMasterSecret = false;
    s.serverSuites.assign(std::begin(kModernServerPreference), std::end(kModernServerPreference));
    InterceptRule strip;
    strip.message = "ClientHello";
    strip.action = InterceptRule::Action::Rewrite;
    strip.setSuites = {0x002f};
    s.interceptRules = {strip};
    s.expect = fails(AlertDescription::DecryptError, Side::Server);
    v.push_back(s);

    s = Scenario{};
    s.name = "forged-ske";
    s.title = "A forged ServerKeyExchange";
    s.description = "One bit of the server's signature over its key share is changed on the way: the client's check "
                    "fails, so nobody can slip in their own Diffie-Hellman value.";
    InterceptRule forge;
    forge.message = "ServerKeyExchange";
    forge.field = "signature";
    s.interceptRules = {forge};
    s.expect = fails(AlertDescription::DecryptError, Side::Client);
    v.push_back(s);

    s = Scenario{};
    s.name = "tampered-hello";
    s.title = "A tampered handshake byte, caught by Finished";
    s.description = "One letter of the host name in ClientHello is changed on the way. Nothing checks it at once; "
                    "the server finds out when the client's Finished does not match the handshake it saw.";
    s.extendedMasterSecret = false;
    InterceptRule hello;
    hello.message = "ClientHello";
    hello.field = "host_name";
    s.interceptRules = {hello};
    s.expect = fails(AlertDescription::DecryptError, Side::Server);
    v.push_back(s);

    s = Scenario{};
    s.name = "tampered-data";
    s.title = "Tampered application data";
    s.description = "One bit of the client's encrypted request is changed on the way: the record fails its "
                    "integrity check and the server ends the connection with bad_record_mac.";
    InterceptRule data;
    data.message = "ApplicationData";
    data.from = Side::Client;
    data.byte = 20;
    s.interceptRules = {data};
    s.expect = fails(AlertDescription::BadRecordMac, Side::Server);
    v.push_back(s);

    // ---- client authentication: every outcome, each failure with the alert OpenSSL sends (x509/verify.cpp)
    const auto clientAuth = [](const char* name, const char* title, const char* description) {
        Scenario c;
        c.name = name;
        c.title = title;
        c.description = description;
        c.topic = "Client authentication";
        c.clientAuth = ClientAuthMode::Require;
        return c;
    };
    s = clientAuth("client-auth-optional", "Optional client certificate, sent",
                   "The server asks for a certificate but would go on without one; this client has one, sends it and "
                   "proves it owns the key.");
    s.clientAuth = ClientAuthMode::Request;
    v.push_back(s);

    s = clientAuth("client-auth-optional-none", "Optional client certificate, none sent",
                   "The server asks for a certificate but does not insist: the client answers with an empty list "
                   "and no CertificateVerify, and the handshake completes with an anonymous client.");
    s.clientAuth = ClientAuthMode::Request;
    s.clientHasCertificate = false;
    v.push_back(s);

    s = clientAuth("client-untrusted", "Client certificate from an unknown CA",
                   "The client's certificate was issued by a CA the server does not trust: unknown_ca.");
    s.demoNames.clientCredential = "other-client";
    s.expect = fails(AlertDescription::UnknownCa, Side::Server);
    v.push_back(s);

    s = clientAuth("client-expired", "Expired client certificate",
                   "The client's certificate ran out on 2025-01-01: certificate_expired.");
    s.demoNames.clientCredential = "client-expired";
    s.expect = fails(AlertDescription::CertificateExpired, Side::Server);
    v.push_back(s);

    s = clientAuth("client-wrong-usage", "A certificate not meant for TLS clients",
                   "The client presents a certificate issued for e-mail encryption (keyEncipherment, "
                   "emailProtection): unsupported_certificate.");
    s.demoNames.clientCredential = "client-wrong-usage";
    s.expect = fails(AlertDescription::UnsupportedCertificate, Side::Server);
    v.push_back(s);

    s = clientAuth("client-revoked", "Revoked client certificate",
                   "The server checks the client's certificate against its CA's revocation list, which names it: "
                   "certificate_revoked.");
    s.demoNames.clientCredential = "client-revoked";
    s.demoNames.serverCrls = {"root-ca", "intermediate-ca"};
    s.expect = fails(AlertDescription::CertificateRevoked, Side::Server);
    v.push_back(s);

    s = clientAuth("client-forged-verify", "A CertificateVerify that does not verify",
                   "The client's signature over the handshake is changed on the way, as if the client did not hold "
                   "its certificate's key: decrypt_error.");
    InterceptRule verify;
    verify.message = "CertificateVerify";
    verify.field = "signature";
    s.interceptRules = {verify};
    s.expect = fails(AlertDescription::DecryptError, Side::Server);
    v.push_back(s);

    // ---- the server's certificate, checked by the client
    const auto serverCert = [](const char* name, const char* title, const char* description) {
        Scenario c;
        c.name = name;
        c.title = title;
        c.description = description;
        c.topic = "Server certificate";
        return c;
    };
    s = serverCert("server-unknown-ca", "Server certificate from an unknown CA",
                   "The server's certificate was issued by a CA the client does not trust: unknown_ca.");
    s.demoNames.serverCredentials = {"other-server"};
    s.expect = fails(AlertDescription::UnknownCa, Side::Client);
    v.push_back(s);

    s = serverCert("server-expired", "Expired server certificate",
                   "The server's certificate ran out on 2025-01-01: certificate_expired.");
    s.demoNames.serverCredentials = {"server-rsa-expired"};
    s.expect = fails(AlertDescription::CertificateExpired, Side::Client);
    v.push_back(s);

    s = serverCert("server-not-yet-valid", "Server certificate not valid yet",
                   "The server's certificate becomes valid only in 2100. OpenSSL answers bad_certificate, not "
                   "certificate_expired.");
    s.demoNames.serverCredentials = {"server-rsa-not-yet-valid"};
    s.expect = fails(AlertDescription::BadCertificate, Side::Client);
    v.push_back(s);

    s = serverCert("server-bad-signature", "Server certificate with a broken signature",
                   "The intermediate CA's signature on the server's certificate does not verify: decrypt_error, as "
                   "OpenSSL sends for a certificate signature failure.");
    s.demoNames.serverCredentials = {"server-rsa-bad-signature"};
    s.expect = fails(AlertDescription::DecryptError, Side::Client);
    v.push_back(s);

    s = serverCert("server-key-mismatch", "A server holding the wrong private key",
                   "The certificate is genuine but the server signs its key share with another key: the client's "
                   "check of ServerKeyExchange fails with decrypt_error.");
    s.demoNames.serverCredentials = {"server-key-mismatch"};
    s.expect = fails(AlertDescription::DecryptError, Side::Client);
    v.push_back(s);

    s = serverCert("server-key-mismatch-rsa", "The wrong private key with RSA key transport",
                   "Nothing is signed, so nobody notices at first: the server cannot decrypt the pre-master secret, "
                   "goes on with a random one as RFC 5246 requires, and the client's first encrypted record fails "
                   "with bad_record_mac.");
    s.cipherSuite = 0x002f;
    s.demoNames.serverCredentials = {"server-key-mismatch"};
    s.expect = fails(AlertDescription::BadRecordMac, Side::Server);
    v.push_back(s);

    s = serverCert("server-revoked", "Revoked server certificate",
                   "The client checks the server's certificate against its CA's revocation list, which names it: "
                   "certificate_revoked.");
    s.demoNames.serverCredentials = {"server-rsa-revoked"};
    s.demoNames.clientCrls = {"root-ca", "intermediate-ca"};
    s.expect = fails(AlertDescription::CertificateRevoked, Side::Client);
    v.push_back(s);

    s = serverCert("server-crl-stale", "A stale revocation list",
                   "The client's only CRL for the intermediate CA is past its nextUpdate, so it cannot tell whether "
                   "the certificate was revoked since: certificate_expired, as OpenSSL sends for an expired CRL.");
    s.demoNames.clientCrls = {"intermediate-ca-stale"};
    s.expect = fails(AlertDescription::CertificateExpired, Side::Client);
    v.push_back(s);
    return v;
}
} // namespace

bool meetsExpectation(const Scenario& scenario, const Trace& trace, std::string* why)
{
    const Expectation& e = scenario.expect;
    const Outcome& o = trace.outcome;
    const auto say = [why](std::string text) {
        if (why)
            *why = std::move(text);
        return false;
    };
    if (!trace.warnings.empty())
        return say(trace.warnings.front());
    if (e.completed)
        return o.completed ? true : say("expected the handshake to complete, but it " + outcomeSummary(trace));
    if (o.completed)
        return say("expected the " + std::string(sideName(e.alertFrom)) + " to send " + alertName(e.alert) +
                   ", but the handshake completed");
    if (o.alert != e.alert || o.alertFrom != e.alertFrom)
        return say("expected the " + std::string(sideName(e.alertFrom)) + " to send " + alertName(e.alert) +
                   ", but the run " + outcomeSummary(trace));
    return true;
}

std::span<const std::uint16_t> modernClientOffer() { return kModernClientOffer; }
std::span<const std::uint16_t> modernServerPreference() { return kModernServerPreference; }

std::span<const Scenario> builtinScenarios()
{
    static const std::vector<Scenario> scenarios = makeScenarios();
    return scenarios;
}

const Scenario* findScenario(std::string_view name)
{
    for (const Scenario& s : builtinScenarios())
        if (s.name == name)
            return &s;
    return nullptr;
}

} // namespace hl
