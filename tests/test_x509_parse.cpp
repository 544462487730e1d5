// Certificate parsing: malformed DER is refused with bad_certificate and never crashes; the demo PKI and a
// real-world certificate read correctly; the field tree points at the right bytes; PEM and time helpers.
#include "common/alert.h"
#include "crypto/rng.h"
#include "x509/certificate.h"
#include "x509/certificate_builder.h"
#include "x509/der.h"
#include "x509/oids.h"
#include "x509/pem.h"

#include "test_files.h"

#include <QtTest>

#include <functional>

using namespace hl;

namespace {

using hltest::resource;
using hltest::testData;


Bytes pemDer(const std::string& text)
{
    return pemDecodeAll(text, "CERTIFICATE").front();
}

std::int64_t utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0)
{
    return der::unixFromCivil({y, mo, d, h, mi, s});
}

// Parsing must end in a certificate or in TlsError(bad_certificate / unsupported_certificate), nothing else.
QString parseOutcome(ByteView der)
{
    try {
        Certificate::parse(der);
        return "parsed";
    } catch (const TlsError& e) {
        if (e.alert() != AlertDescription::BadCertificate && e.alert() != AlertDescription::UnsupportedCertificate)
            return "wrong alert " + QString::fromStdString(alertName(e.alert()));
        if (!QString(e.what()).startsWith("certificate: "))
            return "message without the certificate: prefix: " + QString(e.what());
        return "rejected";
    } catch (const std::exception& e) {
        return "other exception: " + QString(e.what());
    }
}


Bytes bytesAt(const Bytes& der, const Field& f, std::size_t base = 0)
{
    return Bytes(der.begin() + static_cast<std::ptrdiff_t>(f.offset - base),
                 der.begin() + static_cast<std::ptrdiff_t>(f.offset - base + f.length));
}

// Changes the last octet of the length of the element at `offset` by `delta`.
Bytes lieAboutLength(Bytes der, std::size_t offset, int delta)
{
    const std::uint8_t first = der[offset + 1];
    const std::size_t lastLengthOctet = first < 0x80 ? offset + 1 : offset + 1 + (first & 0x7f);
    der[lastLengthOctet] = static_cast<std::uint8_t>(der[lastLengthOctet] + delta);
    return der;
}

} // namespace

class TestX509Parse : public QObject {
    Q_OBJECT

private:
    Bytes m_serverRsa, m_serverEcdsa, m_root, m_illustratedServer, m_illustratedCa;

private slots:
    void initTestCase()
    {
        m_serverRsa = pemDer(resource("server-rsa.crt.pem"));
        m_serverEcdsa = pemDer(resource("server-ecdsa.crt.pem"));
        m_root = pemDer(resource("root-ca.crt.pem"));
        m_illustratedServer = pemDer(testData("tls12_illustrated_server.crt"));
        m_illustratedCa = pemDer(testData("tls12_illustrated_ca.crt"));
    }

    // ---- negative tests ----------------------------------------------------------------------------------

    void parse_rejectsEveryTruncation()
    {
        for (const Bytes* der : {&m_serverRsa, &m_serverEcdsa, &m_illustratedServer}) {
            for (std::size_t n = 0; n < der->size(); ++n)
                QCOMPARE(parseOutcome(ByteView(*der).first(n)), QString("rejected"));
        }
    }

    void parse_rejectsTrailingBytes()
    {
        Bytes der = m_serverRsa;
        der.push_back(0x00);
        QCOMPARE(parseOutcome(der), QString("rejected"));
        try {
            Certificate::parse(concat(m_serverRsa, m_root));
            QFAIL("accepted two certificates as one");
        } catch (const TlsError& e) {
            QCOMPARE(e.alert(), AlertDescription::BadCertificate);
            QVERIFY2(QString(e.what()).contains("trailing bytes"), e.what());
        }
    }

