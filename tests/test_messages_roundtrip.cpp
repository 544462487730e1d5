// Round trips for engine/messages on real wire bytes and on built values, plus the field trees and summaries.
#include "messages_support.h"

#include "messages/alert_message.h"
#include "messages/change_cipher_spec.h"
#include "messages/describe.h"
#include "messages/extensions.h"
#include "messages/handshake_framing.h"

#include <QTest>

#include <cstdio>

using namespace hl;
using namespace hltest;

namespace {

const char* const kValues = "messages/tls12_illustrated_values.txt";
const std::string kRandom = std::string(64, '0'); // 32 zero bytes as hex

Bytes published(const char* key)
{
    return keyed(kValues, key);
}

std::vector<std::uint16_t> extensionTypes(const std::vector<Extension>& extensions)
{
    std::vector<std::uint16_t> out;
    for (const Extension& e : extensions)
        out.push_back(e.type);
    return out;
}

// A recorded field's bytes inside the record, without its first `prefix` (length) bytes.
Bytes fieldBytes(const RecordMessage& m, const std::vector<Field>& fields, const std::string& path,
                 std::size_t prefix = 0)
{
    const Field* f = fieldAtPath(fields, path);
    if (!f)
        throw std::runtime_error("no field " + path);
    return slice(m.record, f->offset + prefix, f->length - prefix);
}

std::string fieldValue(const std::vector<Field>& fields, const std::string& path)
{
    const Field* f = fieldAtPath(fields, path);
    return f ? f->value : "<no field " + path + ">";
}

// Children tile the tail of their parent: contiguous, ending where it ends. Returns the first offender.
std::string untiledField(const std::vector<Field>& fields, const std::string& at = "")
{
    for (const Field& f : fields) {
        const std::string path = at + "/" + f.name;
        if (f.name.empty() || f.value.empty() || f.meaning.empty())
            return path + " lacks a name, value or meaning";
        if (f.children.empty())
            continue;
        for (std::size_t i = 1; i < f.children.size(); ++i)
            if (f.children[i].offset != f.children[i - 1].offset + f.children[i - 1].length)
                return path + "/" + f.children[i].name + " does not follow its sibling";
        if (f.children.back().offset + f.children.back().length != f.offset + f.length)
            return path + " children do not end where it ends";
        if (std::string bad = untiledField(f.children, path); !bad.empty())
            return bad;
    }
    return {};
}

const struct {
    const char* file;
    int kind;
    const char* summary;
} kRealMessages[] = {
    {"messages/client_hello_record.txt", kNoKind, "16 cipher suites, SNI example.ulfheim.net"},
    {"messages/server_hello_record.txt", kNoKind, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {"messages/certificate_record.txt", kNoKind, "1 certificate"},
    {"messages/server_key_exchange_record.txt", kEcdheRsa, "x25519"},
    {"messages/server_hello_done_record.txt", kNoKind, ""},
    {"messages/client_key_exchange_record.txt", kEcdheRsa, "32-byte public key"},
    {"messages/openssl_client_hello_record.txt", kNoKind, "28 cipher suites, SNI example.test"},
};

void addRealMessageRows()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("summary");
    for (const auto& s : kRealMessages)
        QTest::newRow(s.file) << QString(s.file) << s.kind << QString(s.summary);
}

// The handshake stream of the Illustrated connection's unencrypted flights (records 1-6), headers included.
Bytes katHandshakeStream(std::vector<RecordMessage>* messages = nullptr)
{
    Bytes stream;
    for (int i = 0; i < 6; ++i) {
        RecordMessage m = readRecordMessage(kRealMessages[i].file);
        append(stream, ByteView(m.record).subspan(kRecordHeader));
        if (messages)
            messages->push_back(std::move(m));
    }
    return stream;
}

} // namespace

class TestMessagesRoundtrip : public QObject {
    Q_OBJECT

private slots:
    // Field values show numbers as "0x0303": the formatter must agree with printf's %0*llx for every width.
    void hexValueMatchesPrintf()
    {
        const std::uint64_t values[] = {0, 1, 0xf, 0x10, 0x303, 0xc02f, 0xffff, 0x10000, 0xdeadbeef,
                                        0x123456789abcdefULL, ~0ULL};
        for (const std::uint64_t v : values)
            for (int digits : {0, 1, 2, 4, 6, 8, 16}) {
                char expected[40];
                std::snprintf(expected, sizeof expected, "0x%0*llx", digits, static_cast<unsigned long long>(v));
                QCOMPARE(QString::fromStdString(hexValue(v, digits)), QString::fromLatin1(expected));
            }
    }

    void realRecordsRoundTripByteForByte_data();
    void realRecordsRoundTripByteForByte();
    void syntheticBodiesRoundTrip_data();
    void syntheticBodiesRoundTrip();

    void katClientHelloHasThePublishedFields();
    void katServerHelloHasThePublishedFields();
    void katCertificateIsThePublishedServerCertificate();
    void katServerKeyExchangeParamsAreWhatIsSigned();
    void katClientKeyExchangeCarriesTheClientPublicKey();
    void katFinishedCarriesThePublishedVerifyData();
    void opensslClientHelloKeepsUnknownExtensionsInOrder();

