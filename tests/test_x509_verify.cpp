// Chain verification: each way a certificate can be wrong is caught by the right check with the alert OpenSSL
// sends, and the good demo chains pass with every step recorded.
#include "common/alert.h"
#include "crypto/rng.h"
#include "x509/certificate_builder.h"
#include "x509/der.h"
#include "x509/pem.h"
#include "x509/verify.h"

#include "test_files.h"

#include <QtTest>

#include <functional>

using namespace hl;

Q_DECLARE_METATYPE(hl::AlertDescription)

namespace {

using hltest::resource;
using hltest::testData;


Certificate cert(const std::string& pem)
{
    return parseCertificatesPem(pem).front();
}

std::int64_t utc(int y, int mo, int d)
{
    return der::unixFromCivil({y, mo, d, 0, 0, 0});
}

const std::int64_t kNow = utc(2030, 6, 1);
const std::string kRootName = "CN=HandshakeLab Demo Root CA, O=HandshakeLab Demo";
const std::string kIntermediateName = "CN=HandshakeLab Demo Intermediate CA, O=HandshakeLab Demo";

QString describe(const ChainVerification& v)
{
    QString s = v.ok ? "OK" : "FAILED (" + QString::fromStdString(alertName(v.alert)) + ")";
    for (const VerificationStep& step : v.steps)
        s += QString("\n  [%1] %2 %3: %4")
                 .arg(step.certificateIndex)
                 .arg(QString::fromStdString(step.check), step.passed ? "ok" : "FAIL",
                      QString::fromStdString(step.detail));
    return s;
}

Certificate flipBit(const Certificate& c, std::size_t offset, std::uint8_t mask)
{
    Bytes der = c.der;
    der[offset] ^= mask;
    return Certificate::parse(der);
}

} // namespace

class TestX509Verify : public QObject {
    Q_OBJECT

private:
    Certificate m_root, m_intermediate, m_serverRsa, m_serverEcdsa, m_client;
    PrivateKey m_rootKey, m_intermediateKey, m_serverRsaKey;
    PrivateKey m_leafKey; // P-256, generated: the tests never generate RSA keys
    std::vector<Certificate> m_anchors;

    // A server leaf like the demo ones, issued by the demo intermediate; tests change what they need.
    CertificateBuilder leafBuilder() const
    {
        CertificateBuilder b;
        b.serial = {0x7e, 0x57};
        b.subject = {{"O", "HandshakeLab Test"}, {"CN", "localhost"}};
        b.notBefore = utc(2025, 1, 1);
        b.notAfter = utc(2040, 1, 1);
        b.publicKey = m_leafKey.publicKey();
        b.ca = false;
        b.keyUsage = KeyUsage::DigitalSignature;
        b.extendedKeyUsage = {"serverAuth"};
        b.dnsNames = {"localhost"};
        return b;
    }

    CertificateBuilder caBuilder(const std::string& name, const PrivateKey& key) const
    {
        CertificateBuilder b;
        b.serial = {0x0c, 0xa0};
        b.subject = {{"O", "HandshakeLab Test"}, {"CN", name}};
        b.notBefore = utc(2025, 1, 1);
        b.notAfter = utc(2040, 1, 1);
        b.publicKey = key.publicKey();
        b.ca = true;
        b.keyUsage = KeyUsage::KeyCertSign | KeyUsage::CrlSign;
        return b;
    }

    Certificate issueLeaf(const CertificateBuilder& b)
    {
        SeededRng rng(1, "leaf signature");
        return b.signWith(m_intermediate, m_intermediateKey, rng);
    }

    ChainVerification verifyServer(const std::vector<Certificate>& chain,
                                   const std::optional<std::string>& host = std::string("localhost"),
                                   std::int64_t now = kNow)
    {
        return verifyChain(chain, m_anchors, now, host, CertificatePurpose::ServerAuth);
    }

