// Hello extensions: the raw block, and the grammar of the extensions HandshakeLab understands.
#include "messages/extensions.h"

#include "messages/field_text.h"

#include <set>

namespace hl {

namespace {

constexpr std::uint8_t kHostName = 0; // RFC 6066 §3 NameType host_name

std::string indexed(std::string_view name, std::size_t i)
{
    return std::string(name) + "[" + std::to_string(i) + "]";
}

bool printable(ByteView b)
{
    for (std::uint8_t c : b)
        if (c < 0x20 || c > 0x7e)
            return false;
    return true;
}

std::string parseServerNameList(Reader& r)
{
    Reader list =
        r.sub(2, 1, 0xffff, "server_name_list", "the names the client is looking for, at most one of each type");
    std::string host;
    std::set<std::uint8_t> seenTypes;
    for (std::size_t i = 0; !list.done(); ++i) {
        const std::size_t mark = list.mark();
        const std::uint8_t type = list.u8("name_type", "what kind of name follows; 0 is a DNS host name");
        list.describe(type == kHostName ? "host_name (0)" : "unknown (" + std::to_string(type) + ")");
        // RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same name_type."
        if (!seenTypes.insert(type).second)
            throw TlsError(AlertDescription::DecodeError,
                           list.what() + ": server_name_list names type " + std::to_string(type) + " twice");
        // Every name type deployed so far is a <1..2^16-1> vector, which is how all stacks skip unknown ones.
        const Bytes name = list.vec(2, 1, 0xffff, type == kHostName ? "host_name" : "name",
                                    type == kHostName ? "the DNS name of the site, in ASCII, without a trailing dot"
                                                      : "a name of a type HandshakeLab does not know");
        if (printable(name))
            list.describe(asString(name));
        if (type == kHostName)
            host = asString(name);
        list.group(mark, indexed("server_name", i), printable(name) ? asString(name) : preview(name),
                   "one requested name");
    }
    return host;
}

std::vector<std::uint16_t> parseGroupList(Reader& r)
{
    Reader list = r.sub(2, 2, 0xffff, "named_group_list",
                        "the groups the client can do ECDHE or DHE key agreement in, most preferred first");
    fieldtext::requireEven(list, "named_group_list");
    std::vector<std::uint16_t> out;
    for (std::size_t i = 0; !list.done(); ++i) {
        out.push_back(list.u16(indexed("named_group", i), "one curve or finite-field group"));
        list.describe(fieldtext::group(out.back()));
    }
    return out;
}

std::vector<std::uint8_t> parsePointFormatList(Reader& r)
{
    Reader list = r.sub(1, 1, 0xff, "ec_point_format_list", "the encodings of curve points the sender can read");
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; !list.done(); ++i) {
        out.push_back(list.u8(indexed("ec_point_format", i), "one point encoding"));
        list.describe(fieldtext::ecPointFormat(out.back()));
    }
    return out;
}

std::vector<std::uint16_t> parseSignatureAlgorithmList(Reader& r)
{
    Reader list = r.sub(2, 2, 0xfffe, "supported_signature_algorithms",
                        "the signature and hash pairs the sender accepts, most preferred first");
    fieldtext::requireEven(list, "supported_signature_algorithms");
    std::vector<std::uint16_t> out;
    for (std::size_t i = 0; !list.done(); ++i) {
        out.push_back(list.u16(indexed("signature_algorithm", i), "one hash (first byte) and signature (second byte)"));
        list.describe(fieldtext::signatureScheme(out.back()));
    }
    return out;
}

Bytes parseRenegotiatedConnection(Reader& r)
{
    Bytes out = r.vec(1, 0, 0xff, "renegotiated_connection",
                      "the Finished verify_data of the connection being renegotiated; empty on a first handshake");
    if (out.empty())
        r.describe("empty (first handshake on this connection)");
    return out;
}

std::uint8_t parseStatusRequestBody(Reader& r)
{
    const std::uint8_t type = r.u8("status_type", "1: the client wants an OCSP response stapled (RFC 6066 §8)");
    if (type != 1)
        return type; // another status type: its body is not ours to read
    r.describe("ocsp (1)");
    if (r.vec(2, 0, 0xffff, "responder_id_list", "OCSP responders the client trusts; empty: the server's usual one")
            .empty())
        r.describe("empty (any responder)");
    if (r.vec(2, 0, 0xffff, "request_extensions", "OCSP request extensions (a nonce, say); usually empty").empty())
        r.describe("empty (none)");
    return type;
}

void requireEmpty(const Reader& r, std::string_view name, std::string_view rfc)
{
    if (!r.done())
        throw TlsError(AlertDescription::DecodeError, r.what() + ": " + std::string(name) + " carries " +
                                                          std::to_string(r.remaining()) +
                                                          " byte(s) but must be empty (" + std::string(rfc) + ")");
}

// Checks a known extension's body against its grammar, recording its fields into `r`.
void parseKnownBody(Reader& r, std::uint16_t type)
{
    switch (static_cast<ExtensionType>(type)) {
    case ExtensionType::ServerName:
        // RFC 6066 §3: the server acknowledges with an empty extension_data.
        if (!r.done())
            parseServerNameList(r);
        break;
    case ExtensionType::StatusRequest:
        // RFC 6066 §8: the server agrees with an empty extension_data.
        if (!r.done() && parseStatusRequestBody(r) != 1)
            r.rest("request", "a status request of a type HandshakeLab does not read");
        break;
    case ExtensionType::SupportedGroups:
        parseGroupList(r);
        break;
    case ExtensionType::EcPointFormats:
        parsePointFormatList(r);
        break;
    case ExtensionType::SignatureAlgorithms:
        parseSignatureAlgorithmList(r);
        break;
    case ExtensionType::RenegotiationInfo:
        parseRenegotiatedConnection(r);
        break;
    case ExtensionType::ExtendedMasterSecret:
        requireEmpty(r, "extended_master_secret", "RFC 7627 §5.1");
        break;
    case ExtensionType::EncryptThenMac:
        requireEmpty(r, "encrypt_then_mac", "RFC 7366 §2");
        break;
    case ExtensionType::SessionTicket:
        // RFC 5077 §3.2: empty to ask for a ticket, or a ticket from an earlier session to resume it.
        if (!r.done())
            r.rest("ticket", "a session ticket the server issued earlier, opaque to the client");
        break;
    default:
        break;
    }
    r.expectDone();
}

bool isKnown(std::uint16_t type)
{
    switch (static_cast<ExtensionType>(type)) {
    case ExtensionType::ServerName:
    case ExtensionType::StatusRequest:
    case ExtensionType::SupportedGroups:
    case ExtensionType::EcPointFormats:
    case ExtensionType::SignatureAlgorithms:
    case ExtensionType::EncryptThenMac:
    case ExtensionType::ExtendedMasterSecret:
    case ExtensionType::SessionTicket:
    case ExtensionType::RenegotiationInfo:
        return true;
    }
    return false;
}

const char* extensionMeaning(std::uint16_t type)
{
    switch (static_cast<ExtensionType>(type)) {
    case ExtensionType::ServerName:
        return "which site the client wants, so one server address can host many sites (RFC 6066 §3)";
    case ExtensionType::StatusRequest:
        return "asks the server to staple its CA's signed OCSP statement that the certificate is not revoked (RFC "
               "6066 §8)";
    case ExtensionType::SupportedGroups:
        return "the key-agreement groups the client can use (RFC 8422 §5.1.1, RFC 7919)";
    case ExtensionType::EcPointFormats:
        return "how elliptic-curve points may be encoded (RFC 8422 §5.1.2)";
    case ExtensionType::SignatureAlgorithms:
        return "the signatures the client accepts from the server (RFC 5246 §7.4.1.4.1)";
    case ExtensionType::EncryptThenMac:
        return "asks CBC suites to MAC the ciphertext rather than the plaintext (RFC 7366)";
    case ExtensionType::ExtendedMasterSecret:
        return "ties the master secret to this whole handshake so it cannot be reused on another connection (RFC 7627)";
    case ExtensionType::SessionTicket:
        return "resumption with a ticket the server issues (RFC 5077)";
    case ExtensionType::RenegotiationInfo:
        return "proves a renegotiation continues this very connection (RFC 5746)";
    }
    return "an extension HandshakeLab does not interpret; it is kept byte for byte";
}

} // namespace