    void katMessagesRebuiltFromValuesMatchTheWire();
    void extensionBuildersAndParsersAgree();
    void serverNameAckInServerHelloIsAccepted();
    void builtValuesRoundTrip();
    void changeCipherSpecAndAlertRoundTrip();

    void frameHandshakeWritesTypeLengthBody();
    void reassemblerYieldsMessagesWhateverTheRecordSplit_data();
    void reassemblerYieldsMessagesWhateverTheRecordSplit();
    void reassemblerHoldsAPartialMessage();

    void fieldTreeTilesEveryRealRecord_data();
    void fieldTreeTilesEveryRealRecord();
    void fieldTreePointsAtTheRightBytes();
    void opaqueBodyWhenTheKeyExchangeIsUnknown();
    void summaryNamesTheKeyDetail_data();
    void summaryNamesTheKeyDetail();
};

void TestMessagesRoundtrip::realRecordsRoundTripByteForByte_data()
{
    addRealMessageRows();
}

void TestMessagesRoundtrip::realRecordsRoundTripByteForByte()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    const RecordMessage m = readRecordMessage(file.toStdString());
    QCOMPARE(reserialize(m.type, m.body, kindOf(kind)), m.body);
    QCOMPARE(frameHandshake(static_cast<HandshakeType>(m.type), m.body),
             Bytes(m.record.begin() + kRecordHeader, m.record.end()));
}

void TestMessagesRoundtrip::syntheticBodiesRoundTrip_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("hex");
    const int rsa = static_cast<int>(KeyExchangeKind::Rsa), dhe = static_cast<int>(KeyExchangeKind::DheRsa),
              ecdsa = static_cast<int>(KeyExchangeKind::EcdheEcdsa);
    const std::string point65 = "41 04" + std::string(128, '3');

    QTest::newRow("client_hello without extension block") << 1 << kNoKind << q("0303" + kRandom + "00 0002c02f 0100");
    QTest::newRow("client_hello with empty extension block")
        << 1 << kNoKind << q("0303" + kRandom + "00 0002c02f 0100 0000");
    QTest::newRow("client_hello resuming, with SCSV")
        << 1 << kNoKind << q("0303" + kRandom + "20" + std::string(64, 'a') + "0004c02f00ff 0100 0000");
    QTest::newRow("client_hello offering DEFLATE") << 1 << kNoKind << q("0303" + kRandom + "00 0002c02f 020100");
    QTest::newRow("client_hello TLS 1.0 version") << 1 << kNoKind << q("0301" + kRandom + "00 0002002f 0100");
    QTest::newRow("client_hello session_ticket and encrypt_then_mac")
        << 1 << kNoKind << q("0303" + kRandom + "00 0002c02f 0100 000c 00230004deadbeef 00160000");
    QTest::newRow("client_hello renegotiating")
        << 1 << kNoKind << q("0303" + kRandom + "00 0002c02f 0100 0011 ff01000d0c" + std::string(24, '7'));
    QTest::newRow("server_hello without extension block") << 2 << kNoKind << q("0303" + kRandom + "00 c02f 00");
    QTest::newRow("server_hello unknown extension")
        << 2 << kNoKind << q("0303" + kRandom + "00 c02f 00 0006 abcd00021234");
    QTest::newRow("server_hello 32-byte session_id")
        << 2 << kNoKind << q("0303" + kRandom + "20" + std::string(64, 'c') + "009c 00 0000");
    QTest::newRow("certificate empty list") << 11 << kNoKind << q("000000");
    QTest::newRow("certificate two entries") << 11 << kNoKind << q("00000a 0000023000 0000023001");
    QTest::newRow("ske ecdhe_ecdsa secp256r1") << 12 << ecdsa << q("03 0017 " + point65 + " 0403 0003 010203");
    QTest::newRow("ske ecdhe empty signature") << 12 << kEcdheRsa << q("03 001d 0109 0401 0000");
    QTest::newRow("ske dhe") << 12 << dhe << q("0002 00ff 0001 02 0002 1234 0401 0002 abcd");
    QTest::newRow("certificate_request without CAs") << 13 << kNoKind << q("02 0140 0004 04010403 0000");
    QTest::newRow("certificate_request with two CAs")
        << 13 << kNoKind << q("01 01 0002 0401 000a 0003300100 0003300102");
    QTest::newRow("server_hello_done") << 14 << kNoKind << q("");
    QTest::newRow("hello_request") << 0 << kNoKind << q("");
    QTest::newRow("certificate_verify") << 15 << kNoKind << q("0804 0004 01020304");
    QTest::newRow("cke rsa") << 16 << rsa << q("0004 01020304");
    QTest::newRow("cke rsa empty (RFC 5246 §4.7 allows <0..2^16-1>)") << 16 << rsa << q("0000");
    QTest::newRow("cke dhe") << 16 << dhe << q("0002 0102");
    QTest::newRow("cke ecdhe_ecdsa") << 16 << ecdsa << q(point65);
    QTest::newRow("finished") << 20 << kNoKind << q(std::string(24, 'f'));
    QTest::newRow("new_session_ticket") << 4 << kNoKind << q("00001c20 0004 deadbeef");
    QTest::newRow("new_session_ticket empty (RFC 5077 §3.3: no ticket after all)") << 4 << kNoKind << q("00000000 0000");
}

