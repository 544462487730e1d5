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

std::string readTextFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
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
