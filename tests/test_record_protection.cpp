// Record protection: the Illustrated TLS 1.2 records decrypted and re-encrypted byte for byte, round trips for every
// suite, and every way a record can be refused (tests/data/crypto/tls12_illustrated.txt, aead_vectors.txt).
#include "crypto_vectors.h"
#include "common/alert.h"
#include "common/protocol.h"
#include "crypto/rng.h"
#include "record/protection.h"

#include <cryptopp/aes.h>
#include <cryptopp/chachapoly.h>
#include <cryptopp/gcm.h>
#include <cryptopp/hmac.h>
#include <cryptopp/modes.h>
#include <cryptopp/sha.h>

#include "alert_support.h"

#include <QtTest>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

using namespace hl;

namespace {

using hltest::Vectors;

const Vectors& session()
{
    static const Vectors v("tls12_illustrated.txt");
    return v;
}

QByteArray hexq(const Bytes& b)
{
    return QByteArray::fromStdString(toHex(b));
}

std::uint64_t be64(const Bytes& b)
{
    std::uint64_t v = 0;
    for (const std::uint8_t x : b)
        v = v << 8 | x;
    return v;
}

Bytes be64Bytes(std::uint64_t v)
{
    Bytes b(8);
    for (int i = 7; i >= 0; --i, v >>= 8)
        b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
    return b;
}

// seq_num || type || version || length, as RFC 5246 §6.2.3.1 and §6.2.3.3 define it (built here independently).
Bytes header(std::uint64_t seq, std::uint8_t type, std::uint16_t version, std::size_t length)
{
    return concat(be64Bytes(seq),
                  Bytes{type, static_cast<std::uint8_t>(version >> 8), static_cast<std::uint8_t>(version),
                        static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)});
}

Bytes randomBytes(CryptoPP::RandomNumberGenerator& rng, std::size_t n)
{
    Bytes b(n);
    if (n)
        rng.GenerateBlock(b.data(), b.size());
    return b;
}

// A generator that hands out fixed bytes: lets a test see which random bytes protect() used.
class FixedRng : public CryptoPP::RandomNumberGenerator {
public:
    explicit FixedRng(Bytes bytes) : m_bytes(std::move(bytes)) {}
    void GenerateBlock(CryptoPP::byte* output, size_t size) override
    {
        if (size > m_bytes.size() - m_used)
            throw std::runtime_error("FixedRng ran out of bytes");
        std::memcpy(output, m_bytes.data() + m_used, size);
        m_used += size;
    }

private:
    Bytes m_bytes;
    std::size_t m_used = 0;
};

struct Keys {
    Bytes key, macKey, iv;
};

Keys keysFor(const CipherSuite& s, std::uint64_t seed)
{
    SeededRng rng(seed, "record keys");
    return {randomBytes(rng, s.keyLength), randomBytes(rng, s.macLength), randomBytes(rng, s.fixedIvLength)};
}

std::unique_ptr<RecordProtection> protectionFor(const CipherSuite& s, const Keys& k)
{
    return RecordProtection::create(s, k.key, k.macKey, k.iv);
}

std::size_t expectedFragmentLength(const CipherSuite& s, std::size_t n)
{
    switch (s.cipher) {
    case BulkCipher::Aes128Cbc:
    case BulkCipher::Aes256Cbc:
        return 16 + (n + s.macLength + 1 + 15) / 16 * 16; // RFC 5246 §6.2.3.2
    case BulkCipher::Aes128Gcm:
    case BulkCipher::Aes256Gcm:
        return 8 + n + 16; // RFC 5288 §3
    case BulkCipher::ChaCha20Poly1305:
        return n + 16; // RFC 7905 §2
    case BulkCipher::TripleDesCbc:
        return 8 + (n + s.macLength + 1 + 7) / 8 * 8; // 8-byte blocks
    case BulkCipher::Rc4_128:
        return n + s.macLength; // RFC 5246 §6.2.3.1: a stream cipher adds only the MAC
    }
    return 0;
}

const CipherSuite& suite(std::uint16_t id)
{
    const CipherSuite* s = findCipherSuite(id);
    if (!s)
        throw std::runtime_error("suite missing from the table");
    return *s;
}

