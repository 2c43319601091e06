// The keep-alive connections to upstreams of one thread (a gateway worker's event loop): a call
// leases a socket to (scheme, host, port), reads its response whole and gives it back for the
// next call; sockets stay on the thread that made them, so no request hops threads.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

class QAbstractSocket;

namespace quarry::gateway::upstream {

class ConnectionPool : public QObject
{
public:
    // The pool of the calling thread, made on first use; it goes when its QThread finishes (the
    // main thread's: with the QCoreApplication).
    static ConnectionPool &forCurrentThread();

    struct Lease
    {
        QAbstractSocket *socket = nullptr; // owned by the lease's owner until release()
        bool reused = false;               // a kept-alive socket (it may have been closed meanwhile)
        bool connected = false;            // ready to write now; otherwise wait for readySignal
    };
    // An idle socket to the same place, or a new one connecting (TLS for "https").
    Lease acquire(const QString &scheme, const QString &host, int port, QObject *owner);
    // A socket whose response was read whole and that may carry another request.
    void release(QAbstractSocket *socket, const QString &scheme, const QString &host, int port);

    int idleCount() const;

private:
    struct Idle
    {
        QAbstractSocket *socket;
        QElapsedTimer since;
    };
    explicit ConnectionPool(QObject *parent = nullptr);
    static QString key(const QString &scheme, const QString &host, int port);
    void drop(QAbstractSocket *socket);
    void sweep();

    QHash<QString, QList<Idle>> m_idle;
    QTimer m_sweep; // one coarse timer for every idle socket, not one per socket
};

} // namespace quarry::gateway::upstream
