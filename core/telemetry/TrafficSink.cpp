// The traffic sink: a signal hub between the gateway's workers and whoever watches traffic.
#include "telemetry/TrafficSink.h"

namespace quarry::telemetry {

TrafficSink::TrafficSink(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<TrafficRecord>();
}

void TrafficSink::publish(const TrafficRecord &record)
{
    Q_EMIT recorded(record);
}

} // namespace quarry::telemetry
