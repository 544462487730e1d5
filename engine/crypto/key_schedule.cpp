// The TLS 1.2 key schedule: every derivation is one PRF call with the suite's hash and the RFC's label.
#include "crypto/key_schedule.h"

#include "crypto/prf.h"

namespace hl {

Bytes computeMasterSecret(const CipherSuite& suite, ByteView preMaster, ByteView clientRandom, ByteView serverRandom)
{
    return prf(suite.prfHash, preMaster, "master secret", concat(clientRandom, serverRandom), kMasterSecretLength);
}

Bytes computeExtendedMasterSecret(const CipherSuite& suite, ByteView preMaster, ByteView sessionHash)
{
    return prf(suite.prfHash, preMaster, "extended master secret", sessionHash, kMasterSecretLength);
}

KeyBlock computeKeyBlock(const CipherSuite& suite, ByteView master, ByteView clientRandom, ByteView serverRandom)
{
    KeyBlock kb;
    // RFC 5246 §6.3: the seed is server_random + client_random, the reverse of the master secret's order.
    kb.raw = prf(suite.prfHash, master, "key expansion", concat(serverRandom, clientRandom), suite.keyBlockLength());
    std::size_t at = 0;
    const auto take = [&](std::size_t n) {
        Bytes part(kb.raw.begin() + static_cast<std::ptrdiff_t>(at),
                   kb.raw.begin() + static_cast<std::ptrdiff_t>(at + n));
        at += n;
        return part;
    };
    kb.clientMacKey = take(suite.macLength);
    kb.serverMacKey = take(suite.macLength);
    kb.clientKey = take(suite.keyLength);
    kb.serverKey = take(suite.keyLength);
    kb.clientIv = take(suite.fixedIvLength);
    kb.serverIv = take(suite.fixedIvLength);
    return kb;
}

Bytes computeVerifyData(const CipherSuite& suite, ByteView master, Side sender, ByteView transcriptHash)
{
    const char* label = sender == Side::Client ? "client finished" : "server finished";
    return prf(suite.prfHash, master, label, transcriptHash, kVerifyDataLength);
}

} // namespace hl
