// The window as a user meets it: seven pages in sidebar order, Ctrl+1..7, the status line with
// the listener and today's traffic, the simulator banner with its fix, snippets for the route.
#include "TestSupport.h"

#include "AboutDialog.h"
#include "AppSettings.h"
#include "GatewayActions.h"
#include "MainWindow.h"
#include "StatusLine.h"
#include "UiContext.h"
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "gateway/GatewayController.h"
#include "pages/CredentialsPage.h"
#include "pages/KeychainBanner.h"
#include "pages/OverviewPage.h"
#include "pages/SettingsPage.h"
#include "secrets/InMemorySecretStore.h"
#include "widgets/GatewayLog.h"

#include <QApplication>
#include <algorithm>
#include <QClipboard>
#include <QListWidget>
#include <QMenu>
#include <QMap>
#include <QMenuBar>
#include <QPointer>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTreeWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;

class TestUiMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void pagesInSidebarOrderAndShortcuts();
    void simulatorBannerLeadsToCredentials();
    void overviewSnippetsPointAtTheRoute();
    void routeToAMissingBackendSaysBackendNotFound();
    void keychainUnavailableBannerRetries();
    void settingsMoveTheListenerThroughTheGatewayResource();
    void statusLineNamesTheMode();
    void ctrlKSearchesTraffic();
    void pageShortcutsLeaveTheKeyboardOnTheSidebar();
    void geometryRemembered();
    void helpAboutShowsVersion();
    void menusQuitAndDriveTheGateway();
    void overviewHasTheListenerItsPortAndTheLog();
    void statusLineCountsRequestsAndTokens(); // last: it stops the gateway

private:
    // Shows the window, opens the Console and puts the keyboard in its prompt, as a user typing one.
    void focusTheConsolePrompt(MainWindow &window, QPlainTextEdit **prompt);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    std::unique_ptr<config::ConfigStore> m_store;
    std::unique_ptr<secrets::InMemorySecretStore> m_secrets;
    UiContext m_context;
    quint16 m_port = 0;
};

// One gateway for the suite: starting it is the slow part.
void TestUiMainWindow::initTestCase()
{
    // No Secret Service at all, whatever the machine running the tests has: the keychain is
    // Unavailable and the seed's backend, whose secret cannot be read, gets the simulator.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/quarry-test-bus");
    m_dir = std::make_unique<QTemporaryDir>();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
    gateway::GatewayOptions options;
    options.configDir = m_dir->path(); // defaults: the seed's route /bedrock, no credentials
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0; // any free port
    options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
    options.environment = QProcessEnvironment(); // no AWS_* from the machine running the tests
    m_gateway = std::make_unique<gateway::GatewayController>(options);
    m_store = std::make_unique<config::ConfigStore>(m_dir->path());
    QVERIFY(m_store->load().ok());
    m_secrets = std::make_unique<secrets::InMemorySecretStore>();
    m_context = UiContext{m_gateway.get(), m_store.get(), m_secrets.get(), m_dir->path()};
    m_gateway->start();
    QTRY_VERIFY2_WITH_TIMEOUT(m_gateway->state() == gateway::GatewayController::State::Running,
                              qPrintable(m_gateway->lastError()), 10000);
    m_port = m_gateway->address().section(u':', -1).toUShort();
    QVERIFY(m_port > 0);
}

void TestUiMainWindow::cleanupTestCase()
{
    m_gateway.reset();
    m_store.reset();
    m_secrets.reset();
    m_dir.reset();
}

