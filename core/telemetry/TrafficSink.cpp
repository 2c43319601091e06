// The traffic sink: a signal hub between the gateway's workers and whoever watches traffic.
#include "telemetry/TrafficSink.h"

#include <utility>

namespace quarry::telemetry {

TrafficSink::TrafficSink(QObject *parent) : QObject(parent), m_window(this)
{
    m_window.setSingleShot(true);
    m_window.setInterval(DeliveryWindowMs);
    connect(&m_window, &QTimer::timeout, this, &TrafficSink::deliverPending);
    qRegisterMetaType<TrafficRecord>();
    qRegisterMetaType<SharedTrafficRecord>();
    qRegisterMetaType<QList<SharedTrafficRecord>>();
    qRegisterMetaType<BudgetAlert>();
}

TrafficSink::~TrafficSink()
{
    deliverPending();
}

void TrafficSink::publish(TrafficRecord record)
{
    auto shared = std::make_shared<const TrafficRecord>(std::move(record));
    Q_EMIT recorded(shared);
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        // A sink thread blocked for 10,000 requests loses the oldest lines, not the process's memory.
        if (m_pending.size() >= PendingLimit) {
            m_pending.removeFirst();
            ++m_dropped;
        }
        wake = !std::exchange(m_deliveryDue, true);
        m_pending.append(std::move(shared));
    }
    if (wake)
        QMetaObject::invokeMethod(this, &TrafficSink::deliverPending, Qt::QueuedConnection);
}

void TrafficSink::deliverPending()
{
    QList<SharedTrafficRecord> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
        if (batch.isEmpty()) {
            m_deliveryDue = false; // a quiet window: the next record wakes this thread again
            return;
        }
        m_pending.reserve(batch.size()); // as in HistoryStore::takeQueued(): no growing under the lock
    }
    Q_EMIT delivered(batch);
    m_window.start();
}

quint64 TrafficSink::dropped() const
{
    QMutexLocker lock(&m_mutex);
    return m_dropped;
}

void TrafficSink::alert(const BudgetAlert &alert)
{
    Q_EMIT budgetAlert(alert);
}

} // namespace quarry::telemetry
