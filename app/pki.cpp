// PEM loading from files and from the executable's built-in resources.
#include "pki.h"

#include "x509/pem.h"

#include <QFile>

#include <fstream>
#include <sstream>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace hl::app {

namespace {
std::string resourceText(const QString& name)
{
    QFile f(":/pki/" + name);
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("the demo PKI file " + name.toStdString() +
                                 " is missing from this build (run scripts/make-pki.sh, then rebuild)");
    return f.readAll().toStdString();
}

std::vector<Certificate> parseCertificates(const std::string& pem, const std::string& origin)
{
    std::vector<Certificate> out;
    try {
        for (const Bytes& der : pemDecodeAll(pem, "CERTIFICATE"))
            out.push_back(Certificate::parse(der));
    } catch (const std::exception& e) {
        throw std::runtime_error(origin + ": " + e.what());
    }
    if (out.empty())
        throw std::runtime_error(origin + ": no CERTIFICATE block found");
    return out;
}

Credential credential(const QString& chainFile, const QString& keyFile)
{
    Credential c{parseCertificates(resourceText(chainFile), chainFile.toStdString()),
                 PrivateKey::fromPem(resourceText(keyFile))};
    return c;
}
} // namespace

std::string readTextFile(const std::string& path, std::size_t maxBytes)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    // Read at most one byte past the limit, so a device that never ends (/dev/zero) or a huge file is refused
    // without being loaded.
    std::string text(maxBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
        throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > maxBytes)
        throw std::runtime_error(path + " is larger than " + std::to_string(maxBytes / 1024) +
                                 " KiB, more than any certificate, key or scenario file needs");
    text.resize(got);
    return text;
}

const DemoPki& demoPki()
{
    // Name, chain file, key file: resources/pki/README.md says what each is for.
    struct CredentialFiles {
        const char* name;
        const char* chain;
        const char* key;
    };
    static constexpr CredentialFiles kCredentials[] = {
        {"server-rsa", "server-rsa.chain.pem", "server-rsa.key.pem"},
        {"server-ecdsa", "server-ecdsa.chain.pem", "server-ecdsa.key.pem"},
        {"client", "client.chain.pem", "client.key.pem"},
        {"server-rsa-expired", "server-rsa-expired.chain.pem", "server-rsa.key.pem"},
        {"server-rsa-not-yet-valid", "server-rsa-not-yet-valid.chain.pem", "server-rsa.key.pem"},
        {"server-rsa-bad-signature", "server-rsa-bad-signature.chain.pem", "server-rsa.key.pem"},
        {"server-rsa-revoked", "server-rsa-revoked.chain.pem", "server-rsa.key.pem"},
        // The genuine server certificate with somebody else's key: what a server misconfigured with the wrong
        // key file presents.
        {"server-key-mismatch", "server-rsa.chain.pem", "other-server.key.pem"},
        {"client-expired", "client-expired.chain.pem", "client.key.pem"},
        {"client-wrong-usage", "client-wrong-usage.chain.pem", "client.key.pem"},
        {"client-revoked", "client-revoked.chain.pem", "client.key.pem"},
        {"other-server", "other-server.chain.pem", "other-server.key.pem"},
        {"other-client", "other-client.chain.pem", "other-client.key.pem"},
    };
    static constexpr const char* kAuthorities[] = {"root-ca", "intermediate-ca", "other-ca"};
    static constexpr const char* kCrls[] = {"root-ca", "intermediate-ca", "intermediate-ca-stale", "other-ca"};

    static const DemoPki pki = [] {
        DemoPki p;
        for (const CredentialFiles& f : kCredentials)
            p.credentials.emplace(f.name, credential(f.chain, f.key));
        for (const char* name : kAuthorities) {
            const QString file = QString::fromLatin1(name) + ".crt.pem";
            p.authorities.emplace(name, parseCertificates(resourceText(file), file.toStdString()).front());
            p.authorityKeys.emplace(name, PrivateKey::fromPem(resourceText(QString::fromLatin1(name) + ".key.pem")));
        }
        for (const char* name : kCrls) {
            const QString file = QString::fromLatin1(name) + ".crl.pem";
            try {
                p.crls.emplace(name, parseCrlsPem(resourceText(file)).at(0));
            } catch (const std::exception& e) {
                throw std::runtime_error(file.toStdString() + ": " + e.what());
            }
        }
        p.root = p.authorities.at("root-ca");
        p.serverRsa = p.credentials.at("server-rsa");
        p.serverEcdsa = p.credentials.at("server-ecdsa");
        p.client = p.credentials.at("client");
        return p;
    }();
    return pki;
}

namespace {
template <typename T>
const T* find(const std::map<std::string, T, std::less<>>& catalogue, std::string_view name)
{
    const auto it = catalogue.find(name);
    return it == catalogue.end() ? nullptr : &it->second;
}

template <typename T>
std::vector<std::string> names(const std::map<std::string, T, std::less<>>& catalogue)
{
    std::vector<std::string> out;
    for (const auto& [name, value] : catalogue)
        out.push_back(name);
    return out;
}
} // namespace

const Credential* demoCredential(std::string_view name) { return find(demoPki().credentials, name); }
const Certificate* demoCertificate(std::string_view name) { return find(demoPki().authorities, name); }
const Crl* demoCrl(std::string_view name) { return find(demoPki().crls, name); }
std::vector<std::string> demoCredentialNames() { return names(demoPki().credentials); }
std::vector<std::string> demoCertificateNames() { return names(demoPki().authorities); }
std::vector<std::string> demoCrlNames() { return names(demoPki().crls); }

std::vector<Crl> loadCrls(const std::string& path)
{
    const std::string text = readTextFile(path);
    try {
        // PEM when it has a BEGIN line, otherwise one DER CRL (what `openssl crl -outform DER` writes).
        if (!pemLabels(text).empty()) {
            std::vector<Crl> out = parseCrlsPem(text);
            return out;
        }
        return {Crl::parse(asBytes(text))};
    } catch (const std::exception& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
}

std::vector<Certificate> loadCertificates(const std::string& path)
{
    return parseCertificates(readTextFile(path), path);
}

PrivateKey loadPrivateKey(const std::string& path)
{
    try {
        return PrivateKey::fromPem(readTextFile(path));
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
}

} // namespace hl::app