void TestMessagesRoundtrip::syntheticBodiesRoundTrip()
{
    QFETCH(int, type);
    QFETCH(int, kind);
    QFETCH(QString, hex);
    const Bytes body = fromHex(hex.toStdString());
    QCOMPARE(reserialize(static_cast<std::uint8_t>(type), body, kindOf(kind)), body);
    const std::vector<Field> fields = describeHandshake(static_cast<std::uint8_t>(type), body, 0, kindOf(kind));
    QVERIFY2(fields.back().name != "error", fields.back().value.c_str());
    QCOMPARE(q(misplacedField(fields, 0, 4 + body.size())), QString());
    QCOMPARE(q(untiledField(fields)), QString());
}

void TestMessagesRoundtrip::katClientHelloHasThePublishedFields()
{
    const ClientHello h = ClientHello::decode(readRecordMessage("messages/client_hello_record.txt").body);
    QCOMPARE(h.clientVersion, kTls12);
    QCOMPARE(h.random, published("client_random"));
    QVERIFY(h.sessionId.empty());
    QCOMPARE(h.cipherSuites,
             (std::vector<std::uint16_t>{0xcca8, 0xcca9, 0xc02f, 0xc030, 0xc02b, 0xc02c, 0xc013, 0xc009, 0xc014, 0xc00a,
                                         0x009c, 0x009d, 0x002f, 0x0035, 0xc012, 0x000a}));
    QCOMPARE(h.compressionMethods, (std::vector<std::uint8_t>{0}));
    QVERIFY(h.hasExtensionBlock);
    // status_request (5) and signed_certificate_timestamp (18) are not interpreted, and stay where they were.
    QCOMPARE(extensionTypes(h.extensions), (std::vector<std::uint16_t>{0, 5, 10, 11, 13, 0xff01, 18}));
    QCOMPARE(ext::parseServerName(findExtension(h.extensions, ExtensionType::ServerName)->data),
             asString(published("sni_host_name")));
    QCOMPARE(h.extensions[1].data, fromHex("0100000000"));
    QCOMPARE(ext::parseSupportedGroups(findExtension(h.extensions, ExtensionType::SupportedGroups)->data),
             (std::vector<std::uint16_t>{29, 23, 24, 25}));
    QCOMPARE(ext::parseEcPointFormats(findExtension(h.extensions, ExtensionType::EcPointFormats)->data),
             (std::vector<std::uint8_t>{0}));
    QCOMPARE(ext::parseSignatureAlgorithms(findExtension(h.extensions, ExtensionType::SignatureAlgorithms)->data),
             (std::vector<std::uint16_t>{0x0401, 0x0403, 0x0501, 0x0503, 0x0601, 0x0603, 0x0201, 0x0203}));
    QCOMPARE(ext::parseRenegotiationInfo(findExtension(h.extensions, ExtensionType::RenegotiationInfo)->data), Bytes{});
    QVERIFY(findExtension(h.extensions, ExtensionType::ExtendedMasterSecret) == nullptr);
}

void TestMessagesRoundtrip::katServerHelloHasThePublishedFields()
{
    const ServerHello h = ServerHello::decode(readRecordMessage("messages/server_hello_record.txt").body);
    QCOMPARE(h.serverVersion, kTls12);
    QCOMPARE(h.random, published("server_random"));
    QVERIFY(h.sessionId.empty());
    QCOMPARE(h.cipherSuite, std::uint16_t{0xc013});
    QCOMPARE(h.compressionMethod, std::uint8_t{0});
    QCOMPARE(h.extensions, (std::vector<Extension>{ext::renegotiationInfo({})}));
}

void TestMessagesRoundtrip::katCertificateIsThePublishedServerCertificate()
{
    const CertificateMessage c = CertificateMessage::decode(readRecordMessage("messages/certificate_record.txt").body);
    QCOMPARE(c.certificateList.size(), std::size_t{1});
    QCOMPARE(c.certificateList[0], published("server_certificate_der"));
}

void TestMessagesRoundtrip::katServerKeyExchangeParamsAreWhatIsSigned()
{
    const ServerKeyExchange s = ServerKeyExchange::decode(
        readRecordMessage("messages/server_key_exchange_record.txt").body, KeyExchangeKind::EcdheRsa);
    QCOMPARE(s.kind, KeyExchangeKind::EcdheRsa);
    QCOMPARE(s.namedGroup, std::uint16_t{29});
    QCOMPARE(s.publicKey, published("server_x25519_public"));
    QCOMPARE(s.signatureScheme, std::uint16_t{0x0401});
    QCOMPARE(s.signature, published("ske_signature"));
    QCOMPARE(s.params(), published("ske_signed_params"));
    QVERIFY(s.dhP.empty() && s.dhG.empty() && s.dhYs.empty());
    // The same body read as ECDHE_ECDSA decodes identically apart from the kind.
    const ServerKeyExchange e = ServerKeyExchange::decode(
        readRecordMessage("messages/server_key_exchange_record.txt").body, KeyExchangeKind::EcdheEcdsa);
    QCOMPARE(e.params(), s.params());
}

