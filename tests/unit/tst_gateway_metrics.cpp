// GET /metrics on the gateway's handler: reserved before routing and client keys, served to
// loopback peers only (a remote peer gets a 403 that says why), GET only, in Prometheus' content type.
#include "gateway/GatewayRequestHandler.h"
#include "gateway/MetricsEndpoint.h"
#include "secrets/ClientKeyCheck.h"

#include "TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;

namespace {

// Keeps the one complete response a handler gives.
class RecordingWriter : public http::ResponseWriter
{
public:
    void respond(int status, const http::HttpHeaders &headers, const QByteArray &body) override
    {
        this->status = status;
        this->headers = headers;
        this->body = body;
    }
    void startStream(int, const http::HttpHeaders &) override { streamed = true; }
    void writeStreamData(const QByteArray &) override {}
    void endStream() override {}
    bool isClientConnected() const override { return true; }
    qint64 pendingBytes() const override { return 0; }
    void setClientGoneCallback(std::function<void()>) override {}
    void setDrainedCallback(std::function<void()>) override {}

    int status = 0;
    http::HttpHeaders headers;
    QByteArray body;
    bool streamed = false;
};

// A gateway handler whose every non-metrics request needs a client key this request lacks.
std::shared_ptr<RecordingWriter> ask(const QByteArray &method, const QByteArray &path,
                                     const QHostAddress &peer,
                                     const std::shared_ptr<telemetry::GatewayMetrics> &metrics)
{
    auto keys = std::make_shared<secrets::ClientKeySource>();
    keys->publish(std::make_shared<const secrets::ClientKeyCheck>(QList<secrets::ClientKeyDigest>{}, true,
                                                                  QByteArray()));
    gateway::GatewayRequestHandler handler(std::make_shared<gateway::SnapshotSource>(), {}, keys, {}, metrics);
    http::HttpRequest request;
    request.method = method;
    request.target = path;
    request.path = path;
    request.peer = {peer, 40000, peer.toString() + u":40000"_s};
    auto writer = std::make_shared<RecordingWriter>();
    handler.handle(request, writer);
    return writer;
}

} // namespace

class TestGatewayMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loopbackPeersGetTheExpositionWithoutAKey_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::newRow("127.0.0.1") << u"127.0.0.1"_s;
        QTest::newRow("127.0.0.2") << u"127.0.0.2"_s;
        QTest::newRow("::1") << u"::1"_s;
        QTest::newRow("IPv4-mapped loopback") << u"::ffff:127.0.0.1"_s;
    }
    void loopbackPeersGetTheExpositionWithoutAKey()
    {
        QFETCH(QString, peer);
        auto metrics = std::make_shared<telemetry::GatewayMetrics>();
        telemetry::TrafficRecord record;
        record.status = 404;
        metrics->record(record);
        const auto answer = ask("GET", "/metrics", QHostAddress(peer), metrics);
        QCOMPARE(answer->status, 200);
        QCOMPARE(http::headerValue(answer->headers, "content-type"),
                 "text/plain; version=0.0.4; charset=utf-8"_ba);
        QVERIFY(answer->body.contains("quarry_requests_total{status=\"404\"} 1\n"));
    }

    void otherPeersAreRefusedClearly_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::newRow("LAN") << u"192.168.1.20"_s;
        QTest::newRow("public IPv6") << u"2001:db8::5"_s;
        QTest::newRow("IPv4-mapped LAN") << u"::ffff:10.0.0.7"_s;
        QTest::newRow("any") << u"0.0.0.0"_s;
    }
    void otherPeersAreRefusedClearly()
    {
        QFETCH(QString, peer);
        const auto answer =
            ask("GET", "/metrics", QHostAddress(peer), std::make_shared<telemetry::GatewayMetrics>());
        QCOMPARE(answer->status, 403);
        const QJsonObject error = QJsonDocument::fromJson(answer->body).object()[u"error"_s].toObject();
        QCOMPARE(error[u"code"_s].toString(), u"metrics_loopback_only"_s);
        QVERIFY2(error[u"message"_s].toString().contains(u"only served to clients on this machine"_s),
                 answer->body.constData());
        QVERIFY(!answer->body.contains("quarry_requests_total"));
    }

    void onlyGetIsServed()
    {
        const auto answer =
            ask("POST", "/metrics", QHostAddress::LocalHost, std::make_shared<telemetry::GatewayMetrics>());
        QCOMPARE(answer->status, 405);
        QCOMPARE(http::headerValue(answer->headers, "allow"), "GET"_ba);
    }

    void otherPathsStillNeedTheKey()
    {
        // The reserved path is exact: /metrics/x and /bedrock go through the client-key check.
        for (const QByteArray &path : {"/metrics/x"_ba, "/metricsx"_ba, "/bedrock"_ba}) {
            const auto answer =
                ask("GET", path, QHostAddress::LocalHost, std::make_shared<telemetry::GatewayMetrics>());
            QCOMPARE(answer->status, 401);
        }
    }
};

QUARRY_TEST_GUILESS_MAIN(TestGatewayMetrics)
#include "tst_gateway_metrics.moc"
