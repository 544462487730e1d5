// A small bounds-checked DER reader (X.690 §8 and §10) for certificates and keys; encoding is Crypto++'s.
//
// Crypto++ (asn.h) encodes DER well but has no X.509 parser, and its BER decoders do not say where an element
// sits. This reader walks tag-length-value triples inside the bytes it was given, refuses anything DER forbids
// (indefinite or non-minimal lengths, multi-byte tags, lengths that overrun their parent) and keeps each
// element's offset, so a certificate's field tree can point at its bytes. It decodes structure only: every
// cryptographic operation stays in Crypto++.
#pragma once

#include "common/bytes.h"

#include <cryptopp/asn.h>
#include <cryptopp/integer.h>
#include <cryptopp/queue.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hl::der {

// Universal tags X.509 uses (X.680 §8.4), with the constructed bit already set for SEQUENCE and SET.
enum Tag : std::uint8_t {
    Boolean = 0x01,
    Integer = 0x02,
    BitString = 0x03,
    OctetString = 0x04,
    Null = 0x05,
    ObjectIdentifier = 0x06,
    Utf8String = 0x0c,
    PrintableString = 0x13,
    TeletexString = 0x14,
    Ia5String = 0x16,
    UtcTime = 0x17,
    GeneralizedTime = 0x18,
    UniversalString = 0x1c,
    BmpString = 0x1e,
    Sequence = 0x30,
    Set = 0x31,
};

// [n] context-specific tag (X.690 §8.1.2): 0x80 | n, plus 0x20 when constructed (EXPLICIT tagging is always
// constructed).
constexpr std::uint8_t contextTag(int n, bool constructed)
{
    return static_cast<std::uint8_t>(0x80 | (constructed ? 0x20 : 0x00) | n);
}

// Malformed DER. The message names the structure and the element ("certificate: validity.notBefore: ...").
class Error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// One tag-length-value. `whole` and `contents` view the caller's buffer, which must outlive the element.
struct Element {
    std::uint8_t tag = 0;
    ByteView whole;
    ByteView contents;
    std::size_t offset = 0; // of the tag byte: position in the outermost buffer plus the reader's base offset

    std::size_t headerLength() const { return whole.size() - contents.size(); }
    std::size_t contentsOffset() const { return offset + headerLength(); }
    Bytes bytes() const { return Bytes(whole.begin(), whole.end()); }
};

class Reader {
public:
    // `what` prefixes every error message; `baseOffset` is added to every element's offset.
    Reader(ByteView data, std::string what, std::size_t baseOffset = 0);
    // Reads the contents of a constructed element; offsets continue from the element's own.
    Reader(const Element& constructed, std::string what);

    bool done() const { return m_pos == m_data.size(); }
    // True when another element follows and its tag is `tag`.
    bool peek(std::uint8_t tag) const;
    Element read(std::string_view name);
    // As read(), but the tag must be `tag` ("expected SEQUENCE, found INTEGER").
    Element read(std::uint8_t tag, std::string_view name);
    std::optional<Element> readOptional(std::uint8_t tag, std::string_view name);
    // DER structures carry nothing after their last element.
    void expectDone(std::string_view name) const;

    const std::string& what() const { return m_what; }
    [[noreturn]] void fail(std::string_view name, const std::string& problem) const;

private:
    ByteView m_data;
    std::string m_what;
    std::size_t m_base;
    std::size_t m_pos = 0;
};

// "SEQUENCE", "INTEGER", "[3]" ... for messages and the field tree.
std::string tagName(std::uint8_t tag);

// Primitive values. Each checks the DER rules for its type and throws Error naming `name`.
// The contents octets of an INTEGER, minimal as X.690 §8.3.2 requires.
Bytes integerContents(const Element& e, std::string_view name);
// A non-negative INTEGER no larger than `max`.
std::uint64_t smallUnsigned(const Element& e, std::uint64_t max, std::string_view name);
// A positive INTEGER as Crypto++ holds it (RSA moduli and exponents, ECDSA r and s).
CryptoPP::Integer positiveInteger(const Element& e, std::string_view name);
// DER BOOLEAN: one octet, 0x00 or 0xFF (X.690 §11.1).
bool boolean(const Element& e, std::string_view name);
// Dotted decimal, e.g. "1.2.840.113549.1.1.11".
std::string objectIdentifier(const Element& e, std::string_view name);
struct BitStringValue {
    Bytes bytes;
    unsigned unusedBits = 0;
};
BitStringValue bitString(const Element& e, std::string_view name);
// A BIT STRING carrying whole octets (keys, signatures): unused bits must be 0.
Bytes octetAlignedBitString(const Element& e, std::string_view name);
// Any ASN.1 string type X.509 names use, converted to UTF-8.
std::string text(const Element& e, std::string_view name);
// UTCTime or GeneralizedTime in the forms RFC 5280 §4.1.2.5 allows, as Unix seconds.
std::int64_t time(const Element& e, std::string_view name);

// Civil date arithmetic for the proleptic Gregorian calendar (no clock, no time zone: UTC only).
struct CivilTime {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};
std::int64_t unixFromCivil(const CivilTime& t);
CivilTime civilFromUnix(std::int64_t unixSeconds);

// Encoding helpers around Crypto++'s DER encoder.
CryptoPP::OID cryptoOid(std::string_view dotted);
// The bytes a Crypto++ encoding step wrote.
template <typename Encode> Bytes encode(Encode&& encodeInto)
{
    CryptoPP::ByteQueue queue;
    encodeInto(static_cast<CryptoPP::BufferedTransformation&>(queue));
    Bytes out(static_cast<std::size_t>(queue.MaxRetrievable()));
    queue.Get(out.data(), out.size());
    return out;
}

} // namespace hl::der
