// Where finished requests are reported. Worker threads call publish(); receivers in other threads
// (the serve log, the GUI) get the record through a queued connection.
#pragma once

#include "telemetry/Budget.h"
#include "telemetry/TrafficRecord.h"

#include <QObject>

namespace quarry::telemetry {

class TrafficSink : public QObject
{
    Q_OBJECT
public:
    explicit TrafficSink(QObject *parent = nullptr);

    // Thread-safe: emits recorded(); connections to objects in other threads are queued.
    void publish(const TrafficRecord &record);
    // Thread-safe: emits budgetAlert() (a budget crossed 80 % or 100 % with a record just published).
    void alert(const BudgetAlert &alert);

Q_SIGNALS:
    void recorded(const quarry::telemetry::TrafficRecord &record);
    void budgetAlert(const quarry::telemetry::BudgetAlert &alert);
};

} // namespace quarry::telemetry
