// OpenSSL's cost for the handshake the engine benchmark runs, for comparison: a TLS 1.2 client and server in one
// process joined by memory BIOs, the same demo certificates and chain sent, the chain verified against the demo
// root and the host name against the leaf, the same suite, key exchange group (x25519, or ffdhe2048 for DHE) and signature
// scheme, extended master secret, one request and response of the default scenario's size, close_notify both
// ways. No session tickets or resumption: every handshake is a full one, as in the engine.
// Built only when libssl-dev is present (scripts/bench.sh says so otherwise).
#include "crypto/cipher_suite.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const std::string kPki = HL_PKI_DIR; // resources/pki, set by tests/CMakeLists.txt
const std::string kRequest = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
const std::string kResponse = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 24\r\n\r\n"
                              "Hello from HandshakeLab\n";

[[noreturn]] void fail(const std::string& what)
{
    std::string detail;
    while (const unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        detail += std::string(" ") + buf;
    }
    throw std::runtime_error(what + detail);
}

[[noreturn]] void usage(const std::string& problem)
{
    std::cerr << "handshakelab-bench-openssl: " << problem << "\n"
              << "Usage: handshakelab-bench-openssl --suite NAME [--runs N] [--warmup N]\n";
    std::exit(2);
}

double cpuMicros()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

struct Contexts {
    SSL_CTX* client = nullptr;
    SSL_CTX* server = nullptr;
};

