// From pre-master secret to master secret, key block and Finished verify_data (RFC 5246 §6.3, §7.4.9, §8.1).
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"
#include "crypto/cipher_suite.h"

#include <string>
#include <string_view>

namespace hl {

constexpr std::size_t kMasterSecretLength = 48; // RFC 5246 §8.1
constexpr std::size_t kVerifyDataLength = 12;   // RFC 5246 §7.4.9, for every suite this engine speaks

// RFC 5246 §8.1: PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]
Bytes computeMasterSecret(const CipherSuite& suite, ByteView preMaster, ByteView clientRandom, ByteView serverRandom);

// RFC 7627 §4: PRF(pre_master_secret, "extended master secret", session_hash)[0..47], where session_hash is the
// transcript hash up to and including ClientKeyExchange.
Bytes computeExtendedMasterSecret(const CipherSuite& suite, ByteView preMaster, ByteView sessionHash);

// RFC 5246 §6.3: the key block, and its six slices in key-block order. MAC keys are empty for AEAD suites;
// the IVs are the GCM salt / ChaCha20 nonce for AEAD suites and unused by TLS 1.2 CBC (explicit IVs).
struct KeyBlock {
    Bytes raw;
    Bytes clientMacKey, serverMacKey;
    Bytes clientKey, serverKey;
    Bytes clientIv, serverIv;
};

KeyBlock computeKeyBlock(const CipherSuite& suite, ByteView master, ByteView clientRandom, ByteView serverRandom);

// RFC 5246 §7.4.9: PRF(master_secret, finished_label, Hash(handshake_messages))[0..11], where finished_label is
// "client finished" or "server finished" after the side that sends the Finished.
Bytes computeVerifyData(const CipherSuite& suite, ByteView master, Side sender, ByteView transcriptHash);

// ---- Every version (SSL 3.0, TLS 1.0, TLS 1.1, TLS 1.2): the same steps, each version's own functions ----

// The PRF of version v: TLS 1.2's P_<suite hash> (RFC 5246 §5), or TLS 1.0 and 1.1's P_MD5 XOR P_SHA-1 (RFC 2246 §5).
// SSL 3.0 has no PRF; std::invalid_argument for it.
Bytes versionPrf(ProtocolVersion v, const CipherSuite& suite, ByteView secret, std::string_view label, ByteView seed,
                 std::size_t length);
// How the version derives its secrets, for the Keys panel: "PRF-SHA256", "PRF (MD5 XOR SHA-1)", "SSL 3.0 MD5/SHA-1 mix".
std::string derivationName(ProtocolVersion v, const CipherSuite& suite);

// RFC 6101 §6.1 (SSL 3.0): MD5(secret + SHA-1("A" + secret + seed)) + MD5(secret + SHA-1("BB" + secret + seed)) + ...
// cut to `length` bytes. Both the master secret and the key block are made this way.
Bytes ssl3Expand(ByteView secret, ByteView seed, std::size_t length);

Bytes computeMasterSecret(ProtocolVersion v, const CipherSuite& suite, ByteView preMaster, ByteView clientRandom,
                          ByteView serverRandom);
// RFC 7627 §4 in TLS 1.0-1.2 (SSL 3.0 has no extensions, so no extended master secret).
Bytes computeExtendedMasterSecret(ProtocolVersion v, const CipherSuite& suite, ByteView preMaster,
                                  ByteView sessionHash);
KeyBlock computeKeyBlock(ProtocolVersion v, const CipherSuite& suite, ByteView master, ByteView clientRandom,
                         ByteView serverRandom);

// Hash(handshake_messages) as TLS uses it for Finished, the session hash and (before TLS 1.2) CertificateVerify:
// the suite's PRF hash in TLS 1.2, MD5 || SHA-1 (36 bytes) in TLS 1.0 and 1.1 (RFC 2246 §7.4.9, RFC 7627 §3).
Bytes handshakeDigest(ProtocolVersion v, const CipherSuite& suite, ByteView messages);
// Its name: "SHA-256", "MD5 || SHA-1".
std::string handshakeDigestName(ProtocolVersion v, const CipherSuite& suite);

// Finished.verify_data over `messages` (every handshake message before this Finished): 36 bytes in SSL 3.0
// (RFC 6101 §5.6.9), 12 from TLS 1.0 on.
Bytes computeVerifyData(ProtocolVersion v, const CipherSuite& suite, ByteView master, Side sender, ByteView messages);
std::size_t verifyDataLength(ProtocolVersion v);
// TLS 1.0-1.2: verify_data from handshakeDigest(v, suite, messages) already computed (a running hash's).
Bytes verifyDataFromDigest(ProtocolVersion v, const CipherSuite& suite, ByteView master, Side sender, ByteView digest);

// RFC 6101 §5.6.8: what an SSL 3.0 client signs in CertificateVerify, MD5(master + pad_2 + MD5(messages + master +
// pad_1)) || SHA-1(the same with SHA-1's pads), 36 bytes.
Bytes ssl3CertificateVerifyDigest(ByteView master, ByteView messages);

} // namespace hl
