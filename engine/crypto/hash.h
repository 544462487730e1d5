// Hashes, HMACs and the running handshake transcript, as thin wrappers over Crypto++.
#pragma once

#include "common/bytes.h"
#include "crypto/cipher_suite.h"

#include <cryptopp/cryptlib.h>

#include <cstddef>
#include <memory>

namespace hl {

std::size_t hashLength(HashAlgorithm h);
Bytes hashOf(HashAlgorithm h, ByteView data);
Bytes hmac(HashAlgorithm h, ByteView key, ByteView data);

// Fresh Crypto++ objects, for callers that feed data in pieces (the PRF, record MACs).
std::unique_ptr<CryptoPP::HashTransformation> makeHash(HashAlgorithm h);
std::unique_ptr<CryptoPP::MessageAuthenticationCode> makeHmac(HashAlgorithm h, ByteView key);

// RFC 5246 §7.4.9: Finished covers every handshake message so far, but the hash to use is the suite's PRF
// hash, known only once ServerHello is read. So the transcript keeps the bytes themselves and hashes on demand;
// CertificateVerify (§7.4.8) signs those same bytes.
class TranscriptHash {
public:
    // A whole handshake message, header (type, u24 length) included; HelloRequest is never added (§7.4.1.1).
    void update(ByteView handshakeMessage);
    Bytes digest(HashAlgorithm h) const;
    const Bytes& messages() const { return m_messages; }

private:
    Bytes m_messages;
};

} // namespace hl