void TestMessagesRoundtrip::katClientKeyExchangeCarriesTheClientPublicKey()
{
    const ClientKeyExchange c = ClientKeyExchange::decode(
        readRecordMessage("messages/client_key_exchange_record.txt").body, KeyExchangeKind::EcdheRsa);
    QCOMPARE(c.exchangeKeys, published("client_x25519_public"));
}

void TestMessagesRoundtrip::katFinishedCarriesThePublishedVerifyData()
{
    for (const auto& [side, key] :
         {std::pair{"client", "client_verify_data"}, std::pair{"server", "server_verify_data"}}) {
        const Bytes message = keyed("messages/finished_plaintext.txt", side);
        const ByteView body = ByteView(message).subspan(kHandshakeHeader);
        QCOMPARE(message[0], std::uint8_t{20});
        const Finished f = Finished::decode(body);
        QCOMPARE(f.verifyData, published(key));
        QCOMPARE(frameHandshake(Finished::kType, f.serialize()), message);
    }
}

void TestMessagesRoundtrip::opensslClientHelloKeepsUnknownExtensionsInOrder()
{
    const RecordMessage m = readRecordMessage("messages/openssl_client_hello_record.txt");
    const ClientHello h = ClientHello::decode(m.body);
    QCOMPARE(extensionTypes(h.extensions), (std::vector<std::uint16_t>{0, 11, 10, 35, 5, 16, 22, 23, 13}));
    QCOMPARE(h.extensions[4].data, fromHex("0100000000"));                   // status_request, raw
    QCOMPARE(h.extensions[5].data, fromHex("000c02683208687474702f312e31")); // ALPN "h2", "http/1.1", raw
    QCOMPARE(ext::parseServerName(h.extensions[0].data), std::string("example.test"));
    QCOMPARE(ext::parseSupportedGroups(h.extensions[2].data), (std::vector<std::uint16_t>{29, 23, 30, 25, 24}));
    QCOMPARE(ext::parseEcPointFormats(h.extensions[1].data), (std::vector<std::uint8_t>{0, 1, 2}));
    QCOMPARE(h.cipherSuites.size(), std::size_t{28});
    QCOMPARE(h.cipherSuites.back(), kEmptyRenegotiationInfoScsv);
    // Reordering the extensions changes the bytes: order is part of the value.
    ClientHello swapped = h;
    std::swap(swapped.extensions[4], swapped.extensions[5]);
    QVERIFY(swapped.serialize() != m.body);
    QCOMPARE(ClientHello::decode(swapped.serialize()), swapped);
}

void TestMessagesRoundtrip::katMessagesRebuiltFromValuesMatchTheWire()
{
    ClientHello ch;
    ch.random = published("client_random");
    ch.cipherSuites = {0xcca8, 0xcca9, 0xc02f, 0xc030, 0xc02b, 0xc02c, 0xc013, 0xc009,
                       0xc014, 0xc00a, 0x009c, 0x009d, 0x002f, 0x0035, 0xc012, 0x000a};
    ch.extensions = {ext::serverName(asString(published("sni_host_name"))),
                     Extension{5, fromHex("0100000000")},
                     ext::supportedGroups({29, 23, 24, 25}),
                     ext::ecPointFormats({0}),
                     ext::signatureAlgorithms({0x0401, 0x0403, 0x0501, 0x0503, 0x0601, 0x0603, 0x0201, 0x0203}),
                     ext::renegotiationInfo({}),
                     Extension{18, {}}};
    QCOMPARE(ch.serialize(), readRecordMessage("messages/client_hello_record.txt").body);

    ServerHello sh;
    sh.random = published("server_random");
    sh.cipherSuite = 0xc013;
    sh.extensions = {ext::renegotiationInfo({})};
    QCOMPARE(sh.serialize(), readRecordMessage("messages/server_hello_record.txt").body);

    CertificateMessage cert;
    cert.certificateList = {published("server_certificate_der")};
    QCOMPARE(cert.serialize(), readRecordMessage("messages/certificate_record.txt").body);

    ServerKeyExchange ske;
    ske.namedGroup = 29;
    ske.publicKey = published("server_x25519_public");
    ske.signatureScheme = 0x0401;
    ske.signature = published("ske_signature");
    QCOMPARE(ske.serialize(), readRecordMessage("messages/server_key_exchange_record.txt").body);

    QCOMPARE(ServerHelloDone{}.serialize(), readRecordMessage("messages/server_hello_done_record.txt").body);

    ClientKeyExchange cke;
    cke.exchangeKeys = published("client_x25519_public");
    QCOMPARE(cke.serialize(), readRecordMessage("messages/client_key_exchange_record.txt").body);
}

