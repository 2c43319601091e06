// Where finished requests are reported. Worker threads call publish(); receivers in other threads
// (the serve log, the GUI) get the records on the sink's own thread, in batches.
#pragma once

#include "telemetry/Budget.h"
#include "telemetry/TrafficRecord.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QTimer>

namespace quarry::telemetry {

class TrafficSink : public QObject
{
    Q_OBJECT
public:
    explicit TrafficSink(QObject *parent = nullptr);
    // Delivers what is still pending: the last requests before a stop still reach the log.
    ~TrafficSink() override;

    // Thread-safe: emits recorded() at once on the calling worker, and delivered() later on the
    // sink's thread. Deliveries are batched: the first record after a quiet spell wakes that thread
    // at once; what follows within DeliveryWindowMs of a delivery waits for the window's end and
    // goes together. Under load the thread then wakes every DeliveryWindowMs on its own timer,
    // where waking it from the workers cost a cross-thread wake-up for every request or two (and
    // the serve log writes one batch with one write).
    void publish(TrafficRecord record);
    // Thread-safe: emits budgetAlert() (a budget crossed 80 % or 100 % with a record just published).
    void alert(const BudgetAlert &alert);
    // Records not delivered because the sink's thread fell PendingLimit behind (it was blocked).
    quint64 dropped() const;

    static constexpr qsizetype PendingLimit = 10'000;
    static constexpr int DeliveryWindowMs = 20;

Q_SIGNALS:
    // On the publishing worker thread: for thread-safe receivers connected with Qt::DirectConnection
    // (metrics, the history queue), which must not wait for the sink's thread.
    void recorded(const quarry::telemetry::SharedTrafficRecord &record);
    // On the sink's thread: the records published since the last delivery, oldest first.
    void delivered(const QList<quarry::telemetry::SharedTrafficRecord> &batch);
    void budgetAlert(const quarry::telemetry::BudgetAlert &alert);

private:
    void deliverPending();

    mutable QMutex m_mutex;
    QList<SharedTrafficRecord> m_pending; // published, not yet delivered; at most PendingLimit
    quint64 m_dropped = 0;
    bool m_deliveryDue = false; // a wake-up is posted or the window runs: publish() need not wake
    QTimer m_window;            // on the sink's thread: the end of the window after a delivery
};

} // namespace quarry::telemetry
