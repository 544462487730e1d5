// The page serve --http answers with.
#include "http_page.h"

#include "crypto/cipher_suite.h"

#include <variant>

namespace hl::app {

namespace {

std::string escapeHtml(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string response(std::string_view status, std::string_view body, bool withBody,
                     std::string_view extraHeaders = {})
{
    std::string out = "HTTP/1.1 " + std::string(status) + "\r\n" +
                      "Content-Type: text/html; charset=utf-8\r\n"
                      "Content-Length: " + std::to_string(body.size()) + "\r\n"
                      "Cache-Control: no-store\r\n"
                      "Connection: close\r\n" +
                      std::string(extraHeaders) + "\r\n";
    if (withBody)
        out += body;
    return out;
}

std::string shortPage(std::string_view title, std::string_view text)
{
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escapeHtml(title) +
           "</title></head>\n<body><h1>" + escapeHtml(title) + "</h1>\n<p>" + escapeHtml(text) + "</p></body></html>\n";
}

std::string handshakePage(const HandshakeFacts& f, std::string_view requestLine)
{
    const auto row = [](std::string_view name, std::string_view value) {
        return "<tr><th>" + escapeHtml(name) + "</th><td>" + escapeHtml(value) + "</td></tr>\n";
    };
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>HandshakeLab: your handshake</title></head>\n"
           "<body>\n<h1>The handshake you just made</h1>\n"
           "<p>HandshakeLab's own TLS server answered this request. Before your request could be read, your client "
           "and this server agreed on the following.</p>\n<table>\n" +
           row("Protocol version", f.version) + row("Cipher suite", f.suite) + row("Key exchange", f.keyExchange) +
           row("Group", f.group) +
           row("Client certificate", f.clientCertificate.empty() ? "none was sent" : f.clientCertificate) +
           row("Session", f.resumed ? "resumed: the abbreviated handshake reused an earlier master secret"
                                    : "new: a full handshake") +
           row("Your request", requestLine) +
           "</table>\n<p>The server closes the connection after this page with a close_notify alert.</p>\n"
           "</body></html>\n";
}

} // namespace

HandshakeFacts handshakeFacts(const Trace& trace, const Connection& server)
{
    HandshakeFacts f;
    f.version = versionName(server.version());
    if (const CipherSuite* s = server.cipherSuite()) {
        f.suite = std::string(s->name);
        f.keyExchange = keyExchangeName(s->keyExchange);
    }
    f.resumed = server.resumed();
    f.group = f.resumed ? "none in this handshake: the keys come from the resumed session"
                        : "none: the client encrypted the pre-master secret to the server's RSA key";
    for (const TraceEvent& ev : trace.events()) {
        if (const auto* r = std::get_if<RecordEvent>(&ev); r && r->from == server.side()) {
            for (const MessageInfo& m : r->messages)
                if (m.name == "ServerKeyExchange")
                    for (const Field& field : m.fields)
                        if (field.name == "params")
                            f.group = field.value;
        } else if (const auto* c = std::get_if<CertificateChainEvent>(&ev);
                   c && c->side == server.side() && !c->chain.empty()) {
            f.clientCertificate = c->chain.front().subject;
        }
    }
    return f;
}

std::optional<std::size_t> httpHeadEnd(std::string_view received)
{
    // RFC 9112 §2.2: a recipient may take a bare LF as a line end.
    const auto crlf = received.find("\r\n\r\n");
    const auto lf = received.find("\n\n");
    if (crlf == std::string_view::npos && lf == std::string_view::npos)
        return std::nullopt;
    if (lf == std::string_view::npos || (crlf != std::string_view::npos && crlf < lf))
        return crlf + 4;
    return lf + 2;
}

std::string httpResponse(std::string_view head, const HandshakeFacts& facts)
{
    if (!httpHeadEnd(head) && head.size() >= kMaxHttpRequestHead)
        return response("431 Request Header Fields Too Large",
                        shortPage("Request too large", "The request head passed " +
                                                           std::to_string(kMaxHttpRequestHead / 1024) +
                                                           " KiB without ending."),
                        true);
    std::string_view line = head.substr(0, head.find('\n'));
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    // RFC 9112 §3: method SP request-target SP HTTP-version.
    const auto sp1 = line.find(' ');
    const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.substr(sp2 + 1).substr(0, 7) != "HTTP/1.")
        return response("400 Bad Request",
                        shortPage("Bad request", "This server speaks HTTP/1.x after the handshake (serve --http); "
                                                 "what arrived was not an HTTP request line."),
                        true);
    const std::string_view method = line.substr(0, sp1);
    if (method != "GET" && method != "HEAD")
        return response("405 Method Not Allowed",
                        shortPage("Method not allowed", "Only GET and HEAD are answered here."), true,
                        "Allow: GET, HEAD\r\n");
    return response("200 OK", handshakePage(facts, line), method == "GET");
}

} // namespace hl::app
