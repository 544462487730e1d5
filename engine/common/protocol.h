// Protocol numbers from the IANA TLS registries, with the names the RFCs give them.
#pragma once

#include <cstdint>
#include <string>

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
};
// "ClientHello", "ServerKeyExchange", ... ; "HandshakeType(n)" for unknown values.
std::string handshakeName(std::uint8_t t);

// A protocol version as on the wire: 0x0300 SSL 3.0 ... 0x0303 TLS 1.2, 0x0304 TLS 1.3.
using ProtocolVersion = std::uint16_t;
constexpr ProtocolVersion kTls12 = 0x0303;
std::string versionName(ProtocolVersion v); // "TLS 1.2"

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

} // namespace hl
