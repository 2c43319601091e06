// The tray icon and the status line as a user reads and clicks them: the menu's Stop and Start
// really stop and start the gateway, the entries that cannot apply are greyed out, Show and Quit
// do what they say, and the status line follows: the listener address, the state, today's count.
#include "GatewayStatus.h"
#include "StatusLine.h"
#include "GatewayActions.h"
#include "TrayIcon.h"
#include "gateway/GatewayController.h"
#include "telemetry/UsdText.h"

#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include "telemetry/HistoryStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;
using State = gateway::GatewayController::State;

class TestUiTray : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void statusLineCountsEarlierRequestsFromHistory();
    void cleanupTestCase();
    void menuStopsAndStartsTheGateway();
    void showAndQuitAskTheWindow();
    void statusLineCountsTodaysRequests();
    void statusLineShowsTodaysCost();
    // The 80 % and 100 % warnings as the window and the tray show them.
    void budgetWarningShowsInTheStatusLineAndTray();

private:
    QAction *action(const QString &text) const;
    bool accepts() const; // whether the listener takes a connection

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    std::unique_ptr<GatewayStatus> m_status;
    std::unique_ptr<GatewayActions> m_actions;
    std::unique_ptr<TrayIcon> m_tray;
    QString m_address;
};

void TestUiTray::initTestCase()
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/quarry-test-bus");
    m_dir = std::make_unique<QTemporaryDir>();
    gateway::GatewayOptions options;
    options.configDir = m_dir->path();
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0;
    options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
    options.environment = QProcessEnvironment();
    m_gateway = std::make_unique<gateway::GatewayController>(options);
    m_status = std::make_unique<GatewayStatus>(m_gateway.get());
    m_actions = std::make_unique<GatewayActions>(m_gateway.get(), m_status.get());
    m_tray = std::make_unique<TrayIcon>(m_actions.get(), m_status.get());
    m_gateway->start();
    QTRY_VERIFY2_WITH_TIMEOUT(m_gateway->state() == State::Running, qPrintable(m_gateway->lastError()),
                              10000);
    m_address = m_gateway->address();
    QVERIFY(m_address.startsWith(u"127.0.0.1:"_s));
}

void TestUiTray::cleanupTestCase()
{
    m_tray.reset();
    m_actions.reset();
    m_status.reset();
    m_gateway.reset();
    m_dir.reset();
}

QAction *TestUiTray::action(const QString &text) const
{
    for (QAction *candidate : m_tray->contextMenu()->actions()) {
        if (candidate->text() == text || candidate->text().startsWith(text))
            return candidate;
    }
    return nullptr;
}

bool TestUiTray::accepts() const
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_address.section(u':', -1).toUShort());
    return socket.waitForConnected(3000);
}

void TestUiTray::menuStopsAndStartsTheGateway()
{
    StatusLine line(m_status.get());
    QAction *start = action(u"Start gateway"_s);
    QAction *stop = action(u"Stop gateway"_s);
    QVERIFY(start && stop);
    // The gateway thread reports its state with a queued signal: wait for the menu to hear it.
    QTRY_VERIFY_WITH_TIMEOUT(stop->isEnabled(), 5000);
    QVERIFY(!start->isEnabled());
    QVERIFY2(action(u"Gateway "_s)->text().contains(m_address), qPrintable(action(u"Gateway "_s)->text()));
    QVERIFY2(m_tray->toolTip().contains(m_address) && m_tray->toolTip().contains(u"running"_s),
             qPrintable(m_tray->toolTip()));
    QVERIFY(accepts());

    stop->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), State::Stopped, 10000);
    QVERIFY(!accepts());
    QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 5000);
    QVERIFY(!stop->isEnabled());
    QVERIFY2(m_tray->toolTip().contains(u"stopped"_s), qPrintable(m_tray->toolTip()));
    // The line keeps the address a Start would listen on, and says it is stopped.
    QVERIFY2(line.text().contains(u"Listener %1 \u2014 stopped"_s.arg(m_address)), qPrintable(line.text()));

    start->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), State::Running, 10000);
    // Stop is offered from "starting" on, so its being enabled does not mean the line has heard
    // "running" yet: both arrive by queued signal.
    QTRY_VERIFY_WITH_TIMEOUT(stop->isEnabled(), 5000);
    QVERIFY(!start->isEnabled());
    QTRY_VERIFY2_WITH_TIMEOUT(line.text().contains(m_gateway->address()) && line.text().contains(u"running"_s),
                              qPrintable(line.text()), 5000);
    m_address = m_gateway->address(); // port 0: a restart may pick another free port
    QVERIFY(accepts());
}

void TestUiTray::showAndQuitAskTheWindow()
{
    QSignalSpy show(m_tray.get(), &TrayIcon::showWindowRequested);
    QSignalSpy quit(m_tray.get(), &TrayIcon::quitRequested);
    action(u"Show Quarry"_s)->trigger();
    QCOMPARE(show.size(), 1);
    Q_EMIT m_tray->activated(QSystemTrayIcon::Trigger); // a click on the icon
    QCOMPARE(show.size(), 2);
    Q_EMIT m_tray->activated(QSystemTrayIcon::Context); // the menu opening is not a "show"
    QCOMPARE(show.size(), 2);
    QCOMPARE(quit.size(), 0);
    action(u"Quit"_s)->trigger();
    QCOMPARE(quit.size(), 1);
    QCOMPARE(m_gateway->state(), State::Running); // Quit is the window's to carry out, not the menu's
}