void TestUiMainWindow::pagesInSidebarOrderAndShortcuts()
{
    MainWindow window(m_context);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList names;
    for (int row = 0; row < window.sidebar()->count(); ++row)
        names.append(window.sidebar()->item(row)->text());
    QCOMPARE(names, (QStringList{u"Overview"_s, u"Routes"_s, u"Backends"_s, u"Credentials"_s, u"Console"_s,
                                 u"Traffic"_s, u"Settings"_s}));
    QCOMPARE(window.currentPage(), MainWindow::Overview);

    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), MainWindow::Backends);
    QTest::keyClick(&window, Qt::Key_7, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), MainWindow::Settings);
    QCOMPARE(window.sidebar()->currentRow(), int(MainWindow::Settings));
    window.sidebar()->setCurrentRow(MainWindow::Traffic); // a click on the sidebar
    QCOMPARE(window.currentPage(), MainWindow::Traffic);
    for (int page = 0; page < MainWindow::PageCount; ++page)
        QVERIFY(!window.page(static_cast<MainWindow::Page>(page))->accessibleName().isEmpty());
}

void TestUiMainWindow::statusLineCountsRequestsAndTokens()
{
    MainWindow window(m_context);
    const QString address = u"127.0.0.1:%1"_s.arg(m_port);
    QTRY_VERIFY(window.statusLine()->text().contains(address));
    QVERIFY2(window.statusLine()->text().contains(u"running"_s), qPrintable(window.statusLine()->text()));
    QVERIFY(window.statusLine()->text().contains(u"0 requests"_s));

    // Two requests reported by the gateway, as its workers report them (a queued signal from the
    // gateway thread). Sending real requests is the Console suite's job.
    telemetry::TrafficRecord first;
    first.started = QDateTime::currentDateTime();
    first.status = 200;
    first.tokens.input = 12;
    first.tokens.output = 30;
    telemetry::TrafficRecord second = first;
    second.tokens.input = 1000;
    second.tokens.output = 2;
    QMetaObject::invokeMethod(m_gateway.get(), [&] { Q_EMIT m_gateway->trafficRecorded(first); }, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_gateway.get(), [&] { Q_EMIT m_gateway->trafficRecorded(second); }, Qt::QueuedConnection);

    QTRY_VERIFY2(window.statusLine()->text().contains(u"2 requests"_s), qPrintable(window.statusLine()->text()));
    // The Overview's log has each request's line, as `quarry serve` prints it.
    auto *log = window.page(MainWindow::Overview)->findChild<GatewayLog *>();
    QVERIFY(log);
    QVERIFY2(log->text().contains(first.toLogLine()), qPrintable(log->text()));
    QVERIFY2(log->text().contains(second.toLogLine()), qPrintable(log->text()));
    const QLocale locale; // thousands separators follow the user's locale
    QVERIFY2(window.statusLine()->text().contains(u"tokens in %1 / out 32"_s.arg(locale.toString(1012))),
             qPrintable(window.statusLine()->text()));

    m_gateway->stop();
    QTRY_VERIFY(window.statusLine()->text().contains(u"stopped"_s));
    QVERIFY(window.statusLine()->text().contains(address)); // the address stays visible
    QTRY_VERIFY2(log->text().endsWith(u" stopped"_s), qPrintable(log->text()));
}

// Start/Stop, the address with its port, a way to change the port and the live log on one page.
void TestUiMainWindow::overviewHasTheListenerItsPortAndTheLog()
{
    MainWindow window(m_context);
    QWidget *overview = window.page(MainWindow::Overview);
    QVERIFY(overview->findChild<GatewayLog *>());
    // The gateway was running before the window was built, as the app starts it: the log says so.
    const QString logText = overview->findChild<GatewayLog *>()->text();
    QVERIFY2(logText.endsWith(u"listening on http://127.0.0.1:%1"_s.arg(m_port)), qPrintable(logText));
    QPushButton *port = nullptr;
    for (QPushButton *button : overview->findChildren<QPushButton *>()) {
        if (button->accessibleName() == u"Change the listener's port"_s)
            port = button;
    }
    QVERIFY(port);
    window.showPage(MainWindow::Overview);
    port->click();
    QCOMPARE(window.currentPage(), MainWindow::Settings);

    // A log keeps its newest MaxLines lines.
    GatewayLog log(nullptr);
    for (int line = 1; line <= GatewayLog::MaxLines + 10; ++line)
        log.append(u"line %1"_s.arg(line));
    const QStringList lines = log.text().split(u'\n');
    QCOMPARE(lines.size(), GatewayLog::MaxLines);
    QCOMPARE(lines.first(), u"line 11"_s);
}

