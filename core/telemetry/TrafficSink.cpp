// The traffic sink: a signal hub between the gateway's workers and whoever watches traffic.
#include "telemetry/TrafficSink.h"

namespace quarry::telemetry {

TrafficSink::TrafficSink(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<TrafficRecord>();
    qRegisterMetaType<QList<TrafficRecord>>();
    qRegisterMetaType<BudgetAlert>();
}

TrafficSink::~TrafficSink()
{
    deliverPending();
}

void TrafficSink::publish(const TrafficRecord &record)
{
    Q_EMIT recorded(record);
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        // A sink thread blocked for 10,000 requests loses the oldest lines, not the process's memory.
        if (m_pending.size() >= PendingLimit) {
            m_pending.removeFirst();
            ++m_dropped;
        }
        wake = m_pending.isEmpty();
        m_pending.append(record);
    }
    // Only the first record of a batch wakes the sink's thread; the others ride along.
    if (wake)
        QMetaObject::invokeMethod(this, &TrafficSink::deliverPending, Qt::QueuedConnection);
}

void TrafficSink::deliverPending()
{
    QList<TrafficRecord> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
    }
    if (!batch.isEmpty())
        Q_EMIT delivered(batch);
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
