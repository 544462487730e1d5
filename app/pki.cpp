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
    static const DemoPki pki = [] {
        DemoPki p{parseCertificates(resourceText("root-ca.crt.pem"), "root-ca.crt.pem").front(),
                  credential("server-rsa.chain.pem", "server-rsa.key.pem"),
                  credential("server-ecdsa.chain.pem", "server-ecdsa.key.pem"),
                  credential("client.chain.pem", "client.key.pem")};
        return p;
    }();
    return pki;
}

namespace {
const Certificate& intermediateCa()
{
    static const Certificate ca =
        parseCertificates(resourceText("intermediate-ca.crt.pem"), "intermediate-ca.crt.pem").front();
    return ca;
}
} // namespace

const Credential* demoCredential(std::string_view name)
{
    const DemoPki& p = demoPki();
    if (name == "server-rsa")
        return &p.serverRsa;
    if (name == "server-ecdsa")
        return &p.serverEcdsa;
    if (name == "client")
        return &p.client;
    return nullptr;
}

const Certificate* demoCertificate(std::string_view name)
{
    if (name == "root-ca")
        return &demoPki().root;
    if (name == "intermediate-ca")
        return &intermediateCa();
    return nullptr;
}

std::vector<std::string> demoCredentialNames()
{
    return {"server-rsa", "server-ecdsa", "client"};
}

std::vector<std::string> demoCertificateNames()
{
    return {"root-ca", "intermediate-ca"};
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