Contexts makeContexts(const hl::CipherSuite& suite)
{
    Contexts c{SSL_CTX_new(TLS_client_method()), SSL_CTX_new(TLS_server_method())};
    if (!c.client || !c.server)
        fail("SSL_CTX_new");
    for (SSL_CTX* ctx : {c.client, c.server}) {
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    }
    // The suite by its OpenSSL name, looked up from its IANA number.
    SSL* probe = SSL_new(c.client);
    const unsigned char id[2] = {static_cast<unsigned char>(suite.id >> 8), static_cast<unsigned char>(suite.id)};
    const SSL_CIPHER* cipher = SSL_CIPHER_find(probe, id);
    SSL_free(probe);
    if (!cipher)
        fail("OpenSSL does not know " + std::string(suite.name));
    const char* name = SSL_CIPHER_get_name(cipher);
    if (!SSL_CTX_set_cipher_list(c.client, name) || !SSL_CTX_set_cipher_list(c.server, name))
        fail("cipher list");
    // x25519 for the key exchange; P-256 listed too, as the engine's client does, since a TLS 1.2 server only
    // uses an ECDSA certificate on a curve the client names (RFC 8422 §5.1).
    if (!SSL_CTX_set1_groups_list(c.client, "X25519:P-256") || !SSL_CTX_set1_groups_list(c.server, "X25519:P-256"))
        fail("groups");
    SSL_CTX_set_dh_auto(c.server, 1); // ffdhe2048 for a 2048-bit RSA key
    // The engine's preference: ECDSA P-256, then RSA-PSS, then PKCS#1 (engine/session/endpoint_config.h).
    if (!SSL_CTX_set1_sigalgs_list(c.client, "ECDSA+SHA256:rsa_pss_rsae_sha256:RSA+SHA256"))
        fail("sigalgs");
    const bool ecdsa = suite.serverKeyIsEcdsa();
    const std::string chain = kPki + (ecdsa ? "/server-ecdsa.chain.pem" : "/server-rsa.chain.pem");
    const std::string key = kPki + (ecdsa ? "/server-ecdsa.key.pem" : "/server-rsa.key.pem");
    if (SSL_CTX_use_certificate_chain_file(c.server, chain.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(c.server, key.c_str(), SSL_FILETYPE_PEM) != 1)
        fail("server certificate " + chain);
    if (SSL_CTX_load_verify_locations(c.client, (kPki + "/root-ca.crt.pem").c_str(), nullptr) != 1)
        fail("root certificate");
    SSL_CTX_set_verify(c.client, SSL_VERIFY_PEER, nullptr);
    return c;
}

// Moves whatever one side wrote to the other side's input.
bool pump(BIO* from, BIO* to)
{
    char buf[16384];
    bool moved = false;
    int n;
    while ((n = BIO_read(from, buf, sizeof buf)) > 0) {
        BIO_write(to, buf, n);
        moved = true;
    }
    return moved;
}

struct Pair {
    SSL* client;
    SSL* server;
    BIO *clientIn, *clientOut, *serverIn, *serverOut;

    explicit Pair(const Contexts& c) : client(SSL_new(c.client)), server(SSL_new(c.server))
    {
        clientIn = BIO_new(BIO_s_mem());
        clientOut = BIO_new(BIO_s_mem());
        serverIn = BIO_new(BIO_s_mem());
        serverOut = BIO_new(BIO_s_mem());
        SSL_set_bio(client, clientIn, clientOut);
        SSL_set_bio(server, serverIn, serverOut);
        SSL_set_connect_state(client);
        SSL_set_accept_state(server);
        SSL_set_tlsext_host_name(client, "localhost");
        SSL_set1_host(client, "localhost");
    }
    ~Pair()
    {
        SSL_free(client);
        SSL_free(server);
    }
    Pair(const Pair&) = delete;
    Pair& operator=(const Pair&) = delete;

    bool flush() { return pump(clientOut, serverIn) | pump(serverOut, clientIn); }

    void handshake()
    {
        for (int round = 0; round < 20; ++round) {
            const int c = SSL_do_handshake(client);
            flush();
            const int s = SSL_do_handshake(server);
            flush();
            if (c == 1 && s == 1 && SSL_is_init_finished(client) && SSL_is_init_finished(server))
                return;
        }
        fail("handshake did not complete");
    }

    static void send(SSL* from, const std::string& data)
    {
        if (SSL_write(from, data.data(), static_cast<int>(data.size())) != static_cast<int>(data.size()))
            fail("SSL_write");
    }

    void receive(SSL* at, std::size_t size)
    {
        flush();
        std::string got(size, '\0');
        if (SSL_read(at, got.data(), static_cast<int>(size)) != static_cast<int>(size))
            fail("SSL_read");
    }

    void close()
    {
        SSL_shutdown(client);
        flush();
        SSL_shutdown(server);
        flush();
        char b;
        if (SSL_read(client, &b, 1) > 0 || SSL_get_error(client, 0) == SSL_ERROR_SSL)
            fail("close_notify");
    }
};

void oneRun(const Contexts& c)
{
    Pair p(c);
    p.handshake();
    if (SSL_get_verify_result(p.client) != X509_V_OK)
        fail("chain verification");
    Pair::send(p.client, kRequest);
    p.receive(p.server, kRequest.size());
    Pair::send(p.server, kResponse);
    p.receive(p.client, kResponse.size());
    p.close();
}

std::size_t count(const std::string& option, const char* text)
{
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (!*text || *end || errno || text[0] == '-')
        usage(option + " must be a non-negative whole number");
    return static_cast<std::size_t>(v);
}

int run(int argc, char** argv)
{
    std::size_t runs = 20, warmup = 2;
    const hl::CipherSuite* suite = nullptr;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc)
            usage("option " + arg + " needs a value");
        const char* value = argv[++i];
        if (arg == "--runs")
            runs = count(arg, value);
        else if (arg == "--warmup")
            warmup = count(arg, value);
        else if (arg == "--suite" && (suite = hl::findCipherSuite(value)) == nullptr)
            usage(std::string("unknown cipher suite ") + value);
        else if (arg != "--suite")
            usage("unknown option " + arg);
    }
    if (!suite)
        usage("--suite is required");
    if (runs == 0)
        usage("--runs must be at least 1");
    const Contexts c = makeContexts(*suite);
    for (std::size_t i = 0; i < warmup; ++i)
        oneRun(c);
    std::vector<double> each;
    for (std::size_t i = 0; i < runs; ++i) {
        const double t0 = cpuMicros();
        oneRun(c);
        each.push_back(cpuMicros() - t0);
    }
    std::sort(each.begin(), each.end());
    std::printf("suite:             %s (%s)\n", std::string(suite->name).c_str(), OpenSSL_version(OPENSSL_VERSION));
    std::printf("cpu-us-median:     %.1f\n", each[each.size() / 2]);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "handshakelab-bench-openssl: " << e.what() << '\n';
        return 1;
    }
}
