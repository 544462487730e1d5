// CBC with HMAC (RFC 5246 §6.2.3.2), AES-GCM (RFC 5288) and ChaCha20-Poly1305 (RFC 7905) over Crypto++.
#include "record/protection.h"

#include "common/alert.h"
#include "common/codec.h"
#include "crypto/hash.h"

#include <cryptopp/aes.h>
#include <cryptopp/chachapoly.h>
#include <cryptopp/gcm.h>
#include <cryptopp/misc.h>
#include <cryptopp/modes.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace hl {

RecordProtection::~RecordProtection() = default;

namespace {

constexpr std::size_t kAesBlock = 16;
constexpr std::size_t kTagLength = 16;       // GCM (RFC 5288 §3) and Poly1305 (RFC 7905 §2)
constexpr std::size_t kGcmExplicitNonce = 8; // RFC 5288 §3
constexpr std::size_t kAeadNonce = 12;

std::string num(std::size_t n)
{
    return std::to_string(n);
}

// Crypto++ accepts zero-length input, but some of its debug assertions insist on a real pointer.
const CryptoPP::byte* in(ByteView v)
{
    static const CryptoPP::byte none = 0;
    return v.empty() ? &none : v.data();
}
CryptoPP::byte* out(Bytes& v, std::size_t offset = 0)
{
    static CryptoPP::byte none = 0;
    return offset >= v.size() ? &none : v.data() + offset;
}

// RFC 5246 §6.2.3.1 (the MAC input) and §6.2.3.3 (AEAD additional_data):
// seq_num + TLSCompressed.type + TLSCompressed.version + TLSCompressed.length.
Bytes macHeader(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, std::size_t length)
{
    Writer w;
    w.u64(seq);
    w.u8(contentType);
    w.u16(version);
    w.u16(static_cast<std::uint16_t>(length));
    return w.take();
}

void checkPlaintextLength(std::size_t n)
{
    if (n > kMaxPlaintextLength)
        throw TlsError(AlertDescription::RecordOverflow, "a record may carry at most 2^14 = 16384 bytes of "
                                                         "plaintext, this one has " +
                                                             num(n) + " (RFC 5246 §6.2.1)");
}

void checkFragmentLength(std::size_t n)
{
    if (n > kMaxCiphertextLength)
        throw TlsError(AlertDescription::RecordOverflow, "a protected record may be at most 2^14 + 2048 = 18432 "
                                                         "bytes long, this one has " +
                                                             num(n) + " (RFC 5246 §6.2.3)");
}

[[noreturn]] void tooShort(const std::string& what, std::size_t minimum, std::size_t got)
{
    throw TlsError(AlertDescription::BadRecordMac,
                   "a " + what + " record needs at least " + num(minimum) + " bytes, got " + num(got));
}

// RFC 5246 §7.2.2 and §6.2.3.2: bad padding and a bad MAC must look the same from outside, or the difference is a
// padding oracle (Vaudenay 2002). So every integrity failure says exactly this.
[[noreturn]] void badRecordMac()
{
    throw TlsError(AlertDescription::BadRecordMac,
                   "the record failed its integrity check: it was altered in transit, or protected with other "
                   "keys or another sequence number");
}

HashAlgorithm macHash(MacAlgorithm m)
{
    switch (m) {
    case MacAlgorithm::HmacSha1:
        return HashAlgorithm::Sha1;
    case MacAlgorithm::HmacSha256:
        return HashAlgorithm::Sha256;
    case MacAlgorithm::HmacSha384:
        return HashAlgorithm::Sha384;
    case MacAlgorithm::Aead:
        break;
    }
    throw std::invalid_argument("an AEAD suite has no separate MAC");
}

// ---------------------------------------------------------------------------------------------------------------
// RFC 5246 §6.2.3.2: MAC-then-encrypt. fragment = IV || CBC(plaintext || HMAC || padding || padding_length).
class CbcHmacProtection final : public RecordProtection {
public:
    CbcHmacProtection(const CipherSuite& suite, ByteView key, ByteView macKey)
        : m_hash(macHash(suite.mac)), m_macLength(hashLength(m_hash)), m_mac(makeHmac(m_hash, macKey)),
          m_description("AES-" + num(key.size() * 8) + "-CBC with HMAC-" + hashName(m_hash))
    {
        const Bytes zeroIv(kAesBlock, 0);
        m_encrypt.SetKeyWithIV(key.data(), key.size(), zeroIv.data(), zeroIv.size());
        m_decrypt.SetKeyWithIV(key.data(), key.size(), zeroIv.data(), zeroIv.size());
    }

