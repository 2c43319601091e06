// GatewayController: the desktop app's gateway on its own thread can be stopped and started again.
#include "gateway/GatewayController.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using quarry::gateway::GatewayController;
using quarry::gateway::GatewayOptions;

class TestGatewayController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAndStopsRepeatedly()
    {
        QTemporaryDir dir;
        GatewayOptions options;
        options.configDir = dir.path();
        options.simulation = GatewayOptions::Simulation::On;
        options.listenAddress = QHostAddress(QHostAddress::LocalHost);
        options.listenPort = 0;
        GatewayController controller(options);
        for (int round = 0; round < 5; ++round) {
            controller.start();
            QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayController::State::Running, 10000);
            QVERIFY(controller.simulating());
            QVERIFY(controller.address().startsWith(u"127.0.0.1:"_s));
            controller.stop();
            QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayController::State::Stopped, 10000);
        }
    }
};

QTEST_GUILESS_MAIN(TestGatewayController)
#include "tst_gateway_controller.moc"
