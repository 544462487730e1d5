// handshakelab-make-pki OUTDIR: writes the demo PKI (root, intermediate, RSA and ECDSA servers, a client) as PEM.
//
// Deterministic: every key and signature draws from hl::SeededRng with a fixed seed, and the validity dates are
// fixed, so running it again reproduces resources/pki/ byte for byte. scripts/make-pki.sh builds and runs it.
#include "crypto/rng.h"
#include "x509/certificate_builder.h"
#include "x509/der.h"
#include "x509/pem.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

// Changing the seed changes every key; the resources and the tests that pin their bytes would need updating.
constexpr std::uint64_t kSeed = 20250101;

const std::int64_t kNotBefore = hl::der::unixFromCivil({2025, 1, 1, 0, 0, 0});
const std::int64_t kNotAfter = hl::der::unixFromCivil({2045, 1, 1, 0, 0, 0});
const char* const kOrganization = "HandshakeLab Demo";

struct Issued {
    hl::PrivateKey key;
    hl::Certificate cert;
};

void writeFile(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
    std::cout << "wrote " << path.string() << "\n";
}

hl::PrivateKey makeKey(hl::KeyType type, const char* label)
{
    hl::SeededRng rng(kSeed, std::string("HandshakeLab demo PKI key ") + label);
    return hl::PrivateKey::generate(type, rng);
}

hl::CertificateBuilder base(std::uint16_t serial, const std::string& commonName, const hl::PrivateKey& key)
{
    hl::CertificateBuilder b;
    b.serial = {static_cast<std::uint8_t>(serial >> 8), static_cast<std::uint8_t>(serial & 0xff)};
    if (b.serial[0] == 0)
        b.serial.erase(b.serial.begin());
    b.subject = {{"O", kOrganization}, {"CN", commonName}};
    b.notBefore = kNotBefore;
    b.notAfter = kNotAfter;
    b.publicKey = key.publicKey();
    return b;
}

hl::CertificateBuilder serverLeaf(std::uint16_t serial, const hl::PrivateKey& key, std::uint16_t keyUsage)
{
    hl::CertificateBuilder b = base(serial, "localhost", key);
    b.ca = false;
    b.keyUsage = keyUsage;
    b.extendedKeyUsage = {"serverAuth"};
    b.dnsNames = {"localhost", "www.handshakelab.test"};
    b.ipAddresses = {"127.0.0.1"};
    return b;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: handshakelab-make-pki OUTDIR\n";
        return 2;
    }
    try {
        const std::filesystem::path dir = argv[1];
        std::filesystem::create_directories(dir);
        hl::SeededRng signing(kSeed, "HandshakeLab demo PKI signatures");

        Issued root{makeKey(hl::KeyType::Rsa, "root-ca"), {}};
        {
            hl::CertificateBuilder b = base(0x01, "HandshakeLab Demo Root CA", root.key);
            b.ca = true;
            b.keyUsage = hl::KeyUsage::KeyCertSign | hl::KeyUsage::CrlSign;
            root.cert = b.selfSign(root.key, signing);
        }
        Issued intermediate{makeKey(hl::KeyType::Rsa, "intermediate-ca"), {}};
        {
            hl::CertificateBuilder b = base(0x02, "HandshakeLab Demo Intermediate CA", intermediate.key);
            b.ca = true;
            b.pathLength = 0; // it may sign only end-entity certificates
            b.keyUsage = hl::KeyUsage::KeyCertSign | hl::KeyUsage::CrlSign;
            intermediate.cert = b.signWith(root.cert, root.key, signing);
        }
        Issued serverRsa{makeKey(hl::KeyType::Rsa, "server-rsa"), {}};
        serverRsa.cert =
            serverLeaf(0x1001, serverRsa.key, hl::KeyUsage::DigitalSignature | hl::KeyUsage::KeyEncipherment)
                .signWith(intermediate.cert, intermediate.key, signing);
        Issued serverEcdsa{makeKey(hl::KeyType::EcdsaP256, "server-ecdsa"), {}};
        serverEcdsa.cert = serverLeaf(0x1002, serverEcdsa.key, hl::KeyUsage::DigitalSignature)
                               .signWith(intermediate.cert, intermediate.key, signing);
        Issued client{makeKey(hl::KeyType::Rsa, "client"), {}};
        {
            hl::CertificateBuilder b = base(0x2001, "HandshakeLab Demo Student", client.key);
            b.ca = false;
            b.keyUsage = hl::KeyUsage::DigitalSignature;
            b.extendedKeyUsage = {"clientAuth"};
            client.cert = b.signWith(intermediate.cert, intermediate.key, signing);
        }

        const auto pem = [](const hl::Certificate& c) { return hl::pemEncode(c.der, "CERTIFICATE"); };
        const auto save = [&](const std::string& name, const Issued& i) {
            writeFile(dir / (name + ".crt.pem"), pem(i.cert));
            writeFile(dir / (name + ".key.pem"), i.key.pkcs8Pem());
        };
        save("root-ca", root);
        save("intermediate-ca", intermediate);
        save("server-rsa", serverRsa);
        save("server-ecdsa", serverEcdsa);
        save("client", client);
        // TLS sends the leaf then the certificates that lead to the anchor (RFC 5246 §7.4.2); the root stays out.
        writeFile(dir / "server-rsa.chain.pem", pem(serverRsa.cert) + pem(intermediate.cert));
        writeFile(dir / "server-ecdsa.chain.pem", pem(serverEcdsa.cert) + pem(intermediate.cert));
        writeFile(dir / "client.chain.pem", pem(client.cert) + pem(intermediate.cert));
    } catch (const std::exception& e) {
        std::cerr << "handshakelab-make-pki: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
