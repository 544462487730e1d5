// The Crypto++ floor of one handshake: exactly the public-key operations a full TLS 1.2 handshake of a suite
// needs (both sides, server authentication only, as the built-in scenarios run it), with the Crypto++ classes,
// keys, certificates and precomputation the engine uses, and nothing else: no records, no PRF, no parsing.
// The engine can only approach this time; scripts/bench.sh divides the engine's time by it.
//
// What a handshake needs, per suite (client verifies a two-certificate chain whose root it already holds):
//   every suite     2 RSA-2048 PKCS#1 SHA-256 verifications (leaf by intermediate, intermediate by root)
//   ECDHE_RSA       x25519 key pair on each side, 2 agreements; RSA-PSS SHA-256 sign + verify of the key share
//   ECDHE_ECDSA     x25519 as above; ECDSA P-256 SHA-256 sign + verify of the key share
//   DHE_RSA         ffdhe2048 key pair on each side, 2 agreements (the server's checks the client value's
//                   subgroup, RFC 7919 §5.1); RSA-PSS SHA-256 sign + verify
//   RSA             RSAES-PKCS1-v1_5 encryption of the 48-byte pre-master secret, and its decryption
//
// Setup (keys parsed, precomputation) happens before timing. Randomness comes from AES in OFB mode, the cheapest
// deterministic generator Crypto++ has, so the floor does not include the engine's choice of generator.
#include "pki.h"

#include "crypto/cipher_suite.h"
#include "crypto/key_agreement.h"

#include <cryptopp/aes.h>
#include <cryptopp/dh.h>
#include <cryptopp/eccrypto.h>
#include <cryptopp/modes.h>
#include <cryptopp/oids.h>
#include <cryptopp/pssr.h>
#include <cryptopp/queue.h>
#include <cryptopp/rsa.h>
#include <cryptopp/sha.h>
#include <cryptopp/xed25519.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hl::bench {

