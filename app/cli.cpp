// The command line. `handshakelab` alone opens the GUI; `run`, `connect` and `serve` work headless and print the
// same trace. Argument errors exit 2 with one line naming the argument; a failed handshake exits 1.
#include "cli.h"

#include "cli_args.h"
#include "directory_source.h"
#include "export_command.h"
#include "gui.h"
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
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>

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
                       [--session-out FILE] [--session-in FILE] [--status]
                                       the engine's client against a real TLS server; save a session to FILE, or
                                       offer the one saved there for resumption (like s_client -sess_out/-sess_in)
  handshakelab serve --port N [--cert PEM --key PEM] [VERSIONS AND SUITES] [--verify-client CA_PEM]
                     [--request-client CA_PEM] [--crl FILE] [--ocsp FILE.der] [--directory ldap://HOST:PORT/BASE_DN|FILE.ldif]
                     [--directory-match dn|ATTRIBUTE] [--forever] [--format text|json] [--keylog FILE] [--pcap FILE] [--timeout SECONDS]
                                       the engine's server on 127.0.0.1 for real TLS clients (echoes data)
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
  --verify-client CA_PEM               serve: require a client certificate issued under these CAs
  --request-client CA_PEM              serve: ask for one, and go on without it when the client has none
  --status                             connect: ask for a stapled OCSP response (status_request) and check it
  --ocsp FILE.der                      serve: staple this OCSP response when a client asks (like s_server -status_file)
  --directory ldap://HOST:PORT/BASE_DN | FILE.ldif
                                       serve: accept a client certificate only if it is stored in its user's entry
                                       (userCertificate); refused with access_denied otherwise
  --directory-match dn|ATTRIBUTE       how the entry is found: the subject DN as the entry's DN, or the entry under
                                       BASE_DN whose ATTRIBUTE equals the subject's (default: cn)

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
        }
    } catch (const std::exception& e) {
        throw UsageError("--session-in: " + path + " is damaged: " + e.what());
    }
    if (s.sessionId.empty() || s.sessionId.size() > 32 || s.masterSecret.size() != 48 || !findCipherSuite(s.cipherSuite))
        throw UsageError("--session-in: " + path + " lacks a session ID, a 48-byte master secret or a known suite");
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
    std::cerr << "handshakelab: handshake " << outcomeSummary(trace)
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

// Reads from the socket into the connection until `done` says so, the peer closes, or the timeout passes.
template <typename Done>
void pump(Connection& c, Socket& s, int timeoutMs, Done done)
{
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!done() && !c.failed()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            c.abort(AlertDescription::UserCanceled, "the peer sent nothing for " + std::to_string(timeoutMs / 1000) +
                                                        " s; giving up");
            flushTo(c, s);
            return;
        }
        auto data = s.readSome(static_cast<int>(left));
        if (!data)
            continue;
        if (data->empty()) {
            if (!c.peerClosed() && !c.handshakeComplete())
                c.abort(AlertDescription::InternalError, "the peer closed the TCP connection during the handshake");
            return;
        }
        c.receive(*data);
        flushTo(c, s);
    }
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
                             with(kVersionFlags, {"status"}));
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
    Client client(cfg, *rng, trace, TraceOptions{true, true});
    client.start();
    flushTo(client, sock);
    pump(client, sock, timeout, [&] { return client.handshakeComplete(); });
    std::string reply;
    if (client.handshakeComplete() && !client.failed()) {
        client.sendApplicationData(asBytes(line));
        flushTo(client, sock);
        pump(client, sock, timeout, [&] {
            for (const Bytes& d : client.takeApplicationData())
                reply += asString(d);
            return !reply.empty() && reply.back() == '\n';
        });
        client.close();
        flushTo(client, sock);
        // Give the server a moment to answer close_notify so the trace shows both.
        pump(client, sock, 1000, [&] { return client.peerClosed(); });
    }
    finishOutcome(trace, client);
    if (client.handshakeComplete() && !client.failed()) {
        // As s_client says it: whether the server took the saved session.
        std::cerr << "session: " << (client.resumed() ? "reused" : "new") << '\n';
        if (auto out = a.value("session-out")) {
            if (auto saved = client.savedSession())
                writeSessionFile(*out, *saved);
            else
                std::cerr << "handshakelab: the server gave no session ID, so there is no session to save\n";
        }
    }
    // The capture shows the conversation on the synthetic ports, so Wireshark dissects it as TLS on 443.
    Outputs out{format, keylog.get(), capture.get(), {}};
    out.pcap.startTime = cfg.now;
    const int rc = report(trace, out);
    if (rc == 0)
        std::cerr << "reply: " << reply;
    return rc;
}

