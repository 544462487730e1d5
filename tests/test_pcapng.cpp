// The pcapng export: blocks that parse back by the format's own rules, IPv4 and TCP checksums that verify, every
// record's bytes on the wire in trace order, the key log inside, byte-for-byte repeatability, and, when tshark is
// installed, an independent TLS implementation decrypting the capture.
#include "pki.h"
#include "scenario_library.h"
#include "session_support.h"

#include "crypto/cipher_suite.h"
#include "session/session.h"
#include "trace/pcapng.h"
#include "trace/trace_format.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace hl;

namespace {


// The test reads the file with its own little- and big-endian helpers, sharing no code with the writer.
std::uint32_t le32(ByteView b, std::size_t at)
{
    std::uint32_t v = 0;
    for (std::size_t i = 4; i-- > 0;)
        v = v << 8 | b[at + i];
    return v;
}
std::uint16_t le16(ByteView b, std::size_t at)
{
    return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}
std::uint16_t be16(ByteView b, std::size_t at)
{
    return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}
std::uint32_t be32(ByteView b, std::size_t at)
{
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i)
        v = v << 8 | b[at + i];
    return v;
}

// RFC 1071 §1: summing a header together with its stored checksum gives all ones when the checksum is right.
bool sumsToAllOnes(ByteView data)
{
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < data.size(); i += 2)
        sum += static_cast<std::uint64_t>(data[i]) << 8 | (i + 1 < data.size() ? data[i + 1] : 0);
    while (sum > 0xFFFF)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return sum == 0xFFFF;
}

struct Block {
    std::uint32_t type = 0;
    Bytes body;
};

// draft-tuexen-opsawg-pcapng §3.1: every block is type, total length, body, total length; lengths are multiples
// of 4 and the two copies agree. Returns nullopt and says why when a rule is broken.
std::optional<std::vector<Block>> parseBlocks(ByteView file, QString& why)
{
    std::vector<Block> blocks;
    std::size_t pos = 0;
    while (pos < file.size()) {
        if (file.size() - pos < 12) {
            why = QString("%1 stray bytes at offset %2").arg(file.size() - pos).arg(pos);
            return std::nullopt;
        }
        const std::uint32_t type = le32(file, pos);
        const std::uint32_t total = le32(file, pos + 4);
        if (total % 4 || total < 12 || total > file.size() - pos) {
            why = QString("block %1 at offset %2 has total length %3").arg(blocks.size()).arg(pos).arg(total);
            return std::nullopt;
        }
        if (le32(file, pos + total - 4) != total) {
            why = QString("block %1: trailing length %2 differs from leading %3")
                      .arg(blocks.size())
                      .arg(le32(file, pos + total - 4))
                      .arg(total);
            return std::nullopt;
        }
        const ByteView body = file.subspan(pos + 8, total - 12);
        blocks.push_back({type, Bytes(body.begin(), body.end())});
        pos += total;
    }
    return blocks;
}

struct Segment {
    std::uint64_t micros = 0;
    bool fromClient = true;
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    Bytes payload;
    std::string comment;
    bool ipChecksumOk = false, tcpChecksumOk = false;
    std::size_t ipTotalLength = 0;
};

constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

