// Negative tests for engine/messages: malformed bytes are refused with the right alert and never crash.
#include "messages_support.h"

#include "messages/alert_message.h"
#include "messages/change_cipher_spec.h"
#include "messages/describe.h"
#include "messages/extensions.h"
#include "messages/handshake_framing.h"

#include <QTest>

#include <random>

using namespace hl;
using namespace hltest;

namespace {

const std::string kRandom(64, '0'); // 32 zero bytes as hex

// A ClientHello body: version, zero random, then the given tail (session_id onwards).
QString hello(const std::string& tail)
{
    return q("0303" + kRandom + tail);
}
// A ClientHello with an empty session_id, one suite, null compression and the given extensions block.
QString helloWithExtensions(const std::string& block)
{
    return hello("00 0002c02f 0100 " + block);
}

// Runs `decode` and returns the TlsError it throws; fails the test when it does not throw one.
template <typename Fn> std::optional<TlsError> tlsErrorOf(Fn decode)
{
    try {
        decode();
    } catch (const TlsError& e) {
        return e;
    } catch (const std::exception& e) {
        qWarning("threw a non-TlsError: %s", e.what());
        return std::nullopt;
    }
    return std::nullopt;
}

bool hasDecoder(std::uint8_t type)
{
    switch (type) {
    case 0:
    case 1:
    case 2:
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 16:
    case 20:
        return true;
    }
    return false;
}

struct Sample {
    const char* file;
    int kind;
};
const Sample kRealMessages[] = {
    {"messages/client_hello_record.txt", kNoKind},         {"messages/server_hello_record.txt", kNoKind},
    {"messages/certificate_record.txt", kNoKind},          {"messages/server_key_exchange_record.txt", kEcdheRsa},
    {"messages/server_hello_done_record.txt", kNoKind},    {"messages/client_key_exchange_record.txt", kEcdheRsa},
    {"messages/openssl_client_hello_record.txt", kNoKind},
};

void addRealMessageRows()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    for (const Sample& s : kRealMessages)
        QTest::newRow(s.file) << QString(s.file) << s.kind;
}

} // namespace

class TestMessagesRejects : public QObject {
    Q_OBJECT

private slots:
    void malformedBodyIsRefusedWithItsAlert_data();
    void malformedBodyIsRefusedWithItsAlert();
    void truncationAtEveryPositionIsDecodeError_data();
    void truncationAtEveryPositionIsDecodeError();
    void oneTrailingByteIsDecodeError_data();
    void oneTrailingByteIsDecodeError();
    void finishedOfWrongLengthIsDecodeError_data();
    void finishedOfWrongLengthIsDecodeError();
    void changeCipherSpecAndAlertRecordsAreChecked_data();
    void changeCipherSpecAndAlertRecordsAreChecked();
    void typedExtensionParsersRefuseMalformedData_data();
    void typedExtensionParsersRefuseMalformedData();
    void serializeRefusesValuesThatCannotRoundTrip();
    void reassemblerRefusesAnOversizedHeader();
    void describeReportsTheErrorAfterWhatItDecoded();
    void describeNeverThrowsOnMutatedRecords();
};

