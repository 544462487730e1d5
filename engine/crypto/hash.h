// Hashes, HMACs and the running handshake transcript, as thin wrappers over Crypto++.
#pragma once

#include "common/bytes.h"
#include "crypto/cipher_suite.h"

#include <cryptopp/cryptlib.h>

#include <array>
#include <cstddef>
#include <memory>

namespace hl {

std::size_t hashLength(HashAlgorithm h);
Bytes hashOf(HashAlgorithm h, ByteView data);
Bytes hmac(HashAlgorithm h, ByteView key, ByteView data);

// Fresh Crypto++ objects, for callers that feed data in pieces (the PRF, record MACs).
std::unique_ptr<CryptoPP::HashTransformation> makeHash(HashAlgorithm h);
std::unique_ptr<CryptoPP::MessageAuthenticationCode> makeHmac(HashAlgorithm h, ByteView key);

// RFC 5246 §7.4.9: Finished covers every handshake message so far, but the hash to use is the suite's PRF hash,
// known only once ServerHello is read (and TLS 1.0/1.1 and SSL 3.0 use MD5 and SHA-1 together). So the transcript
// keeps the bytes themselves, which CertificateVerify (§7.4.8) signs, and runs a hash the first time a digest
// with it is asked for; from then on that hash takes each message once, as it arrives, and a digest is a copy of
// its running state finished, never the transcript hashed again.
class TranscriptHash {
public:
    // A whole handshake message, header (type, u24 length) included; HelloRequest is never added (§7.4.1.1).
    void update(ByteView handshakeMessage);
    // The hash of every message so far.
    Bytes digest(HashAlgorithm h) const;
    // The hash of the first `length` bytes of messages(): a receiver checks a Finished or CertificateVerify
    // against the transcript before the message itself. Cheap when reads move forward, as a handshake's do;
    // a length behind an earlier read is hashed again from the start.
    Bytes digest(HashAlgorithm h, std::size_t length) const;
    // A copy of the running hash over every message so far, to be continued with more bytes (SSL 3.0's Finished
    // and CertificateVerify hash the transcript, then the master secret and pads).
    std::unique_ptr<CryptoPP::HashTransformation> runningCopy(HashAlgorithm h) const;
    const Bytes& messages() const { return m_messages; }

private:
    struct Running {
        std::unique_ptr<CryptoPP::HashTransformation> hash; // null until first asked for
        std::size_t hashed = 0;                             // bytes of m_messages it has taken
    };
    // The running hash for `h`, advanced over the first `length` bytes of the transcript; null when it is
    // already past them.
    CryptoPP::HashTransformation* advanced(HashAlgorithm h, std::size_t length) const;

    Bytes m_messages;
    mutable std::array<Running, 5> m_running; // indexed by HashAlgorithm
};

} // namespace hl