// An Enhanced Packet Block (§4.3) holding raw IPv4 (RFC 791) carrying TCP (RFC 9293).
std::optional<Segment> parseSegment(const Block& b, const PcapngOptions& o, QString& why)
{
    const ByteView body = b.body;
    if (body.size() < 20) {
        why = "packet block too short";
        return std::nullopt;
    }
    Segment s;
    s.micros = static_cast<std::uint64_t>(le32(body, 4)) << 32 | le32(body, 8);
    const std::uint32_t captured = le32(body, 12);
    if (captured != le32(body, 16) || 20 + captured > body.size()) {
        why = "captured and original lengths differ, or exceed the block";
        return std::nullopt;
    }
    const ByteView ip = body.subspan(20, captured);
    // Options after the padded packet data: the comment is option 1 (§3.5).
    for (std::size_t p = 20 + (captured + 3) / 4 * 4; p + 4 <= body.size();) {
        const std::uint16_t code = le16(body, p), len = le16(body, p + 2);
        if (code == 0)
            break;
        if (code == 1)
            s.comment.assign(reinterpret_cast<const char*>(body.data() + p + 4), len);
        p += 4 + (len + 3u) / 4 * 4;
    }
    if (ip.size() < 40 || ip[0] != 0x45 || ip[9] != 6) {
        why = "not an IPv4 packet with a 20-byte header carrying TCP";
        return std::nullopt;
    }
    s.ipTotalLength = be16(ip, 2);
    if (s.ipTotalLength != ip.size()) {
        why = QString("IPv4 total length %1, packet of %2 bytes").arg(s.ipTotalLength).arg(ip.size());
        return std::nullopt;
    }
    const Bytes loopback{127, 0, 0, 1};
    if (!std::equal(loopback.begin(), loopback.end(), ip.begin() + 12) ||
        !std::equal(loopback.begin(), loopback.end(), ip.begin() + 16)) {
        why = "addresses are not 127.0.0.1";
        return std::nullopt;
    }
    s.ipChecksumOk = sumsToAllOnes(ip.first(20));
    const ByteView tcp = ip.subspan(20);
    // RFC 9293 §3.1 pseudo-header: source, destination, zero, protocol 6, TCP length.
    Bytes pseudo{127, 0, 0, 1, 127, 0, 0, 1, 0, 6};
    pseudo.push_back(static_cast<std::uint8_t>(tcp.size() >> 8));
    pseudo.push_back(static_cast<std::uint8_t>(tcp.size()));
    append(pseudo, tcp);
    s.tcpChecksumOk = sumsToAllOnes(pseudo);
    s.srcPort = be16(tcp, 0);
    s.dstPort = be16(tcp, 2);
    s.fromClient = s.srcPort == o.clientPort;
    s.seq = be32(tcp, 4);
    s.ack = be32(tcp, 8);
    const std::size_t headerLength = (tcp[12] >> 4) * 4u;
    s.flags = tcp[13];
    s.payload.assign(tcp.begin() + static_cast<std::ptrdiff_t>(headerLength), tcp.end());
    return s;
}

Trace run(const std::string& scenario, const std::string& suite = {}, std::uint64_t seed = 7,
          Interceptor* interceptor = nullptr)
{
    return hltest::runDemo(scenario, {suite.empty() ? std::uint16_t(0) : findCipherSuite(suite)->id, seed, interceptor});
}

using hltest::records;

// Rewrites one record on the wire, so the trace holds a record noted "modified in transit".
class FlipLastByte : public Interceptor {
public:
    explicit FlipLastByte(std::size_t index) : m_index(index) {}
    InterceptAction onRecord(Side, std::size_t index, Bytes& record, std::string& note) override
    {
        if (index == m_index) {
            record.back() ^= 0x01;
            note = "flipped the last bit";
        }
        return InterceptAction::Pass;
    }

private:
    std::size_t m_index;
};

