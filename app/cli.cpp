// The command line. `handshakelab` alone opens the GUI; `run`, `connect` and `serve` work headless and print the
// same trace. Argument errors exit 2 with one line naming the argument; a failed handshake exits 1.
#include "cli.h"

#include "cli_args.h"
#include "directory_source.h"
#include "export_command.h"
#include "gui.h"
#include "http_page.h"
#include "net.h"
#include "pki.h"
#include "scenario_library.h"

#include "crypto/rng.h"
#include "trace/pcapng.h"
#include "trace/trace_format.h"
#include "x509/ocsp.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace hl::app {

namespace {

constexpr const char* kUsage = R"(Usage:
  handshakelab [--scenario NAME|FILE.yaml] [--seed N] [--detail messages|keys|all] [--predict] [--present]
               [--theme light|dark] [--step N|end] [--screenshot FILE.png] [Qt options]
                                       open the classroom window (on the default scenario unless one is named)
  handshakelab run [SCENARIO|FILE.yaml] [--seed N] [VERSIONS AND SUITES] [--server-suite LIST] [--server-min-version V]
                   [--server-max-version V] [--client-auth] [--crl FILE] [--format text|json] [--keylog FILE]
                   [--pcap FILE]
                                       run a handshake in memory and print its trace
  handshakelab connect HOST:PORT [--ca PEM] [--crl FILE] [--servername NAME] [VERSIONS AND SUITES]
                       [--cert PEM --key PEM] [--send TEXT] [--format text|json] [--keylog FILE] [--pcap FILE] [--timeout SECONDS]
                       [--session-out FILE] [--session-in FILE] [--no-ticket] [--renegotiate] [--status]
                                       the engine's client against a real TLS server; save a session (and its
                                       ticket) to FILE, or offer the one saved there for resumption (like s_client
                                       -sess_out/-sess_in); --no-ticket neither asks for nor presents a ticket;
                                       --renegotiate starts a second handshake once the first is done; --status asks
                                       for a stapled OCSP response (like s_client -status)
  handshakelab serve --port N [--cert PEM --key PEM] [VERSIONS AND SUITES] [--verify-client CA_PEM]
                     [--request-client CA_PEM] [--crl FILE] [--ocsp FILE.der]
                     [--directory ldap://HOST:PORT/BASE_DN|FILE.ldif] [--directory-match dn|ATTRIBUTE]
                     [--forever] [--max-clients N] [--http] [--no-ticket]
                     [--no-renegotiation] [--format text|json] [--keylog FILE] [--pcap FILE] [--timeout SECONDS]
                     [--handshake-timeout SECONDS]
                                       the engine's server on 127.0.0.1 for real TLS clients: echoes data, or with
                                       --http answers each request with a page describing its handshake; --forever
                                       serves up to --max-clients (64) at once, the others wait their turn; it
                                       resumes sessions by ID and by ticket (--no-ticket issues none) and
                                       renegotiates when a client asks (--no-renegotiation refuses)
  handshakelab export [SCENARIO|FILE.json] -o FILE [-o FILE...] [--seed N] [run's options] [--client-auth]
                      [--detail messages|keys|all] [--steps A-B | --until STEP] [--theme light|dark|print]
                      [--title TEXT] [--page slide|a4|letter|tall] [--scale N] [--per-step | --handout]
                                       draw a run to .svg .png .pdf .puml .mmd, or save it as .json or .pcapng
  handshakelab view FILE.json [--step N|end] [--theme light|dark]
                                       open a saved trace in the window (step through it; no new run)
  handshakelab scenarios               list the scenarios by topic: the shipped ones and your own files
  handshakelab check FILE...           validate scenario files: every key, then a seeded dry run in memory
  handshakelab suites                  list the cipher suites: IANA name, versions, and why a suite is insecure

VERSIONS AND SUITES:
  --min-version V, --max-version V     V is ssl3, tls1.0, tls1.1 or tls1.2 (default: tls1.2 only)
  --suite LIST                         suites by IANA name, comma-separated or repeated: the client's offer or the
                                       server's accepted list, in order (default: modern suites, strongest first)
  --server-preference | --client-preference
                                       whose order the server follows (default: its own)
  --fallback-scsv                      client: mark this connection as a retry at lower versions (RFC 7507)
  --cbc-split                          SSL 3.0 / TLS 1.0 CBC: the 1/n-1 record split against BEAST
In run and export, --suite, --min-version and --max-version set both sides; the --server-* options set the server
alone.

CERTIFICATES:
  --crl FILE                           a revocation list (PEM or DER; repeat for several): the peer's certificate
                                       must be covered by its issuer's list and not on it (run: both sides)
  --renegotiate                        connect: after the handshake, start a second one on the same connection
                                       (a new ClientHello under the current keys, RFC 5746), then send the data
  --no-renegotiation                   serve: answer a client's new ClientHello with a no_renegotiation warning
                                       (by default serve renegotiates when the client asks, as with s_client's R)
  --verify-client CA_PEM               serve: require a client certificate issued under these CAs
  --request-client CA_PEM              serve: ask for one, and go on without it when the client has none
  --status                             connect: ask for a stapled OCSP response (status_request) and check it
  --ocsp FILE.der                      serve: staple this OCSP response when a client asks (like s_server -status_file)
  --directory ldap://HOST:PORT/BASE_DN | FILE.ldif
                                       serve: accept a client certificate only if it is stored in its user's entry
                                       (userCertificate); refused with access_denied otherwise
  --directory-match dn|ATTRIBUTE       how the entry is found: the subject DN as the entry's DN, or the entry under
                                       BASE_DN whose ATTRIBUTE equals the subject's (default: cn)

TIMEOUTS (connect, serve):
  --timeout SECONDS                    idleness: the longest wait for the peer's next bytes (default 10)
  --handshake-timeout SECONDS          serve: the whole handshake must finish within this (default 30)

--keylog FILE appends the NSS key log (CLIENT_RANDOM lines); --pcap FILE writes the records as a pcapng capture
with the keys inside, which Wireshark and tshark decrypt with no setting.

Exit status: run: 0 the scenario ended as it declares (completed, or failed with its alert), 1 it did not, 2 bad
arguments or a broken scenario file (FILE:LINE: what is wrong). connect and serve: 0 handshake completed, 1 failed.
export: 0 every file written (whatever the handshake's outcome), 2 bad arguments or a file not written (then the
command leaves no file behind).
)";

enum class Format { Text, Json };
Format parseFormat(const Args& a)
{
    const std::string f = a.value("format").value_or("text");
    if (f == "text")
        return Format::Text;
    if (f == "json")
        return Format::Json;
    throw UsageError("--format must be text or json, got \"" + f + "\"");
}

std::int64_t systemNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// With --seed the clock is pinned too, so every byte and every sentence of the trace repeats.

// Opens the key log before the run so an unwritable path fails early, as a bad argument.
// A saved session as `connect --session-out` writes it: one "key: value" line each, hex for bytes. It holds the
// master secret, so it is as secret as a key log.
constexpr const char* kSessionHeader = "HandshakeLab TLS session";

void writeSessionFile(const std::string& path, const SavedSession& s)
{
    std::ofstream f(path, std::ios::trunc);
    if (!f)
        throw UsageError("cannot write the session file " + path);
    f << kSessionHeader << '\n'
      << "session_id: " << toHex(s.sessionId) << '\n'
      << "master_secret: " << toHex(s.masterSecret) << '\n'
      << "cipher_suite: " << cipherSuiteName(s.cipherSuite) << '\n'
      << "suite_id: " << s.cipherSuite << '\n'
      << "version: " << s.version << '\n'
      << "extended_master_secret: " << (s.extendedMasterSecret ? "yes" : "no") << '\n'
      << "created: " << s.createdAt << '\n';
    if (!s.ticket.empty())
        f << "ticket: " << toHex(s.ticket) << '\n' << "ticket_lifetime_hint: " << s.ticketLifetimeHint << '\n';
    for (const Bytes& c : s.peerCertificates)
        f << "peer_certificate: " << toHex(c) << '\n';
}

SavedSession readSessionFile(const std::string& path)
{
    std::ifstream f(path);
    std::string line;
    if (!f || !std::getline(f, line) || line != kSessionHeader)
        throw UsageError("--session-in: " + path + " is not a session file written by connect --session-out");
    SavedSession s;
    try {
        while (std::getline(f, line)) {
            const auto colon = line.find(": ");
            if (colon == std::string::npos)
                continue;
            const std::string key = line.substr(0, colon), value = line.substr(colon + 2);
            if (key == "session_id")
                s.sessionId = fromHex(value);
            else if (key == "master_secret")
                s.masterSecret = fromHex(value);
            else if (key == "suite_id")
                s.cipherSuite = static_cast<std::uint16_t>(std::stoul(value));
            else if (key == "version")
                s.version = static_cast<ProtocolVersion>(std::stoul(value));
            else if (key == "extended_master_secret")
                s.extendedMasterSecret = value == "yes";
            else if (key == "created")
                s.createdAt = std::stoll(value);
            else if (key == "peer_certificate")
                s.peerCertificates.push_back(fromHex(value));
            else if (key == "ticket")
                s.ticket = fromHex(value);
            else if (key == "ticket_lifetime_hint")
                s.ticketLifetimeHint = static_cast<std::uint32_t>(std::stoul(value));
        }
    } catch (const std::exception& e) {
        throw UsageError("--session-in: " + path + " is damaged: " + e.what());
    }
    // RFC 5077 §3.4: a session saved with a ticket may have no ID of its own; it needs one or the other.
    if ((s.sessionId.empty() && s.ticket.empty()) || s.sessionId.size() > 32 || s.ticket.size() > 0xffff ||
        s.masterSecret.size() != 48 || !findCipherSuite(s.cipherSuite))
        throw UsageError("--session-in: " + path +
                         " lacks a session ID or ticket, a 48-byte master secret or a known suite");
    return s;
}

std::unique_ptr<std::ofstream> openKeyLog(const Args& a)
{
    const auto path = a.value("keylog");
    if (!path)
        return nullptr;
    auto out = std::make_unique<std::ofstream>(*path, std::ios::app);
    if (!*out)
        throw UsageError("--keylog: cannot write " + *path + ": " + std::strerror(errno));
    return out;
}

// The capture file, also opened before the run. `serve --forever` adds one pcapng section per connection, which
// Wireshark reads as one capture.
struct CaptureFile {
    std::string path;
    std::ofstream out;
};

std::unique_ptr<CaptureFile> openCapture(const Args& a)
{
    const auto path = a.value("pcap");
    if (!path)
        return nullptr;
    auto c = std::make_unique<CaptureFile>();
    c->path = *path;
    c->out.open(*path, std::ios::binary | std::ios::trunc);
    if (!c->out)
        throw UsageError("--pcap: cannot write " + *path + ": " + std::strerror(errno));
    return c;
}

void writeCapture(CaptureFile& capture, const Trace& trace, const PcapngOptions& options)
{
    const Bytes file = traceToPcapng(trace, options);
    capture.out.write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
    capture.out.flush();
    if (!capture.out)
        throw UsageError("--pcap: cannot write " + capture.path + ": " + std::strerror(errno));
}

struct Outputs {
    Format format = Format::Text;
    std::ofstream* keylog = nullptr;
    CaptureFile* capture = nullptr;
    PcapngOptions pcap;
    bool failureDeclared = false; // run: the scenario says it fails this way, so the failure is the lesson
    std::string label{};          // serve: "connection N: ", so lines of concurrent connections can be told apart
};

int report(const Trace& trace, const Outputs& out)
{
    std::cout << (out.format == Format::Json ? traceToJson(trace) : traceToText(trace));
    std::cout.flush();
    if (out.keylog) {
        *out.keylog << traceToKeyLog(trace);
        out.keylog->flush();
        if (!*out.keylog)
            throw UsageError("--keylog: writing the key log failed: " + std::string(std::strerror(errno)));
    }
    if (out.capture)
        writeCapture(*out.capture, trace, out.pcap);
    if (trace.outcome.completed)
        return 0;
    std::cerr << "handshakelab: " << out.label << "handshake " << outcomeSummary(trace)
              << (out.failureDeclared ? " (as the scenario declares)" : "") << '\n';
    return 1;
}

int cmdRun(int argc, char** argv)
{
    std::set<std::string> valued = kRunValuedOptions;
    valued.insert({"format", "keylog", "pcap"});
    const Args a = parseArgs(argc, argv, 2, valued, kRunFlags);
    if (a.positional.size() > 1)
        throw UsageError("run takes at most one scenario, got \"" + a.positional[1] + "\" too");
    const RunRequest request = runRequestFromArgs(a, a.positional.empty() ? "" : a.positional[0]);
    const RunOptions& opts = request.options;
    const Format format = parseFormat(a);
    auto keylog = openKeyLog(a);
    auto capture = openCapture(a);
    const Trace trace = runScenario(request.scenario, demoPki(), opts);
    Outputs out{format, keylog.get(), capture.get(), {}};
    out.pcap.startTime = opts.now;
    // A scenario declares how it ends; run succeeds when it ends that way, a failure scenario included.
    std::string why;
    const bool asDeclared = meetsExpectation(request.scenario, trace, &why);
    out.failureDeclared = asDeclared && !trace.outcome.completed;
    report(trace, out);
    if (asDeclared)
        return 0;
    std::cerr << "handshakelab: scenario " << request.scenario.name << ": " << why << '\n';
    return 1;
}

// Moves the connection's records onto the socket.
void flushTo(Connection& c, Socket& s)
{
    for (const Bytes& r : c.takeOutgoing())
        s.writeAll(r);
}

// A long connection's trace keeps its handshake and about this many of its latest records (Trace::
// keepOnlyLatestRecords), so memory stays flat however long it talks.
constexpr std::size_t kLatestRecordsKept = 32;
// connect prints at most this much of the reply (a server may stream without end); the rest is counted.
constexpr std::size_t kMaxReplyShown = 64 * 1024;

// How a pump() ended: `done` said so, the connection failed (an alert either way), the peer closed TCP, nothing
// arrived for the idle timeout, or the handshake ran past its deadline.
enum class PumpEnd { Done, Failed, TcpClosed, Idle, HandshakeDeadline };

using SteadyClock = std::chrono::steady_clock;

std::string secondsText(int ms)
{
    return std::to_string(ms / 1000) + " s";
}

// Reads from the socket into the connection until `done` says so, the connection fails, the peer closes TCP, no byte
// arrives for idleMs (each read waits that long, so a live session is never cut while it talks), or the handshake is
// still unfinished at `handshakeDeadline` (a peer that trickles a byte now and then cannot hold the connection).
// Idle or late during the handshake, the connection fails with user_canceled; idle after it, the caller decides.
template <typename Done>
PumpEnd pump(Connection& c, Socket& s, int idleMs, Done done,
             std::optional<SteadyClock::time_point> handshakeDeadline = std::nullopt, int handshakeMs = 0)
{
    for (;;) {
        if (done())
            return PumpEnd::Done;
        if (c.failed())
            return PumpEnd::Failed;
        int wait = idleMs;
        if (handshakeDeadline && !c.handshakeComplete()) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(*handshakeDeadline - SteadyClock::now()).count();
            if (left <= 0) {
                c.abort(AlertDescription::UserCanceled, "the handshake did not finish within " +
                                                            secondsText(handshakeMs) + " (--handshake-timeout)");
                flushTo(c, s);
                return PumpEnd::HandshakeDeadline;
            }
            wait = static_cast<int>(std::min<std::int64_t>(wait, left));
        }
        auto data = s.readSome(wait);
        if (!data) {
            if (wait < idleMs)
                continue; // the handshake deadline came first: the loop's top says so
            if (!c.handshakeComplete()) {
                c.abort(AlertDescription::UserCanceled,
                        "the peer sent nothing for " + secondsText(idleMs) + " (--timeout); giving up");
                flushTo(c, s);
            }
            return PumpEnd::Idle;
        }
        if (data->empty()) {
            if (!c.peerClosed() && !c.handshakeComplete())
                c.abort(AlertDescription::InternalError, "the peer closed the TCP connection during the handshake");
            return PumpEnd::TcpClosed;
        }
        c.receive(*data);
        flushTo(c, s);
    }
}

// connect --renegotiate: a second handshake on the open connection; says on stderr whether the keys changed.
void renegotiateOnce(Client& client, Socket& sock, int timeoutMs)
{
    const Bytes before = client.masterSecret();
    client.renegotiate();
    flushTo(client, sock);
    pump(client, sock, timeoutMs, [&] { return !client.renegotiating(); });
    if (client.failed())
        std::cerr << "renegotiation: failed\n";
    else if (client.masterSecret() != before)
        std::cerr << "renegotiation: handshake " << client.handshakeNumber() << " complete, new keys in use\n";
    else
        std::cerr << "renegotiation: refused by the server; the connection goes on with its first keys\n";
}

void finishOutcome(Trace& trace, const Connection& c)
{
    Outcome& o = trace.outcome;
    o.completed = c.handshakeComplete() && !c.failed();
    if (!o.completed) {
        o.alert = c.failureAlert();
        o.alertFrom = c.failureAlertSentByUs() ? c.side() : peerOf(c.side());
        o.reason = c.failureReason().empty() ? "the handshake did not finish" : c.failureReason();
    }
}

std::optional<Credential> credentialFromArgs(const Args& a)
{
    const auto cert = a.value("cert");
    const auto key = a.value("key");
    if (!cert && !key)
        return std::nullopt;
    if (!cert || !key)
        throw UsageError("--cert and --key go together");
    Credential c;
    try {
        c = Credential{loadCertificates(*cert), loadPrivateKey(*key)};
    } catch (const std::runtime_error& e) {
        throw UsageError(e.what());
    }
    if (c.chain.empty())
        throw UsageError("--cert " + *cert + " holds no certificate");
    // A key that is not the certificate's would fail every handshake later with a baffling bad_record_mac or
    // decrypt_error; say so now.
    if (!(c.key.publicKey() == c.chain.front().publicKey))
        throw UsageError("--key " + *key + " is not the private key of the first certificate in --cert " + *cert +
                         " (" + c.chain.front().subject.toString() + ")");
    return c;
}

std::vector<Certificate> anchorsFromFile(const std::string& option, const std::string& path)
{
    try {
        return loadCertificates(path);
    } catch (const std::runtime_error& e) {
        throw UsageError("--" + option + ": " + e.what());
    }
}

int timeoutMs(const Args& a)
{
    const auto seconds = parseUnsigned("timeout", a.value("timeout").value_or("10"), 3600);
    if (seconds == 0)
        throw UsageError("--timeout must be at least 1 second, got 0");
    return static_cast<int>(seconds) * 1000;
}

// --suite NAME offers (or accepts) that one suite; without it, every suite the engine implements.
std::vector<std::uint16_t> suitesFromArgs(const Args& a, Side side)
{
    std::vector<std::uint16_t> list = suiteList(a, "suite");
    if (!list.empty())
        return list;
    const auto defaults = side == Side::Client ? modernClientOffer() : modernServerPreference();
    return {defaults.begin(), defaults.end()};
}

int cmdConnect(int argc, char** argv)
{
    const Args a = parseArgs(argc, argv, 2,
                             with(kVersionValued, {"ca", "crl", "servername", "cert", "key", "keylog", "pcap", "format",
                                                   "send", "timeout", "seed", "session-out", "session-in"}),
                             with(kVersionFlags, {"no-ticket", "renegotiate", "status"}));
    if (a.positional.size() != 1)
        throw UsageError("connect needs exactly one HOST:PORT");
    const std::string target = a.positional[0];
    const auto colon = target.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw UsageError("HOST:PORT expected, got \"" + target + "\"");
    std::string host = target.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const auto port = static_cast<std::uint16_t>(parseUnsigned("port", target.substr(colon + 1), 65535));
    if (port == 0)
        throw UsageError("HOST:PORT needs a port from 1 to 65535, got 0");
    const Format format = parseFormat(a);
    const int timeout = timeoutMs(a);

    EndpointConfig cfg;
    cfg.cipherSuites = suitesFromArgs(a, Side::Client);
    applyVersionArgs(a, cfg);
    cfg.trustAnchors = a.value("ca") ? anchorsFromFile("ca", *a.value("ca")) : std::vector{demoPki().root};
    cfg.crls = crlsFromArgs(a);
    cfg.serverName = a.value("servername").value_or(host);
    // Like s_client -status: ask for a stapled OCSP response and check it (a server that staples none is accepted).
    cfg.requestCertificateStatus = a.has("status");
    if (auto cred = credentialFromArgs(a))
        cfg.credentials.push_back(std::move(*cred));
    std::unique_ptr<CryptoPP::RandomNumberGenerator> rng;
    if (auto s = a.value("seed"))
        rng = std::make_unique<SeededRng>(parseUnsigned("seed", *s, UINT64_MAX), "client");
    else
        rng = makeSystemRng();
    cfg.now = systemNow();
    if (auto in = a.value("session-in"))
        cfg.resumeSession = readSessionFile(*in);
    // Like s_client: ask for a ticket unless told not to (-no_ticket).
    cfg.sessionTickets = !a.has("no-ticket");
    if (a.has("renegotiate"))
        cfg.renegotiation = RenegotiationPolicy::Allow;
    const std::string line = a.value("send").value_or("Hello from HandshakeLab") + "\n";
    auto keylog = openKeyLog(a);
    auto capture = openCapture(a);

    Socket sock;
    try {
        sock = connectTcp(host, port);
    } catch (const std::runtime_error& e) {
        std::cerr << "handshakelab: " << e.what() << '\n';
        return 1;
    }
    Trace trace;
    trace.scenario = "connect " + target;
    // The handshake in full, then only the latest records: a server that streams for ever does not fill memory.
    // A capture needs every record, so --pcap keeps them all.
    const bool bounded = !capture;
    Client client(cfg, *rng, trace, TraceOptions{true, true});
    // What the server sent back, as much as a terminal shows (the trace counts the rest), and how it ended the
    // connection: a server may close right after the handshake, or send and close without waiting for our line.
    std::string reply;
    std::uint64_t replyBytes = 0;
    bool replyEnded = false; // the last byte read was a newline
    const auto takeReply = [&] {
        for (const Bytes& d : client.takeApplicationData()) {
            replyBytes += d.size();
            if (reply.size() < kMaxReplyShown)
                reply += asString(d).substr(0, kMaxReplyShown - reply.size());
            if (!d.empty())
                replyEnded = d.back() == '\n';
        }
    };
    std::string ending;
    try {
        client.start();
        flushTo(client, sock);
        PumpEnd end = pump(client, sock, timeout, [&] { return client.handshakeComplete(); });
        if (a.has("renegotiate") && end == PumpEnd::Done && client.handshakeComplete() && !client.failed())
            renegotiateOnce(client, sock, timeout);
        if (bounded)
            trace.keepOnlyLatestRecords(kLatestRecordsKept);
        if (client.handshakeComplete() && !client.failed()) {
            takeReply(); // data that came with the server's Finished
            if (!client.peerClosed() && end != PumpEnd::TcpClosed) {
                client.sendApplicationData(asBytes(line));
                flushTo(client, sock);
                end = pump(client, sock, timeout, [&] {
                    takeReply();
                    return replyEnded || client.peerClosed();
                });
                // A server that closes after its reply sends close_notify right behind it: read it if it is on its way,
                // so the line below says who closed first.
                if (end == PumpEnd::Done && !client.peerClosed())
                    end = pump(client, sock, 100, [&] {
                        takeReply();
                        return client.peerClosed();
                    });
            }
            if (end == PumpEnd::TcpClosed && !client.peerClosed())
                ending = "the server closed the TCP connection without close_notify" +
                         (replyBytes ? " after sending " + std::to_string(replyBytes) + " bytes"
                                     : std::string(" right after the handshake")) +
                         " (nothing proves the data was complete: RFC 5246 §7.2.1)";
            else if (client.peerClosed())
                ending = "the server closed the connection with close_notify " +
                         (replyBytes ? "after sending " + std::to_string(replyBytes) + " bytes"
                                     : std::string("right after the handshake, without reading our line"));
            else if (end == PumpEnd::Idle)
                ending = "the server sent no reply within " + secondsText(timeout) + " (--timeout); we closed";
            if (!client.failed() && end != PumpEnd::TcpClosed) {
                const bool theyClosedFirst = client.peerClosed();
                client.close(); // no-op when it already answered the server's close_notify
                flushTo(client, sock);
                // Give the server a moment to answer close_notify so the trace shows both.
                if (!theyClosedFirst) {
                    end = pump(client, sock, 1000, [&] {
                        takeReply();
                        return client.peerClosed();
                    });
                    if (ending.empty())
                        ending = client.peerClosed() ? "we sent close_notify and the server answered with its own"
                                                     : "we sent close_notify; the server did not answer it within 1 s";
                }
            }
        }
    } catch (const std::runtime_error& e) {
        // The socket broke (the server reset the connection, or had closed it as we wrote): the trace so far still
        // shows the handshake.
        if (!client.handshakeComplete())
            client.abort(AlertDescription::InternalError, std::string("the connection broke: ") + e.what());
        ending = std::string("the connection broke: ") + e.what();
    }
    finishOutcome(trace, client);
    if (client.handshakeComplete() && !client.failed()) {
        // As s_client says it: whether the server took the saved session.
        std::cerr << "session: " << (client.resumed() ? "reused" : "new") << '\n';
        if (auto out = a.value("session-out")) {
            if (auto saved = client.savedSession())
                writeSessionFile(*out, *saved);
            else
                std::cerr << "handshakelab: the server gave no session ID and no ticket, so there is no session to "
                             "save\n";
        }
    }
    // The capture shows the conversation on the synthetic ports, so Wireshark dissects it as TLS on 443.
    Outputs out{format, keylog.get(), capture.get(), {}};
    out.pcap.startTime = cfg.now;
    const int rc = report(trace, out);
    if (!ending.empty())
        std::cerr << "closed: " << ending << '\n';
    if (rc == 0 && replyBytes)
        std::cerr << "reply: " << reply << (replyBytes > reply.size() ? "... (" + std::to_string(replyBytes) +
                                                                            " bytes in all)\n"
                                                                      : std::string(replyEnded ? "" : "\n"));
    return rc;
}

// What every connection of one `serve` shares. Each connection runs on its own thread with its own Server, Trace and
// random generator; what they write (stdout, stderr, key log, capture) goes out under one lock, a whole trace at a time.
struct ServeShared {
    EndpointConfig config;
    int idleMs = 10000;
    int handshakeMs = 30000;
    bool http = false;
    Format format = Format::Text;
    std::ofstream* keylog = nullptr;
    CaptureFile* capture = nullptr;
    std::optional<std::uint64_t> seed;
    std::mutex outputLock;
};

// Serves one accepted connection: the handshake within its deadline, then an echo of whatever arrives (or, with
// --http, one page) until the client closes or stays idle. Prints the trace and a line on how the connection ended.
int serveOne(Socket& conn, ServeShared& shared, std::size_t index)
{
    EndpointConfig cfg = shared.config;
    cfg.now = systemNow();
    // Seeded, the first connection draws exactly what a one-connection serve always drew; the others their own stream.
    std::unique_ptr<CryptoPP::RandomNumberGenerator> rng;
    if (shared.seed)
        rng = std::make_unique<SeededRng>(*shared.seed,
                                          index == 1 ? std::string("server") : "server " + std::to_string(index));
    else
        rng = makeSystemRng();
    Trace trace;
    trace.scenario = "serve connection " + std::to_string(index);
    Server server(cfg, *rng, trace, TraceOptions{true, true});
    const std::string who = "connection " + std::to_string(index) + ": ";
    std::string ending; // how the connection ended, when it got past the handshake
    try {
        server.start();
        const auto deadline = SteadyClock::now() + std::chrono::milliseconds(shared.handshakeMs);
        PumpEnd end = pump(
            server, conn, shared.idleMs, [&] { return server.handshakeComplete(); }, deadline, shared.handshakeMs);
        if (!shared.capture)
            trace.keepOnlyLatestRecords(kLatestRecordsKept);
        if (end == PumpEnd::Done && shared.http) {
            // One request, one page, then close_notify (as s_server -www); a request head that never ends is cut.
            std::string head;
            bool answered = false;
            end = pump(server, conn, shared.idleMs, [&] {
                for (const Bytes& d : server.takeApplicationData())
                    head += asString(d);
                if (!server.peerClosed() && (httpHeadEnd(head) || head.size() >= kMaxHttpRequestHead)) {
                    server.sendApplicationData(asBytes(httpResponse(head, handshakeFacts(trace, server))));
                    server.close();
                    flushTo(server, conn);
                    answered = true;
                }
                return answered || server.peerClosed();
            });
            if (answered) {
                // TCP's FIN after close_notify; the client's own close_notify is read if it sends one soon.
                conn.shutdownWrite();
                end = pump(server, conn, 2000, [&] { return server.peerClosed(); });
                ending = "answered the HTTP request and closed with close_notify";
            }
        } else if (end == PumpEnd::Done) {
            // Echo whatever arrives until the client closes; each read waits the idle timeout anew.
            end = pump(server, conn, shared.idleMs, [&] {
                if (!server.failed() && !server.closeSent())
                    for (const Bytes& d : server.takeApplicationData()) {
                        server.sendApplicationData(d);
                        flushTo(server, conn);
                    }
                else
                    server.takeApplicationData();
                return server.peerClosed();
            });
        }
        if (server.handshakeComplete() && !server.failed() && ending.empty()) {
            if (end == PumpEnd::Idle) {
                server.close();
                ending = "the client sent nothing for " + secondsText(shared.idleMs) +
                         " (--timeout); closed it with close_notify";
            } else if (end == PumpEnd::TcpClosed && !server.peerClosed()) {
                ending = "the client closed the TCP connection without close_notify";
            } else if (server.peerClosed()) {
                ending = "the client closed the connection with close_notify";
            }
        }
        flushTo(server, conn);
    } catch (const std::runtime_error& e) {
        // A connection that breaks (reset, write to a closed socket) ends here; its trace still says how far it got.
        if (!server.handshakeComplete())
            server.abort(AlertDescription::InternalError, std::string("the connection broke: ") + e.what());
        ending = std::string("the connection broke: ") + e.what();
    }
    finishOutcome(trace, server);
    Outputs out{shared.format, shared.keylog, shared.capture, {}};
    out.pcap.startTime = cfg.now;
    // One client port per connection keeps the TCP streams apart when several sections share the file.
    out.pcap.clientPort = static_cast<std::uint16_t>(out.pcap.clientPort + (index - 1) % 10000);
    out.label = who;
    const std::lock_guard lock(shared.outputLock);
    const int rc = report(trace, out);
    if (!ending.empty())
        std::cerr << "handshakelab: " << who << ending << '\n';
    return rc;
}

// At most `limit` connections are served at once: the accept loop waits for a free slot, so further clients wait in
// the listen backlog (their TCP connection is made; their handshake starts when a slot frees).
class ConnectionSlots {
public:
    explicit ConnectionSlots(std::size_t limit) : m_free(limit), m_limit(limit) {}
    void acquire()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_free > 0; });
        --m_free;
    }
    void release()
    {
        {
            const std::lock_guard lock(m_mutex);
            ++m_free;
        }
        m_changed.notify_all();
    }
    void waitAllFree()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_free == m_limit; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::size_t m_free, m_limit;
};

