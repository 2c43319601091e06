// Folding traffic records into the /metrics series. Names, units, attributes and advised bucket
// boundaries follow the OpenTelemetry semantic conventions for generative AI metrics (v1.37+,
// docs/gen-ai/gen-ai-metrics.md: gen_ai.client.token.usage, gen_ai.client.operation.duration,
// gen_ai.server.time_to_first_token; gen_ai.provider.name replaced gen_ai.system in v1.37), rendered
// the way OpenTelemetry's Prometheus exporters do: dots become underscores, the unit "s" appends
// "_seconds", an annotation unit such as {token} appends nothing.
#include "telemetry/GatewayMetrics.h"

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

namespace {

// Every request Quarry answers goes to Amazon Bedrock (or the simulator standing in for it).
const QString ProviderName = u"aws.bedrock"_s;

const QList<double> TokenBounds{1,     4,     16,     64,      256,     1024,     4096,
                                16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};
const QList<double> DurationBounds{0.01, 0.02, 0.04, 0.08,  0.16,  0.32,  0.64,
                                   1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
const QList<double> TimeToFirstTokenBounds{0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
                                           0.25,  0.5,   0.75, 1.0,  2.5,  5.0,  7.5,  10.0};

const QList<QByteArray> GenAiLabels{"gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model"};

// error.type: the HTTP status the client got, or _OTHER for a stream that failed after its 200.
QString errorType(const TrafficRecord &record)
{
    if (record.status >= 400)
        return QString::number(record.status);
    return record.error.isEmpty() ? QString() : u"_OTHER"_s;
}

} // namespace

GatewayMetrics::GatewayMetrics(int maxSeriesPerMetric)
    : m_families{
          {GenAiLabels + QList<QByteArray>{"gen_ai_token_type"}, maxSeriesPerMetric, Histogram(TokenBounds)},
          {GenAiLabels + QList<QByteArray>{"error_type"}, maxSeriesPerMetric, Histogram(DurationBounds)},
          {GenAiLabels, maxSeriesPerMetric, Histogram(TimeToFirstTokenBounds)},
          {{"route", "backend", "model", "status"}, maxSeriesPerMetric, 0.0},
          {{"backend", "model"}, maxSeriesPerMetric, 0.0}}
{}

QString GatewayMetrics::operationName(const TrafficRecord &record)
{
    if (record.api == u"Completions"_s || record.api == u"Messages"_s || record.api == u"Responses"_s)
        return u"chat"_s;
    if (record.api == u"Embeddings"_s)
        return u"embeddings"_s;
    if (record.api == u"Passthrough"_s) {
        // Native Bedrock: /model/{id}/converse[-stream] is a chat; invoke[-with-response-stream]
        // runs the model's own body format, which the conventions call generate_content.
        if (record.path.endsWith(u"/converse"_s) || record.path.endsWith(u"/converse-stream"_s))
            return u"chat"_s;
        if (record.path.endsWith(u"/invoke"_s) || record.path.endsWith(u"/invoke-with-response-stream"_s))
            return u"generate_content"_s;
    }
    return {};
}

void GatewayMetrics::record(const TrafficRecord &record)
{
    const QString operation = operationName(record);
    const QString error = errorType(record);
    const double seconds = double(record.latencyMs) / 1000.0;

    const QMutexLocker lock(&m_mutex);
    LastSeries &last = lastSeriesFor(record, operation, error);
    const auto genAi = [&](const QString &label) {
        return QStringList{operation, ProviderName, record.model, label};
    };
    if (!last.requests)
        last.requests = &m_families.requests.series(
            {record.route, record.backend, record.model, QString::number(record.status)});
    *last.requests += 1;
    if (record.costUsd >= 0) {
        if (!last.cost)
            last.cost = &m_families.cost.series({record.backend, record.model});
        *last.cost += record.costUsd;
    }
    if (operation.isEmpty())
        return;
    if (!last.duration)
        last.duration = &m_families.operationDuration.series(genAi(error));
    last.duration->observe(seconds);
    if (record.tokens.present) {
        if (!last.inputTokens)
            last.inputTokens = &m_families.tokenUsage.series(genAi(u"input"_s));
        if (!last.outputTokens)
            last.outputTokens = &m_families.tokenUsage.series(genAi(u"output"_s));
        last.inputTokens->observe(double(record.tokens.promptTotal()));
        last.outputTokens->observe(double(record.tokens.output));
    }
    if (record.timeToFirstTokenMs >= 0 && error.isEmpty()) {
        if (!last.timeToFirstToken)
            last.timeToFirstToken =
                &m_families.timeToFirstToken.series({operation, ProviderName, record.model});
        last.timeToFirstToken->observe(double(record.timeToFirstTokenMs) / 1000.0);
    }
}

GatewayMetrics::LastSeries &GatewayMetrics::lastSeriesFor(const TrafficRecord &record,
                                                          const QString &operation, const QString &errorType)
{
    const bool same = m_last.status == record.status && m_last.route == record.route &&
                      m_last.backend == record.backend && m_last.model == record.model &&
                      m_last.operation == operation && m_last.errorType == errorType;
    if (!same)
        m_last = LastSeries{record.route, record.backend, record.model, operation, errorType, record.status};
    return m_last;
}

QByteArray GatewayMetrics::render() const
{
    const Families families = [this] {
        const QMutexLocker lock(&m_mutex);
        return m_families;
    }();
    const QString capped = u" At most %1 label sets; further ones are added to the one series labelled "
                           "otel_metric_overflow=\"true\"."_s.arg(families.requests.maxSeries());
    PrometheusText text;
    const auto histograms = [&](QByteArrayView name, const QString &help,
                                const SeriesFamily<Histogram> &family) {
        text.addFamily(name, "histogram", help + capped);
        family.forEach([&](const MetricLabels &labels, const Histogram &histogram) {
            text.addHistogram(name, labels, histogram);
        });
    };
    const auto counters = [&](QByteArrayView name, const QString &help, const SeriesFamily<double> &family) {
        text.addFamily(name, "counter", help + capped);
        family.forEach(
            [&](const MetricLabels &labels, double value) { text.addSample(name, labels, value); });
    };
    histograms("gen_ai_client_token_usage",
               u"Number of input and output tokens used, per model call ({token}); input counts prompt-cache "
               "reads and writes too."_s,
               families.tokenUsage);
    histograms("gen_ai_client_operation_duration_seconds",
               u"GenAI operation duration: from the request's arrival to its last byte."_s,
               families.operationDuration);
    histograms("gen_ai_server_time_to_first_token_seconds",
               u"Time to generate the first token, for successful responses."_s, families.timeToFirstToken);
    counters("quarry_requests_total",
             u"Requests the gateway answered (every status, model calls or not), by route, backend, model "
             "and status."_s,
             families.requests);
    counters("quarry_cost_usd_total",
             u"What the requests cost at the pricing table's rates, in US dollars (priced requests only)."_s,
             families.cost);
    return text.text();
}

} // namespace quarry::telemetry