void TestMessagesRejects::malformedBodyIsRefusedWithItsAlert_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("hex");
    QTest::addColumn<int>("alert");
    QTest::addColumn<QString>("reason"); // a substring of the error text, or empty

    const int decodeError = static_cast<int>(AlertDescription::DecodeError);
    const int ch = 1, sh = 2, cert = 11, ske = 12, creq = 13, shd = 14, cv = 15, cke = 16, hr = 0;
    const int rsa = static_cast<int>(KeyExchangeKind::Rsa), dhe = static_cast<int>(KeyExchangeKind::DheRsa);

    QTest::newRow("client_hello random of 31 bytes")
        << ch << kNoKind << q("0303" + std::string(62, '0')) << decodeError << "";
    QTest::newRow("client_hello session_id of 33 bytes")
        << ch << kNoKind << hello("21" + std::string(66, '0') + "0002c02f 0100 0000") << decodeError << "session_id";
    QTest::newRow("client_hello session_id beyond the end")
        << ch << kNoKind << hello("20 0000") << decodeError << "session_id";
    QTest::newRow("client_hello cipher_suites of odd length")
        << ch << kNoKind << hello("00 0003c02f00 0100") << decodeError << "odd";
    QTest::newRow("client_hello empty cipher_suites")
        << ch << kNoKind << hello("00 0000 0100") << decodeError << "cipher_suites";
    QTest::newRow("client_hello cipher_suites beyond the end")
        << ch << kNoKind << hello("00 fffe c02f") << decodeError << "cipher_suites";
    QTest::newRow("client_hello empty compression_methods")
        << ch << kNoKind << hello("00 0002c02f 00") << decodeError << "compression_methods";
    QTest::newRow("client_hello compression_methods beyond the end")
        << ch << kNoKind << hello("00 0002c02f 0500") << decodeError << "compression_methods";
    QTest::newRow("client_hello lone byte after compression")
        << ch << kNoKind << helloWithExtensions("00") << decodeError << "extensions";
    QTest::newRow("client_hello extensions beyond the end")
        << ch << kNoKind << helloWithExtensions("0010 00170000") << decodeError << "extensions";
    QTest::newRow("client_hello extension_data beyond its block")
        << ch << kNoKind << helloWithExtensions("0004 0017 0005") << decodeError << "extension_data";
    QTest::newRow("client_hello duplicate extension") << ch << kNoKind << helloWithExtensions("0008 00170000 00170000")
                                                      << decodeError << "duplicate extension extended_master_secret";
    QTest::newRow("client_hello duplicate unknown extension")
        << ch << kNoKind << helloWithExtensions("000a 1234000100 1234000100") << decodeError << "duplicate extension";
    QTest::newRow("extended_master_secret with a body")
        << ch << kNoKind << helloWithExtensions("0005 0017000100") << decodeError << "must be empty";
    QTest::newRow("encrypt_then_mac with a body")
        << ch << kNoKind << helloWithExtensions("0005 0016000100") << decodeError << "must be empty";
    QTest::newRow("server_name with an empty list")
        << ch << kNoKind << helloWithExtensions("0006 0000 0002 0000") << decodeError << "server_name_list";
    QTest::newRow("server_name with an empty host_name")
        << ch << kNoKind << helloWithExtensions("0009 0000 0005 0003 00 0000") << decodeError << "host_name";
    QTest::newRow("server_name with two host_names")
        << ch << kNoKind << helloWithExtensions("000e 0000 000a 0008 00000161 00000162") << decodeError << "twice";
    QTest::newRow("server_name list beyond its extension")
        << ch << kNoKind << helloWithExtensions("0007 0000 0003 0009 000000") << decodeError << "server_name_list";
    QTest::newRow("supported_groups of odd length")
        << ch << kNoKind << helloWithExtensions("0009 000a 0005 0003001d00") << decodeError << "odd";
    QTest::newRow("supported_groups empty")
        << ch << kNoKind << helloWithExtensions("0006 000a 0002 0000") << decodeError << "named_group_list";
    QTest::newRow("supported_groups with trailing byte")
        << ch << kNoKind << helloWithExtensions("0009 000a 0005 0002001d 00") << decodeError << "trailing";
    QTest::newRow("ec_point_formats empty")
        << ch << kNoKind << helloWithExtensions("0005 000b 0001 00") << decodeError << "ec_point_format_list";
    QTest::newRow("signature_algorithms of odd length")
        << ch << kNoKind << helloWithExtensions("0009 000d 0005 0003040100") << decodeError << "odd";
    QTest::newRow("signature_algorithms empty") << ch << kNoKind << helloWithExtensions("0006 000d 0002 0000")
                                                << decodeError << "supported_signature_algorithms";
    QTest::newRow("renegotiation_info lying length")
        << ch << kNoKind << helloWithExtensions("0006 ff01 0002 0500") << decodeError << "renegotiated_connection";
    QTest::newRow("renegotiation_info without its length")
        << ch << kNoKind << helloWithExtensions("0004 ff01 0000") << decodeError << "renegotiated_connection";

    QTest::newRow("server_hello session_id of 33 bytes")
        << sh << kNoKind << q("0303" + kRandom + "21" + std::string(66, '0') + "c02f 00") << decodeError
        << "session_id";
    QTest::newRow("server_hello without compression_method")
        << sh << kNoKind << q("0303" + kRandom + "00 c02f") << decodeError << "compression_method";
    QTest::newRow("server_hello cipher_suite cut")
        << sh << kNoKind << q("0303" + kRandom + "00 c0") << decodeError << "cipher_suite";
    QTest::newRow("server_hello duplicate renegotiation_info")
        << sh << kNoKind << q("0303" + kRandom + "00 c02f 00 000a ff01000100 ff01000100") << decodeError
        << "duplicate extension renegotiation_info";

    QTest::newRow("certificate with an empty entry")
        << cert << kNoKind << q("000003 000000") << decodeError << "certificate[0]";
    QTest::newRow("certificate_list beyond the end")
        << cert << kNoKind << q("000010 00000130") << decodeError << "certificate_list";
    QTest::newRow("certificate entry beyond its list")
        << cert << kNoKind << q("000004 00000530") << decodeError << "certificate[0]";
    QTest::newRow("certificate entry without its length")
        << cert << kNoKind << q("000001 00") << decodeError << "certificate[0]";

    const std::string point = "20" + std::string(64, '1');
    QTest::newRow("ske explicit_prime curve") << ske << kEcdheRsa << q("01 001d " + point + " 0401 0000")
                                              << static_cast<int>(AlertDescription::IllegalParameter) << "named_curve";
    QTest::newRow("ske explicit_char2 curve") << ske << kEcdheRsa << q("02 001d " + point + " 0401 0000")
                                              << static_cast<int>(AlertDescription::IllegalParameter) << "named_curve";
    QTest::newRow("ske empty public point") << ske << kEcdheRsa << q("03 001d 00 0401 0000") << decodeError << "public";
    QTest::newRow("ske public point beyond the end")
        << ske << kEcdheRsa << q("03 001d 20 0102") << decodeError << "public";
    QTest::newRow("ske signature beyond the end")
        << ske << kEcdheRsa << q("03 001d 0109 0401 0100 00") << decodeError << "signature";
    QTest::newRow("ske without signature") << ske << kEcdheRsa << q("03 001d 0109") << decodeError << "algorithm";
    QTest::newRow("ske for an RSA suite")
        << ske << rsa << q("03 001d 0109 0401 0000") << static_cast<int>(AlertDescription::UnexpectedMessage) << "RSA";
    QTest::newRow("ske dhe empty dh_p") << ske << dhe << q("0000 000102 000105 0401 0000") << decodeError << "dh_p";
    QTest::newRow("ske dhe empty dh_Ys") << ske << dhe << q("000117 000102 0000 0401 0000") << decodeError << "dh_Ys";
    QTest::newRow("ske dhe dh_g beyond the end") << ske << dhe << q("000117 0009 02") << decodeError << "dh_g";

    QTest::newRow("certificate_request empty certificate_types")
        << creq << kNoKind << q("00 00020401 0000") << decodeError << "certificate_types";
    QTest::newRow("certificate_request odd signature list")
        << creq << kNoKind << q("0101 0003040100 0000") << decodeError << "odd";
    QTest::newRow("certificate_request empty signature list")
        << creq << kNoKind << q("0101 0000 0000") << decodeError << "supported_signature_algorithms";
    QTest::newRow("certificate_request empty distinguished name")
        << creq << kNoKind << q("0101 00020401 0002 0000") << decodeError << "distinguished_name[0]";
    QTest::newRow("certificate_request CA list beyond the end")
        << creq << kNoKind << q("0101 00020401 0010 0003300100") << decodeError << "certificate_authorities";

    QTest::newRow("server_hello_done with a body byte") << shd << kNoKind << q("00") << decodeError << "trailing";
    QTest::newRow("hello_request with a body byte") << hr << kNoKind << q("00") << decodeError << "trailing";

    QTest::newRow("cke ecdhe empty point") << cke << kEcdheRsa << q("00") << decodeError << "ecdh_Yc";
    QTest::newRow("cke ecdhe point beyond the end") << cke << kEcdheRsa << q("20 0102") << decodeError << "ecdh_Yc";
    QTest::newRow("cke ecdhe given a u16 prefix") << cke << kEcdheRsa << q("0001 04") << decodeError << "";
    QTest::newRow("cke dhe empty dh_Yc") << cke << dhe << q("0000") << decodeError << "dh_Yc";
    QTest::newRow("cke rsa without length prefix (SSL 3.0 style)")
        << cke << rsa << q("01020304") << decodeError << "encrypted_pre_master_secret";
    QTest::newRow("cke empty body") << cke << kEcdheRsa << q("") << decodeError << "ecdh_Yc";

    QTest::newRow("certificate_verify signature beyond the end")
        << cv << kNoKind << q("0401 0100 00") << decodeError << "signature";
    QTest::newRow("certificate_verify half an algorithm") << cv << kNoKind << q("04") << decodeError << "algorithm";

    const int nst = 4;
    QTest::newRow("new_session_ticket hint cut short") << nst << kNoKind << q("000000") << decodeError
                                                       << "ticket_lifetime_hint";
    QTest::newRow("new_session_ticket ticket beyond the end")
        << nst << kNoKind << q("00001c20 0005 01020304") << decodeError << "ticket";
    QTest::newRow("new_session_ticket trailing byte")
        << nst << kNoKind << q("00001c20 0001 01 ff") << decodeError << "trailing";
}

