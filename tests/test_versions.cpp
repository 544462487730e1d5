// SSL 3.0, TLS 1.0 and TLS 1.1 against answers from outside the engine: known answers computed from the RFCs' text by
// tests/data/crypto/make_version_vectors.py, record protection decrypted here with Crypto++ directly, and a seeded
// SSL 3.0 run decrypted by a second SSL 3.0 written in this file from RFC 6101 alone (no peer speaks it any more).
#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1

#include "alert_support.h"
#include "crypto_vectors.h"
#include "pki.h"
#include "session_support.h"

#include "common/alert.h"
#include "common/protocol.h"
#include "crypto/cipher_suite.h"
#include "crypto/key_schedule.h"
#include "crypto/rng.h"
#include "record/protection.h"

#include <cryptopp/aes.h>
#include <cryptopp/arc4.h>
#include <cryptopp/hmac.h>
#include <cryptopp/md5.h>
#include <cryptopp/modes.h>
#include <cryptopp/sha.h>

#include <QTest>

#include <stdexcept>

using namespace hl;

namespace {

using hltest::Vectors;

const Vectors& vectors()
{
    static const Vectors v("version_vectors.txt");
    return v;
}

const CipherSuite& suite(const char* name)
{
    const CipherSuite* s = findCipherSuite(std::string_view(name));
    if (!s)
        qFatal("no suite %s", name);
    return *s;
}

QByteArray hexq(const Bytes& b)
{
    return QByteArray::fromStdString(toHex(b));
}

Bytes concat(std::initializer_list<ByteView> parts)
{
    Bytes out;
    for (ByteView p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes text(std::string_view s)
{
    return Bytes(s.begin(), s.end());
}

Bytes slice(const Bytes& b, std::size_t from, std::size_t n)
{
    return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(from + n));
}

// ---- A second SSL 3.0, from RFC 6101's text ----

template <typename H>
Bytes digest(ByteView data)
{
    H h;
    Bytes out(H::DIGESTSIZE);
    h.CalculateDigest(out.data(), data.data(), data.size());
    return out;
}
Bytes md5(ByteView d) { return digest<CryptoPP::Weak::MD5>(d); }
Bytes sha1(ByteView d) { return digest<CryptoPP::SHA1>(d); }

// RFC 6101 §6.2.2: key_block = MD5(master_secret + SHA('A' + master_secret + ServerHello.random +
// ClientHello.random)) + MD5(master_secret + SHA('BB' + ...)) + MD5(master_secret + SHA('CCC' + ...)) + ...
Bytes rfc6101KeyBlock(ByteView master, ByteView clientRandom, ByteView serverRandom, std::size_t length)
{
    Bytes out;
    for (int i = 0; out.size() < length; ++i) {
        const Bytes salt(static_cast<std::size_t>(i + 1), static_cast<std::uint8_t>('A' + i));
        const Bytes inner = sha1(concat({salt, master, serverRandom, clientRandom}));
        const Bytes block = md5(concat({master, inner}));
        out.insert(out.end(), block.begin(), block.end());
    }
    out.resize(length);
    return out;
}

// RFC 6101 §5.2.3.1: hash(MAC_write_secret + pad_2 + hash(MAC_write_secret + pad_1 + seq_num + type + length +
// content)), pad_1 = 0x36 and pad_2 = 0x5c repeated 48 times for MD5 and 40 times for SHA.
Bytes rfc6101Mac(bool useSha, ByteView secret, std::uint64_t seq, std::uint8_t type, ByteView content)
{
    const std::size_t padLength = useSha ? 40 : 48;
    Bytes header(11);
    for (int i = 0; i < 8; ++i)
        header[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(seq >> (56 - 8 * i));
    header[8] = type;
    header[9] = static_cast<std::uint8_t>(content.size() >> 8);
    header[10] = static_cast<std::uint8_t>(content.size());
    const auto hash = [&](ByteView d) { return useSha ? sha1(d) : md5(d); };
    const Bytes inner = hash(concat({secret, Bytes(padLength, 0x36), header, content}));
    return hash(concat({secret, Bytes(padLength, 0x5c), inner}));
}

// RFC 6101 §5.6.9: md5_hash + sha_hash, each hash(master_secret + pad2 + hash(handshake_messages + Sender +
// master_secret + pad1)).
Bytes rfc6101Finished(ByteView master, ByteView messages, ByteView sender)
{
    const Bytes m = md5(concat({master, Bytes(48, 0x5c), md5(concat({messages, sender, master, Bytes(48, 0x36)}))}));
    const Bytes s = sha1(concat({master, Bytes(40, 0x5c), sha1(concat({messages, sender, master, Bytes(40, 0x36)}))}));
    return concat({m, s});
}

Bytes aesCbcDecrypt(ByteView key, ByteView iv, ByteView ciphertext)
{
    CryptoPP::CBC_Mode<CryptoPP::AES>::Decryption d(key.data(), key.size(), iv.data());
    Bytes out(ciphertext.size());
    d.ProcessData(out.data(), ciphertext.data(), ciphertext.size());
    return out;
}

Bytes aesCbcEncrypt(ByteView key, ByteView iv, ByteView plaintext)
{
    CryptoPP::CBC_Mode<CryptoPP::AES>::Encryption e(key.data(), key.size(), iv.data());
    Bytes out(plaintext.size());
    e.ProcessData(out.data(), plaintext.data(), plaintext.size());
    return out;
}

// RFC 2246 §6.2.3.1: HMAC_hash(MAC_write_secret, seq_num + type + version + length + content)
Bytes tlsMacSha1(ByteView key, std::uint64_t seq, std::uint8_t type, std::uint16_t version, ByteView content)
{
    Bytes header(13);
    for (int i = 0; i < 8; ++i)
        header[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(seq >> (56 - 8 * i));
    header[8] = type;
    header[9] = static_cast<std::uint8_t>(version >> 8);
    header[10] = static_cast<std::uint8_t>(version);
    header[11] = static_cast<std::uint8_t>(content.size() >> 8);
    header[12] = static_cast<std::uint8_t>(content.size());
    CryptoPP::HMAC<CryptoPP::SHA1> h(key.data(), key.size());
    h.Update(header.data(), header.size());
    h.Update(content.data(), content.size());
    Bytes out(h.DIGESTSIZE);
    h.Final(out.data());
    return out;
}

// A decrypted CBC record split into its parts (RFC 6101 §5.2.3.2, RFC 2246 §6.2.3.2): content, MAC, padding.
struct CbcPlain {
    Bytes content, mac, padding;
    std::uint8_t paddingLength = 0;
};
CbcPlain splitCbc(const Bytes& plain, std::size_t macLength)
{
    CbcPlain p;
    p.paddingLength = plain.back();
    const std::size_t padEnd = plain.size() - 1;
    const std::size_t padStart = padEnd - p.paddingLength;
    p.padding = slice(plain, padStart, p.paddingLength);
    p.mac = slice(plain, padStart - macLength, macLength);
    p.content = slice(plain, 0, padStart - macLength);
    return p;
}

const CipherSuite& aesSha() { return suite("TLS_RSA_WITH_AES_128_CBC_SHA"); }

// Fixed keys for the record tests: not from any key block, only lengths matter.
const Bytes kKey = fromHex("000102030405060708090a0b0c0d0e0f");
const Bytes kIv = fromHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
const Bytes kMacKey = fromHex("404142434445464748494a4b4c4d4e4f50515253");

} // namespace

class TestVersions : public QObject {
    Q_OBJECT
private slots:
    // ---- Known answers (tests/data/crypto/version_vectors.txt) ----

    void ssl3MasterSecretAndKeyBlock()
    {
        const Vectors& v = vectors();
        const Bytes master = computeMasterSecret(kSsl30, aesSha(), v.bytes("pre_master_ssl3"), v.bytes("client_random"),
                                                 v.bytes("server_random"));
        QCOMPARE(hexq(master), hexq(v.bytes("ssl3_master")));
        QCOMPARE(hexq(ssl3Expand(v.bytes("pre_master_ssl3"),
                                 concat({v.bytes("client_random"), v.bytes("server_random")}), 48)),
                 hexq(v.bytes("ssl3_master")));
        const KeyBlock kb = computeKeyBlock(kSsl30, aesSha(), master, v.bytes("client_random"), v.bytes("server_random"));
        const Bytes expected = v.bytes("ssl3_key_block");
        QCOMPARE(hexq(kb.raw), hexq(expected));
        // RFC 6101 §6.2.2: client MAC, server MAC, client key, server key, client IV, server IV.
        QCOMPARE(hexq(kb.clientMacKey), hexq(slice(expected, 0, 20)));
        QCOMPARE(hexq(kb.serverMacKey), hexq(slice(expected, 20, 20)));
        QCOMPARE(hexq(kb.clientKey), hexq(slice(expected, 40, 16)));
        QCOMPARE(hexq(kb.serverKey), hexq(slice(expected, 56, 16)));
        QCOMPARE(hexq(kb.clientIv), hexq(slice(expected, 72, 16)));
        QCOMPARE(hexq(kb.serverIv), hexq(slice(expected, 88, 16)));
    }

    void ssl3FinishedAndCertificateVerify()
    {
        const Vectors& v = vectors();
        const Bytes master = v.bytes("ssl3_master");
        const Bytes messages = v.bytes("messages");
        QCOMPARE(hexq(computeVerifyData(kSsl30, aesSha(), master, Side::Client, messages)),
                 hexq(v.bytes("ssl3_client_finished")));
        QCOMPARE(hexq(computeVerifyData(kSsl30, aesSha(), master, Side::Server, messages)),
                 hexq(v.bytes("ssl3_server_finished")));
        QCOMPARE(verifyDataLength(kSsl30), std::size_t{36});
        QCOMPARE(hexq(ssl3CertificateVerifyDigest(master, messages)), hexq(v.bytes("ssl3_cert_verify")));
        // SSL 3.0 has no PRF.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 versionPrf(kSsl30, aesSha(), master, "client finished", messages, 12));
    }

    void tls10MasterKeyBlockAndFinished()
    {
        const Vectors& v = vectors();
        const Bytes master = computeMasterSecret(kTls10, aesSha(), v.bytes("pre_master_tls10"), v.bytes("client_random"),
                                                 v.bytes("server_random"));
        QCOMPARE(hexq(master), hexq(v.bytes("tls10_master")));
        const KeyBlock kb = computeKeyBlock(kTls10, aesSha(), master, v.bytes("client_random"), v.bytes("server_random"));
        QCOMPARE(hexq(kb.raw), hexq(v.bytes("tls10_key_block")));
        QCOMPARE(hexq(kb.clientIv), hexq(slice(v.bytes("tls10_key_block"), 72, 16)));
        const Bytes messages = v.bytes("messages");
        QCOMPARE(hexq(handshakeDigest(kTls10, aesSha(), messages)), hexq(v.bytes("tls10_digest")));
        QCOMPARE(hexq(handshakeDigest(kTls11, aesSha(), messages)), hexq(v.bytes("tls10_digest")));
        QCOMPARE(hexq(computeVerifyData(kTls10, aesSha(), master, Side::Client, messages)),
                 hexq(v.bytes("tls10_client_finished")));
        QCOMPARE(hexq(computeVerifyData(kTls10, aesSha(), master, Side::Server, messages)),
                 hexq(v.bytes("tls10_server_finished")));
        // TLS 1.0 and 1.1 share the PRF (RFC 4346 §5).
        QCOMPARE(hexq(computeVerifyData(kTls11, aesSha(), master, Side::Client, messages)),
                 hexq(v.bytes("tls10_client_finished")));
    }

    void tls11KeyBlockHasNoIvs()
    {
        const Vectors& v = vectors();
        const KeyBlock kb =
            computeKeyBlock(kTls11, aesSha(), v.bytes("tls10_master"), v.bytes("client_random"), v.bytes("server_random"));
        QCOMPARE(hexq(kb.raw), hexq(v.bytes("tls11_key_block")));
        QCOMPARE(kb.raw.size(), std::size_t{72});
        QVERIFY(kb.clientIv.empty() && kb.serverIv.empty());
        QCOMPARE(hexq(kb.serverKey), hexq(slice(v.bytes("tls11_key_block"), 56, 16)));
    }

    // RFC 6101 §5.2.3.1 through the engine's record protection: protect a record, decrypt it here, compare the MAC.
    void ssl3RecordMac_data()
    {
        QTest::addColumn<QString>("suiteName");
        QTest::addColumn<QString>("macSecret");
        QTest::addColumn<QString>("expectedMac");
        QTest::newRow("AES-128-CBC, SSL 3.0 MAC with SHA-1")
            << "TLS_RSA_WITH_AES_128_CBC_SHA" << "mac_secret_sha" << "ssl3_mac_sha";
        QTest::newRow("RC4-128, SSL 3.0 MAC with MD5") << "TLS_RSA_WITH_RC4_128_MD5" << "mac_secret_md5" << "ssl3_mac_md5";
    }
    void ssl3RecordMac()
    {
        QFETCH(QString, suiteName);
        QFETCH(QString, macSecret);
        QFETCH(QString, expectedMac);
        const Vectors& v = vectors();
        const CipherSuite& s = suite(suiteName.toLatin1().constData());
        const Bytes mac = v.bytes(macSecret.toStdString());
        const Bytes content = v.bytes("mac_content");
        const Bytes iv = s.isCbc() ? kIv : Bytes{};
        auto p = RecordProtection::create(s, kSsl30, kKey, mac, iv);
        SeededRng rng(1, "record");
        const Bytes fragment = p->protect(7, 23, kSsl30, content, rng);

        Bytes plain;
        if (s.isCbc()) {
            QCOMPARE(fragment.size() % 16, std::size_t{0});
            plain = aesCbcDecrypt(kKey, kIv, fragment);
            const CbcPlain parts = splitCbc(plain, 20);
            QVERIFY(parts.paddingLength < 16);
            QCOMPARE(hexq(parts.content), hexq(content));
            QCOMPARE(hexq(parts.mac), hexq(v.bytes(expectedMac.toStdString())));
        } else {
            CryptoPP::Weak::ARC4 rc4(kKey.data(), kKey.size());
            plain.resize(fragment.size());
            rc4.ProcessData(plain.data(), fragment.data(), fragment.size());
            QCOMPARE(plain.size(), content.size() + 16);
            QCOMPARE(hexq(slice(plain, 0, content.size())), hexq(content));
            QCOMPARE(hexq(slice(plain, content.size(), 16)), hexq(v.bytes(expectedMac.toStdString())));
        }
        // The vector's MAC is the same as this file's RFC 6101 MAC (the two outside implementations agree).
        QCOMPARE(hexq(rfc6101Mac(s.mac == MacAlgorithm::HmacSha1, mac, 7, 23, content)),
                 hexq(v.bytes(expectedMac.toStdString())));
        // And the engine's receiving side takes it back.
        auto r = RecordProtection::create(s, kSsl30, kKey, mac, iv);
        QCOMPARE(hexq(r->unprotect(7, 23, kSsl30, fragment)), hexq(content));
    }

    // ---- CBC IVs: TLS 1.0 chains them (RFC 2246 §6.2.3.2), TLS 1.1 sends one per record (RFC 4346 §6.2.3.2) ----

    void tls10ChainsTheIvFromRecordToRecord()
    {
        auto send = RecordProtection::create(aesSha(), kTls10, kKey, kMacKey, kIv);
        auto recv = RecordProtection::create(aesSha(), kTls10, kKey, kMacKey, kIv);
        SeededRng rng(2, "record");
        const Bytes first = text("first record, two blocks long at least");
        const Bytes second = text("second");
        const Bytes f1 = send->protect(0, 23, kTls10, first, rng);
        const Bytes f2 = send->protect(1, 23, kTls10, second, rng);
        // No explicit IV: the fragment is the ciphertext of content + MAC + padding.
        QCOMPARE(f1.size(), (first.size() + 20 + 16) / 16 * 16);
        const CbcPlain p1 = splitCbc(aesCbcDecrypt(kKey, kIv, f1), 20);
        QCOMPARE(hexq(p1.content), hexq(first));
        QCOMPARE(hexq(p1.mac), hexq(tlsMacSha1(kMacKey, 0, 23, kTls10, first)));
        // TLS pads with padding_length copies of padding_length.
        QCOMPARE(p1.padding, Bytes(p1.paddingLength, p1.paddingLength));
        // The second record's IV is the last cipher block of the first.
        const Bytes chained = slice(f1, f1.size() - 16, 16);
        const CbcPlain p2 = splitCbc(aesCbcDecrypt(kKey, chained, f2), 20);
        QCOMPARE(hexq(p2.content), hexq(second));
        QCOMPARE(hexq(p2.mac), hexq(tlsMacSha1(kMacKey, 1, 23, kTls10, second)));
        // The key block's IV would not decrypt it.
        QVERIFY(slice(aesCbcDecrypt(kKey, kIv, f2), 0, second.size()) != second);

        QCOMPARE(hexq(recv->unprotect(0, 23, kTls10, f1)), hexq(first));
        QCOMPARE(hexq(recv->unprotect(1, 23, kTls10, f2)), hexq(second));
    }

    void tls11SendsAnExplicitIvPerRecord()
    {
        auto send = RecordProtection::create(aesSha(), kTls11, kKey, kMacKey, Bytes{});
        auto recv = RecordProtection::create(aesSha(), kTls11, kKey, kMacKey, Bytes{});
        SeededRng rng(3, "record");
        const Bytes data = text("GET / HTTP/1.1\r\n\r\n");
        const Bytes f1 = send->protect(0, 23, kTls11, data, rng);
        const Bytes f2 = send->protect(1, 23, kTls11, data, rng);
        const Bytes iv1 = slice(f1, 0, 16), iv2 = slice(f2, 0, 16);
        QVERIFY(iv1 != iv2);
        QVERIFY(iv2 != slice(f1, f1.size() - 16, 16)); // not chained
        const CbcPlain p2 = splitCbc(aesCbcDecrypt(kKey, iv2, slice(f2, 16, f2.size() - 16)), 20);
        QCOMPARE(hexq(p2.content), hexq(data));
        QCOMPARE(hexq(p2.mac), hexq(tlsMacSha1(kMacKey, 1, 23, kTls11, data)));
        // Records are independent: the second decrypts before the first.
        QCOMPARE(hexq(recv->unprotect(1, 23, kTls11, f2)), hexq(data));
        QCOMPARE(hexq(recv->unprotect(0, 23, kTls11, f1)), hexq(data));
    }

    void tamperedRecordIsBadRecordMac_data()
    {
        QTest::addColumn<ProtocolVersion>("version");
        QTest::addColumn<int>("flipAt"); // from the start; negative: from the end
        QTest::newRow("SSL 3.0, last block") << kSsl30 << -1;
        QTest::newRow("TLS 1.0, first block") << kTls10 << 0;
        QTest::newRow("TLS 1.0, last block") << kTls10 << -1;
        QTest::newRow("TLS 1.1, explicit IV") << kTls11 << 3;
        QTest::newRow("TLS 1.1, ciphertext") << kTls11 << 20;
        QTest::newRow("TLS 1.1, last block") << kTls11 << -1;
    }
    void tamperedRecordIsBadRecordMac()
    {
        QFETCH(ProtocolVersion, version);
        QFETCH(int, flipAt);
        const Bytes iv = version == kTls11 ? Bytes{} : kIv;
        auto send = RecordProtection::create(aesSha(), version, kKey, kMacKey, iv);
        SeededRng rng(4, "record");
        const Bytes data = text("a record someone on the path changes");
        Bytes fragment = send->protect(0, 23, version, data, rng);
        {
            auto recv = RecordProtection::create(aesSha(), version, kKey, kMacKey, iv);
            QCOMPARE(hexq(recv->unprotect(0, 23, version, fragment)), hexq(data));
        }
        fragment[static_cast<std::size_t>(flipAt >= 0 ? flipAt : static_cast<int>(fragment.size()) + flipAt)] ^= 0x01;
        auto recv = RecordProtection::create(aesSha(), version, kKey, kMacKey, iv);
        EXPECT_ALERT(recv->unprotect(0, 23, version, fragment), AlertDescription::BadRecordMac);
    }

    // RFC 6101 §5.2.3.2: SSL 3.0's padding is shorter than a block and its bytes are unspecified; TLS (RFC 2246
    // §6.2.3.2) fixes every padding byte to padding_length. Records built here, with the MAC this file computes.
    void paddingRules_data()
    {
        QTest::addColumn<ProtocolVersion>("version");
        QTest::addColumn<int>("paddingLength");
        QTest::addColumn<bool>("arbitraryBytes");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("SSL 3.0, short padding of arbitrary bytes: accepted") << kSsl30 << 7 << true << true;
        QTest::newRow("SSL 3.0, short padding of its length: accepted") << kSsl30 << 7 << false << true;
        QTest::newRow("SSL 3.0, a whole block of padding: bad_record_mac") << kSsl30 << 23 << false << false;
        QTest::newRow("SSL 3.0, padding of 39 arbitrary bytes: bad_record_mac") << kSsl30 << 39 << true << false;
        QTest::newRow("TLS 1.0, arbitrary padding bytes: bad_record_mac") << kTls10 << 7 << true << false;
        QTest::newRow("TLS 1.0, a whole extra block of padding: accepted") << kTls10 << 23 << false << true;
    }
    void paddingRules()
    {
        QFETCH(ProtocolVersion, version);
        QFETCH(int, paddingLength);
        QFETCH(bool, arbitraryBytes);
        QFETCH(bool, accepted);
        // 20 bytes of content + 20 of MAC + padding + 1 = 41 + padding: 7, 23, 39 all make whole blocks.
        const Bytes content = text("twenty bytes of data");
        QCOMPARE(content.size(), std::size_t{20});
        const Bytes mac = version == kSsl30 ? rfc6101Mac(true, kMacKey, 5, 23, content)
                                            : tlsMacSha1(kMacKey, 5, 23, version, content);
        Bytes padding(static_cast<std::size_t>(paddingLength), static_cast<std::uint8_t>(paddingLength));
        if (arbitraryBytes)
            for (std::size_t i = 0; i < padding.size(); ++i)
                padding[i] = static_cast<std::uint8_t>(0xa5 ^ i);
        const Bytes plain = concat({content, mac, padding, Bytes{static_cast<std::uint8_t>(paddingLength)}});
        QCOMPARE(plain.size() % 16, std::size_t{0});
        const Bytes fragment = aesCbcEncrypt(kKey, kIv, plain);
        auto recv = RecordProtection::create(aesSha(), version, kKey, kMacKey, kIv);
        if (accepted)
            QCOMPARE(hexq(recv->unprotect(5, 23, version, fragment)), hexq(content));
        else
            EXPECT_ALERT(recv->unprotect(5, 23, version, fragment), AlertDescription::BadRecordMac);
    }

    // ---- A seeded SSL 3.0 run, decrypted by the RFC 6101 implementation above ----

    void ssl3RunDecryptsWithAnIndependentImplementation()
    {
        const Trace t = hltest::runDemo("ssl3", {.seed = 42});
        QVERIFY2(t.outcome.completed, outcomeSummary(t).c_str());
        QCOMPARE(t.version, kSsl30);
        QCOMPARE(t.cipherSuite, aesSha().id);
        const auto secret = [&](const std::string& name) {
            for (const TraceEvent& e : t.events())
                if (const auto* s = std::get_if<SecretEvent>(&e); s && s->side == Side::Client && s->name == name)
                    return s->value;
            return Bytes{};
        };
        const Bytes master = secret("master_secret"), clientRandom = secret("client_random"),
                    serverRandom = secret("server_random");
        QCOMPARE(master.size(), std::size_t{48});
        QCOMPARE(clientRandom.size(), std::size_t{32});
        const Bytes kb = rfc6101KeyBlock(master, clientRandom, serverRandom, 104);
        const Bytes clientMac = slice(kb, 0, 20), clientKey = slice(kb, 40, 16), clientIv = slice(kb, 72, 16);

        // The handshake messages the Finished covers: every unprotected handshake record's content, both sides, in
        // wire order, up to the client's first protected record.
        Bytes messages;
        std::vector<const RecordEvent*> protectedByClient;
        for (const RecordEvent* r : hltest::records(t)) {
            if (r->from == Side::Client && r->isProtected)
                protectedByClient.push_back(r);
            else if (protectedByClient.empty() && r->contentType == 22 && !r->isProtected)
                messages.insert(messages.end(), r->wire.begin() + 5, r->wire.end());
        }
        QVERIFY(protectedByClient.size() >= 2);

        // The client's Finished: its first protected record, IV from the key block, sequence 0 after
        // ChangeCipherSpec (RFC 6101 §5.2.3).
        const RecordEvent& fin = *protectedByClient[0];
        QCOMPARE(fin.contentType, std::uint8_t{22});
        QCOMPARE(fin.wire[1], std::uint8_t{3});
        QCOMPARE(fin.wire[2], std::uint8_t{0});
        const Bytes finCipher(fin.wire.begin() + 5, fin.wire.end());
        const CbcPlain finPlain = splitCbc(aesCbcDecrypt(clientKey, clientIv, finCipher), 20);
        QVERIFY(finPlain.paddingLength < 16);
        QCOMPARE(hexq(finPlain.mac), hexq(rfc6101Mac(true, clientMac, 0, 22, finPlain.content)));
        // Finished: type 20, 36 bytes of MD5 || SHA-1 with the sender "CLNT" (RFC 6101 §5.6.9).
        QCOMPARE(finPlain.content.size(), std::size_t{40});
        QCOMPARE(finPlain.content[0], std::uint8_t{20});
        QCOMPARE(hexq(slice(finPlain.content, 4, 36)),
                 hexq(rfc6101Finished(master, messages, Bytes{0x43, 0x4c, 0x4e, 0x54})));
        QCOMPARE(hexq(finPlain.content), hexq(fin.plaintext));

        // The request: the next record, its IV the last cipher block of the Finished record, sequence 1.
        const RecordEvent& req = *protectedByClient[1];
        QCOMPARE(req.contentType, std::uint8_t{23});
        const Bytes reqCipher(req.wire.begin() + 5, req.wire.end());
        const Bytes chained = slice(finCipher, finCipher.size() - 16, 16);
        const CbcPlain reqPlain = splitCbc(aesCbcDecrypt(clientKey, chained, reqCipher), 20);
        QVERIFY(reqPlain.paddingLength < 16);
        QCOMPARE(hexq(reqPlain.mac), hexq(rfc6101Mac(true, clientMac, 1, 23, reqPlain.content)));
        QCOMPARE(QByteArray::fromStdString(std::string(reqPlain.content.begin(), reqPlain.content.end())),
                 QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestVersions)
#include "test_versions.moc"