void TestUiTray::statusLineCountsTodaysRequests()
{
    StatusLine line(m_status.get());
    const qint64 before = m_status->requestsToday();
    telemetry::TrafficRecord record;
    record.started = QDateTime::currentDateTime();
    record.status = 200;
    record.tokens.input = 7;
    record.tokens.output = 5;
    Q_EMIT m_gateway->trafficRecorded(record);
    QCOMPARE(m_status->requestsToday(), before + 1);
    const QString counted = before + 1 == 1 ? u"1 request "_s : u"%1 requests"_s.arg(before + 1);
    QVERIFY2(line.text().contains(u"Today: "_s + counted), qPrintable(line.text()));
    QVERIFY2(m_tray->toolTip().contains(counted), qPrintable(m_tray->toolTip()));
    QVERIFY2(!line.text().contains(u" 1 requests"_s), qPrintable(line.text())); // "1 request"
}

void TestUiTray::statusLineCountsEarlierRequestsFromHistory()
{
    // Two requests earlier today, stored by an earlier run; one from yesterday that must not count.
    const QString path = m_dir->filePath(u"history-earlier.sqlite"_s);
    const QDateTime now = QDateTime::currentDateTime();
    if (now.time() < QTime(0, 0, 2))
        QTest::qWait(2500); // the records below must be today's and before `now`
    {
        telemetry::HistoryStore history(path);
        for (const QDateTime &started : {QDateTime::currentDateTime().addSecs(-1),
                                         QDateTime::currentDateTime().addSecs(-1),
                                         QDateTime::currentDateTime().addDays(-1)}) {
            telemetry::TrafficRecord record;
            record.started = started;
            record.status = 200;
            record.tokens.input = 10;
            record.tokens.output = 4;
            history.publish(record);
        }
        QVERIFY(history.flush(5000));
    }
    GatewayStatus status(m_gateway.get());
    const qint64 before = status.requestsToday();
    status.addEarlierToday(path);
    QTRY_COMPARE_WITH_TIMEOUT(status.requestsToday(), before + 2, 5000);
    QCOMPARE(status.tokensInToday(), 20);
    QCOMPARE(status.tokensOutToday(), 8);
}

void TestUiTray::statusLineShowsTodaysCost()
{
    StatusLine line(m_status.get());
    QVERIFY2(line.text().contains(u"cost $"_s) || line.text().contains(u"cost \u2014"_s), qPrintable(line.text()));
    const double before = m_status->costToday();
    // A real request through the gateway: the first-run backend (Titan Text Lite, us-east-1, priced in
    // the shipped table) answered by the simulator.
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(u"http://%1/bedrock"_s.arg(m_address)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(
        network.post(request, R"({"model": "", "messages": [{"role": "user", "content": "what does this cost"}]})"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QTRY_VERIFY_WITH_TIMEOUT(m_status->costToday() > before, 5000);
    const QString cost = telemetry::usdText(m_status->costToday());
    QTRY_VERIFY2_WITH_TIMEOUT(line.text().contains(u"cost "_s + cost), qPrintable(line.text()), 5000);
    QVERIFY2(m_tray->toolTip().contains(cost + u" today"_s), qPrintable(m_tray->toolTip()));
}

void TestUiTray::budgetWarningShowsInTheStatusLineAndTray()
{
    StatusLine line(m_status.get());
    auto *warning = line.findChild<QLabel *>(u"budgetWarning"_s);
    QVERIFY(warning);
    QVERIFY(warning->isHidden());
    QSignalSpy alerted(m_status.get(), &GatewayStatus::budgetAlerted);
    telemetry::BudgetAlert alert{{u"agentgateway-system/bedrock"_s, u"agentgateway"_s, 1.0, 0, false},
                                 telemetry::Budget::Period::Day, 80, 0.85};
    Q_EMIT m_gateway->budgetAlert(alert);
    QCOMPARE(alerted.size(), 1); // the tray's notification hangs on this
    QVERIFY(!warning->isHidden());
    // The line says it briefly, its tooltip and the tray's say it in full.
    const QString text =
        u"The daily budget of backend agentgateway-system/bedrock ($1.00) is 80 % spent: $0.85 today."_s;
    QVERIFY2(line.text().contains(u"Daily budget of bedrock 80 % spent: $0.85 of $1.00"_s), qPrintable(line.text()));
    QCOMPARE(warning->toolTip(), text);
    QVERIFY2(m_tray->toolTip().contains(text), qPrintable(m_tray->toolTip()));
    QVERIFY(!m_status->budgetExceeded());
    alert.percent = 100;
    alert.spentUsd = 1.02;
    Q_EMIT m_gateway->budgetAlert(alert);
    QVERIFY2(line.text().contains(u"Daily budget of bedrock spent: $1.02 of $1.00"_s), qPrintable(line.text()));
    QVERIFY(warning->toolTip().contains(u"($1.00) is spent: $1.02 today."_s));
    QVERIFY(m_status->budgetExceeded());
    // A warning never makes the window wider than it was.
    QVERIFY(line.minimumSizeHint().width() < 700);
}

QTEST_MAIN(TestUiTray)
#include "tst_ui_tray.moc"
