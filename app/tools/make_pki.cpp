// handshakelab-make-pki OUTDIR: writes the demo PKI (root, intermediate, RSA and ECDSA servers, a client), the
// broken and revoked variants the trust lessons use, a second unrelated CA, and a CRL per CA, as PEM.
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
// The variants must fail the same way under the reproducible clock (2026-01-01) and the real one: expired ones end
// before 2026, not-yet-valid ones start after 2100.
const std::int64_t kExpiredNotBefore = hl::der::unixFromCivil({2020, 1, 1, 0, 0, 0});
const std::int64_t kExpiredNotAfter = hl::der::unixFromCivil({2025, 1, 1, 0, 0, 0});
const std::int64_t kFutureNotBefore = hl::der::unixFromCivil({2100, 1, 1, 0, 0, 0});
const std::int64_t kFutureNotAfter = hl::der::unixFromCivil({2120, 1, 1, 0, 0, 0});
// When the revoked certificates were revoked, and the window of the current and of a stale CRL.
const std::int64_t kRevokedOn = hl::der::unixFromCivil({2025, 6, 1, 0, 0, 0});
const std::int64_t kStaleThisUpdate = hl::der::unixFromCivil({2025, 1, 1, 0, 0, 0});
const std::int64_t kStaleNextUpdate = hl::der::unixFromCivil({2025, 2, 1, 0, 0, 0});

// RFC 2849 LDIF of the demo directory: two users, the demo student holding the demo client certificate in
// userCertificate;binary (base64, folded at 76 columns), another student holding none. The directory check
// (serve --directory, server.directory in scenarios) and the slapd test load it.
std::string directoryLdif(const hl::Certificate& studentCertificate)
{
    static const char* const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string b64;
    const hl::Bytes& d = studentCertificate.der;
    for (std::size_t i = 0; i < d.size(); i += 3) {
        const std::uint32_t n = (std::uint32_t(d[i]) << 16) | (i + 1 < d.size() ? std::uint32_t(d[i + 1]) << 8 : 0) |
                                (i + 2 < d.size() ? std::uint32_t(d[i + 2]) : 0);
        b64 += alphabet[(n >> 18) & 63];
        b64 += alphabet[(n >> 12) & 63];
        b64 += i + 1 < d.size() ? alphabet[(n >> 6) & 63] : '=';
        b64 += i + 2 < d.size() ? alphabet[n & 63] : '=';
    }
    std::string line = "userCertificate;binary:: " + b64;
    std::string folded;
    for (std::size_t i = 0; i < line.size(); i += (i == 0 ? 76 : 75)) {
        if (i > 0)
            folded += "\n ";
        folded += line.substr(i, i == 0 ? 76 : 75);
    }
    return "# The HandshakeLab demo directory (written by scripts/make-pki.sh). The server's directory check looks the\n"
           "# client's user up here and accepts it only if its certificate is in userCertificate.\n"
           "\n"
           "dn: dc=handshakelab,dc=test\n"
           "objectClass: dcObject\n"
           "objectClass: organization\n"
           "o: HandshakeLab Demo\n"
           "dc: handshakelab\n\n"
           "dn: ou=people,dc=handshakelab,dc=test\n"
           "objectClass: organizationalUnit\n"
           "ou: people\n\n"
           "dn: cn=HandshakeLab Demo Student,ou=people,dc=handshakelab,dc=test\n"
           "objectClass: inetOrgPerson\n"
           "cn: HandshakeLab Demo Student\n"
           "sn: Student\n"
           "uid: student\n" +
           folded + "\n\n"
           "dn: cn=Other Demo Student,ou=people,dc=handshakelab,dc=test\n"
           "objectClass: inetOrgPerson\n"
           "cn: Other Demo Student\n"
           "sn: Student\n"
           "uid: other-student\n";
}

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

hl::CertificateBuilder clientLeaf(std::uint16_t serial, const std::string& commonName, const hl::PrivateKey& key)
{
    hl::CertificateBuilder b = base(serial, commonName, key);
    b.ca = false;
    b.keyUsage = hl::KeyUsage::DigitalSignature;
    b.extendedKeyUsage = {"clientAuth"};
    return b;
}

