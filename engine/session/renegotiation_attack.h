// The 2009 renegotiation splicing attack (Marsh Ray and Steve Dispensa, CVE-2009-3555), played in memory with
// three engine endpoints: the victim client, the server, and a man in the middle who is a client of its own.
//
// The attacker opens its own connection to the server and sends a request prefix under its keys. When the victim's
// ClientHello comes by, the attacker passes it to the server inside that connection, where it is a renegotiation;
// it relays the handshake both ways (opening the server's records and sealing the victim's with its own keys) until
// each side's ChangeCipherSpec, after which it can only pass bytes it cannot read. Without RFC 5746 the server
// reads the victim's request as the continuation of the attacker's prefix; with it, the server sees that the
// victim's renegotiation_info does not hold the previous handshake's verify_data and aborts.
//
// The trace is drawn from the server's side of the wire: what it sent and received. The victim's own states and
// secrets are in it too; the attacker's are not, but each of its moves is narrated as a state of the client side.
#pragma once

#include "session/endpoint_config.h"
#include "session/scenario.h"
#include "trace/trace.h"

#include <cryptopp/cryptlib.h>

namespace hl {

Trace runSpliceAttack(const Scenario& scenario, const EndpointConfig& victimConfig, const EndpointConfig& serverConfig,
                      CryptoPP::RandomNumberGenerator& victimRng, CryptoPP::RandomNumberGenerator& serverRng,
                      CryptoPP::RandomNumberGenerator& attackerRng);

} // namespace hl