void TestMessagesRoundtrip::extensionBuildersAndParsersAgree()
{
    // list length 0x16, host_name (0), name length 0x13, the name: as in the Illustrated ClientHello.
    QCOMPARE(ext::serverName("example.ulfheim.net").data, concat(fromHex("0016 00 0013"), published("sni_host_name")));
    QCOMPARE(ext::parseServerName(ext::serverName("a.example").data), std::string("a.example"));
    QCOMPARE(ext::supportedGroups({29, 256}).data, fromHex("0004001d0100"));
    QCOMPARE(ext::parseSupportedGroups(ext::supportedGroups({29, 256}).data), (std::vector<std::uint16_t>{29, 256}));
    QCOMPARE(ext::ecPointFormats({0}).data, fromHex("0100"));
    QCOMPARE(ext::signatureAlgorithms({0x0804}).data, fromHex("00020804"));
    QCOMPARE(ext::parseSignatureAlgorithms(fromHex("000404010403")), (std::vector<std::uint16_t>{0x0401, 0x0403}));
    const Bytes previous = fromHex("cf919626f1360c536aaad73a");
    QCOMPARE(ext::renegotiationInfo(previous).data, concat(fromHex("0c"), previous));
    QCOMPARE(ext::parseRenegotiationInfo(ext::renegotiationInfo(previous).data), previous);
    QCOMPARE(ext::extendedMasterSecret(), (Extension{23, {}}));
    ext::parseExtendedMasterSecret({});
    QCOMPARE(ext::serverName("x").type, std::uint16_t{0});
    QCOMPARE(ext::renegotiationInfo({}).type, std::uint16_t{0xff01});
    // A list naming only another type carries no host name.
    QCOMPARE(ext::parseServerName(fromHex("0004 01 000178")), std::string());

    const std::vector<Extension> list = {ext::serverName("x"), ext::extendedMasterSecret()};
    QCOMPARE(findExtension(list, ExtensionType::ExtendedMasterSecret), &list[1]);
    QVERIFY(findExtension(list, ExtensionType::SessionTicket) == nullptr);
}

void TestMessagesRoundtrip::serverNameAckInServerHelloIsAccepted()
{
    // RFC 6066 §3: the server's server_name extension is empty.
    const Bytes body = fromHex("0303" + kRandom + "00 c02f 00 0008 00000000 00170000");
    const ServerHello h = ServerHello::decode(body);
    QCOMPARE(extensionTypes(h.extensions), (std::vector<std::uint16_t>{0, 23}));
    QVERIFY(h.extensions[0].data.empty());
    QCOMPARE(h.serialize(), body);
}

void TestMessagesRoundtrip::builtValuesRoundTrip()
{
    ClientHello ch;
    ch.random = Bytes(32, 7);
    ch.sessionId = Bytes(32, 9);
    ch.cipherSuites = {0xc02f, kEmptyRenegotiationInfoScsv};
    ch.extensions = {ext::serverName("handshake.lab"), ext::supportedGroups({29, 23}),
                     ext::ecPointFormats({0}),         ext::signatureAlgorithms({0x0804, 0x0401}),
                     ext::extendedMasterSecret(),      Extension{0x3374, {1, 2}}};
    QCOMPARE(ClientHello::decode(ch.serialize()), ch);
    ch.hasExtensionBlock = false;
    ch.extensions.clear();
    QCOMPARE(ClientHello::decode(ch.serialize()), ch);
    ch.hasExtensionBlock = true;
    QCOMPARE(ClientHello::decode(ch.serialize()), ch);
    QCOMPARE(ch.serialize().size(), ClientHello::decode(ch.serialize()).serialize().size());

    ServerHello sh;
    sh.random = Bytes(32, 1);
    sh.cipherSuite = 0x009c;
    sh.hasExtensionBlock = false;
    QCOMPARE(ServerHello::decode(sh.serialize()), sh);

    CertificateMessage cert;
    QCOMPARE(CertificateMessage::decode(cert.serialize()), cert);
    cert.certificateList = {Bytes(3, 0x30), Bytes(1000, 0x31)};
    QCOMPARE(CertificateMessage::decode(cert.serialize()), cert);

    ServerKeyExchange dhe;
    dhe.kind = KeyExchangeKind::DheRsa;
    dhe.dhP = Bytes(256, 0xff);
    dhe.dhG = {2};
    dhe.dhYs = Bytes(256, 0x42);
    dhe.signatureScheme = 0x0804;
    dhe.signature = Bytes(256, 0x11);
    QCOMPARE(ServerKeyExchange::decode(dhe.serialize(), KeyExchangeKind::DheRsa), dhe);
    QCOMPARE(dhe.params().size(), std::size_t{2 + 256 + 2 + 1 + 2 + 256});
    const Bytes dheWire = dhe.serialize();
    QCOMPARE(Bytes(dheWire.begin(), dheWire.begin() + 519), dhe.params());
    QCOMPARE(q(handshakeSummary(12, dhe.serialize(), KeyExchangeKind::DheRsa)), QString("2048-bit DH"));

    CertificateRequest req;
    req.certificateTypes = {1, 64};
    req.signatureSchemes = {0x0401, 0x0403};
    req.certificateAuthorities = {fromHex("3000"), fromHex("300b3109")};
    QCOMPARE(CertificateRequest::decode(req.serialize()), req);
    QCOMPARE(q(handshakeSummary(13, req.serialize(), std::nullopt)), QString("rsa_sign, ecdsa_sign"));

    for (KeyExchangeKind kind :
         {KeyExchangeKind::Rsa, KeyExchangeKind::DheRsa, KeyExchangeKind::EcdheRsa, KeyExchangeKind::EcdheEcdsa}) {
        ClientKeyExchange cke;
        cke.kind = kind;
        cke.exchangeKeys = Bytes(kind == KeyExchangeKind::Rsa ? 256 : 32, 5);
        QCOMPARE(ClientKeyExchange::decode(cke.serialize(), kind), cke);
    }

    CertificateVerify cv;
    cv.signatureScheme = 0x0804;
    cv.signature = Bytes(256, 3);
    QCOMPARE(CertificateVerify::decode(cv.serialize()), cv);
    QCOMPARE(q(handshakeSummary(15, cv.serialize(), std::nullopt)), QString("rsa_pss_rsae_sha256"));

    Finished fin;
    fin.verifyData = Bytes(12, 8);
    QCOMPARE(Finished::decode(fin.serialize()), fin);
    QCOMPARE(HelloRequest::decode(HelloRequest{}.serialize()), HelloRequest{});
}

