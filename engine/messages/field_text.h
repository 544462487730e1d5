// Display values shared by the message decoders: how a wire number reads in the field tree.
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hl {
class Reader;
}

namespace hl::fieldtext {

// Each returns the registry name and the number as it is usually written: hex for versions, suites and
// signature schemes (as the IANA registries list them), decimal for groups, extensions and small enums.
std::string version(ProtocolVersion v);        // "TLS 1.2 (0x0303)"
std::string cipherSuite(std::uint16_t id);     // "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)"
std::string group(std::uint16_t g);            // "x25519 (29)"
std::string signatureScheme(std::uint16_t s);  // "rsa_pkcs1_sha256 (0x0401)"
std::string extension(std::uint16_t e);        // "server_name (0)"
std::string compressionMethod(std::uint8_t m); // "null (0)"
std::string ecPointFormat(std::uint8_t f);     // "uncompressed (0)"
std::string certificateType(std::uint8_t t);   // "rsa_sign (1)"
std::string byteCount(std::size_t n);          // "1 byte" / "32 bytes"
std::string counted(std::size_t n, const char* singular, const char* plural);
// Bits of a big-endian unsigned integer, leading zero bytes ignored (for "2048-bit prime").
std::size_t bitLength(ByteView bigEndian);

// Several TLS vectors hold 16-bit values, so an odd byte length cannot be split into elements: RFC 5246 §4.3
// defines the vector length in bytes, and a length that is not a multiple of the element size is malformed.
void requireEven(const Reader& list, std::string_view name);

} // namespace hl::fieldtext
