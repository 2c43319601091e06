// Accepts on the server's thread; sockets are only ever wrapped on worker threads.
#include "http/TcpListener.h"

namespace quarry::http {

TcpListener::TcpListener(Acceptor acceptor, QObject *parent)
    : QTcpServer(parent), m_acceptor(std::move(acceptor))
{}

void TcpListener::incomingConnection(qintptr socketDescriptor)
{
    m_acceptor(socketDescriptor);
}

} // namespace quarry::http