void TestUiMainWindow::simulatorBannerLeadsToCredentials()
{
    MainWindow window(m_context);
    window.show();
    auto *overview = qobject_cast<OverviewPage *>(window.page(MainWindow::Overview));
    QVERIFY(overview);
    QTRY_VERIFY(overview->bannerText().contains(u"simulator"_s));
    QPushButton *fix = nullptr;
    for (auto *button : overview->findChildren<QPushButton *>()) {
        if (button->accessibleName() == u"Add credentials"_s)
            fix = button;
    }
    QVERIFY(fix && fix->isVisible());
    QTest::mouseClick(fix, Qt::LeftButton);
    QCOMPARE(window.currentPage(), MainWindow::Credentials);
}

void TestUiMainWindow::overviewSnippetsPointAtTheRoute()
{
    MainWindow window(m_context);
    auto *overview = window.page(MainWindow::Overview);
    const QString base = u"http://localhost:%1/bedrock"_s.arg(m_port);
    QPlainTextEdit *python = nullptr;
    QTRY_VERIFY([&] {
        for (auto *edit : overview->findChildren<QPlainTextEdit *>()) {
            if (edit->accessibleName() == u"OpenAI Python snippet"_s)
                python = edit;
        }
        return python && python->toPlainText().contains(base);
    }());
    QVERIFY(python->toPlainText().contains(u"OpenAI(base_url=\"%1\", api_key=\"unused\")"_s.arg(base)));
    // The backend's own model, which answers whatever a request names, not an empty string.
    const QString model = m_store->snapshot().backends.first().provider->bedrock.model;
    QVERIFY(!model.isEmpty());
    QVERIFY2(python->toPlainText().contains(u"model=\"%1\""_s.arg(model)), qPrintable(python->toPlainText()));
    QPushButton *copyEnv = nullptr;
    for (auto *button : overview->findChildren<QPushButton *>()) {
        if (button->accessibleName() == u"Copy Environment snippet"_s)
            copyEnv = button;
    }
    QVERIFY(copyEnv);
    QApplication::clipboard()->setText(u"left over from before"_s);
    copyEnv->click();
    // The offscreen platform has a working clipboard: a Copy button that copies nothing fails here.
    const QString copied = QApplication::clipboard()->text();
    QVERIFY2(copied.contains(u"OPENAI_BASE_URL=%1"_s.arg(base)), qPrintable(copied));
    QVERIFY(copied.contains(u"OPENAI_API_KEY=unused"_s));
    // Claude Code and the Anthropic SDKs, Claude Code's Bedrock mode, the AWS SDKs.
    for (const QString &variable : {u"ANTHROPIC_BASE_URL"_s, u"ANTHROPIC_BEDROCK_BASE_URL"_s,
                                    u"AWS_ENDPOINT_URL_BEDROCK_RUNTIME"_s})
        QVERIFY2(copied.contains(u"export %1=%2\n"_s.arg(variable, base)) ||
                     copied.endsWith(u"export %1=%2"_s.arg(variable, base)),
                 qPrintable(copied));
    QVERIFY(copied.contains(u"CLAUDE_CODE_USE_BEDROCK=1"_s));
}

