// CBC with HMAC or the SSL 3.0 MAC (RFC 6101, RFC 2246, RFC 4346, RFC 5246 §6.2.3.2), RC4, AES-GCM (RFC 5288) and
// ChaCha20-Poly1305 (RFC 7905) over Crypto++.
#include "record/protection.h"

#include "common/alert.h"
#include "common/codec.h"
#include "crypto/hash.h"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/aes.h>
#include <cryptopp/arc4.h>
#include <cryptopp/chachapoly.h>
#include <cryptopp/des.h>
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
    case MacAlgorithm::HmacMd5:
        return HashAlgorithm::Md5;
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

// The MAC of the MAC-then-encrypt suites: HMAC over a header that includes the version from TLS 1.0 on
// (RFC 2246 §6.2.3.1), SSL 3.0's own nested keyed hash without the version (RFC 6101 §5.2.3.1).
class RecordMac {
public:
    RecordMac(HashAlgorithm hash, ByteView key, bool ssl3)
        : m_hash(hash), m_length(hashLength(hash)), m_ssl3(ssl3), m_key(key.begin(), key.end())
    {
        if (!ssl3)
            m_hmac = makeHmac(hash, key);
    }

    std::size_t length() const { return m_length; }
    std::string name() const { return m_ssl3 ? "the SSL 3.0 MAC over " + hashName(m_hash) : "HMAC-" + hashName(m_hash); }

    Bytes compute(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView plaintext)
    {
        Bytes mac(m_length);
        if (m_ssl3) {
            // hash(MAC_write_secret + pad_2 + hash(MAC_write_secret + pad_1 + seq_num + type + length + content)),
            // pads of 0x36 and 0x5c, 48 bytes long for MD5 and 40 for SHA-1.
            const std::size_t padLength = m_hash == HashAlgorithm::Md5 ? 48 : 40;
            Writer header;
            header.u64(seq);
            header.u8(contentType);
            header.u16(static_cast<std::uint16_t>(plaintext.size()));
            const Bytes inner = hashOf(m_hash, concat(m_key, Bytes(padLength, 0x36), header.take(), plaintext));
            return hashOf(m_hash, concat(m_key, Bytes(padLength, 0x5c), inner));
        }
        const Bytes header = macHeader(seq, contentType, version, plaintext.size());
        m_hmac->Update(header.data(), header.size());
        m_hmac->Update(in(plaintext), plaintext.size());
        m_hmac->Final(mac.data());
        return mac;
    }

private:
    HashAlgorithm m_hash;
    std::size_t m_length;
    bool m_ssl3;
    Bytes m_key;
    std::unique_ptr<CryptoPP::MessageAuthenticationCode> m_hmac;
};

