// PEM decoding and encoding; the base64 itself is Crypto++'s.
#include "x509/pem.h"

#include <cryptopp/base64.h>
#include <cryptopp/filters.h>

#include <optional>
#include <stdexcept>

namespace hl {

namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = text.substr(at, nl - at);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        lines.push_back(line);
        at = nl + 1;
    }
    return lines;
}

// The label of a "-----BEGIN x-----" / "-----END x-----" line, or nullopt when the line is not one.
std::optional<std::string> boundaryLabel(std::string_view line, std::string_view prefix)
{
    if (line.substr(0, prefix.size()) != prefix || line.size() < prefix.size() + kDashes.size() ||
        line.substr(line.size() - kDashes.size()) != kDashes)
        return std::nullopt;
    return std::string(line.substr(prefix.size(), line.size() - prefix.size() - kDashes.size()));
}

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// Crypto++'s Base64Decoder skips characters it does not know, so a damaged file would decode to the wrong
// bytes without complaint; check the alphabet and padding first (RFC 4648 §4).
Bytes decodeBase64(const std::string& body, std::string_view label)
{
    const std::string where = "PEM block \"" + std::string(label) + "\": ";
    if (body.empty())
        throw std::invalid_argument(where + "the block is empty");
    if (body.size() % 4 != 0)
        throw std::invalid_argument(where + "base64 length " + std::to_string(body.size()) +
                                    " is not a multiple of 4 (truncated?)");
    std::size_t padding = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '=') {
            ++padding;
            continue;
        }
        if (padding > 0 || !isBase64Char(c))
            throw std::invalid_argument(where + "invalid base64 character '" + std::string(1, c) + "' at position " +
                                        std::to_string(i));
    }
    if (padding > 2)
        throw std::invalid_argument(where + "too much base64 padding");
    std::string decoded;
    CryptoPP::StringSource source(body, true, new CryptoPP::Base64Decoder(new CryptoPP::StringSink(decoded)));
    return Bytes(decoded.begin(), decoded.end());
}

} // namespace

std::vector<std::string> pemLabels(std::string_view text)
{
    std::vector<std::string> labels;
    for (std::string_view line : splitLines(text))
        if (auto label = boundaryLabel(line, kBegin))
            labels.push_back(*label);
    return labels;
}

std::vector<Bytes> pemDecodeAll(std::string_view text, std::string_view label)
{
    std::vector<Bytes> blocks;
    std::optional<std::string> open; // label of the block we are inside
    std::string body;
    for (std::string_view line : splitLines(text)) {
        if (!open) {
            if (auto begin = boundaryLabel(line, kBegin)) {
                open = *begin;
                body.clear();
            }
            continue;
        }
        if (auto end = boundaryLabel(line, kEnd)) {
            if (*end != *open)
                throw std::invalid_argument("PEM block \"-----BEGIN " + *open + "-----\" is closed by \"-----END " +
                                            *end + "-----\"");
            if (*open == label)
                blocks.push_back(decodeBase64(body, label));
            open.reset();
            continue;
        }
        if (*open != label)
            continue;
        if (boundaryLabel(line, kBegin))
            throw std::invalid_argument("PEM block \"" + *open + "\": a new BEGIN line appears before its END line");
        // RFC 1421 §4.6 headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info: ...") mean an encrypted legacy key.
        if (line.find(':') != std::string_view::npos)
            throw std::invalid_argument("PEM block \"" + *open + "\" has headers (\"" + std::string(line) +
                                        "\"): encrypted PEM is not supported; decrypt it first, e.g. "
                                        "openssl pkey -in key.pem -out plain.pem");
        for (char c : line)
            if (c != ' ' && c != '\t')
                body += c;
    }
    if (open)
        throw std::invalid_argument("PEM block \"-----BEGIN " + *open + "-----\" has no END line");
    if (blocks.empty())
        throw std::invalid_argument("no \"-----BEGIN " + std::string(label) + "-----\" block found");
    return blocks;
}

std::string pemEncode(ByteView der, std::string_view label)
{
    std::string body;
    CryptoPP::StringSource source(der.data(), der.size(), true,
                                  new CryptoPP::Base64Encoder(new CryptoPP::StringSink(body), true, 64));
    if (!body.empty() && body.back() != '\n')
        body += '\n';
    return "-----BEGIN " + std::string(label) + "-----\n" + body + "-----END " + std::string(label) + "-----\n";
}

} // namespace hl
