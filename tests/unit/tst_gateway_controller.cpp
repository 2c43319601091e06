// GatewayController: the desktop app's gateway on its own thread can be stopped and started again,
// and serves /metrics as `quarry serve` does.
#include "gateway/GatewayController.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

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

} // namespace

class TestGatewayController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAndStopsRepeatedly()
    {
        QTemporaryDir dir;
        GatewayController controller(simulatedOnAnyPort(dir.path()));
        for (int round = 0; round < 5; ++round) {
            controller.start();
            QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayController::State::Running, 10000);
            QVERIFY(controller.simulating());
            QVERIFY(controller.address().startsWith(u"127.0.0.1:"_s));
            controller.stop();
            QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayController::State::Stopped, 10000);
        }
    }

    void servesMetrics()
    {
        QTemporaryDir dir;
        GatewayController controller(simulatedOnAnyPort(dir.path()));
        QSignalSpy recorded(&controller, &GatewayController::trafficRecorded);
        controller.start();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayController::State::Running, 10000);
        const QString base = u"http://"_s + controller.address();

        QNetworkAccessManager network;
        QNetworkRequest chat(QUrl(base + u"/bedrock"_s));
        chat.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        std::unique_ptr<QNetworkReply> answer(
            network.post(chat, R"({"model":"","messages":[{"role":"user","content":"hi"}]})"_ba));
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
        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayController::State::Stopped, 10000);
    }
};

QTEST_GUILESS_MAIN(TestGatewayController)
#include "tst_gateway_controller.moc"
