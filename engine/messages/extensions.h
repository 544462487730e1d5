// Hello extensions (RFC 5246 §7.4.1.4): the raw block every hello carries, plus typed builders and parsers.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "common/protocol.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hl {

// One extension exactly as on the wire. Unknown types stay here untouched so a hello re-serializes
// byte for byte (the transcript hash depends on it).
struct Extension {
    std::uint16_t type = 0;
    Bytes data;

    bool operator==(const Extension&) const = default;
};

// Writes the u16-prefixed extensions block.
void encodeExtensions(Writer& w, const std::vector<Extension>& extensions);
// Reads the u16-prefixed extensions block. Known types are also checked against their grammar (a malformed
// one is decode_error) and, when the Reader records, get a decoded child tree. RFC 5246 §7.4.1.4: a type may
// appear at most once, so a duplicate is decode_error.
std::vector<Extension> decodeExtensions(Reader& r);
const Extension* findExtension(const std::vector<Extension>& extensions, ExtensionType type);

// Typed builders and parsers. Builders encode whatever they are given (so a scenario can build a bad hello);
// parsers enforce the grammar and throw TlsError(DecodeError) on anything malformed.
namespace ext {

// RFC 6066 §3: a ServerNameList with one host_name (type 0). The server's reply is an empty extension, which
// is not a ServerNameList: check data.empty() before calling parseServerName on a ServerHello's extension.
Extension serverName(std::string_view host);
// The host_name entry, "" when the list names only other types. Every entry is read as <1..2^16-1>.
std::string parseServerName(ByteView data);

// RFC 8422 §5.1.1 (named "elliptic_curves" in RFC 4492; RFC 7919 adds the ffdhe groups).
Extension supportedGroups(const std::vector<std::uint16_t>& groups);
std::vector<std::uint16_t> parseSupportedGroups(ByteView data);

// RFC 8422 §5.1.2.
Extension ecPointFormats(const std::vector<std::uint8_t>& formats);
std::vector<std::uint8_t> parseEcPointFormats(ByteView data);

// RFC 5246 §7.4.1.4.1.
Extension signatureAlgorithms(const std::vector<std::uint16_t>& schemes);
std::vector<std::uint16_t> parseSignatureAlgorithms(ByteView data);

// RFC 5746 §3.2: empty on an initial handshake; the previous verify_data on a renegotiation.
Extension renegotiationInfo(ByteView renegotiatedConnection);
Bytes parseRenegotiationInfo(ByteView data);

// RFC 6066 §8: the client asks for a stapled OCSP response (status_type ocsp, no responder IDs, no request
// extensions); the server's ServerHello answers with an empty extension_data.
Extension statusRequestOcsp();
// The status_type the client asked for (1 = ocsp); the lists are checked against their grammar and ignored.
std::uint8_t parseStatusRequest(ByteView data);

// RFC 7627 §5.1: the extension_data is empty.
Extension extendedMasterSecret();
void parseExtendedMasterSecret(ByteView data);

// RFC 5077 §3.2: in ClientHello, empty to ask for a ticket or the ticket being presented; in ServerHello, always
// empty, a promise of NewSessionTicket.
Extension sessionTicket(ByteView ticket = {});
Bytes parseSessionTicket(ByteView data);

} // namespace ext
} // namespace hl