int cmdServe(int argc, char** argv)
{
    const Args a = parseArgs(argc, argv, 2,
                             with(kVersionValued, {"port", "cert", "key", "verify-client", "request-client", "crl",
                                                   "keylog", "pcap", "format", "timeout", "handshake-timeout",
                                                   "max-clients", "seed", "ocsp", "directory", "directory-match"}),
                             with(kVersionFlags, {"forever", "http", "no-ticket", "no-renegotiation"}));
    if (!a.positional.empty())
        throw UsageError("serve takes no positional argument, got \"" + a.positional[0] + "\"");
    if (!a.value("port"))
        throw UsageError("serve needs --port N (0 picks a free port)");
    const auto port = static_cast<std::uint16_t>(parseUnsigned("port", *a.value("port"), 65535));
    auto shared = std::make_shared<ServeShared>();
    shared->format = parseFormat(a);
    shared->idleMs = timeoutMs(a);
    const auto handshakeSeconds = parseUnsigned("handshake-timeout", a.value("handshake-timeout").value_or("30"), 3600);
    if (handshakeSeconds == 0)
        throw UsageError("--handshake-timeout must be at least 1 second, got 0");
    shared->handshakeMs = static_cast<int>(handshakeSeconds) * 1000;
    const auto maxClients = parseUnsigned("max-clients", a.value("max-clients").value_or("64"), 4096);
    if (maxClients == 0)
        throw UsageError("--max-clients must be at least 1, got 0");
    shared->http = a.has("http");

    EndpointConfig& cfg = shared->config;
    cfg.cipherSuites = suitesFromArgs(a, Side::Server);
    applyVersionArgs(a, cfg);
    if (auto cred = credentialFromArgs(a))
        cfg.credentials.push_back(std::move(*cred));
    else
        cfg.credentials = {demoPki().serverRsa, demoPki().serverEcdsa};
    if (a.value("verify-client") && a.value("request-client"))
        throw UsageError("--verify-client requires a client certificate and --request-client makes it optional: "
                         "give one of them");
    if (auto ca = a.value("verify-client")) {
        cfg.trustAnchors = anchorsFromFile("verify-client", *ca);
        cfg.clientAuth = ClientAuthMode::Require;
    }
    if (auto ca = a.value("request-client")) {
        cfg.trustAnchors = anchorsFromFile("request-client", *ca);
        cfg.clientAuth = ClientAuthMode::Request;
    }
    cfg.crls = crlsFromArgs(a);
    // A client may renegotiate (openssl s_client's R command), but only securely, with RFC 5746.
    cfg.renegotiation = a.has("no-renegotiation") ? RenegotiationPolicy::Refuse : RenegotiationPolicy::Allow;
    if (auto file = a.value("ocsp")) {
        // Like s_server -status_file: one DER response, stapled for every client that asks.
        Bytes response;
        try {
            const std::string der = readTextFile(*file);
            response.assign(der.begin(), der.end());
            OcspResponse::parse(response);
        } catch (const std::exception& e) {
            throw UsageError(std::string("--ocsp: ") + e.what());
        }
        for (Credential& c : cfg.credentials)
            c.ocspResponse = response;
    }
    if (auto spec = a.value("directory")) {
        if (cfg.clientAuth == ClientAuthMode::None)
            throw UsageError("--directory checks client certificates: give --verify-client or --request-client too");
        try {
            cfg.directory = openDirectory(*spec);
        } catch (const std::runtime_error& e) {
            throw UsageError(std::string("--directory: ") + e.what());
        }
    }
    if (auto m = a.value("directory-match")) {
        if (!cfg.directory)
            throw UsageError("--directory-match says how to find a user in --directory, which is missing");
        try {
            cfg.directoryMatch = directoryMatchFromText(*m);
        } catch (const std::runtime_error& e) {
            throw UsageError(std::string("--directory-match: ") + e.what());
        }
    }
    // One cache for every connection this server accepts, so that a client (openssl s_client -sess_in) resumes.
    cfg.sessionCache = std::make_shared<SessionCache>();
    if (auto s = a.value("seed"))
        shared->seed = parseUnsigned("seed", *s, UINT64_MAX);
    // One ticket key for the server's lifetime, as OpenSSL makes one per context at start-up: a restarted serve
    // cannot open the tickets of the previous one, and falls back to full handshakes.
    if (!a.has("no-ticket")) {
        std::unique_ptr<CryptoPP::RandomNumberGenerator> keyRng;
        if (shared->seed)
            keyRng = std::make_unique<SeededRng>(*shared->seed, "ticket key");
        else
            keyRng = makeSystemRng();
        cfg.ticketKey = std::make_shared<const TicketKey>(TicketKey::generate(*keyRng));
    }
    auto keylog = openKeyLog(a);
    auto capture = openCapture(a);
    shared->keylog = keylog.get();
    shared->capture = capture.get();

    std::uint16_t bound = 0;
    Socket listener;
    try {
        listener = listenLoopback(port, bound);
    } catch (const std::runtime_error& e) {
        std::cerr << "handshakelab: " << e.what() << '\n';
        return 1;
    }
    std::cerr << "listening on 127.0.0.1:" << bound << std::endl;
    if (!a.has("forever")) {
        Socket conn = acceptOne(listener);
        return serveOne(conn, *shared, 1);
    }
    // --forever: each connection on a thread of its own, at most --max-clients at once.
    ConnectionSlots slots(maxClients);
    for (std::size_t n = 1;; ++n) {
        slots.acquire();
        Socket conn;
        try {
            conn = acceptOne(listener);
        } catch (const std::runtime_error& e) {
            const int error = errno;
            slots.release();
            std::cerr << "handshakelab: " << e.what() << '\n';
            if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) {
                // Out of descriptors or memory for now: let running connections finish some, then accept again.
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                --n;
                continue;
            }
            slots.waitAllFree();
            return 1;
        }
        std::thread([shared, &slots, n, c = std::move(conn)]() mutable {
            try {
                serveOne(c, *shared, n);
            } catch (const std::exception& e) {
                // A key log or capture that can no longer be written ends the server, as it would a single connection.
                const std::lock_guard lock(shared->outputLock);
                std::cerr << "handshakelab: connection " << n << ": " << e.what() << '\n';
                std::exit(2);
            }
            slots.release();
        }).detach();
    }
}