void encodeExtensions(Writer& w, const std::vector<Extension>& extensions)
{
    w.prefixed(2, [&](Writer& block) {
        for (const Extension& e : extensions) {
            block.u16(e.type);
            block.vec(2, e.data);
        }
    });
}

std::vector<Extension> decodeExtensions(Reader& r)
{
    Reader block = r.sub(2, 0, 0xffff, "extensions", "optional features, each a type followed by its own data");
    std::vector<Extension> out;
    std::set<std::uint16_t> seen;
    for (std::size_t i = 0; !block.done(); ++i) {
        const std::size_t mark = block.mark();
        Extension e;
        e.type = block.u16("extension_type", "which extension this is (IANA TLS ExtensionType registry)");
        block.describe(fieldtext::extension(e.type));
        // RFC 5246 §7.4.1.4: "There MUST NOT be more than one extension of the same type."
        if (!seen.insert(e.type).second)
            throw TlsError(AlertDescription::DecodeError,
                           r.what() + ": duplicate extension " + extensionName(e.type) + " (RFC 5246 §7.4.1.4)");
        e.data = block.vec(2, 0, 0xffff, "extension_data",
                           isKnown(e.type) ? "the extension's contents" : "contents HandshakeLab does not interpret");
        Field* dataField = block.sink() ? &block.sink()->back() : nullptr;
        if (isKnown(e.type)) {
            Reader body(e.data, r.what() + " " + extensionName(e.type), dataField ? &dataField->children : nullptr,
                        dataField ? dataField->offset + 2 : 0);
            parseKnownBody(body, e.type);
        }
        if (dataField && e.data.empty())
            dataField->value = "empty";
        block.group(mark, indexed("extension", i), extensionName(e.type), extensionMeaning(e.type));
        out.push_back(std::move(e));
    }
    return out;
}

