// Idle sockets per (scheme, host, port), bounded in number and in idle time.
#include "gateway/upstream/ConnectionPool.h"

#include "gateway/upstream/UpstreamProxy.h"

#include <QCoreApplication>
#include <QMutex>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QThread>

using namespace Qt::StringLiterals;

namespace quarry::gateway::upstream {

namespace {

// Bedrock (behind AWS load balancers) closes connections idle 60 s; ours go well before that.
constexpr qint64 MaxIdleMs = 30 * 1000;
constexpr int SweepIntervalMs = 10 * 1000;
// Idle sockets kept per place: enough for the worker's concurrent calls to one backend.
constexpr int MaxIdlePerKey = 64;

thread_local ConnectionPool *currentPool = nullptr;

// The last TLS session per destination, shared by every worker's pool: a worker's first connection
// to Bedrock resumes the session another worker made. Bounded: destinations come from config.
class SessionTickets
{
public:
    static QByteArray get(const QString &key)
    {
        QMutexLocker lock(&mutex());
        return tickets().value(key);
    }
    static void put(const QString &key, const QByteArray &ticket)
    {
        QMutexLocker lock(&mutex());
        if (tickets().size() >= MaxDestinations && !tickets().contains(key))
            tickets().clear();
        tickets().insert(key, ticket);
    }

private:
    static constexpr qsizetype MaxDestinations = 256;
    static QMutex &mutex()
    {
        static QMutex instance;
        return instance;
    }
    static QHash<QString, QByteArray> &tickets()
    {
        static QHash<QString, QByteArray> instance;
        return instance;
    }
};

} // namespace

ConnectionPool &ConnectionPool::forCurrentThread()
{
    if (!currentPool) {
        currentPool = new ConnectionPool;
        QThread *thread = QThread::currentThread();
        QCoreApplication *app = QCoreApplication::instance();
        if (app && thread == app->thread()) {
            // The main thread's pool goes with the application (its sockets before Qt is torn down).
            currentPool->setParent(app);
            QObject::connect(currentPool, &QObject::destroyed, [] { currentPool = nullptr; });
        } else {
            // A worker thread's pool goes with the thread.
            QObject::connect(
                thread, &QThread::finished, thread,
                [pool = currentPool] {
                    delete pool;
                    currentPool = nullptr;
                },
                Qt::DirectConnection);
        }
    }
    return *currentPool;
}

ConnectionPool::ConnectionPool(QObject *parent) : QObject(parent)
{
    m_sweep.setInterval(SweepIntervalMs);
    connect(&m_sweep, &QTimer::timeout, this, &ConnectionPool::sweep);
}

ConnectionPool::Lease ConnectionPool::acquire(const Destination &destination, QObject *owner)
{
    const QString key = destination.poolKey();
    auto found = m_idle.find(key);
    while (found != m_idle.end() && !found->isEmpty()) {
        QAbstractSocket *socket = found->takeLast().socket; // the most recently used is the warmest
        socket->disconnect(this);
        if (socket->state() != QAbstractSocket::ConnectedState || socket->bytesAvailable() > 0) {
            delete socket;
            continue;
        }
        socket->setParent(owner);
        return {socket, true, true, socket->proxy()};
    }
    const QNetworkProxy proxy =
        UpstreamProxy::fromEnvironment().proxyFor(destination.scheme, destination.host, destination.port);
    QAbstractSocket *socket = nullptr;
    if (destination.secure()) {
        auto *tls = new QSslSocket(owner);
        tls->setProxy(proxy);
        destination.tls.configure(*tls, SessionTickets::get(key));
        tls->connectToHostEncrypted(destination.host, quint16(destination.port),
                                    destination.tls.peerName(destination.host));
        socket = tls;
    } else {
        socket = new QTcpSocket(owner);
        socket->setProxy(proxy);
        socket->connectToHost(destination.host, quint16(destination.port));
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return {socket, false, false, proxy};
}

void ConnectionPool::release(QAbstractSocket *socket, const Destination &destination)
{
    const QString key = destination.poolKey();
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        // Read now, after a whole answer: TLS 1.3 sends its session tickets after the handshake.
        if (const QByteArray ticket = tls->sslConfiguration().sessionTicket(); !ticket.isEmpty())
            SessionTickets::put(key, ticket);
    }
    QList<Idle> &idle = m_idle[key];
    if (socket->state() != QAbstractSocket::ConnectedState || idle.size() >= MaxIdlePerKey) {
        socket->deleteLater();
        return;
    }
    socket->setParent(this);
    // An idle socket that speaks or closes is done: the next call gets a fresh one.
    connect(socket, &QAbstractSocket::readyRead, this, [this, socket] { drop(socket); });
    connect(socket, &QAbstractSocket::disconnected, this, [this, socket] { drop(socket); });
    Idle entry{socket, {}};
    entry.since.start();
    idle.append(entry);
    if (!m_sweep.isActive())
        m_sweep.start();
}

void ConnectionPool::drop(QAbstractSocket *socket)
{
    for (auto &list : m_idle) {
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (list[i].socket == socket) {
                list.removeAt(i);
                socket->disconnect(this);
                socket->deleteLater();
                return;
            }
        }
    }
}

void ConnectionPool::sweep()
{
    for (auto &list : m_idle) {
        list.removeIf([this](const Idle &entry) {
            if (!entry.since.hasExpired(MaxIdleMs))
                return false;
            entry.socket->disconnect(this);
            entry.socket->deleteLater();
            return true;
        });
    }
    if (idleCount() == 0)
        m_sweep.stop();
}

int ConnectionPool::idleCount() const
{
    int count = 0;
    for (const auto &list : m_idle)
        count += int(list.size());
    return count;
}

} // namespace quarry::gateway::upstream
