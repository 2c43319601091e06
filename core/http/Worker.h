// One worker thread's share of the server: its handler, its connections, their idle sweep.
#pragma once

#include "http/ServerOptions.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <unordered_set>

namespace quarry::http {

class Connection;
class RequestGuard;
class RequestHandler;

// Lives on its own QThread; every method except the constructor runs on that thread.
class Worker final : public QObject
{
    Q_OBJECT

public:
    using HandlerFactory = std::function<std::unique_ptr<RequestHandler>()>;

    Worker(HandlerFactory factory, const ServerOptions &options, std::atomic<int> *activeCounter);
    ~Worker() override;

    void initialize(); // creates the handler, on the worker thread
    enum class Admission { Accepted, ServerFull, PeerFull };
    // Takes over an accepted socket; only Accepted ones were included in the active count, and
    // hold `peerSlot` (their client address's share) until they close.
    void adopt(qintptr socketDescriptor, std::shared_ptr<const RequestGuard> guard, Admission admission,
               std::shared_ptr<void> peerSlot);
    void shutdown(); // closes every connection and destroys the handler

private:
    void sweep();
    void remove(Connection *connection);

    HandlerFactory m_factory;
    const ServerOptions &m_options;
    std::atomic<int> *m_activeCounter;
    std::unique_ptr<RequestHandler> m_handler;
    std::unordered_set<Connection *> m_connections;
    QTimer *m_sweepTimer = nullptr;
};

} // namespace quarry::http
