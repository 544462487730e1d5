// Ephemeral (EC)DH: published known answers (RFC 7748, RFC 5903, the Illustrated TLS 1.2 session, RFC 7919) and the
// peer checks TLS requires (tests/data/crypto/key_agreement_vectors.txt, tls12_illustrated.txt).
#include "crypto_vectors.h"
#include "common/alert.h"
#include "crypto/key_agreement.h"
#include "crypto/rng.h"

#include <cryptopp/integer.h>
#include <cryptopp/nbtheory.h>

#include "alert_support.h"

#include <QtTest>

#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

using namespace hl;
using CryptoPP::Integer;

Q_DECLARE_METATYPE(hl::NamedGroup)
Q_DECLARE_METATYPE(hl::AlertDescription)

namespace {

using hltest::Vectors;

const Vectors& kat()
{
    static const Vectors v("key_agreement_vectors.txt");
    return v;
}

const Vectors& session()
{
    static const Vectors v("tls12_illustrated.txt");
    return v;
}

QByteArray hexq(const Bytes& b)
{
    return QByteArray::fromStdString(toHex(b));
}

Integer toInteger(const Bytes& b)
{
    return b.empty() ? Integer::Zero() : Integer(b.data(), b.size());
}

Bytes encode(const Integer& v, std::size_t length)
{
    Bytes out(length);
    v.Encode(out.data(), out.size());
    return out;
}

} // namespace

class TestCryptoKeyAgreement : public QObject {
    Q_OBJECT

private slots:
    // ---- x25519 --------------------------------------------------------------------------------------------------
    void x25519MatchesPublishedSharedSecrets_data()
    {
        QTest::addColumn<Bytes>("privateKey");
        QTest::addColumn<Bytes>("peerPublic");
        QTest::addColumn<Bytes>("expected");
        const Vectors& k = kat();
        const Vectors& s = session();
        QTest::newRow("RFC 7748 5.2 vector 1")
            << k.bytes("x25519_5_2_1.scalar") << k.bytes("x25519_5_2_1.u") << k.bytes("x25519_5_2_1.output");
        QTest::newRow("RFC 7748 5.2 vector 2, top bit of u set")
            << k.bytes("x25519_5_2_2.scalar") << k.bytes("x25519_5_2_2.u") << k.bytes("x25519_5_2_2.output");
        QTest::newRow("RFC 7748 6.1 Alice")
            << k.bytes("x25519_6_1.alice_private") << k.bytes("x25519_6_1.bob_public") << k.bytes("x25519_6_1.shared");
        QTest::newRow("RFC 7748 6.1 Bob")
            << k.bytes("x25519_6_1.bob_private") << k.bytes("x25519_6_1.alice_public") << k.bytes("x25519_6_1.shared");
        QTest::newRow("Illustrated TLS 1.2 client")
            << s.bytes("client_x25519_private") << s.bytes("server_x25519_public") << s.bytes("pre_master_secret");
        QTest::newRow("Illustrated TLS 1.2 server")
            << s.bytes("server_x25519_private") << s.bytes("client_x25519_public") << s.bytes("pre_master_secret");
    }
    void x25519MatchesPublishedSharedSecrets()
    {
        QFETCH(Bytes, privateKey);
        QFETCH(Bytes, peerPublic);
        QFETCH(Bytes, expected);
        const auto ka = KeyAgreement::fromPrivateValue(NamedGroup::X25519, privateKey);
        QCOMPARE(hexq(ka->sharedSecret(peerPublic)), hexq(expected));
        QCOMPARE(hexq(ka->privateValue()), hexq(privateKey));
        QCOMPARE(ka->group(), std::uint16_t(29));
    }

    void x25519PublicKeysMatchPublished_data()
    {
        QTest::addColumn<Bytes>("privateKey");
        QTest::addColumn<Bytes>("expected");
        const Vectors& k = kat();
        const Vectors& s = session();
        QTest::newRow("RFC 7748 Alice") << k.bytes("x25519_6_1.alice_private") << k.bytes("x25519_6_1.alice_public");
        QTest::newRow("RFC 7748 Bob") << k.bytes("x25519_6_1.bob_private") << k.bytes("x25519_6_1.bob_public");
        QTest::newRow("Illustrated client") << s.bytes("client_x25519_private") << s.bytes("client_x25519_public");
        QTest::newRow("Illustrated server") << s.bytes("server_x25519_private") << s.bytes("server_x25519_public");
    }
    void x25519PublicKeysMatchPublished()
    {
        QFETCH(Bytes, privateKey);
        QFETCH(Bytes, expected);
        QCOMPARE(hexq(KeyAgreement::fromPrivateValue(NamedGroup::X25519, privateKey)->publicValue()), hexq(expected));
    }

