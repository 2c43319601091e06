// The Console and Traffic pages against a real gateway on its own thread, answering from the simulator.
#include "gateway/GatewayController.h"
#include "models/TrafficModel.h"
#include "pages/ConsolePage.h"
#include "pages/CredentialsPage.h"
#include "pages/TrafficPage.h"
#include "widgets/StreamingTextView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace quarry;

class TestUiConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_configDir.isValid());
        gateway::GatewayOptions options;
        options.configDir = m_configDir.path();
        options.simulation = gateway::GatewayOptions::Simulation::On;
        options.listenAddress = QHostAddress(QHostAddress::LocalHost);
        options.listenPort = 0; // any free port; address() reports the real one
        m_gateway = std::make_unique<gateway::GatewayController>(options);
        m_gateway->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), gateway::GatewayController::State::Running, 20000);
        QVERIFY2(!m_gateway->address().endsWith(u":0"_s), qPrintable(m_gateway->address()));
        m_context.gateway = m_gateway.get();
        m_context.configDir = m_configDir.path();
    }

    void cleanupTestCase() { m_gateway.reset(); }

    void streamedAnswerShowsTextTokensAndTrafficRow()
    {
        ui::ConsolePage console(m_context);
        ui::TrafficPage traffic(m_context);
        console.show();
        auto *route = console.findChild<QComboBox *>(u"route"_s);
        QTRY_VERIFY(route->count() > 0);
        QCOMPARE(route->currentData().toString(), u"/bedrock"_s); // the seed's HTTPRoute

        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        QSignalSpy recordShown(&console, &ui::ConsolePage::recordShown);
        console.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&console));
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setFocus();
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"Tell me about quarries"_s);
        QTest::keyClick(console.findChild<QPlainTextEdit *>(u"prompt"_s), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.first().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));

        // The simulator echoes the prompt: the streamed answer must carry it, after the user's turn.
        const QString transcript = console.findChild<ui::StreamingTextView *>(u"transcript"_s)->toPlainText();
        const qsizetype answerAt = transcript.indexOf(u"Assistant:"_s);
        QVERIFY(answerAt > 0);
        QVERIFY2(transcript.indexOf(u"Tell me about quarries"_s, answerAt) > answerAt, qPrintable(transcript));

        // The traffic table got the same request, and the console's counts agree with it.
        QTRY_COMPARE(traffic.model()->rowCount(), 1);
        const telemetry::TrafficRecord &record = traffic.model()->recordAt(0);
        QCOMPARE(record.status, 200);
        QVERIFY(record.streamed);
        QCOMPARE(record.id, outcome.requestId);
        QVERIFY(record.tokens.input > 0 && record.tokens.output > 0);
        const QString tokens = console.findChild<QLabel *>(u"tokens"_s)->text();
        QVERIFY2(tokens.contains(u"%1 in"_s.arg(record.tokens.input)), qPrintable(tokens));
        QVERIFY2(tokens.contains(u"%1 out"_s.arg(record.tokens.output)), qPrintable(tokens));
        QVERIFY2(tokens.contains(u"%1 total"_s.arg(record.tokens.total())), qPrintable(tokens));
        QVERIFY(console.findChild<QLabel *>(u"timing"_s)->text().contains(u"TTFT"_s));

        // The inspector shows what went to Bedrock, with the signature redacted.
        QTRY_VERIFY(!recordShown.isEmpty());
        const QString bedrockRequest = console.findChild<QPlainTextEdit *>(u"capture2"_s)->toPlainText();
        QVERIFY2(bedrockRequest.contains(u"converse-stream"_s), qPrintable(bedrockRequest.left(400)));
        QVERIFY(!bedrockRequest.contains(u"Signature="_s) || bedrockRequest.contains(u"redacted"_s, Qt::CaseInsensitive));
        QVERIFY(console.findChild<QLabel *>(u"stopReason"_s)->text().contains(u"end_turn"_s));
    }

    void secondTurnCarriesTheHistory()
    {
        ui::ConsolePage console(m_context);
        QTRY_VERIFY(console.findChild<QComboBox *>(u"route"_s)->count() > 0);
        console.findChild<QCheckBox *>(u"stream"_s)->setChecked(false);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        auto *prompt = console.findChild<QPlainTextEdit *>(u"prompt"_s);
        prompt->setPlainText(u"first question"_s);
        console.send();
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.last().first().value<client::ChatOutcome>().ok());
        prompt->setPlainText(u"second question"_s);
        const auto request = console.currentRequest();
        QCOMPARE(request.messages.size(), 3); // user, assistant, the new user turn
        QCOMPARE(request.messages[0].content, u"first question"_s);
        QCOMPARE(request.messages[1].role, u"assistant"_s);
        QVERIFY(request.messages[1].content.contains(u"first question"_s));
        console.clearConversation();
        QCOMPARE(console.currentRequest().messages.size(), 1);
    }

    void longStreamKeepsTheEventLoopResponsive()
    {
        ui::ConsolePage console(m_context);
        console.resize(1000, 700);
        console.show();
        QTRY_VERIFY(console.findChild<QComboBox *>(u"route"_s)->count() > 0);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);

        QElapsedTimer clock;
        qint64 last = 0;
        qint64 longestGap = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            longestGap = qMax(longestGap, now - last);
            last = now;
        });
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"go [sim:words:5000]"_s);
        clock.start();
        ticker.start();
        console.send();
        QVERIFY(finished.wait(60000));
        ticker.stop();

        const auto outcome = finished.first().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QCOMPARE(outcome.text.split(u' ', Qt::SkipEmptyParts).size(), 5000);
        const QString transcript = console.findChild<ui::StreamingTextView *>(u"transcript"_s)->toPlainText();
        QVERIFY(transcript.endsWith(outcome.text));
        qInfo("longest gap between 10 ms ticks while streaming: %lld ms over %lld ms", longestGap, clock.elapsed());
        QVERIFY2(longestGap < 100, qPrintable(u"the window froze for %1 ms"_s.arg(longestGap)));
    }

    void stopCancelsAndReportsIt()
    {
        ui::ConsolePage console(m_context);
        QTRY_VERIFY(console.findChild<QComboBox *>(u"route"_s)->count() > 0);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"slowly [sim:slow:3000]"_s);
        console.send();
        QVERIFY(!console.findChild<QPushButton *>(u"send"_s)->isEnabled());
        QTest::qWait(300);
        QTest::mouseClick(console.findChild<QPushButton *>(u"stop"_s), Qt::LeftButton);
        QVERIFY(!finished.isEmpty() || finished.wait(10000)); // aborting reports at once
        QVERIFY(finished.first().first().value<client::ChatOutcome>().cancelled);
        QVERIFY(console.findChild<QPushButton *>(u"send"_s)->isEnabled());
        QVERIFY(console.currentRequest().messages.size() <= 1); // the stopped turn is not history
    }

    // Credentials' "Test" goes through the route that uses the backend, like the console does.
    void credentialsTestReachesTheBackend()
    {
        ui::CredentialsPage page(m_context);
        auto *backends = page.findChild<QTableWidget *>(u"backends"_s);
        QTRY_VERIFY(backends->rowCount() > 0);
        const QString backend = backends->item(0, 0)->text();
        QCOMPARE(backend, u"agentgateway-system/bedrock"_s); // the seed's backend
        QVERIFY(backends->item(0, 1)->text().contains(u"bedrock-secret"_s));
        QSignalSpy tested(&page, &ui::CredentialsPage::testFinished);
        page.testBackend(backend);
        QVERIFY(tested.wait(20000));
        // --simulate: the simulator answers, which checks no credentials and is never called "OK".
        QVERIFY(!tested.first().at(1).toBool());
        QCOMPARE(tested.first().at(2).toString(), u"The simulator answered — no AWS credentials were checked."_s);
        QVERIFY(!backends->item(0, 5)->text().startsWith(u"OK"_s));
        QVERIFY(backends->item(0, 3)->text().isEmpty()); // no credentials of the user's to expire

        QSignalSpy again(&page, &ui::CredentialsPage::testFinished);
        page.testBackend(u"agentgateway-system/nowhere"_s);
        QVERIFY(!again.isEmpty() || again.wait(1000));
        QVERIFY(!again.first().at(1).toBool());
        QVERIFY(again.first().at(2).toString().contains(u"No route"_s));
    }

private:
    QTemporaryDir m_configDir;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    ui::UiContext m_context;
};

QTEST_MAIN(TestUiConsole)
#include "tst_ui_console.moc"
