// Running real peers on loopback for the interop suites: a free port, `handshakelab serve` started and listening, and
// a relay that plays the attacker rewriting the ClientHello's version.
#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace hltest {

inline const QString kBinary = QStringLiteral(HL_BINARY);
inline const QString kPki = QStringLiteral(HL_RESOURCES) + "/pki/";

// A port that was free a moment ago on 127.0.0.1.
inline quint16 freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// Waits until `server` has printed `marker` (its "listening" line) without consuming its output: probing with a
// connection would use up a one-connection server. False if it stopped or 15 s passed.
inline bool waitForOutput(QProcess& server, const QByteArray& marker)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 15000) {
        if (server.peek(1 << 20).contains(marker))
            return true;
        if (server.state() == QProcess::NotRunning)
            return false;
        server.waitForReadyRead(100);
    }
    return false;
}

// Reads `p`'s output until it contains `what`, `p` stops, or `ms` pass: waiting on the clock, not on a count of
// reads, since the tools print in many small chunks.
inline QString readUntil(QProcess& p, const QString& what, int ms)
{
    QString out;
    QElapsedTimer waited;
    waited.start();
    while (!out.contains(what) && waited.elapsed() < ms && p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(100);
        out += p.readAll();
    }
    return out + p.readAll();
}

// Starts `handshakelab serve` and returns the port it announces (0 if it never did); its stderr so far goes to `err`.
inline quint16 startServe(QProcess& server, const QStringList& args, QString& err)
{
    server.start(kBinary, QStringList{"serve", "--port", "0"} + args);
    if (!server.waitForStarted())
        return 0;
    QRegularExpression listening("listening on 127\\.0\\.0\\.1:(\\d+)");
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 15000 && server.state() != QProcess::NotRunning) {
        server.waitForReadyRead(100);
        err += server.readAllStandardError();
        if (auto m = listening.match(err); m.hasMatch())
            return static_cast<quint16>(m.captured(1).toUInt());
    }
    return 0;
}


// A one-connection TCP relay on 127.0.0.1 in front of upstreamPort, standing where an attacker on the path would:
// when `rewriteTo` is set, it rewrites ClientHello.client_version in the client's first record (bytes 9 and 10: the
// 5-byte record header, then the 4-byte handshake header, RFC 5246 §6.2.1 and §7.4), as a downgrade attack does.
// Everything else passes unchanged both ways.
class VersionRewritingRelay {
public:
    VersionRewritingRelay(quint16 upstreamPort, std::uint16_t rewriteTo) : m_upstream(upstreamPort), m_to(rewriteTo)
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(m_listen, 1);
        socklen_t len = sizeof a;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~VersionRewritingRelay()
    {
        m_stop = true;
        m_thread.join();
        ::close(m_listen);
    }
    quint16 port() const { return m_port; }
    // The client_version the client sent (0 before its ClientHello went through), and whether it was rewritten.
    std::uint16_t seenVersion() const { return m_seen; }
    bool rewrote() const { return m_rewrote; }

private:
    void run()
    {
        pollfd lp{m_listen, POLLIN, 0};
        int client = -1;
        for (int waited = 0; waited < 30000 && !m_stop && client < 0; waited += 100)
            if (::poll(&lp, 1, 100) > 0)
                client = ::accept(m_listen, nullptr, nullptr);
        if (client < 0)
            return;
        const int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(m_upstream);
        if (::connect(upstream, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(client);
            ::close(upstream);
            return;
        }
        std::vector<std::uint8_t> firstRecord; // held back until client_version is in it
        bool firstSent = false;
        // Each direction ends on its own, as TCP's half-close does: an alert followed by a close still reaches the
        // other side whole.
        pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
        std::uint8_t buf[16384];
        const auto send = [](int fd, const std::uint8_t* data, std::size_t n) {
            (void)::send(fd, data, n, MSG_NOSIGNAL); // a peer already gone must not raise SIGPIPE in the test
        };
        while (!m_stop && (fds[0].fd >= 0 || fds[1].fd >= 0)) {
            if (::poll(fds, 2, 100) <= 0)
                continue;
            for (int i = 0; i < 2; ++i) {
                if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                const int to = i == 0 ? upstream : client;
                const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
                if (n <= 0) {
                    if (i == 0 && !firstSent && !firstRecord.empty())
                        send(to, firstRecord.data(), firstRecord.size());
                    ::shutdown(to, SHUT_WR);
                    fds[i].fd = -1;
                    continue;
                }
                if (i == 0 && !firstSent) {
                    firstRecord.insert(firstRecord.end(), buf, buf + n);
                    if (firstRecord.size() < 11)
                        continue;
                    if (firstRecord[0] == 22 && firstRecord[5] == 1) {
                        m_seen = static_cast<std::uint16_t>(firstRecord[9] << 8 | firstRecord[10]);
                        if (m_to) {
                            firstRecord[9] = static_cast<std::uint8_t>(m_to >> 8);
                            firstRecord[10] = static_cast<std::uint8_t>(m_to);
                            m_rewrote = true;
                        }
                    }
                    firstSent = true;
                    send(to, firstRecord.data(), firstRecord.size());
                    continue;
                }
                send(to, buf, static_cast<std::size_t>(n));
            }
        }
        ::close(client);
        ::close(upstream);
    }

    quint16 m_upstream, m_port = 0;
    std::uint16_t m_to;
    int m_listen = -1;
    std::atomic<bool> m_stop{false}, m_rewrote{false};
    std::atomic<std::uint16_t> m_seen{0};
    std::thread m_thread;
};

} // namespace hltest