    void parse_rejectsLyingLengths_data()
    {
        QTest::addColumn<QString>("element");
        QTest::addColumn<int>("delta");
        for (const char* element :
             {"Certificate", "tbsCertificate", "serialNumber", "signature", "issuer", "CN", "validity", "notBefore",
              "subject", "subjectPublicKeyInfo", "subjectPublicKey", "extensions", "basicConstraints", "subjectAltName",
              "DNS", "signatureAlgorithm", "signatureValue"})
            for (int delta : {-1, +1})
                QTest::addRow("%s %+d", element, delta) << QString(element) << delta;
    }
    void parse_rejectsLyingLengths()
    {
        QFETCH(QString, element);
        QFETCH(int, delta);
        const Certificate cert = Certificate::parse(m_serverRsa);
        std::size_t offset = 0;
        if (element != "Certificate") {
            // Keep the field tree alive: findField points into it.
            const std::vector<Field> fields = cert.describe();
            const Field* f = findField(fields, element.toStdString());
            QVERIFY(f);
            offset = f->offset;
        }
        QCOMPARE(parseOutcome(lieAboutLength(m_serverRsa, offset, delta)), QString("rejected"));
    }

    void parse_rejectsWrongTags_data()
    {
        QTest::addColumn<QString>("element");
        QTest::addColumn<int>("newTag");
        QTest::newRow("tbsCertificate as SET") << "tbsCertificate" << 0x31;
        QTest::newRow("version as [1]") << "version" << 0xa1;
        QTest::newRow("serialNumber as OCTET STRING") << "serialNumber" << 0x04;
        QTest::newRow("issuer as SET") << "issuer" << 0x31;
        QTest::newRow("notBefore as OCTET STRING") << "notBefore" << 0x04;
        QTest::newRow("subjectPublicKey as OCTET STRING") << "subjectPublicKey" << 0x04;
        QTest::newRow("extensions as [2]") << "extensions" << 0xa2;
        QTest::newRow("extnID as INTEGER") << "extnID" << 0x02;
        QTest::newRow("critical as INTEGER") << "critical" << 0x02;
        QTest::newRow("signatureValue as OCTET STRING") << "signatureValue" << 0x04;
        QTest::newRow("multi-octet tag") << "serialNumber" << 0x1f;
    }
    void parse_rejectsWrongTags()
    {
        QFETCH(QString, element);
        QFETCH(int, newTag);
        const Certificate cert = Certificate::parse(m_serverRsa);
        const std::vector<Field> fields = cert.describe(); // findField points into it
        const Field* f = findField(fields, element.toStdString());
        QVERIFY(f);
        Bytes der = m_serverRsa;
        der[f->offset] = static_cast<std::uint8_t>(newTag);
        QCOMPARE(parseOutcome(der), QString("rejected"));
    }

    void parse_rejectsBerLengthForms()
    {
        // The outer SEQUENCE is 30 82 hi lo. Indefinite form (X.690 §8.1.3.6) is BER only.
        Bytes indefinite = m_serverRsa;
        indefinite[1] = 0x80;
        QCOMPARE(parseOutcome(indefinite), QString("rejected"));
        // 30 83 00 hi lo: a length with a leading zero octet is not minimal (X.690 §10.1).
        Bytes padded = {0x30, 0x83, 0x00, m_serverRsa[2], m_serverRsa[3]};
        padded.insert(padded.end(), m_serverRsa.begin() + 4, m_serverRsa.end());
        QCOMPARE(parseOutcome(padded), QString("rejected"));
    }

    void parse_neverCrashesOnSingleByteDamage()
    {
        // Every byte of a certificate replaced four ways: each result parses or is rejected with TlsError.
        int rejected = 0;
        for (const Bytes* original : {&m_serverEcdsa, &m_illustratedServer}) {
            for (std::size_t i = 0; i < original->size(); ++i) {
                const std::uint8_t was = (*original)[i];
                for (const std::uint8_t now :
                     {std::uint8_t(was ^ 0x01), std::uint8_t(was ^ 0x80), std::uint8_t(0x00), std::uint8_t(0xff)}) {
                    Bytes der = *original;
                    der[i] = now;
                    const QString outcome = parseOutcome(der);
                    QVERIFY2(outcome == "parsed" || outcome == "rejected",
                             qPrintable(QString("byte %1: %2").arg(i).arg(outcome)));
                    rejected += outcome == "rejected";
                }
            }
        }
        QVERIFY(rejected > 0);
    }

