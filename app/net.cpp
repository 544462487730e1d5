// POSIX socket plumbing.
#include "net.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace hl::app {

namespace {
std::runtime_error sysError(const std::string& what)
{
    return std::runtime_error(what + ": " + std::strerror(errno));
}
} // namespace

Socket::~Socket()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Socket& Socket::operator=(Socket&& o) noexcept
{
    if (this != &o) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = o.m_fd;
        o.m_fd = -1;
    }
    return *this;
}

void Socket::writeAll(ByteView data)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(m_fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw sysError("send");
        }
        done += static_cast<std::size_t>(n);
    }
}

std::optional<Bytes> Socket::readSome(int timeoutMs)
{
    pollfd p{m_fd, POLLIN, 0};
    int r;
    do {
        r = ::poll(&p, 1, timeoutMs);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        throw sysError("poll");
    if (r == 0)
        return std::nullopt;
    Bytes buf(16384);
    ssize_t n;
    do {
        n = ::recv(m_fd, buf.data(), buf.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == ECONNRESET)
            return Bytes{};
        throw sysError("recv");
    }
    buf.resize(static_cast<std::size_t>(n));
    return buf;
}

void Socket::shutdownWrite()
{
    ::shutdown(m_fd, SHUT_WR);
}

Socket connectTcp(const std::string& host, std::uint16_t port)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res);
    if (rc != 0)
        throw std::runtime_error("cannot resolve " + host + ": " + ::gai_strerror(rc));
    std::string lastError = "no address";
    for (addrinfo* a = res; a; a = a->ai_next) {
        Socket s(::socket(a->ai_family, a->ai_socktype, a->ai_protocol));
        if (!s.valid())
            continue;
        if (::connect(s.fd(), a->ai_addr, a->ai_addrlen) == 0) {
            ::freeaddrinfo(res);
            const int one = 1;
            ::setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return s;
        }
        lastError = std::strerror(errno);
    }
    ::freeaddrinfo(res);
    throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " + lastError);
}

Socket listenLoopback(std::uint16_t port, std::uint16_t& boundPort, int backlog)
{
    Socket s(::socket(AF_INET, SOCK_STREAM, 0));
    if (!s.valid())
        throw sysError("socket");
    const int one = 1;
    ::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(s.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw sysError("cannot listen on 127.0.0.1:" + std::to_string(port));
    if (::listen(s.fd(), backlog) != 0)
        throw sysError("listen");
    socklen_t len = sizeof addr;
    ::getsockname(s.fd(), reinterpret_cast<sockaddr*>(&addr), &len);
    boundPort = ntohs(addr.sin_port);
    return s;
}

Socket acceptOne(const Socket& listener)
{
    int fd;
    do {
        fd = ::accept(listener.fd(), nullptr, nullptr);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        throw sysError("accept");
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return Socket(fd);
}

} // namespace hl::app