    void rejectsX25519LowOrderPeerKey_data()
    {
        QTest::addColumn<Bytes>("peer");
        for (const char* n : {"zero", "one", "order8_a", "order8_b", "p_minus_1", "p", "p_plus_1"})
            QTest::newRow(n) << kat().bytes(std::string("x25519_low_order.") + n);
        // RFC 7748 §5: the top bit of u is ignored, so these non-canonical spellings are u = 0 and u = 1 again.
        Bytes zeroTopBit = kat().bytes("x25519_low_order.zero");
        zeroTopBit.back() |= 0x80;
        Bytes oneTopBit = kat().bytes("x25519_low_order.one");
        oneTopBit.back() |= 0x80;
        QTest::newRow("zero, top bit set") << zeroTopBit;
        QTest::newRow("one, top bit set") << oneTopBit;
    }
    void rejectsX25519LowOrderPeerKey()
    {
        QFETCH(Bytes, peer);
        SeededRng rng(1, "x25519");
        const auto ka = KeyAgreement::generate(NamedGroup::X25519, rng);
        EXPECT_ALERT(ka->sharedSecret(peer), AlertDescription::IllegalParameter);
    }

    void rejectsX25519KeyOfWrongLength_data()
    {
        QTest::addColumn<int>("length");
        QTest::newRow("empty") << 0;
        QTest::newRow("31 bytes") << 31;
        QTest::newRow("33 bytes") << 33;
        QTest::newRow("65 bytes, a P-256 point") << 65;
    }
    void rejectsX25519KeyOfWrongLength()
    {
        QFETCH(int, length);
        Bytes peer = session().bytes("server_x25519_public");
        peer.resize(static_cast<std::size_t>(length), 0x42);
        const auto ka = KeyAgreement::fromPrivateValue(NamedGroup::X25519, session().bytes("client_x25519_private"));
        std::string reason;
        const auto alert = hltest::alertOf([&] { ka->sharedSecret(peer); }, &reason);
        QVERIFY(alert.has_value());
        // A share of the wrong size decodes as a message but is no key: illegal_parameter, as OpenSSL and GnuTLS say.
        QCOMPARE(*alert, AlertDescription::IllegalParameter);
        QVERIFY2(reason.find("must be 32 bytes, got " + std::to_string(length)) != std::string::npos, reason.c_str());
    }

    // ---- secp256r1 -----------------------------------------------------------------------------------------------
    void p256MatchesRfc5903()
    {
        const Vectors& k = kat();
        const Bytes gi = concat(Bytes{0x04}, k.bytes("p256_5903.gix"), k.bytes("p256_5903.giy"));
        const Bytes gr = concat(Bytes{0x04}, k.bytes("p256_5903.grx"), k.bytes("p256_5903.gry"));
        const auto initiator = KeyAgreement::fromPrivateValue(NamedGroup::Secp256r1, k.bytes("p256_5903.i"));
        const auto responder = KeyAgreement::fromPrivateValue(NamedGroup::Secp256r1, k.bytes("p256_5903.r"));
        QCOMPARE(hexq(initiator->publicValue()), hexq(gi));
        QCOMPARE(hexq(responder->publicValue()), hexq(gr));
        // RFC 8422 §5.10: the pre-master secret is the x-coordinate only.
        QCOMPARE(hexq(initiator->sharedSecret(gr)), hexq(k.bytes("p256_5903.girx")));
        QCOMPARE(hexq(responder->sharedSecret(gi)), hexq(k.bytes("p256_5903.girx")));
    }