    // The failing step is the last one, on `index`, named `check`, and the alert is `alert`.
    void expectFailure(const ChainVerification& v, int index, const std::string& check, AlertDescription alert,
                       const QString& detailContains = {})
    {
        QVERIFY2(!v.ok, qPrintable(describe(v)));
        QVERIFY(!v.steps.empty());
        const VerificationStep& last = v.steps.back();
        QVERIFY2(!last.passed, qPrintable(describe(v)));
        for (std::size_t i = 0; i + 1 < v.steps.size(); ++i)
            QVERIFY2(v.steps[i].passed, qPrintable(describe(v)));
        QCOMPARE(last.certificateIndex, index);
        QCOMPARE(last.check, check);
        QCOMPARE(alertName(v.alert), alertName(alert));
        QCOMPARE(v.reason, last.detail);
        if (!detailContains.isEmpty())
            QVERIFY2(QString::fromStdString(last.detail).contains(detailContains), qPrintable(describe(v)));
    }

private slots:
    void initTestCase()
    {
        m_root = cert(resource("root-ca.crt.pem"));
        m_intermediate = cert(resource("intermediate-ca.crt.pem"));
        m_serverRsa = cert(resource("server-rsa.crt.pem"));
        m_serverEcdsa = cert(resource("server-ecdsa.crt.pem"));
        m_client = cert(resource("client.crt.pem"));
        m_rootKey = PrivateKey::fromPem(resource("root-ca.key.pem"));
        m_intermediateKey = PrivateKey::fromPem(resource("intermediate-ca.key.pem"));
        m_serverRsaKey = PrivateKey::fromPem(resource("server-rsa.key.pem"));
        SeededRng rng(1, "test leaf key");
        m_leafKey = PrivateKey::generate(KeyType::EcdsaP256, rng);
        m_anchors = {m_root};
    }

    // The root a server leaves out is reported as the anchor the path reached; one it sends is in the chain.
    void reportsTheTrustAnchorOnlyWhenItWasNotSent()
    {
        const ChainVerification left = verifyServer({m_serverRsa, m_intermediate});
        QVERIFY(left.ok);
        QVERIFY(left.trustAnchor.has_value());
        QCOMPARE(left.trustAnchor->der, m_root.der);
        const ChainVerification sent = verifyServer({m_serverRsa, m_intermediate, m_root});
        QVERIFY(sent.ok);
        QVERIFY(!sent.trustAnchor.has_value());
        // A path that breaks before reaching a root reports none.
        CertificateBuilder b = leafBuilder();
        b.notAfter = utc(2026, 1, 1);
        QVERIFY(!verifyServer({issueLeaf(b), m_intermediate}).trustAnchor.has_value());
    }

    // ---- negative tests ----------------------------------------------------------------------------------

    void rejectsAnEmptyChain()
    {
        const ChainVerification v = verifyServer({});
        expectFailure(v, -1, "chain", AlertDescription::HandshakeFailure, "no certificate");
        QCOMPARE(v.steps.size(), std::size_t(1));
    }

    void rejectsAnExpiredLeaf()
    {
        CertificateBuilder b = leafBuilder();
        b.notBefore = utc(2025, 1, 1);
        b.notAfter = utc(2026, 1, 1);
        expectFailure(verifyServer({issueLeaf(b), m_intermediate}), 0, "validity", AlertDescription::CertificateExpired,
                      "expired on 2026-01-01 00:00:00 UTC");
    }

    void rejectsALeafNotYetValid()
    {
        CertificateBuilder b = leafBuilder();
        b.notBefore = utc(2031, 1, 1);
        // OpenSSL maps X509_V_ERR_CERT_NOT_YET_VALID to bad_certificate.
        expectFailure(verifyServer({issueLeaf(b), m_intermediate}), 0, "validity", AlertDescription::BadCertificate,
                      "not valid yet");
    }