void TestMessagesRejects::malformedBodyIsRefusedWithItsAlert()
{
    QFETCH(int, type);
    QFETCH(int, kind);
    QFETCH(QString, hex);
    QFETCH(int, alert);
    QFETCH(QString, reason);
    const Bytes body = fromHex(hex.toStdString());

    const std::optional<TlsError> error =
        tlsErrorOf([&] { reserialize(static_cast<std::uint8_t>(type), body, kindOf(kind)); });
    QVERIFY2(error.has_value(), "decoded without a TlsError");
    QCOMPARE(static_cast<int>(error->alert()), alert);
    QVERIFY2(QString(error->what()).contains(reason), error->what());

    // The describer reports the same failure instead of throwing.
    const std::vector<Field> fields = describeHandshake(static_cast<std::uint8_t>(type), body, 0, kindOf(kind));
    QVERIFY(!fields.empty());
    QCOMPARE(q(fields.back().name), QString("error"));
    QCOMPARE(q(fields.back().value), QString(error->what()));
    QCOMPARE(q(handshakeSummary(static_cast<std::uint8_t>(type), body, kindOf(kind))), QString("malformed"));
}

void TestMessagesRejects::truncationAtEveryPositionIsDecodeError_data()
{
    addRealMessageRows();
}

void TestMessagesRejects::truncationAtEveryPositionIsDecodeError()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    const RecordMessage m = readRecordMessage(file.toStdString());

    // RFC 5246 §7.4.1.2/§7.4.1.3: a hello cut right after compression is a complete hello without extensions.
    std::optional<std::size_t> validCut;
    if (m.type == 1) {
        ClientHello h = ClientHello::decode(m.body);
        h.hasExtensionBlock = false;
        h.extensions.clear();
        validCut = h.serialize().size();
    } else if (m.type == 2) {
        ServerHello h = ServerHello::decode(m.body);
        h.hasExtensionBlock = false;
        h.extensions.clear();
        validCut = h.serialize().size();
    }

    for (std::size_t cut = 0; cut < m.body.size(); ++cut) {
        const ByteView part = ByteView(m.body).first(cut);
        if (validCut && cut == *validCut) {
            QCOMPARE(reserialize(m.type, part, kindOf(kind)), Bytes(part.begin(), part.end()));
            continue;
        }
        const std::optional<TlsError> error = tlsErrorOf([&] { reserialize(m.type, part, kindOf(kind)); });
        if (!error || error->alert() != AlertDescription::DecodeError)
            QFAIL(qPrintable(
                QString("cut at %1 of %2: %3").arg(cut).arg(m.body.size()).arg(error ? error->what() : "accepted")));
        const std::vector<Field> fields = describeHandshake(m.type, part, kRecordHeader, kindOf(kind));
        QCOMPARE(q(fields.back().name), QString("error"));
        QCOMPARE(q(misplacedField(fields, 5, 9 + cut)), QString());
    }
}

