// The running transcript hash against hashing from scratch, MD5 beside the SHA family, and the seeded generator's
// block-drawn bytes and words: the parts of the engine made cheaper must say exactly what they said before.
#include "crypto/hash.h"
#include "crypto/rng.h"

#include <QtTest>

#include <cryptopp/misc.h>

#include <string>
#include <vector>

using namespace hl;

Q_DECLARE_METATYPE(hl::HashAlgorithm)

namespace {

QByteArray hexq(const Bytes& b)
{
    return QByteArray::fromStdString(toHex(b));
}

// Handshake-like messages: a 4-byte header and bodies from empty to longer than one hash block several times over.
std::vector<Bytes> messages()
{
    std::vector<Bytes> out;
    for (std::size_t size : {0, 1, 38, 63, 64, 65, 900, 127, 1500, 12}) {
        Bytes m = {static_cast<std::uint8_t>(out.size() + 1), 0, static_cast<std::uint8_t>(size >> 8),
                   static_cast<std::uint8_t>(size)};
        for (std::size_t i = 0; i < size; ++i)
            m.push_back(static_cast<std::uint8_t>(i * 31 + out.size()));
        out.push_back(m);
    }
    return out;
}

Bytes finish(CryptoPP::HashTransformation& h)
{
    Bytes out(h.DigestSize());
    h.Final(out.data());
    return out;
}

void addHashRows()
{
    QTest::addColumn<HashAlgorithm>("hash");
    QTest::newRow("MD5") << HashAlgorithm::Md5;
    QTest::newRow("SHA-1") << HashAlgorithm::Sha1;
    QTest::newRow("SHA-256") << HashAlgorithm::Sha256;
    QTest::newRow("SHA-384") << HashAlgorithm::Sha384;
    QTest::newRow("SHA-512") << HashAlgorithm::Sha512;
}

} // namespace

class TestCryptoTranscript : public QObject {
    Q_OBJECT

private slots:
    // RFC 1321 A.5 and RFC 2202 §2 test case 2: MD5 is there for TLS 1.0/1.1 and SSL 3.0.
    void md5MatchesRfc1321AndRfc2202()
    {
        QCOMPARE(hashLength(HashAlgorithm::Md5), std::size_t(16));
        QCOMPARE(hexq(hashOf(HashAlgorithm::Md5, asBytes("abc"))), QByteArray("900150983cd24fb0d6963f7d28e17f72"));
        QCOMPARE(hexq(hmac(HashAlgorithm::Md5, asBytes("Jefe"), asBytes("what do ya want for nothing?"))),
                 QByteArray("750c783e6ab0b503eaa86e310a5db738"));
        QCOMPARE(hashName(HashAlgorithm::Md5), std::string("MD5"));
    }

    // The reads a handshake makes: the transcript before the message just added (a received Finished or
    // CertificateVerify), then all of it (the next Finished sent).
    void digestEqualsHashingFromScratchAtEveryRead_data() { addHashRows(); }
    void digestEqualsHashingFromScratchAtEveryRead()
    {
        QFETCH(HashAlgorithm, hash);
        TranscriptHash t;
        Bytes all;
        QCOMPARE(hexq(t.digest(hash)), hexq(hashOf(hash, {})));
        for (const Bytes& m : messages()) {
            const std::size_t before = all.size();
            t.update(m);
            append(all, m);
            QCOMPARE(hexq(t.digest(hash, before)), hexq(hashOf(hash, ByteView(all).first(before))));
            QCOMPARE(hexq(t.digest(hash)), hexq(hashOf(hash, all)));
            QCOMPARE(hexq(t.digest(hash)), hexq(hashOf(hash, all))); // reading does not move the state
        }
        QCOMPARE(t.messages(), all);
    }

    // Another hash asked for late (the suite's is known only at ServerHello) takes every earlier message too.
    void aHashFirstAskedForLateCoversTheWholeTranscript_data() { addHashRows(); }
    void aHashFirstAskedForLateCoversTheWholeTranscript()
    {
        QFETCH(HashAlgorithm, hash);
        TranscriptHash t;
        Bytes all;
        for (const Bytes& m : messages()) {
            t.update(m);
            append(all, m);
            if (all.size() > 1000)
                break;
        }
        QCOMPARE(hexq(t.digest(hash)), hexq(hashOf(hash, all)));
    }

