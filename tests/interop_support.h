// Running real peers on loopback for the interop suites: a free port, and `handshakelab serve` started and listening.
#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

} // namespace hltest