void TestMessagesRoundtrip::changeCipherSpecAndAlertRoundTrip()
{
    std::vector<Field> fields;
    const ChangeCipherSpec ccs = ChangeCipherSpec::decode(fromHex("01"), &fields, 5);
    QCOMPARE(ccs.serialize(), fromHex("01"));
    QCOMPARE(q(fields.at(0).value), QString("change_cipher_spec (1)"));
    QCOMPARE(fields.at(0).offset, std::size_t{5});

    fields.clear();
    const AlertMessage fatal = AlertMessage::decode(fromHex("0228"), &fields, 5);
    QCOMPARE(fatal.level, AlertLevel::Fatal);
    QCOMPARE(fatal.description, AlertDescription::HandshakeFailure);
    QCOMPARE(fatal.rawDescription, std::uint8_t{40});
    QCOMPARE(q(fatal.describe()), QString("fatal handshake_failure"));
    QCOMPARE(fatal.serialize(), fromHex("0228"));
    QCOMPARE(fatal, AlertMessage(AlertLevel::Fatal, AlertDescription::HandshakeFailure));
    QCOMPARE(fields.size(), std::size_t{2});
    QCOMPARE(q(fields[0].value), QString("fatal (2)"));
    QCOMPARE(q(fields[1].value), QString("handshake_failure (40)"));
    QCOMPARE(fields[1].offset, std::size_t{6});

    const AlertMessage close = AlertMessage::decode(fromHex("0100"));
    QCOMPARE(q(close.describe()), QString("warning close_notify"));
    // RFC 5246 §7.2.2: an unknown description is still an alert; it is kept as is.
    const AlertMessage unknown = AlertMessage::decode(fromHex("02c8"));
    QCOMPARE(unknown.rawDescription, std::uint8_t{200});
    QCOMPARE(unknown.serialize(), fromHex("02c8"));
    QCOMPARE(q(unknown.describe()), QString("fatal alert_200"));
}

void TestMessagesRoundtrip::frameHandshakeWritesTypeLengthBody()
{
    QCOMPARE(frameHandshake(HandshakeType::ServerHelloDone, {}), fromHex("0e000000"));
    QCOMPARE(frameHandshake(HandshakeType::Finished, fromHex("cf919626f1360c536aaad73a")),
             keyed("messages/finished_plaintext.txt", "client"));
    const Bytes big(70000, 0x30);
    const Bytes framed = frameHandshake(HandshakeType::Certificate, big);
    QCOMPARE(Bytes(framed.begin(), framed.begin() + 4), fromHex("0b011170"));
    QCOMPARE(framed.size(), big.size() + 4);
}

void TestMessagesRoundtrip::reassemblerYieldsMessagesWhateverTheRecordSplit_data()
{
    QTest::addColumn<int>("chunk");
    for (int n : {1, 2, 3, 4, 5, 7, 64, 333, 1000, 1 << 20})
        QTest::newRow(qPrintable(QString("%1-byte records").arg(n))) << n;
}

