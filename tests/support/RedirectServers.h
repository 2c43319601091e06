// Two local servers for redirect tests: one answers every request with a 307 to the other, which
// records whatever reaches it (a client that follows redirects would send it its signed headers).
// Header-only: the suites that use it link Qt Network through the module they test.
#pragma once

#include <QTcpServer>
#include <QTcpSocket>

namespace quarry::test {

class RedirectRecorder : public QTcpServer
{
public:
    RedirectRecorder()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                ++connections;
                connect(socket, &QTcpSocket::readyRead, socket,
                        [this, socket] { received += socket->readAll(); });
            }
        });
    }
    int connections = 0;
    QByteArray received;
};

class Redirector : public QTcpServer
{
public:
    explicit Redirector(QByteArray location) : m_location(std::move(location))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    received += socket->readAll();
                    if (!received.contains("\r\n\r\n"))
                        return;
                    socket->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + m_location +
                                  "\r\nContent-Length: 0\r\n\r\n");
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    QByteArray received; // what the first hop was sent

private:
    QByteArray m_location;
};

} // namespace quarry::test
