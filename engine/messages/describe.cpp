// Field trees and summaries for any handshake message, by dispatching on msg_type to the message decoders.
#include "messages/describe.h"

#include "crypto/key_schedule.h"

#include "messages/certificate.h"
#include "messages/certificate_request.h"
#include "messages/certificate_status.h"
#include "messages/certificate_verify.h"
#include "messages/client_hello.h"
#include "messages/client_key_exchange.h"
#include "messages/field_text.h"
#include "messages/finished.h"
#include "messages/hello_request.h"
#include "messages/new_session_ticket.h"
#include "messages/server_hello.h"
#include "messages/server_hello_done.h"
#include "messages/server_key_exchange.h"
#include "x509/ocsp.h"

#include <algorithm>
#include <exception>

namespace hl {

namespace {

constexpr std::size_t kHeaderLength = 4;

void opaqueBody(ByteView body, std::vector<Field>& out, std::size_t offset, const char* meaning)
{
    out.push_back(Field{"body", body.empty() ? std::string("empty") : preview(body), meaning, offset, body.size(), {}});
}

// Decodes `body` into `out`; throws whatever the decoder throws.
void decodeInto(std::uint8_t type, ByteView body, std::size_t offset, std::optional<KeyExchangeKind> kind,
                ProtocolVersion version,
                std::vector<Field>& out)
{
    switch (static_cast<HandshakeType>(type)) {
    case HandshakeType::HelloRequest:
        HelloRequest::decode(body, &out, offset);
        return;
    case HandshakeType::ClientHello:
        ClientHello::decode(body, &out, offset);
        return;
    case HandshakeType::ServerHello:
        ServerHello::decode(body, &out, offset);
        return;
    case HandshakeType::Certificate:
        CertificateMessage::decode(body, &out, offset);
        return;
    case HandshakeType::CertificateRequest:
        CertificateRequest::decode(body, &out, offset, version);
        return;
    case HandshakeType::ServerHelloDone:
        ServerHelloDone::decode(body, &out, offset);
        return;
    case HandshakeType::CertificateVerify:
        CertificateVerify::decode(body, &out, offset, version);
        return;
    case HandshakeType::Finished:
        Finished::decode(body, &out, offset, verifyDataLength(version));
        return;
    case HandshakeType::ServerKeyExchange:
        if (kind)
            ServerKeyExchange::decode(body, *kind, &out, offset, version);
        else
            opaqueBody(body, out, offset, "the server's key-exchange values; their layout depends on the cipher suite");
        return;
    case HandshakeType::ClientKeyExchange:
        if (kind)
            ClientKeyExchange::decode(body, *kind, &out, offset, version);
        else
            opaqueBody(body, out, offset, "the client's key-exchange value; its layout depends on the cipher suite");
        return;
    case HandshakeType::CertificateStatus:
        CertificateStatus::decode(body, &out, offset);
        return;
    case HandshakeType::NewSessionTicket:
        NewSessionTicket::decode(body, &out, offset);
        return;
    }
    opaqueBody(body, out, offset, "a message HandshakeLab does not decode");
}

// Where decoding stopped: the end of the last field recorded, descending into the last child (a failed
// length-prefixed vector keeps its children; its own extent is the length it claimed).
std::size_t stopOffset(const std::vector<Field>& fields, std::size_t fallback)
{
    const Field* last = fields.empty() ? nullptr : &fields.back();
    if (!last)
        return fallback;
    while (!last->children.empty())
        last = &last->children.back();
    return last->offset + last->length;
}

} // namespace

std::vector<Field> describeHandshake(std::uint8_t handshakeType, ByteView body, std::size_t baseOffset,
                                     std::optional<KeyExchangeKind> kind, ProtocolVersion version)
{
    std::vector<Field> out;
    const std::size_t bodyOffset = baseOffset + kHeaderLength;
    const std::size_t bodyEnd = bodyOffset + body.size();
    std::string error;
    try {
        out.push_back(Field{"msg_type",
                            handshakeName(handshakeType) + " (" + std::to_string(handshakeType) + ")",
                            "which handshake message this is",
                            baseOffset,
                            1,
                            {}});
        out.push_back(Field{"length",
                            fieldtext::byteCount(body.size()),
                            "how many bytes of message follow this 4-byte header",
                            baseOffset + 1,
                            3,
                            {}});
        decodeInto(handshakeType, body, bodyOffset, kind, version, out);
        return out;
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "unknown error while decoding";
    }
    try {
        const std::vector<Field> bodyFields(out.size() > 2 ? out.begin() + 2 : out.end(), out.end());
        const std::size_t at = std::clamp(stopOffset(bodyFields, bodyOffset), bodyOffset, bodyEnd);
        out.push_back(Field{"error", error, "why the bytes from here on could not be decoded", at, bodyEnd - at, {}});
    } catch (...) {
        // Only allocation can fail here; the fields decoded so far are still worth returning.
    }
    return out;
}

std::string handshakeSummary(std::uint8_t handshakeType, ByteView body, std::optional<KeyExchangeKind> kind,
                             ProtocolVersion version)
{
    try {
        switch (static_cast<HandshakeType>(handshakeType)) {
        case HandshakeType::ClientHello: {
            const ClientHello m = ClientHello::decode(body);
            std::string out = fieldtext::counted(m.cipherSuites.size(), "cipher suite", "cipher suites");
            if (const Extension* sni = findExtension(m.extensions, ExtensionType::ServerName)) {
                const std::string host = ext::parseServerName(sni->data);
                if (!host.empty())
                    out += ", SNI " + host;
            }
            return out;
        }
        case HandshakeType::ServerHello:
            return cipherSuiteName(ServerHello::decode(body).cipherSuite);
        case HandshakeType::Certificate: {
            const std::size_t n = CertificateMessage::decode(body).certificateList.size();
            return n == 0 ? "no certificate" : fieldtext::counted(n, "certificate", "certificates");
        }
        case HandshakeType::ServerKeyExchange: {
            if (!kind)
                return {};
            const ServerKeyExchange m = ServerKeyExchange::decode(body, *kind, nullptr, 0, version);
            if (*kind == KeyExchangeKind::DheRsa)
                return std::to_string(fieldtext::bitLength(m.dhP)) + "-bit DH";
            return groupName(m.namedGroup);
        }
        case HandshakeType::CertificateRequest: {
            std::string out;
            for (std::uint8_t t : CertificateRequest::decode(body, nullptr, 0, version).certificateTypes) {
                std::string name = fieldtext::certificateType(t);
                out += (out.empty() ? "" : ", ") + name.substr(0, name.find(" ("));
            }
            return out;
        }
        case HandshakeType::ClientKeyExchange: {
            if (!kind)
                return {};
            const ClientKeyExchange m = ClientKeyExchange::decode(body, *kind, nullptr, 0, version);
            const std::string size = std::to_string(m.exchangeKeys.size()) + "-byte ";
            switch (*kind) {
            case KeyExchangeKind::Rsa:
                return size + "encrypted pre-master secret";
            case KeyExchangeKind::DheRsa:
                return size + "DH public value";
            case KeyExchangeKind::EcdheRsa:
            case KeyExchangeKind::EcdheEcdsa:
                break;
            }
            return size + "public key";
        }
        case HandshakeType::CertificateVerify:
        {
            const CertificateVerify m = CertificateVerify::decode(body, nullptr, 0, version);
            return version >= kTls12 ? signatureSchemeName(m.signatureScheme) : std::string("signature");
        }
        case HandshakeType::HelloRequest:
            HelloRequest::decode(body);
            return {};
        case HandshakeType::ServerHelloDone:
            ServerHelloDone::decode(body);
            return {};
        case HandshakeType::Finished:
            Finished::decode(body, nullptr, 0, verifyDataLength(version));
            return {};
        case HandshakeType::NewSessionTicket: {
            const NewSessionTicket m = NewSessionTicket::decode(body);
            return std::to_string(m.ticket.size()) + "-byte ticket, lifetime hint " + std::to_string(m.lifetimeHint) + " s";
        }
        case HandshakeType::CertificateStatus: {
            const OcspResponse r = OcspResponse::parse(CertificateStatus::decode(body).response);
            if (r.responseStatus != 0)
                return "OCSP " + ocspResponseStatusName(r.responseStatus);
            return "OCSP " + ocspCertStatusName(r.responses.front().status);
        }
        }
        return {};
    } catch (...) {
        return "malformed";
    }
}

} // namespace hl