    Bytes protect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView plaintext,
                  CryptoPP::RandomNumberGenerator& rng) override
    {
        // RFC 5246 §6.2.3.2: the IV SHOULD be chosen at random and MUST be unpredictable (the BEAST lesson).
        Bytes iv(kAesBlock);
        rng.GenerateBlock(iv.data(), iv.size());
        return protectWithExplicitNonce(seq, contentType, version, plaintext, iv);
    }

    Bytes protectWithExplicitNonce(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version,
                                   ByteView plaintext, ByteView explicitNonce) override
    {
        checkPlaintextLength(plaintext.size());
        if (explicitNonce.size() != kAesBlock)
            throw std::invalid_argument("a CBC record's explicit IV must be 16 bytes, got " +
                                        num(explicitNonce.size()));
        Bytes block = concat(plaintext, computeMac(seq, contentType, version, plaintext));
        // padding_length + 1 bytes, each holding padding_length, fill the last cipher block.
        const std::size_t padLength = (kAesBlock - (block.size() + 1) % kAesBlock) % kAesBlock;
        block.insert(block.end(), padLength + 1, static_cast<std::uint8_t>(padLength));

        Bytes fragment(explicitNonce.begin(), explicitNonce.end());
        fragment.resize(kAesBlock + block.size());
        m_encrypt.Resynchronize(explicitNonce.data(), static_cast<int>(explicitNonce.size()));
        m_encrypt.ProcessData(fragment.data() + kAesBlock, block.data(), block.size());
        return fragment;
    }

    Bytes unprotect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView fragment) override
    {
        checkFragmentLength(fragment.size());
        // The IV, then whole blocks holding at least the MAC and the padding_length byte.
        const std::size_t minimum = kAesBlock + (m_macLength + 1 + kAesBlock - 1) / kAesBlock * kAesBlock;
        if (fragment.size() < minimum)
            tooShort(m_description, minimum, fragment.size());
        if (fragment.size() % kAesBlock != 0)
            throw TlsError(AlertDescription::BadRecordMac, "a " + m_description +
                                                               " record must be whole 16-byte blocks, got " +
                                                               num(fragment.size()) + " bytes");
        Bytes p(fragment.size() - kAesBlock);
        m_decrypt.Resynchronize(fragment.data(), static_cast<int>(kAesBlock));
        m_decrypt.ProcessData(p.data(), fragment.data() + kAesBlock, p.size());

        // Check the padding without stopping at the first wrong byte, and compute the MAC whatever the padding
        // said (RFC 5246 §6.2.3.2 implementation note: as if the padding were empty), so that bad padding and a
        // bad MAC take about the same time. Not fully constant-time (Lucky 13 remains a lesson, not a defence).
        const std::size_t padLength = p.back();
        unsigned bad = padLength + 1 + m_macLength > p.size() ? 1u : 0u;
        const std::size_t scanned = std::min<std::size_t>(256, p.size());
        for (std::size_t i = 1; i <= scanned; ++i) {
            const unsigned inPadding = i <= padLength + 1 ? 1u : 0u;
            bad |= inPadding & (p[p.size() - i] != padLength ? 1u : 0u);
        }
        const std::size_t stripped = bad ? 1 : padLength + 1;
        const std::size_t plainLength = p.size() - m_macLength - stripped;
        const Bytes expected = computeMac(seq, contentType, version, ByteView(p.data(), plainLength));
        const bool macOk = CryptoPP::VerifyBufsEqual(expected.data(), p.data() + plainLength, m_macLength);
        if (bad || !macOk)
            badRecordMac();
        checkPlaintextLength(plainLength);
        p.resize(plainLength);
        return p;
    }

    std::string description() const override { return m_description; }

