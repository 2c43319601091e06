// The listening socket: hands every accepted descriptor to HttpServer instead of making a QTcpSocket.
#pragma once

#include <QTcpServer>

#include <functional>

namespace quarry::http {

class TcpListener final : public QTcpServer
{
    Q_OBJECT

public:
    using Acceptor = std::function<void(qintptr)>;

    explicit TcpListener(Acceptor acceptor, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    Acceptor m_acceptor;
};

} // namespace quarry::http