const Extension* findExtension(const std::vector<Extension>& extensions, ExtensionType type)
{
    for (const Extension& e : extensions)
        if (e.type == static_cast<std::uint16_t>(type))
            return &e;
    return nullptr;
}

namespace ext {

namespace {
Extension make(ExtensionType type, Writer& w)
{
    return Extension{static_cast<std::uint16_t>(type), w.take()};
}

template <typename T, typename Parse> T parseWith(ByteView data, ExtensionType type, Parse parse)
{
    Reader r(data, extensionName(static_cast<std::uint16_t>(type)) + " extension");
    T out = parse(r);
    r.expectDone();
    return out;
}
} // namespace

Extension serverName(std::string_view host)
{
    Writer w;
    w.prefixed(2, [&](Writer& list) {
        list.u8(kHostName);
        list.vec(2, asBytes(host));
    });
    return make(ExtensionType::ServerName, w);
}

std::string parseServerName(ByteView data)
{
    return parseWith<std::string>(data, ExtensionType::ServerName, parseServerNameList);
}

Extension supportedGroups(const std::vector<std::uint16_t>& groups)
{
    Writer w;
    w.prefixed(2, [&](Writer& list) {
        for (std::uint16_t g : groups)
            list.u16(g);
    });
    return make(ExtensionType::SupportedGroups, w);
}

std::vector<std::uint16_t> parseSupportedGroups(ByteView data)
{
    return parseWith<std::vector<std::uint16_t>>(data, ExtensionType::SupportedGroups, parseGroupList);
}

Extension ecPointFormats(const std::vector<std::uint8_t>& formats)
{
    Writer w;
    w.vec(1, formats);
    return make(ExtensionType::EcPointFormats, w);
}

std::vector<std::uint8_t> parseEcPointFormats(ByteView data)
{
    return parseWith<std::vector<std::uint8_t>>(data, ExtensionType::EcPointFormats, parsePointFormatList);
}

Extension signatureAlgorithms(const std::vector<std::uint16_t>& schemes)
{
    Writer w;
    w.prefixed(2, [&](Writer& list) {
        for (std::uint16_t s : schemes)
            list.u16(s);
    });
    return make(ExtensionType::SignatureAlgorithms, w);
}

std::vector<std::uint16_t> parseSignatureAlgorithms(ByteView data)
{
    return parseWith<std::vector<std::uint16_t>>(data, ExtensionType::SignatureAlgorithms, parseSignatureAlgorithmList);
}

Extension renegotiationInfo(ByteView renegotiatedConnection)
{
    Writer w;
    w.vec(1, renegotiatedConnection);
    return make(ExtensionType::RenegotiationInfo, w);
}

Bytes parseRenegotiationInfo(ByteView data)
{
    return parseWith<Bytes>(data, ExtensionType::RenegotiationInfo, parseRenegotiatedConnection);
}

Extension statusRequestOcsp()
{
    Writer w;
    w.u8(1);               // status_type ocsp
    w.vec(2, Bytes{});     // responder_id_list: none named
    w.vec(2, Bytes{});     // request_extensions: none
    return make(ExtensionType::StatusRequest, w);
}

std::uint8_t parseStatusRequest(ByteView data)
{
    Reader r(data, "status_request extension");
    const std::uint8_t type = parseStatusRequestBody(r);
    if (type == 1)
        r.expectDone();
    return type;
}

Extension extendedMasterSecret()
{
    return Extension{static_cast<std::uint16_t>(ExtensionType::ExtendedMasterSecret), {}};
}

void parseExtendedMasterSecret(ByteView data)
{
    Reader r(data, "extended_master_secret extension");
    requireEmpty(r, "extended_master_secret", "RFC 7627 §5.1");
}

Extension sessionTicket(ByteView ticket)
{
    return Extension{static_cast<std::uint16_t>(ExtensionType::SessionTicket), Bytes(ticket.begin(), ticket.end())};
}

Bytes parseSessionTicket(ByteView data)
{
    // RFC 5077 §3.2: the extension_data is the ticket itself, with no length of its own (the extension's length
    // already bounds it to 2^16-1 bytes).
    return Bytes(data.begin(), data.end());
}

} // namespace ext
} // namespace hl