    void rejectsTheDemoChainOutsideItsValidity_data()
    {
        QTest::addColumn<qint64>("now");
        QTest::addColumn<AlertDescription>("alert");
        QTest::newRow("2024") << qint64(utc(2024, 12, 31)) << AlertDescription::BadCertificate;
        QTest::newRow("2046") << qint64(utc(2046, 1, 1)) << AlertDescription::CertificateExpired;
    }
    void rejectsTheDemoChainOutsideItsValidity()
    {
        QFETCH(qint64, now);
        QFETCH(AlertDescription, alert);
        expectFailure(verifyServer({m_serverRsa, m_intermediate}, std::string("localhost"), now), 0, "validity", alert);
    }

    void rejectsTheWrongHostName_data()
    {
        QTest::addColumn<QString>("host");
        QTest::newRow("another name") << "evil.example";
        QTest::newRow("a subdomain") << "a.localhost";
        QTest::newRow("parent of a SAN name") << "handshakelab.test";
        QTest::newRow("another IP") << "127.0.0.2";
        QTest::newRow("IPv6 loopback") << "::1";
    }
    void rejectsTheWrongHostName()
    {
        QFETCH(QString, host);
        // OpenSSL: X509_V_ERR_HOSTNAME_MISMATCH / IP_ADDRESS_MISMATCH -> bad_certificate.
        expectFailure(verifyServer({m_serverRsa, m_intermediate}, host.toStdString()), 0, "hostname",
                      AlertDescription::BadCertificate, "is not among the certificate's names");
    }

    void rejectsAChainWithoutTrustAnchor_data()
    {
        QTest::addColumn<int>("anchors"); // 0: none, 1: an unrelated root
        QTest::addColumn<bool>("sendRoot");
        QTest::addColumn<int>("failingIndex");
        QTest::addColumn<QString>("detail");
        QTest::newRow("no anchors") << 0 << false << 1
                                    << "neither the next certificate in the chain nor a trust anchor";
        QTest::newRow("another root") << 1 << false << 1 << "neither the next certificate";
        QTest::newRow("untrusted root sent along") << 1 << true << 2 << "the chain ends at the self-signed";
    }
    void rejectsAChainWithoutTrustAnchor()
    {
        QFETCH(int, anchors);
        QFETCH(bool, sendRoot);
        QFETCH(int, failingIndex);
        QFETCH(QString, detail);
        std::vector<Certificate> trust;
        if (anchors == 1)
            trust.push_back(cert(testData("tls12_illustrated_ca.crt")));
        std::vector<Certificate> chain = {m_serverRsa, m_intermediate};
        if (sendRoot)
            chain.push_back(m_root);
        const ChainVerification v =
            verifyChain(chain, trust, kNow, std::string("localhost"), CertificatePurpose::ServerAuth);
        expectFailure(v, failingIndex, "trust anchor", AlertDescription::UnknownCa, detail);
    }

    void rejectsAMissingIntermediate()
    {
        expectFailure(verifyServer({m_serverRsa}), 0, "trust anchor", AlertDescription::UnknownCa,
                      "its issuer " + QString::fromStdString(kIntermediateName));
    }

    void rejectsASelfSignedLeaf()
    {
        SeededRng rng(2, "self-signed");
        const Certificate self = leafBuilder().selfSign(m_leafKey, rng);
        QVERIFY(self.isSelfIssued());
        // OpenSSL: X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT -> unknown_ca.
        expectFailure(verifyServer({self}), 0, "trust anchor", AlertDescription::UnknownCa,
                      "is self-signed and is not one of the trust anchors");
    }