void TestMessagesRoundtrip::reassemblerYieldsMessagesWhateverTheRecordSplit()
{
    QFETCH(int, chunk);
    std::vector<RecordMessage> messages;
    const Bytes stream = katHandshakeStream(&messages);

    HandshakeReassembler r;
    std::vector<HandshakeFrame> frames;
    for (std::size_t at = 0; at < stream.size(); at += static_cast<std::size_t>(chunk)) {
        const std::size_t n = std::min(static_cast<std::size_t>(chunk), stream.size() - at);
        r.add(ByteView(stream).subspan(at, n));
        QCOMPARE(r.received(), at + n);
        while (std::optional<HandshakeFrame> f = r.next())
            frames.push_back(std::move(*f));
    }
    QVERIFY(r.empty());
    QCOMPARE(frames.size(), messages.size());
    std::size_t offset = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        QCOMPARE(frames[i].type, messages[i].type);
        QCOMPARE(frames[i].body, messages[i].body);
        QCOMPARE(frames[i].offset, offset);
        offset += kHandshakeHeader + messages[i].body.size();
    }
}

void TestMessagesRoundtrip::reassemblerHoldsAPartialMessage()
{
    HandshakeReassembler r;
    QVERIFY(r.empty());
    QVERIFY(!r.next().has_value());
    // The server's flight as one record followed by the start of another message.
    const Bytes flight = concat(fromHex("0e000000"), fromHex("14 00000c"), fromHex("cf919626f136"));
    r.add(flight);
    const std::optional<HandshakeFrame> done = r.next();
    QVERIFY(done.has_value());
    QCOMPARE(done->type, std::uint8_t{14});
    QVERIFY(done->body.empty());
    QVERIFY(!r.next().has_value());
    QVERIFY(!r.empty()); // half a Finished is buffered: a ChangeCipherSpec now would be interleaving
    r.add(fromHex("0c536aaad73a"));
    const std::optional<HandshakeFrame> fin = r.next();
    QVERIFY(fin.has_value());
    QCOMPARE(fin->offset, std::size_t{4});
    QCOMPARE(fin->body, fromHex("cf919626f1360c536aaad73a"));
    QVERIFY(r.empty());
}

void TestMessagesRoundtrip::fieldTreeTilesEveryRealRecord_data()
{
    addRealMessageRows();
}

void TestMessagesRoundtrip::fieldTreeTilesEveryRealRecord()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    const RecordMessage m = readRecordMessage(file.toStdString());
    const std::vector<Field> fields = describeHandshake(m.type, m.body, kRecordHeader, kindOf(kind));

    QVERIFY(fields.size() >= 2);
    QCOMPARE(q(fields[0].name), QString("msg_type"));
    QCOMPARE(fields[0].offset, kRecordHeader);
    QCOMPARE(fields[0].length, std::size_t{1});
    QCOMPARE(q(fields[0].value), q(handshakeName(m.type) + " (" + std::to_string(m.type) + ")"));
    QCOMPARE(q(fields[1].name), QString("length"));
    QCOMPARE(fields[1].offset, kRecordHeader + 1);
    QCOMPARE(fields[1].length, std::size_t{3});
    QCOMPARE(q(fields[1].value), q(std::to_string(m.body.size()) + (m.body.size() == 1 ? " byte" : " bytes")));
    // The top level tiles the whole message: header, then every body field in order up to the record's end.
    std::size_t at = kRecordHeader;
    for (const Field& f : fields) {
        QVERIFY2(f.name != "error", f.value.c_str());
        QCOMPARE(f.offset, at);
        at += f.length;
    }
    QCOMPARE(at, m.record.size());
    QCOMPARE(q(untiledField(fields)), QString());
    QCOMPARE(q(misplacedField(fields, kRecordHeader, m.record.size())), QString());
}

