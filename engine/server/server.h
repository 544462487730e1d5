// The TLS 1.2 server state machine (RFC 5246 §7.3): negotiation of version, suite, group and signature scheme,
// its flight read off the flow table, and the checks on everything the client sends.
#pragma once

#include "crypto/key_agreement.h"
#include "messages/client_hello.h"
#include "session/connection.h"

#include <memory>
#include <optional>

namespace hl {

class Server : public Connection {
public:
    Server(EndpointConfig config, CryptoPP::RandomNumberGenerator& rng, Trace& trace, TraceOptions traceOptions = {});
    ~Server() override;

protected:
    void onHandshakeMessage(const HandshakeFrame& frame) override;
    void sendStep(const FlowStep& step) override;
    void onWarningAlert(AlertDescription alert) override;
    void resetHandshakeState() override;

private:
    void onClientHello(const HandshakeFrame& frame);
    void onCertificate(const HandshakeFrame& frame);
    void onClientKeyExchange(const HandshakeFrame& frame);
    void onCertificateVerify(const HandshakeFrame& frame);
    void onFinished(const HandshakeFrame& frame);

    void setInitialFacts();
    void chooseVersion();
    void negotiate();
    void sendServerHello();
    void sendServerKeyExchange();
    void sendCertificateRequest();
    void decideStapling();
    // The directory check (see Directory): throws access_denied unless the user's entry holds this certificate.
    void checkDirectory(const Certificate& leaf);
    // RFC 5246 §7.4.1.2: whether the session the client names can be resumed; each reason not to is traced.
    bool tryResume();
    // The checks every saved session passes before it is resumed, whether found in the cache or opened from a
    // ticket: version, suite and the extended master secret (RFC 5246 §7.4.1.3, RFC 7627 §5.3). `named` begins the
    // trace's sentence; `held` says where the session came from.
    bool resumeIfAcceptable(const std::string& named, const SavedSession& saved, const std::string& held);
    void saveSession();

    // Session tickets (RFC 5077), in server_tickets.cpp.
    bool tryResumeFromTicket();
    // Whether this handshake ends with a NewSessionTicket, decided once the server knows whether it resumes.
    void decideTicket();
    void sendNewSessionTicket();

    ClientHello m_clientHello;
    const Credential* m_credential = nullptr;
    std::uint16_t m_signatureScheme = 0;
    std::uint16_t m_group = 0;
    std::unique_ptr<KeyAgreement> m_agreement;
    std::vector<Certificate> m_clientChain;
    std::vector<std::uint16_t> m_requestedSchemes;
    bool m_secureRenegotiation = false;
    bool m_clientSentServerName = false;
    bool m_clientSentPointFormats = false;
    bool m_clientAskedStatus = false; // status_request with status_type ocsp (RFC 6066 §8)
    bool m_staplesStatus = false;     // this handshake sends CertificateStatus
    Bytes m_sessionId;                      // this connection's session ID (empty: not cached)
    std::optional<SavedSession> m_resuming; // the session being resumed
    std::optional<Bytes> m_clientTicket;    // the client's session_ticket extension: empty asks for a ticket
    bool m_resumedFromTicket = false;
};

} // namespace hl