constexpr std::uint8_t kAppData = 23;

// A TLS 1.2 CBC/HMAC-SHA1 record built straight from Crypto++ and RFC 5246 §6.2.3.2, so the engine's decoder can
// be fed records its own encoder would never make (bad MAC, bad padding, oversized plaintext).
Bytes handmadeCbcSha1Record(const Bytes& key, const Bytes& macKey, const Bytes& iv, std::uint64_t seq,
                            const Bytes& plaintext, const std::function<void(Bytes& mac, Bytes& padding)>& spoil)
{
    const Bytes macInput = concat(header(seq, kAppData, kTls12, plaintext.size()), plaintext);
    Bytes mac(20);
    CryptoPP::HMAC<CryptoPP::SHA1>(macKey.data(), macKey.size())
        .CalculateDigest(mac.data(), macInput.data(), macInput.size());
    const std::size_t padLength = (16 - (plaintext.size() + 20 + 1) % 16) % 16;
    Bytes padding(padLength + 1, static_cast<std::uint8_t>(padLength));
    if (spoil)
        spoil(mac, padding);
    const Bytes body = concat(plaintext, mac, padding);
    Bytes out(body.size());
    CryptoPP::CBC_Mode<CryptoPP::AES>::Encryption enc(key.data(), key.size(), iv.data());
    enc.ProcessData(out.data(), body.data(), body.size());
    return concat(iv, out);
}

} // namespace

Q_DECLARE_METATYPE(hl::Bytes)

class TestRecordProtection : public QObject {
    Q_OBJECT

private:
    // Rows naming one record of the Illustrated session and the side that sent it.
    void illustratedRows()
    {
        QTest::addColumn<QString>("record");
        QTest::addColumn<bool>("fromClient");
        QTest::newRow("client Finished") << "client_finished" << true;
        QTest::newRow("server Finished") << "server_finished" << false;
        QTest::newRow("client application data (ping)") << "client_appdata" << true;
        QTest::newRow("server application data (pong)") << "server_appdata" << false;
        QTest::newRow("client close_notify alert") << "client_close_notify" << true;
    }

    void suiteRows()
    {
        QTest::addColumn<quint16>("suiteId");
        for (const CipherSuite& s : allCipherSuites())
            QTest::newRow(std::string(s.name).c_str()) << quint16(s.id);
    }

    static std::unique_ptr<RecordProtection> illustratedProtection(bool fromClient)
    {
        const Vectors& v = session();
        const std::string side = fromClient ? "client" : "server";
        return RecordProtection::create(suite(0xc013), v.bytes(side + "_write_key"), v.bytes(side + "_write_mac_key"),
                                        v.bytes(side + "_write_iv"));
    }

private slots:
    // ---- The Illustrated TLS 1.2 Connection ----------------------------------------------------------------------
    void decryptsIllustratedRecords_data() { illustratedRows(); }
    void decryptsIllustratedRecords()
    {
        QFETCH(QString, record);
        QFETCH(bool, fromClient);
        const Vectors& v = session();
        const std::string name = record.toStdString();
        const Bytes wire = v.bytes("record." + name);
        const std::uint8_t type = wire.at(0);
        const auto version = static_cast<std::uint16_t>(wire.at(1) << 8 | wire.at(2));
        const Bytes fragment(wire.begin() + 5, wire.end());
        QCOMPARE(std::size_t(wire.at(3) << 8 | wire.at(4)), fragment.size());
        QCOMPARE(hexq(Bytes(fragment.begin(), fragment.begin() + 16)), hexq(v.bytes(name + ".explicit_iv")));

        const auto protection = illustratedProtection(fromClient);
        const Bytes plain = protection->unprotect(be64(v.bytes(name + ".seq_num")), type, version, fragment);
        QCOMPARE(hexq(plain), hexq(v.bytes(name + ".plaintext")));
    }

