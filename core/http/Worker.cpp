// Worker: owns connections on one thread and closes the ones that sit idle.
#include "http/Worker.h"

#include "http/Connection.h"
#include "http/RequestHandler.h"

#include <algorithm>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <unistd.h>
#endif

namespace quarry::http {

Worker::Worker(HandlerFactory factory, const ServerOptions &options, std::atomic<int> *activeCounter)
    : m_factory(std::move(factory)), m_options(options), m_activeCounter(activeCounter)
{}

Worker::~Worker()
{
    shutdown();
}

void Worker::initialize()
{
    if (m_factory)
        m_handler = m_factory();
    m_sweepTimer = new QTimer(this);
    // Fine enough to honour short timeouts in tests, coarse enough to cost nothing.
    const int shortest =
        std::min({m_options.idleTimeoutMs, m_options.headerTimeoutMs, m_options.bodyGraceMs});
    m_sweepTimer->setInterval(std::clamp(shortest / 4, 20, 1000));
    connect(m_sweepTimer, &QTimer::timeout, this, &Worker::sweep);
    m_sweepTimer->start();
}

void Worker::adopt(qintptr socketDescriptor, std::shared_ptr<const RequestGuard> guard, Admission admission,
                   std::shared_ptr<void> peerSlot)
{
    const bool overloaded = admission != Admission::Accepted;
    auto *connection = new Connection(m_options, m_handler.get(), std::move(guard),
                                      overloaded ? nullptr : m_activeCounter, this);
    if (!connection->open(socketDescriptor)) {
        delete connection;
#ifdef Q_OS_WIN
        ::closesocket(SOCKET(socketDescriptor));
#else
        ::close(int(socketDescriptor));
#endif
        return;
    }
    connection->holdPeerSlot(std::move(peerSlot));
    m_connections.insert(connection);
    connect(connection, &Connection::closed, this, &Worker::remove);
    if (overloaded)
        connection->rejectOverloaded(admission == Admission::PeerFull);
}

void Worker::shutdown()
{
    delete std::exchange(m_sweepTimer, nullptr);
    // Connections first: they tell in-flight handlers that their clients are gone. Closed ones
    // still waiting for deleteLater() are children too.
    m_connections.clear();
    qDeleteAll(findChildren<Connection *>(Qt::FindDirectChildrenOnly));
    m_handler.reset();
}

void Worker::sweep()
{
    const auto now = Connection::Clock::now();
    // sweep() may close connections, which removes them from the set.
    const std::vector<Connection *> snapshot(m_connections.begin(), m_connections.end());
    for (Connection *connection : snapshot) {
        if (m_connections.count(connection))
            connection->sweep(now);
    }
}

void Worker::remove(Connection *connection)
{
    if (m_connections.erase(connection))
        connection->deleteLater();
}

} // namespace quarry::http
