// GatewayController: the desktop app's gateway on its own thread can be stopped and started again,
// and serves /metrics as `quarry serve` does.
#include "gateway/GatewayController.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using quarry::gateway::GatewayController;
using quarry::gateway::GatewayOptions;

namespace {

GatewayOptions simulatedOnAnyPort(const QString &configDir)
{
    GatewayOptions options;
    options.configDir = configDir;
    options.simulation = GatewayOptions::Simulation::On;
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0;
    return options;
}

// Starts `controller` and waits (10 s at most) until it listens: its base URL, or empty if it did not.
QString startAndWait(GatewayController &controller)
{
    controller.start();
    if (!QTest::qWaitFor([&] { return controller.state() == GatewayController::State::Running; }, 10000))
        return {};
    return u"http://"_s + controller.address();
}

std::unique_ptr<QNetworkReply> postJson(QNetworkAccessManager &network, const QString &url, const QByteArray &body)
{
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    return std::unique_ptr<QNetworkReply>(network.post(request, body));
}

// The value of the captured header `name` (case-insensitive), or a null string.
QString capturedHeader(const quarry::telemetry::CapturedMessage &message, const QString &name)
{
    for (const auto &[headerName, value] : message.headers()) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

} // namespace

class TestGatewayController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Each test gets a simulated gateway on a free port, not started yet; stopped after it.
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_controller = std::make_unique<GatewayController>(simulatedOnAnyPort(m_dir->path()));
    }

    void cleanup()
    {
        m_controller->stop();
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->state(), GatewayController::State::Stopped, 10000);
        m_controller.reset();
        m_dir.reset();
    }

    void startsAndStopsRepeatedly()
    {
        GatewayController &controller = *m_controller;
        for (int round = 0; round < 5; ++round) {
            controller.start();
            QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayController::State::Running, 10000);
            QVERIFY(controller.simulating());
            QVERIFY(controller.address().startsWith(u"127.0.0.1:"_s));
            controller.stop();
            QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayController::State::Stopped, 10000);
        }
    }

    // The traffic record's client response holds the headers the client got, x-quarry-* included:
    // answered, streamed, and refused by the gateway itself (no route).
    void clientResponseCaptureHasQuarryHeaders()
    {
        GatewayController &controller = *m_controller;
        QSignalSpy recorded(&controller, &GatewayController::trafficRecorded);
        const QString base = startAndWait(controller);
        QVERIFY2(!base.isEmpty(), qPrintable(controller.lastError()));
        QNetworkAccessManager network;
        const auto post = [&](const QString &path, const QByteArray &body) {
            return postJson(network, base + path, body);
        };
        const auto plain = post(u"/bedrock"_s, R"({"model":"","messages":[{"role":"user","content":"hi"}]})"_ba);
        QTRY_VERIFY_WITH_TIMEOUT(plain->isFinished(), 10000);
        const auto streamed = post(u"/bedrock"_s,
                                   R"({"model":"","stream":true,"messages":[{"role":"user","content":"hi"}]})"_ba);
        QTRY_VERIFY_WITH_TIMEOUT(streamed->isFinished(), 10000);
        const auto noRoute = post(u"/nowhere"_s, "{}");
        QTRY_VERIFY_WITH_TIMEOUT(noRoute->isFinished(), 10000);
        QCOMPARE(noRoute->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
        QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 3, 10000);

        for (const QNetworkReply *reply : {plain.get(), streamed.get(), noRoute.get()}) {
            const QString id = QString::fromLatin1(reply->rawHeader("x-quarry-request-id"));
            QVERIFY(!id.isEmpty());
            const auto found = std::find_if(recorded.cbegin(), recorded.cend(), [&](const QList<QVariant> &args) {
                return QString::number(args.first().value<quarry::telemetry::TrafficRecord>().id) == id;
            });
            QVERIFY2(found != recorded.cend(), qPrintable(id));
            const auto record = found->first().value<quarry::telemetry::TrafficRecord>();
            QCOMPARE(capturedHeader(record.clientResponse, u"x-quarry-request-id"_s), id);
            // Who asked: the client's address and its own port.
            QVERIFY2(QRegularExpression(u"^127\\.0\\.0\\.1:[1-9][0-9]*$"_s).match(record.client).hasMatch(),
                     qPrintable(record.client));
            QCOMPARE(capturedHeader(record.clientResponse, u"Content-Type"_s),
                     QString::fromLatin1(reply->rawHeader("Content-Type")));
            if (reply != noRoute.get()) // answered through a backend: who answered, and how
                QCOMPARE(capturedHeader(record.clientResponse, u"x-quarry-upstream"_s), u"simulator"_s);
        }
    }

    void servesMetrics()
    {
        GatewayController &controller = *m_controller;
        QSignalSpy recorded(&controller, &GatewayController::trafficRecorded);
        const QString base = startAndWait(controller);
        QVERIFY2(!base.isEmpty(), qPrintable(controller.lastError()));

        QNetworkAccessManager network;
        const auto answer =
            postJson(network, base + u"/bedrock"_s, R"({"model":"","messages":[{"role":"user","content":"hi"}]})"_ba);
        QTRY_VERIFY_WITH_TIMEOUT(answer->isFinished(), 10000);
        QCOMPARE(answer->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 1, 10000); // published, so counted

        std::unique_ptr<QNetworkReply> metrics(network.get(QNetworkRequest(QUrl(base + u"/metrics"_s))));
        QTRY_VERIFY_WITH_TIMEOUT(metrics->isFinished(), 10000);
        QCOMPARE(metrics->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(metrics->header(QNetworkRequest::ContentTypeHeader).toString(),
                 u"text/plain; version=0.0.4; charset=utf-8"_s);
        const QByteArray text = metrics->readAll();
        QVERIFY2(text.contains(
                     "quarry_requests_total{route=\"agentgateway-system/bedrock\",backend=\"agentgateway-"
                     "system/bedrock\",model=\"amazon.titan-text-lite-v1\",status=\"200\"} 1\n"),
                 text.constData());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<GatewayController> m_controller;
};

QTEST_GUILESS_MAIN(TestGatewayController)
#include "tst_gateway_controller.moc"
