// The traffic sink: a signal hub between the gateway's workers and whoever watches traffic.
#include "telemetry/TrafficSink.h"

namespace quarry::telemetry {

TrafficSink::TrafficSink(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<TrafficRecord>();
    qRegisterMetaType<BudgetAlert>();
}

void TrafficSink::publish(const TrafficRecord &record)
{
    Q_EMIT recorded(record);
}

void TrafficSink::alert(const BudgetAlert &alert)
{
    Q_EMIT budgetAlert(alert);
}

} // namespace quarry::telemetry