namespace {

using namespace CryptoPP;

[[noreturn]] void usage(const std::string& problem)
{
    std::cerr << "handshakelab-bench-floor: " << problem << "\n"
              << "Usage: handshakelab-bench-floor --suite NAME [--runs N] [--warmup N]\n";
    std::exit(2);
}

double cpuMicros()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

template <typename Key> Key loadKey(const Bytes& der)
{
    Key key;
    ByteQueue q;
    q.Put(der.data(), der.size());
    q.MessageEnd();
    key.BERDecode(q);
    return key;
}

struct Cert {
    Bytes tbs, signature;
};

struct Material {
    RSA::PublicKey rootKey, intermediateKey, serverRsaPublic;
    RSA::PrivateKey serverRsa;
    DL_PrivateKey_EC<ECP> serverEcdsa;
    DL_PublicKey_EC<ECP> serverEcdsaPublic;
    Cert leafRsa, leafEcdsa, intermediate;
    Integer ffdheP;
};

Material load()
{
    const DemoPki& pki = app::demoPki();
    Material m;
    m.rootKey = loadKey<RSA::PublicKey>(pki.root.publicKey.subjectPublicKeyInfo());
    m.intermediateKey = loadKey<RSA::PublicKey>(pki.serverRsa.chain.at(1).publicKey.subjectPublicKeyInfo());
    m.serverRsaPublic = loadKey<RSA::PublicKey>(pki.serverRsa.chain.at(0).publicKey.subjectPublicKeyInfo());
    m.serverRsa = loadKey<RSA::PrivateKey>(pki.serverRsa.key.pkcs8Der());
    m.serverEcdsa = loadKey<DL_PrivateKey_EC<ECP>>(pki.serverEcdsa.key.pkcs8Der());
    m.serverEcdsaPublic = loadKey<DL_PublicKey_EC<ECP>>(pki.serverEcdsa.chain.at(0).publicKey.subjectPublicKeyInfo());
    // The engine keeps P-256 with its base point precomputed (engine/crypto/keys.cpp); so does the floor.
    m.serverEcdsa.AccessGroupParameters().Precompute();
    m.serverEcdsaPublic.AccessGroupParameters().Precompute();
    m.leafRsa = {pki.serverRsa.chain.at(0).tbsDer, pki.serverRsa.chain.at(0).signature};
    m.leafEcdsa = {pki.serverEcdsa.chain.at(0).tbsDer, pki.serverEcdsa.chain.at(0).signature};
    m.intermediate = {pki.serverRsa.chain.at(1).tbsDer, pki.serverRsa.chain.at(1).signature};
    const Bytes p = ffdhe2048Prime();
    m.ffdheP = Integer(p.data(), p.size());
    return m;
}

void require(bool ok, const char* what)
{
    if (!ok)
        throw std::runtime_error(std::string("floor: ") + what + " failed");
}

// The ServerKeyExchange parameters a server signs: client_random, server_random, curve or DH parameters and its
// public value (RFC 5246 §7.4.3). Only the length matters to the cost.
Bytes signedParams(RandomNumberGenerator& rng, std::size_t publicLength, std::size_t paramsLength)
{
    Bytes b(64 + paramsLength + publicLength);
    rng.GenerateBlock(b.data(), b.size());
    return b;
}

void verifyChain(const Material& m, const Cert& leaf)
{
    RSASS<PKCS1v15, SHA256>::Verifier byIntermediate(m.intermediateKey);
    require(byIntermediate.VerifyMessage(leaf.tbs.data(), leaf.tbs.size(), leaf.signature.data(), leaf.signature.size()),
            "leaf signature");
    RSASS<PKCS1v15, SHA256>::Verifier byRoot(m.rootKey);
    require(byRoot.VerifyMessage(m.intermediate.tbs.data(), m.intermediate.tbs.size(), m.intermediate.signature.data(),
                                 m.intermediate.signature.size()),
            "intermediate signature");
}

struct X25519Pair {
    x25519 domain;
    SecByteBlock priv{32}, pub{32};
    explicit X25519Pair(RandomNumberGenerator& rng)
    {
        domain.GenerateKeyPair(rng, priv, pub);
    }
};

void x25519Exchange(RandomNumberGenerator& rng)
{
    X25519Pair server(rng), client(rng);
    SecByteBlock a(32), b(32);
    require(client.domain.Agree(a, client.priv, server.pub, true), "x25519 client agreement");
    require(server.domain.Agree(b, server.priv, client.pub, true), "x25519 server agreement");
}

void rsaPssSignVerify(const Material& m, RandomNumberGenerator& rng, const Bytes& params)
{
    RSASS<PSS, SHA256>::Signer signer(m.serverRsa);
    SecByteBlock sig(signer.MaxSignatureLength());
    const std::size_t n = signer.SignMessage(rng, params.data(), params.size(), sig);
    RSASS<PSS, SHA256>::Verifier verifier(m.serverRsaPublic);
    require(verifier.VerifyMessage(params.data(), params.size(), sig, n), "RSA-PSS verification");
}

void handshakeEcdheRsa(const Material& m, RandomNumberGenerator& rng)
{
    x25519Exchange(rng);
    rsaPssSignVerify(m, rng, signedParams(rng, 32, 4));
    verifyChain(m, m.leafRsa);
}

void handshakeEcdheEcdsa(const Material& m, RandomNumberGenerator& rng)
{
    x25519Exchange(rng);
    const Bytes params = signedParams(rng, 32, 4);
    ECDSA<ECP, SHA256>::Signer signer(m.serverEcdsa);
    SecByteBlock sig(signer.MaxSignatureLength());
    const std::size_t n = signer.SignMessage(rng, params.data(), params.size(), sig);
    ECDSA<ECP, SHA256>::Verifier verifier(m.serverEcdsaPublic);
    require(verifier.VerifyMessage(params.data(), params.size(), sig, n), "ECDSA verification");
    verifyChain(m, m.leafEcdsa);
}

void handshakeDheRsa(const Material& m, RandomNumberGenerator& rng)
{
    // Each side builds the group from p and g, as the client must when they arrive in ServerKeyExchange.
    DH server(m.ffdheP, Integer::Two()), client(m.ffdheP, Integer::Two());
    SecByteBlock sPriv(server.PrivateKeyLength()), sPub(server.PublicKeyLength());
    server.GenerateKeyPair(rng, sPriv, sPub);
    rsaPssSignVerify(m, rng, signedParams(rng, sPub.size(), 2 + 256 + 2 + 1));
    SecByteBlock cPriv(client.PrivateKeyLength()), cPub(client.PublicKeyLength());
    client.GenerateKeyPair(rng, cPriv, cPub);
    SecByteBlock a(client.AgreedValueLength()), b(server.AgreedValueLength());
    // The engine's client checks the server's value only for range (a server-chosen group promises no subgroup);
    // its server, on the named group, checks the client's value fully.
    require(client.Agree(a, cPriv, sPub, false), "DH client agreement");
    require(server.Agree(b, sPriv, cPub, true), "DH server agreement");
    verifyChain(m, m.leafRsa);
}

void handshakeRsa(const Material& m, RandomNumberGenerator& rng)
{
    SecByteBlock premaster(48);
    rng.GenerateBlock(premaster, premaster.size());
    RSAES_PKCS1v15_Encryptor encryptor(m.serverRsaPublic);
    SecByteBlock ciphertext(encryptor.FixedCiphertextLength());
    encryptor.Encrypt(rng, premaster, premaster.size(), ciphertext);
    RSAES_PKCS1v15_Decryptor decryptor(m.serverRsa);
    SecByteBlock plaintext(decryptor.FixedMaxPlaintextLength());
    require(decryptor.Decrypt(rng, ciphertext, ciphertext.size(), plaintext).isValidCoding, "RSA decryption");
    verifyChain(m, m.leafRsa);
}

using Handshake = void (*)(const Material&, RandomNumberGenerator&);

Handshake handshakeFor(const CipherSuite& s)
{
    switch (s.keyExchange) {
    case KeyExchangeKind::EcdheRsa:
        return handshakeEcdheRsa;
    case KeyExchangeKind::EcdheEcdsa:
        return handshakeEcdheEcdsa;
    case KeyExchangeKind::DheRsa:
        return handshakeDheRsa;
    case KeyExchangeKind::Rsa:
        return handshakeRsa;
    }
    throw std::logic_error("unknown key exchange");
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

} // namespace

int run(int argc, char** argv)
{
    std::size_t runs = 20, warmup = 2;
    const CipherSuite* suite = nullptr;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc)
            usage("option " + arg + " needs a value");
        const char* value = argv[++i];
        if (arg == "--runs")
            runs = count(arg, value);
        else if (arg == "--warmup")
            warmup = count(arg, value);
        else if (arg == "--suite" && (suite = findCipherSuite(value)) == nullptr)
            usage(std::string("unknown cipher suite ") + value);
        else if (arg != "--suite")
            usage("unknown option " + arg);
    }
    if (!suite)
        usage("--suite is required");
    if (runs == 0)
        usage("--runs must be at least 1");
    const Material m = load();
    const Handshake handshake = handshakeFor(*suite);
    OFB_Mode<AES>::Encryption rng;
    const byte key[16] = {1}, iv[16] = {2};
    rng.SetKeyWithIV(key, sizeof key, iv, sizeof iv);
    for (std::size_t i = 0; i < warmup; ++i)
        handshake(m, rng);
    std::vector<double> each;
    for (std::size_t i = 0; i < runs; ++i) {
        const double t0 = cpuMicros();
        handshake(m, rng);
        each.push_back(cpuMicros() - t0);
    }
    std::sort(each.begin(), each.end());
    std::printf("suite:             %s\n", std::string(suite->name).c_str());
    std::printf("cpu-us-median:     %.1f\n", each[each.size() / 2]);
    return 0;
}

} // namespace hl::bench

int main(int argc, char** argv)
{
    try {
        return hl::bench::run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "handshakelab-bench-floor: " << e.what() << '\n';
        return 1;
    }
}
