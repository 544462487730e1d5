// The rules that change with the protocol version and are shared by client and server: how versions are named in
// sentences, the downgrade sentinel, and the signatures of SSL 3.0 to TLS 1.1, whose algorithm the key decides.
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"
#include "crypto/keys.h"

#include <cryptopp/cryptlib.h>

#include <string>

namespace hl {

// "TLS 1.2 only", "TLS 1.0 to TLS 1.2"
std::string versionRangeText(ProtocolVersion min, ProtocolVersion max);

// RFC 8446 §4.1.3: the last 8 bytes of ServerHello.random are 44 4F 57 4E 47 52 44 00 ("DOWNGRD" 00) when a server
// able to do TLS 1.2 answers with TLS 1.1 or below.
bool hasDowngradeSentinel(ByteView serverRandom);
void putDowngradeSentinel(Bytes& serverRandom);

// Before TLS 1.2 (RFC 2246 §4.7, RFC 4492 §5.4) there is no signature algorithm on the wire: an RSA key signs
// MD5(data) || SHA-1(data) with PKCS #1 v1.5 and no DigestInfo, an ECDSA key signs SHA-1(data).
Bytes signLegacy(const PrivateKey& key, ByteView data, CryptoPP::RandomNumberGenerator& rng);
bool verifyLegacySignature(const PublicKey& key, ByteView data, ByteView signature);
// "RSA over MD5 || SHA-1", "ECDSA over SHA-1"
std::string legacySignatureName(KeyType type);

} // namespace hl