    void rejectsP256PointOffTheCurve_data()
    {
        QTest::addColumn<int>("flipByte");
        QTest::newRow("last byte of Y") << 64;
        QTest::newRow("first byte of Y") << 33;
        QTest::newRow("last byte of X") << 32;
    }
    void rejectsP256PointOffTheCurve()
    {
        QFETCH(int, flipByte);
        const Vectors& k = kat();
        Bytes gr = concat(Bytes{0x04}, k.bytes("p256_5903.grx"), k.bytes("p256_5903.gry"));
        gr[static_cast<std::size_t>(flipByte)] ^= 0x01;
        const auto initiator = KeyAgreement::fromPrivateValue(NamedGroup::Secp256r1, k.bytes("p256_5903.i"));
        EXPECT_ALERT(initiator->sharedSecret(gr), AlertDescription::IllegalParameter);
    }

    void rejectsP256CoordinateNotBelowTheFieldPrime()
    {
        // x = p (the field prime of P-256, FIPS 186-4 D.1.2.3) is no field element at all.
        const Bytes p = fromHex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
        const Bytes point = concat(Bytes{0x04}, p, kat().bytes("p256_5903.gry"));
        SeededRng rng(2, "p256");
        const auto ka = KeyAgreement::generate(NamedGroup::Secp256r1, rng);
        EXPECT_ALERT(ka->sharedSecret(point), AlertDescription::IllegalParameter);
    }

    void rejectsMalformedP256Point_data()
    {
        QTest::addColumn<Bytes>("peer");
        const Bytes x = kat().bytes("p256_5903.grx");
        const Bytes y = kat().bytes("p256_5903.gry");
        QTest::newRow("empty") << Bytes{};
        QTest::newRow("point at infinity (0x00)") << Bytes{0x00};
        QTest::newRow("compressed (0x02 || X)") << concat(Bytes{0x02}, x);
        QTest::newRow("no format byte") << concat(x, y);
        Bytes shortPoint = concat(Bytes{0x04}, x, y);
        shortPoint.pop_back();
        QTest::newRow("one byte short") << shortPoint;
        QTest::newRow("one byte long") << concat(Bytes{0x04}, x, y, Bytes{0x00});
    }
    void rejectsMalformedP256Point()
    {
        QFETCH(Bytes, peer);
        SeededRng rng(3, "p256");
        const auto ka = KeyAgreement::generate(NamedGroup::Secp256r1, rng);
        // Nothing at all is a malformed message; a point of the wrong shape is an illegal parameter (RFC 8422 §5.11
        // practice in OpenSSL and GnuTLS).
        EXPECT_ALERT(ka->sharedSecret(peer),
                     peer.empty() ? AlertDescription::DecodeError : AlertDescription::IllegalParameter);
    }

    // ---- ffdhe2048 -----------------------------------------------------------------------------------------------
    void ffdhe2048IsTheRfc7919SafePrime()
    {
        const Vectors& k = kat();
        QCOMPARE(hexq(ffdhe2048Prime()), hexq(k.bytes("ffdhe2048.p")));
        QCOMPARE(hexq(ffdhe2048Generator()), hexq(k.bytes("ffdhe2048.g")));
        const Integer p = toInteger(ffdhe2048Prime());
        const Integer q = toInteger(k.bytes("ffdhe2048.q"));
        QCOMPARE(p.BitCount(), 2048u);
        QVERIFY(p == q * Integer::Two() + Integer::One());
        QVERIFY(CryptoPP::IsPrime(p));
        QVERIFY(CryptoPP::IsPrime(q));
    }

    void rejectsFfdhePeerOutOfRange_data()
    {
        QTest::addColumn<Bytes>("peer");
        const Integer p = toInteger(kat().bytes("ffdhe2048.p"));
        QTest::newRow("Y = 0") << Bytes{0x00};
        QTest::newRow("Y = 1") << Bytes{0x01};
        QTest::newRow("Y = 1, padded to 256 bytes") << encode(Integer::One(), 256);
        QTest::newRow("Y = p-1") << encode(p - Integer::One(), 256);
        QTest::newRow("Y = p") << encode(p, 256);
        QTest::newRow("Y = p+1") << encode(p + Integer::One(), 256);
        QTest::newRow("Y = 2^2048 - 1") << Bytes(256, 0xff);
        QTest::newRow("Y longer than p") << encode(p + Integer::Two(), 257);
    }
    void rejectsFfdhePeerOutOfRange()
    {
        QFETCH(Bytes, peer);
        SeededRng rng(4, "ffdhe");
        const auto ka = KeyAgreement::generate(NamedGroup::Ffdhe2048, rng);
        EXPECT_ALERT(ka->sharedSecret(peer), AlertDescription::IllegalParameter);
    }