// Everything the structure test checks about one file; an empty string when all holds.
QString checkCapture(const Trace& trace, const Bytes& file, const PcapngOptions& o)
{
    QString why;
    const auto blocks = parseBlocks(file, why);
    if (!blocks)
        return why;
    if (blocks->size() < 2 || (*blocks)[0].type != 0x0A0D0D0A || le32((*blocks)[0].body, 0) != 0x1A2B3C4D ||
        le16((*blocks)[0].body, 4) != 1)
        return "the file does not start with a version 1 little-endian Section Header Block";
    if ((*blocks)[1].type != 1 || le16((*blocks)[1].body, 0) != 101)
        return "the second block is not a LINKTYPE_RAW Interface Description Block";

    const std::string keyLog = traceToKeyLog(trace);
    std::size_t secretsBlocks = 0;
    std::vector<Segment> segments;
    for (std::size_t i = 2; i < blocks->size(); ++i) {
        const Block& b = (*blocks)[i];
        if (b.type == 0x0000000A) {
            if (!segments.empty())
                return "the Decryption Secrets Block comes after packets";
            ++secretsBlocks;
            const std::uint32_t length = le32(b.body, 4);
            if (le32(b.body, 0) != 0x544C534B || length > b.body.size() - 8)
                return "the secrets block is not a TLS key log";
            if (asString(ByteView(b.body).subspan(8, length)) != keyLog)
                return "the secrets block does not carry exactly the trace's key log";
        } else if (b.type == 6) {
            auto s = parseSegment(b, o, why);
            if (!s)
                return QString("packet %1: %2").arg(segments.size() + 1).arg(why);
            segments.push_back(std::move(*s));
        } else {
            return QString("unexpected block type %1").arg(b.type);
        }
    }
    const std::size_t expectedSecrets = o.embedKeys && !keyLog.empty() ? 1 : 0;
    if (secretsBlocks != expectedSecrets)
        return QString("%1 secrets blocks, expected %2").arg(secretsBlocks).arg(expectedSecrets);
    if (segments.size() < 6)
        return "fewer packets than the TCP handshake and close need";

    // Sequence and acknowledgment numbers follow RFC 9293: SYN and FIN take one number, data its length.
    std::uint32_t next[2] = {segments[0].seq, segments[1].seq};
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const Segment& s = segments[i];
        const QString at = QString("packet %1: ").arg(i + 1);
        if (!s.ipChecksumOk)
            return at + "IPv4 header checksum does not verify";
        if (!s.tcpChecksumOk)
            return at + "TCP checksum does not verify";
        const bool portsMatch =
            s.fromClient ? s.dstPort == o.serverPort : s.srcPort == o.serverPort && s.dstPort == o.clientPort;
        if (!portsMatch)
            return at + "ports are not the conversation's";
        if (i > 0 && s.micros <= segments[i - 1].micros)
            return at + "timestamp does not increase";
        const int me = s.fromClient ? 0 : 1;
        if (s.seq != next[me])
            return at + QString("seq %1, expected %2").arg(s.seq).arg(next[me]);
        next[me] += static_cast<std::uint32_t>(s.payload.size()) + ((s.flags & (kSyn | kFin)) ? 1 : 0);
        if ((s.flags & kAck) && i > 0 && s.ack != next[1 - me])
            return at + QString("ack %1, expected %2").arg(s.ack).arg(next[1 - me]);
        if (s.payload.size() > o.maxSegment)
            return at + "payload longer than maxSegment";
    }
    const std::size_t n = segments.size();
    if (segments[0].flags != kSyn || !segments[0].fromClient || segments[1].flags != (kSyn | kAck) ||
        segments[1].fromClient || segments[2].flags != kAck || !segments[2].fromClient)
        return "the capture does not open with SYN, SYN/ACK, ACK";
    if (segments[n - 3].flags != (kFin | kAck) || segments[n - 2].flags != (kFin | kAck) ||
        segments[n - 1].flags != kAck)
        return "the capture does not close with FIN/ACK, FIN/ACK, ACK";

    // Each record, in trace order, is the payload of the next segments from its sender, nothing else in between.
    std::size_t k = 3;
    for (const RecordEvent* r : records(trace)) {
        Bytes carried;
        const std::size_t first = k;
        while (carried.size() < r->wire.size() && k < n - 3) {
            const Segment& s = segments[k++];
            if (s.fromClient != (r->from == Side::Client))
                return QString("packet %1 comes from the wrong side").arg(k);
            if (!(s.flags & kAck) || s.flags & (kSyn | kFin))
                return QString("packet %1: data segment without ACK, or with SYN or FIN").arg(k);
            append(carried, s.payload);
            if (((s.flags & kPsh) != 0) != (carried.size() >= r->wire.size()))
                return QString("packet %1: PSH does not mark the record's last segment").arg(k);
        }
        if (carried != r->wire)
            return QString("packets %1..%2 do not carry the record's bytes").arg(first + 1).arg(k);
        if (!r->wire.empty() && segments[first].comment != r->note)
            return QString("packet %1: comment \"%2\", record note \"%3\"")
                .arg(first + 1)
                .arg(QString::fromStdString(segments[first].comment), QString::fromStdString(r->note));
    }
    if (k != n - 3)
        return "packets carry data that is not a record of the trace";
    return {};
}