    void rejectsABrokenSignature_data()
    {
        QTest::addColumn<QString>("where");
        QTest::addColumn<int>("index");
        QTest::newRow("leaf signature bit") << "leaf signatureValue" << 0;
        QTest::newRow("leaf TBS bit (subject CN)") << "leaf subject" << 0;
        QTest::newRow("leaf TBS bit (public key)") << "leaf subjectPublicKey" << 0;
        QTest::newRow("intermediate signature bit") << "intermediate signatureValue" << 1;
        QTest::newRow("intermediate TBS bit (notAfter)") << "intermediate notAfter" << 1;
    }
    void rejectsABrokenSignature()
    {
        QFETCH(QString, where);
        QFETCH(int, index);
        std::vector<Certificate> chain = {m_serverRsa, m_intermediate};
        Certificate& target = chain[std::size_t(index)];
        const std::string field = where.section(' ', 1).toStdString();
        const std::vector<Field> tree = target.describe();
        const Field* f = nullptr;
        std::function<void(const std::vector<Field>&)> find = [&](const std::vector<Field>& fs) {
            for (const Field& x : fs) {
                if (!f && x.name == field)
                    f = &x;
                find(x.children);
            }
        };
        find(tree);
        QVERIFY(f);
        // A byte that keeps the certificate well-formed: the signature's last byte, the CN's last letter, a bit
        // of the RSA modulus that keeps it odd, or notAfter's seconds digit before the 'Z' ('0' -> '1').
        const std::size_t last = f->offset + f->length - 1;
        target = field == "notAfter"           ? flipBit(target, last - 1, 0x01)
                 : field == "subjectPublicKey" ? flipBit(target, last, 0x02)
                                               : flipBit(target, last, 0x01);
        // OpenSSL: X509_V_ERR_CERT_SIGNATURE_FAILURE -> decrypt_error.
        const std::uint64_t checksBefore = signatureVerifications();
        const ChainVerification v = verifyServer(chain);
        expectFailure(v, index, "signature", AlertDescription::DecryptError, "does NOT verify");
        // Each signature up to the broken one is checked once, the broken one included, and nothing after it.
        QCOMPARE(signatureVerifications() - checksBefore, std::uint64_t(index + 1));
    }

    // A good chain costs one check per signature: leaf by intermediate, intermediate by root.
    void checksEachSignatureOnce()
    {
        const std::uint64_t before = signatureVerifications();
        const ChainVerification v = verifyServer({m_serverRsa, m_intermediate});
        QVERIFY2(v.ok, qPrintable(describe(v)));
        QCOMPARE(signatureVerifications() - before, std::uint64_t(2));
    }

    // Two trust anchors with the root's name: choosing the one whose key verifies is the intermediate's signature
    // check; it is not made again afterwards. When neither verifies, the failure is reported once.
    void anchorsSharingANameAreTriedOnceEach_data()
    {
        QTest::addColumn<bool>("intact");
        QTest::newRow("the second anchor verifies") << true;
        QTest::newRow("neither verifies") << false;
    }
    void anchorsSharingANameAreTriedOnceEach()
    {
        QFETCH(bool, intact);
        Certificate impostor = m_root; // same subject, another RSA key
        impostor.publicKey = m_serverRsaKey.publicKey();
        impostor.der.push_back(0);
        const std::vector<Certificate> anchors = {impostor, m_root};
        Certificate intermediate = m_intermediate;
        if (!intact)
            intermediate = flipBit(intermediate, intermediate.der.size() - 1, 0x01); // its signature's last byte
        const std::uint64_t before = signatureVerifications();
        const ChainVerification v =
            verifyChain({m_serverRsa, intermediate}, anchors, kNow, std::string("localhost"), CertificatePurpose::ServerAuth);
        // Leaf by intermediate, then the intermediate against each anchor of that name.
        QCOMPARE(signatureVerifications() - before, std::uint64_t(3));
        int signatureSteps = 0, failed = 0;
        for (const VerificationStep& s : v.steps) {
            signatureSteps += s.check == "signature" ? 1 : 0;
            failed += s.check == "signature" && !s.passed ? 1 : 0;
        }
        QCOMPARE(signatureSteps, 2);
        if (intact) {
            QVERIFY2(v.ok, qPrintable(describe(v)));
        } else {
            QCOMPARE(failed, 1);
            expectFailure(v, 1, "signature", AlertDescription::DecryptError, "does NOT verify");
        }
    }