    void rejectsEmptyDhPublic()
    {
        SeededRng rng(5, "ffdhe");
        const auto ka = KeyAgreement::generate(NamedGroup::Ffdhe2048, rng);
        EXPECT_ALERT(ka->sharedSecret(Bytes{}), AlertDescription::DecodeError);
    }

    void rejectsFfdhePeerOutsideTheSubgroup()
    {
        // p ≡ 7 (mod 8), so 2 generates the subgroup of quadratic residues; -4 = p-4 is not a residue.
        const Integer p = toInteger(kat().bytes("ffdhe2048.p"));
        const Integer outside = p - Integer(4);
        QCOMPARE(CryptoPP::Jacobi(outside, p), -1);
        SeededRng rng(6, "ffdhe");
        const auto ka = KeyAgreement::generate(NamedGroup::Ffdhe2048, rng);
        EXPECT_ALERT(ka->sharedSecret(encode(outside, 256)), AlertDescription::IllegalParameter);
    }

    void ffdheSharedSecretStripsLeadingZeros()
    {
        // RFC 5246 §8.1.2: Z is used without its leading zero bytes. Search small exponents until Z starts with a
        // zero byte; the expected value is computed straight from the definition, Z = Y^x mod p.
        const Integer p = toInteger(kat().bytes("ffdhe2048.p"));
        const auto peer = KeyAgreement::fromPrivateValue(NamedGroup::Ffdhe2048, encode(Integer(0x5eed), 2));
        const Bytes y = peer->publicValue();
        QCOMPARE(y.size(), std::size_t{256});
        QVERIFY(toInteger(y) == CryptoPP::ModularExponentiation(Integer::Two(), Integer(0x5eed), p));
        bool sawShortSecret = false;
        for (unsigned x = 2; x < 3000 && !sawShortSecret; ++x) {
            const Integer z = CryptoPP::ModularExponentiation(toInteger(y), Integer(static_cast<long>(x)), p);
            if (z.ByteCount() == 256 && x % 50 != 0)
                continue; // check every 50th full-length secret too, to keep the test quick
            const auto ka =
                KeyAgreement::fromPrivateValue(NamedGroup::Ffdhe2048, encode(Integer(static_cast<long>(x)), 2));
            const Bytes secret = ka->sharedSecret(y);
            QCOMPARE(hexq(secret), hexq(encode(z, z.ByteCount())));
            if (z.ByteCount() < 256) {
                QVERIFY(secret.size() < 256);
                QVERIFY(secret.front() != 0);
                sawShortSecret = true;
            }
        }
        QVERIFY2(sawShortSecret, "no exponent below 3000 gave a secret with a leading zero byte");
    }

    // ---- server-chosen DH groups ---------------------------------------------------------------------------------
    void customDhGroupBothSidesAgree()
    {
        SeededRng a(8, "client"), b(8, "server");
        const auto client = KeyAgreement::generateDh(ffdhe2048Prime(), ffdhe2048Generator(), a);
        const auto server = KeyAgreement::generateDh(ffdhe2048Prime(), ffdhe2048Generator(), b);
        QCOMPARE(client->group(), std::uint16_t(0));
        QCOMPARE(client->publicValue().size(), std::size_t{256});
        QCOMPARE(hexq(client->sharedSecret(server->publicValue())), hexq(server->sharedSecret(client->publicValue())));
        // Y = g^x mod p, from the definition.
        const Integer p = toInteger(ffdhe2048Prime());
        QVERIFY(toInteger(client->publicValue()) ==
                CryptoPP::ModularExponentiation(Integer::Two(), toInteger(client->privateValue()), p));
    }

    void rejectsWeakDhPrime_data()
    {
        QTest::addColumn<int>("bits");
        QTest::newRow("512 bits (export grade)") << 512;
        QTest::newRow("768 bits") << 768;
        QTest::newRow("1023 bits") << 1023;
    }
    void rejectsWeakDhPrime()
    {
        QFETCH(int, bits);
        const Integer p = Integer::Power2(static_cast<std::size_t>(bits - 1)) + Integer(0x2b); // odd, `bits` bits
        SeededRng rng(9, "dh");
        EXPECT_ALERT(KeyAgreement::generateDh(encode(p, p.ByteCount()), Bytes{2}, rng),
                     AlertDescription::InsufficientSecurity);
    }

