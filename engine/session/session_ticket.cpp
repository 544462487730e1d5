// Ticket sealing and opening over Crypto++: AES-128-CBC with PKCS#7 padding, then HMAC-SHA-256 over everything before
// the MAC (RFC 5077 §4).
#include "session/session_ticket.h"

#include "common/codec.h"

#include <cryptopp/aes.h>
#include <cryptopp/filters.h>
#include <cryptopp/hmac.h>
#include <cryptopp/misc.h>
#include <cryptopp/modes.h>
#include <cryptopp/sha.h>

#include <algorithm>

namespace hl {

namespace {
constexpr std::size_t kNameLength = 16;
constexpr std::size_t kIvLength = 16;
constexpr std::size_t kMacLength = 32;
constexpr std::uint8_t kStateFormat = 1; // our own encoding of the state; bumped if it ever changes

Bytes randomBytes(CryptoPP::RandomNumberGenerator& rng, std::size_t n)
{
    Bytes b(n);
    rng.GenerateBlock(b.data(), b.size());
    return b;
}

Bytes mac(const TicketKey& key, ByteView data)
{
    CryptoPP::HMAC<CryptoPP::SHA256> h(key.hmacKey.data(), key.hmacKey.size());
    Bytes out(kMacLength);
    h.CalculateDigest(out.data(), data.data(), data.size());
    return out;
}

Bytes encodeState(const SavedSession& s)
{
    Writer w;
    w.u8(kStateFormat);
    w.u16(s.version);
    w.u16(s.cipherSuite);
    w.u8(s.extendedMasterSecret ? 1 : 0);
    w.vec(1, s.masterSecret);
    w.u64(static_cast<std::uint64_t>(s.createdAt));
    w.u32(s.ticketLifetimeHint);
    w.prefixed(3, [&](Writer& list) {
        for (const Bytes& c : s.peerCertificates)
            list.vec(3, c);
    });
    return w.take();
}

SavedSession decodeState(ByteView plain)
{
    Reader r(plain, "ticket state");
    if (r.u8("format") != kStateFormat)
        throw TlsError(AlertDescription::DecodeError, "ticket state: unknown format");
    SavedSession s;
    s.version = r.u16("version");
    s.cipherSuite = r.u16("cipher_suite");
    const std::uint8_t ems = r.u8("extended_master_secret");
    if (ems > 1)
        throw TlsError(AlertDescription::DecodeError, "ticket state: extended_master_secret must be 0 or 1");
    s.extendedMasterSecret = ems == 1;
    s.masterSecret = r.vec(1, 48, 48, "master_secret");
    const Bytes created = r.fixed(8, "created");
    std::uint64_t t = 0;
    for (std::uint8_t b : created)
        t = t << 8 | b;
    s.createdAt = static_cast<std::int64_t>(t);
    const Bytes hint = r.fixed(4, "lifetime_hint");
    for (std::uint8_t b : hint)
        s.ticketLifetimeHint = s.ticketLifetimeHint << 8 | b;
    Reader list = r.sub(3, 0, 0xffffff, "peer_certificates");
    while (!list.done())
        s.peerCertificates.push_back(list.vec(3, 1, 0xffffff, "certificate"));
    r.expectDone();
    return s;
}
} // namespace

TicketKey TicketKey::generate(CryptoPP::RandomNumberGenerator& rng)
{
    TicketKey k;
    k.name = randomBytes(rng, kNameLength);
    k.aesKey = randomBytes(rng, 16);
    k.hmacKey = randomBytes(rng, 32);
    return k;
}

Bytes sealTicket(const TicketKey& key, const SavedSession& state, CryptoPP::RandomNumberGenerator& rng)
{
    const Bytes iv = randomBytes(rng, kIvLength);
    const Bytes plain = encodeState(state);
    std::string encrypted;
    CryptoPP::CBC_Mode<CryptoPP::AES>::Encryption enc(key.aesKey.data(), key.aesKey.size(), iv.data());
    CryptoPP::StringSource(plain.data(), plain.size(), true,
                           new CryptoPP::StreamTransformationFilter(enc, new CryptoPP::StringSink(encrypted),
                                                                    CryptoPP::StreamTransformationFilter::PKCS_PADDING));
    Writer w;
    w.bytes(key.name);
    w.bytes(iv);
    w.vec(2, asBytes(encrypted));
    // RFC 5077 §4: the MAC covers key_name, IV, the length of encrypted_state and encrypted_state itself.
    const Bytes tag = mac(key, w.data());
    w.bytes(tag);
    return w.take();
}

OpenedTicket openTicket(const TicketKey& key, ByteView ticket)
{
    OpenedTicket out;
    const std::size_t minimum = kNameLength + kIvLength + 2 + kMacLength;
    if (ticket.size() < minimum) {
        out.detail = "it is " + std::to_string(ticket.size()) + " bytes, shorter than the " + std::to_string(minimum) +
                     " bytes of an empty ticket";
        return out;
    }
    const std::size_t stateLength = std::size_t{ticket[kNameLength + kIvLength]} << 8 | ticket[kNameLength + kIvLength + 1];
    if (ticket.size() != minimum + stateLength) {
        out.detail = "its encrypted_state length says " + std::to_string(stateLength) + " bytes, but the ticket holds " +
                     std::to_string(ticket.size() - minimum);
        return out;
    }
    const ByteView name = ticket.first(kNameLength);
    if (!std::equal(name.begin(), name.end(), key.name.begin(), key.name.end())) {
        out.status = OpenedTicket::Status::UnknownKey;
        out.detail = "its key_name " + toHex(name).substr(0, 8) + "… is not this server's ticket key (" +
                     toHex(key.name).substr(0, 8) + "…)";
        return out;
    }
    const ByteView sealed = ticket.first(ticket.size() - kMacLength);
    const ByteView tag = ticket.last(kMacLength);
    const Bytes expected = mac(key, sealed);
    if (!CryptoPP::VerifyBufsEqual(expected.data(), tag.data(), kMacLength)) {
        out.status = OpenedTicket::Status::BadMac;
        out.detail = "its HMAC-SHA-256 does not verify: some byte changed after the server sealed it";
        return out;
    }
    const ByteView iv = ticket.subspan(kNameLength, kIvLength);
    const ByteView encrypted = ticket.subspan(kNameLength + kIvLength + 2, stateLength);
    try {
        std::string plain;
        CryptoPP::CBC_Mode<CryptoPP::AES>::Decryption dec(key.aesKey.data(), key.aesKey.size(), iv.data());
        CryptoPP::StringSource(encrypted.data(), encrypted.size(), true,
                               new CryptoPP::StreamTransformationFilter(dec, new CryptoPP::StringSink(plain),
                                                                        CryptoPP::StreamTransformationFilter::PKCS_PADDING));
        SavedSession s = decodeState(asBytes(plain));
        s.ticket.assign(ticket.begin(), ticket.end());
        out.session = std::move(s);
        out.status = OpenedTicket::Status::Ok;
    } catch (const std::exception& e) {
        out.status = OpenedTicket::Status::BadState;
        out.detail = std::string("its MAC verifies but its state does not decode: ") + e.what();
    }
    return out;
}

} // namespace hl
