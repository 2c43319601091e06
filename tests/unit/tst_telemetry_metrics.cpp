// /metrics' content: the Prometheus text a scraper reads (escaping, cumulative buckets, +Inf,
// _sum/_count) and what the gateway's records add up to, with the cap on label sets.
#include "telemetry/GatewayMetrics.h"
#include "telemetry/PrometheusText.h"

#include "TestSupport.h"

#include <QDebug>
#include <QTest>
#include <QThread>

#include <vector>

using namespace Qt::StringLiterals;
using quarry::telemetry::GatewayMetrics;
using quarry::telemetry::Histogram;
using quarry::telemetry::PrometheusText;
using quarry::telemetry::TrafficRecord;

namespace {

TrafficRecord chat(const QString &model, int status, qint64 latencyMs, qint64 in, qint64 out)
{
    TrafficRecord record;
    record.route = u"agentgateway-system/bedrock"_s;
    record.backend = u"agentgateway-system/bedrock"_s;
    record.api = u"Completions"_s;
    record.path = u"/bedrock/v1/chat/completions"_s;
    record.model = model;
    record.status = status;
    record.latencyMs = latencyMs;
    if (in >= 0) {
        record.tokens.present = true;
        record.tokens.input = in;
        record.tokens.output = out;
    }
    return record;
}

// `text` holds `expected`; otherwise says what it holds instead.
bool has(const QByteArray &text, const QByteArray &expected)
{
    if (text.contains(expected))
        return true;
    qWarning().noquote() << "missing:" << expected << "\nin:\n" << text;
    return false;
}

// The lines of `text` that start with `prefix`.
QList<QByteArray> linesStartingWith(const QByteArray &text, const QByteArray &prefix)
{
    QList<QByteArray> found;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(prefix))
            found.append(line);
    }
    return found;
}

} // namespace

class TestTelemetryMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void labelValuesAreEscaped()
    {
        QCOMPARE(PrometheusText::escapeLabelValue(u"plain.model-v1:0"_s), "plain.model-v1:0"_ba);
        QCOMPARE(PrometheusText::escapeLabelValue(u"a\"b"_s), "a\\\"b"_ba);
        QCOMPARE(PrometheusText::escapeLabelValue(u"back\\slash"_s), "back\\\\slash"_ba);
        QCOMPARE(PrometheusText::escapeLabelValue(u"two\nlines"_s), "two\\nlines"_ba);
        QCOMPARE(PrometheusText::escapeLabelValue(u"modèle"_s), "mod\xc3\xa8le"_ba);

        PrometheusText text;
        text.addFamily("x_total", "counter", u"Help with a \\ and a\nline feed."_s);
        text.addSample("x_total", {{"model", u"evil\"} 1\nfake_metric 2"_s}, {"empty", QString()}}, 3);
        QCOMPARE(text.text(), "# HELP x_total Help with a \\\\ and a\\nline feed.\n"
                              "# TYPE x_total counter\n"
                              "x_total{model=\"evil\\\"} 1\\nfake_metric 2\"} 3\n"_ba);
    }

    void numbersAreWrittenAsPrometheusReadsThem()
    {
        QCOMPARE(PrometheusText::formatNumber(0), "0"_ba);
        QCOMPARE(PrometheusText::formatNumber(67108864), "67108864"_ba);
        QCOMPARE(PrometheusText::formatNumber(0.01), "0.01"_ba);
        QCOMPARE(PrometheusText::formatNumber(0.1 + 0.2), "0.30000000000000004"_ba);
        QCOMPARE(PrometheusText::formatNumber(qInf()), "+Inf"_ba);
        QCOMPARE(PrometheusText::formatNumber(-qInf()), "-Inf"_ba);
        QCOMPARE(PrometheusText::formatNumber(qQNaN()), "NaN"_ba);
    }

    void histogramBucketsAreCumulativeWithInfSumAndCount()
    {
        Histogram histogram({1, 4, 16});
        for (const double value : {0.5, 1.0, 3.0, 4.0, 100.0})
            histogram.observe(value);
        PrometheusText text;
        text.addHistogram("h", {{"k", u"v"_s}}, histogram);
        QCOMPARE(text.text(), "h_bucket{k=\"v\",le=\"1\"} 2\n"
                              "h_bucket{k=\"v\",le=\"4\"} 4\n"
                              "h_bucket{k=\"v\",le=\"16\"} 4\n"
                              "h_bucket{k=\"v\",le=\"+Inf\"} 5\n"
                              "h_sum{k=\"v\"} 108.5\n"
                              "h_count{k=\"v\"} 5\n"_ba);
    }

    void recordsBecomeGenAiSeries()
    {
        GatewayMetrics metrics;
        metrics.record(chat(u"m1"_s, 200, 250, 10, 20));
        TrafficRecord streamed = chat(u"m1"_s, 200, 250, 1000, 3);
        streamed.timeToFirstTokenMs = 30;
        streamed.costUsd = 0.25;
        metrics.record(streamed);
        metrics.record(chat(u"m1"_s, 400, 2, -1, 0)); // refused before Bedrock: no usage
        TrafficRecord unrouted;
        unrouted.status = 404;
        metrics.record(unrouted);
        const QByteArray text = metrics.render();

        const QByteArray genAi =
            "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"aws.bedrock\",gen_ai_request_model=\"m1\"";
        QVERIFY(has(text, "# TYPE gen_ai_client_token_usage histogram\n"));
        QVERIFY(has(text, "gen_ai_client_token_usage_count{" + genAi + ",gen_ai_token_type=\"input\"} 2\n"));
        QVERIFY(has(text, "gen_ai_client_token_usage_sum{" + genAi + ",gen_ai_token_type=\"input\"} 1010\n"));
        QVERIFY(has(text, "gen_ai_client_token_usage_sum{" + genAi + ",gen_ai_token_type=\"output\"} 23\n"));
        QVERIFY(has(text, "gen_ai_client_token_usage_bucket{" + genAi +
                              ",gen_ai_token_type=\"input\",le=\"16\"} 1\n"));
        QVERIFY(has(text, "gen_ai_client_token_usage_bucket{" + genAi +
                              ",gen_ai_token_type=\"input\",le=\"1024\"} 2\n"));
        QVERIFY(has(text, "gen_ai_client_operation_duration_seconds_count{" + genAi + "} 2\n"));
        QVERIFY(has(text, "gen_ai_client_operation_duration_seconds_sum{" + genAi + "} 0.5\n"));
        QVERIFY(has(text,
                    "gen_ai_client_operation_duration_seconds_count{" + genAi + ",error_type=\"400\"} 1\n"));
        QVERIFY(has(text, "gen_ai_server_time_to_first_token_seconds_count{" + genAi + "} 1\n"));
        QVERIFY(has(text, "gen_ai_server_time_to_first_token_seconds_sum{" + genAi + "} 0.03\n"));
        QVERIFY(has(text,
                    "quarry_requests_total{route=\"agentgateway-system/bedrock\",backend=\"agentgateway-"
                    "system/bedrock\",model=\"m1\",status=\"200\"} 2\n"));
        QVERIFY(has(text, "quarry_requests_total{status=\"404\"} 1\n"));
        QVERIFY(
            has(text, "quarry_cost_usd_total{backend=\"agentgateway-system/bedrock\",model=\"m1\"} 0.25\n"));
        // The advised boundaries, in full.
        QCOMPARE(linesStartingWith(text, "gen_ai_client_token_usage_bucket{" + genAi +
                                             ",gen_ai_token_type=\"input\"")
                     .size(),
                 15);
        QVERIFY(has(text, ",le=\"67108864\"} 2\n"));
        QVERIFY(has(text, ",le=\"81.92\"} 2\n"));
        QVERIFY(has(text, ",le=\"10\"} 1\n"));
    }

    // Requests in a row with the same labels share their series (GatewayMetrics keeps the last
    // ones); each label that differs, and each series first needed by a later request, counts apart.
    void consecutiveRequestsCountByTheirOwnLabels()
    {
        GatewayMetrics metrics;
        metrics.record(chat(u"m"_s, 200, 10, -1, 0)); // no usage yet: no token series
        TrafficRecord priced = chat(u"m"_s, 200, 10, 5, 7);
        priced.costUsd = 0.5;
        metrics.record(priced);
        TrafficRecord otherRoute = chat(u"m"_s, 200, 10, 5, 7);
        otherRoute.route = u"ns/other"_s;
        metrics.record(otherRoute);
        TrafficRecord failedStream = chat(u"m"_s, 200, 10, 5, 7);
        failedStream.error = u"the stream broke"_s;
        metrics.record(failedStream);
        metrics.record(chat(u"m"_s, 200, 10, 5, 7));
        const QByteArray text = metrics.render();

        const QByteArray genAi =
            "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"aws.bedrock\",gen_ai_request_model=\"m\"";
        QVERIFY(has(text, "quarry_requests_total{route=\"agentgateway-system/bedrock\",backend=\"agentgateway-"
                          "system/bedrock\",model=\"m\",status=\"200\"} 4\n"));
        QVERIFY(has(text, "quarry_requests_total{route=\"ns/other\",backend=\"agentgateway-system/bedrock\","
                          "model=\"m\",status=\"200\"} 1\n"));
        QVERIFY(has(text, "quarry_cost_usd_total{backend=\"agentgateway-system/bedrock\",model=\"m\"} 0.5\n"));
        QVERIFY(has(text, "gen_ai_client_operation_duration_seconds_count{" + genAi + "} 4\n"));
        QVERIFY(
            has(text, "gen_ai_client_operation_duration_seconds_count{" + genAi + ",error_type=\"_OTHER\"} 1\n"));
        QVERIFY(has(text, "gen_ai_client_token_usage_count{" + genAi + ",gen_ai_token_type=\"input\"} 4\n"));
        QVERIFY(has(text, "gen_ai_client_token_usage_sum{" + genAi + ",gen_ai_token_type=\"output\"} 28\n"));
    }

    void operationNames()
    {
        TrafficRecord record;
        QCOMPARE(GatewayMetrics::operationName(record), QString());
        record.api = u"Messages"_s;
        QCOMPARE(GatewayMetrics::operationName(record), u"chat"_s);
        record.api = u"Embeddings"_s;
        QCOMPARE(GatewayMetrics::operationName(record), u"embeddings"_s);
        record.api = u"Models"_s;
        QCOMPARE(GatewayMetrics::operationName(record), QString());
        record.api = u"Passthrough"_s;
        record.path = u"/bedrock/model/amazon.nova-lite-v1%3A0/converse-stream"_s;
        QCOMPARE(GatewayMetrics::operationName(record), u"chat"_s);
        record.path = u"/bedrock/model/amazon.titan-embed-text-v2%3A0/invoke"_s;
        QCOMPARE(GatewayMetrics::operationName(record), u"generate_content"_s);
        record.path = u"/bedrock/model/x/count-tokens"_s;
        QCOMPARE(GatewayMetrics::operationName(record), QString());
    }

    void modelNamesBeyondTheCapFoldIntoOneOverflowSeries()
    {
        GatewayMetrics metrics(3);
        for (int i = 0; i < 50; ++i)
            metrics.record(chat(u"invented-%1"_s.arg(i), 200, 10, 1, 1));
        metrics.record(chat(u"invented-0"_s, 200, 10, 1, 1)); // an existing series still counts on its own
        const QByteArray text = metrics.render();
        QCOMPARE(linesStartingWith(text, "quarry_requests_total{").size(), 4);
        QVERIFY(has(text, "quarry_requests_total{otel_metric_overflow=\"true\"} 47\n"));
        QVERIFY(has(text, "model=\"invented-0\",status=\"200\"} 2\n"));
        QCOMPARE(linesStartingWith(text, "gen_ai_client_operation_duration_seconds_count{").size(), 4);
        QVERIFY(
            has(text, "gen_ai_client_operation_duration_seconds_count{otel_metric_overflow=\"true\"} 47\n"));
        QVERIFY(has(text, "At most 3 label sets; further ones are added to the one series labelled "
                          "otel_metric_overflow=\"true\".\n"));
    }

    void longLabelValuesAreCut()
    {
        GatewayMetrics metrics;
        metrics.record(chat(QString(100000, u'x'), 200, 10, 1, 1));
        const QByteArray text = metrics.render();
        QVERIFY(has(text, "model=\"" + QByteArray(256, 'x') + "\","));
        QVERIFY(!text.contains(QByteArray(257, 'x')));
    }

    void recordingFromManyThreadsLosesNothing()
    {
        GatewayMetrics metrics;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back(QThread::create([&metrics] {
                for (int i = 0; i < 2000; ++i)
                    metrics.record(chat(u"m"_s, 200, 1, 1, 1));
            }));
            threads.back()->start();
        }
        for (int i = 0; i < 50; ++i)
            QVERIFY(!metrics.render().isEmpty()); // scrapes while the workers record
        for (auto &thread : threads)
            QVERIFY(thread->wait(30000));
        QVERIFY(metrics.render().contains("model=\"m\",status=\"200\"} 8000\n"));
    }
};

QUARRY_TEST_GUILESS_MAIN(TestTelemetryMetrics)
#include "tst_telemetry_metrics.moc"