void TestMessagesRejects::oneTrailingByteIsDecodeError_data()
{
    addRealMessageRows();
}

void TestMessagesRejects::oneTrailingByteIsDecodeError()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    const RecordMessage m = readRecordMessage(file.toStdString());
    for (std::uint8_t extra : {std::uint8_t{0x00}, std::uint8_t{0xff}}) {
        Bytes body = m.body;
        body.push_back(extra);
        const std::optional<TlsError> error = tlsErrorOf([&] { reserialize(m.type, body, kindOf(kind)); });
        QVERIFY2(error.has_value(), "a trailing byte was accepted");
        QCOMPARE(error->alert(), AlertDescription::DecodeError);
    }
}

void TestMessagesRejects::finishedOfWrongLengthIsDecodeError_data()
{
    QTest::addColumn<int>("length");
    for (int n : {0, 1, 11, 13, 36})
        QTest::newRow(qPrintable(QString("%1 bytes").arg(n))) << n;
}

void TestMessagesRejects::finishedOfWrongLengthIsDecodeError()
{
    QFETCH(int, length);
    const Bytes body(static_cast<std::size_t>(length), 0xab);
    const std::optional<TlsError> error = tlsErrorOf([&] { Finished::decode(body); });
    QVERIFY(error.has_value());
    QCOMPARE(error->alert(), AlertDescription::DecodeError);
    QVERIFY2(QString(error->what()).contains("expected 12"), error->what());
    // A suite with a longer verify_data is accepted only when asked for.
    if (length == 36)
        QCOMPARE(Finished::decode(body, nullptr, 0, 36).verifyData, body);
}