void TestMessagesRoundtrip::fieldTreePointsAtTheRightBytes()
{
    const RecordMessage ch = readRecordMessage("messages/client_hello_record.txt");
    const std::vector<Field> chFields = describeHandshake(ch.type, ch.body, kRecordHeader, std::nullopt);
    QCOMPARE(q(fieldValue(chFields, "client_version")), QString("TLS 1.2 (3,3 = 0x0303)"));
    QCOMPARE(fieldBytes(ch, chFields, "client_version"), fromHex("0303"));
    QCOMPARE(fieldBytes(ch, chFields, "random"), ClientHello::decode(ch.body).random);
    QCOMPARE(q(fieldValue(chFields, "cipher_suites/cipher_suite[6]")),
             QString("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)"));
    QCOMPARE(fieldBytes(ch, chFields, "cipher_suites/cipher_suite[6]"), fromHex("c013"));
    QCOMPARE(q(fieldValue(chFields, "cipher_suites")), QString("16 suites"));
    QCOMPARE(q(fieldValue(chFields, "compression_methods/compression_method[0]")), QString("null (0)"));
    const std::string sni = "extensions/extension[0]/extension_data/server_name_list/server_name[0]/host_name";
    QCOMPARE(q(fieldValue(chFields, sni)), QString("example.ulfheim.net"));
    QCOMPARE(fieldBytes(ch, chFields, sni, 2), published("sni_host_name"));
    QCOMPARE(q(fieldValue(chFields, "extensions/extension[0]")), QString("server_name"));
    QCOMPARE(q(fieldValue(chFields, "extensions/extension[0]/extension_type")), QString("server_name (0)"));
    QCOMPARE(q(fieldValue(chFields, "extensions/extension[2]/extension_data/named_group_list/named_group[0]")),
             QString("x25519 (29)"));
    QCOMPARE(
        q(fieldValue(chFields,
                     "extensions/extension[4]/extension_data/supported_signature_algorithms/signature_algorithm[0]")),
        QString("rsa_pkcs1_sha256 (0x0401)"));
    QCOMPARE(fieldBytes(ch, chFields, "extensions/extension[1]/extension_data", 2), fromHex("0100000000"));
    // status_request (RFC 6066 §8): ocsp, no responder named, no request extensions.
    QCOMPARE(q(fieldValue(chFields, "extensions/extension[1]/extension_data/status_type")), QString("ocsp (1)"));
    QCOMPARE(q(fieldValue(chFields, "extensions/extension[1]/extension_data/responder_id_list")),
             QString("empty (any responder)"));

    const RecordMessage ske = readRecordMessage("messages/server_key_exchange_record.txt");
    const std::vector<Field> skeFields =
        describeHandshake(ske.type, ske.body, kRecordHeader, KeyExchangeKind::EcdheRsa);
    QCOMPARE(fieldBytes(ske, skeFields, "params"), published("ske_signed_params"));
    QCOMPARE(q(fieldValue(skeFields, "params/curve_type")), QString("named_curve (3)"));
    QCOMPARE(q(fieldValue(skeFields, "params/named_curve")), QString("x25519 (29)"));
    QCOMPARE(fieldBytes(ske, skeFields, "params/public", 1), published("server_x25519_public"));
    QCOMPARE(q(fieldValue(skeFields, "signed_params/algorithm")), QString("rsa_pkcs1_sha256 (0x0401)"));
    QCOMPARE(fieldBytes(ske, skeFields, "signed_params/signature", 2), published("ske_signature"));

    const RecordMessage sh = readRecordMessage("messages/server_hello_record.txt");
    const std::vector<Field> shFields = describeHandshake(sh.type, sh.body, kRecordHeader, std::nullopt);
    QCOMPARE(fieldBytes(sh, shFields, "random"), published("server_random"));
    QCOMPARE(q(fieldValue(shFields, "cipher_suite")), QString("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)"));
    QCOMPARE(q(fieldValue(shFields, "extensions/extension[0]/extension_data/renegotiated_connection")),
             QString("empty (first handshake on this connection)"));

    const RecordMessage cert = readRecordMessage("messages/certificate_record.txt");
    const std::vector<Field> certFields = describeHandshake(cert.type, cert.body, kRecordHeader, std::nullopt);
    QCOMPARE(fieldBytes(cert, certFields, "certificate_list/certificate[0]", 3), published("server_certificate_der"));
    QCOMPARE(q(fieldValue(certFields, "certificate_list")), QString("1 certificate"));

    const RecordMessage cke = readRecordMessage("messages/client_key_exchange_record.txt");
    const std::vector<Field> ckeFields =
        describeHandshake(cke.type, cke.body, kRecordHeader, KeyExchangeKind::EcdheRsa);
    QCOMPARE(fieldBytes(cke, ckeFields, "ecdh_Yc", 1), published("client_x25519_public"));
}

void TestMessagesRoundtrip::opaqueBodyWhenTheKeyExchangeIsUnknown()
{
    const RecordMessage ske = readRecordMessage("messages/server_key_exchange_record.txt");
    const std::vector<Field> fields = describeHandshake(ske.type, ske.body, kRecordHeader, std::nullopt);
    QCOMPARE(fields.size(), std::size_t{3});
    QCOMPARE(q(fields[2].name), QString("body"));
    QCOMPARE(fields[2].offset, kRecordHeader + kHandshakeHeader);
    QCOMPARE(fields[2].length, ske.body.size());
    QCOMPARE(q(handshakeSummary(ske.type, ske.body, std::nullopt)), QString());
    // NewSessionTicket is decoded into its two fields, the hint in seconds.
    const std::vector<Field> ticket = describeHandshake(4, fromHex("0000012c0002abcd"), 0, std::nullopt);
    QCOMPARE(q(ticket.front().value), QString("NewSessionTicket (4)"));
    QCOMPARE(q(ticket.back().name), QString("ticket"));
    QCOMPARE(q(handshakeSummary(4, fromHex("0000012c0002abcd"), std::nullopt)), QString("2-byte ticket, lifetime hint 300 s"));
}

void TestMessagesRoundtrip::summaryNamesTheKeyDetail_data()
{
    addRealMessageRows();
}

void TestMessagesRoundtrip::summaryNamesTheKeyDetail()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    QFETCH(QString, summary);
    const RecordMessage m = readRecordMessage(file.toStdString());
    QCOMPARE(q(handshakeSummary(m.type, m.body, kindOf(kind))), summary);
}

QTEST_APPLESS_MAIN(TestMessagesRoundtrip)
#include "test_messages_roundtrip.moc"
