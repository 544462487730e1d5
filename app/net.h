// Minimal blocking TCP over POSIX sockets for `connect` and `serve`; loopback is all the tests ever use.
#pragma once

#include "common/bytes.h"

#include <cstdint>
#include <optional>
#include <string>

namespace hl::app {

class Socket {
public:
    Socket() = default;
    explicit Socket(int fd) : m_fd(fd) {}
    ~Socket();
    Socket(Socket&& o) noexcept : m_fd(o.m_fd) { o.m_fd = -1; }
    Socket& operator=(Socket&& o) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    bool valid() const { return m_fd >= 0; }
    int fd() const { return m_fd; }
    // Throws std::runtime_error on failure.
    void writeAll(ByteView data);
    // Waits up to timeoutMs for data. nullopt on timeout; an empty vector when the peer closed.
    std::optional<Bytes> readSome(int timeoutMs);
    // Sends TCP's FIN: the peer reads the end of the stream, and what it still sends can be read.
    void shutdownWrite();

private:
    int m_fd = -1;
};

// Throws std::runtime_error with the system's reason ("connection refused").
Socket connectTcp(const std::string& host, std::uint16_t port);
// Listens on 127.0.0.1:port (0 picks a free port); `boundPort` receives the port actually used. Up to `backlog`
// clients wait in the kernel's queue while the server is busy.
Socket listenLoopback(std::uint16_t port, std::uint16_t& boundPort, int backlog = 128);
Socket acceptOne(const Socket& listener);

} // namespace hl::app
