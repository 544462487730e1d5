// The scenarios shipped with the application.
#include "session/scenario.h"

namespace hl {

namespace {
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
    return v;
}
} // namespace

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
