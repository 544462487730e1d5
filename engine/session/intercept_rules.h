// The attacker in the middle, described as rules instead of code: each rule names the record it acts on by message
// ("the server's ServerKeyExchange", "the client's first ApplicationData"), never by position on the wire, and says
// what to do to it. Scenarios carry these rules; the pipe applies them as records pass.
#pragma once

#include "common/bytes.h"
#include "common/protocol.h"
#include "crypto/cipher_suite.h"
#include "session/pipe.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hl {

struct InterceptRule {
    enum class Action { Flip, Drop, Rewrite, Delay, Replay, Inject };

    // The message, by the name the Message panel shows: ClientHello, ServerHello, Certificate, ServerKeyExchange,
    // CertificateRequest, ServerHelloDone, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished,
    // ApplicationData, Alert.
    std::string message;
    std::optional<Side> from;  // whose message, when both sides send one (Certificate, Finished, ...)
    std::size_t occurrence = 1; // the first such message, the second, ...
    Action action = Action::Flip;
    // Flip: XOR `mask` into the last byte of `field` (a field name from the Message panel, e.g. "signature",
    // "random", "host_name"), or into `byte` (an offset inside the message body; for a protected record, inside its
    // encrypted fragment).
    std::string field;
    std::optional<std::size_t> byte;
    std::uint8_t mask = 0x01;
    // Rewrite (ClientHello only): replace client_version and/or the cipher suite list, fixing every length, as an
    // attacker who wants a weaker handshake would.
    std::optional<ProtocolVersion> setVersion;
    std::vector<std::uint16_t> setSuites;
    // Delay: hold the record back until this many later records have gone past it (1: swap it with the next one,
    // which is how a message arrives out of order). A record still held when the wire goes quiet is let go then.
    std::size_t delayRecords = 1;
    // Replay: the record goes through, then an identical copy after it.
    // Inject: a record the attacker makes, with this content type, carrying `payload` (or `injectSize` zero bytes
    // when given), put on the wire just before (or after) the named message, in the same record version.
    std::uint8_t injectType = static_cast<std::uint8_t>(ContentType::Handshake);
    Bytes payload;
    std::optional<std::size_t> injectSize;
    bool injectBefore = true;

    // "flip the last byte of the server's ServerKeyExchange signature"
    std::string describe() const;
};

// The names InterceptRule::message accepts.
const std::vector<std::string>& interceptableMessages();

class RuleInterceptor : public Interceptor {
public:
    explicit RuleInterceptor(std::vector<InterceptRule> rules);
    InterceptAction onRecord(Side from, std::size_t index, Bytes& record, std::string& note) override;
    std::vector<WireInsert> takeInserts() override;
    std::vector<WireInsert> drain() override;

    // For each rule that never acted, why: the message never crossed the wire, or its field was not there.
    std::vector<std::string> unapplied() const;

private:
    struct State {
        bool encrypting = false; // after this side's ChangeCipherSpec
        std::vector<std::pair<std::string, std::size_t>> seen; // message name -> how many so far
    };
    std::size_t count(Side from, const std::string& message);
    bool apply(std::size_t ruleIndex, Side from, Bytes& record, std::size_t messageStart, std::size_t messageLength,
               bool plaintextHandshake, std::string& note);

    struct Held {
        WireInsert insert;
        std::size_t remaining;
    };

    std::vector<InterceptRule> m_rules;
    std::vector<Held> m_held;
    std::vector<WireInsert> m_inserts;
    std::vector<bool> m_applied;
    std::vector<std::string> m_problems;
    State m_state[2];
    std::optional<KeyExchangeKind> m_kind;
    ProtocolVersion m_version = kTls12;
};

} // namespace hl
