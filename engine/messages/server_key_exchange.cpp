// ServerKeyExchange (RFC 5246 §7.4.3, RFC 8422 §5.4).
#include "messages/server_key_exchange.h"

#include "messages/field_text.h"

#include <stdexcept>

namespace hl {

namespace {

constexpr std::uint8_t kNamedCurve = 3; // RFC 8422 §5.4 ECCurveType named_curve

void decodeEcdhParams(Reader& r, ServerKeyExchange& m)
{
    const std::size_t mark = r.mark();
    const std::uint8_t curveType =
        r.u8("curve_type", "how the curve is named; TLS 1.2 today only names a standard curve");
    r.describe(curveType == kNamedCurve ? "named_curve (3)" : "unsupported (" + std::to_string(curveType) + ")");
    // RFC 8422 §5.4 removed explicit_prime (1) and explicit_char2 (2): a curve must be a registered name.
    if (curveType != kNamedCurve)
        throw TlsError(AlertDescription::IllegalParameter,
                       r.what() + ": curve_type " + std::to_string(curveType) +
                           " is not named_curve (3); explicit curves are not allowed (RFC 8422 §5.4)");
    m.namedGroup =
        r.u16("named_curve", "the curve the two sides will do ECDHE on, chosen from the client's supported_groups");
    r.describe(fieldtext::group(m.namedGroup));
    m.publicKey = r.vec(1, 1, 0xff, "public", "the server's one-time (ephemeral) public key: a point on that curve");
    r.group(mark, "params", groupName(m.namedGroup),
            "ServerECDHParams: the server's half of the key agreement; the signature below covers it");
}

void decodeDhParams(Reader& r, ServerKeyExchange& m)
{
    const std::size_t mark = r.mark();
    m.dhP = r.vec(2, 1, 0xffff, "dh_p", "the prime modulus p of the Diffie-Hellman group");
    r.describe(std::to_string(fieldtext::bitLength(m.dhP)) + "-bit prime: " + preview(m.dhP, 16));
    m.dhG = r.vec(2, 1, 0xffff, "dh_g", "the generator g of the group");
    m.dhYs = r.vec(2, 1, 0xffff, "dh_Ys", "the server's one-time public value g^x mod p");
    r.group(mark, "params", std::to_string(fieldtext::bitLength(m.dhP)) + "-bit group",
            "ServerDHParams: the server's half of the key agreement; the signature below covers it");
}

void requireEphemeral(KeyExchangeKind kind)
{
    if (kind == KeyExchangeKind::Rsa)
        throw std::invalid_argument("ServerKeyExchange: the RSA key exchange has no ServerKeyExchange");
}

} // namespace

ServerKeyExchange ServerKeyExchange::decode(ByteView body, KeyExchangeKind kind, std::vector<Field>* fields,
                                            std::size_t baseOffset, ProtocolVersion version)
{
    if (kind == KeyExchangeKind::Rsa)
        throw TlsError(AlertDescription::UnexpectedMessage,
                       "ServerKeyExchange: the negotiated suite uses RSA key transport, which sends no "
                       "ServerKeyExchange (RFC 5246 §7.4.3)");
    Reader r(body, "ServerKeyExchange", fields, baseOffset);
    ServerKeyExchange m;
    m.kind = kind;
    m.version = version;
    if (kind == KeyExchangeKind::DheRsa)
        decodeDhParams(r, m);
    else
        decodeEcdhParams(r, m);

    const std::size_t mark = r.mark();
    if (version >= kTls12) {
        m.signatureScheme = r.u16("algorithm", "the hash and signature algorithm the server signed with");
        r.describe(fieldtext::signatureScheme(m.signatureScheme));
    }
    m.signature = r.vec(2, 0, 0xffff, "signature",
                        "the server's signature over both randoms and the params, made with its certificate's key: "
                        "proof the params come from the certificate's owner and from this handshake");
    if (m.signature.empty())
        r.describe("empty");
    r.group(mark, "signed_params",
            version >= kTls12 ? signatureSchemeName(m.signatureScheme)
                              : std::string("MD5 || SHA-1 (RSA) or SHA-1 (ECDSA), chosen by the key, not named"),
            version >= kTls12 ? "the digitally-signed part (RFC 5246 §4.7)"
                              : "the signed part; before TLS 1.2 the algorithm follows from the certificate's key "
                                "(RFC 2246 §7.4.3)");
    r.expectDone();
    return m;
}

Bytes ServerKeyExchange::params() const
{
    requireEphemeral(kind);
    Writer w;
    if (kind == KeyExchangeKind::DheRsa) {
        w.vec(2, dhP);
        w.vec(2, dhG);
        w.vec(2, dhYs);
    } else {
        w.u8(kNamedCurve);
        w.u16(namedGroup);
        w.vec(1, publicKey);
    }
    return w.take();
}

Bytes ServerKeyExchange::serialize() const
{
    Writer w;
    w.bytes(params());
    if (version >= kTls12)
        w.u16(signatureScheme);
    w.vec(2, signature);
    return w.take();
}

} // namespace hl
