// Writes the seed corpora the fuzz targets start from (scripts/fuzz.sh runs it): what the engine really sends in
// every shipped scenario, split per target, and the demo PKI's certificates and CRLs as DER and as PEM.
//
//   handshakelab-fuzz-seeds OUTDIR      -> OUTDIR/{server,client,handshake_messages,x509,pem}/...
#include "fuzz_support.h"

#include "x509/pem.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

namespace fs = std::filesystem;

void write(const fs::path& dir, const std::string& name, const hl::Bytes& bytes)
{
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + (dir / name).string());
}

hl::Bytes text(const std::string& s) { return hl::Bytes(s.begin(), s.end()); }

} // namespace

int main(int argc, char** argv)
{
    using namespace hl;
    if (argc != 2) {
        std::cerr << "usage: handshakelab-fuzz-seeds OUTDIR\n";
        return 2;
    }
    const fs::path out = argv[1];
    try {
        std::size_t n = 0;
        for (const Scenario& s : app::builtinScenarios()) {
            RunOptions o;
            o.seed = hlfuzz::kSeed;
            o.now = hlfuzz::kNow;
            const Trace trace = runScenario(s, app::demoPki(), o);
            Bytes fromClient, fromServer;
            for (const TraceEvent& e : trace.events()) {
                const auto* r = std::get_if<RecordEvent>(&e);
                if (!r || r->connection != 1)
                    continue;
                Bytes& stream = r->from == Side::Client ? fromClient : fromServer;
                stream.insert(stream.end(), r->wire.begin(), r->wire.end());
                const std::uint8_t versionIndex = static_cast<std::uint8_t>((r->version & 0xff) & 3);
                for (const MessageInfo& m : r->messages) {
                    if (m.handshakeType == 0xff || m.length < 4 || m.offset + m.length > r->plaintext.size())
                        continue;
                    // fuzz_handshake_messages' layout: type, flags (version index, key exchange kind), body.
                    for (std::uint8_t kind = 0; kind < 5; ++kind) {
                        if (kind > 0 && m.handshakeType != 12 && m.handshakeType != 16)
                            break;
                        Bytes input{m.handshakeType,
                                    static_cast<std::uint8_t>(versionIndex | (kind ? (4 | (kind - 1) << 3) : 0))};
                        input.insert(input.end(), r->plaintext.begin() + static_cast<std::ptrdiff_t>(m.offset + 4),
                                     r->plaintext.begin() + static_cast<std::ptrdiff_t>(m.offset + m.length));
                        write(out / "handshake_messages", s.name + "-" + std::to_string(n++), input);
                    }
                }
            }
            write(out / "server", s.name, fromClient);
            write(out / "client", s.name, fromServer);
        }
        const DemoPki& pki = app::demoPki();
        std::string bundle;
        for (const auto& [name, cred] : pki.credentials)
            for (std::size_t i = 0; i < cred.chain.size(); ++i) {
                write(out / "x509", name + "-" + std::to_string(i) + ".der", cred.chain[i].der);
                bundle += pemEncode(cred.chain[i].der, "CERTIFICATE");
            }
        for (const auto& [name, ca] : pki.authorities)
            write(out / "x509", name + ".der", ca.der);
        for (const auto& [name, crl] : pki.crls) {
            write(out / "x509", name + ".crl.der", crl.der);
            write(out / "pem", name + ".crl.pem", text(pemEncode(crl.der, "X509 CRL")));
        }
        write(out / "pem", "bundle.pem", text(bundle));
        write(out / "pem", "root.pem", text(pemEncode(pki.root.der, "CERTIFICATE")));
    } catch (const std::exception& e) {
        std::cerr << "handshakelab-fuzz-seeds: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