void TestMessagesRejects::changeCipherSpecAndAlertRecordsAreChecked_data()
{
    QTest::addColumn<int>("contentType");
    QTest::addColumn<QString>("hex");
    QTest::addColumn<int>("alert");
    const int ccs = 20, alert = 21;
    const int decodeError = static_cast<int>(AlertDescription::DecodeError);
    QTest::newRow("ccs empty") << ccs << "" << decodeError;
    QTest::newRow("ccs two bytes") << ccs << "0101" << decodeError;
    QTest::newRow("ccs value 0") << ccs << "00" << static_cast<int>(AlertDescription::UnexpectedMessage);
    QTest::newRow("ccs value 2") << ccs << "02" << static_cast<int>(AlertDescription::UnexpectedMessage);
    QTest::newRow("alert empty") << alert << "" << decodeError;
    QTest::newRow("alert one byte") << alert << "02" << decodeError;
    QTest::newRow("alert three bytes") << alert << "022800" << decodeError;
    QTest::newRow("alert two alerts in one record") << alert << "02280100" << decodeError;
    QTest::newRow("alert level 0") << alert << "0028" << static_cast<int>(AlertDescription::IllegalParameter);
    QTest::newRow("alert level 3") << alert << "0328" << static_cast<int>(AlertDescription::IllegalParameter);
}

void TestMessagesRejects::changeCipherSpecAndAlertRecordsAreChecked()
{
    QFETCH(int, contentType);
    QFETCH(QString, hex);
    QFETCH(int, alert);
    const Bytes fragment = fromHex(hex.toStdString());
    const std::optional<TlsError> error = tlsErrorOf([&] {
        if (contentType == 20)
            ChangeCipherSpec::decode(fragment);
        else
            AlertMessage::decode(fragment);
    });
    QVERIFY2(error.has_value(), "accepted");
    QCOMPARE(static_cast<int>(error->alert()), alert);
}