    // A read behind an earlier one is still right, only slower.
    void aReadBehindAnEarlierOneIsHashedFromTheStart_data() { addHashRows(); }
    void aReadBehindAnEarlierOneIsHashedFromTheStart()
    {
        QFETCH(HashAlgorithm, hash);
        TranscriptHash t;
        Bytes all;
        for (const Bytes& m : messages()) {
            t.update(m);
            append(all, m);
        }
        QCOMPARE(hexq(t.digest(hash)), hexq(hashOf(hash, all)));
        QCOMPARE(hexq(t.digest(hash, 70)), hexq(hashOf(hash, ByteView(all).first(70))));
        QCOMPARE(hexq(t.digest(hash, all.size() + 5)), hexq(hashOf(hash, all))); // clamped to what there is
        const Bytes more = {0x14, 0, 0, 1, 0xaa};
        t.update(more);
        append(all, more);
        QCOMPARE(hexq(t.digest(hash)), hexq(hashOf(hash, all)));
    }

    // SSL 3.0 (RFC 6101 §5.6.9) hashes the transcript, then the sender, master secret and pads, with MD5 and
    // SHA-1: a copy of the running state takes the extra bytes and the transcript carries on untouched.
    void aRunningCopyContinuesWithExtraBytes_data() { addHashRows(); }
    void aRunningCopyContinuesWithExtraBytes()
    {
        QFETCH(HashAlgorithm, hash);
        TranscriptHash t;
        Bytes all;
        const std::string extraText = std::string("CLNT") + std::string(48, 'm') + std::string(48, '\x36');
        const ByteView extra = asBytes(extraText);
        for (const Bytes& m : messages()) {
            t.update(m);
            append(all, m);
            const auto copy = t.runningCopy(hash);
            copy->Update(extra.data(), extra.size());
            QCOMPARE(hexq(finish(*copy)), hexq(hashOf(hash, concat(all, extra))));
            QCOMPARE(hexq(t.digest(hash)), hexq(hashOf(hash, all)));
        }
    }

    // Words and single bytes come from a block drawn at once: the same seed gives the same values, in range.
    void seededWordsRepeatAndStayInRange()
    {
        SeededRng a(42, "client"), b(42, "client"), c(43, "client");
        std::vector<CryptoPP::word32> wa, wb, wc;
        for (int i = 0; i < 3000; ++i) { // several blocks' worth
            wa.push_back(a.GenerateWord32(1, 0xff));
            wb.push_back(b.GenerateWord32(1, 0xff));
            wc.push_back(c.GenerateWord32(1, 0xff));
            QVERIFY(wa.back() >= 1 && wa.back() <= 0xff);
        }
        QCOMPARE(wa, wb);
        QVERIFY(wa != wc);
        QCOMPARE(a.GenerateByte(), b.GenerateByte());
        std::vector<int> seen(256);
        for (CryptoPP::word32 w : wa)
            ++seen[w];
        QCOMPARE(seen[0], 0);
        for (int v = 1; v < 256; ++v)
            QVERIFY2(seen[v] > 0, qPrintable(QString("value %1 never drawn in 3000 words").arg(v)));
        QCOMPARE(a.GenerateWord32(7, 7), CryptoPP::word32(7));
    }

    // Blocks (keys, randoms, nonces) still come straight from the DRBG and repeat for a seed; a word drawn before
    // one moves the DRBG on by a whole buffered block. (test_session pins whole seeded runs against their bytes.)
    void seededBlocksAreTheDrbgsOwnBytes()
    {
        SeededRng fresh(7, "client"), afterWords(7, "client");
        Bytes a(32), b(32);
        fresh.GenerateBlock(a.data(), a.size());
        afterWords.GenerateWord32(); // draws a buffered block first, which moves the DRBG on
        afterWords.GenerateBlock(b.data(), b.size());
        QVERIFY(a != b);
        SeededRng again(7, "client");
        Bytes c(32);
        again.GenerateBlock(c.data(), c.size());
        QCOMPARE(a, c);
    }
};

QTEST_GUILESS_MAIN(TestCryptoTranscript)
#include "test_crypto_transcript.moc"