    void rejectsALeafSignedByTheWrongKey()
    {
        SeededRng rng(3, "wrong key");
        // Names the intermediate as issuer, but the root's key signed it.
        const Certificate leaf = leafBuilder().signWith(m_intermediate, m_rootKey, rng);
        expectFailure(verifyServer({leaf, m_intermediate}), 0, "signature", AlertDescription::DecryptError);
    }

    void rejectsAnIssuerThatIsNotACa_data()
    {
        QTest::addColumn<int>("basicConstraints"); // -1: absent, 0: CA:FALSE
        QTest::addColumn<QString>("detail");
        QTest::newRow("CA:FALSE") << 0 << "CA:FALSE";
        QTest::newRow("no basicConstraints") << -1 << "no basicConstraints extension";
    }
    void rejectsAnIssuerThatIsNotACa()
    {
        QFETCH(int, basicConstraints);
        QFETCH(QString, detail);
        SeededRng rng(4, "not a ca");
        const PrivateKey fakeCaKey = PrivateKey::generate(KeyType::EcdsaP256, rng);
        CertificateBuilder fake = leafBuilder();
        fake.subject = {{"O", "HandshakeLab Test"}, {"CN", "not a CA"}};
        fake.publicKey = fakeCaKey.publicKey();
        fake.keyUsage.reset();
        fake.ca = basicConstraints < 0 ? std::optional<bool>() : std::optional<bool>(false);
        const Certificate fakeCa = fake.signWith(m_intermediate, m_intermediateKey, rng);
        const Certificate leaf = leafBuilder().signWith(fakeCa, fakeCaKey, rng);
        // OpenSSL: X509_V_ERR_INVALID_CA -> unknown_ca.
        expectFailure(verifyServer({leaf, fakeCa, m_intermediate}), 1, "basicConstraints", AlertDescription::UnknownCa,
                      detail);
    }

    void rejectsACaBelowPathLengthZero()
    {
        SeededRng rng(5, "path length");
        const PrivateKey subCaKey = PrivateKey::generate(KeyType::EcdsaP256, rng);
        const Certificate subCa = caBuilder("Sub CA", subCaKey).signWith(m_intermediate, m_intermediateKey, rng);
        const Certificate leaf = leafBuilder().signWith(subCa, subCaKey, rng);
        // The sub-CA itself is fine; the intermediate's pathlen:0 forbids it. OpenSSL: PATH_LENGTH_EXCEEDED ->
        // unknown_ca.
        const ChainVerification v = verifyServer({leaf, subCa, m_intermediate});
        expectFailure(v, 2, "path length", AlertDescription::UnknownCa, "there is 1");
    }

    void rejectsAnIssuerWithoutKeyCertSign()
    {
        SeededRng rng(6, "keyCertSign");
        const PrivateKey subCaKey = PrivateKey::generate(KeyType::EcdsaP256, rng);
        CertificateBuilder b = caBuilder("Signing-only CA", subCaKey);
        b.keyUsage = KeyUsage::DigitalSignature | KeyUsage::CrlSign;
        const Certificate subCa = b.signWith(m_root, m_rootKey, rng);
        const Certificate leaf = leafBuilder().signWith(subCa, subCaKey, rng);
        // OpenSSL's X509_check_ca() fails too -> X509_V_ERR_INVALID_CA -> unknown_ca.
        expectFailure(verifyServer({leaf, subCa}), 1, "keyUsage", AlertDescription::UnknownCa, "lacks keyCertSign");
    }

