// The key schedule of every version: TLS 1.2 and TLS 1.0/1.1 differ only in their PRF; SSL 3.0 mixes MD5 and SHA-1 its
// own way (RFC 6101 §6).
#include "crypto/key_schedule.h"

#include "crypto/hash.h"
#include "crypto/prf.h"

#include <stdexcept>

namespace hl {

Bytes computeMasterSecret(const CipherSuite& suite, ByteView preMaster, ByteView clientRandom, ByteView serverRandom)
{
    return computeMasterSecret(kTls12, suite, preMaster, clientRandom, serverRandom);
}

Bytes computeExtendedMasterSecret(const CipherSuite& suite, ByteView preMaster, ByteView sessionHash)
{
    return computeExtendedMasterSecret(kTls12, suite, preMaster, sessionHash);
}

KeyBlock computeKeyBlock(const CipherSuite& suite, ByteView master, ByteView clientRandom, ByteView serverRandom)
{
    return computeKeyBlock(kTls12, suite, master, clientRandom, serverRandom);
}

Bytes computeVerifyData(const CipherSuite& suite, ByteView master, Side sender, ByteView transcriptHash)
{
    return verifyDataFromDigest(kTls12, suite, master, sender, transcriptHash);
}

// ---------------------------------------------------------------------------------------------------------------

namespace {
constexpr std::size_t kSsl3Md5PadLength = 48; // RFC 6101 §5.2.3.1: pad_1/pad_2 are 48 bytes for MD5, 40 for SHA-1
constexpr std::size_t kSsl3ShaPadLength = 40;

// RFC 6101 §5.6.9 and §5.6.8: hash(master + pad_2 + hash(messages + sender + master + pad_1)).
Bytes ssl3HandshakeHash(HashAlgorithm h, ByteView master, ByteView messages, ByteView sender)
{
    const std::size_t padLength = h == HashAlgorithm::Md5 ? kSsl3Md5PadLength : kSsl3ShaPadLength;
    const Bytes pad1(padLength, 0x36), pad2(padLength, 0x5c);
    const Bytes inner = hashOf(h, concat(messages, sender, master, pad1));
    return hashOf(h, concat(master, pad2, inner));
}
} // namespace

Bytes versionPrf(ProtocolVersion v, const CipherSuite& suite, ByteView secret, std::string_view label, ByteView seed,
                 std::size_t length)
{
    if (v >= kTls12)
        return prf(suite.prfHash, secret, label, seed, length);
    if (v >= kTls10)
        return prfTls10(secret, label, seed, length);
    throw std::invalid_argument("SSL 3.0 has no PRF");
}

std::string derivationName(ProtocolVersion v, const CipherSuite& suite)
{
    if (v >= kTls12)
        return "PRF-" + hashName(suite.prfHash);
    if (v >= kTls10)
        return "PRF (P_MD5 XOR P_SHA-1)";
    return "SSL 3.0 MD5/SHA-1 mix";
}

Bytes ssl3Expand(ByteView secret, ByteView seed, std::size_t length)
{
    Bytes out;
    for (std::size_t i = 0; out.size() < length; ++i) {
        if (i >= 26)
            throw std::invalid_argument("SSL 3.0 derivation asked for more than 26 blocks");
        const Bytes salt(i + 1, static_cast<std::uint8_t>('A' + i)); // "A", "BB", "CCC", ...
        const Bytes inner = hashOf(HashAlgorithm::Sha1, concat(salt, secret, seed));
        append(out, hashOf(HashAlgorithm::Md5, concat(secret, inner)));
    }
    out.resize(length);
    return out;
}

Bytes computeMasterSecret(ProtocolVersion v, const CipherSuite& suite, ByteView preMaster, ByteView clientRandom,
                          ByteView serverRandom)
{
    if (v == kSsl30) // RFC 6101 §6.1: seed = ClientHello.random + ServerHello.random
        return ssl3Expand(preMaster, concat(clientRandom, serverRandom), kMasterSecretLength);
    return versionPrf(v, suite, preMaster, "master secret", concat(clientRandom, serverRandom), kMasterSecretLength);
}

Bytes computeExtendedMasterSecret(ProtocolVersion v, const CipherSuite& suite, ByteView preMaster, ByteView sessionHash)
{
    return versionPrf(v, suite, preMaster, "extended master secret", sessionHash, kMasterSecretLength);
}

KeyBlock computeKeyBlock(ProtocolVersion v, const CipherSuite& suite, ByteView master, ByteView clientRandom,
                         ByteView serverRandom)
{
    KeyBlock kb;
    // Both derivations use server_random + client_random here, the reverse of the master secret's order
    // (RFC 6101 §6.2.2, RFC 5246 §6.3).
    const Bytes seed = concat(serverRandom, clientRandom);
    const std::size_t length = suite.keyBlockLength(v);
    kb.raw = v == kSsl30 ? ssl3Expand(master, seed, length) : versionPrf(v, suite, master, "key expansion", seed, length);
    std::size_t at = 0;
    const auto take = [&](std::size_t n) {
        Bytes part(kb.raw.begin() + static_cast<std::ptrdiff_t>(at),
                   kb.raw.begin() + static_cast<std::ptrdiff_t>(at + n));
        at += n;
        return part;
    };
    kb.clientMacKey = take(suite.macLength);
    kb.serverMacKey = take(suite.macLength);
    kb.clientKey = take(suite.keyLength);
    kb.serverKey = take(suite.keyLength);
    kb.clientIv = take(suite.fixedIvLengthIn(v));
    kb.serverIv = take(suite.fixedIvLengthIn(v));
    return kb;
}

Bytes handshakeDigest(ProtocolVersion v, const CipherSuite& suite, ByteView messages)
{
    if (v >= kTls12)
        return hashOf(suite.prfHash, messages);
    return concat(hashOf(HashAlgorithm::Md5, messages), hashOf(HashAlgorithm::Sha1, messages));
}

std::string handshakeDigestName(ProtocolVersion v, const CipherSuite& suite)
{
    return v >= kTls12 ? hashName(suite.prfHash) : "MD5 || SHA-1";
}

Bytes computeVerifyData(ProtocolVersion v, const CipherSuite& suite, ByteView master, Side sender, ByteView messages)
{
    if (v == kSsl30) {
        // RFC 6101 §5.6.9: Sender is "CLNT" (0x434C4E54) or "SRVR" (0x53525652).
        const ByteView senderBytes = asBytes(sender == Side::Client ? std::string_view("CLNT") : std::string_view("SRVR"));
        return concat(ssl3HandshakeHash(HashAlgorithm::Md5, master, messages, senderBytes),
                      ssl3HandshakeHash(HashAlgorithm::Sha1, master, messages, senderBytes));
    }
    return verifyDataFromDigest(v, suite, master, sender, handshakeDigest(v, suite, messages));
}

Bytes verifyDataFromDigest(ProtocolVersion v, const CipherSuite& suite, ByteView master, Side sender, ByteView digest)
{
    const char* label = sender == Side::Client ? "client finished" : "server finished";
    return versionPrf(v, suite, master, label, digest, kVerifyDataLength);
}

std::size_t verifyDataLength(ProtocolVersion v)
{
    return v == kSsl30 ? 36 : kVerifyDataLength;
}

Bytes ssl3CertificateVerifyDigest(ByteView master, ByteView messages)
{
    return concat(ssl3HandshakeHash(HashAlgorithm::Md5, master, messages, {}),
                  ssl3HandshakeHash(HashAlgorithm::Sha1, master, messages, {}));
}

} // namespace hl