struct Tshark {
    QString error;                // set when tshark did not run
    int finished = 0;             // Finished messages it decrypted
    QList<int> alerts;            // alert descriptions it could read
    Bytes clientData, serverData; // the decrypted application data of each direction
    QStringList problems;         // expert infos of warning severity or worse
};

// Runs tshark on the file with nothing but `extra` preferences: the default key log file is set empty so a
// personal preference cannot help it decrypt.
Tshark runTshark(const QString& tshark, const QString& file, const QStringList& extra)
{
    QProcess p;
    QStringList args{"-r", file, "-o", "tls.keylog_file:"};
    args += extra;
    args += {"-T", "fields",
             "-e", "tls.handshake.type",
             "-e", "tls.alert_message.desc",
             "-e", "_ws.expert.severity",
             "-e", "_ws.expert.message",
             "-z", "follow,tls,raw,0"};
    p.start(tshark, args);
    Tshark t;
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        t.error = "tshark failed: " + p.readAllStandardError();
        return t;
    }
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split('\n');
    bool inFollow = false;
    for (const QString& line : lines) {
        if (line.startsWith("====")) {
            inFollow = !inFollow;
            continue;
        }
        if (inFollow) {
            // Follow output: a header, then one hex line per chunk; the server's are indented by a tab.
            static const QRegularExpression hex("^\\t?[0-9a-f]+$");
            if (!hex.match(line).hasMatch())
                continue;
            const Bytes data = fromHex(line.trimmed().toStdString());
            append(line.startsWith('\t') ? t.serverData : t.clientData, data);
            continue;
        }
        const QStringList f = line.split('\t');
        if (f.size() < 4)
            continue;
        for (const QString& type : f[0].split(',', Qt::SkipEmptyParts))
            t.finished += type == "20";
        for (const QString& d : f[1].split(',', Qt::SkipEmptyParts))
            t.alerts.push_back(d.toInt());
        const QStringList severities = f[2].split(',', Qt::SkipEmptyParts);
        const QStringList messages = f[3].split(',');
        for (int i = 0; i < severities.size(); ++i)
            if (severities[i].toUInt() >= 0x00600000) // PI_WARN in epan/proto.h
                t.problems << (i < messages.size() ? messages[i] : severities[i]);
    }
    return t;
}

bool writeFile(const QString& path, ByteView data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) &&
           f.write(reinterpret_cast<const char*>(data.data()), static_cast<qint64>(data.size())) ==
               static_cast<qint64>(data.size());
}

} // namespace

