// Bounds-checked DER decoding, the civil-date conversion RFC 5280 times need, and Crypto++ encoding glue.
#include "x509/der.h"

#include <array>
#include <charconv>
#include <limits>

namespace hl::der {

namespace {

std::string quoted(std::string_view name)
{
    return name.empty() ? std::string() : std::string(name) + ": ";
}

[[noreturn]] void failValue(std::string_view name, const std::string& problem)
{
    throw Error(quoted(name) + problem);
}

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

bool validUtf8(ByteView s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const std::uint8_t c = s[i];
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size())
            return false;
        for (std::size_t k = 1; k <= n; ++k) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 (RFC 3629 §3).
        static constexpr std::uint32_t minimum[] = {0, 0x80, 0x800, 0x10000};
        if (cp < minimum[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

int digits(std::string_view s, std::size_t at, std::size_t n)
{
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

std::string hexValue(std::uint8_t v)
{
    static constexpr char hex[] = "0123456789abcdef";
    return std::string("0x") + hex[v >> 4] + hex[v & 15];
}

bool isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m)
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

} // namespace

Reader::Reader(ByteView data, std::string what, std::size_t baseOffset)
    : m_data(data), m_what(std::move(what)), m_base(baseOffset)
{
}

Reader::Reader(const Element& constructed, std::string what)
    : m_data(constructed.contents), m_what(std::move(what)), m_base(constructed.contentsOffset())
{
}

void Reader::fail(std::string_view name, const std::string& problem) const
{
    throw Error(m_what + ": " + quoted(name) + problem);
}

bool Reader::peek(std::uint8_t tag) const
{
    return !done() && m_data[m_pos] == tag;
}

Element Reader::read(std::string_view name)
{
    const std::size_t start = m_pos;
    const std::size_t left = m_data.size() - m_pos;
    if (left == 0)
        fail(name, "missing (the enclosing structure ends here)");
    if (left < 2)
        fail(name, "truncated: no room for a length after the tag");
    const std::uint8_t tag = m_data[m_pos];
    // X.690 §8.1.2.4: tag numbers above 30 take more octets; nothing in X.509 uses them.
    if ((tag & 0x1f) == 0x1f)
        fail(name, "multi-octet tag " + hexValue(tag) + " is not used in X.509");
    std::size_t pos = m_pos + 1;
    const std::uint8_t first = m_data[pos++];
    std::size_t length = 0;
    if (first < 0x80) {
        length = first;
    } else if (first == 0x80) {
        // X.690 §10.1: DER always uses the definite form.
        fail(name, "indefinite length is BER, not DER");
    } else {
        const std::size_t n = first & 0x7f;
        if (n > 4)
            fail(name, "length of " + std::to_string(n) + " octets is absurdly large");
        if (m_data.size() - pos < n)
            fail(name, "truncated inside the length octets");
        if (m_data[pos] == 0)
            fail(name, "length has a leading zero octet (not minimal DER)");
        for (std::size_t i = 0; i < n; ++i)
            length = length << 8 | m_data[pos + i];
        pos += n;
        if (length < 0x80)
            fail(name, "long-form length " + std::to_string(length) + " should use the short form (X.690 §10.1)");
    }
    const std::size_t available = m_data.size() - pos;
    if (length > available)
        fail(name,
             "length says " + std::to_string(length) + " bytes but only " + std::to_string(available) + " remain");
    Element e;
    e.tag = tag;
    e.whole = m_data.subspan(start, pos - start + length);
    e.contents = m_data.subspan(pos, length);
    e.offset = m_base + start;
    m_pos = pos + length;
    return e;
}

Element Reader::read(std::uint8_t tag, std::string_view name)
{
    if (done())
        fail(name, "missing: expected " + tagName(tag) + ", but the enclosing structure ends here");
    if (m_data[m_pos] != tag)
        fail(name, "expected " + tagName(tag) + ", found " + tagName(m_data[m_pos]));
    return read(name);
}

std::optional<Element> Reader::readOptional(std::uint8_t tag, std::string_view name)
{
    if (!peek(tag))
        return std::nullopt;
    return read(name);
}

void Reader::expectDone(std::string_view name) const
{
    if (!done())
        fail(name, std::to_string(m_data.size() - m_pos) + " unexpected trailing bytes (starting with " +
                       tagName(m_data[m_pos]) + ")");
}

std::string tagName(std::uint8_t tag)
{
    switch (tag) {
    case Boolean:
        return "BOOLEAN";
    case Integer:
        return "INTEGER";
    case BitString:
        return "BIT STRING";
    case OctetString:
        return "OCTET STRING";
    case Null:
        return "NULL";
    case ObjectIdentifier:
        return "OBJECT IDENTIFIER";
    case Utf8String:
        return "UTF8String";
    case PrintableString:
        return "PrintableString";
    case TeletexString:
        return "TeletexString";
    case Ia5String:
        return "IA5String";
    case UtcTime:
        return "UTCTime";
    case GeneralizedTime:
        return "GeneralizedTime";
    case UniversalString:
        return "UniversalString";
    case BmpString:
        return "BMPString";
    case Sequence:
        return "SEQUENCE";
    case Set:
        return "SET";
    default:
        break;
    }
    if ((tag & 0xc0) == 0x80)
        return "[" + std::to_string(tag & 0x1f) + "]";
    return "tag " + hexValue(tag);
}

Bytes integerContents(const Element& e, std::string_view name)
{
    if (e.tag != Integer)
        failValue(name, "expected INTEGER, found " + tagName(e.tag));
    const ByteView c = e.contents;
    if (c.empty())
        failValue(name, "INTEGER with no contents octets");
    // X.690 §8.3.2: the first nine bits are never all zero or all one.
    if (c.size() > 1 && ((c[0] == 0x00 && c[1] < 0x80) || (c[0] == 0xff && c[1] >= 0x80)))
        failValue(name, "INTEGER is not minimally encoded");
    return Bytes(c.begin(), c.end());
}

std::uint64_t smallUnsigned(const Element& e, std::uint64_t max, std::string_view name)
{
    const Bytes c = integerContents(e, name);
    if (c[0] & 0x80)
        failValue(name, "negative INTEGER where a count was expected");
    // A minimal non-negative INTEGER has at most one leading zero octet; past that, 8 octets fit 64 bits.
    const std::size_t skip = c[0] == 0 && c.size() > 1 ? 1 : 0;
    if (c.size() - skip > 8)
        failValue(name, "INTEGER larger than " + std::to_string(max));
    std::uint64_t v = 0;
    for (std::size_t i = skip; i < c.size(); ++i)
        v = v << 8 | c[i];
    if (v > max)
        failValue(name, "INTEGER " + std::to_string(v) + " larger than " + std::to_string(max));
    return v;
}

CryptoPP::Integer positiveInteger(const Element& e, std::string_view name)
{
    const Bytes c = integerContents(e, name);
    if (c[0] & 0x80)
        failValue(name, "negative INTEGER");
    CryptoPP::Integer v(c.data(), c.size());
    if (v.IsZero())
        failValue(name, "INTEGER is zero");
    return v;
}

bool boolean(const Element& e, std::string_view name)
{
    if (e.tag != Boolean)
        failValue(name, "expected BOOLEAN, found " + tagName(e.tag));
    if (e.contents.size() != 1)
        failValue(name, "BOOLEAN must be one octet");
    if (e.contents[0] != 0x00 && e.contents[0] != 0xff)
        failValue(name, "BOOLEAN TRUE must be 0xff in DER (X.690 §11.1)");
    return e.contents[0] == 0xff;
}

std::string objectIdentifier(const Element& e, std::string_view name)
{
    if (e.tag != ObjectIdentifier)
        failValue(name, "expected OBJECT IDENTIFIER, found " + tagName(e.tag));
    const ByteView c = e.contents;
    if (c.empty())
        failValue(name, "empty OBJECT IDENTIFIER");
    std::string out;
    std::uint64_t value = 0;
    bool first = true;
    bool inArc = false;
    for (std::size_t i = 0; i < c.size(); ++i) {
        // X.690 §8.19.2: base-128 arcs, high bit = "more follows", no leading 0x80 padding.
        if (!inArc && c[i] == 0x80)
            failValue(name, "OBJECT IDENTIFIER arc has a leading 0x80 (not minimal)");
        if (value > (std::numeric_limits<std::uint64_t>::max() >> 7))
            failValue(name, "OBJECT IDENTIFIER arc too large");
        value = value << 7 | (c[i] & 0x7f);
        inArc = (c[i] & 0x80) != 0;
        if (inArc)
            continue;
        if (first) {
            // X.690 §8.19.4: the first octet packs the first two arcs as 40 * X + Y.
            const std::uint64_t top = value < 80 ? value / 40 : 2;
            out = std::to_string(top) + "." + std::to_string(value - top * 40);
            first = false;
        } else {
            out += "." + std::to_string(value);
        }
        value = 0;
    }
    if (inArc)
        failValue(name, "OBJECT IDENTIFIER ends in the middle of an arc");
    return out;
}

BitStringValue bitString(const Element& e, std::string_view name)
{
    if (e.tag != BitString)
        failValue(name, "expected BIT STRING, found " + tagName(e.tag));
    const ByteView c = e.contents;
    if (c.empty())
        failValue(name, "BIT STRING without its unused-bits octet");
    const unsigned unused = c[0];
    if (unused > 7)
        failValue(name, "BIT STRING claims " + std::to_string(unused) + " unused bits (at most 7)");
    if (c.size() == 1 && unused != 0)
        failValue(name, "empty BIT STRING with unused bits");
    // X.690 §11.2.1: the unused bits are zero in DER.
    if (unused != 0 && (c.back() & ((1u << unused) - 1)) != 0)
        failValue(name, "BIT STRING has non-zero padding bits");
    return BitStringValue{Bytes(c.begin() + 1, c.end()), unused};
}

Bytes octetAlignedBitString(const Element& e, std::string_view name)
{
    BitStringValue b = bitString(e, name);
    if (b.unusedBits != 0)
        failValue(name, "BIT STRING should hold whole octets");
    return std::move(b.bytes);
}

std::string text(const Element& e, std::string_view name)
{
    const ByteView c = e.contents;
    std::string out;
    switch (e.tag) {
    case Utf8String:
        if (!validUtf8(c))
            failValue(name, "UTF8String is not valid UTF-8");
        return asString(c);
    case PrintableString:
    case Ia5String:
    case 0x12: // NumericString
    case 0x1a: // VisibleString
        for (std::uint8_t b : c) {
            if (b >= 0x80)
                failValue(name, tagName(e.tag) + " holds a non-ASCII byte");
            out += static_cast<char>(b);
        }
        return out;
    case TeletexString:
        // T.61 is rarely what issuers really put there; Latin-1 is what they mean in practice.
        for (std::uint8_t b : c)
            appendUtf8(out, b);
        return out;
    case BmpString:
        if (c.size() % 2 != 0)
            failValue(name, "BMPString has an odd number of bytes");
        for (std::size_t i = 0; i < c.size(); i += 2)
            appendUtf8(out, static_cast<std::uint32_t>(c[i] << 8 | c[i + 1]));
        return out;
    case UniversalString:
        if (c.size() % 4 != 0)
            failValue(name, "UniversalString length is not a multiple of 4");
        for (std::size_t i = 0; i < c.size(); i += 4) {
            const std::uint32_t cp = static_cast<std::uint32_t>(c[i]) << 24 |
                                     static_cast<std::uint32_t>(c[i + 1]) << 16 |
                                     static_cast<std::uint32_t>(c[i + 2]) << 8 | c[i + 3];
            if (cp > 0x10ffff)
                failValue(name, "UniversalString character out of range");
            appendUtf8(out, cp);
        }
        return out;
    default:
        failValue(name, "expected a string type, found " + tagName(e.tag));
    }
}

std::int64_t time(const Element& e, std::string_view name)
{
    const std::string_view s(reinterpret_cast<const char*>(e.contents.data()), e.contents.size());
    CivilTime t;
    std::size_t at = 0;
    if (e.tag == UtcTime) {
        // RFC 5280 §4.1.2.5.1: YYMMDDHHMMSSZ; YY >= 50 means 19YY, otherwise 20YY.
        if (s.size() != 13 || s.back() != 'Z')
            failValue(name, "UTCTime must be YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1), got \"" + std::string(s) + "\"");
        const int yy = digits(s, 0, 2);
        if (yy < 0)
            failValue(name, "UTCTime year is not two digits");
        t.year = yy >= 50 ? 1900 + yy : 2000 + yy;
        at = 2;
    } else if (e.tag == GeneralizedTime) {
        // RFC 5280 §4.1.2.5.2: YYYYMMDDHHMMSSZ, no fractional seconds.
        if (s.size() != 15 || s.back() != 'Z')
            failValue(name,
                      "GeneralizedTime must be YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2), got \"" + std::string(s) + "\"");
        t.year = digits(s, 0, 4);
        if (t.year < 0)
            failValue(name, "GeneralizedTime year is not four digits");
        at = 4;
    } else {
        failValue(name, "expected UTCTime or GeneralizedTime, found " + tagName(e.tag));
    }
    t.month = digits(s, at, 2);
    t.day = digits(s, at + 2, 2);
    t.hour = digits(s, at + 4, 2);
    t.minute = digits(s, at + 6, 2);
    t.second = digits(s, at + 8, 2);
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysInMonth(t.year, t.month) || t.hour < 0 || t.hour > 23 ||
        t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 59)
        failValue(name, "not a valid date and time: \"" + std::string(s) + "\"");
    return unixFromCivil(t);
}

// Days since 1970-01-01 from a Gregorian date. Shifting the year to start on 1 March puts the leap day at the
// end, so the day-of-year is a simple formula in the month; 400-year eras repeat exactly (146097 days).
std::int64_t unixFromCivil(const CivilTime& t)
{
    const std::int64_t y = static_cast<std::int64_t>(t.year) - (t.month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yearOfEra = y - era * 400;                              // [0, 399]
    const std::int64_t shiftedMonth = t.month > 2 ? t.month - 3 : t.month + 9; // March = 0
    const std::int64_t dayOfYear = (153 * shiftedMonth + 2) / 5 + t.day - 1;   // [0, 365]
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    const std::int64_t days = era * 146097 + dayOfEra - 719468; // 719468 = days from 0000-03-01 to 1970-01-01
    return days * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

CivilTime civilFromUnix(std::int64_t unixSeconds)
{
    std::int64_t days = unixSeconds / 86400;
    std::int64_t secs = unixSeconds % 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t dayOfEra = z - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t shiftedMonth = (5 * dayOfYear + 2) / 153;
    CivilTime t;
    t.day = static_cast<int>(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    t.month = static_cast<int>(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    t.year = static_cast<int>(yearOfEra + era * 400 + (t.month <= 2 ? 1 : 0));
    t.hour = static_cast<int>(secs / 3600);
    t.minute = static_cast<int>(secs / 60 % 60);
    t.second = static_cast<int>(secs % 60);
    return t;
}

CryptoPP::OID cryptoOid(std::string_view dotted)
{
    CryptoPP::OID oid;
    std::size_t at = 0;
    while (at <= dotted.size()) {
        const std::size_t dot = std::min(dotted.find('.', at), dotted.size());
        CryptoPP::word32 arc = 0;
        const auto [end, ec] = std::from_chars(dotted.data() + at, dotted.data() + dot, arc);
        if (ec != std::errc() || end != dotted.data() + dot || dot == at)
            throw std::invalid_argument("not a dotted object identifier: \"" + std::string(dotted) + "\"");
        oid += arc;
        at = dot + 1;
    }
    if (oid.GetValues().size() < 2)
        throw std::invalid_argument("an object identifier needs at least two arcs: \"" + std::string(dotted) + "\"");
    return oid;
}

} // namespace hl::der
