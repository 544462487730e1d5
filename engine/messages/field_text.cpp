// Display values shared by the message decoders.
#include "messages/field_text.h"

#include "common/codec.h"
#include "crypto/cipher_suite.h"

namespace hl::fieldtext {

namespace {
std::string withDecimal(std::string name, std::uint64_t v)
{
    return name + " (" + std::to_string(v) + ")";
}
std::string withHex(std::string name, std::uint64_t v, int digits)
{
    return name + " (" + hexValue(v, digits) + ")";
}
} // namespace

std::string version(ProtocolVersion v)
{
    // "TLS 1.0 (3,1 = 0x0301)": the RFCs write versions as two numbers, and TLS 1.0 is "SSL 3.1" on the wire.
    return versionName(v) + " (" + versionWireText(v) + " = " + hexValue(v, 4) + ")";
}
std::string cipherSuite(std::uint16_t id)
{
    return withHex(cipherSuiteName(id), id, 4);
}
std::string group(std::uint16_t g)
{
    return withDecimal(groupName(g), g);
}
std::string signatureScheme(std::uint16_t s)
{
    return withHex(signatureSchemeName(s), s, 4);
}
std::string extension(std::uint16_t e)
{
    return withDecimal(extensionName(e), e);
}

std::string compressionMethod(std::uint8_t m)
{
    // RFC 5246 §6.2.2 defines only null; RFC 3749's DEFLATE (1) was withdrawn after CRIME.
    switch (m) {
    case 0:
        return withDecimal("null", m);
    case 1:
        return withDecimal("DEFLATE", m);
    }
    return withDecimal("unknown", m);
}

std::string ecPointFormat(std::uint8_t f)
{
    // RFC 8422 §5.1.2 (values 1 and 2 are deprecated there but still seen on the wire).
    switch (f) {
    case 0:
        return withDecimal("uncompressed", f);
    case 1:
        return withDecimal("ansiX962_compressed_prime", f);
    case 2:
        return withDecimal("ansiX962_compressed_char2", f);
    }
    return withDecimal("unknown", f);
}

std::string certificateType(std::uint8_t t)
{
    // RFC 5246 §7.4.4 and RFC 8422 §5.5.
    switch (t) {
    case 1:
        return withDecimal("rsa_sign", t);
    case 2:
        return withDecimal("dss_sign", t);
    case 3:
        return withDecimal("rsa_fixed_dh", t);
    case 4:
        return withDecimal("dss_fixed_dh", t);
    case 64:
        return withDecimal("ecdsa_sign", t);
    case 65:
        return withDecimal("rsa_fixed_ecdh", t);
    case 66:
        return withDecimal("ecdsa_fixed_ecdh", t);
    }
    return withDecimal("unknown", t);
}

std::string byteCount(std::size_t n)
{
    return counted(n, "byte", "bytes");
}

std::string counted(std::size_t n, const char* singular, const char* plural)
{
    return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::size_t bitLength(ByteView big)
{
    std::size_t i = 0;
    while (i < big.size() && big[i] == 0)
        ++i;
    if (i == big.size())
        return 0;
    std::size_t bits = (big.size() - i - 1) * 8;
    for (std::uint8_t top = big[i]; top; top >>= 1)
        ++bits;
    return bits;
}

void requireEven(const Reader& list, std::string_view name)
{
    if (list.remaining() % 2 != 0)
        throw TlsError(AlertDescription::DecodeError, list.what() + ": " + std::string(name) + " length " +
                                                          std::to_string(list.remaining()) +
                                                          " is odd but its elements are 2 bytes each");
}

} // namespace hl::fieldtext