    void reproducesIllustratedRecordsWithTheirPublishedIv_data() { illustratedRows(); }
    void reproducesIllustratedRecordsWithTheirPublishedIv()
    {
        QFETCH(QString, record);
        QFETCH(bool, fromClient);
        const Vectors& v = session();
        const std::string name = record.toStdString();
        const Bytes wire = v.bytes("record." + name);
        const auto version = static_cast<std::uint16_t>(wire.at(1) << 8 | wire.at(2));
        const auto protection = illustratedProtection(fromClient);
        const Bytes fragment =
            protection->protectWithExplicitNonce(be64(v.bytes(name + ".seq_num")), wire.at(0), version,
                                                 v.bytes(name + ".plaintext"), v.bytes(name + ".explicit_iv"));
        QCOMPARE(hexq(fragment), hexq(Bytes(wire.begin() + 5, wire.end())));
    }

    void protectDrawsTheCbcIvFromTheRng()
    {
        const Vectors& v = session();
        const Bytes wire = v.bytes("record.client_finished");
        FixedRng rng(v.bytes("client_finished.explicit_iv"));
        const Bytes fragment =
            illustratedProtection(true)->protect(0, 22, kTls12, v.bytes("client_finished.plaintext"), rng);
        QCOMPARE(hexq(fragment), hexq(Bytes(wire.begin() + 5, wire.end())));
    }

    void rejectsIllustratedFinishedWithTheOtherSidesKeys()
    {
        const Vectors& v = session();
        const Bytes wire = v.bytes("record.client_finished");
        EXPECT_ALERT(illustratedProtection(false)->unprotect(0, 22, kTls12, Bytes(wire.begin() + 5, wire.end())),
                     AlertDescription::BadRecordMac);
    }

    // ---- every suite ---------------------------------------------------------------------------------------------
    void roundTripsEverySuite_data() { suiteRows(); }
    void roundTripsEverySuite()
    {
        QFETCH(quint16, suiteId);
        const CipherSuite& s = suite(suiteId);
        const Keys k = keysFor(s, suiteId);
        const auto writer = protectionFor(s, k);
        const auto reader = protectionFor(s, k);
        SeededRng rng(suiteId, "round trip");
        std::uint64_t seq = 0;
        for (const std::size_t n : {0, 1, 15, 16, 17, 31, 100, 1000, 16383, 16384}) {
            const Bytes plain = randomBytes(rng, n);
            const Bytes fragment = writer->protect(seq, kAppData, kTls12, plain, rng);
            QCOMPARE(fragment.size(), expectedFragmentLength(s, n));
            if (n >= 16)
                QVERIFY(std::search(fragment.begin(), fragment.end(), plain.begin(), plain.begin() + 16) ==
                        fragment.end());
            QCOMPARE(hexq(reader->unprotect(seq, kAppData, kTls12, fragment)), hexq(plain));
            ++seq;
        }
        // The same plaintext under the next sequence number must not give the same bytes.
        const Bytes plain(64, 0x61);
        QVERIFY(writer->protect(100, kAppData, kTls12, plain, rng) !=
                writer->protect(101, kAppData, kTls12, plain, rng));
    }

    void describesItsConstruction_data()
    {
        QTest::addColumn<quint16>("suiteId");
        QTest::addColumn<QString>("description");
        QTest::newRow("0xc013") << quint16(0xc013) << "AES-128-CBC with HMAC-SHA-1";
        QTest::newRow("0x003d") << quint16(0x003d) << "AES-256-CBC with HMAC-SHA-256";
        QTest::newRow("0xc02f") << quint16(0xc02f) << "AES-128-GCM";
        QTest::newRow("0xc030") << quint16(0xc030) << "AES-256-GCM";
        QTest::newRow("0xcca8") << quint16(0xcca8) << "ChaCha20-Poly1305";
    }
    void describesItsConstruction()
    {
        QFETCH(quint16, suiteId);
        QFETCH(QString, description);
        const CipherSuite& s = suite(suiteId);
        QCOMPARE(QString::fromStdString(protectionFor(s, keysFor(s, 1))->description()), description);
    }