// ---------------------------------------------------------------------------------------------------------------
// MAC-then-encrypt with a block cipher in CBC mode: fragment = [IV] || CBC(plaintext || MAC || padding ||
// padding_length). TLS 1.1 and 1.2 send a fresh IV with every record (RFC 4346 §6.2.3.2); SSL 3.0 and TLS 1.0 take
// the first IV from the key block and then chain: each record's IV is the last cipher block of the record before
// (RFC 2246 §6.2.3.2), which is what BEAST exploited.
template <typename Cipher> class CbcProtection final : public RecordProtection {
public:
    CbcProtection(const CipherSuite& suite, ProtocolVersion version, ByteView key, ByteView macKey, ByteView fixedIv)
        : m_block(Cipher::BLOCKSIZE), m_explicitIv(version >= kTls11), m_ssl3(version == kSsl30),
          m_mac(macHash(suite.mac), macKey, m_ssl3),
          m_description(bulkCipherName(suite.cipher) + (m_explicitIv ? "" : " (IV chained from the previous record)") +
                        " with " + m_mac.name())
    {
        const Bytes zeroIv(m_block, 0);
        if (!m_explicitIv) {
            if (fixedIv.size() != m_block)
                throw std::invalid_argument(std::string(suite.name) + " needs its " + num(m_block) +
                                            "-byte first IV from the key block in " + versionName(version));
            m_writeIv.assign(fixedIv.begin(), fixedIv.end());
            m_readIv = m_writeIv;
        }
        m_encrypt.SetKeyWithIV(key.data(), key.size(), zeroIv.data(), zeroIv.size());
        m_decrypt.SetKeyWithIV(key.data(), key.size(), zeroIv.data(), zeroIv.size());
    }

    Bytes protect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView plaintext,
                  CryptoPP::RandomNumberGenerator& rng) override
    {
        if (!m_explicitIv)
            return protectWithExplicitNonce(seq, contentType, version, plaintext, {});
        // RFC 5246 §6.2.3.2: the IV SHOULD be chosen at random and MUST be unpredictable (the BEAST lesson).
        Bytes iv(m_block);
        rng.GenerateBlock(iv.data(), iv.size());
        return protectWithExplicitNonce(seq, contentType, version, plaintext, iv);
    }

    Bytes protectWithExplicitNonce(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version,
                                   ByteView plaintext, ByteView explicitNonce) override
    {
        checkPlaintextLength(plaintext.size());
        const std::size_t ivLength = m_explicitIv ? m_block : 0;
        if (explicitNonce.size() != ivLength)
            throw std::invalid_argument("a " + m_description + " record's explicit IV must be " + num(ivLength) +
                                        " bytes, got " + num(explicitNonce.size()));
        Bytes block = concat(plaintext, m_mac.compute(seq, contentType, version, plaintext));
        // padding_length + 1 bytes, each holding padding_length, fill the last cipher block (SSL 3.0 allows any
        // padding bytes; these are the ones TLS requires).
        const std::size_t padLength = (m_block - (block.size() + 1) % m_block) % m_block;
        block.insert(block.end(), padLength + 1, static_cast<std::uint8_t>(padLength));

        const ByteView iv = m_explicitIv ? explicitNonce : ByteView(m_writeIv);
        Bytes fragment(explicitNonce.begin(), explicitNonce.end());
        fragment.resize(ivLength + block.size());
        m_encrypt.Resynchronize(iv.data(), static_cast<int>(iv.size()));
        m_encrypt.ProcessData(fragment.data() + ivLength, block.data(), block.size());
        if (!m_explicitIv)
            m_writeIv.assign(fragment.end() - static_cast<std::ptrdiff_t>(m_block), fragment.end());
        return fragment;
    }

    Bytes unprotect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView fragment) override
    {
        checkFragmentLength(fragment.size());
        const std::size_t ivLength = m_explicitIv ? m_block : 0;
        const std::size_t macLength = m_mac.length();
        // The IV, then whole blocks holding at least the MAC and the padding_length byte.
        const std::size_t minimum = ivLength + (macLength + 1 + m_block - 1) / m_block * m_block;
        if (fragment.size() < minimum)
            tooShort(m_description, minimum, fragment.size());
        if (fragment.size() % m_block != 0)
            throw TlsError(AlertDescription::BadRecordMac, "a " + m_description + " record must be whole " +
                                                               num(m_block) + "-byte blocks, got " +
                                                               num(fragment.size()) + " bytes");
        Bytes p(fragment.size() - ivLength);
        const ByteView iv = m_explicitIv ? fragment.first(m_block) : ByteView(m_readIv);
        m_decrypt.Resynchronize(iv.data(), static_cast<int>(m_block));
        m_decrypt.ProcessData(p.data(), fragment.data() + ivLength, p.size());
        if (!m_explicitIv)
            m_readIv.assign(fragment.end() - static_cast<std::ptrdiff_t>(m_block), fragment.end());

        // Check the padding without stopping at the first wrong byte, and compute the MAC whatever the padding
        // said (RFC 5246 §6.2.3.2 implementation note: as if the padding were empty), so that bad padding and a
        // bad MAC take about the same time. Not fully constant-time (Lucky 13 remains a lesson, not a defence).
        const std::size_t padLength = p.back();
        unsigned bad = padLength + 1 + macLength > p.size() ? 1u : 0u;
        if (m_ssl3) {
            // RFC 6101 §5.2.3.2: only the length is defined (less than one block); the padding bytes themselves are
            // arbitrary and covered by nothing, which is the hole POODLE went through.
            bad |= padLength >= m_block ? 1u : 0u;
        } else {
            const std::size_t scanned = std::min<std::size_t>(256, p.size());
            for (std::size_t i = 1; i <= scanned; ++i) {
                const unsigned inPadding = i <= padLength + 1 ? 1u : 0u;
                bad |= inPadding & (p[p.size() - i] != padLength ? 1u : 0u);
            }
        }
        const std::size_t stripped = bad ? 1 : padLength + 1;
        const std::size_t plainLength = p.size() - macLength - stripped;
        const Bytes expected = m_mac.compute(seq, contentType, version, ByteView(p.data(), plainLength));
        const bool macOk = CryptoPP::VerifyBufsEqual(expected.data(), p.data() + plainLength, macLength);
        if (bad || !macOk)
            badRecordMac();
        checkPlaintextLength(plainLength);
        p.resize(plainLength);
        return p;
    }

    std::string description() const override { return m_description; }

private:
    std::size_t m_block;
    bool m_explicitIv;
    bool m_ssl3;
    RecordMac m_mac;
    std::string m_description;
    Bytes m_writeIv, m_readIv; // the chained IVs (SSL 3.0, TLS 1.0)
    typename CryptoPP::CBC_Mode<Cipher>::Encryption m_encrypt;
    typename CryptoPP::CBC_Mode<Cipher>::Decryption m_decrypt;
};