    void rejectsALeafMeantForAnotherPurpose_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("detail");
        QTest::newRow("client certificate as server") << "client as server"
                                                      << "extendedKeyUsage"
                                                      << "does not include serverAuth";
        QTest::newRow("server certificate as client") << "server as client"
                                                      << "extendedKeyUsage"
                                                      << "does not include clientAuth";
        QTest::newRow("ECDSA key for key encipherment only") << "keyEncipherment only"
                                                             << "keyUsage"
                                                             << "lacks digitalSignature";
        QTest::newRow("RSA server key for cRLSign only") << "cRLSign only"
                                                         << "keyUsage"
                                                         << "lacks digitalSignature or keyEncipherment";
    }
    void rejectsALeafMeantForAnotherPurpose()
    {
        QFETCH(QString, which);
        QFETCH(QString, check);
        QFETCH(QString, detail);
        std::vector<Certificate> chain;
        CertificatePurpose purpose = CertificatePurpose::ServerAuth;
        if (which == "client as server") {
            chain = parseCertificatesPem(resource("client.chain.pem"));
        } else if (which == "server as client") {
            chain = parseCertificatesPem(resource("server-rsa.chain.pem"));
            purpose = CertificatePurpose::ClientAuth;
        } else {
            CertificateBuilder b = leafBuilder();
            if (which == "cRLSign only")
                b.publicKey = m_serverRsaKey.publicKey();
            b.keyUsage = which == "cRLSign only" ? KeyUsage::CrlSign : KeyUsage::KeyEncipherment;
            chain = {issueLeaf(b), m_intermediate};
        }
        // OpenSSL: X509_V_ERR_INVALID_PURPOSE -> unsupported_certificate.
        expectFailure(verifyChain(chain, m_anchors, kNow, std::nullopt, purpose), 0, check.toStdString(),
                      AlertDescription::UnsupportedCertificate, detail);
    }

    void rejectsAnUnknownCriticalExtension_data()
    {
        QTest::addColumn<int>("index");
        QTest::newRow("on the leaf") << 0;
        QTest::newRow("on an intermediate") << 1;
    }
    void rejectsAnUnknownCriticalExtension()
    {
        QFETCH(int, index);
        SeededRng rng(7, "critical");
        const Certificate::Extension unknown{"1.3.6.1.4.1.55555.7", "", true, {0x05, 0x00}};
        std::vector<Certificate> chain;
        if (index == 0) {
            CertificateBuilder b = leafBuilder();
            b.extraExtensions = {unknown};
            chain = {issueLeaf(b), m_intermediate};
        } else {
            const PrivateKey subCaKey = PrivateKey::generate(KeyType::EcdsaP256, rng);
            CertificateBuilder b = caBuilder("Odd CA", subCaKey);
            b.extraExtensions = {unknown};
            const Certificate subCa = b.signWith(m_root, m_rootKey, rng);
            chain = {leafBuilder().signWith(subCa, subCaKey, rng), subCa};
        }
        // OpenSSL: X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION is not in its alert table -> certificate_unknown.
        expectFailure(verifyServer(chain), index, "critical extensions", AlertDescription::CertificateUnknown,
                      "1.3.6.1.4.1.55555.7 is not understood");
    }

    void rejectsAnIssuerNameThatDoesNotChain()
    {
        CertificateBuilder b = leafBuilder();
        b.issuerName = CertificateBuilder::Attributes{{"O", "HandshakeLab Demo"}, {"CN", "Someone Else CA"}};
        const Certificate leaf = issueLeaf(b); // signed by the intermediate's key all the same
        expectFailure(verifyServer({leaf, m_intermediate}), 0, "issuer name", AlertDescription::UnknownCa,
                      "the chain is broken");
    }

    void rejectsTheIllustratedCertificateAfterIts2019Expiry()
    {
        const std::vector<Certificate> chain = {cert(testData("tls12_illustrated_server.crt"))};
        const std::vector<Certificate> anchors = {cert(testData("tls12_illustrated_ca.crt"))};
        const ChainVerification v = verifyChain(chain, anchors, utc(2020, 1, 1), std::string("example.ulfheim.net"),
                                                CertificatePurpose::ServerAuth);
        expectFailure(v, 0, "validity", AlertDescription::CertificateExpired, "2019-10-05 01:38:17 UTC");
    }

    // ---- positive tests ----------------------------------------------------------------------------------

    void acceptsTheDemoChainsWithEveryStepRecorded_data()
    {
        QTest::addColumn<QString>("chainFile");
        QTest::addColumn<bool>("client");
        QTest::addColumn<QString>("host");
        QTest::newRow("server RSA, localhost") << "server-rsa.chain.pem" << false << "localhost";
        QTest::newRow("server RSA, second name, any case, trailing dot")
            << "server-rsa.chain.pem" << false << "WWW.HandshakeLab.test.";
        QTest::newRow("server RSA, IP") << "server-rsa.chain.pem" << false << "127.0.0.1";
        QTest::newRow("server ECDSA") << "server-ecdsa.chain.pem" << false << "localhost";
        QTest::newRow("client") << "client.chain.pem" << true << "";
    }
    void acceptsTheDemoChainsWithEveryStepRecorded()
    {
        QFETCH(QString, chainFile);
        QFETCH(bool, client);
        QFETCH(QString, host);
        const std::vector<Certificate> chain = parseCertificatesPem(resource(chainFile.toStdString()));
        const ChainVerification v =
            verifyChain(chain, m_anchors, kNow, host.isEmpty() ? std::nullopt : std::optional(host.toStdString()),
                        client ? CertificatePurpose::ClientAuth : CertificatePurpose::ServerAuth);
        QVERIFY2(v.ok, qPrintable(describe(v)));
        QVERIFY(v.reason.empty());
        QStringList got;
        for (const VerificationStep& s : v.steps) {
            QVERIFY2(s.passed, qPrintable(describe(v)));
            QVERIFY(!s.detail.empty());
            got << QString("%1 %2").arg(s.certificateIndex).arg(QString::fromStdString(s.check));
        }
        QStringList expected = {"0 validity", "0 critical extensions", "0 keyUsage", "0 extendedKeyUsage"};
        if (!host.isEmpty())
            expected << "0 hostname";
        expected << "0 issuer name"
                 << "0 signature"
                 << "1 validity"
                 << "1 critical extensions"
                 << "1 basicConstraints"
                 << "1 path length"
                 << "1 keyUsage"
                 << "1 issuer name"
                 << "1 signature"
                 << "-1 trust anchor"
                 << "-1 validity"
                 << "-1 critical extensions"
                 << "-1 basicConstraints"
                 << "-1 path length"
                 << "-1 keyUsage";
        QCOMPARE(got, expected);
        QCOMPARE(v.steps[0].subject, chain[0].subject.toString());
        const VerificationStep& leafSignature = v.steps[expected.indexOf("0 signature")];
        QCOMPARE(leafSignature.detail,
                 "signed by " + kIntermediateName +
                     ": the sha256WithRSAEncryption signature verifies with its RSA 2048 bits key");
        QCOMPARE(v.steps[expected.indexOf("-1 trust anchor")].subject, kRootName);
    }

    void acceptsAChainThatIncludesTheRoot()
    {
        const ChainVerification v = verifyServer({m_serverEcdsa, m_intermediate, m_root});
        QVERIFY2(v.ok, qPrintable(describe(v)));
        // The root the peer sent is the trust anchor itself: its steps carry its chain index.
        QCOMPARE(v.steps.back().certificateIndex, 2);
        QCOMPARE(v.steps[v.steps.size() - 6].check, std::string("trust anchor"));
    }

    void acceptsASelfSignedLeafThatIsATrustAnchor()
    {
        SeededRng rng(8, "pinned");
        const Certificate self = leafBuilder().selfSign(m_leafKey, rng);
        const ChainVerification v =
            verifyChain({self}, {self}, kNow, std::string("localhost"), CertificatePurpose::ServerAuth);
        QVERIFY2(v.ok, qPrintable(describe(v)));
        QCOMPARE(v.steps.front().check, std::string("trust anchor"));
    }

    void acceptsTheIllustratedServerCertificateAtItsTime()
    {
        // No subjectAltName: the host name matches the subject CN (RFC 6125 §6.4.4 fallback, as OpenSSL does).
        const std::vector<Certificate> chain = {cert(testData("tls12_illustrated_server.crt"))};
        const std::vector<Certificate> anchors = {cert(testData("tls12_illustrated_ca.crt"))};
        const ChainVerification v = verifyChain(chain, anchors, utc(2019, 1, 1), std::string("example.ulfheim.net"),
                                                CertificatePurpose::ServerAuth);
        QVERIFY2(v.ok, qPrintable(describe(v)));
        const auto hostStep = std::find_if(v.steps.begin(), v.steps.end(),
                                           [](const VerificationStep& s) { return s.check == "hostname"; });
        QVERIFY(hostStep != v.steps.end());
        QVERIFY(QString::fromStdString(hostStep->detail).contains("subject CN"));
        // The same certificate also names clientAuth.
        QVERIFY(verifyChain(chain, anchors, utc(2019, 1, 1), std::nullopt, CertificatePurpose::ClientAuth).ok);
    }

    void acceptsAnotherKeyUsageCombination_data()
    {
        QTest::addColumn<bool>("rsa");
        QTest::addColumn<int>("keyUsage");
        QTest::addColumn<bool>("ok");
        QTest::newRow("RSA keyEncipherment only (RSA key exchange)") << true << int(KeyUsage::KeyEncipherment) << true;
        QTest::newRow("ECDSA digitalSignature") << false << int(KeyUsage::DigitalSignature) << true;
        QTest::newRow("ECDSA keyAgreement only") << false << int(KeyUsage::KeyAgreement) << false;
    }
    void acceptsAnotherKeyUsageCombination()
    {
        QFETCH(bool, rsa);
        QFETCH(int, keyUsage);
        QFETCH(bool, ok);
        CertificateBuilder b = leafBuilder();
        if (rsa)
            b.publicKey = m_serverRsaKey.publicKey();
        b.keyUsage = std::uint16_t(keyUsage);
        QCOMPARE(verifyServer({issueLeaf(b), m_intermediate}).ok, ok);
    }

    void matchesHostNamesLikeRfc6125_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("matches");
        QTest::newRow("exact") << "www.example.test"
                               << "www.example.test" << true;
        QTest::newRow("case-insensitive") << "www.example.test"
                                          << "WWW.Example.TEST" << true;
        QTest::newRow("wildcard one label") << "*.example.test"
                                            << "a.example.test" << true;
        QTest::newRow("wildcard not two labels") << "*.example.test"
                                                 << "a.b.example.test" << false;
        QTest::newRow("wildcard not the bare domain") << "*.example.test"
                                                      << "example.test" << false;
        QTest::newRow("wildcard below a TLD") << "*.test"
                                              << "example.test" << false;
        QTest::newRow("wildcard not left-most") << "www.*.test"
                                                << "www.example.test" << false;
        QTest::newRow("partial-label wildcard") << "w*.example.test"
                                                << "www.example.test" << false;
        QTest::newRow("wildcard never matches an IP") << "*.0.0.1"
                                                      << "127.0.0.1" << false;
    }
    void matchesHostNamesLikeRfc6125()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, host);
        QFETCH(bool, matches);
        CertificateBuilder b = leafBuilder();
        b.dnsNames = {pattern.toStdString()};
        const Certificate c = issueLeaf(b);
        std::string how;
        QCOMPARE(matchesHostName(c, host.toStdString(), &how), matches);
        QVERIFY(!how.empty());
    }
};

QTEST_APPLESS_MAIN(TestX509Verify)
#include "test_x509_verify.moc"