void TestUiMainWindow::routeToAMissingBackendSaysBackendNotFound()
{
    const auto route = config::parseManifests(R"(apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: broken
spec:
  parentRefs:
  - name: agentgateway
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /broken
    backendRefs:
    - name: nowhere
)"_ba);
    QVERIFY(route.ok());
    QVERIFY(m_store->apply(*route).ok()); // as `quarry apply` in a terminal would
    MainWindow window(m_context);
    auto *overview = qobject_cast<OverviewPage *>(window.page(MainWindow::Overview));
    auto *routes = overview->findChild<QTreeWidget *>();
    QVERIFY(routes);
    const auto rowFor = [routes](const QString &name) -> QTreeWidgetItem * {
        for (int i = 0; i < routes->topLevelItemCount(); ++i) {
            if (routes->topLevelItem(i)->text(0) == name)
                return routes->topLevelItem(i);
        }
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(u"broken"_s) != nullptr, 10000); // the gateway picked up the file
    QCOMPARE(rowFor(u"broken"_s)->text(5), u"backend not found"_s);
    QVERIFY(rowFor(u"bedrock"_s)->text(5) != u"backend not found"_s); // exists, only lacks a secret
    const QString banner = overview->bannerText();
    QVERIFY2(banner.contains(u"backend agentgateway-system/nowhere not found"_s), qPrintable(banner));

    QVERIFY(m_store->remove(config::ResourceKind::HttpRoute, config::kDefaultNamespace, u"broken"_s).ok());
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(u"broken"_s) == nullptr, 10000);
    QVERIFY(!overview->bannerText().contains(u"not found"_s));
}

void TestUiMainWindow::keychainUnavailableBannerRetries()
{
    MainWindow window(m_context);
    auto *overview = qobject_cast<OverviewPage *>(window.page(MainWindow::Overview));
    auto *credentials = qobject_cast<CredentialsPage *>(window.page(MainWindow::Credentials));
    QVERIFY(overview && credentials && credentials->keychainBanner());
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->keychainState(), gateway::GatewayController::KeychainState::Unavailable, 10000);
    const QString expected = u"Keychain locked or unavailable: "_s;
    QTRY_VERIFY2(overview->keychainBanner()->text().startsWith(expected), qPrintable(overview->keychainBanner()->text()));
    QString problem = m_gateway->keychainProblem();
    while (problem.endsWith(u'.'))
        problem.chop(1);
    QVERIFY(!problem.isEmpty());
    QVERIFY2(overview->keychainBanner()->text().startsWith(expected + problem), qPrintable(overview->keychainBanner()->text()));
    QVERIFY(!overview->keychainBanner()->retryButton()->isHidden());
    QVERIFY(credentials->keychainBanner()->text().startsWith(expected));

    // Retry asks the gateway to read the keychain again.
    QSignalSpy notices(m_gateway.get(), &gateway::GatewayController::notice);
    QTest::mouseClick(overview->keychainBanner()->retryButton(), Qt::LeftButton);
    QTRY_VERIFY(std::any_of(notices.cbegin(), notices.cend(), [](const QList<QVariant> &args) {
        return args.first().toString().contains(u"reading the keychain again"_s);
    }));
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->keychainState(), gateway::GatewayController::KeychainState::Unavailable, 10000);
}

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        qFatal("no free port");
    return probe.serverPort();
}

QString labelTextContaining(QWidget *page, const QString &needle)
{
    for (auto *label : page->findChildren<QLabel *>()) {
        if (label->text().contains(needle))
            return label->text();
    }
    return {};
}

} // namespace