    void rejectsTamperedBytes_data() { suiteRows(); }
    void rejectsTamperedBytes()
    {
        QFETCH(quint16, suiteId);
        const CipherSuite& s = suite(suiteId);
        const Keys k = keysFor(s, suiteId);
        SeededRng rng(suiteId, "tamper");
        const Bytes fragment = protectionFor(s, k)->protect(5, kAppData, kTls12, randomBytes(rng, 50), rng);
        // First byte (CBC IV / GCM explicit nonce / ChaCha ciphertext), middle, and the last byte (the AEAD tag,
        // or CBC's last block, which holds the MAC's tail and the padding).
        for (const std::size_t at : {std::size_t{0}, fragment.size() / 2, fragment.size() - 1}) {
            for (const std::uint8_t bit : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
                Bytes bad = fragment;
                bad[at] ^= bit;
                EXPECT_ALERT(protectionFor(s, k)->unprotect(5, kAppData, kTls12, bad), AlertDescription::BadRecordMac);
            }
        }
    }

    void rejectsWrongSequenceNumberTypeOrVersion_data() { suiteRows(); }
    void rejectsWrongSequenceNumberTypeOrVersion()
    {
        QFETCH(quint16, suiteId);
        const CipherSuite& s = suite(suiteId);
        const Keys k = keysFor(s, suiteId);
        SeededRng rng(suiteId, "replay");
        const Bytes fragment = protectionFor(s, k)->protect(7, kAppData, kTls12, randomBytes(rng, 40), rng);
        // A fresh reader for each try: RC4's key stream moves on with every record it opens (a real connection
        // would be dead after the first failure anyway).
        EXPECT_ALERT(protectionFor(s, k)->unprotect(8, kAppData, kTls12, fragment), AlertDescription::BadRecordMac);
        EXPECT_ALERT(protectionFor(s, k)->unprotect(6, kAppData, kTls12, fragment), AlertDescription::BadRecordMac);
        EXPECT_ALERT(protectionFor(s, k)->unprotect(7, 22, kTls12, fragment), AlertDescription::BadRecordMac);
        EXPECT_ALERT(protectionFor(s, k)->unprotect(7, kAppData, 0x0302, fragment), AlertDescription::BadRecordMac);
        QCOMPARE(protectionFor(s, k)->unprotect(7, kAppData, kTls12, fragment).size(), std::size_t{40});
    }

    void rejectsTruncatedFragment_data() { suiteRows(); }
    void rejectsTruncatedFragment()
    {
        QFETCH(quint16, suiteId);
        const CipherSuite& s = suite(suiteId);
        const Keys k = keysFor(s, suiteId);
        SeededRng rng(suiteId, "truncate");
        const Bytes fragment = protectionFor(s, k)->protect(0, kAppData, kTls12, randomBytes(rng, 40), rng);
        const auto reader = protectionFor(s, k);
        for (const std::size_t keep : {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{16},
                                       fragment.size() - 16, fragment.size() - 1}) {
            const Bytes cut(fragment.begin(), fragment.begin() + static_cast<std::ptrdiff_t>(keep));
            EXPECT_ALERT(reader->unprotect(0, kAppData, kTls12, cut), AlertDescription::BadRecordMac);
        }
    }

    void refusesToProtectOversizedPlaintext_data() { suiteRows(); }
    void refusesToProtectOversizedPlaintext()
    {
        QFETCH(quint16, suiteId);
        const CipherSuite& s = suite(suiteId);
        SeededRng rng(suiteId, "big");
        EXPECT_ALERT(protectionFor(s, keysFor(s, 1))->protect(0, kAppData, kTls12, Bytes(16385, 0x55), rng),
                     AlertDescription::RecordOverflow);
    }

    void rejectsOversizedFragment_data() { suiteRows(); }
    void rejectsOversizedFragment()
    {
        QFETCH(quint16, suiteId);
        const CipherSuite& s = suite(suiteId);
        // RFC 5246 §6.2.3: 2^14 + 2048 bytes at most (18432 is a whole number of AES blocks).
        EXPECT_ALERT(protectionFor(s, keysFor(s, 1))->unprotect(0, kAppData, kTls12, Bytes(18448, 0)),
                     AlertDescription::RecordOverflow);
        EXPECT_ALERT(protectionFor(s, keysFor(s, 1))->unprotect(0, kAppData, kTls12, Bytes(18433, 0)),
                     AlertDescription::RecordOverflow);
    }