    void parse_rejectsSignatureAlgorithmMismatch()
    {
        // RFC 5280 §4.1.1.2: the outer signatureAlgorithm must repeat tbsCertificate.signature.
        const Certificate cert = Certificate::parse(m_serverRsa);
        const Bytes forged = CertificateBuilder::assemble(cert.tbsDer, KeyType::EcdsaP256, cert.signature);
        try {
            Certificate::parse(forged);
            QFAIL("accepted");
        } catch (const TlsError& e) {
            QCOMPARE(e.alert(), AlertDescription::BadCertificate);
            QVERIFY2(QString(e.what()).contains("differs from signatureAlgorithm"), e.what());
        }
    }

    void parse_rejectsBadExtensions_data()
    {
        QTest::addColumn<QString>("oid");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("expectedMessage");
        QTest::newRow("second basicConstraints")
            << QString(oid::BasicConstraints.data()) << QByteArray("\x30\x00", 2) << "appears twice";
        QTest::newRow("subjectAltName not a SEQUENCE")
            << QString(oid::SubjectAltName.data()) << QByteArray("\x04\x01\x00", 3) << "subjectAltName";
        QTest::newRow("keyUsage with trailing bytes")
            << QString(oid::KeyUsage.data()) << QByteArray("\x03\x02\x07\x80\x00", 5) << "trailing";
        QTest::newRow("iPAddress of 5 bytes")
            << QString(oid::SubjectAltName.data()) << QByteArray("\x30\x07\x87\x05\x01\x02\x03\x04\x05", 9)
            << "4 or 16 bytes";
    }
    void parse_rejectsBadExtensions()
    {
        QFETCH(QString, oid);
        QFETCH(QByteArray, value);
        QFETCH(QString, expectedMessage);
        const PrivateKey rootKey = PrivateKey::fromPem(resource("root-ca.key.pem"));
        SeededRng rng(1, "bad extension");
        CertificateBuilder b;
        b.subject = {{"CN", "bad extension"}};
        b.notBefore = utc(2025, 1, 1);
        b.notAfter = utc(2026, 1, 1);
        b.publicKey = PrivateKey::generate(KeyType::EcdsaP256, rng).publicKey();
        b.ca = false;
        b.extraExtensions = {{oid.toStdString(), "", false, Bytes(value.begin(), value.end())}};
        try {
            b.signWith(Certificate::parse(m_root), rootKey, rng);
            QFAIL("accepted");
        } catch (const TlsError& e) {
            QCOMPARE(e.alert(), AlertDescription::BadCertificate);
            QVERIFY2(QString(e.what()).contains(expectedMessage), e.what());
        }
    }

    void parse_reportsUnsupportedKeyAlgorithm()
    {
        try {
            Certificate::parse(pemDer(testData("p384_selfsigned.crt")));
            QFAIL("accepted a P-384 key");
        } catch (const TlsError& e) {
            QCOMPARE(e.alert(), AlertDescription::UnsupportedCertificate);
            QVERIFY2(QString(e.what()).contains("secp384r1"), e.what());
        }
    }