void TestUiMainWindow::settingsMoveTheListenerThroughTheGatewayResource()
{
    // A gateway of its own, listening where its Gateway resource says (no override).
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok());
    config::Gateway resource = store.snapshot().gateways.first();
    const quint16 first = freePort();
    resource.listeners.first().port = first;
    // A backend that needs no keychain: this suite's own gateway already holds it (one keychain
    // user per process is what QtKeychain copes with; see issue 8, item 2).
    config::AiBackend backend = store.snapshot().backends.first();
    backend.policies.auth = {config::BackendAuth::Kind::DefaultChain, {}, {}};
    QVERIFY(store.apply({config::Resource{resource, {}}, config::Resource{backend, {}}}).ok());
    gateway::GatewayOptions options;
    options.configDir = dir.path();
    options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
    options.environment = QProcessEnvironment();
    gateway::GatewayController gateway(options);
    gateway.start();
    const QString firstAddress = u"127.0.0.1:%1"_s.arg(first);
    QTRY_COMPARE_WITH_TIMEOUT(gateway.address(), firstAddress, 10000);
    UiContext context{&gateway, &store, m_secrets.get(), dir.path()};
    MainWindow window(context);
    auto *settings = qobject_cast<SettingsPage *>(window.page(MainWindow::Settings));
    auto *overview = window.page(MainWindow::Overview);
    QVERIFY(settings);
    QSpinBox *port = nullptr;
    for (auto *spin : settings->findChildren<QSpinBox *>()) {
        if (spin->accessibleName() == u"Listener port"_s)
            port = spin;
    }
    QVERIFY(port);
    QCOMPARE(port->value(), int(first)); // read from the Gateway resource

    // A free port: "Restarting…" until the gateway reports it, then everything shows the new one.
    const quint16 second = freePort();
    const QString secondAddress = u"127.0.0.1:%1"_s.arg(second);
    port->setValue(second);
    QVERIFY(settings->applyListener());
    QCOMPARE(store.snapshot().gateways.first().port(), int(second)); // `quarry get gateways` agrees
    QTRY_COMPARE_WITH_TIMEOUT(settings->listenerMessage(), u"Listening on %1."_s.arg(secondAddress), 10000);
    QCOMPARE(gateway.address(), secondAddress);
    QTRY_VERIFY2(window.statusLine()->text().contains(secondAddress), qPrintable(window.statusLine()->text()));
    QTRY_VERIFY(!labelTextContaining(overview, u"Listening on <b>http://%1</b>"_s.arg(secondAddress)).isEmpty());
    bool snippetsFollow = false;
    for (auto *edit : overview->findChildren<QPlainTextEdit *>())
        snippetsFollow = snippetsFollow || edit->toPlainText().contains(u"http://localhost:%1/bedrock"_s.arg(second));
    QVERIFY(snippetsFollow);
    // The port is no longer kept in QSettings.
    for (const QString &key : QSettings().allKeys())
        QVERIFY2(!key.startsWith(u"listener"_s), qPrintable(key));

    // A port in use: the old listener keeps serving, the page says why, and nothing moves.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const QString busy = u"127.0.0.1:%1"_s.arg(squatter.serverPort());
    port->setValue(squatter.serverPort());
    QVERIFY(settings->applyListener());
    QVERIFY2(settings->listenerMessage().startsWith(u"Restarting the listener on %1"_s.arg(busy)),
             qPrintable(settings->listenerMessage()));
    QTRY_VERIFY_WITH_TIMEOUT(settings->listenerMessage().startsWith(u"Could not listen on %1"_s.arg(busy)), 10000);
    QVERIFY2(settings->listenerMessage().contains(u"Still listening on %1."_s.arg(secondAddress)),
             qPrintable(settings->listenerMessage()));
    QCOMPARE(gateway.state(), gateway::GatewayController::State::Running);
    QCOMPARE(gateway.address(), secondAddress);
    QVERIFY(window.statusLine()->text().contains(secondAddress));
    QVERIFY(!window.statusLine()->text().contains(busy));
    QCOMPARE(store.snapshot().gateways.first().port(), int(second)); // put back
    QTRY_COMPARE(port->value(), int(second));

    // The old port again: nothing to restart, and the page says where it listens.
    QVERIFY(settings->applyListener());
    QCOMPARE(settings->listenerMessage(), u"Listening on %1."_s.arg(secondAddress));

    // Then a free port, straight after the failure: the earlier problem is not this one's.
    const quint16 third = freePort();
    const QString thirdAddress = u"127.0.0.1:%1"_s.arg(third);
    port->setValue(third);
    QVERIFY(settings->applyListener());
    QTRY_COMPARE_WITH_TIMEOUT(settings->listenerMessage(), u"Listening on %1."_s.arg(thirdAddress), 10000);
    QCOMPARE(gateway.address(), thirdAddress);
    QCOMPARE(store.snapshot().gateways.first().port(), int(third));
}

