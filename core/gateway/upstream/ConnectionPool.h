// The keep-alive connections to upstreams of one thread (a gateway worker's event loop): a call
// leases a socket to a Destination (scheme, host, port, TLS settings), reads its response whole and
// gives it back for the next call; sockets stay on the thread that made them, so no request hops
// threads. New TLS connections resume the last session any thread made to the same destination.
#pragma once

#include "gateway/upstream/Destination.h"

#include <QElapsedTimer>
#include <QNetworkProxy>
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
        bool connected = false;            // ready to write now; otherwise wait for connected/encrypted
        QNetworkProxy proxy;               // what a new socket connects through (NoProxy: directly)
    };
    // An idle socket to the same place, or a new one connecting (TLS for "https"), through the
    // proxy the environment or the system names for it.
    Lease acquire(const Destination &destination, QObject *owner);
    // A socket whose response was read whole and that may carry another request.
    void release(QAbstractSocket *socket, const Destination &destination);

    int idleCount() const;

private:
    struct Idle
    {
        QAbstractSocket *socket;
        QElapsedTimer since;
    };
    explicit ConnectionPool(QObject *parent = nullptr);
    void drop(QAbstractSocket *socket);
    void sweep();

    QHash<QString, QList<Idle>> m_idle;
    QTimer m_sweep; // one coarse timer for every idle socket, not one per socket
};

} // namespace quarry::gateway::upstream
