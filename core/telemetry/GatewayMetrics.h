// What /metrics reports: every finished request (TrafficRecord) folded into counters and histograms
// named after the OpenTelemetry GenAI semantic conventions, as Prometheus renders OTel names.
#pragma once

#include "telemetry/PrometheusText.h"
#include "telemetry/SeriesFamily.h"
#include "telemetry/TrafficRecord.h"

#include <QMutex>

namespace quarry::telemetry {

class GatewayMetrics
{
public:
    // Per metric: enough for every model a developer uses, small enough that a client inventing
    // model names cannot grow the gateway's memory (about 200 bytes a counter, 1 KB a histogram).
    static constexpr int DefaultMaxSeries = 500;

    explicit GatewayMetrics(int maxSeriesPerMetric = DefaultMaxSeries);

    // Thread-safe; called on the worker thread that finished the request. A lock and a few map
    // look-ups: nothing is rendered here.
    void record(const TrafficRecord &record);
    // The whole exposition, in PrometheusText::ContentType. Thread-safe: the series are copied under
    // the lock (their lists are shared until a worker next writes) and written out after it, so a
    // scrape holds up no request.
    QByteArray render() const;

    // gen_ai.operation.name for a record's client API (and, for native Bedrock, its path); empty when
    // the request was no model call (model lists, token counts, unmatched paths).
    static QString operationName(const TrafficRecord &record);

private:
    struct Families
    {
        SeriesFamily<Histogram> tokenUsage;
        SeriesFamily<Histogram> operationDuration;
        SeriesFamily<Histogram> timeToFirstToken;
        SeriesFamily<double> requests;
        SeriesFamily<double> cost;
    };

    // The series the last request added to, and the labels that found them. Requests in a row
    // nearly always share their labels (one route, one model), and six look-ups in maps keyed by
    // freshly built string lists were about 3 % of a proxied request's CPU. Each pointer is taken
    // when first needed, so no series is made that a request would not have made; they stay valid
    // (map nodes do not move, and no series is ever removed).
    struct LastSeries
    {
        QString route, backend, model, operation, errorType;
        int status = -1;
        double *requests = nullptr;
        double *cost = nullptr;
        Histogram *duration = nullptr;
        Histogram *inputTokens = nullptr;
        Histogram *outputTokens = nullptr;
        Histogram *timeToFirstToken = nullptr;
    };

    LastSeries &lastSeriesFor(const TrafficRecord &record, const QString &operation,
                              const QString &errorType);

    mutable QMutex m_mutex;
    Families m_families;
    LastSeries m_last;
};

} // namespace quarry::telemetry