class TestPcapng : public QObject {
    Q_OBJECT
private slots:
    void captureFollowsTheFormatAndCarriesEveryRecord_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("suite");
        QTest::addColumn<int>("maxSegment");
        QTest::addColumn<bool>("embedKeys");
        QTest::addColumn<int>("tamperRecord"); // -1: none
        const int whole = static_cast<int>(kMaxTcpPayload);
        const auto row = [](const char* name, const char* scenario, const char* suite, int maxSegment, bool embedKeys,
                            int tamperRecord) {
            QTest::newRow(name) << QString(scenario) << QString(suite) << maxSegment << embedKeys << tamperRecord;
        };
        row("default", "default", "", whole, true, -1);
        row("rsa, cbc", "rsa", "", whole, true, -1);
        row("dhe", "dhe", "", whole, true, -1);
        row("chacha", "chacha", "", whole, true, -1);
        row("client auth", "client-auth", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", whole, true, -1);
        row("failed before any key", "wrong-host", "", whole, true, -1);
        row("failed after keys", "client-auth-missing", "", whole, true, -1);
        row("100-byte segments", "default", "", 100, true, -1);
        row("1-byte segments", "rsa", "TLS_RSA_WITH_AES_256_CBC_SHA256", 1, true, -1);
        row("keys left out", "default", "", whole, false, -1);
        row("record modified in transit", "default", "", whole, true, 1);
    }
    void captureFollowsTheFormatAndCarriesEveryRecord()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, suite);
        QFETCH(int, maxSegment);
        QFETCH(bool, embedKeys);
        QFETCH(int, tamperRecord);
        std::optional<FlipLastByte> tamper;
        if (tamperRecord >= 0)
            tamper.emplace(static_cast<std::size_t>(tamperRecord));
        const Trace trace = run(scenario.toStdString(), suite.toStdString(), 7, tamper ? &*tamper : nullptr);
        PcapngOptions o;
        o.maxSegment = static_cast<std::size_t>(maxSegment);
        o.embedKeys = embedKeys;
        o.clientPort = 50123;
        const QString problem = checkCapture(trace, traceToPcapng(trace, o), o);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        if (tamper) {
            const auto rs = records(trace);
            QVERIFY(std::any_of(rs.begin(), rs.end(),
                                [](const RecordEvent* r) { return r->note.rfind("modified in transit", 0) == 0; }));
        }
    }

    // The checks above must be able to fail: damage a good file in one place and each is noticed.
    void damageIsNoticed_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("noticed");
        const auto row = [](const char* name, const char* damage, const char* noticed) {
            QTest::newRow(name) << QString(damage) << QString(noticed);
        };
        row("IPv4 header byte", "ip", "IPv4 header checksum");
        row("record byte", "payload", "TCP checksum");
        row("key log byte", "keylog", "key log");
        row("trailing block length", "length", "trailing length");
        row("record missing from the trace", "record", "not a record");
    }
    void damageIsNoticed()
    {
        QFETCH(QString, damage);
        QFETCH(QString, noticed);
        Trace trace = run("default");
        Bytes file = traceToPcapng(trace);
        // Offsets of the blocks, walked with the lengths the format promises.
        std::vector<std::pair<std::uint32_t, std::size_t>> blocks;
        for (std::size_t pos = 0; pos < file.size(); pos += le32(file, pos + 4))
            blocks.emplace_back(le32(file, pos), pos);
        const auto nth = [&](std::uint32_t type, std::size_t n) {
            for (const auto& [t, at] : blocks)
                if (t == type && n-- == 0)
                    return at;
            return std::size_t{0};
        };
        if (damage == "ip")
            file[nth(6, 0) + 28 + 8] ^= 0x01; // time to live of the SYN
        else if (damage == "payload")
            file[nth(6, 3) + 28 + 40 + 10] ^= 0x01; // inside the ClientHello
        else if (damage == "keylog")
            file[nth(0x0A, 0) + 16 + 20] ^= 0x01;
        else if (damage == "length")
            file[file.size() - 4] += 4;
        else {
            // The last record (the server's close_notify) is left out of the trace but not of the file.
            Trace shorter;
            const auto& events = trace.events();
            const auto last = std::find_if(events.rbegin(), events.rend(),
                                           [](const TraceEvent& e) { return std::holds_alternative<RecordEvent>(e); });
            for (auto it = events.begin(); it != events.end(); ++it)
                if (it != std::prev(last.base()))
                    shorter.add(*it);
            trace = shorter;
        }
        const QString problem = checkCapture(trace, file, PcapngOptions{});
        QVERIFY2(problem.contains(noticed), qPrintable("\"" + problem + "\" does not mention " + noticed));
    }

    // TLS records never need it, but a longer payload must still become valid IPv4 packets.
    void oversizedRecordIsSplitIntoValidPackets()
    {
        Trace trace;
        RecordEvent r;
        r.from = Side::Server;
        for (std::size_t i = 0; i < 3 * kMaxTcpPayload / 2; ++i)
            r.wire.push_back(static_cast<std::uint8_t>(i * 7));
        trace.add(r);
        const QString problem = checkCapture(trace, traceToPcapng(trace), PcapngOptions{});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void sameSeedGivesTheSameFile()
    {
        const Bytes a = traceToPcapng(run("default", {}, 21));
        const Bytes b = traceToPcapng(run("default", {}, 21));
        const Bytes c = traceToPcapng(run("default", {}, 22));
        QVERIFY(a == b);
        QVERIFY(a != c);
        PcapngOptions later;
        later.startTime = hltest::kDemoNow + 60;
        QVERIFY(traceToPcapng(run("default", {}, 21), later) != a);
    }

    void tsharkDecryptsTheCapture_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("suite");
        QTest::addColumn<int>("maxSegment");
        QTest::addColumn<QString>("keys"); // embedded, file, none
        const int whole = static_cast<int>(kMaxTcpPayload);
        const auto row = [](const char* name, const char* scenario, const char* suite, int maxSegment,
                            const char* keys) {
            QTest::newRow(name) << QString(scenario) << QString(suite) << maxSegment << QString(keys);
        };
        row("default, keys embedded", "default", "", whole, "embedded");
        row("chacha20", "chacha", "", whole, "embedded");
        row("rsa, cbc", "rsa", "TLS_RSA_WITH_AES_128_CBC_SHA", whole, "embedded");
        row("records over several segments", "ecdsa", "", 100, "embedded");
        row("dhe, separate key log file", "dhe", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", whole, "file");
        row("no keys: nothing decrypted", "default", "", whole, "none");
    }
    void tsharkDecryptsTheCapture()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, suite);
        QFETCH(int, maxSegment);
        QFETCH(QString, keys);
        const QString tshark = QStandardPaths::findExecutable("tshark");
        if (tshark.isEmpty())
            QSKIP("tshark is not installed (scripts/setup.sh --tests installs it)");
        const Trace trace = run(scenario.toStdString(), suite.toStdString(), 9);
        QVERIFY(trace.outcome.completed);
        PcapngOptions o;
        o.maxSegment = static_cast<std::size_t>(maxSegment);
        o.embedKeys = keys == "embedded";
        QTemporaryDir dir;
        const QString capture = dir.filePath("run.pcapng");
        const QString keyLog = dir.filePath("keys.log");
        QVERIFY(writeFile(capture, traceToPcapng(trace, o)));
        QVERIFY(writeFile(keyLog, asBytes(traceToKeyLog(trace))));
        const Tshark t =
            runTshark(tshark, capture, keys == "file" ? QStringList{"-o", "tls.keylog_file:" + keyLog} : QStringList{});
        QVERIFY2(t.error.isEmpty(), qPrintable(t.error));
        const Scenario& s = *app::findScenario(scenario.toStdString());
        if (keys == "none") {
            QCOMPARE(t.finished, 0);
            QVERIFY(t.clientData.empty() && t.serverData.empty());
            return;
        }
        QVERIFY2(t.problems.isEmpty(), qPrintable(t.problems.join("; ")));
        QCOMPARE(t.finished, 2);
        QCOMPARE(asString(t.clientData), s.request);
        QCOMPARE(asString(t.serverData), s.response);
        // Both close_notify alerts, read inside the encrypted records.
        QCOMPARE(t.alerts, (QList<int>{0, 0}));
    }

    void tsharkShowsTheAlertOfAFailedRun()
    {
        const QString tshark = QStandardPaths::findExecutable("tshark");
        if (tshark.isEmpty())
            QSKIP("tshark is not installed (scripts/setup.sh --tests installs it)");
        const Trace trace = run("wrong-host");
        QVERIFY(!trace.outcome.completed);
        QVERIFY(trace.outcome.alert != 0);
        QTemporaryDir dir;
        const QString capture = dir.filePath("failed.pcapng");
        QVERIFY(writeFile(capture, traceToPcapng(trace)));
        const Tshark t = runTshark(tshark, capture, {});
        QVERIFY2(t.error.isEmpty(), qPrintable(t.error));
        QCOMPARE(t.alerts, QList<int>{trace.outcome.alert});
        QCOMPARE(t.finished, 0);
    }
};

QTEST_GUILESS_MAIN(TestPcapng)
#include "test_pcapng.moc"
