// The Console's request side against a real gateway answering from the simulator: the model picker,
// the API styles, the Simulator switch, the raw editor, "Copy as" snippets, replaying Traffic
// entries and saved requests.
#include "MainWindow.h"
#include "TestSupport.h"
#include "config/ConfigStore.h"
#include "console/CodeSnippets.h"
#include "console/ImageAttachments.h"
#include "console/ModelListFetcher.h"
#include "console/RequestCollection.h"
#include "gateway/GatewayController.h"
#include "models/TrafficModel.h"
#include "SimulatedGateway.h"
#include "pages/ConsolePage.h"
#include "pages/TrafficPage.h"
#include "widgets/MessageView.h"
#include "widgets/TranscriptView.h"
#include "secrets/InMemorySecretStore.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using client::ChatApi;
using Language = ui::CodeSnippets::Language;

namespace {

QString headerValue(const telemetry::CapturedMessage &message, const QString &name)
{
    for (const auto &[key, value] : message.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// Runs `program` with `arguments`; its exit code, or -1 when it did not end in time. Output goes to `output`.
int run(const QString &program, const QStringList &arguments, QByteArray *output = nullptr)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished(5000);
        return -1;
    }
    if (output)
        *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

// The traffic record of request `id` (the model picker's GET /v1/models are in the table too).
std::optional<telemetry::TrafficRecord> recordOf(const ui::TrafficPage &traffic, quint64 id)
{
    for (int row = 0; row < traffic.model()->rowCount(); ++row) {
        if (traffic.model()->recordAt(row).id == id)
            return traffic.model()->recordAt(row);
    }
    return std::nullopt;
}

// Requests other than the model picker's.
int chatRows(const ui::TrafficPage &traffic)
{
    int rows = 0;
    for (int row = 0; row < traffic.model()->rowCount(); ++row)
        rows += traffic.model()->recordAt(row).method == u"POST"_s ? 1 : 0;
    return rows;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestUiConsoleRequests : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_configDir.isValid());
        m_gateway = test::startSimulatedGateway(m_configDir.path(), true);
        QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), gateway::GatewayController::State::Running, 20000);
        m_context.gateway = m_gateway.get();
        m_context.configDir = m_configDir.path();
    }

    void init()
    {
        m_dataDir = std::make_unique<QTemporaryDir>();
        m_context.dataDir = m_dataDir->path();
    }

    void cleanupTestCase() { m_gateway.reset(); }

    // The model field lists the route's models (GET /bedrock/v1/models); anything else may be typed.
    void modelPickerListsTheRoutesModels()
    {
        ui::ConsolePage console(m_context);
        QSignalSpy listed(&console, &ui::ConsolePage::modelsListed);
        auto *model = console.findChild<QComboBox *>(u"model"_s);
        QVERIFY(model->isEditable());
        QTest::qWait(300);
        QCOMPARE(listed.size(), 0); // not asked before the user looks: each ask is a request in Traffic
        model->showPopup();
        QVERIFY(listed.wait(15000));
        model->hidePopup();
        const QString status = console.findChild<QLabel *>(u"modelStatus"_s)->text();
        QVERIFY2(model->count() > 0, qPrintable(status));
        QVERIFY2(status.contains(u"listed"_s), qPrintable(status));
        QVERIFY(model->currentText().isEmpty()); // listing picks nothing: the backend's model still decides
        QStringList items;
        for (int i = 0; i < model->count(); ++i)
            items.append(model->itemText(i));
        QVERIFY2(items.contains(u"amazon.titan-text-lite-v1"_s), qPrintable(items.join(u", "_s)));

        model->setEditText(u"my.own-model:1"_s);
        QCOMPARE(console.currentRequest().model, u"my.own-model:1"_s);
        // A second listing keeps what was typed.
        console.refreshModels();
        QVERIFY(listed.wait(15000));
        QCOMPARE(model->currentText(), u"my.own-model:1"_s);
    }

    // A listener that does not answer as a model list: the picker says so, and typing still works.
    void modelListFailureIsExplained()
    {
        QTcpServer silent; // accepts, never answers a byte that is HTTP
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        connect(&silent, &QTcpServer::newConnection, this, [&silent] {
            QTcpSocket *socket = silent.nextPendingConnection();
            socket->write("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                          "Content-Length: 40\r\nConnection: close\r\n\r\n{\"error\":{\"message\":\"no "
                          "credentials!\"}}");
            socket->disconnectFromHost();
        });
        ui::ModelListFetcher fetcher;
        QSignalSpy failed(&fetcher, &ui::ModelListFetcher::failed);
        fetcher.fetch(QUrl(u"http://127.0.0.1:%1/bedrock"_s.arg(silent.serverPort())));
        QVERIFY(failed.wait(ui::ModelListFetcher::DeadlineMs + 2000));
        const QString reason = failed.first().first().toString();
        QVERIFY2(reason.contains(u"500"_s) && reason.contains(u"no credentials!"_s), qPrintable(reason));

        ui::UiContext offline; // no gateway at all
        ui::ConsolePage console(offline);
        console.findChild<QComboBox *>(u"model"_s)->showPopup();
        const QString status = console.findChild<QLabel *>(u"modelStatus"_s)->text();
        QVERIFY2(status.startsWith(u"Could not list models"_s), qPrintable(status));
    }

    void apiStyleGoesToTheMatchingPath_data()
    {
        QTest::addColumn<int>("api");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QString>("path");
        QTest::newRow("openai") << int(ChatApi::OpenAiChat) << true << u"/bedrock"_s;
        QTest::newRow("anthropic") << int(ChatApi::AnthropicMessages) << true << u"/bedrock/v1/messages"_s;
        QTest::newRow("responses") << int(ChatApi::Responses) << false << u"/bedrock/v1/responses"_s;
        QTest::newRow("converse") << int(ChatApi::Converse) << false
                                  << u"/bedrock/model/amazon.titan-text-lite-v1/converse"_s;
        QTest::newRow("converse-stream") << int(ChatApi::Converse) << true
                                         << u"/bedrock/model/amazon.titan-text-lite-v1/converse-stream"_s;
    }

    // Each API style reaches the route type a tool using it would, and its answer is read.
    void apiStyleGoesToTheMatchingPath()
    {
        QFETCH(int, api);
        QFETCH(bool, stream);
        QFETCH(QString, path);
        ui::ConsolePage console(m_context);
        ui::TrafficPage traffic(m_context);
        auto *apis = console.findChild<QComboBox *>(u"api"_s);
        apis->setCurrentIndex(apis->findData(api));
        console.findChild<QCheckBox *>(u"stream"_s)->setChecked(stream);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"which way to the quarry"_s);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        console.send();
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.first().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(),
                 qPrintable(outcome.error + u" "_s + QString::fromUtf8(outcome.responseBody.left(300))));
        QVERIFY2(outcome.text.contains(u"which way to the quarry"_s), qPrintable(outcome.text));
        QVERIFY(outcome.usage && outcome.usage->output > 0);
        QTRY_VERIFY(recordOf(traffic, outcome.requestId));
        QCOMPARE(recordOf(traffic, outcome.requestId)->path, path);
        QCOMPARE(recordOf(traffic, outcome.requestId)->status, 200);
    }

    void attachedImageReachesBedrockAsAnImage_data() { apiStyleGoesToTheMatchingPath_data(); }

    // "Attach image…": the image goes in the API's own image part, so it reaches Bedrock as an image
    // block (the simulator answers "[image png N bytes]" for one, and would echo base64 text as
    // words); the prompt shows it, the conversation keeps it and the next turn sends it again.
    void attachedImageReachesBedrockAsAnImage()
    {
        QFETCH(int, api);
        QFETCH(bool, stream);
        QImage pixels(3, 2, QImage::Format_RGB32);
        pixels.fill(Qt::darkGreen);
        const QString path = QDir(m_dataDir->path()).filePath(u"green.png"_s);
        QVERIFY(pixels.save(path, "PNG"));
        const qint64 bytes = QFileInfo(path).size();

        ui::ConsolePage console(m_context);
        auto *apis = console.findChild<QComboBox *>(u"api"_s);
        apis->setCurrentIndex(apis->findData(api));
        console.findChild<QCheckBox *>(u"stream"_s)->setChecked(stream);
        auto *attachments = console.findChild<ui::ImageAttachments *>();
        QVERIFY(attachments->addFile(path));
        QVERIFY2(attachments->findChild<QLabel *>(u"attachments"_s)->text().contains(u"green.png"_s),
                 qPrintable(attachments->findChild<QLabel *>(u"attachments"_s)->text()));
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"what colour is this"_s);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        console.send();
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.first().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.error + u" "_s + QString::fromUtf8(outcome.responseBody.left(300))));
        QVERIFY2(outcome.text.contains(u"[image png %1 bytes] what colour is this"_s.arg(bytes)), qPrintable(outcome.text));

        QVERIFY(attachments->dataUrls().isEmpty()); // sent with that prompt, not the next
        const auto *question = console.findChild<ui::TranscriptView *>(u"transcript"_s)->messages().first();
        QCOMPARE(question->findChildren<QLabel *>(u"image"_s).size(), 1);
        QCOMPARE(console.conversation().turns.first().images.size(), 1);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"and now?"_s);
        const client::ChatRequest next = console.currentRequest();
        QCOMPARE(next.messages.size(), 3);
        QCOMPARE(next.messages.first().images, console.conversation().turns.first().images);
        QVERIFY(next.messages.last().images.isEmpty());
    }

    // What Bedrock cannot read is refused on attaching, with the reason, and nothing is attached.
    void unreadableAttachmentsAreRefused()
    {
        ui::ImageAttachments attachments;
        const QDir dir(m_dataDir->path());
        QVERIFY(writeFile(dir.filePath(u"notes.png"_s), "just text, named like an image"));
        QVERIFY(!attachments.addFile(dir.filePath(u"notes.png"_s)));
        QVERIFY2(attachments.problem().contains(u"not a PNG, JPEG, GIF or WebP"_s), qPrintable(attachments.problem()));
        QVERIFY(!attachments.addFile(dir.filePath(u"missing.png"_s)));
        QVERIFY2(attachments.problem().contains(u"could not be read"_s), qPrintable(attachments.problem()));
        QByteArray huge("\x89PNG\r\n\x1a\n");
        huge.append(ui::ImageAttachments::MaxImageBytes, '\0');
        QVERIFY(writeFile(dir.filePath(u"huge.png"_s), huge));
        QVERIFY(!attachments.addFile(dir.filePath(u"huge.png"_s)));
        QVERIFY2(attachments.problem().contains(u"Bedrock takes images up to"_s), qPrintable(attachments.problem()));
        QVERIFY(attachments.dataUrls().isEmpty());
        QCOMPARE(ui::imageMediaType(QByteArray("RIFF\x10\0\0\0WEBPVP8 ", 16)), u"image/webp"_s);
        QCOMPARE(ui::imageMediaType("GIF89a..."), u"image/gif"_s);
        QCOMPARE(ui::imageMediaType("\xff\xd8\xff\xe0"), u"image/jpeg"_s);
    }

    // "Answered by: Simulator" sends x-quarry-simulate: true, in the request and in its curl copy.
    void simulatorSwitchMarksTheRequest()
    {
        ui::ConsolePage console(m_context);
        ui::TrafficPage traffic(m_context);
        auto *upstream = console.findChild<QComboBox *>(u"upstream"_s);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"offline"_s);
        QVERIFY(!console.requestToCopy().toCurl().contains(u"x-quarry-simulate"_s));
        upstream->setCurrentIndex(upstream->findData(true));
        QVERIFY(console.requestToCopy().toCurl().contains(u"-H 'x-quarry-simulate: true'"_s));
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        console.send();
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.first().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QCOMPARE(outcome.upstream, u"simulator"_s);
        QTRY_VERIFY(recordOf(traffic, outcome.requestId));
        QCOMPARE(headerValue(recordOf(traffic, outcome.requestId)->clientRequest, u"x-quarry-simulate"_s),
                 u"true"_s);
    }

    // Raw mode: the editor shows the request Send would make; a JSON mistake is reported and
    // nothing is sent or lost; the edited bytes and headers are what the gateway receives.
    void rawEditorSendsTheEditedRequest()
    {
        ui::ConsolePage console(m_context);
        ui::TrafficPage traffic(m_context);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"from the form"_s);
        console.findChild<QCheckBox *>(u"stream"_s)->setChecked(false);
        console.findChild<QCheckBox *>(u"rawMode"_s)->setChecked(true);
        auto *body = console.findChild<QPlainTextEdit *>(u"rawBody"_s);
        auto *headers = console.findChild<QPlainTextEdit *>(u"rawHeaders"_s);
        QVERIFY(body->isVisibleTo(&console) || body->parentWidget()); // a tab of the inspector
        const QJsonObject shown = QJsonDocument::fromJson(body->toPlainText().toUtf8()).object();
        QCOMPARE(shown.value(u"messages"_s).toArray().last()[u"content"_s].toString(), u"from the form"_s);
        QVERIFY(headers->toPlainText().contains(u"Content-Type: application/json"_s));
        QVERIFY(!console.findChild<QPlainTextEdit *>(u"prompt"_s)->isEnabled());

        const QString broken =
            u"{\n  \"model\": \"\",\n  \"messages\": [ {\"role\": \"user\", \"content\": \"edited\"} \n"_s;
        body->setPlainText(broken);
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        console.send();
        const QString error = console.findChild<QLabel *>(u"rawError"_s)->text();
        QVERIFY2(error.contains(u"not valid JSON"_s) && error.contains(u"line"_s), qPrintable(error));
        QVERIFY(console.findChild<QLabel *>(u"rawError"_s)->isVisibleTo(&console));
        QCOMPARE(body->toPlainText(), broken); // nothing lost
        QTest::qWait(300);
        QCOMPARE(finished.size(), 0);
        QCOMPARE(chatRows(traffic), 0);

        headers->setPlainText(headers->toPlainText() + u"\nbroken header line"_s);
        body->setPlainText(broken + u"]}"_s);
        console.send();
        QVERIFY2(console.findChild<QLabel *>(u"rawError"_s)->text().contains(u"Header line"_s),
                 qPrintable(console.findChild<QLabel *>(u"rawError"_s)->text()));
        headers->setPlainText(
            headers->toPlainText().replace(u"broken header line"_s, u"X-Trace: console-raw"_s));
        console.send();
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.first().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QVERIFY2(outcome.text.contains(u"edited"_s), qPrintable(outcome.text));
        QTRY_VERIFY(recordOf(traffic, outcome.requestId));
        const telemetry::TrafficRecord record = *recordOf(traffic, outcome.requestId);
        QCOMPARE(record.clientRequest.body, (broken + u"]}"_s).toUtf8());
        QCOMPARE(headerValue(record.clientRequest, u"X-Trace"_s), u"console-raw"_s);
        // A raw request is not a turn of the conversation.
        console.findChild<QCheckBox *>(u"rawMode"_s)->setChecked(false);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"next"_s);
        QCOMPARE(console.currentRequest().messages.size(), 1);
    }

    void snippets_data()
    {
        QTest::addColumn<int>("api");
        QTest::addColumn<bool>("stream");
        for (const bool stream : {false, true}) {
            const char *kind = stream ? "stream" : "json";
            QTest::addRow("openai %s", kind) << int(ChatApi::OpenAiChat) << stream;
            QTest::addRow("anthropic %s", kind) << int(ChatApi::AnthropicMessages) << stream;
            QTest::addRow("responses %s", kind) << int(ChatApi::Responses) << stream;
            QTest::addRow("converse %s", kind) << int(ChatApi::Converse) << stream;
        }
    }

    // Every snippet is valid code (python3 -m py_compile, node --check) and carries the request's
    // body; the ones that need nothing but the runtime (fetch, boto3) are run against the gateway.
    void snippets()
    {
        QFETCH(int, api);
        QFETCH(bool, stream);
        const QString python = QStandardPaths::findExecutable(u"python3"_s);
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        QUARRY_REQUIRE(!python.isEmpty(), "python3 (apt install python3)");
        QUARRY_REQUIRE(!node.isEmpty(), "node (./dev setup installs Node.js)");

        client::ChatRequest chat;
        chat.url = QUrl(u"http://"_s + m_gateway->address() + u"/bedrock"_s);
        chat.api = ChatApi(api);
        chat.model = u"amazon.titan-text-lite-v1"_s;
        chat.system = u"Say \"hi\" and it's fine: \\ no escapes lost"_s;
        chat.messages = {{u"user"_s, u"snippet check ünïcode"_s, {}}};
        chat.maxTokens = 64;
        chat.stream = stream;
        client::RawRequest request = chat.toRaw();
        request.headers.append(qMakePair(QByteArray("x-quarry-simulate"), QByteArray("true")));

        QTemporaryDir dir;
        const QString py = ui::CodeSnippets::generate(Language::Python, request);
        QVERIFY(py.contains(u"snippet check ünïcode"_s));
        QVERIFY(writeFile(dir.filePath(u"chat.py"_s), py.toUtf8()));
        QByteArray output;
        QVERIFY2(run(python, {u"-m"_s, u"py_compile"_s, dir.filePath(u"chat.py"_s)}, &output) == 0,
                 output.constData());
        for (const Language language : {Language::JavaScriptSdk, Language::JavaScriptFetch}) {
            const QString js = ui::CodeSnippets::generate(language, request);
            QVERIFY(js.contains(u"snippet check ünïcode"_s));
            QVERIFY(writeFile(dir.filePath(u"chat.mjs"_s), js.toUtf8()));
            QVERIFY2(run(node, {u"--check"_s, dir.filePath(u"chat.mjs"_s)}, &output) == 0,
                     output.constData());
        }
        if (ChatApi(api) == ChatApi::OpenAiChat || ChatApi(api) == ChatApi::Responses)
            QVERIFY(py.contains(u"from openai import OpenAI"_s) && py.contains(u"/bedrock/v1\""_s));
        else if (ChatApi(api) == ChatApi::AnthropicMessages)
            QVERIFY(py.contains(u"from anthropic import Anthropic"_s) && py.contains(u"/bedrock\""_s));
        else
            QVERIFY(py.contains(u"import boto3"_s) &&
                    py.contains(u"modelId=\"amazon.titan-text-lite-v1\""_s));

        // fetch needs no package: it must get an answer from the gateway.
        const QString fetch = ui::CodeSnippets::generate(Language::JavaScriptFetch, request);
        QVERIFY(writeFile(dir.filePath(u"fetch.mjs"_s), fetch.toUtf8()));
        QCOMPARE(run(node, {dir.filePath(u"fetch.mjs"_s)}, &output), 0);
        if (ChatApi(api) != ChatApi::Converse || !stream)             // ConverseStream's frames are binary
            QVERIFY2(output.contains("snippet"), output.constData()); // the simulator's echo, maybe in pieces
        if (ChatApi(api) == ChatApi::Converse && run(python, {u"-c"_s, u"import boto3"_s}) == 0) {
            QCOMPARE(run(python, {dir.filePath(u"chat.py"_s)}, &output), 0);
            QVERIFY2(output.contains("snippet"), output.constData());
        }
    }

    // "Copy as" from the page: the snippet of the request Send would make, in the SDK of its API;
    // the JavaScript SDK entry is offered only where an SDK speaks the API.
    void copyAsMenuFollowsTheApiStyle()
    {
        ui::ConsolePage console(m_context);
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"copy me"_s);
        console.copyAs(Language::Python);
        QString copied = QApplication::clipboard()->text();
        QVERIFY2(copied.contains(u"from openai import OpenAI"_s) && copied.contains(u"copy me"_s),
                 qPrintable(copied));
        auto *apis = console.findChild<QComboBox *>(u"api"_s);
        apis->setCurrentIndex(apis->findData(int(ChatApi::AnthropicMessages)));
        console.copyAs(Language::Python);
        QVERIFY(QApplication::clipboard()->text().contains(u"from anthropic import Anthropic"_s));

        auto *menu = console.findChild<QMenu *>(u"copyMenu"_s);
        const auto visibleTexts = [menu] {
            Q_EMIT menu->aboutToShow();
            QStringList texts;
            for (QAction *action : menu->actions()) {
                if (action->isVisible())
                    texts.append(action->text());
            }
            return texts;
        };
        QCOMPARE(visibleTexts(), (QStringList{u"curl"_s, u"Python (anthropic)"_s, u"JavaScript (fetch)"_s}));
        apis->setCurrentIndex(apis->findData(int(ChatApi::Responses)));
        QCOMPARE(visibleTexts(), (QStringList{u"curl"_s, u"Python (openai)"_s, u"JavaScript (openai)"_s,
                                              u"JavaScript (fetch)"_s}));
    }

    // Traffic's "Open in Console" loads the captured request into the raw editor; Send replays it.
    void trafficEntryOpensInTheConsole()
    {
        config::ConfigStore store(m_configDir.path());
        QVERIFY(store.load().ok());
        secrets::InMemorySecretStore secrets;
        ui::UiContext context = m_context;
        context.config = &store;
        context.secrets = &secrets;
        ui::MainWindow window(context);
        auto *console = qobject_cast<ui::ConsolePage *>(window.page(ui::MainWindow::Console));
        auto *traffic = qobject_cast<ui::TrafficPage *>(window.page(ui::MainWindow::Traffic));
        console->findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"replay me"_s);
        console->findChild<QComboBox *>(u"api"_s)->setCurrentIndex(
            console->findChild<QComboBox *>(u"api"_s)->findData(int(ChatApi::AnthropicMessages)));
        QSignalSpy finished(console, &ui::ConsolePage::answerFinished);
        console->send();
        QVERIFY(finished.wait(20000));
        const quint64 originalId = finished.first().first().value<client::ChatOutcome>().requestId;
        QTRY_VERIFY(recordOf(*traffic, originalId));
        const telemetry::TrafficRecord original = *recordOf(*traffic, originalId);

        auto *table = traffic->findChild<QTableView *>(u"trafficTable"_s);
        QVERIFY(!traffic->findChild<QPushButton *>(u"openInConsole"_s)->isEnabled());
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            if (table->model()->index(row, 0).data(ui::TrafficModel::IdRole).toULongLong() == originalId)
                table->setCurrentIndex(table->model()->index(row, 0));
        }
        QVERIFY(traffic->findChild<QPushButton *>(u"openInConsole"_s)->isEnabled());
        window.showPage(ui::MainWindow::Traffic);
        QTest::mouseClick(traffic->findChild<QPushButton *>(u"openInConsole"_s), Qt::LeftButton);
        QCOMPARE(window.currentPage(), ui::MainWindow::Console);
        QVERIFY(console->findChild<QCheckBox *>(u"rawMode"_s)->isChecked());
        QCOMPARE(console->findChild<QPlainTextEdit *>(u"rawBody"_s)->toPlainText().toUtf8(),
                 QJsonDocument::fromJson(original.clientRequest.body).toJson(QJsonDocument::Indented));
        QVERIFY(console->findChild<QLineEdit *>(u"rawUrl"_s)->text().endsWith(u"/bedrock/v1/messages"_s));

        console->send();
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.last().first().value<client::ChatOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.error));
        QVERIFY(outcome.text.contains(u"replay me"_s)); // read as Anthropic's answer
        QTRY_VERIFY(recordOf(*traffic, outcome.requestId));
        const telemetry::TrafficRecord replayed = *recordOf(*traffic, outcome.requestId);
        QCOMPARE(replayed.path, original.path);
        QCOMPARE(QJsonDocument::fromJson(replayed.clientRequest.body),
                 QJsonDocument::fromJson(original.clientRequest.body));
        QCOMPARE(headerValue(replayed.clientRequest, u"anthropic-version"_s),
                 headerValue(original.clientRequest, u"anthropic-version"_s));
    }

    // Saved requests live in the data directory, survive a new window, load into the raw editor,
    // and are deleted; keys are never written.
    void savedRequestsRoundTrip()
    {
        {
            ui::ConsolePage console(m_context);
            console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"keep this one"_s);
            console.findChild<QLineEdit *>(u"saveName"_s)->setText(u"greeting"_s);
            QTest::mouseClick(console.findChild<QPushButton *>(u"saveRequest"_s), Qt::LeftButton);
            QCOMPARE(console.findChild<QComboBox *>(u"savedRequests"_s)->currentText(), u"greeting"_s);
            // From the raw editor, with a key typed in: saved without it.
            console.findChild<QCheckBox *>(u"rawMode"_s)->setChecked(true);
            auto *headers = console.findChild<QPlainTextEdit *>(u"rawHeaders"_s);
            headers->setPlainText(headers->toPlainText() +
                                  u"\nAuthorization: Bearer sk-secret-123\nX-Team: qa"_s);
            console.findChild<QLineEdit *>(u"saveName"_s)->setText(u"with headers"_s);
            console.saveRequest();
        }
        QFile file(QDir(m_dataDir->path()).filePath(u"console-requests.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(stored.contains("keep this one"));
        QVERIFY(stored.contains("X-Team"));
        QVERIFY(!stored.contains("sk-secret-123"));
        file.close();

        ui::ConsolePage console(m_context);
        auto *saved = console.findChild<QComboBox *>(u"savedRequests"_s);
        QCOMPARE(saved->count(), 2);
        saved->setCurrentIndex(saved->findText(u"greeting"_s));
        QTest::mouseClick(console.findChild<QPushButton *>(u"loadRequest"_s), Qt::LeftButton);
        QVERIFY(console.findChild<QCheckBox *>(u"rawMode"_s)->isChecked());
        QVERIFY(
            console.findChild<QPlainTextEdit *>(u"rawBody"_s)->toPlainText().contains(u"keep this one"_s));
        QVERIFY(console.findChild<QLineEdit *>(u"rawUrl"_s)
                    ->text()
                    .startsWith(u"http://"_s + m_gateway->address()));
        QSignalSpy finished(&console, &ui::ConsolePage::answerFinished);
        console.send();
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.first().first().value<client::ChatOutcome>().text.contains(u"keep this one"_s));

        QTest::mouseClick(console.findChild<QPushButton *>(u"deleteRequest"_s), Qt::LeftButton);
        QCOMPARE(saved->count(), 1);
        ui::RequestCollection reread(m_dataDir->path());
        QVERIFY(reread.load());
        QCOMPARE(reread.requests().size(), 1);
        QCOMPARE(reread.requests().first().name, u"with headers"_s);
    }

    // A damaged file is reported and left alone: saving is refused rather than overwrite it.
    void corruptCollectionIsNotOverwritten()
    {
        const QString path = QDir(m_dataDir->path()).filePath(u"console-requests.json"_s);
        QVERIFY(writeFile(path, "{\"version\": 1, \"requests\": [ {\"name\": \"half"));
        ui::ConsolePage console(m_context);
        const QString status = console.findChild<QLabel *>(u"collectionStatus"_s)->text();
        QVERIFY2(status.contains(u"cannot be read"_s) && status.contains(u"move it aside"_s),
                 qPrintable(status));
        console.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"new"_s);
        console.findChild<QLineEdit *>(u"saveName"_s)->setText(u"new"_s);
        console.saveRequest();
        QVERIFY(console.findChild<QLabel *>(u"collectionStatus"_s)->text().contains(u"cannot be read"_s));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), "{\"version\": 1, \"requests\": [ {\"name\": \"half"_ba);
    }

private:
    QTemporaryDir m_configDir;
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    ui::UiContext m_context;
};

QUARRY_TEST_MAIN(TestUiConsoleRequests)
#include "tst_ui_console_requests.moc"
