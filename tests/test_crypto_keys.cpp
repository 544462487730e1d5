// Keys: PEM and PKCS #8 formats, every TLS signature scheme both ways, RSA PKCS #1 key transport.
#include "common/alert.h"
#include "crypto/keys.h"
#include "crypto/rng.h"
#include "x509/pem.h"

#include "test_files.h"

#include <QtTest>


using namespace hl;

Q_DECLARE_METATYPE(hl::SignatureScheme)
Q_DECLARE_METATYPE(hl::KeyType)

namespace {

using hltest::resource;
using hltest::testData;


// The Illustrated TLS 1.2 Connection (kat/tls12_illustrated.txt, from github.com/syncsynchalt/illustrated-tls12
// commit d0e54d66): the ServerKeyExchange signature is RSASSA-PKCS1-v1_5 / SHA-256 by the server key over
// client_random + server_random + the ECDH parameters.
const char* const kIllustratedClientRandom = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const char* const kIllustratedServerRandom = "707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f";
const char* const kIllustratedSignedParams = "03001d209fd7ad6dcff4298dd3f96d5b1b2af910a0535b1488d7f8fabb349a982880b615";
const char* const kIllustratedSignature =
    "0402b661f7c191ee59be45376639bdc3d4bb81e115ca73c8348b525b0d2338aa144667ed9431021412cd9b844cba29934aaacce873"
    "414ec11cb02e272d0ad81f767d33076721f13bf36020cf0b1fd0ecb078de1128beba0949ebece1a1f96e209dc36e4fffd36b673a7d"
    "dc1597ad4408e485c4adb2c873841249372523809e4312d0c7b3522ef983cac1e03935ff13a8e96ba681a62e40d3e70a7ff35866d3"
    "d9993f9e26a634c81b4e71380fcdd6f4e835f75a6409c7dc2c07410e6f87858c7b94c01c2e32f291769eacca71643b8b98a963df0a"
    "329bea4ed6397e8cd01a110ab361ac5bad1ccd840a6c8a6eaa001a9d7d87dc3318643571226c4dd2c2ac41fb";

Bytes illustratedSignedMessage()
{
    return concat(fromHex(kIllustratedClientRandom), fromHex(kIllustratedServerRandom),
                  fromHex(kIllustratedSignedParams));
}

} // namespace

class TestCryptoKeys : public QObject {
    Q_OBJECT

private:
    PrivateKey m_rsa;
    PrivateKey m_ecdsa;

private slots:
    void initTestCase()
    {
        m_rsa = PrivateKey::fromPem(resource("server-rsa.key.pem"));
        m_ecdsa = PrivateKey::fromPem(resource("server-ecdsa.key.pem"));
    }

    // ---- negative tests ----------------------------------------------------------------------------------

