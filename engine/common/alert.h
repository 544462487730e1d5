// TLS alerts (RFC 5246 §7.2) and the error type that carries one through the engine.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hl {

enum class AlertLevel : std::uint8_t { Warning = 1, Fatal = 2 };

enum class AlertDescription : std::uint8_t {
    CloseNotify = 0,
    UnexpectedMessage = 10,
    BadRecordMac = 20,
    RecordOverflow = 22,
    DecompressionFailure = 30,
    HandshakeFailure = 40,
    NoCertificate = 41, // SSL 3.0 only (RFC 6101 §5.4): a client without a certificate says so
    BadCertificate = 42,
    UnsupportedCertificate = 43,
    CertificateRevoked = 44,
    CertificateExpired = 45,
    CertificateUnknown = 46,
    IllegalParameter = 47,
    UnknownCa = 48,
    AccessDenied = 49,
    DecodeError = 50,
    DecryptError = 51,
    ProtocolVersion = 70,
    InsufficientSecurity = 71,
    InternalError = 80,
    InappropriateFallback = 86,
    UserCanceled = 90,
    NoRenegotiation = 100,
    MissingExtension = 109,
    UnsupportedExtension = 110,
    UnrecognizedName = 112,
    BadCertificateStatusResponse = 113, // RFC 6066 §8: a stapled OCSP response the client cannot accept
    NoApplicationProtocol = 120,
};

// The RFC's name, e.g. "handshake_failure"; "alert_<n>" for values we do not know.
std::string alertName(std::uint8_t description);
inline std::string alertName(AlertDescription d) { return alertName(static_cast<std::uint8_t>(d)); }

// Every protocol failure inside the engine is a TlsError: the alert a real stack would send, and a sentence
// for the student saying what went wrong. Caught once, where a connection is driven.
class TlsError : public std::runtime_error {
public:
    TlsError(AlertDescription alert, const std::string& reason)
        : std::runtime_error(reason), m_alert(alert)
    {
    }
    AlertDescription alert() const { return m_alert; }

private:
    AlertDescription m_alert;
};

} // namespace hl