    void rejectsBadDhParameters_data()
    {
        const Bytes p = ffdhe2048Prime();
        const Integer pi = toInteger(p);
        QTest::addColumn<Bytes>("prime");
        QTest::addColumn<Bytes>("generator");
        QTest::newRow("g = 0") << p << Bytes{0};
        QTest::newRow("g = 1") << p << Bytes{1};
        QTest::newRow("g = p-1") << p << encode(pi - Integer::One(), 256);
        QTest::newRow("g = p") << p << p;
        QTest::newRow("even p") << encode(pi + Integer::One(), 256) << Bytes{2};
    }
    void rejectsBadDhParameters()
    {
        QFETCH(Bytes, prime);
        QFETCH(Bytes, generator);
        SeededRng rng(10, "dh");
        EXPECT_ALERT(KeyAgreement::generateDh(prime, generator, rng), AlertDescription::IllegalParameter);
    }

    // ---- every group ---------------------------------------------------------------------------------------------
    void bothSidesAgree_data()
    {
        QTest::addColumn<NamedGroup>("group");
        QTest::addColumn<int>("publicLength");
        QTest::addColumn<int>("secretLength"); // -1: up to the length of p (leading zeros stripped)
        QTest::newRow("x25519") << NamedGroup::X25519 << 32 << 32;
        QTest::newRow("secp256r1") << NamedGroup::Secp256r1 << 65 << 32;
        QTest::newRow("secp384r1") << NamedGroup::Secp384r1 << 97 << 48;
        QTest::newRow("ffdhe2048") << NamedGroup::Ffdhe2048 << 256 << -1;
    }
    void bothSidesAgree()
    {
        QFETCH(NamedGroup, group);
        QFETCH(int, publicLength);
        QFETCH(int, secretLength);
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            SeededRng a(seed, "client"), b(seed, "server");
            const auto client = KeyAgreement::generate(group, a);
            const auto server = KeyAgreement::generate(group, b);
            QCOMPARE(client->group(), static_cast<std::uint16_t>(group));
            QCOMPARE(client->publicValue().size(), std::size_t(publicLength));
            QVERIFY(client->publicValue() != server->publicValue());
            const Bytes s1 = client->sharedSecret(server->publicValue());
            const Bytes s2 = server->sharedSecret(client->publicValue());
            QCOMPARE(hexq(s1), hexq(s2));
            if (secretLength > 0)
                QCOMPARE(s1.size(), std::size_t(secretLength));
            else
                QVERIFY(s1.size() <= 256 && !s1.empty() && s1.front() != 0);
            // Rebuilding from the private value gives the same key pair (replay, key log).
            const auto again = KeyAgreement::fromPrivateValue(group, client->privateValue());
            QCOMPARE(hexq(again->publicValue()), hexq(client->publicValue()));
        }
    }

    void sameSeedGivesSameKeys()
    {
        SeededRng a(42, "client"), b(42, "client"), c(42, "server");
        const Bytes k1 = KeyAgreement::generate(NamedGroup::X25519, a)->publicValue();
        QCOMPARE(hexq(KeyAgreement::generate(NamedGroup::X25519, b)->publicValue()), hexq(k1));
        QVERIFY(KeyAgreement::generate(NamedGroup::X25519, c)->publicValue() != k1);
    }

    void rejectsUnimplementedGroup()
    {
        SeededRng rng(11, "x448");
        EXPECT_ALERT(KeyAgreement::generate(static_cast<NamedGroup>(30), rng), AlertDescription::IllegalParameter);
    }

    void rejectsOutOfRangePrivateValues()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, KeyAgreement::fromPrivateValue(NamedGroup::X25519, Bytes(31)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 KeyAgreement::fromPrivateValue(NamedGroup::Secp256r1, Bytes(32)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 KeyAgreement::fromPrivateValue(NamedGroup::Ffdhe2048, Bytes{1}));
    }
};

QTEST_APPLESS_MAIN(TestCryptoKeyAgreement)
#include "test_crypto_key_agreement.moc"