void TestMessagesRejects::typedExtensionParsersRefuseMalformedData_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QString>("hex");
    QTest::newRow("server_name empty data (the server's ack is not a list)") << "server_name"
                                                                             << "";
    QTest::newRow("server_name empty list") << "server_name"
                                            << "0000";
    QTest::newRow("server_name trailing byte") << "server_name"
                                               << "0004000001610000";
    QTest::newRow("server_name name beyond list") << "server_name"
                                                  << "000400000961";
    QTest::newRow("supported_groups empty data") << "supported_groups"
                                                 << "";
    QTest::newRow("supported_groups odd") << "supported_groups"
                                          << "0001 1d";
    QTest::newRow("supported_groups trailing") << "supported_groups"
                                               << "0002001d 00";
    QTest::newRow("ec_point_formats empty list") << "ec_point_formats"
                                                 << "00";
    QTest::newRow("ec_point_formats trailing") << "ec_point_formats"
                                               << "0100 00";
    QTest::newRow("signature_algorithms odd") << "signature_algorithms"
                                              << "0003 040105";
    QTest::newRow("signature_algorithms beyond") << "signature_algorithms"
                                                 << "0004 0401";
    QTest::newRow("renegotiation_info empty data") << "renegotiation_info"
                                                   << "";
    QTest::newRow("renegotiation_info lying") << "renegotiation_info"
                                              << "0c 0102";
    QTest::newRow("renegotiation_info trailing") << "renegotiation_info"
                                                 << "00 00";
    QTest::newRow("extended_master_secret with body") << "extended_master_secret"
                                                      << "00";
}

void TestMessagesRejects::typedExtensionParsersRefuseMalformedData()
{
    QFETCH(QString, parser);
    QFETCH(QString, hex);
    const Bytes data = fromHex(hex.toStdString());
    const std::optional<TlsError> error = tlsErrorOf([&] {
        if (parser == "server_name")
            ext::parseServerName(data);
        else if (parser == "supported_groups")
            ext::parseSupportedGroups(data);
        else if (parser == "ec_point_formats")
            ext::parseEcPointFormats(data);
        else if (parser == "signature_algorithms")
            ext::parseSignatureAlgorithms(data);
        else if (parser == "renegotiation_info")
            ext::parseRenegotiationInfo(data);
        else
            ext::parseExtendedMasterSecret(data);
    });
    QVERIFY2(error.has_value(), "accepted");
    QCOMPARE(error->alert(), AlertDescription::DecodeError);
}

void TestMessagesRejects::serializeRefusesValuesThatCannotRoundTrip()
{
    ClientHello ch;
    ch.random = Bytes(31, 1);
    ch.cipherSuites = {0xc02f};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ch.serialize());
    ch.random = Bytes(32, 1);
    ch.hasExtensionBlock = false;
    ch.extensions = {ext::extendedMasterSecret()};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ch.serialize());

    ServerHello sh;
    sh.random = Bytes(33, 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sh.serialize());

    ServerKeyExchange ske;
    ske.kind = KeyExchangeKind::Rsa;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ske.params());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ske.serialize());

    ClientKeyExchange cke;
    cke.exchangeKeys = Bytes(256, 1); // does not fit ECDHE's one-byte length
    QVERIFY_THROWS_EXCEPTION(std::length_error, cke.serialize());
}

void TestMessagesRejects::reassemblerRefusesAnOversizedHeader()
{
    HandshakeReassembler r;
    // Exactly the limit is fine (it just waits for the bytes) ...
    r.add(fromHex("0b100000"));
    QVERIFY(!r.next().has_value());
    QVERIFY(!r.empty());
    // ... one more is decode_error as soon as the header is complete.
    HandshakeReassembler over;
    over.add(fromHex("0b10"));
    QVERIFY(!over.next().has_value());
    over.add(fromHex("0001"));
    const std::optional<TlsError> error = tlsErrorOf([&] { over.next(); });
    QVERIFY(error.has_value());
    QCOMPARE(error->alert(), AlertDescription::DecodeError);
    QVERIFY2(QString(error->what()).contains("Certificate"), error->what());
}

