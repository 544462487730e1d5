// The TLS PRF, HMAC and transcript hash against published vectors (tests/data/crypto/prf_vectors.txt).
#include "crypto_vectors.h"
#include "crypto/hash.h"
#include "crypto/prf.h"

#include <QtTest>

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

using namespace hl;

Q_DECLARE_METATYPE(hl::Bytes)
Q_DECLARE_METATYPE(hl::HashAlgorithm)

namespace {

using hltest::Vectors;

const Vectors& prfVectors()
{
    static const Vectors v("prf_vectors.txt");
    return v;
}

QByteArray hexq(const Bytes& b)
{
    return QByteArray::fromStdString(toHex(b));
}

} // namespace

class TestCryptoPrf : public QObject {
    Q_OBJECT

private slots:
    void hmacMatchesRfc4231AndRfc2202_data()
    {
        QTest::addColumn<HashAlgorithm>("hash");
        QTest::addColumn<QString>("expectedKey");
        QTest::newRow("HMAC-SHA1 (RFC 2202 tc2)") << HashAlgorithm::Sha1 << "hmac_tc2.sha1";
        QTest::newRow("HMAC-SHA256 (RFC 4231 tc2)") << HashAlgorithm::Sha256 << "hmac_tc2.sha256";
        QTest::newRow("HMAC-SHA384 (RFC 4231 tc2)") << HashAlgorithm::Sha384 << "hmac_tc2.sha384";
        QTest::newRow("HMAC-SHA512 (RFC 4231 tc2)") << HashAlgorithm::Sha512 << "hmac_tc2.sha512";
    }
    void hmacMatchesRfc4231AndRfc2202()
    {
        QFETCH(HashAlgorithm, hash);
        QFETCH(QString, expectedKey);
        const Vectors& v = prfVectors();
        const Bytes expected = v.bytes(expectedKey.toStdString());
        QCOMPARE(hexq(hmac(hash, v.bytes("hmac_tc2.key"), v.bytes("hmac_tc2.data"))), hexq(expected));
        QCOMPARE(hashLength(hash), expected.size());
        QCOMPARE(hashOf(hash, v.bytes("hmac_tc2.data")).size(), expected.size());
    }

    void prfMatchesPublishedTls12Vectors_data()
    {
        QTest::addColumn<HashAlgorithm>("hash");
        QTest::addColumn<QString>("name");
        QTest::newRow("P_SHA256") << HashAlgorithm::Sha256 << "tls12_prf_sha256";
        QTest::newRow("P_SHA384") << HashAlgorithm::Sha384 << "tls12_prf_sha384";
        QTest::newRow("P_SHA512") << HashAlgorithm::Sha512 << "tls12_prf_sha512";
    }
    void prfMatchesPublishedTls12Vectors()
    {
        QFETCH(HashAlgorithm, hash);
        QFETCH(QString, name);
        const Vectors& v = prfVectors();
        const std::string n = name.toStdString();
        const Bytes expected = v.bytes(n + ".output");
        const Bytes out =
            prf(hash, v.bytes(n + ".secret"), asString(v.bytes(n + ".label")), v.bytes(n + ".seed"), expected.size());
        QCOMPARE(hexq(out), hexq(expected));
    }

    void prfTls10MatchesPublishedVectors_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : {"tls10_prf_testvector", "tls10_prf_botan_01", "tls10_prf_botan_02", "tls10_prf_botan_19",
                              "tls10_prf_botan_20", "tls10_prf_botan_21", "tls10_prf_botan_31", "tls10_prf_botan_32"})
            QTest::newRow(n) << QString(n);
    }
    void prfTls10MatchesPublishedVectors()
    {
        QFETCH(QString, name);
        const Vectors& v = prfVectors();
        const std::string n = name.toStdString();
        const Bytes expected = v.bytes(n + ".output");
        const Bytes out =
            prfTls10(v.bytes(n + ".secret"), asString(v.bytes(n + ".label")), v.bytes(n + ".seed"), expected.size());
        QCOMPARE(hexq(out), hexq(expected));
    }

    // RFC 2246 §6.3 / §8.1 with the TLS 1.0 PRF, against keys GnuTLS derived in real handshakes.
    void tls10KeyDerivationMatchesGnuTls_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("handshake 1") << "tls10_keys_go_1";
        QTest::newRow("handshake 2") << "tls10_keys_go_2";
        QTest::newRow("handshake 3, 128-byte secret") << "tls10_keys_go_3";
    }
    void tls10KeyDerivationMatchesGnuTls()
    {
        QFETCH(QString, name);
        const Vectors& v = prfVectors();
        const std::string n = name.toStdString();
        const Bytes cr = v.bytes(n + ".client_random");
        const Bytes sr = v.bytes(n + ".server_random");
        const Bytes master = prfTls10(v.bytes(n + ".pre_master_secret"), "master secret", concat(cr, sr), 48);
        QCOMPARE(hexq(master), hexq(v.bytes(n + ".master_secret")));
        const Bytes kb = prfTls10(master, "key expansion", concat(sr, cr), 72);
        const auto slice = [&](std::size_t at, std::size_t len) {
            return Bytes(kb.begin() + at, kb.begin() + at + len);
        };
        QCOMPARE(hexq(slice(0, 20)), hexq(v.bytes(n + ".client_write_mac_key")));
        QCOMPARE(hexq(slice(20, 20)), hexq(v.bytes(n + ".server_write_mac_key")));
        QCOMPARE(hexq(slice(40, 16)), hexq(v.bytes(n + ".client_write_key")));
        QCOMPARE(hexq(slice(56, 16)), hexq(v.bytes(n + ".server_write_key")));
    }

    void shorterPrfOutputIsAPrefixOfLonger()
    {
        const Vectors& v = prfVectors();
        const Bytes expected = v.bytes("tls12_prf_sha256.output");
        for (const std::size_t n :
             {std::size_t{0}, std::size_t{1}, std::size_t{31}, std::size_t{32}, std::size_t{33}}) {
            const Bytes out = prf(HashAlgorithm::Sha256, v.bytes("tls12_prf_sha256.secret"), "test label",
                                  v.bytes("tls12_prf_sha256.seed"), n);
            QCOMPARE(hexq(out), hexq(Bytes(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(n))));
        }
    }

    void prfDependsOnLabel()
    {
        const Vectors& v = prfVectors();
        const Bytes out = prf(HashAlgorithm::Sha256, v.bytes("tls12_prf_sha256.secret"), "test labem",
                              v.bytes("tls12_prf_sha256.seed"), 100);
        QVERIFY(out != v.bytes("tls12_prf_sha256.output"));
    }

    void transcriptKeepsEveryMessageAndHashesOnDemand()
    {
        const Vectors& v = prfVectors();
        const Bytes a = v.bytes("hmac_tc2.key");
        const Bytes b = v.bytes("hmac_tc2.data");
        TranscriptHash t;
        QCOMPARE(hexq(t.digest(HashAlgorithm::Sha256)), hexq(hashOf(HashAlgorithm::Sha256, {})));
        t.update(a);
        t.update(b);
        QCOMPARE(hexq(t.messages()), hexq(concat(a, b)));
        QCOMPARE(hexq(t.digest(HashAlgorithm::Sha256)), hexq(hashOf(HashAlgorithm::Sha256, concat(a, b))));
        QCOMPARE(hexq(t.digest(HashAlgorithm::Sha384)), hexq(hashOf(HashAlgorithm::Sha384, concat(a, b))));
    }
};

QTEST_APPLESS_MAIN(TestCryptoPrf)
#include "test_crypto_prf.moc"
