// ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7).
#include "messages/client_key_exchange.h"

#include "messages/field_text.h"

namespace hl {

namespace {
// Each layout's length prefix and bounds, and how the field reads in the tree.
struct Layout {
    int lenBytes;
    std::size_t min, max;
    const char* name;
    const char* meaning;
};

Layout layoutFor(KeyExchangeKind kind)
{
    switch (kind) {
    case KeyExchangeKind::Rsa:
        // RFC 5246 §7.4.7.1: TLS (not SSL 3.0) puts a u16 length before the RSA ciphertext; §4.7 public-key-encrypted
        // data is <0..2^16-1>.
        return {2, 0, 0xffff, "encrypted_pre_master_secret",
                "the 48-byte pre-master secret, encrypted with the public key from the server's certificate; "
                "only the holder of the private key can read it"};
    case KeyExchangeKind::DheRsa:
        // RFC 5246 §7.4.7.2: explicit encoding, dh_Yc<1..2^16-1>.
        return {2, 1, 0xffff, "dh_Yc",
                "the client's one-time Diffie-Hellman public value g^y mod p; with the server's dh_Ys both "
                "sides compute the same pre-master secret"};
    case KeyExchangeKind::EcdheRsa:
    case KeyExchangeKind::EcdheEcdsa:
        break;
    }
    // RFC 8422 §5.7: ClientECDiffieHellmanPublic { ECPoint ecdh_Yc; }, point<1..2^8-1>.
    return {1, 1, 0xff, "ecdh_Yc",
            "the client's one-time (ephemeral) public key on the server's curve; with the server's key both "
            "sides compute the same pre-master secret"};
}
} // namespace

ClientKeyExchange ClientKeyExchange::decode(ByteView body, KeyExchangeKind kind, std::vector<Field>* fields,
                                            std::size_t baseOffset, ProtocolVersion version)
{
    Reader r(body, "ClientKeyExchange", fields, baseOffset);
    const Layout layout = layoutFor(kind);
    ClientKeyExchange m;
    m.kind = kind;
    m.version = version;
    if (kind == KeyExchangeKind::Rsa && version == kSsl30)
        m.exchangeKeys = r.rest(layout.name, layout.meaning);
    else
        m.exchangeKeys = r.vec(layout.lenBytes, layout.min, layout.max, layout.name, layout.meaning);
    if (m.exchangeKeys.empty())
        r.describe("empty");
    r.expectDone();
    return m;
}

Bytes ClientKeyExchange::serialize() const
{
    Writer w;
    if (kind == KeyExchangeKind::Rsa && version == kSsl30)
        w.bytes(exchangeKeys);
    else
        w.vec(layoutFor(kind).lenBytes, exchangeKeys);
    return w.take();
}

} // namespace hl