// The status line says who answers: the suite's gateway has no credentials, so the simulator; a
// gateway that never simulates talks to Bedrock; a stopped one names no mode.
void TestUiMainWindow::statusLineNamesTheMode()
{
    {
        MainWindow window(m_context);
        QTRY_VERIFY2(window.statusLine()->text().contains(u"\u00b7 Simulator \u00b7"_s),
                     qPrintable(window.statusLine()->text()));
        QVERIFY(!window.statusLine()->text().contains(u"Bedrock"_s));
    }
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok());
    // No keychain for this gateway (the suite's gateway already uses it; see issue 8, item 2).
    config::AiBackend backend = store.snapshot().backends.first();
    backend.policies.auth = {config::BackendAuth::Kind::DefaultChain, {}, {}};
    QVERIFY(store.apply({config::Resource{backend, {}}}).ok());
    gateway::GatewayOptions options;
    options.configDir = dir.path();
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0;
    options.simulation = gateway::GatewayOptions::Simulation::Off;
    options.environment = QProcessEnvironment();
    gateway::GatewayController gateway(options);
    UiContext context{&gateway, &store, m_secrets.get(), dir.path()};
    MainWindow window(context);
    QVERIFY(!window.statusLine()->text().contains(u"Bedrock"_s)); // stopped: no one answers
    QVERIFY(!window.statusLine()->text().contains(u"Simulator"_s));
    gateway.start();
    QTRY_VERIFY2_WITH_TIMEOUT(window.statusLine()->text().contains(u"\u00b7 Bedrock \u00b7"_s),
                              qPrintable(window.statusLine()->text()), 10000);
    QVERIFY(!window.statusLine()->text().contains(u"Simulator"_s));
}

void TestUiMainWindow::focusTheConsolePrompt(MainWindow &window, QPlainTextEdit **prompt)
{
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.showPage(MainWindow::Console);
    *prompt = window.page(MainWindow::Console)->findChild<QPlainTextEdit *>(u"prompt"_s);
    QVERIFY(*prompt);
    (*prompt)->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), *prompt);
}

// Ctrl+K, from anywhere (here: typing a prompt in the Console), opens Traffic with the keyboard in
// its search box and the previous search selected, so typing replaces it.
void TestUiMainWindow::ctrlKSearchesTraffic()
{
    MainWindow window(m_context);
    QPlainTextEdit *prompt = nullptr;
    focusTheConsolePrompt(window, &prompt);
    if (QTest::currentTestFailed())
        return;
    auto *search = window.page(MainWindow::Traffic)->findChild<QLineEdit *>(u"textFilter"_s);
    QVERIFY(search);
    search->setText(u"old search"_s);

    QTest::keyClick(prompt, Qt::Key_K, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), MainWindow::Traffic);
    QCOMPARE(window.sidebar()->currentRow(), int(MainWindow::Traffic));
    QTRY_COMPARE(QApplication::focusWidget(), search);
    QCOMPARE(search->selectedText(), u"old search"_s);
    QVERIFY(prompt->toPlainText().isEmpty()); // the key went to the shortcut, not into the prompt
}

// Ctrl+number from a half-typed prompt: the keyboard moves to the sidebar (with its focus edge),
// so the next keystroke changes no editor on the page shown, nor the prompt left behind.
void TestUiMainWindow::pageShortcutsLeaveTheKeyboardOnTheSidebar()
{
    MainWindow window(m_context);
    QPlainTextEdit *prompt = nullptr;
    focusTheConsolePrompt(window, &prompt);
    if (QTest::currentTestFailed())
        return;
    QTest::keyClicks(prompt, u"half"_s);

    for (const MainWindow::Page page : {MainWindow::Backends, MainWindow::Routes, MainWindow::Credentials}) {
        QWidget *shown = window.page(page);
        QMap<QObject *, QString> texts; // every editor's text on the page shown
        for (auto *edit : shown->findChildren<QPlainTextEdit *>())
            texts.insert(edit, edit->toPlainText());
        for (auto *edit : shown->findChildren<QLineEdit *>())
            texts.insert(edit, edit->text());
        QTest::keyClick(QApplication::focusWidget(), static_cast<Qt::Key>(Qt::Key_1 + int(page)), Qt::ControlModifier);
        QCOMPARE(window.currentPage(), page);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(window.sidebar()));
        QTest::keyClicks(QApplication::focusWidget(), u"zq"_s);
        for (auto *edit : shown->findChildren<QPlainTextEdit *>())
            QCOMPARE(edit->toPlainText(), texts.value(edit));
        for (auto *edit : shown->findChildren<QLineEdit *>())
            QCOMPARE(edit->text(), texts.value(edit));
    }
    QCOMPARE(prompt->toPlainText(), u"half"_s);
}

