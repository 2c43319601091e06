// The local HTTP/1.1 server: one listener, a pool of worker threads, a handler per worker.
#pragma once

#include "http/RequestHandler.h"
#include "http/ServerOptions.h"
#include "util/Result.h"

#include <QHostAddress>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class QThread;

namespace quarry::http {

class RequestGuard;
class TcpListener;
class Worker;

class HttpServer : public QObject
{
    Q_OBJECT

public:
    using HandlerFactory =
        std::function<std::unique_ptr<RequestHandler>()>; // called once per worker thread, ON that thread

    HttpServer(HandlerFactory factory, ServerOptions options, QObject *parent = nullptr);
    ~HttpServer() override; // closes the listener, stops and joins the workers

    // Port 0 picks an ephemeral port. Workers start on the first successful call.
    Status listen(const QHostAddress &address, quint16 port);
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    void close();                  // stops accepting; open connections carry on until the server is destroyed
    int activeConnections() const; // thread-safe
    int workerCount() const { return int(m_workers.size()); }

private:
    struct WorkerThread;
    class PeerTable;

    void startWorkers();
    void accept(qintptr socketDescriptor);

    HandlerFactory m_factory;
    const ServerOptions m_options;
    std::atomic<int> m_active{0};
    TcpListener *m_listener;
    std::shared_ptr<const RequestGuard> m_guard;
    std::vector<std::unique_ptr<WorkerThread>> m_workers;
    std::size_t m_nextWorker = 0;
    std::shared_ptr<PeerTable> m_peers;
};

} // namespace quarry::http
