// From pre-master secret to master secret, key block and Finished verify_data (RFC 5246 §6.3, §7.4.9, §8.1).
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"
#include "crypto/cipher_suite.h"

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

} // namespace hl