private:
    // RFC 5246 §6.2.3.1: HMAC(MAC_write_key, seq_num + type + version + length + fragment)
    Bytes computeMac(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView plaintext)
    {
        const Bytes header = macHeader(seq, contentType, version, plaintext.size());
        m_mac->Update(header.data(), header.size());
        m_mac->Update(in(plaintext), plaintext.size());
        Bytes mac(m_macLength);
        m_mac->Final(mac.data());
        return mac;
    }

    HashAlgorithm m_hash;
    std::size_t m_macLength;
    std::unique_ptr<CryptoPP::MessageAuthenticationCode> m_mac;
    std::string m_description;
    CryptoPP::CBC_Mode<CryptoPP::AES>::Encryption m_encrypt;
    CryptoPP::CBC_Mode<CryptoPP::AES>::Decryption m_decrypt;
};

// ---------------------------------------------------------------------------------------------------------------
// The shape both AEAD constructions share (RFC 5246 §6.2.3.3): nonce from the record, additional_data from the
// header, fragment = explicit nonce || ciphertext || tag.
template <typename Cipher> class AeadProtection : public RecordProtection {
public:
    AeadProtection(ByteView key, ByteView fixedIv, std::size_t explicitLength, std::string description)
        : m_fixedIv(fixedIv.begin(), fixedIv.end()), m_explicitLength(explicitLength),
          m_description(std::move(description))
    {
        const Bytes zeroNonce(kAeadNonce, 0);
        m_encrypt.SetKeyWithIV(key.data(), key.size(), zeroNonce.data(), zeroNonce.size());
        m_decrypt.SetKeyWithIV(key.data(), key.size(), zeroNonce.data(), zeroNonce.size());
    }

    Bytes protectWithExplicitNonce(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version,
                                   ByteView plaintext, ByteView explicitNonce) override
    {
        checkPlaintextLength(plaintext.size());
        if (explicitNonce.size() != m_explicitLength)
            throw std::invalid_argument(m_description + " needs an explicit nonce of " + num(m_explicitLength) +
                                        " bytes, got " + num(explicitNonce.size()));
        const Bytes nonce = makeNonce(seq, explicitNonce);
        const Bytes aad = macHeader(seq, contentType, version, plaintext.size());
        Bytes fragment(explicitNonce.begin(), explicitNonce.end());
        fragment.resize(m_explicitLength + plaintext.size() + kTagLength);
        m_encrypt.EncryptAndAuthenticate(
            out(fragment, m_explicitLength), out(fragment, m_explicitLength + plaintext.size()), kTagLength,
            nonce.data(), static_cast<int>(nonce.size()), aad.data(), aad.size(), in(plaintext), plaintext.size());
        return fragment;
    }

    Bytes unprotect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView fragment) override
    {
        checkFragmentLength(fragment.size());
        if (fragment.size() < m_explicitLength + kTagLength)
            tooShort(m_description, m_explicitLength + kTagLength, fragment.size());
        const std::size_t n = fragment.size() - m_explicitLength - kTagLength;
        const Bytes nonce = makeNonce(seq, fragment.first(m_explicitLength));
        const Bytes aad = macHeader(seq, contentType, version, n);
        Bytes p(n);
        const ByteView ciphertext = fragment.subspan(m_explicitLength, n);
        const ByteView tag = fragment.subspan(m_explicitLength + n);
        if (!m_decrypt.DecryptAndVerify(out(p), tag.data(), kTagLength, nonce.data(), static_cast<int>(nonce.size()),
                                        aad.data(), aad.size(), in(ciphertext), n))
            badRecordMac();
        checkPlaintextLength(n);
        return p;
    }

    std::string description() const override { return m_description; }

