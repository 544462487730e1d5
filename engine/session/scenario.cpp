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
    v.push_back(s);

    s = Scenario{};
    s.name = "wrong-host";
    s.title = "Wrong host name";
    s.description = "The client expects another host than the certificate names: it refuses to go on.";
    s.serverName = "www.example.com";
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
    v.push_back(s);

    s = Scenario{};
    s.name = "no-common-suite";
    s.title = "No cipher suite in common";
    s.description = "A current client offers only modern suites; the server still accepts only RC4 and 3DES: "
                    "handshake_failure.";
    s.serverSuites = {0x0005, 0x000a};
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
    v.push_back(s);
    return v;
}
} // namespace

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