    void pemDecodeAll_rejectsDamagedArmour_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expectedMessage");
        QTest::newRow("no block") << "hello"
                                  << "no \"-----BEGIN CERTIFICATE-----\" block";
        QTest::newRow("other label only") << "-----BEGIN X-----\nAAAA\n-----END X-----\n"
                                          << "no \"-----BEGIN";
        QTest::newRow("bad character") << "-----BEGIN CERTIFICATE-----\nAA$A\n-----END CERTIFICATE-----\n"
                                       << "invalid base64 character '$'";
        QTest::newRow("truncated base64") << "-----BEGIN CERTIFICATE-----\nAAAAA\n-----END CERTIFICATE-----\n"
                                          << "not a multiple of 4";
        QTest::newRow("padding in the middle") << "-----BEGIN CERTIFICATE-----\nAA==AAAA\n-----END CERTIFICATE-----\n"
                                               << "invalid base64 character";
        QTest::newRow("mismatched END") << "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n"
                                        << "is closed by \"-----END PRIVATE KEY-----\"";
        QTest::newRow("missing END") << "-----BEGIN CERTIFICATE-----\nAAAA\n"
                                     << "has no END line";
        QTest::newRow("empty block") << "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"
                                     << "empty";
        QTest::newRow("headers")
            << "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END CERTIFICATE-----\n"
            << "has headers";
    }
    void pemDecodeAll_rejectsDamagedArmour()
    {
        QFETCH(QString, text);
        QFETCH(QString, expectedMessage);
        try {
            pemDecodeAll(text.toStdString(), "CERTIFICATE");
            QFAIL("accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(expectedMessage), e.what());
        }
    }

    // ---- positive tests ----------------------------------------------------------------------------------

    void parse_readsTheDemoPki_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("ca");         // -1: no basicConstraints
        QTest::addColumn<int>("pathLength"); // -1: none
        QTest::addColumn<int>("keyUsage");
        QTest::addColumn<QString>("eku");
        QTest::addColumn<QString>("names");
        const QString root = "CN=HandshakeLab Demo Root CA, O=HandshakeLab Demo";
        const QString intermediate = "CN=HandshakeLab Demo Intermediate CA, O=HandshakeLab Demo";
        const QString server = "CN=localhost, O=HandshakeLab Demo";
        const QString names = "localhost www.handshakelab.test 127.0.0.1";
        using namespace KeyUsage;
        QTest::newRow("root") << "root-ca.crt.pem" << root << root << "RSA 2048 bits" << 1 << -1
                              << int(KeyCertSign | CrlSign) << ""
                              << "";
        QTest::newRow("intermediate") << "intermediate-ca.crt.pem" << intermediate << root << "RSA 2048 bits" << 1 << 0
                                      << int(KeyCertSign | CrlSign) << ""
                                      << "";
        QTest::newRow("server RSA") << "server-rsa.crt.pem" << server << intermediate << "RSA 2048 bits" << 0 << -1
                                    << int(DigitalSignature | KeyEncipherment) << "serverAuth" << names;
        QTest::newRow("server ECDSA") << "server-ecdsa.crt.pem" << server << intermediate << "ECDSA P-256" << 0 << -1
                                      << int(DigitalSignature) << "serverAuth" << names;
        QTest::newRow("client") << "client.crt.pem"
                                << "CN=HandshakeLab Demo Student, O=HandshakeLab Demo" << intermediate
                                << "RSA 2048 bits" << 0 << -1 << int(DigitalSignature) << "clientAuth"
                                << "";
    }
    void parse_readsTheDemoPki()
    {
        QFETCH(QString, file);
        QFETCH(QString, subject);
        QFETCH(QString, issuer);
        QFETCH(QString, key);
        QFETCH(int, ca);
        QFETCH(int, pathLength);
        QFETCH(int, keyUsage);
        QFETCH(QString, eku);
        QFETCH(QString, names);
        const Bytes der = pemDer(resource(file.toStdString()));
        const Certificate c = Certificate::parse(der);
        QCOMPARE(c.der, der);
        QCOMPARE(c.version, 3);
        QCOMPARE(QString::fromStdString(c.subject.toString()), subject);
        QCOMPARE(QString::fromStdString(c.issuer.toString()), issuer);
        QCOMPARE(c.isSelfIssued(), subject == issuer);
        QCOMPARE(c.signatureAlgorithm, std::string("sha256WithRSAEncryption"));
        QCOMPARE(c.signatureAlgorithmOid, std::string("1.2.840.113549.1.1.11"));
        QCOMPARE(QString::fromStdString(c.publicKey.description()), key);
        QCOMPARE(formatTime(c.notBefore), std::string("2025-01-01 00:00:00 UTC"));
        QCOMPARE(formatTime(c.notAfter), std::string("2045-01-01 00:00:00 UTC"));
        QCOMPARE(c.basicConstraintsCa.has_value(), ca >= 0);
        if (ca >= 0)
            QCOMPARE(*c.basicConstraintsCa, ca == 1);
        QCOMPARE(c.pathLength.value_or(-1), pathLength);
        QCOMPARE(int(c.keyUsage.value_or(0)), keyUsage);
        QCOMPARE(QString::fromStdString(c.extendedKeyUsage.empty() ? "" : c.extendedKeyUsage.front()), eku);
        QStringList found;
        for (const std::string& n : c.dnsNames)
            found << QString::fromStdString(n);
        for (const std::string& n : c.ipAddresses)
            found << QString::fromStdString(n);
        QCOMPARE(found.join(' '), names);
        QCOMPARE(c.subjectKeyId, keyIdentifier(c.publicKey));
        QCOMPARE(c.subjectKeyId.size(), std::size_t(20));
        QCOMPARE(c.authorityKeyId.size(), std::size_t(20));
        for (const Certificate::Extension& e : c.extensions)
            QCOMPARE(e.critical, e.name == "basicConstraints" || e.name == "keyUsage");
    }

    void parse_readsTheIllustratedServerCertificate()
    {
        const Certificate c = Certificate::parse(m_illustratedServer);
        QCOMPARE(c.version, 3);
        QCOMPARE(toHex(c.serial), std::string("155a92adc2048f90"));
        QCOMPARE(c.signatureAlgorithm, std::string("sha256WithRSAEncryption"));
        QCOMPARE(c.issuer.toString(), std::string("O=Example CA, C=US"));
        QCOMPARE(c.subject.toString(), std::string("CN=example.ulfheim.net, C=US"));
        QCOMPARE(c.subject.value("CN"), std::string("example.ulfheim.net"));
        QCOMPARE(formatTime(c.notBefore), std::string("2018-10-05 01:38:17 UTC"));
        QCOMPARE(formatTime(c.notAfter), std::string("2019-10-05 01:38:17 UTC"));
        QCOMPARE(c.publicKey.description(), std::string("RSA 2048 bits"));
        QCOMPARE(c.keyUsage, std::optional<std::uint16_t>(KeyUsage::DigitalSignature | KeyUsage::KeyEncipherment));
        QCOMPARE(c.extendedKeyUsage, (std::vector<std::string>{"clientAuth", "serverAuth"}));
        QCOMPARE(toHex(c.authorityKeyId), std::string("894fde5bcc69e252cf3ea300dfb197b81de1c146"));
        QVERIFY(c.dnsNames.empty());
        QVERIFY(!c.basicConstraintsCa);
        QCOMPARE(c.signature.size(), std::size_t(256));
        QVERIFY(!c.isSelfIssued());
        // The ServerKeyExchange key of the recorded session is this certificate's key.
        const PrivateKey key = PrivateKey::fromPem(testData("tls12_illustrated_server.key"));
        QVERIFY(key.publicKey() == c.publicKey);
    }

    void parse_readsTheIllustratedCaCertificate()
    {
        const Certificate ca = Certificate::parse(m_illustratedCa);
        QCOMPARE(toHex(ca.serial), std::string("01"));
        QVERIFY(ca.isSelfIssued());
        QCOMPARE(ca.basicConstraintsCa, std::optional<bool>(true));
        QCOMPARE(ca.keyUsage, std::optional<std::uint16_t>(KeyUsage::KeyCertSign | KeyUsage::CrlSign));
        QCOMPARE(ca.subjectKeyId, Certificate::parse(m_illustratedServer).authorityKeyId);
        QCOMPARE(formatTime(ca.notAfter), std::string("2028-10-05 01:37:55 UTC"));
    }

    void parse_keepsUnknownCriticalExtensions()
    {
        const PrivateKey rootKey = PrivateKey::fromPem(resource("root-ca.key.pem"));
        SeededRng rng(2, "unknown critical");
        CertificateBuilder b;
        b.subject = {{"CN", "unknown critical"}};
        b.notBefore = utc(2025, 1, 1);
        b.notAfter = utc(2026, 1, 1);
        b.publicKey = PrivateKey::generate(KeyType::EcdsaP256, rng).publicKey();
        b.extraExtensions = {{"1.3.6.1.4.1.55555.1", "", true, {0x05, 0x00}}};
        const Certificate c = b.signWith(Certificate::parse(m_root), rootKey, rng);
        const Certificate::Extension* e = c.findExtension("1.3.6.1.4.1.55555.1");
        QVERIFY(e);
        QVERIFY(e->critical);
        QCOMPARE(e->name, std::string("1.3.6.1.4.1.55555.1"));
        QCOMPARE(e->value, (Bytes{0x05, 0x00}));
    }

    void describe_offsetsPointAtTheFieldsBytes_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<int>("baseOffset");
        for (const char* which : {"server-rsa", "server-ecdsa", "illustrated"})
            for (int base : {0, 7, 1000})
                QTest::addRow("%s at %d", which, base) << QString(which) << base;
    }
    void describe_offsetsPointAtTheFieldsBytes()
    {
        QFETCH(QString, which);
        QFETCH(int, baseOffset);
        const Bytes& der = which == "server-rsa"     ? m_serverRsa
                           : which == "server-ecdsa" ? m_serverEcdsa
                                                     : m_illustratedServer;
        const Certificate c = Certificate::parse(der);
        const std::size_t base = std::size_t(baseOffset);
        const std::vector<Field> tree = c.describe(base);
        QCOMPARE(tree.size(), std::size_t(3));
        QCOMPARE(tree[0].name, std::string("tbsCertificate"));
        QCOMPARE(tree[1].name, std::string("signatureAlgorithm"));
        QCOMPARE(tree[2].name, std::string("signatureValue"));
        QCOMPARE(bytesAt(der, tree[0], base), c.tbsDer);
        QCOMPARE(bytesAt(der, *findField(tree, "subject"), base), c.subject.der);
        QCOMPARE(bytesAt(der, *findField(tree, "issuer"), base), c.issuer.der);
        QCOMPARE(bytesAt(der, *findField(tree, "subjectPublicKeyInfo"), base), c.publicKey.subjectPublicKeyInfo());
        const Bytes sig = bytesAt(der, tree[2], base);
        QVERIFY(std::equal(c.signature.rbegin(), c.signature.rend(), sig.rbegin()));
        QCOMPARE(tree[2].offset + tree[2].length, base + der.size());
        // The subject's CN child covers an AttributeTypeAndValue whose last bytes are the name itself.
        const Field* subject = findField(tree, "subject");
        const Field* cn = findField(subject->children, "CN");
        QVERIFY(cn);
        const std::string cnValue = c.subject.value("CN");
        const Bytes cnBytes = bytesAt(der, *cn, base);
        QCOMPARE(asString(ByteView(cnBytes).last(cnValue.size())), cnValue);
        // Every child lies inside its parent, every field inside the certificate.
        std::function<void(const Field&)> inside = [&](const Field& parent) {
            QVERIFY(parent.offset >= base && parent.offset + parent.length <= base + der.size());
            for (const Field& child : parent.children) {
                QVERIFY2(child.offset >= parent.offset && child.offset + child.length <= parent.offset + parent.length,
                         child.name.c_str());
                inside(child);
            }
        };
        for (const Field& f : tree)
            inside(f);
        QVERIFY(!tree[0].meaning.empty());
    }

    void describe_listsTheTbsFieldsInOrder()
    {
        const Certificate c = Certificate::parse(m_serverRsa);
        const std::vector<Field> tree = c.describe();
        std::vector<std::string> names;
        for (const Field& f : tree[0].children)
            names.push_back(f.name);
        QCOMPARE(names, (std::vector<std::string>{"version", "serialNumber", "signature", "issuer", "validity",
                                                  "subject", "subjectPublicKeyInfo", "extensions"}));
        const Field* san = findField(tree, "subjectAltName");
        QVERIFY(san);
        QCOMPARE(san->value, std::string("DNS:localhost, DNS:www.handshakelab.test, IP:127.0.0.1"));
        QCOMPARE(findField(tree, "basicConstraints")->value, std::string("critical, CA:FALSE"));
        QCOMPARE(findField(tree, "keyUsage")->value, std::string("critical, digitalSignature, keyEncipherment"));
        QCOMPARE(findField(tree, "validity")->value, std::string("2025-01-01 00:00:00 UTC to 2045-01-01 00:00:00 UTC"));
        const Field* dns = findField(san->children, "DNS");
        QVERIFY(dns);
        QCOMPARE(asString(ByteView(bytesAt(m_serverRsa, *dns)).subspan(2)), std::string("localhost"));
    }

    void builder_encodesTimesAcrossTheUtcTimeBoundary_data()
    {
        QTest::addColumn<qint64>("notBefore");
        QTest::addColumn<qint64>("notAfter");
        QTest::addColumn<int>("notAfterTag");
        QTest::newRow("1950 to 2049: UTCTime")
            << qint64(utc(1950, 1, 1)) << qint64(utc(2049, 12, 31, 23, 59, 59)) << int(der::UtcTime);
        QTest::newRow("2050: GeneralizedTime")
            << qint64(utc(2000, 2, 29, 12, 0, 1)) << qint64(utc(2050, 1, 1)) << int(der::GeneralizedTime);
        QTest::newRow("9999: GeneralizedTime")
            << qint64(utc(2020, 1, 1)) << qint64(utc(9999, 12, 31, 23, 59, 59)) << int(der::GeneralizedTime);
    }
    void builder_encodesTimesAcrossTheUtcTimeBoundary()
    {
        QFETCH(qint64, notBefore);
        QFETCH(qint64, notAfter);
        QFETCH(int, notAfterTag);
        SeededRng rng(3, "times");
        const PrivateKey key = PrivateKey::generate(KeyType::EcdsaP256, rng);
        CertificateBuilder b;
        b.subject = {{"CN", "times"}};
        b.notBefore = notBefore;
        b.notAfter = notAfter;
        const Certificate c = b.selfSign(key, rng);
        QCOMPARE(c.notBefore, notBefore);
        QCOMPARE(c.notAfter, notAfter);
        QCOMPARE(int(c.der[findField(c.describe(), "notAfter")->offset]), notAfterTag);
        QCOMPARE(c.signatureAlgorithm, std::string("ecdsa-with-SHA256"));
        QVERIFY(c.publicKey.verify(SignatureScheme::EcdsaSecp256r1Sha256, c.tbsDer, c.signature));
    }

    void formatTime_writesUtc_data()
    {
        QTest::addColumn<qint64>("unix");
        QTest::addColumn<QString>("text");
        QTest::newRow("epoch") << qint64(0) << "1970-01-01 00:00:00 UTC";
        QTest::newRow("before the epoch") << qint64(-1) << "1969-12-31 23:59:59 UTC";
        QTest::newRow("leap day 2000") << qint64(951782400) << "2000-02-29 00:00:00 UTC";
        QTest::newRow("2038 rollover") << qint64(2147483648LL) << "2038-01-19 03:14:08 UTC";
        QTest::newRow("demo notAfter") << qint64(2366841600LL) << "2045-01-01 00:00:00 UTC";
    }
    void formatTime_writesUtc()
    {
        QFETCH(qint64, unix);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatTime(unix)), text);
    }

    void civilDates_roundTripEveryDayFrom1900To2100()
    {
        std::int64_t previous = der::unixFromCivil({1899, 12, 31, 0, 0, 0});
        for (int y = 1900; y <= 2100; ++y) {
            for (int m = 1; m <= 12; ++m) {
                for (int d = 1; d <= 31; ++d) {
                    const der::CivilTime t{y, m, d, 12, 34, 56};
                    const der::CivilTime back = der::civilFromUnix(der::unixFromCivil(t));
                    if (back.month != m)
                        break; // past the month's end
                    QCOMPARE(back.year, y);
                    QCOMPARE(back.day, d);
                    QCOMPARE(back.hour * 3600 + back.minute * 60 + back.second, 12 * 3600 + 34 * 60 + 56);
                    const std::int64_t midnight = der::unixFromCivil({y, m, d, 0, 0, 0});
                    QCOMPARE(midnight - previous, std::int64_t(86400));
                    previous = midnight;
                }
            }
        }
    }

    void pemDecodeAll_readsEveryBlockInOrder()
    {
        const std::string text = "explanatory text\r\n" + resource("server-rsa.chain.pem") +
                                 "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        std::string crlf;
        for (char c : text)
            crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        const std::vector<Bytes> blocks = pemDecodeAll(crlf, "CERTIFICATE");
        QCOMPARE(blocks.size(), std::size_t(2));
        QCOMPARE(blocks[0], m_serverRsa);
        QCOMPARE(blocks[1], pemDer(resource("intermediate-ca.crt.pem")));
        QCOMPARE(pemLabels(text), (std::vector<std::string>{"CERTIFICATE", "CERTIFICATE", "PRIVATE KEY"}));
        const std::vector<Certificate> chain = parseCertificatesPem(resource("server-ecdsa.chain.pem"));
        QCOMPARE(chain.size(), std::size_t(2));
        QCOMPARE(chain[0].der, m_serverEcdsa);
    }

    void pemEncode_writes64CharacterLines()
    {
        const std::string pem = pemEncode(m_serverRsa, "CERTIFICATE");
        QCOMPARE(pem, resource("server-rsa.crt.pem"));
        std::istringstream lines(pem);
        std::string line;
        std::getline(lines, line);
        QCOMPARE(line, std::string("-----BEGIN CERTIFICATE-----"));
        std::getline(lines, line);
        QCOMPARE(line.size(), std::size_t(64));
        QCOMPARE(pemDecodeAll(pemEncode(Bytes{1, 2, 3, 4}, "X"), "X").front(), (Bytes{1, 2, 3, 4}));
    }

    void ipAddresses_parseAndFormat_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("hex"); // empty: not an address
        QTest::addColumn<QString>("canonical");
        QTest::newRow("IPv4") << "127.0.0.1"
                              << "7f000001"
                              << "127.0.0.1";
        QTest::newRow("IPv4 leading zero") << "127.0.0.01"
                                           << ""
                                           << "";
        QTest::newRow("IPv4 too large") << "256.0.0.1"
                                        << ""
                                        << "";
        QTest::newRow("IPv4 short") << "10.0.1"
                                    << ""
                                    << "";
        QTest::newRow("IPv6 loopback") << "::1"
                                       << "00000000000000000000000000000001"
                                       << "::1";
        QTest::newRow("IPv6 long form") << "2001:0db8:0:0:0:0:2:1"
                                        << "20010db8000000000000000000020001"
                                        << "2001:db8::2:1";
        QTest::newRow("IPv6 first longest run") << "2001:db8:0:0:1:0:0:1"
                                                << "20010db8000000000001000000000001"
                                                << "2001:db8::1:0:0:1";
        QTest::newRow("IPv6 two ::") << "1::2::3"
                                     << ""
                                     << "";
        QTest::newRow("host name") << "localhost"
                                   << ""
                                   << "";
    }
    void ipAddresses_parseAndFormat()
    {
        QFETCH(QString, text);
        QFETCH(QString, hex);
        QFETCH(QString, canonical);
        const std::optional<Bytes> parsed = parseIpAddress(text.toStdString());
        QCOMPARE(parsed.has_value(), !hex.isEmpty());
        if (parsed) {
            QCOMPARE(QString::fromStdString(toHex(*parsed)), hex);
            QCOMPARE(QString::fromStdString(formatIpAddress(*parsed)), canonical);
        }
    }

    void distinguishedName_escapesSpecialCharacters()
    {
        const DistinguishedName dn = encodeName({{"C", "NL"}, {"O", "Smith, Jones & Co"}, {"CN", "#1 \"quoted\""}});
        QCOMPARE(dn.toString(), std::string("CN=\\#1 \\\"quoted\\\", O=Smith\\, Jones & Co, C=NL"));
        QCOMPARE(dn.value("O"), std::string("Smith, Jones & Co"));
    }
};

QTEST_APPLESS_MAIN(TestX509Parse)
#include "test_x509_parse.moc"