// ---------------------------------------------------------------------------------------------------------------
// RC4 (RFC 5246 §6.2.3.1 GenericStreamCipher): fragment = RC4(plaintext || MAC), the key stream running on from one
// record to the next for the whole connection.
class Rc4Protection final : public RecordProtection {
public:
    Rc4Protection(const CipherSuite& suite, ProtocolVersion version, ByteView key, ByteView macKey)
        : m_mac(macHash(suite.mac), macKey, version == kSsl30), m_description("RC4-128 with " + m_mac.name())
    {
        m_encrypt.SetKey(key.data(), key.size());
        m_decrypt.SetKey(key.data(), key.size());
    }

    Bytes protect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView plaintext,
                  CryptoPP::RandomNumberGenerator&) override
    {
        return protectWithExplicitNonce(seq, contentType, version, plaintext, {});
    }

    Bytes protectWithExplicitNonce(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version,
                                   ByteView plaintext, ByteView explicitNonce) override
    {
        checkPlaintextLength(plaintext.size());
        if (!explicitNonce.empty())
            throw std::invalid_argument("RC4 records carry no IV");
        Bytes fragment = concat(plaintext, m_mac.compute(seq, contentType, version, plaintext));
        m_encrypt.ProcessData(fragment.data(), fragment.data(), fragment.size());
        return fragment;
    }

    Bytes unprotect(std::uint64_t seq, std::uint8_t contentType, std::uint16_t version, ByteView fragment) override
    {
        checkFragmentLength(fragment.size());
        if (fragment.size() < m_mac.length())
            tooShort(m_description, m_mac.length(), fragment.size());
        Bytes p(fragment.begin(), fragment.end());
        m_decrypt.ProcessData(p.data(), p.data(), p.size());
        const std::size_t plainLength = p.size() - m_mac.length();
        const Bytes expected = m_mac.compute(seq, contentType, version, ByteView(p.data(), plainLength));
        if (!CryptoPP::VerifyBufsEqual(expected.data(), p.data() + plainLength, m_mac.length()))
            badRecordMac();
        checkPlaintextLength(plainLength);
        p.resize(plainLength);
        return p;
    }

    std::string description() const override { return m_description; }

private:
    RecordMac m_mac;
    std::string m_description;
    CryptoPP::Weak::ARC4 m_encrypt, m_decrypt;
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
    return create(suite, kTls12, writeKey, macKey, fixedIv);
}

std::unique_ptr<RecordProtection> RecordProtection::create(const CipherSuite& suite, ProtocolVersion version,
                                                           ByteView writeKey, ByteView macKey, ByteView fixedIv)
{
    const std::string name(suite.name);
    if (writeKey.size() != suite.keyLength)
        throw std::invalid_argument(name + " needs a " + num(suite.keyLength) + "-byte write key, got " +
                                    num(writeKey.size()));
    if (macKey.size() != suite.macLength)
        throw std::invalid_argument(name + " needs a " + num(suite.macLength) + "-byte MAC key, got " +
                                    num(macKey.size()));
    // TLS 1.1 and 1.2 CBC ignore a fixed IV (every record brings its own), so an empty one is fine there.
    const bool ivOk = fixedIv.size() == suite.fixedIvLengthIn(version) ||
                      (suite.isCbc() && version >= kTls11 && (fixedIv.empty() || fixedIv.size() == suite.fixedIvLength));
    if (!ivOk)
        throw std::invalid_argument(name + " needs a " + num(suite.fixedIvLengthIn(version)) + "-byte fixed IV in " +
                                    versionName(version) + ", got " + num(fixedIv.size()));
    if (suite.isAead() && version < kTls12)
        throw std::invalid_argument(name + " is an AEAD suite, which needs TLS 1.2");
    switch (suite.cipher) {
    case BulkCipher::Aes128Cbc:
    case BulkCipher::Aes256Cbc:
        return std::make_unique<CbcProtection<CryptoPP::AES>>(suite, version, writeKey, macKey, fixedIv);
    case BulkCipher::TripleDesCbc:
        return std::make_unique<CbcProtection<CryptoPP::DES_EDE3>>(suite, version, writeKey, macKey, fixedIv);
    case BulkCipher::Rc4_128:
        return std::make_unique<Rc4Protection>(suite, version, writeKey, macKey);
    case BulkCipher::Aes128Gcm:
    case BulkCipher::Aes256Gcm:
        return std::make_unique<AesGcmProtection>(writeKey, fixedIv);
    case BulkCipher::ChaCha20Poly1305:
        return std::make_unique<ChaCha20Poly1305Protection>(writeKey, fixedIv);
    }
    throw std::invalid_argument(name + ": unknown bulk cipher");
}

} // namespace hl
