// Idle links per (scheme, host, port, TLS settings), bounded in number and in idle time.
#include "gateway/upstream/ConnectionPool.h"

#include "gateway/upstream/UpstreamProxy.h"

#include <QCoreApplication>
#include <QThread>

using namespace Qt::StringLiterals;

namespace quarry::gateway::upstream {

namespace {

// Bedrock (behind AWS load balancers) closes connections idle 60 s; ours go well before that.
constexpr qint64 MaxIdleMs = 30 * 1000;
constexpr int SweepIntervalMs = 10 * 1000;
// Idle links kept per place: enough for the worker's concurrent calls to one backend.
constexpr int MaxIdlePerKey = 64;

thread_local ConnectionPool *currentPool = nullptr;

} // namespace

ConnectionPool &ConnectionPool::forCurrentThread()
{
    if (!currentPool) {
        currentPool = new ConnectionPool;
        QThread *thread = QThread::currentThread();
        QCoreApplication *app = QCoreApplication::instance();
        if (app && thread == app->thread()) {
            // The main thread's pool goes with the application (its links before Qt is torn down).
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

ConnectionPool::Lease ConnectionPool::acquire(const Destination &destination, UpstreamLink::Listener *listener,
                                              QObject *owner)
{
    const QString key = destination.poolKey();
    auto found = m_idle.find(key);
    while (found != m_idle.end() && !found->isEmpty()) {
        UpstreamLink *link = found->takeLast().link; // the most recently used is the warmest
        if (!link->isReady() || link->hasUnreadInput()) {
            delete link;
            continue;
        }
        link->setParent(owner);
        link->setListener(listener);
        return {link, true};
    }
    const QNetworkProxy proxy =
        UpstreamProxy::fromEnvironment().proxyFor(destination.scheme, destination.host, destination.port);
    auto *link = new UpstreamLink(destination, proxy, owner);
    link->setListener(listener);
    return {link, false};
}

void ConnectionPool::release(UpstreamLink *link)
{
    link->setListener(nullptr);
    link->keepSession();
    QList<Idle> &idle = m_idle[link->poolKey()];
    if (!link->isReady() || idle.size() >= MaxIdlePerKey) {
        link->deleteLater();
        return;
    }
    link->setParent(this);
    link->setListener(this);
    Idle entry{link, {}};
    entry.since.start();
    idle.append(entry);
    if (!m_sweep.isActive())
        m_sweep.start();
}

void ConnectionPool::drop(UpstreamLink *link)
{
    for (auto &list : m_idle) {
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (list[i].link == link) {
                list.removeAt(i);
                link->setListener(nullptr);
                link->deleteLater();
                return;
            }
        }
    }
}

void ConnectionPool::sweep()
{
    for (auto &list : m_idle) {
        list.removeIf([](const Idle &entry) {
            if (!entry.since.hasExpired(MaxIdleMs))
                return false;
            entry.link->setListener(nullptr);
            entry.link->deleteLater();
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