int cmdScenarios()
{
    // Grouped by topic, in library order; a user's broken file is listed with its error, so it can be fixed.
    const std::vector<ScenarioEntry> all = scenarioLibrary();
    std::vector<std::string> topics;
    for (const ScenarioEntry& e : all)
        if (std::find(topics.begin(), topics.end(), e.scenario.topic) == topics.end())
            topics.push_back(e.scenario.topic);
    for (const std::string& topic : topics) {
        std::cout << topic << '\n';
        for (const ScenarioEntry& e : all) {
            if (e.scenario.topic != topic)
                continue;
            std::string name = "  " + e.scenario.name;
            name.resize(std::max<std::size_t>(name.size() + 2, 26), ' ');
            if (e.error.empty())
                std::cout << name << e.scenario.title << " - " << e.scenario.description << '\n';
            else
                std::cout << name << "ERROR " << e.error << '\n';
        }
    }
    std::cout << "\nYour own scenario files: " << userScenarioFolder()
              << " (set HANDSHAKELAB_SCENARIO_DIR to use another folder)\n";
    return 0;
}

// Validates scenario files: every key and value, then a seeded run in memory (nothing goes on a network). 0 when all are
// good, 2 naming each problem as FILE:LINE: otherwise.
int cmdCheck(int argc, char** argv)
{
    const Args a = parseArgs(argc, argv, 2, {}, {});
    if (a.positional.empty())
        throw UsageError("check needs one or more scenario files");
    int rc = 0;
    for (const std::string& path : a.positional) {
        try {
            const Scenario s = loadScenarioFile(path);
            // A seeded run in memory finds what reading cannot: a field the message does not have, an occurrence
            // never reached, an outcome other than the one declared.
            RunOptions dry;
            dry.seed = 1;
            dry.now = kReproducibleNow;
            const Trace t = runScenario(s, demoPki(), dry);
            bool good = true;
            for (const std::string& w : t.warnings) {
                int line = 0;
                for (const InterceptRule& r : s.interceptRules)
                    if (w.find(r.describe()) != std::string::npos)
                        line = r.sourceLine;
                std::cerr << ScenarioFileError(path, line, w).what() << '\n';
                good = false;
            }
            std::string why;
            if (good && !meetsExpectation(s, t, &why)) {
                std::cerr << ScenarioFileError(path, 0, "a seeded run does not end as the file declares: " + why).what()
                          << '\n';
                good = false;
            }
            if (!good) {
                rc = 2;
                continue;
            }
            std::cout << path << ": ok: " << s.title << " ("
                      << (s.expect.completed ? std::string("expects the handshake to complete")
                                             : "expects " + alertName(s.expect.alert) + " from the " +
                                                   sideName(s.expect.alertFrom))
                      << ")\n";
        } catch (const ScenarioFileError& e) {
            std::cerr << e.what() << '\n';
            rc = 2;
        }
    }
    return rc;
}

