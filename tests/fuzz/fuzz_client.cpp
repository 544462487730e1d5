// The client's whole receive path fed whatever a server might send after the client's ClientHello: ServerHello,
// certificates (parsed and verified), key exchange parameters, alerts, protected records.
#include "fuzz_support.h"

#include "client/client.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace hl;
    hl::SeededRng rng(hlfuzz::kSeed, "client");
    Trace trace;
    Client client(clientConfigFor(hlfuzz::defaultScenario(), app::demoPki(), hlfuzz::kNow), rng, trace);
    client.start();
    const std::size_t cut = size ? data[0] % (size + 1) : 0;
    client.receive(ByteView(data, cut));
    client.receive(ByteView(data + cut, size - cut));
    return 0;
}