void TestMessagesRejects::describeReportsTheErrorAfterWhatItDecoded()
{
    // A ClientHello whose cipher_suites is odd: version, random and session_id decode first.
    const Bytes body = fromHex(hello("00 0003c02f00 0100").toStdString());
    const std::vector<Field> fields = describeHandshake(1, body, 100, std::nullopt);
    QStringList names;
    for (const Field& f : fields)
        names << q(f.name);
    QCOMPARE(names,
             QStringList({"msg_type", "length", "client_version", "random", "session_id", "cipher_suites", "error"}));
    const Field& error = fields.back();
    QVERIFY2(q(error.value).contains("odd"), error.value.c_str());
    QVERIFY(error.offset >= 104 && error.offset + error.length == 104 + body.size());
    QVERIFY(!error.meaning.empty());
}

void TestMessagesRejects::describeNeverThrowsOnMutatedRecords()
{
    std::vector<RecordMessage> seeds;
    for (const Sample& s : kRealMessages)
        seeds.push_back(readRecordMessage(s.file));
    const std::optional<KeyExchangeKind> kinds[] = {std::nullopt, KeyExchangeKind::Rsa, KeyExchangeKind::DheRsa,
                                                    KeyExchangeKind::EcdheRsa, KeyExchangeKind::EcdheEcdsa};

    std::mt19937 rng(20240611); // fixed: a failure replays exactly
    int accepted = 0, refused = 0;
    for (int round = 0; round < 4000; ++round) {
        const RecordMessage& seed = seeds[rng() % seeds.size()];
        Bytes body = seed.body;
        std::uint8_t type = seed.type;
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = body.empty() ? 0 : rng() % body.size();
            switch (rng() % 6) {
            case 0:
                if (!body.empty())
                    body[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
                break;
            case 1:
                if (!body.empty())
                    body[at] = static_cast<std::uint8_t>(rng());
                break;
            case 2:
                body.insert(body.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(rng()));
                break;
            case 3:
                if (!body.empty())
                    body.erase(body.begin() + static_cast<std::ptrdiff_t>(at));
                break;
            case 4:
                body.resize(at);
                break;
            case 5:
                type = static_cast<std::uint8_t>(rng() % 22);
                break; // decode as another message
            }
        }
        const std::optional<KeyExchangeKind> kind = kinds[rng() % std::size(kinds)];
        const std::size_t base = 5;

        std::vector<Field> fields;
        std::string summary;
        try {
            fields = describeHandshake(type, body, base, kind);
            summary = handshakeSummary(type, body, kind);
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("round %1 threw: %2").arg(round).arg(e.what())));
        }
        const std::string misplaced = misplacedField(fields, base, base + 4 + body.size());
        if (!misplaced.empty())
            QFAIL(qPrintable(QString("round %1: %2").arg(round).arg(q(misplaced))));

        // Whatever a decoder accepts must re-serialize to the same bytes.
        const bool needsKind = type == 12 || type == 16;
        if (!hasDecoder(type) || (needsKind && !kind))
            continue;
        try {
            const Bytes again = reserialize(type, body, kind);
            ++accepted;
            if (again != body)
                QFAIL(qPrintable(QString("round %1: accepted bytes did not re-serialize identically").arg(round)));
            QVERIFY(fields.back().name != "error");
        } catch (const TlsError&) {
            ++refused;
            QCOMPARE(q(fields.back().name), QString("error"));
        }
    }
    // The mutations must exercise both outcomes, or the test proves little.
    QVERIFY2(accepted > 50, qPrintable(QString("only %1 mutations decoded").arg(accepted)));
    QVERIFY2(refused > 1000, qPrintable(QString("only %1 mutations were refused").arg(refused)));
}

QTEST_APPLESS_MAIN(TestMessagesRejects)
#include "test_messages_rejects.moc"