// Size, position and page survive a restart (QSettings in this suite's temporary directory).
void TestUiMainWindow::geometryRemembered()
{
    QPoint position;
    {
        MainWindow window(m_context);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setGeometry(100, 120, 1234, 777);
        QTRY_COMPARE(window.size(), QSize(1234, 777));
        window.move(140, 160);
        QTRY_COMPARE(window.pos(), QPoint(140, 160));
        position = window.pos();
        window.showPage(MainWindow::Traffic);
        window.close();
    }
    {
        MainWindow again(m_context);
        QCOMPARE(again.size(), QSize(1234, 777)); // not the 1100x720 default
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.pos(), position);
        QCOMPARE(again.currentPage(), MainWindow::Traffic);
        QCOMPARE(again.sidebar()->currentRow(), int(MainWindow::Traffic));
        again.showPage(MainWindow::Overview); // the later tests start where a first start does
        again.close();
    }
    MainWindow third(m_context);
    QCOMPARE(third.currentPage(), MainWindow::Overview);
}

// Help → About Quarry opens one box with the build's version; closing it deletes it.
void TestUiMainWindow::helpAboutShowsVersion()
{
    MainWindow window(m_context);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const auto menus = window.menuBar()->findChildren<QMenu *>();
    const auto help = std::find_if(menus.begin(), menus.end(),
                                   [](QMenu *menu) { return menu->title() == u"&Help"_s; });
    QVERIFY(help != menus.end());
    QVERIFY((*help)->actions().contains(window.aboutAction()));
    QCOMPARE(window.aboutAction()->text(), u"&About Quarry"_s);

    window.aboutAction()->trigger();
    QPointer<AboutDialog> dialog = window.aboutDialog();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QVERIFY(dialog->heading()->text().contains(u"Quarry " QUARRY_VERSION ""_s));
    window.aboutAction()->trigger(); // a second click raises the same box
    QCOMPARE(window.aboutDialog(), dialog.data());
    dialog->close();
    QTRY_VERIFY(!dialog);
}

// The menu bar has what a desktop app's has: File → Quit (Ctrl+Q) and the listener's Start and
// Stop, the same actions as the tray menu's.
void TestUiMainWindow::menusQuitAndDriveTheGateway()
{
    MainWindow window(m_context);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList titles;
    for (QAction *menu : window.menuBar()->actions())
        titles.append(menu->text());
    QCOMPARE(titles, (QStringList{u"&File"_s, u"&Gateway"_s, u"&Help"_s}));
    QCOMPARE(window.menuBar()->actions().at(0)->menu()->actions(), QList<QAction *>{window.quitAction()});
    const QList<QAction *> gatewayMenu = window.menuBar()->actions().at(1)->menu()->actions();
    QAction *start = window.gatewayActions()->start();
    QAction *stop = window.gatewayActions()->stop();
    QCOMPARE(gatewayMenu, (QList<QAction *>{start, stop}));

    QTRY_VERIFY(stop->isEnabled());
    QVERIFY(!start->isEnabled());
    stop->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), gateway::GatewayController::State::Stopped, 10000);
    QTRY_VERIFY(start->isEnabled());
    QVERIFY(!stop->isEnabled());
    start->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), gateway::GatewayController::State::Running, 10000);
    QTRY_VERIFY(stop->isEnabled());
    m_port = m_gateway->address().section(u':', -1).toUShort(); // port 0: the restart may pick another

    QCOMPARE(window.quitAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q)); // Cmd+Q on macOS
    QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
    QTRY_VERIFY(!window.isVisible());
}

QTEST_MAIN(TestUiMainWindow)
#include "tst_ui_mainwindow.moc"
