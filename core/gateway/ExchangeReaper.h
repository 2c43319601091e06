// Deletes finished exchanges on their worker thread, from the top of its event loop.
#pragma once

#include <QObject>
#include <QTimer>

#include <vector>

namespace quarry::gateway {

// An exchange finishes inside its own call stack (an upstream read, a client write), so it cannot
// delete itself there. deleteLater() would do, but each one posts an event, and posting wakes the
// thread through its eventfd even when the thread is the poster: a write, a poll and a read per
// request. retire() instead starts a zero timer on the same thread, which the event loop sees
// without a wake-up, and one timeout deletes everything retired since.
class ExchangeReaper final : public QObject
{
    Q_OBJECT

public:
    ExchangeReaper();
    ~ExchangeReaper() override; // deletes what is still waiting

    // On the reaper's thread. `exchange` is deleted after control returns to the event loop.
    void retire(QObject *exchange);
    qsizetype waiting() const { return qsizetype(m_retired.size()); }

private:
    void reap();

    std::vector<QObject *> m_retired;
    QTimer m_timer;
};

} // namespace quarry::gateway
