// RSA and ECDSA P-256 keys: parsing and encoding (SPKI, PKCS #8, PKCS #1, SEC 1), TLS signatures and RSA key
// transport. Every operation is Crypto++'s; this file chooses schemes and checks inputs.
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"

#include <cryptopp/cryptlib.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace hl {

enum class KeyType { Rsa, EcdsaP256 };
std::string keyTypeName(KeyType t); // "RSA", "ECDSA P-256"

// A public key. Copies share one immutable Crypto++ key. A default-constructed key is null: it verifies
// nothing, and type()/bits()/subjectPublicKeyInfo()/rsaEncryptPkcs1() throw std::logic_error.
class PublicKey {
public:
    PublicKey();
    // RFC 5280 §4.1.2.7 SubjectPublicKeyInfo: rsaEncryption (RFC 3279 §2.3.1) or id-ecPublicKey on the named
    // curve P-256 (RFC 5480 §2.1.1). Throws TlsError(BadCertificate) when malformed, TlsError(UnsupportedCertificate)
    // for other algorithms or curves.
    static PublicKey fromSubjectPublicKeyInfo(ByteView spkiDer);

    bool isNull() const { return !m_impl; }
    KeyType type() const;
    std::size_t bits() const;        // RSA modulus size, or 256
    std::string description() const; // "RSA 2048 bits", "ECDSA P-256"
    Bytes subjectPublicKeyInfo() const;

    // RSA: rsa_pkcs1_sha1/256/384/512, rsa_pss_rsae_sha256/384. ECDSA P-256: ecdsa_secp256r1_sha256, ecdsa_sha1.
    bool supports(SignatureScheme scheme) const;
    // False on any mismatch, including a scheme this key does not support or a malformed signature. An ECDSA
    // signature is the DER Ecdsa-Sig-Value TLS sends (RFC 8422 §5.4).
    bool verify(SignatureScheme scheme, ByteView message, ByteView signature) const;
    // RSA before TLS 1.2 (RFC 2246 §4.7, RFC 6101 §5.4): PKCS #1 v1.5 block type 1 over a 36-byte MD5 || SHA-1
    // digest, with no DigestInfo. False for an ECDSA key or a digest of another length.
    bool verifyMd5Sha1(ByteView digest, ByteView signature) const;
    // RSAES-PKCS1-v1_5 (RFC 8017 §7.2.1), as the RSA key exchange sends the pre-master secret (RFC 5246 §7.4.7.1).
    // Throws std::logic_error for an ECDSA key, std::invalid_argument when the plaintext is too long.
    Bytes rsaEncryptPkcs1(ByteView plaintext, CryptoPP::RandomNumberGenerator& rng) const;

    // Same key (compared by SubjectPublicKeyInfo).
    bool operator==(const PublicKey& other) const;

    struct Impl;

private:
    explicit PublicKey(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> m_impl;
    friend class PrivateKey;
};

// How many signatures this thread has checked with PublicKey::verify(): tests pin that a chain's signatures are
// each checked once, and the benchmark counts the checks a handshake makes.
std::uint64_t signatureVerifications();

// A private key with its public half. Copies share one immutable Crypto++ key. Default-constructed: null.
class PrivateKey {
public:
    PrivateKey();
    // The first block labelled "PRIVATE KEY" (PKCS #8, RFC 5208), "RSA PRIVATE KEY" (PKCS #1, RFC 8017 A.1.2) or
    // "EC PRIVATE KEY" (SEC 1, RFC 5915). Throws std::invalid_argument with a sentence naming the problem for
    // anything else (no key block, an encrypted key, another algorithm or curve, malformed DER).
    static PrivateKey fromPem(std::string_view pemText);
    // PKCS #8 PrivateKeyInfo DER; throws std::invalid_argument like fromPem().
    static PrivateKey fromPkcs8Der(ByteView der);
    // RSA 2048 with e = 65537, or a P-256 key; deterministic for a seeded rng.
    static PrivateKey generate(KeyType type, CryptoPP::RandomNumberGenerator& rng);

    bool isNull() const { return !m_impl; }
    Bytes pkcs8Der() const;
    std::string pkcs8Pem() const; // "-----BEGIN PRIVATE KEY-----" ...
    KeyType type() const;
    PublicKey publicKey() const;

    // The TLS signature for `scheme` (ECDSA: DER-encoded, RFC 8422 §5.4; RSA-PSS: salt length = hash length,
    // RFC 8446 §4.2.3). Throws TlsError(HandshakeFailure) when this key cannot make that kind of signature.
    Bytes sign(SignatureScheme scheme, ByteView message, CryptoPP::RandomNumberGenerator& rng) const;
    // The RSA signature of TLS 1.0/1.1 and SSL 3.0 over a 36-byte MD5 || SHA-1 digest (see verifyMd5Sha1).
    Bytes signMd5Sha1(ByteView digest, CryptoPP::RandomNumberGenerator& rng) const;
    // RSAES-PKCS1-v1_5 decryption; nullopt when the ciphertext is the wrong size or the padding is invalid.
    // RFC 5246 §7.4.7.1: a TLS server must then carry on with a random pre-master secret, not send an alert.
    // Throws std::logic_error for an ECDSA key.
    std::optional<Bytes> rsaDecryptPkcs1(ByteView ciphertext, CryptoPP::RandomNumberGenerator& rng) const;

    struct Impl;

private:
    explicit PrivateKey(std::shared_ptr<Impl> impl); // derives the public half
    std::shared_ptr<const Impl> m_impl;
};

} // namespace hl