protected:
    virtual Bytes makeNonce(std::uint64_t seq, ByteView explicitNonce) const = 0;

    Bytes m_fixedIv;

private:
    std::size_t m_explicitLength;
    std::string m_description;
    typename Cipher::Encryption m_encrypt;
    typename Cipher::Decryption m_decrypt;
};

Bytes bigEndian64(std::uint64_t v)
{
    Writer w;
    w.u64(v);
    return w.take();
}

// RFC 5288 §3: nonce = salt (4 bytes from the key block) || nonce_explicit (8 bytes, sent in the record).
class AesGcmProtection final : public AeadProtection<CryptoPP::GCM<CryptoPP::AES>> {
public:
    AesGcmProtection(ByteView key, ByteView salt)
        : AeadProtection(key, salt, kGcmExplicitNonce, "AES-" + num(key.size() * 8) + "-GCM")
    {
    }

    Bytes protect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView plaintext,
                  CryptoPP::RandomNumberGenerator&) override
    {
        // RFC 5288 §3 leaves nonce_explicit to the sender but it must never repeat under one key; the sequence
        // number is the usual choice (and what RFC 8446 later made implicit).
        return protectWithExplicitNonce(seq, contentType, version, plaintext, bigEndian64(seq));
    }

protected:
    Bytes makeNonce(std::uint64_t, ByteView explicitNonce) const override { return concat(m_fixedIv, explicitNonce); }
};

// RFC 7905 §2: nonce = the 12-byte IV from the key block XOR the sequence number, left-padded to 12 bytes;
// nothing is sent, so the fragment is ciphertext || tag.
class ChaCha20Poly1305Protection final : public AeadProtection<CryptoPP::ChaCha20Poly1305> {
public:
    ChaCha20Poly1305Protection(ByteView key, ByteView iv) : AeadProtection(key, iv, 0, "ChaCha20-Poly1305") {}

    Bytes protect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView plaintext,
                  CryptoPP::RandomNumberGenerator&) override
    {
        return protectWithExplicitNonce(seq, contentType, version, plaintext, {});
    }

protected:
    Bytes makeNonce(std::uint64_t seq, ByteView) const override
    {
        Bytes nonce = m_fixedIv;
        const Bytes s = bigEndian64(seq);
        for (std::size_t i = 0; i < s.size(); ++i)
            nonce[kAeadNonce - s.size() + i] ^= s[i];
        return nonce;
    }
};

} // namespace

std::unique_ptr<RecordProtection> RecordProtection::create(const CipherSuite& suite, ByteView writeKey, ByteView macKey,
                                                           ByteView fixedIv)
{
    const std::string name(suite.name);
    if (writeKey.size() != suite.keyLength)
        throw std::invalid_argument(name + " needs a " + num(suite.keyLength) + "-byte write key, got " +
                                    num(writeKey.size()));
    if (macKey.size() != suite.macLength)
        throw std::invalid_argument(name + " needs a " + num(suite.macLength) + "-byte MAC key, got " +
                                    num(macKey.size()));
    const bool ivOk = fixedIv.size() == suite.fixedIvLength || (!suite.isAead() && fixedIv.empty());
    if (!ivOk)
        throw std::invalid_argument(name + " needs a " + num(suite.fixedIvLength) + "-byte fixed IV, got " +
                                    num(fixedIv.size()));
    switch (suite.cipher) {
    case BulkCipher::Aes128Cbc:
    case BulkCipher::Aes256Cbc:
        return std::make_unique<CbcHmacProtection>(suite, writeKey, macKey);
    case BulkCipher::Aes128Gcm:
    case BulkCipher::Aes256Gcm:
        return std::make_unique<AesGcmProtection>(writeKey, fixedIv);
    case BulkCipher::ChaCha20Poly1305:
        return std::make_unique<ChaCha20Poly1305Protection>(writeKey, fixedIv);
    }
    throw std::invalid_argument(name + ": unknown bulk cipher");
}

} // namespace hl
