// The Console and Traffic pages against a real gateway on its own thread, answering from the simulator.
#include "MainWindow.h"
#include "config/ConfigStore.h"
#include "gateway/GatewayController.h"
#include "models/TrafficModel.h"
#include "SimulatedGateway.h"
#include "pages/ConsolePage.h"
#include "pages/CredentialsPage.h"
#include "pages/TrafficPage.h"
#include "secrets/InMemorySecretStore.h"
#include "telemetry/TrafficSink.h"
#include "telemetry/UsdText.h"
#include "widgets/TranscriptView.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace quarry;

namespace {

// A header line of a capture as the inspector shows it, found whatever case the name was sent in.
QString headerLine(const QString &capture, const QString &name)
{
    const QRegularExpression line(u"^%1: (.*)$"_s.arg(QRegularExpression::escape(name)),
                                  QRegularExpression::CaseInsensitiveOption | QRegularExpression::MultilineOption);
    return line.match(capture).captured(1);
}

QString headerValue(const telemetry::CapturedMessage &message, const QString &name)
{
    for (const auto &[key, value] : message.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// Widgets a user reads or clicks that are smaller than they need to be: cut off.
QStringList cutOff(QWidget *page)
{
    QStringList found;
    const auto widgets = page->findChildren<QWidget *>();
    for (QWidget *widget : widgets) {
        if (!widget->isVisibleTo(page) || widget->objectName().startsWith(u"qt_"_s)) // Qt's own parts of a widget
            continue;
        if (!qobject_cast<QLabel *>(widget) && !qobject_cast<QPushButton *>(widget)
            && !qobject_cast<QCheckBox *>(widget) && !qobject_cast<QComboBox *>(widget)
            && !qobject_cast<QLineEdit *>(widget))
            continue;
        QSize needed = widget->minimumSizeHint();
        if (auto *label = qobject_cast<QLabel *>(widget); label && label->wordWrap())
            needed.setHeight(label->heightForWidth(label->width()));
        if (widget->width() < needed.width() || widget->height() < needed.height())
            found.append(u"%1 %2 is %3x%4, needs %5x%6"_s.arg(QString::fromLatin1(widget->metaObject()->className()),
                                                             widget->objectName())
                             .arg(widget->width()).arg(widget->height()).arg(needed.width()).arg(needed.height()));
    }
    return found;
}

} // namespace

class TestUiConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_configDir.isValid());
        m_gateway = test::startSimulatedGateway(m_configDir.path(), true);
        QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), gateway::GatewayController::State::Running, 20000);
        QVERIFY2(!m_gateway->address().endsWith(u":0"_s), qPrintable(m_gateway->address()));
        m_context.gateway = m_gateway.get();
        m_context.configDir = m_configDir.path();
    }

    void cleanupTestCase() { m_gateway.reset(); }

    // The previous function's records may still be in the traffic sink's delivery window, and a
    // Traffic page made now would list them as if this function had sent them: wait until the
    // gateway has reported nothing for a few windows.
    void init()
    {
        QSignalSpy recorded(m_gateway.get(), &gateway::GatewayController::trafficRecorded);
        while (recorded.wait(3 * telemetry::TrafficSink::DeliveryWindowMs))
            recorded.clear();
    }

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

        // The simulator echoes the prompt: the streamed answer must carry it, after the user's turn,
        // and the transcript shows the whole answer the client received.
        const QString transcript = console.findChild<ui::TranscriptView *>(u"transcript"_s)->toPlainText();
        QVERIFY2(outcome.text.contains(u"Tell me about quarries"_s), qPrintable(outcome.text));
        QCOMPARE(transcript, u"You: Tell me about quarries\nAssistant: "_s + outcome.text);

        // The traffic table got the same request, and the console's counts agree with it.
        QTRY_COMPARE(traffic.model()->rowCount(), 1);
        const telemetry::TrafficRecord &record = traffic.model()->recordAt(0);
        QCOMPARE(record.status, 200);
        QVERIFY(record.streamed);
        QCOMPARE(record.id, outcome.requestId);
        QVERIFY(record.tokens.input > 0 && record.tokens.output > 0);
        const QString tokens = console.findChild<QLabel *>(u"tokens"_s)->text();
        QVERIFY2(tokens.contains(u"%1 in"_s.arg(record.tokens.promptTotal())), qPrintable(tokens));
        QVERIFY2(tokens.contains(u"%1 out"_s.arg(record.tokens.output)), qPrintable(tokens));
        QVERIFY2(tokens.contains(u"%1 total"_s.arg(record.tokens.total())), qPrintable(tokens));
        QVERIFY(console.findChild<QLabel *>(u"timing"_s)->text().contains(u"TTFT"_s));

        // The inspector shows what went to Bedrock, with the Authorization header (SigV4) redacted
        // to the product's marker: the scheme stays, credential, scope and signature do not.
        QTRY_VERIFY(!recordShown.isEmpty());
        const QString bedrockRequest = console.findChild<QPlainTextEdit *>(u"capture2"_s)->toPlainText();
        QVERIFY2(bedrockRequest.contains(u"converse-stream"_s), qPrintable(bedrockRequest.left(400)));
        QCOMPARE(headerLine(bedrockRequest, u"Authorization"_s), u"AWS4-HMAC-SHA256 <redacted>"_s);
        QVERIFY(!bedrockRequest.contains(u"Signature="_s));
        QVERIFY(!bedrockRequest.contains(u"Credential="_s));
        QVERIFY(console.findChild<QLabel *>(u"stopReason"_s)->text().contains(u"end_turn"_s));
        // The seed's model (Titan Text Lite, us-east-1) is in the shipped price table: the record is
        // priced and the console shows that price, as the Traffic page does.
        QVERIFY(record.costUsd > 0);
        QCOMPARE(console.findChild<QLabel *>(u"cost"_s)->text(), u"Cost: "_s + telemetry::usdText(record.costUsd));
        QCOMPARE(traffic.model()->index(0, ui::TrafficModel::Cost).data().toString(),
                 telemetry::usdText(record.costUsd));
    }

    // Stream unchecked: the JSON answer must reach the transcript too (it used to show an empty
    // "Assistant:" with HTTP 200).
    void nonStreamedAnswerIsShown()
    {
        ui::ConsolePage console(m_context);
        ui::TrafficPage traffic(m_context); // this request's record, waited for at the end
        QTRY_VERIFY(console.findChild<QComboBox *>(u"route"_s)->count() > 0);
        console.findChild<QCheckBox *>(u"stream"_s)->setChecked(false);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"Answer in one piece"_s);
        console.send();
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.first().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QCOMPARE(outcome.status, 200);
        QVERIFY(outcome.responseBody.startsWith('{')); // really the non-streamed path
        QVERIFY2(outcome.text.contains(u"Answer in one piece"_s), qPrintable(outcome.text));
        const QString transcript = console.findChild<ui::TranscriptView *>(u"transcript"_s)->toPlainText();
        QCOMPARE(transcript, u"You: Answer in one piece\nAssistant: "_s + outcome.text);
        // Its record is reported after the answer was sent: left in flight, it would reach the next
        // function's Traffic page.
        QTRY_COMPARE(traffic.model()->rowCount(), 1);
        QCOMPARE(traffic.model()->recordAt(0).id, outcome.requestId);
    }

    // "Copy as curl" is the request that was sent: running the copied command makes the gateway
    // receive the same path, headers and body bytes as the console's own request.
    void copyAsCurlIsTheRequestSent_data()
    {
        QTest::addColumn<bool>("stream");
        QTest::newRow("json") << false;
        QTest::newRow("stream") << true;
    }

    void copyAsCurlIsTheRequestSent()
    {
        QFETCH(bool, stream);
        ui::ConsolePage console(m_context);
        ui::TrafficPage traffic(m_context);
        QTRY_VERIFY(console.findChild<QComboBox *>(u"route"_s)->count() > 0);
        console.findChild<QCheckBox *>(u"stream"_s)->setChecked(stream);
        console.findChild<QComboBox *>(u"model"_s)->setEditText(u"amazon.nova-micro-v1:0"_s);
        console.findChild<QSpinBox *>(u"maxTokens"_s)->setValue(77);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"it's a \"quoted\" prompt"_s);
        console.send();
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.first().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QTRY_VERIFY(traffic.model()->rowCount() == 1);
        const telemetry::TrafficRecord sent = traffic.model()->recordAt(0);
        QCOMPARE(sent.id, outcome.requestId);

        // The user moves on (a new prompt, other settings) before copying: the copy is still what was sent.
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"not sent yet"_s);
        console.findChild<QSpinBox *>(u"maxTokens"_s)->setValue(5);
        console.findChild<QCheckBox *>(u"stream"_s)->setChecked(!stream);
        console.copyAsCurl();
        const QString command = QApplication::clipboard()->text();
        QVERIFY2(command.startsWith(u"curl "_s), qPrintable(command));

        QProcess curl;
        curl.start(u"sh"_s, {u"-c"_s, command});
        QVERIFY(curl.waitForFinished(20000));
        QCOMPARE(curl.exitCode(), 0);
        QTRY_COMPARE(traffic.model()->rowCount(), 2);
        const telemetry::TrafficRecord copied = traffic.model()->recordAt(0);
        QVERIFY(copied.id != sent.id);
        QCOMPARE(copied.status, 200);
        QCOMPARE(copied.clientRequest.startLine, sent.clientRequest.startLine);
        QCOMPARE(copied.clientRequest.body, sent.clientRequest.body);
        QCOMPARE(copied.streamed, stream);
        for (const QString &name : {u"Content-Type"_s, u"Accept"_s, u"User-Agent"_s}) {
            QVERIFY(!headerValue(sent.clientRequest, name).isEmpty());
            QCOMPARE(headerValue(copied.clientRequest, name), headerValue(sent.clientRequest, name));
        }
        const QJsonObject body = QJsonDocument::fromJson(copied.clientRequest.body).object();
        QCOMPARE(body.value(u"model"_s).toString(), u"amazon.nova-micro-v1:0"_s);
        QCOMPARE(body.value(u"max_tokens"_s).toInt(), 77);
        QCOMPARE(body.value(u"stream"_s).toBool(), stream);
        QVERIFY(!copied.clientRequest.body.contains("not sent yet"));
        // The answer to the copied request is the same kind as the console's.
        QCOMPARE(curl.readAllStandardOutput().startsWith("data:"), stream);
    }

    // A client's key sent to the listener is never shown: the Traffic page shows the product's
    // "<redacted>" marker in its place, and the value appears nowhere on the page.
    void clientSecretsAreRedactedOnTheTrafficPage()
    {
        ui::TrafficPage traffic(m_context);
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QNetworkRequest request(QUrl(u"http://%1/bedrock/v1/chat/completions"_s.arg(m_gateway->address())));
        request.setRawHeader("Content-Type", "application/json");
        request.setRawHeader("Authorization", "Bearer sk-ant-0123456789-TOPSECRET");
        request.setRawHeader("x-api-key", "qk-live-4567-TOPSECRET");
        std::unique_ptr<QNetworkReply> reply(
            network.post(request, R"({"model":"","messages":[{"role":"user","content":"hi"}]})"_ba));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QTRY_COMPARE(traffic.model()->rowCount(), 1);
        auto *table = traffic.findChild<QTableView *>(u"trafficTable"_s);
        table->setCurrentIndex(table->model()->index(0, 0));
        QString clientRequest;
        QString clientResponse;
        for (QPlainTextEdit *view : traffic.findChildren<QPlainTextEdit *>()) {
            if (view->accessibleName() == u"Client request"_s)
                clientRequest = view->toPlainText();
            if (view->accessibleName() == u"Client response"_s)
                clientResponse = view->toPlainText();
            QVERIFY2(!view->toPlainText().contains(u"TOPSECRET"_s), qPrintable(view->accessibleName()));
        }
        QCOMPARE(headerLine(clientRequest, u"Authorization"_s), u"Bearer <redacted>"_s);
        QCOMPARE(headerLine(clientRequest, u"x-api-key"_s), u"<redacted>"_s);
        // The client response shows the x-quarry-* headers the client got.
        QCOMPARE(headerLine(clientResponse, u"x-quarry-request-id"_s),
                 QString::fromLatin1(reply->rawHeader("x-quarry-request-id")));
        QCOMPARE(headerLine(clientResponse, u"x-quarry-upstream"_s), u"simulator"_s);
        for (QLabel *label : traffic.findChildren<QLabel *>())
            QVERIFY(!label->text().contains(u"TOPSECRET"_s));
    }

    // At 900x600, after a long answer with long stats, the Console and Traffic pages fit: the stats
    // wrap instead of widening the window, and no label, button or field is cut off.
    void pagesFitAt900x600()
    {
        config::ConfigStore store(m_configDir.path());
        QVERIFY(store.load().ok());
        secrets::InMemorySecretStore secrets;
        ui::UiContext context = m_context;
        context.config = &store;
        context.secrets = &secrets;
        ui::MainWindow window(context);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *console = qobject_cast<ui::ConsolePage *>(window.page(ui::MainWindow::Console));
        auto *traffic = qobject_cast<ui::TrafficPage *>(window.page(ui::MainWindow::Traffic));
        QVERIFY(console && traffic);
        window.showPage(ui::MainWindow::Console);
        QTRY_VERIFY(console->findChild<QComboBox *>(u"route"_s)->count() > 0);
        console->findChild<QCheckBox *>(u"stream"_s)->setChecked(false);
        console->findChild<QSpinBox *>(u"maxTokens"_s)->setValue(123456);
        QSignalSpy finished(console, &ui::ConsolePage::answerFinished);
        console->findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"a long one [sim:words:400]"_s);
        console->send();
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.first().first().value<client::ChatOutcome>().ok());
        auto *tokens = console->findChild<QLabel *>(u"tokens"_s);
        auto *stopReason = console->findChild<QLabel *>(u"stopReason"_s);
        auto *timing = console->findChild<QLabel *>(u"timing"_s);
        // As long as stats get: five-digit counts, both stop reasons, latency and speed.
        tokens->setText(u"Tokens: 123456 in · 654321 out · 777777 total"_s);
        stopReason->setText(u"Stop: length (Bedrock: max_tokens)"_s);
        timing->setText(u"Latency 123456 ms · TTFT 12345 ms · 12345.6 tokens/s"_s);

        // The Traffic page with a long route name in its picker and a long error in its summary.
        telemetry::TrafficRecord longOne;
        longOne.id = 999999;
        longOne.started = QDateTime::currentDateTime();
        longOne.method = u"POST"_s;
        longOne.path = u"/team-platform-engineering/bedrock/v1/chat/completions"_s;
        longOne.route = u"team-platform-engineering/claude-sonnet-for-the-code-review-assistant-route"_s;
        longOne.backend = u"team-platform-engineering/bedrock-claude-sonnet-us-east-1-provisioned"_s;
        longOne.model = u"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet"_s;
        longOne.status = 429;
        longOne.error = u"Too many requests, please wait before trying again. "_s.repeated(4);
        traffic->model()->add(longOne);
        auto *table = traffic->findChild<QTableView *>(u"trafficTable"_s);
        table->setCurrentIndex(table->model()->index(0, 0));
        auto *routeFilter = traffic->findChild<QComboBox *>(u"routeFilter"_s);
        routeFilter->setCurrentIndex(routeFilter->findData(longOne.route));

        // The stack is as wide as its widest page: every page must fit, not only these two.
        const auto widestPages = [&window] {
            QStringList widths;
            for (int index = 0; index < ui::MainWindow::PageCount; ++index) {
                QWidget *page = window.page(ui::MainWindow::Page(index));
                widths.append(u"%1 %2 px"_s.arg(page->accessibleName()).arg(page->minimumSizeHint().width()));
            }
            return u"the window needs %1 px (%2)"_s.arg(window.minimumSizeHint().width()).arg(widths.join(u", "_s));
        };
        QTRY_VERIFY2(window.minimumSizeHint().width() <= 900, qPrintable(widestPages()));
        window.resize(900, 600);
        QTRY_COMPARE(window.size(), QSize(900, 600));
        for (QLabel *label : {tokens, stopReason, timing})
            QVERIFY2(label->wordWrap(), qPrintable(label->objectName()));

        const QString shots = qEnvironmentVariable("QUARRY_SCREENSHOT_DIR");
        for (int index = 0; index < ui::MainWindow::PageCount; ++index) {
            QWidget *page = window.page(ui::MainWindow::Page(index));
            window.showPage(ui::MainWindow::Page(index));
            QTest::qWait(50);
            const QSize room = page->size();
            const QSize needs = page->minimumSizeHint();
            QVERIFY2(needs.width() <= room.width() && needs.height() <= room.height(),
                     qPrintable(u"%1 needs %2x%3, has %4x%5"_s.arg(page->accessibleName())
                                    .arg(needs.width()).arg(needs.height()).arg(room.width()).arg(room.height())));
            const QStringList clipped = cutOff(page);
            QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(u"; "_s)));
            if (!shots.isEmpty())
                window.grab().save(QDir(shots).filePath(page->accessibleName().section(u' ', 0, 0).toLower()
                                                        + u"-900x600.png"_s));
        }

        // A window first shown after long routes were seen (it started in the tray) fits as well.
        ui::TrafficPage late(m_context);
        late.model()->add(longOne);
        late.show();
        QVERIFY(QTest::qWaitForWindowExposed(&late));
        QVERIFY2(late.minimumSizeHint().width() <= traffic->width(),
                 qPrintable(u"needs %1 px, has %2"_s.arg(late.minimumSizeHint().width()).arg(traffic->width())));
    }

    // The console's client owns its replies: none is left behind once an answer is in.
    void clientRepliesAreDeleted()
    {
        client::ChatClient chat;
        client::ChatRequest request;
        request.url = QUrl(u"http://%1/bedrock"_s.arg(m_gateway->address()));
        request.messages = {{u"user"_s, u"hi"_s, {}}};
        QSignalSpy finished(&chat, &client::ChatClient::finished);
        for (int i = 0; i < 20; ++i) {
            request.stream = i % 2 == 0;
            chat.send(request);
            QVERIFY(finished.wait(20000));
            QVERIFY2(finished.last().first().value<client::ChatOutcome>().ok(),
                     qPrintable(finished.last().first().value<client::ChatOutcome>().error));
        }
        QTRY_COMPARE(chat.findChildren<QNetworkReply *>().size(), 0);
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
        const QString transcript = console.findChild<ui::TranscriptView *>(u"transcript"_s)->toPlainText();
        QVERIFY(transcript.endsWith(outcome.text));
        qInfo("longest gap between 10 ms ticks while streaming: %lld ms over %lld ms", longestGap, clock.elapsed());
        // The 100 ms bound is a benchmark, not a unit check: on a shared machine it measures the
        // load as much as the window. `./dev bench console_stream` sets the bound and runs this alone.
        const int maxGapMs = qEnvironmentVariableIntValue("QUARRY_BENCH_MAX_GAP_MS");
        if (maxGapMs > 0)
            QVERIFY2(longestGap < maxGapMs, qPrintable(u"the window froze for %1 ms"_s.arg(longestGap)));
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