hl::CertificateBuilder caCert(std::uint16_t serial, const std::string& commonName, const hl::PrivateKey& key)
{
    hl::CertificateBuilder b = base(serial, commonName, key);
    b.ca = true;
    b.keyUsage = hl::KeyUsage::KeyCertSign | hl::KeyUsage::CrlSign;
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
        client.cert = clientLeaf(0x2001, "HandshakeLab Demo Student", client.key)
                          .signWith(intermediate.cert, intermediate.key, signing);

        // ---- Variants of the server certificate, on the same key: only the certificate is wrong.
        const std::uint16_t rsaUsage = hl::KeyUsage::DigitalSignature | hl::KeyUsage::KeyEncipherment;
        hl::Certificate serverExpired, serverNotYetValid, serverBadSignature, serverRevoked;
        {
            hl::CertificateBuilder b = serverLeaf(0x1003, serverRsa.key, rsaUsage);
            b.notBefore = kExpiredNotBefore;
            b.notAfter = kExpiredNotAfter;
            serverExpired = b.signWith(intermediate.cert, intermediate.key, signing);
        }
        {
            hl::CertificateBuilder b = serverLeaf(0x1004, serverRsa.key, rsaUsage);
            b.notBefore = kFutureNotBefore;
            b.notAfter = kFutureNotAfter;
            serverNotYetValid = b.signWith(intermediate.cert, intermediate.key, signing);
        }
        {
            // A genuine signature with its last byte changed: the issuer and every field are right, only the
            // signature no longer covers them.
            const hl::Certificate good =
                serverLeaf(0x1005, serverRsa.key, rsaUsage).signWith(intermediate.cert, intermediate.key, signing);
            hl::Bytes signature = good.signature;
            signature.back() ^= 0x01;
            serverBadSignature = hl::Certificate::parse(
                hl::CertificateBuilder::assemble(good.tbsDer, intermediate.key.type(), signature));
        }
        serverRevoked =
            serverLeaf(0x1006, serverRsa.key, rsaUsage).signWith(intermediate.cert, intermediate.key, signing);

        // ---- Variants of the client certificate, on the client's key.
        hl::Certificate clientExpired, clientWrongUsage, clientRevoked;
        {
            hl::CertificateBuilder b = clientLeaf(0x2002, "HandshakeLab Demo Student", client.key);
            b.notBefore = kExpiredNotBefore;
            b.notAfter = kExpiredNotAfter;
            clientExpired = b.signWith(intermediate.cert, intermediate.key, signing);
        }
        {
            // Issued for e-mail encryption: keyEncipherment only, and emailProtection instead of clientAuth.
            hl::CertificateBuilder b = clientLeaf(0x2003, "HandshakeLab Demo Student", client.key);
            b.keyUsage = hl::KeyUsage::KeyEncipherment;
            b.extendedKeyUsage = {"1.3.6.1.5.5.7.3.4"};
            clientWrongUsage = b.signWith(intermediate.cert, intermediate.key, signing);
        }
        clientRevoked = clientLeaf(0x2004, "HandshakeLab Demo Student", client.key)
                            .signWith(intermediate.cert, intermediate.key, signing);

        // ---- A second CA nobody configured to trust, with a server and a client of its own.
        Issued otherCa{makeKey(hl::KeyType::Rsa, "other-ca"), {}};
        {
            hl::CertificateBuilder b = caCert(0x01, "Other Demo Root CA", otherCa.key);
            b.subject = {{"O", "Other Demo CA"}, {"CN", "Other Demo Root CA"}};
            otherCa.cert = b.selfSign(otherCa.key, signing);
        }
        Issued otherServer{makeKey(hl::KeyType::Rsa, "other-server"), {}};
        otherServer.cert = serverLeaf(0x3001, otherServer.key, rsaUsage).signWith(otherCa.cert, otherCa.key, signing);
        Issued otherClient{makeKey(hl::KeyType::Rsa, "other-client"), {}};
        otherClient.cert =
            clientLeaf(0x3002, "Other Demo Student", otherClient.key).signWith(otherCa.cert, otherCa.key, signing);

        // ---- A CRL per CA (RFC 5280 §5), valid as long as the certificates, and a stale one for the lessons.
        hl::CrlBuilder rootList;
        rootList.thisUpdate = kNotBefore;
        rootList.nextUpdate = kNotAfter;
        const hl::Crl rootCrl = rootList.signWith(root.cert, root.key, signing);
        hl::CrlBuilder intermediateList;
        intermediateList.thisUpdate = kRevokedOn;
        intermediateList.nextUpdate = kNotAfter;
        intermediateList.crlNumber = 2;
        intermediateList.revoked = {{serverRevoked.serial, kRevokedOn, hl::RevocationReason::KeyCompromise},
                                    {clientRevoked.serial, kRevokedOn, hl::RevocationReason::AffiliationChanged}};
        const hl::Crl intermediateCrl = intermediateList.signWith(intermediate.cert, intermediate.key, signing);
        hl::CrlBuilder staleList = intermediateList;
        staleList.thisUpdate = kStaleThisUpdate;
        staleList.nextUpdate = kStaleNextUpdate;
        staleList.crlNumber = 1;
        staleList.revoked.clear();
        const hl::Crl staleCrl = staleList.signWith(intermediate.cert, intermediate.key, signing);
        hl::CrlBuilder otherList;
        otherList.thisUpdate = kNotBefore;
        otherList.nextUpdate = kNotAfter;
        const hl::Crl otherCrl = otherList.signWith(otherCa.cert, otherCa.key, signing);

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

        // Variants: a chain file each (leaf, intermediate); the key is the one of the certificate they vary.
        const auto chain = [&](const std::string& name, const hl::Certificate& leaf) {
            writeFile(dir / (name + ".chain.pem"), pem(leaf) + pem(intermediate.cert));
        };
        chain("server-rsa-expired", serverExpired);
        chain("server-rsa-not-yet-valid", serverNotYetValid);
        chain("server-rsa-bad-signature", serverBadSignature);
        chain("server-rsa-revoked", serverRevoked);
        chain("client-expired", clientExpired);
        chain("client-wrong-usage", clientWrongUsage);
        chain("client-revoked", clientRevoked);
        save("other-ca", otherCa);
        save("other-server", otherServer);
        save("other-client", otherClient);
        // A root-issued leaf: the chain is the leaf alone.
        writeFile(dir / "other-server.chain.pem", pem(otherServer.cert));
        writeFile(dir / "other-client.chain.pem", pem(otherClient.cert));

        const auto crl = [](const hl::Crl& c) { return hl::pemEncode(c.der, "X509 CRL"); };
        writeFile(dir / "root-ca.crl.pem", crl(rootCrl));
        writeFile(dir / "intermediate-ca.crl.pem", crl(intermediateCrl));
        writeFile(dir / "intermediate-ca-stale.crl.pem", crl(staleCrl));
        writeFile(dir / "other-ca.crl.pem", crl(otherCrl));

        writeFile(dir / "demo-directory.ldif", directoryLdif(client.cert));
    } catch (const std::exception& e) {
        std::cerr << "handshakelab-make-pki: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