int serveOne(Socket& conn, const EndpointConfig& cfg, CryptoPP::RandomNumberGenerator& rng, int timeout,
             const Outputs& out, std::size_t index)
{
    Trace trace;
    trace.scenario = "serve connection " + std::to_string(index);
    Server server(cfg, rng, trace, TraceOptions{true, true});
    server.start();
    // Echo whatever arrives until the client closes.
    pump(server, conn, timeout, [&] {
        if (server.handshakeComplete() && !server.failed() && !server.closeSent())
            for (const Bytes& d : server.takeApplicationData()) {
                server.sendApplicationData(d);
                flushTo(server, conn);
            }
        return server.peerClosed();
    });
    flushTo(server, conn);
    finishOutcome(trace, server);
    return report(trace, out);
}

int cmdServe(int argc, char** argv)
{
    const Args a = parseArgs(argc, argv, 2,
                             with(kVersionValued, {"port", "cert", "key", "verify-client", "request-client", "crl",
                                                   "keylog", "pcap", "format", "timeout", "seed", "ocsp",
                                                   "directory", "directory-match"}),
                             with(kVersionFlags, {"forever"}));
    if (!a.positional.empty())
        throw UsageError("serve takes no positional argument, got \"" + a.positional[0] + "\"");
    if (!a.value("port"))
        throw UsageError("serve needs --port N (0 picks a free port)");
    const auto port = static_cast<std::uint16_t>(parseUnsigned("port", *a.value("port"), 65535));
    const Format format = parseFormat(a);
    const int timeout = timeoutMs(a);

    EndpointConfig cfg;
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
    std::unique_ptr<CryptoPP::RandomNumberGenerator> rng;
    if (auto s = a.value("seed"))
        rng = std::make_unique<SeededRng>(parseUnsigned("seed", *s, UINT64_MAX), "server");
    else
        rng = makeSystemRng();
    auto keylog = openKeyLog(a);
    auto capture = openCapture(a);

    std::uint16_t bound = 0;
    Socket listener;
    try {
        listener = listenLoopback(port, bound);
    } catch (const std::runtime_error& e) {
        std::cerr << "handshakelab: " << e.what() << '\n';
        return 1;
    }
    std::cerr << "listening on 127.0.0.1:" << bound << std::endl;
    int rc = 0;
    for (std::size_t n = 1;; ++n) {
        Socket conn = acceptOne(listener);
        cfg.now = systemNow();
        Outputs out{format, keylog.get(), capture.get(), {}};
        out.pcap.startTime = cfg.now;
        // One client port per connection keeps the TCP streams apart when several sections share the file.
        out.pcap.clientPort = static_cast<std::uint16_t>(out.pcap.clientPort + (n - 1) % 10000);
        try {
            rc = serveOne(conn, cfg, *rng, timeout, out, n);
        } catch (const UsageError&) {
            throw;
        } catch (const std::exception& e) {
            // A connection that breaks (reset, write to a closed socket) never takes the server down.
            std::cerr << "handshakelab: connection " << n << ": " << e.what() << '\n';
            rc = 1;
        }
        if (!a.has("forever"))
            return rc;
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
