// The server's whole receive path (record layer, protection, every handshake decoder it meets, the state machine)
// fed whatever a client might send. The property: it never crashes, never leaks, never throws past receive().
#include "fuzz_support.h"

#include "server/server.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace hl;
    hl::SeededRng rng(hlfuzz::kSeed, "server");
    Trace trace;
    Server server(serverConfigFor(hlfuzz::defaultScenario(), app::demoPki(), hlfuzz::kNow), rng, trace);
    server.start();
    // Two deliveries, split where the input says, so records cut across reads are exercised too.
    const std::size_t cut = size ? data[0] % (size + 1) : 0;
    server.receive(ByteView(data, cut));
    server.receive(ByteView(data + cut, size - cut));
    return 0;
}