int cmdSuites()
{
    // One line a suite: name, the versions it works with, then why it is insecure when it is.
    for (const CipherSuite& s : allCipherSuites()) {
        std::string line = std::string(s.name);
        line.resize(std::max<std::size_t>(line.size() + 2, 48), ' ');
        line += versionOptionName(s.minVersion) + (s.minVersion == kTls12 ? "" : "-tls1.2");
        if (s.id == kDefaultCipherSuite)
            line += "  (default)";
        if (s.insecure())
            line += "  INSECURE: " + std::string(s.weakness);
        std::cout << line << '\n';
    }
    return 0;
}

} // namespace

int runMain(int argc, char** argv)
{
    const std::string sub = argc > 1 ? argv[1] : "";
    try {
        if (sub == "run")
            return cmdRun(argc, argv);
        if (sub == "connect")
            return cmdConnect(argc, argv);
        if (sub == "serve")
            return cmdServe(argc, argv);
        if (sub == "export")
            return runExport(argc, argv);
        if (sub == "view")
            return runGui(argc, argv);
        if (sub == "scenarios")
            return cmdScenarios();
        if (sub == "check")
            return cmdCheck(argc, argv);
        if (sub == "suites")
            return cmdSuites();
        if (sub == "help" || sub == "--help" || sub == "-h") {
            std::cout << kUsage;
            return 0;
        }
        if (sub == "--version") {
            std::cout << "handshakelab 0.1.0\n";
            return 0;
        }
        if (!sub.empty() && sub[0] != '-')
            throw UsageError("unknown command \"" + sub + "\"");
        return runGui(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "handshakelab: " << e.what() << "\nTry 'handshakelab --help'.\n";
        return 2;
    } catch (const ScenarioFileError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "handshakelab: error: " << e.what() << '\n';
        return 1;
    }
}

} // namespace hl::app
