// Shared helpers for the handshake message suites: data files, record unwrapping, a decode dispatcher.
#pragma once

#include "common/bytes.h"
#include "common/codec.h"
#include "crypto/cipher_suite.h"
#include "messages/certificate.h"
#include "messages/certificate_request.h"
#include "messages/certificate_status.h"
#include "messages/certificate_verify.h"
#include "messages/client_hello.h"
#include "messages/client_key_exchange.h"
#include "messages/finished.h"
#include "messages/hello_request.h"
#include "messages/new_session_ticket.h"
#include "messages/server_hello.h"
#include "messages/server_hello_done.h"
#include "messages/server_key_exchange.h"

#include <QString>
#include <QStringList>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace hltest {

using namespace hl;

inline std::string dataPath(const std::string& relative)
{
    return std::string(HL_TEST_DATA) + "/" + relative;
}

inline std::string readText(const std::string& relative)
{
    std::ifstream in(dataPath(relative));
    if (!in)
        throw std::runtime_error("cannot open test data " + relative);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A data file of hex, '#' lines being comments; lines "key=hex" go to keyed(), the rest are concatenated.
inline Bytes readHexFile(const std::string& relative)
{
    std::istringstream lines(readText(relative));
    std::string line, hex;
    while (std::getline(lines, line))
        if (!line.empty() && line[0] != '#')
            hex += line;
    return fromHex(hex);
}

inline Bytes keyed(const std::string& relative, const std::string& key)
{
    std::istringstream lines(readText(relative));
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind(key + "=", 0) == 0)
            return fromHex(line.substr(key.size() + 1));
    throw std::runtime_error("no " + key + " in " + relative);
}

constexpr std::size_t kRecordHeader = 5;
constexpr std::size_t kHandshakeHeader = 4;

// One handshake message carried alone in one record, as every record of the captures is.
struct RecordMessage {
    Bytes record;
    std::uint8_t type = 0;
    Bytes body; // starts at kRecordHeader + kHandshakeHeader in record
};

inline RecordMessage readRecordMessage(const std::string& relative)
{
    RecordMessage m;
    m.record = readHexFile(relative);
    if (m.record.size() < kRecordHeader + kHandshakeHeader || m.record[0] != 22)
        throw std::runtime_error(relative + " is not a handshake record");
    m.type = m.record[kRecordHeader];
    m.body.assign(m.record.begin() + kRecordHeader + kHandshakeHeader, m.record.end());
    const std::size_t length = std::size_t{m.record[6]} << 16 | std::size_t{m.record[7]} << 8 | m.record[8];
    if (length != m.body.size())
        throw std::runtime_error(relative + " holds more than one handshake message");
    return m;
}

template <typename M, typename... Extra> Bytes checkedReserialize(ByteView body, Extra... extra)
{
    const M m = M::decode(body, extra...);
    const Bytes again = m.serialize();
    if (!(M::decode(again, extra...) == m))
        throw std::runtime_error("decode(serialize(x)) != x");
    return again;
}

// decode → serialize, also checking decode(serialize(x)) == x; throws what decode throws.
inline Bytes reserialize(std::uint8_t type, ByteView body, std::optional<KeyExchangeKind> kind)
{
    switch (static_cast<HandshakeType>(type)) {
    case HandshakeType::HelloRequest:
        return checkedReserialize<HelloRequest>(body);
    case HandshakeType::ClientHello:
        return checkedReserialize<ClientHello>(body);
    case HandshakeType::ServerHello:
        return checkedReserialize<ServerHello>(body);
    case HandshakeType::Certificate:
        return checkedReserialize<CertificateMessage>(body);
    case HandshakeType::ServerKeyExchange:
        return checkedReserialize<ServerKeyExchange>(body, kind.value());
    case HandshakeType::CertificateRequest:
        return checkedReserialize<CertificateRequest>(body);
    case HandshakeType::ServerHelloDone:
        return checkedReserialize<ServerHelloDone>(body);
    case HandshakeType::CertificateVerify:
        return checkedReserialize<CertificateVerify>(body);
    case HandshakeType::ClientKeyExchange:
        return checkedReserialize<ClientKeyExchange>(body, kind.value());
    case HandshakeType::Finished:
        return checkedReserialize<Finished>(body);
    case HandshakeType::CertificateStatus:
        return checkedReserialize<CertificateStatus>(body);
    case HandshakeType::NewSessionTicket:
        return checkedReserialize<NewSessionTicket>(body);
    }
    throw std::logic_error("no decoder for handshake type " + std::to_string(type));
}

// The field at a '/'-separated path of names, or nullptr.
inline const Field* fieldAtPath(const std::vector<Field>& fields, const std::string& path)
{
    const std::vector<Field>* level = &fields;
    const Field* found = nullptr;
    std::istringstream parts(path);
    std::string name;
    while (std::getline(parts, name, '/')) {
        found = nullptr;
        for (const Field& f : *level)
            if (f.name == name) {
                found = &f;
                break;
            }
        if (!found)
            return nullptr;
        level = &found->children;
    }
    return found;
}

// Every field inside [begin, end), every child inside its parent; returns the first offender's name or "".
inline std::string misplacedField(const std::vector<Field>& fields, std::size_t begin, std::size_t end)
{
    for (const Field& f : fields) {
        if (f.offset < begin || f.offset + f.length > end)
            return f.name + " [" + std::to_string(f.offset) + "+" + std::to_string(f.length) + "] outside [" +
                   std::to_string(begin) + "," + std::to_string(end) + ")";
        if (std::string bad = misplacedField(f.children, f.offset, f.offset + f.length); !bad.empty())
            return f.name + "/" + bad;
    }
    return {};
}

inline Bytes slice(ByteView data, std::size_t offset, std::size_t length)
{
    if (offset + length > data.size())
        throw std::out_of_range("field beyond data");
    return Bytes(data.begin() + static_cast<std::ptrdiff_t>(offset),
                 data.begin() + static_cast<std::ptrdiff_t>(offset + length));
}

inline QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

// Qt data rows carry the key exchange as an int: -1 for "not known".
inline std::optional<KeyExchangeKind> kindOf(int k)
{
    if (k < 0)
        return std::nullopt;
    return static_cast<KeyExchangeKind>(k);
}
constexpr int kNoKind = -1;
constexpr int kEcdheRsa = static_cast<int>(KeyExchangeKind::EcdheRsa);

} // namespace hltest
