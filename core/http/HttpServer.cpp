// HttpServer: accepts on its own thread and spreads connections round-robin over worker threads.
#include "http/HttpServer.h"

#include "http/EpollEventDispatcher.h"
#include "http/RequestGuard.h"
#include "http/TcpListener.h"
#include "http/Worker.h"

#include <QThread>

#include <algorithm>
#include <mutex>
#include <unordered_map>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace quarry::http {

namespace {

// Connections the kernel may queue before they are accepted; bursts from load tests exceed 50.
constexpr int kListenBacklog = 1024;

QString endpointText(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    return host + u':' + QString::number(port);
}

void closeDescriptor(qintptr socketDescriptor)
{
#ifdef Q_OS_WIN
    ::closesocket(SOCKET(socketDescriptor));
#else
    ::close(int(socketDescriptor));
#endif
}

// The client's address, as the per-client limit counts it; empty when unknown.
QByteArray peerKey(qintptr socketDescriptor)
{
    sockaddr_storage address{};
#ifdef Q_OS_WIN
    int length = sizeof(address);
    if (::getpeername(SOCKET(socketDescriptor), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
#else
    socklen_t length = sizeof(address);
    if (::getpeername(int(socketDescriptor), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
#endif
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address)).toString().toLatin1();
}

} // namespace

// Connections per client address: counted on accept (listener thread), released when the
// connection is destroyed (its worker thread), hence the mutex.
class HttpServer::PeerTable : public std::enable_shared_from_this<PeerTable>
{
public:
    explicit PeerTable(int limit) : m_limit(limit) {}

    // A slot that gives the address's share back when released, or null when it has none left.
    std::shared_ptr<void> take(const QByteArray &key)
    {
        std::lock_guard lock(m_mutex);
        int &count = m_counts[key.toStdString()];
        if (count >= m_limit)
            return nullptr;
        ++count;
        // Any non-null pointer: only the deleter matters.
        return std::shared_ptr<void>(static_cast<void *>(this),
                                     [table = shared_from_this(), key](void *) { table->release(key); });
    }

private:
    void release(const QByteArray &key)
    {
        std::lock_guard lock(m_mutex);
        const auto found = m_counts.find(key.toStdString());
        if (found != m_counts.end() && --found->second <= 0)
            m_counts.erase(found);
    }

    const int m_limit;
    std::mutex m_mutex;
    std::unordered_map<std::string, int> m_counts;
};

struct HttpServer::WorkerThread
{
    QThread thread;
    std::unique_ptr<Worker> worker;
};

HttpServer::HttpServer(HandlerFactory factory, ServerOptions options, QObject *parent)
    : QObject(parent), m_factory(std::move(factory)), m_options(std::move(options)),
      m_listener(new TcpListener([this](qintptr descriptor) { accept(descriptor); }, this))
{
    m_listener->setListenBacklogSize(kListenBacklog);
    m_peers = std::make_shared<PeerTable>(std::max(m_options.maxConnectionsPerPeer, 1));
}

HttpServer::~HttpServer()
{
    m_listener->close();
    for (const auto &entry : m_workers) {
        Worker *worker = entry->worker.get();
        // Connections and the handler are deleted on their own thread, then the thread ends.
        QMetaObject::invokeMethod(
            worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
        entry->thread.quit();
        entry->thread.wait();
    }
    m_workers.clear();
}

Status HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_listener->isListening()) {
        return Status::failure(u"already listening on "_s + endpointText(serverAddress(), serverPort()));
    }
    if (!m_listener->listen(address, port)) {
        const QString where = endpointText(address, port);
        if (m_listener->serverError() == QAbstractSocket::AddressInUseError)
            return Status::failure(where + u" is already in use"_s);
        return Status::failure(u"cannot listen on "_s + where + u": "_s + m_listener->errorString());
    }
    QList<QByteArray> origins = m_options.allowedOrigins + ServerOptions::environmentAllowedOrigins();
    m_guard = std::make_shared<const RequestGuard>(m_options.checkHost, std::move(origins),
                                                   m_listener->serverPort());
    startWorkers();
    return Ok{};
}

quint16 HttpServer::serverPort() const
{
    return m_listener->serverPort();
}

QHostAddress HttpServer::serverAddress() const
{
    return m_listener->serverAddress();
}

void HttpServer::close()
{
    m_listener->close();
}

int HttpServer::activeConnections() const
{
    return m_active.load(std::memory_order_relaxed);
}

void HttpServer::startWorkers()
{
    if (!m_workers.empty())
        return;
    const int count =
        m_options.workerThreads > 0 ? m_options.workerThreads : std::clamp(QThread::idealThreadCount(), 2, 8);
    for (int i = 0; i < count; ++i) {
        auto entry = std::make_unique<WorkerThread>();
        entry->thread.setObjectName(u"quarry-http-"_s + QString::number(i));
        entry->worker = std::make_unique<Worker>(m_factory, m_options, &m_active);
        entry->worker->moveToThread(&entry->thread);
        if (QAbstractEventDispatcher *dispatcher = createWorkerEventDispatcher())
            entry->thread.setEventDispatcher(dispatcher); // the thread owns it from here
        // Queued before any connection, so the handler exists when the first one arrives.
        QMetaObject::invokeMethod(entry->worker.get(), &Worker::initialize, Qt::QueuedConnection);
        entry->thread.start();
        m_workers.push_back(std::move(entry));
    }
}

void HttpServer::accept(qintptr socketDescriptor)
{
    if (m_workers.empty()) {
        closeDescriptor(socketDescriptor);
        return;
    }
    // Over a limit the connection is still handed over, to be told 503 rather than reset.
    using Admission = Worker::Admission;
    Admission admission = Admission::Accepted;
    std::shared_ptr<void> peerSlot = m_peers->take(peerKey(socketDescriptor));
    if (!peerSlot)
        admission = Admission::PeerFull;
    else if (m_active.fetch_add(1, std::memory_order_relaxed) >= m_options.maxConnections)
        admission = Admission::ServerFull;
    if (admission == Admission::ServerFull)
        m_active.fetch_sub(1, std::memory_order_relaxed);
    if (admission != Admission::Accepted)
        peerSlot.reset();
    Worker *worker = m_workers[m_nextWorker++ % m_workers.size()]->worker.get();
    QMetaObject::invokeMethod(
        worker,
        [worker, socketDescriptor, guard = m_guard, admission, slot = std::move(peerSlot)]() mutable {
            worker->adopt(socketDescriptor, guard, admission, std::move(slot));
        },
        Qt::QueuedConnection);
}

} // namespace quarry::http
