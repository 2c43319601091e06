// The keep-alive connections to upstreams of one thread (a gateway worker's event loop): a call
// leases a link to a Destination (scheme, host, port, TLS settings), reads its response whole and
// gives it back for the next call; links stay on the thread that made them, so no request hops
// threads. New TLS connections resume the last session any thread made to the same destination.
#pragma once

#include "gateway/upstream/Destination.h"
#include "gateway/upstream/UpstreamLink.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

namespace quarry::gateway::upstream {

class ConnectionPool : public QObject, private UpstreamLink::Listener
{
public:
    // The pool of the calling thread, made on first use; it goes when its QThread finishes (the
    // main thread's: with the QCoreApplication).
    static ConnectionPool &forCurrentThread();

    struct Lease
    {
        UpstreamLink *link = nullptr; // a child of the lease's owner until release()
        // Kept alive from an earlier call: ready to write now (though the peer may have closed it
        // meanwhile). Otherwise new: open() it and wait for linkReady().
        bool reused = false;
    };
    // An idle link to the same place, or a new one, not yet opened, through the proxy the
    // environment or the system names for it. `listener` hears of the link from now on.
    Lease acquire(const Destination &destination, UpstreamLink::Listener *listener, QObject *owner);
    // A link whose response was read whole and that may carry another request (its TLS session is
    // kept for new connections to resume).
    void release(UpstreamLink *link);

    int idleCount() const;

private:
    struct Idle
    {
        UpstreamLink *link;
        QElapsedTimer since;
    };
    explicit ConnectionPool(QObject *parent = nullptr);
    // An idle link that speaks or closes is done: the next call gets a fresh one.
    void linkReady(UpstreamLink *) override {}
    void linkReadable(UpstreamLink *link) override { drop(link); }
    void linkClosed(UpstreamLink *link) override { drop(link); }
    void drop(UpstreamLink *link);
    void sweep();

    QHash<QString, QList<Idle>> m_idle;
    QTimer m_sweep; // one coarse timer for every idle link, not one per link
};

} // namespace quarry::gateway::upstream
