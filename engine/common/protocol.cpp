// Registry names for display in traces and errors.
#include "common/protocol.h"

#include "common/codec.h"

namespace hl {

const char* sideName(Side s) { return s == Side::Client ? "client" : "server"; }

std::string contentTypeName(std::uint8_t t)
{
    switch (static_cast<ContentType>(t)) {
    case ContentType::ChangeCipherSpec: return "ChangeCipherSpec";
    case ContentType::Alert: return "Alert";
    case ContentType::Handshake: return "Handshake";
    case ContentType::ApplicationData: return "ApplicationData";
    }
    return "ContentType(" + std::to_string(t) + ")";
}

std::string handshakeName(std::uint8_t t)
{
    switch (static_cast<HandshakeType>(t)) {
    case HandshakeType::HelloRequest: return "HelloRequest";
    case HandshakeType::ClientHello: return "ClientHello";
    case HandshakeType::ServerHello: return "ServerHello";
    case HandshakeType::NewSessionTicket: return "NewSessionTicket";
    case HandshakeType::Certificate: return "Certificate";
    case HandshakeType::ServerKeyExchange: return "ServerKeyExchange";
    case HandshakeType::CertificateRequest: return "CertificateRequest";
    case HandshakeType::ServerHelloDone: return "ServerHelloDone";
    case HandshakeType::CertificateVerify: return "CertificateVerify";
    case HandshakeType::ClientKeyExchange: return "ClientKeyExchange";
    case HandshakeType::Finished: return "Finished";
    case HandshakeType::CertificateStatus: return "CertificateStatus";
    }
    return "HandshakeType(" + std::to_string(t) + ")";
}

std::string versionName(ProtocolVersion v)
{
    switch (v) {
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    }
    return "version " + hexValue(v, 4);
}

std::string versionWireText(ProtocolVersion v)
{
    return std::to_string(v >> 8) + "," + std::to_string(v & 0xff);
}

std::string versionWithWire(ProtocolVersion v)
{
    return versionName(v) + " (" + versionWireText(v) + " on the wire)";
}

std::string versionOptionName(ProtocolVersion v)
{
    switch (v) {
    case kSsl30: return "ssl3";
    case kTls10: return "tls1.0";
    case kTls11: return "tls1.1";
    case kTls12: return "tls1.2";
    }
    return versionWireText(v);
}

std::optional<ProtocolVersion> parseVersionOption(std::string_view name)
{
    if (name == "ssl3" || name == "ssl3.0")
        return kSsl30;
    if (name == "tls1.0" || name == "tls1" || name == "tls1_0")
        return kTls10;
    if (name == "tls1.1" || name == "tls1_1")
        return kTls11;
    if (name == "tls1.2" || name == "tls1_2")
        return kTls12;
    return std::nullopt;
}

std::string groupName(std::uint16_t g)
{
    switch (static_cast<NamedGroup>(g)) {
    case NamedGroup::Secp256r1: return "secp256r1";
    case NamedGroup::Secp384r1: return "secp384r1";
    case NamedGroup::X25519: return "x25519";
    case NamedGroup::Ffdhe2048: return "ffdhe2048";
    }
    return "group " + hexValue(g, 4);
}

std::string signatureSchemeName(std::uint16_t s)
{
    switch (static_cast<SignatureScheme>(s)) {
    case SignatureScheme::RsaPkcs1Sha1: return "rsa_pkcs1_sha1";
    case SignatureScheme::EcdsaSha1: return "ecdsa_sha1";
    case SignatureScheme::RsaPkcs1Sha256: return "rsa_pkcs1_sha256";
    case SignatureScheme::EcdsaSecp256r1Sha256: return "ecdsa_secp256r1_sha256";
    case SignatureScheme::RsaPkcs1Sha384: return "rsa_pkcs1_sha384";
    case SignatureScheme::EcdsaSecp384r1Sha384: return "ecdsa_secp384r1_sha384";
    case SignatureScheme::RsaPkcs1Sha512: return "rsa_pkcs1_sha512";
    case SignatureScheme::RsaPssRsaeSha256: return "rsa_pss_rsae_sha256";
    case SignatureScheme::RsaPssRsaeSha384: return "rsa_pss_rsae_sha384";
    }
    return "scheme " + hexValue(s, 4);
}

std::string extensionName(std::uint16_t e)
{
    switch (static_cast<ExtensionType>(e)) {
    case ExtensionType::ServerName: return "server_name";
    case ExtensionType::StatusRequest: return "status_request";
    case ExtensionType::SupportedGroups: return "supported_groups";
    case ExtensionType::EcPointFormats: return "ec_point_formats";
    case ExtensionType::SignatureAlgorithms: return "signature_algorithms";
    case ExtensionType::EncryptThenMac: return "encrypt_then_mac";
    case ExtensionType::ExtendedMasterSecret: return "extended_master_secret";
    case ExtensionType::SessionTicket: return "session_ticket";
    case ExtensionType::RenegotiationInfo: return "renegotiation_info";
    }
    return "extension " + hexValue(e, 4);
}

} // namespace hl
