// Master secret, key block, transcript hash and verify_data against The Illustrated TLS 1.2 Connection
// (tests/data/crypto/tls12_illustrated.txt), and the key block layout of every suite.
#include "crypto_vectors.h"
#include "crypto/hash.h"
#include "crypto/key_schedule.h"
#include "crypto/prf.h"
#include "crypto/rng.h"

#include <QtTest>

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

using namespace hl;

Q_DECLARE_METATYPE(hl::Side)

namespace {

using hltest::Vectors;

const Vectors& session()
{
    static const Vectors v("tls12_illustrated.txt");
    return v;
}

const CipherSuite& illustratedSuite()
{
    const Bytes id = session().bytes("cipher_suite");
    const CipherSuite* suite = findCipherSuite(static_cast<std::uint16_t>(id.at(0) << 8 | id.at(1)));
    if (!suite)
        throw std::runtime_error("the illustrated session's suite is missing from the table");
    return *suite;
}

QByteArray hexq(const Bytes& b)
{
    return QByteArray::fromStdString(toHex(b));
}

Bytes randomBytes(SeededRng& rng, std::size_t n)
{
    Bytes b(n);
    rng.GenerateBlock(b.data(), b.size());
    return b;
}

} // namespace

class TestCryptoKeySchedule : public QObject {
    Q_OBJECT

private slots:
    void illustratedSuiteIsEcdheRsaAes128CbcSha()
    {
        const CipherSuite& s = illustratedSuite();
        QCOMPARE(QString::fromUtf8(s.name.data(), static_cast<int>(s.name.size())),
                 QString("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
        QCOMPARE(s.keyBlockLength(), std::size_t{104});
    }

    void masterSecretMatchesIllustratedSession()
    {
        const Vectors& v = session();
        const Bytes master = computeMasterSecret(illustratedSuite(), v.bytes("pre_master_secret"),
                                                 v.bytes("client_random"), v.bytes("server_random"));
        QCOMPARE(hexq(master), hexq(v.bytes("master_secret")));
    }

    void keyBlockMatchesIllustratedSession()
    {
        const Vectors& v = session();
        const KeyBlock kb = computeKeyBlock(illustratedSuite(), v.bytes("master_secret"), v.bytes("client_random"),
                                            v.bytes("server_random"));
        QCOMPARE(hexq(kb.raw), hexq(v.bytes("key_block_first_104_bytes")));
        QCOMPARE(hexq(kb.clientMacKey), hexq(v.bytes("client_write_mac_key")));
        QCOMPARE(hexq(kb.serverMacKey), hexq(v.bytes("server_write_mac_key")));
        QCOMPARE(hexq(kb.clientKey), hexq(v.bytes("client_write_key")));
        QCOMPARE(hexq(kb.serverKey), hexq(v.bytes("server_write_key")));
        QCOMPARE(hexq(kb.clientIv), hexq(v.bytes("client_write_iv")));
        QCOMPARE(hexq(kb.serverIv), hexq(v.bytes("server_write_iv")));
    }

    void keyBlockSeedPutsServerRandomFirst()
    {
        // Swapping the randoms (the master secret's order) must not give the published key block.
        const Vectors& v = session();
        const KeyBlock kb = computeKeyBlock(illustratedSuite(), v.bytes("master_secret"), v.bytes("server_random"),
                                            v.bytes("client_random"));
        QVERIFY(kb.raw != v.bytes("key_block_first_104_bytes"));
    }

    void transcriptHashMatchesIllustratedSession()
    {
        const Vectors& v = session();
        TranscriptHash t;
        for (const char* m :
             {"ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone", "ClientKeyExchange"})
            t.update(v.bytes(std::string("hs_msg.") + m));
        QCOMPARE(hexq(t.digest(illustratedSuite().prfHash)), hexq(v.bytes("handshake_hash_for_client_finished")));
        // RFC 5246 §7.4.9: the server's Finished also covers the client's Finished.
        t.update(v.bytes("hs_msg.ClientFinished"));
        QCOMPARE(hexq(t.digest(illustratedSuite().prfHash)), hexq(v.bytes("handshake_hash_for_server_finished")));
    }

    void verifyDataMatchesIllustratedSession_data()
    {
        QTest::addColumn<Side>("sender");
        QTest::addColumn<QString>("hashKey");
        QTest::addColumn<QString>("expectedKey");
        QTest::newRow("client Finished") << Side::Client << "handshake_hash_for_client_finished"
                                         << "client_verify_data";
        QTest::newRow("server Finished") << Side::Server << "handshake_hash_for_server_finished"
                                         << "server_verify_data";
    }
    void verifyDataMatchesIllustratedSession()
    {
        QFETCH(Side, sender);
        QFETCH(QString, hashKey);
        QFETCH(QString, expectedKey);
        const Vectors& v = session();
        const Bytes vd =
            computeVerifyData(illustratedSuite(), v.bytes("master_secret"), sender, v.bytes(hashKey.toStdString()));
        QCOMPARE(hexq(vd), hexq(v.bytes(expectedKey.toStdString())));
        // The label names the sender: the other side's label gives something else.
        const Bytes other = computeVerifyData(illustratedSuite(), v.bytes("master_secret"), peerOf(sender),
                                              v.bytes(hashKey.toStdString()));
        QVERIFY(other != vd);
    }

    void finishedMessagesCarryTheVerifyData()
    {
        const Vectors& v = session();
        // RFC 5246 §7.4: type finished(20), u24 length 12, verify_data.
        const Bytes header = {20, 0, 0, 12};
        QCOMPARE(hexq(concat(header, v.bytes("client_verify_data"))), hexq(v.bytes("hs_msg.ClientFinished")));
        QCOMPARE(hexq(concat(header, v.bytes("server_verify_data"))), hexq(v.bytes("hs_msg.ServerFinished")));
    }

    // RFC 7627 §4: the same PRF as the master secret, with the session hash in place of the randoms.
    void extendedMasterSecretUsesSessionHashAndSuiteHash_data()
    {
        QTest::addColumn<quint16>("suiteId");
        QTest::newRow("SHA-256 suite") << quint16(0xc02f);
        QTest::newRow("SHA-384 suite") << quint16(0xc030);
    }
    void extendedMasterSecretUsesSessionHashAndSuiteHash()
    {
        QFETCH(quint16, suiteId);
        const CipherSuite* suite = findCipherSuite(suiteId);
        QVERIFY(suite);
        const Vectors& v = session();
        const Bytes pms = v.bytes("pre_master_secret");
        const Bytes sessionHash = hashOf(suite->prfHash, v.bytes("hs_msg.ClientHello"));
        const Bytes ems = computeExtendedMasterSecret(*suite, pms, sessionHash);
        QCOMPARE(ems.size(), std::size_t{48});
        QCOMPARE(hexq(ems), hexq(prf(suite->prfHash, pms, "extended master secret", sessionHash, 48)));
        QVERIFY(ems != computeMasterSecret(*suite, pms, v.bytes("client_random"), v.bytes("server_random")));
        const Bytes otherHash = hashOf(suite->prfHash, v.bytes("hs_msg.ServerHello"));
        QVERIFY(ems != computeExtendedMasterSecret(*suite, pms, otherHash));
    }

    void keyBlockLayoutFollowsTheSuite_data()
    {
        QTest::addColumn<quint16>("suiteId");
        for (const CipherSuite& s : allCipherSuites())
            QTest::newRow(std::string(s.name).c_str()) << quint16(s.id);
    }
    void keyBlockLayoutFollowsTheSuite()
    {
        QFETCH(quint16, suiteId);
        const CipherSuite& s = *findCipherSuite(suiteId);
        SeededRng rng(7, "key schedule");
        const Bytes master = randomBytes(rng, 48);
        const Bytes cr = randomBytes(rng, 32);
        const Bytes sr = randomBytes(rng, 32);
        const KeyBlock kb = computeKeyBlock(s, master, cr, sr);
        QCOMPARE(kb.raw.size(), s.keyBlockLength());
        QCOMPARE(hexq(kb.raw), hexq(prf(s.prfHash, master, "key expansion", concat(sr, cr), s.keyBlockLength())));
        QCOMPARE(kb.clientMacKey.size(), s.macLength);
        QCOMPARE(kb.clientKey.size(), s.keyLength);
        QCOMPARE(kb.clientIv.size(), s.fixedIvLength);
        QCOMPARE(hexq(concat(kb.clientMacKey, kb.serverMacKey, kb.clientKey, kb.serverKey, kb.clientIv, kb.serverIv)),
                 hexq(kb.raw));
        const Bytes vd = computeVerifyData(s, master, Side::Client, hashOf(s.prfHash, cr));
        QCOMPARE(hexq(vd), hexq(prf(s.prfHash, master, "client finished", hashOf(s.prfHash, cr), 12)));
    }
};

QTEST_APPLESS_MAIN(TestCryptoKeySchedule)
#include "test_crypto_key_schedule.moc"
