// Protocol numbers from the IANA TLS registries, with the names the RFCs give them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hl {

enum class Side : std::uint8_t { Client, Server };
inline Side peerOf(Side s) { return s == Side::Client ? Side::Server : Side::Client; }
const char* sideName(Side s); // "client" / "server"

enum class ContentType : std::uint8_t {
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
};
std::string contentTypeName(std::uint8_t t);

enum class HandshakeType : std::uint8_t {
    HelloRequest = 0,
    ClientHello = 1,
    ServerHello = 2,
    NewSessionTicket = 4,
    Certificate = 11,
    ServerKeyExchange = 12,
    CertificateRequest = 13,
    ServerHelloDone = 14,
    CertificateVerify = 15,
    ClientKeyExchange = 16,
    Finished = 20,
    CertificateStatus = 22, // RFC 6066 §8
};
// "ClientHello", "ServerKeyExchange", ... ; "HandshakeType(n)" for unknown values.
std::string handshakeName(std::uint8_t t);

// A protocol version as on the wire: 0x0300 SSL 3.0 ... 0x0303 TLS 1.2, 0x0304 TLS 1.3.
using ProtocolVersion = std::uint16_t;
constexpr ProtocolVersion kSsl30 = 0x0300;
constexpr ProtocolVersion kTls10 = 0x0301; // "SSL 3.1" in the wire's numbering
constexpr ProtocolVersion kTls11 = 0x0302;
constexpr ProtocolVersion kTls12 = 0x0303;
std::string versionName(ProtocolVersion v); // "TLS 1.2"
// The two bytes as the RFCs write them: "3,3" for TLS 1.2 (TLS 1.0 is "3,1": SSL 3.1 on the wire).
std::string versionWireText(ProtocolVersion v);
// "TLS 1.0 (3,1 on the wire)"
std::string versionWithWire(ProtocolVersion v);
// The command line's names: "ssl3", "tls1.0", "tls1.1", "tls1.2".
std::string versionOptionName(ProtocolVersion v);
// Parses those names (also "tls1", "tls1_1", "tls1_2" as OpenSSL spells them); nullopt for anything else.
std::optional<ProtocolVersion> parseVersionOption(std::string_view name);
// The versions the engine speaks, oldest first.
constexpr ProtocolVersion kSupportedVersions[] = {kSsl30, kTls10, kTls11, kTls12};

enum class NamedGroup : std::uint16_t {
    Secp256r1 = 23,
    Secp384r1 = 24,
    X25519 = 29,
    Ffdhe2048 = 256,
};
std::string groupName(std::uint16_t g);

enum class SignatureScheme : std::uint16_t {
    RsaPkcs1Sha1 = 0x0201,
    EcdsaSha1 = 0x0203,
    RsaPkcs1Sha256 = 0x0401,
    EcdsaSecp256r1Sha256 = 0x0403,
    RsaPkcs1Sha384 = 0x0501,
    EcdsaSecp384r1Sha384 = 0x0503,
    RsaPkcs1Sha512 = 0x0601,
    RsaPssRsaeSha256 = 0x0804,
    RsaPssRsaeSha384 = 0x0805,
};
std::string signatureSchemeName(std::uint16_t s);

enum class ExtensionType : std::uint16_t {
    ServerName = 0,
    StatusRequest = 5, // RFC 6066 §8
    SupportedGroups = 10,
    EcPointFormats = 11,
    SignatureAlgorithms = 13,
    EncryptThenMac = 22,
    ExtendedMasterSecret = 23,
    SessionTicket = 35,
    RenegotiationInfo = 0xff01,
};
std::string extensionName(std::uint16_t e);

// RFC 5246 §7.4.4 ClientCertificateType
enum class ClientCertificateType : std::uint8_t { RsaSign = 1, EcdsaSign = 64 };

// RFC 5746 §3.3: the signalling cipher suite value a client may send instead of an empty renegotiation_info.
constexpr std::uint16_t kEmptyRenegotiationInfoScsv = 0x00ff;
// RFC 7507 §6: a client retrying with lower versions than it can do sends this pseudo cipher suite.
constexpr std::uint16_t kFallbackScsv = 0x5600;

} // namespace hl