    void fromPem_rejectsAnythingButAPlainKey_data()
    {
        QTest::addColumn<QByteArray>("pem");
        QTest::addColumn<QString>("expectedMessage");
        const auto file = [](const char* name) { return QByteArray::fromStdString(testData(name)); };
        QTest::newRow("empty text") << QByteArray() << "no PEM block labelled PRIVATE KEY";
        QTest::newRow("a certificate") << QByteArray::fromStdString(resource("server-rsa.crt.pem"))
                                       << "(found CERTIFICATE)";
        QTest::newRow("P-384 key") << file("keys/p384.key.pem") << "curve secp384r1 is not supported";
        QTest::newRow("Ed25519 key") << file("keys/ed25519.key.pem") << "ED25519 is not supported";
        QTest::newRow("encrypted PKCS #8") << file("keys/encrypted-pkcs8.key.pem") << "encrypted PKCS #8";
        QTest::newRow("encrypted PKCS #1") << file("keys/encrypted-pkcs1.key.pem") << "encrypted PEM";
        QTest::newRow("bad base64") << QByteArray("-----BEGIN PRIVATE KEY-----\nMIIB*AAA\n-----END PRIVATE KEY-----\n")
                                    << "invalid base64 character '*'";
        QTest::newRow("END with another label")
            << QByteArray("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n") << "is closed by";
        QTest::newRow("no END line") << QByteArray("-----BEGIN PRIVATE KEY-----\nMAA=\n") << "has no END line";
        QTest::newRow("empty SEQUENCE") << QByteArray("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n")
                                        << "malformed DER";
    }
    void fromPem_rejectsAnythingButAPlainKey()
    {
        QFETCH(QByteArray, pem);
        QFETCH(QString, expectedMessage);
        try {
            PrivateKey::fromPem(pem.toStdString());
            QFAIL("accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(expectedMessage), e.what());
        }
    }

    void fromPkcs8Der_rejectsEveryTruncation()
    {
        for (const PrivateKey& key : {m_rsa, m_ecdsa}) {
            const Bytes der = key.pkcs8Der();
            for (std::size_t n = 0; n < der.size(); ++n)
                QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PrivateKey::fromPkcs8Der(ByteView(der).first(n)));
            Bytes longer = der;
            longer.push_back(0);
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PrivateKey::fromPkcs8Der(longer));
        }
    }

    void fromPkcs8Der_rejectsInconsistentRsaNumbers()
    {
        // Flip a bit in the middle of the private exponent: n = p·q still holds, e·d ≡ 1 does not.
        Bytes der = m_rsa.pkcs8Der();
        der[der.size() / 2] ^= 0x01;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PrivateKey::fromPkcs8Der(der));
    }

    void fromSubjectPublicKeyInfo_rejectsMalformedKeys()
    {
        for (const PrivateKey& key : {m_rsa, m_ecdsa}) {
            const Bytes spki = key.publicKey().subjectPublicKeyInfo();
            for (std::size_t n = 0; n < spki.size(); ++n) {
                try {
                    PublicKey::fromSubjectPublicKeyInfo(ByteView(spki).first(n));
                    QFAIL(qPrintable(QString("accepted a truncation to %1 bytes").arg(n)));
                } catch (const TlsError& e) {
                    QCOMPARE(e.alert(), AlertDescription::BadCertificate);
                }
            }
        }
        // The last byte of a P-256 SPKI is y's low byte: changing it takes the point off the curve.
        Bytes offCurve = m_ecdsa.publicKey().subjectPublicKeyInfo();
        offCurve.back() ^= 0x01;
        try {
            PublicKey::fromSubjectPublicKeyInfo(offCurve);
            QFAIL("accepted a point off the curve");
        } catch (const TlsError& e) {
            QCOMPARE(e.alert(), AlertDescription::BadCertificate);
            QVERIFY2(QString(e.what()).contains("not a point on P-256"), e.what());
        }
    }

    void verify_rejectsTamperedMessageOrSignature_data()
    {
        QTest::addColumn<KeyType>("keyType");
        QTest::addColumn<SignatureScheme>("scheme");
        QTest::addColumn<QString>("tamper");
        const std::pair<const char*, std::pair<KeyType, SignatureScheme>> schemes[] = {
            {"rsa_pkcs1_sha1", {KeyType::Rsa, SignatureScheme::RsaPkcs1Sha1}},
            {"rsa_pkcs1_sha256", {KeyType::Rsa, SignatureScheme::RsaPkcs1Sha256}},
            {"rsa_pkcs1_sha384", {KeyType::Rsa, SignatureScheme::RsaPkcs1Sha384}},
            {"rsa_pkcs1_sha512", {KeyType::Rsa, SignatureScheme::RsaPkcs1Sha512}},
            {"rsa_pss_rsae_sha256", {KeyType::Rsa, SignatureScheme::RsaPssRsaeSha256}},
            {"rsa_pss_rsae_sha384", {KeyType::Rsa, SignatureScheme::RsaPssRsaeSha384}},
            {"ecdsa_secp256r1_sha256", {KeyType::EcdsaP256, SignatureScheme::EcdsaSecp256r1Sha256}},
            {"ecdsa_sha1", {KeyType::EcdsaP256, SignatureScheme::EcdsaSha1}},
        };
        for (const auto& [name, ks] : schemes)
            for (const char* tamper : {"message bit", "signature bit", "signature truncated", "signature extended",
                                       "signature empty", "other hash"})
                QTest::addRow("%s, %s", name, tamper) << ks.first << ks.second << QString(tamper);
    }
    void verify_rejectsTamperedMessageOrSignature()
    {
        QFETCH(KeyType, keyType);
        QFETCH(SignatureScheme, scheme);
        QFETCH(QString, tamper);
        const PrivateKey& key = keyType == KeyType::Rsa ? m_rsa : m_ecdsa;
        SeededRng rng(1, "tamper");
        const std::string text = "ServerKeyExchange params";
        Bytes message(text.begin(), text.end());
        Bytes signature = key.sign(scheme, message, rng);
        SignatureScheme verifyWith = scheme;
        if (tamper == "message bit")
            message[3] ^= 0x10;
        else if (tamper == "signature bit")
            signature[signature.size() / 2] ^= 0x04;
        else if (tamper == "signature truncated")
            signature.pop_back();
        else if (tamper == "signature extended")
            signature.push_back(0);
        else if (tamper == "signature empty")
            signature.clear();
        else
            verifyWith = keyType == KeyType::EcdsaP256
                             ? (scheme == SignatureScheme::EcdsaSha1 ? SignatureScheme::EcdsaSecp256r1Sha256
                                                                     : SignatureScheme::EcdsaSha1)
                             : (scheme == SignatureScheme::RsaPkcs1Sha256 ? SignatureScheme::RsaPkcs1Sha384
                                                                          : SignatureScheme::RsaPkcs1Sha256);
        QVERIFY(!key.publicKey().verify(verifyWith, message, signature));
    }

    void verify_rejectsNonCanonicalEcdsaDer()
    {
        SeededRng rng(2, "der");
        const Bytes message = fromHex("00010203");
        const Bytes signature = m_ecdsa.sign(SignatureScheme::EcdsaSecp256r1Sha256, message, rng);
        QVERIFY(m_ecdsa.publicKey().verify(SignatureScheme::EcdsaSecp256r1Sha256, message, signature));
        // The same r and s with a long-form SEQUENCE length (BER, not DER) must not verify.
        Bytes ber = {0x30, 0x81, signature[1]};
        ber.insert(ber.end(), signature.begin() + 2, signature.end());
        QVERIFY(!m_ecdsa.publicKey().verify(SignatureScheme::EcdsaSecp256r1Sha256, message, ber));
    }

    void verify_rejectsSchemesTheKeyCannotMake()
    {
        SeededRng rng(3, "cross");
        const Bytes message = fromHex("abcdef");
        const Bytes rsaSig = m_rsa.sign(SignatureScheme::RsaPkcs1Sha256, message, rng);
        QVERIFY(!m_ecdsa.publicKey().verify(SignatureScheme::RsaPkcs1Sha256, message, rsaSig));
        QVERIFY(!m_rsa.publicKey().verify(SignatureScheme::EcdsaSecp256r1Sha256, message, rsaSig));
        QVERIFY(!m_ecdsa.publicKey().verify(SignatureScheme::EcdsaSecp384r1Sha384, message, rsaSig));
        QVERIFY(!m_rsa.publicKey().supports(SignatureScheme::EcdsaSha1));
        QVERIFY(!m_ecdsa.publicKey().supports(SignatureScheme::RsaPssRsaeSha256));
        QVERIFY(!m_ecdsa.publicKey().supports(SignatureScheme::EcdsaSecp384r1Sha384));
        QVERIFY(!PublicKey().verify(SignatureScheme::RsaPkcs1Sha256, message, rsaSig));
    }

    void sign_throwsHandshakeFailureForSchemesTheKeyCannotMake()
    {
        SeededRng rng(4, "unsupported");
        try {
            m_ecdsa.sign(SignatureScheme::RsaPssRsaeSha256, fromHex("00"), rng);
            QFAIL("signed");
        } catch (const TlsError& e) {
            QCOMPARE(e.alert(), AlertDescription::HandshakeFailure);
        }
        QVERIFY_THROWS_EXCEPTION(TlsError, m_rsa.sign(SignatureScheme::EcdsaSecp256r1Sha256, fromHex("00"), rng));
        QVERIFY_THROWS_EXCEPTION(TlsError, m_ecdsa.sign(SignatureScheme::EcdsaSecp384r1Sha384, fromHex("00"), rng));
    }

    void rsaDecryptPkcs1_returnsNulloptForGarbage_data()
    {
        QTest::addColumn<QByteArray>("ciphertext");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one byte short") << QByteArray(255, '\x42');
        QTest::newRow("one byte long") << QByteArray(257, '\x42');
        QTest::newRow("all zero") << QByteArray(256, '\0');
        QTest::newRow("all 0xff, above the modulus") << QByteArray(256, '\xff');
        QTest::newRow("random-looking") << QByteArray::fromHex(kIllustratedSignature);
    }
    void rsaDecryptPkcs1_returnsNulloptForGarbage()
    {
        QFETCH(QByteArray, ciphertext);
        SeededRng rng(5, "garbage");
        const Bytes c(ciphertext.begin(), ciphertext.end());
        QCOMPARE(m_rsa.rsaDecryptPkcs1(c, rng), std::optional<Bytes>());
    }

    void rsaDecryptPkcs1_returnsNulloptForATamperedCiphertext()
    {
        SeededRng rng(6, "tampered");
        const Bytes preMaster(48, 0x03);
        Bytes c = m_rsa.publicKey().rsaEncryptPkcs1(preMaster, rng);
        c[10] ^= 0x80;
        QCOMPARE(m_rsa.rsaDecryptPkcs1(c, rng), std::optional<Bytes>());
    }

    void rsaEncryptPkcs1_rejectsOversizedPlaintextAndEcdsaKeys()
    {
        SeededRng rng(7, "oversized");
        // RFC 8017 §7.2.1: at most k - 11 bytes.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m_rsa.publicKey().rsaEncryptPkcs1(Bytes(246, 1), rng));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, m_ecdsa.publicKey().rsaEncryptPkcs1(Bytes(48, 1), rng));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, m_ecdsa.rsaDecryptPkcs1(Bytes(256, 1), rng));
    }

    // ---- positive tests ----------------------------------------------------------------------------------

    void fromPem_readsEachKeyFormat_data()
    {
        QTest::addColumn<QByteArray>("pem");
        QTest::addColumn<KeyType>("type");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("samePublicKeyAs");
        const auto res = [](const char* name) { return QByteArray::fromStdString(resource(name)); };
        const auto file = [](const char* name) { return QByteArray::fromStdString(testData(name)); };
        QTest::newRow("PKCS #8 RSA (demo)") << res("server-rsa.key.pem") << KeyType::Rsa << 2048 << "";
        QTest::newRow("PKCS #8 EC (demo)") << res("server-ecdsa.key.pem") << KeyType::EcdsaP256 << 256 << "";
        QTest::newRow("PKCS #1 RSA") << file("keys/server-rsa.pkcs1.pem") << KeyType::Rsa << 2048
                                     << "server-rsa.key.pem";
        QTest::newRow("SEC 1 EC after EC PARAMETERS")
            << file("keys/server-ecdsa.sec1.pem") << KeyType::EcdsaP256 << 256 << "server-ecdsa.key.pem";
        QTest::newRow("PKCS #1 RSA (Illustrated TLS 1.2)")
            << file("tls12_illustrated_server.key") << KeyType::Rsa << 2048 << "";
    }
    void fromPem_readsEachKeyFormat()
    {
        QFETCH(QByteArray, pem);
        QFETCH(KeyType, type);
        QFETCH(int, bits);
        QFETCH(QString, samePublicKeyAs);
        const PrivateKey key = PrivateKey::fromPem(pem.toStdString());
        QCOMPARE(key.type(), type);
        QCOMPARE(key.publicKey().bits(), std::size_t(bits));
        QCOMPARE(key.publicKey().description(),
                 type == KeyType::Rsa ? "RSA " + std::to_string(bits) + " bits" : std::string("ECDSA P-256"));
        if (!samePublicKeyAs.isEmpty()) {
            const PrivateKey other = PrivateKey::fromPem(resource(samePublicKeyAs.toStdString()));
            QVERIFY(key.publicKey() == other.publicKey());
            QCOMPARE(key.pkcs8Der(), other.pkcs8Der());
        }
    }

    void pkcs8_roundTripsToTheSameBytes()
    {
        for (const char* name : {"server-rsa.key.pem", "server-ecdsa.key.pem", "root-ca.key.pem"}) {
            const std::string pem = resource(name);
            const PrivateKey key = PrivateKey::fromPem(pem);
            QCOMPARE(key.pkcs8Pem(), pem);
            QCOMPARE(key.pkcs8Der(), pemDecodeAll(pem, "PRIVATE KEY").front());
            QCOMPARE(PrivateKey::fromPkcs8Der(key.pkcs8Der()).pkcs8Der(), key.pkcs8Der());
        }
    }

    void publicKey_roundTripsThroughSubjectPublicKeyInfo()
    {
        for (const PrivateKey& key : {m_rsa, m_ecdsa}) {
            const Bytes spki = key.publicKey().subjectPublicKeyInfo();
            const PublicKey parsed = PublicKey::fromSubjectPublicKeyInfo(spki);
            QVERIFY(parsed == key.publicKey());
            QCOMPARE(parsed.subjectPublicKeyInfo(), spki);
            QCOMPARE(parsed.type(), key.type());
        }
    }

    void signAndVerify_roundTripForEveryScheme_data()
    {
        QTest::addColumn<KeyType>("keyType");
        QTest::addColumn<SignatureScheme>("scheme");
        QTest::addColumn<int>("signatureSize"); // 0: variable (ECDSA DER)
        QTest::newRow("rsa_pkcs1_sha1") << KeyType::Rsa << SignatureScheme::RsaPkcs1Sha1 << 256;
        QTest::newRow("rsa_pkcs1_sha256") << KeyType::Rsa << SignatureScheme::RsaPkcs1Sha256 << 256;
        QTest::newRow("rsa_pkcs1_sha384") << KeyType::Rsa << SignatureScheme::RsaPkcs1Sha384 << 256;
        QTest::newRow("rsa_pkcs1_sha512") << KeyType::Rsa << SignatureScheme::RsaPkcs1Sha512 << 256;
        QTest::newRow("rsa_pss_rsae_sha256") << KeyType::Rsa << SignatureScheme::RsaPssRsaeSha256 << 256;
        QTest::newRow("rsa_pss_rsae_sha384") << KeyType::Rsa << SignatureScheme::RsaPssRsaeSha384 << 256;
        QTest::newRow("ecdsa_secp256r1_sha256") << KeyType::EcdsaP256 << SignatureScheme::EcdsaSecp256r1Sha256 << 0;
        QTest::newRow("ecdsa_sha1") << KeyType::EcdsaP256 << SignatureScheme::EcdsaSha1 << 0;
    }
    void signAndVerify_roundTripForEveryScheme()
    {
        QFETCH(KeyType, keyType);
        QFETCH(SignatureScheme, scheme);
        QFETCH(int, signatureSize);
        const PrivateKey key = keyType == KeyType::Rsa ? m_rsa : m_ecdsa;
        const PrivateKey copy = key; // copies share the key
        SeededRng rng(8, "round trip");
        const Bytes message = illustratedSignedMessage();
        QVERIFY(key.publicKey().supports(scheme));
        const Bytes signature = copy.sign(scheme, message, rng);
        if (signatureSize)
            QCOMPARE(int(signature.size()), signatureSize);
        else
            QVERIFY(signature.size() >= 8 && signature.size() <= 72 && signature[0] == 0x30 &&
                    signature[1] == signature.size() - 2); // RFC 8422 §5.4: DER Ecdsa-Sig-Value
        QVERIFY(key.publicKey().verify(scheme, message, signature));
    }

    void sign_isDeterministicForASeed()
    {
        // RSA-PSS draws its salt and ECDSA its nonce from the injected generator: one seed, one signature.
        for (const auto& [key, scheme] : {std::pair{m_rsa, SignatureScheme::RsaPssRsaeSha256},
                                          std::pair{m_ecdsa, SignatureScheme::EcdsaSecp256r1Sha256}}) {
            SeededRng a(9, "same"), b(9, "same"), c(10, "same");
            const Bytes m = fromHex("0102");
            QCOMPARE(key.sign(scheme, m, a), key.sign(scheme, m, b));
            QVERIFY(key.sign(scheme, m, a) != key.sign(scheme, m, c));
        }
    }

    void sign_reproducesThePublishedIllustratedSignature()
    {
        // RSASSA-PKCS1-v1_5 is deterministic, so the published ServerKeyExchange signature must come out exactly.
        const PrivateKey key = PrivateKey::fromPem(testData("tls12_illustrated_server.key"));
        SeededRng rng(11, "illustrated");
        QCOMPARE(toHex(key.sign(SignatureScheme::RsaPkcs1Sha256, illustratedSignedMessage(), rng)),
                 std::string(kIllustratedSignature));
        QVERIFY(key.publicKey().verify(SignatureScheme::RsaPkcs1Sha256, illustratedSignedMessage(),
                                       fromHex(kIllustratedSignature)));
    }

    void rsaPkcs1_encryptDecryptRoundTrips()
    {
        SeededRng rng(12, "kx");
        Bytes preMaster(48);
        rng.GenerateBlock(preMaster.data(), preMaster.size());
        preMaster[0] = 0x03;
        preMaster[1] = 0x03;
        const Bytes c = m_rsa.publicKey().rsaEncryptPkcs1(preMaster, rng);
        QCOMPARE(c.size(), std::size_t(256));
        QCOMPARE(m_rsa.rsaDecryptPkcs1(c, rng), std::optional<Bytes>(preMaster));
        // The Illustrated server key decrypts what its certificate's key encrypts.
        const PrivateKey other = PrivateKey::fromPem(testData("tls12_illustrated_server.key"));
        QCOMPARE(other.rsaDecryptPkcs1(other.publicKey().rsaEncryptPkcs1(preMaster, rng), rng),
                 std::optional<Bytes>(preMaster));
    }

    void generate_makesDeterministicP256Keys()
    {
        SeededRng a(13, "key"), b(13, "key"), c(13, "other key");
        const PrivateKey k1 = PrivateKey::generate(KeyType::EcdsaP256, a);
        const PrivateKey k2 = PrivateKey::generate(KeyType::EcdsaP256, b);
        const PrivateKey k3 = PrivateKey::generate(KeyType::EcdsaP256, c);
        QCOMPARE(k1.pkcs8Der(), k2.pkcs8Der());
        QVERIFY(k1.pkcs8Der() != k3.pkcs8Der());
        QCOMPARE(k1.publicKey().description(), std::string("ECDSA P-256"));
        QCOMPARE(PrivateKey::fromPem(k1.pkcs8Pem()).pkcs8Der(), k1.pkcs8Der());
    }

    void nullKeys_sayTheyAreNull()
    {
        QVERIFY(PublicKey().isNull());
        QVERIFY(PrivateKey().isNull());
        QVERIFY_THROWS_EXCEPTION(std::logic_error, PublicKey().type());
        QVERIFY(PublicKey() == PublicKey());
        QVERIFY(!(PublicKey() == m_rsa.publicKey()));
    }
};

QTEST_APPLESS_MAIN(TestCryptoKeys)
#include "test_crypto_keys.moc"