    void rejectsWrongKeyLengths()
    {
        const CipherSuite& s = suite(0xc02f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RecordProtection::create(s, Bytes(15), {}, Bytes(4)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RecordProtection::create(s, Bytes(16), {}, Bytes(12)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 RecordProtection::create(suite(0xc013), Bytes(16), Bytes(32), {}));
    }

    // ---- CBC with HMAC: the checks a padding oracle would probe --------------------------------------------------
    void rejectsCbcBadMacUnderGoodPadding()
    {
        const Vectors& v = session();
        const Bytes key = v.bytes("client_write_key"), macKey = v.bytes("client_write_mac_key");
        const Bytes record = handmadeCbcSha1Record(key, macKey, Bytes(16, 0x11), 3, Bytes(8, 0x41),
                                                   [](Bytes& mac, Bytes&) { mac[19] ^= 1; });
        EXPECT_ALERT(illustratedProtection(true)->unprotect(3, kAppData, kTls12, record),
                     AlertDescription::BadRecordMac);
    }

    void rejectsCbcBadPaddingUnderGoodMac_data()
    {
        QTest::addColumn<int>("spoilAt"); // index into the padding bytes; -1: length byte too large
        QTest::newRow("first padding byte") << 0;
        QTest::newRow("middle padding byte") << 1;
        QTest::newRow("padding length beyond the record") << -1;
    }
    void rejectsCbcBadPaddingUnderGoodMac()
    {
        QFETCH(int, spoilAt);
        const Vectors& v = session();
        const Bytes key = v.bytes("client_write_key"), macKey = v.bytes("client_write_mac_key");
        // 8 + 20 + 4 = 32: padding of length 3, i.e. the bytes 03 03 03 03.
        const Bytes record =
            handmadeCbcSha1Record(key, macKey, Bytes(16, 0x22), 3, Bytes(8, 0x41), [spoilAt](Bytes&, Bytes& padding) {
                if (spoilAt < 0)
                    padding.back() = 0xc8;
                else
                    padding[static_cast<std::size_t>(spoilAt)] = 0x02;
            });
        EXPECT_ALERT(illustratedProtection(true)->unprotect(3, kAppData, kTls12, record),
                     AlertDescription::BadRecordMac);
    }

    void rejectsBadPaddingEvenWhereTheMacFitsAnEmptyPadding()
    {
        // plaintext || HMAC(plaintext) || 03: the padding claims 3 bytes that are really the MAC's tail. Read as
        // "no padding" (RFC 5246 §6.2.3.2's timing advice) the MAC verifies, so only the padding verdict refuses it.
        const Vectors& v = session();
        const Bytes key = v.bytes("client_write_key"), macKey = v.bytes("client_write_mac_key");
        Bytes macTail;
        const Bytes record = handmadeCbcSha1Record(key, macKey, Bytes(16, 0x66), 2, Bytes(11, 0x41),
                                                   [&macTail](Bytes& mac, Bytes& padding) {
                                                       macTail.assign(mac.end() - 3, mac.end());
                                                       padding = {0x03};
                                                   });
        QVERIFY(macTail != Bytes(3, 0x03));
        EXPECT_ALERT(illustratedProtection(true)->unprotect(2, kAppData, kTls12, record),
                     AlertDescription::BadRecordMac);
    }

    void badPaddingAndBadMacLookTheSame()
    {
        const Vectors& v = session();
        const Bytes key = v.bytes("client_write_key"), macKey = v.bytes("client_write_mac_key");
        const Bytes badMac = handmadeCbcSha1Record(key, macKey, Bytes(16, 0x33), 0, Bytes(8, 0x41),
                                                   [](Bytes& mac, Bytes&) { mac[0] ^= 1; });
        const Bytes badPadding = handmadeCbcSha1Record(key, macKey, Bytes(16, 0x33), 0, Bytes(8, 0x41),
                                                       [](Bytes&, Bytes& padding) { padding[0] = 0; });
        std::string macReason, paddingReason;
        const auto a =
            hltest::alertOf([&] { illustratedProtection(true)->unprotect(0, kAppData, kTls12, badMac); }, &macReason);
        const auto b =
            hltest::alertOf([&] { illustratedProtection(true)->unprotect(0, kAppData, kTls12, badPadding); }, &paddingReason);
        QVERIFY(a && b);
        QCOMPARE(*a, AlertDescription::BadRecordMac);
        QCOMPARE(*b, *a);
        QCOMPARE(QString::fromStdString(paddingReason), QString::fromStdString(macReason));
    }

    void acceptsCbcPaddingLongerThanOneBlock()
    {
        // RFC 5246 §6.2.3.2: any padding up to 255 bytes that fills whole blocks is valid (8 + 20 + 1 + 243 = 272).
        const Vectors& v = session();
        const Bytes key = v.bytes("client_write_key"), macKey = v.bytes("client_write_mac_key");
        const Bytes plain(8, 0x41);
        const Bytes record = handmadeCbcSha1Record(key, macKey, Bytes(16, 0x44), 9, plain,
                                                   [](Bytes&, Bytes& padding) { padding.assign(244, 243); });
        QCOMPARE(hexq(illustratedProtection(true)->unprotect(9, kAppData, kTls12, record)), hexq(plain));
    }

    void rejectsCbcFragmentOfPartialBlocks()
    {
        const Vectors& v = session();
        const Bytes wire = v.bytes("record.client_finished");
        Bytes fragment(wire.begin() + 5, wire.end());
        fragment.push_back(0);
        EXPECT_ALERT(illustratedProtection(true)->unprotect(0, 22, kTls12, fragment), AlertDescription::BadRecordMac);
    }

    void rejectsCbcRecordHoldingOversizedPlaintext()
    {
        const Vectors& v = session();
        const Bytes key = v.bytes("client_write_key"), macKey = v.bytes("client_write_mac_key");
        const Bytes record = handmadeCbcSha1Record(key, macKey, Bytes(16, 0x55), 0, Bytes(16385, 0x41), {});
        QVERIFY(record.size() <= kMaxCiphertextLength);
        EXPECT_ALERT(illustratedProtection(true)->unprotect(0, kAppData, kTls12, record),
                     AlertDescription::RecordOverflow);
    }

    // ---- AEAD nonce and additional data --------------------------------------------------------------------------
    void gcmRecordUsesRfc5288NonceAndAdditionalData()
    {
        const CipherSuite& s = suite(0xc02f);
        const Keys k = keysFor(s, 21);
        const std::uint64_t seq = 0x0102030405060708;
        SeededRng rng(21, "gcm");
        const Bytes plain = randomBytes(rng, 77);
        const Bytes fragment = protectionFor(s, k)->protect(seq, kAppData, kTls12, plain, rng);

        // RFC 5288 §3: nonce = salt || nonce_explicit (here the sequence number); additional_data per RFC 5246.
        const Bytes explicitNonce = be64Bytes(seq);
        const Bytes nonce = concat(k.iv, explicitNonce);
        const Bytes aad = header(seq, kAppData, kTls12, plain.size());
        Bytes ct(plain.size()), tag(16);
        CryptoPP::GCM<CryptoPP::AES>::Encryption gcm;
        gcm.SetKeyWithIV(k.key.data(), k.key.size(), nonce.data(), nonce.size());
        gcm.EncryptAndAuthenticate(ct.data(), tag.data(), tag.size(), nonce.data(), static_cast<int>(nonce.size()),
                                   aad.data(), aad.size(), plain.data(), plain.size());
        QCOMPARE(hexq(fragment), hexq(concat(explicitNonce, ct, tag)));
    }

    void gcmTakesTheExplicitNonceFromTheRecord()
    {
        // A peer may choose any explicit nonce (RFC 5288 §3); the receiver must use the one on the wire.
        const CipherSuite& s = suite(0xc030);
        const Keys k = keysFor(s, 22);
        const Bytes plain(33, 0x5a);
        const Bytes fragment =
            protectionFor(s, k)->protectWithExplicitNonce(4, kAppData, kTls12, plain, fromHex("a1a2a3a4a5a6a7a8"));
        QCOMPARE(hexq(Bytes(fragment.begin(), fragment.begin() + 8)), QByteArray("a1a2a3a4a5a6a7a8"));
        QCOMPARE(hexq(protectionFor(s, k)->unprotect(4, kAppData, kTls12, fragment)), hexq(plain));
    }

    void rejectsGcmRecordHoldingOversizedPlaintext()
    {
        const CipherSuite& s = suite(0xc02f);
        const Keys k = keysFor(s, 23);
        const Bytes plain(16385, 0x41);
        const Bytes explicitNonce = be64Bytes(0);
        const Bytes nonce = concat(k.iv, explicitNonce);
        const Bytes aad = header(0, kAppData, kTls12, plain.size());
        Bytes ct(plain.size()), tag(16);
        CryptoPP::GCM<CryptoPP::AES>::Encryption gcm;
        gcm.SetKeyWithIV(k.key.data(), k.key.size(), nonce.data(), nonce.size());
        gcm.EncryptAndAuthenticate(ct.data(), tag.data(), tag.size(), nonce.data(), static_cast<int>(nonce.size()),
                                   aad.data(), aad.size(), plain.data(), plain.size());
        EXPECT_ALERT(protectionFor(s, k)->unprotect(0, kAppData, kTls12, concat(explicitNonce, ct, tag)),
                     AlertDescription::RecordOverflow);
    }

    void chachaRecordUsesRfc7905Nonce()
    {
        const CipherSuite& s = suite(0xcca8);
        const Keys k = keysFor(s, 24);
        const std::uint64_t seq = 0x1122334455667788;
        SeededRng rng(24, "chacha");
        const Bytes plain = randomBytes(rng, 65);
        const Bytes fragment = protectionFor(s, k)->protect(seq, kAppData, kTls12, plain, rng);

        // RFC 7905 §2: the 64-bit sequence number, left-padded with zeros to 96 bits, XORed with the IV.
        Bytes nonce = k.iv;
        const Bytes seqBytes = be64Bytes(seq);
        for (std::size_t i = 0; i < 8; ++i)
            nonce[4 + i] ^= seqBytes[i];
        const Bytes aad = header(seq, kAppData, kTls12, plain.size());
        Bytes ct(plain.size()), tag(16);
        CryptoPP::ChaCha20Poly1305::Encryption aead;
        aead.SetKeyWithIV(k.key.data(), k.key.size(), nonce.data(), nonce.size());
        aead.EncryptAndAuthenticate(ct.data(), tag.data(), tag.size(), nonce.data(), static_cast<int>(nonce.size()),
                                    aad.data(), aad.size(), plain.data(), plain.size());
        QCOMPARE(hexq(fragment), hexq(concat(ct, tag)));
    }

    void chacha20Poly1305PrimitiveMatchesRfc8439()
    {
        // The Crypto++ AEAD the engine wires in, called the way the engine calls it, on RFC 8439 §2.8.2.
        static const Vectors v("aead_vectors.txt");
        const Bytes key = v.bytes("chacha20poly1305_rfc8439.key");
        const Bytes nonce = v.bytes("chacha20poly1305_rfc8439.nonce");
        const Bytes aad = v.bytes("chacha20poly1305_rfc8439.aad");
        const Bytes plain = v.bytes("chacha20poly1305_rfc8439.plaintext");
        Bytes ct(plain.size()), tag(16);
        CryptoPP::ChaCha20Poly1305::Encryption enc;
        enc.SetKeyWithIV(key.data(), key.size(), Bytes(12, 0).data(), 12);
        enc.EncryptAndAuthenticate(ct.data(), tag.data(), tag.size(), nonce.data(), static_cast<int>(nonce.size()),
                                   aad.data(), aad.size(), plain.data(), plain.size());
        QCOMPARE(hexq(ct), hexq(v.bytes("chacha20poly1305_rfc8439.ciphertext")));
        QCOMPARE(hexq(tag), hexq(v.bytes("chacha20poly1305_rfc8439.tag")));
        Bytes back(ct.size());
        CryptoPP::ChaCha20Poly1305::Decryption dec;
        dec.SetKeyWithIV(key.data(), key.size(), Bytes(12, 0).data(), 12);
        QVERIFY(dec.DecryptAndVerify(back.data(), tag.data(), tag.size(), nonce.data(), static_cast<int>(nonce.size()),
                                     aad.data(), aad.size(), ct.data(), ct.size()));
        QCOMPARE(hexq(back), hexq(plain));
    }
};

QTEST_APPLESS_MAIN(TestRecordProtection)
#include "test_record_protection.moc"
