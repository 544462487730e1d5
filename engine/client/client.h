// The TLS 1.2 client state machine (RFC 5246 §7.3): what it sends is read off the flow table, what it receives
// is checked against it, and each message's handler holds only the checks and key work of that message.
#pragma once

#include "crypto/key_agreement.h"
#include "messages/certificate_request.h"
#include "messages/client_hello.h"
#include "session/connection.h"

#include <memory>
#include <optional>

namespace hl {

struct ServerHello;

class Client : public Connection {
public:
    Client(EndpointConfig config, CryptoPP::RandomNumberGenerator& rng, Trace& trace, TraceOptions traceOptions = {});
    ~Client() override;

    // What a later connection can resume, once the handshake is complete and the server gave the session an ID;
    // empty otherwise (RFC 5246 §7.4.1.3: an empty session_id means the server will not cache it).
    std::optional<SavedSession> savedSession() const;

protected:
    void onStart() override;
    void onHandshakeMessage(const HandshakeFrame& frame) override;
    void sendStep(const FlowStep& step) override;
    void resetHandshakeState() override;

private:
    void onServerHello(const HandshakeFrame& frame);
    void onCertificate(const HandshakeFrame& frame);
    void onCertificateStatus(const HandshakeFrame& frame);
    // RFC 7633-like policy: a client that demands a stapled status refuses a server that sent none.
    void requireCertificateStatus(const std::string& why);
    const Certificate* issuerOfServerLeaf() const;
    void onServerKeyExchange(const HandshakeFrame& frame);
    void onCertificateRequest(const HandshakeFrame& frame);
    void onServerHelloDone();
    void onFinished(const HandshakeFrame& frame);

    void sendClientHello();
    void sendClientKeyExchange();
    void sendCertificateVerify();
    void chooseClientCredential();
    bool issuedByListedCa(const Credential& cred) const;
    bool offered(ExtensionType type) const;
    void resumeSavedSession(const ServerHello& sh);
    // Session tickets (RFC 5077), in client_tickets.cpp.
    void offerTicket();
    void onServerTicketExtension(const ServerHello& sh);
    void onNewSessionTicket(const HandshakeFrame& frame);

    ClientHello m_hello;
    std::vector<Certificate> m_serverChain;
    std::unique_ptr<KeyAgreement> m_agreement; // created when the server's (EC)DH parameters are known
    Bytes m_serverPublic;
    Bytes m_dhP, m_dhG;
    std::uint16_t m_group = 0;
    std::optional<CertificateRequest> m_certificateRequest;
    const Credential* m_credential = nullptr;
    std::uint16_t m_clientSignatureScheme = 0;
    bool m_offersResumption = false; // ClientHello named m_config.resumeSession
    Bytes m_sessionId;               // the server's session ID from ServerHello
    bool m_offersTicket = false;     // ClientHello carried m_config.resumeSession's ticket
    std::optional<Bytes> m_newTicket; // from NewSessionTicket, with its lifetime hint
    std::uint32_t m_newTicketLifetime = 0;
    bool m_statusPromised = false;   // ServerHello answered status_request: CertificateStatus may follow
    bool m_statusChecked = false;    // a stapled OCSP response was received and checked
};

} // namespace hl
