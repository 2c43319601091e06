// Settings > Client keys and Allowed web origins as a user drives them against a running gateway:
// Create shows the key once (then only its fingerprint is listed), the key is in the keychain and
// the gateway requires it at once, the window's own console keeps working, Revoke stops the key;
// origins typed in and applied restart the listener, which then lets that page's origin in.
#include "TestSupport.h"
#include "UiContext.h"
#include "client/ChatClient.h"
#include "config/ConfigStore.h"
#include "gateway/GatewayController.h"
#include "pages/SettingsClientKeys.h"
#include "pages/SettingsPage.h"
#include "secrets/BlockingSecrets.h"
#include "secrets/ClientKeyCatalog.h"
#include "secrets/InMemorySecretStore.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;

namespace {

constexpr int kDeadlineMs = 10000;
const QByteArray kChat = R"({"model":"","messages":[{"role":"user","content":"hi"}]})";

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QPushButton *button(QWidget &parent, const QString &text)
{
    for (QPushButton *b : parent.findChildren<QPushButton *>()) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

} // namespace

class TestUiSettingsClientKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void createShowsTheKeyOnceAndTheGatewayRequiresIt();
    void revokeStopsTheKey();
    void allowedOriginsReachTheListener();

private:
    int post(const QList<QPair<QByteArray, QByteArray>> &headers);
    QString createKeyInThePage(SettingsPage &page, const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    std::unique_ptr<config::ConfigStore> m_store;
    std::unique_ptr<secrets::InMemorySecretStore> m_secrets;
    UiContext m_context;
    quint16 m_port = 0;
    QNetworkAccessManager m_network;
};

void TestUiSettingsClientKeys::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
    m_port = freePort();
    gateway::GatewayOptions options;
    options.configDir = m_dir->path();
    options.environment = QProcessEnvironment();
    options.simulation = gateway::GatewayOptions::Simulation::On;
    options.listenAddress = QHostAddress::LocalHost;
    options.listenPort = m_port;
    m_gateway = std::make_unique<gateway::GatewayController>(options);
    m_store = std::make_unique<config::ConfigStore>(m_dir->path());
    QVERIFY(m_store->load().ok());
    m_secrets = std::make_unique<secrets::InMemorySecretStore>();
    m_context = UiContext{m_gateway.get(), m_store.get(), m_secrets.get(), m_dir->path()};
    m_gateway->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->state(), gateway::GatewayController::State::Running, kDeadlineMs);
}

void TestUiSettingsClientKeys::cleanup()
{
    m_gateway.reset();
    m_store.reset();
    m_secrets.reset();
    m_dir.reset();
}

int TestUiSettingsClientKeys::post(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/bedrock"_s.arg(m_port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setTransferTimeout(kDeadlineMs);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    std::unique_ptr<QNetworkReply> reply(m_network.post(request, kChat));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(kDeadlineMs + 1000))
        return 0;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QString TestUiSettingsClientKeys::createKeyInThePage(SettingsPage &page, const QString &name)
{
    auto *nameField = page.findChild<QLineEdit *>();
    for (QLineEdit *field : page.findChildren<QLineEdit *>()) {
        if (field->accessibleName() == u"New client key name"_s)
            nameField = field;
    }
    QTest::keyClicks(nameField, name);
    QTest::mouseClick(button(page, u"Create &key"_s), Qt::LeftButton);
    QDeadlineTimer deadline(kDeadlineMs);
    while (page.clientKeys()->shownKey().isEmpty() && !page.clientKeys()->message().startsWith(u"Not"_s) &&
           !deadline.hasExpired())
        QTest::qWait(20);
    return page.clientKeys()->shownKey();
}

void TestUiSettingsClientKeys::createShowsTheKeyOnceAndTheGatewayRequiresIt()
{
    QCOMPARE(post({}), 200); // no keys yet, loopback: open
    SettingsPage page(m_context);
    page.show();
    const QString key = createKeyInThePage(page, u"laptop"_s);
    QVERIFY2(key.startsWith(u"qk_"_s), qPrintable(page.clientKeys()->message()));
    QVERIFY(page.clientKeys()->message().contains(u"shown only this once"_s));

    // The list shows the name and the fingerprint, never the key.
    auto *list = page.findChild<QTreeWidget *>();
    QCOMPARE(list->topLevelItemCount(), 1);
    QCOMPARE(list->topLevelItem(0)->text(0), u"laptop"_s);
    QCOMPARE(list->topLevelItem(0)->text(2), secrets::clientkey::fingerprintOf(key.toLatin1()));
    for (int column = 0; column < list->columnCount(); ++column)
        QVERIFY(!list->topLevelItem(0)->text(column).contains(key));

    // The keychain holds it.
    const auto stored = secrets::readBlocking(*m_secrets, secrets::ClientKeyCatalog::keychainId(u"laptop"_s));
    QCOMPARE(stored.outcome, secrets::ReadResult::Outcome::Found);
    QCOMPARE(stored.data.value(u"key"_s), key.toLatin1());

    // Leaving the page ends "shown once".
    page.hide();
    QVERIFY(page.clientKeys()->shownKey().isEmpty());
    page.show();
    QVERIFY(page.clientKeys()->shownKey().isEmpty());
    for (QLineEdit *field : page.findChildren<QLineEdit *>())
        QVERIFY2(!field->text().contains(key), qPrintable(field->accessibleName()));

    // The running gateway requires it now.
    QTRY_COMPARE_WITH_TIMEOUT(post({}), 401, kDeadlineMs);
    QCOMPARE(post({{"x-api-key", key.toLatin1()}}), 200);

    // The console's client presents the window's session key and still gets through.
    client::ChatClient console;
    console.setClientKey(m_gateway->sessionKey());
    QSignalSpy finished(&console, &client::ChatClient::finished);
    client::ChatRequest request;
    request.url = QUrl(u"http://127.0.0.1:%1/bedrock"_s.arg(m_port));
    request.messages = {{u"user"_s, u"hi"_s, {}}};
    request.stream = false;
    console.send(request);
    QVERIFY(finished.wait(kDeadlineMs));
    QCOMPARE(finished.first().first().value<client::ChatOutcome>().status, 200);
}

void TestUiSettingsClientKeys::revokeStopsTheKey()
{
    SettingsPage page(m_context);
    page.show();
    const QString kept = createKeyInThePage(page, u"kept"_s);
    const QString revoked = createKeyInThePage(page, u"revoked"_s);
    QVERIFY(!kept.isEmpty() && !revoked.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(post({{"x-api-key", revoked.toLatin1()}}), 200, kDeadlineMs);

    auto *list = page.findChild<QTreeWidget *>();
    const auto found = list->findItems(u"revoked"_s, Qt::MatchExactly);
    QCOMPARE(found.size(), 1);
    list->setCurrentItem(found.first());
    QTest::mouseClick(button(page, u"Re&voke"_s), Qt::LeftButton);
    QCOMPARE(list->topLevelItemCount(), 1);
    QCOMPARE(list->topLevelItem(0)->text(0), u"kept"_s);
    QTRY_COMPARE_WITH_TIMEOUT(post({{"x-api-key", revoked.toLatin1()}}), 401, kDeadlineMs);
    QCOMPARE(post({{"x-api-key", kept.toLatin1()}}), 200);
    QTRY_COMPARE_WITH_TIMEOUT(
        secrets::readBlocking(*m_secrets, secrets::ClientKeyCatalog::keychainId(u"revoked"_s)).outcome,
        secrets::ReadResult::Outcome::NotFound, kDeadlineMs);
}

void TestUiSettingsClientKeys::allowedOriginsReachTheListener()
{
    const QList<QPair<QByteArray, QByteArray>> fromPage{{"Origin", "http://localhost:3000"}};
    QCOMPARE(post(fromPage), 403);
    SettingsPage page(m_context);
    page.show();
    auto *origins = page.findChild<QPlainTextEdit *>();
    QVERIFY(origins);

    origins->setPlainText(u"http://localhost:3000/app"_s); // a path never matches what browsers send
    QVERIFY(!page.applyOrigins());
    QVERIFY(page.originsMessage().contains(u"not an origin"_s));

    origins->setPlainText(u"http://localhost:3000,\nhttps://tools.example:8443"_s);
    QTest::mouseClick(button(page, u"Apply &origins and restart listener"_s), Qt::LeftButton);
    QVERIFY2(page.originsMessage().contains(u"2 origin(s)"_s), qPrintable(page.originsMessage()));
    QTRY_COMPARE_WITH_TIMEOUT(post(fromPage), 200, kDeadlineMs);
    QCOMPARE(post({{"Origin", "http://localhost:4000"}}), 403);
    // Saved for the next start of the window.
    QCOMPARE(QSettings().value(u"gateway/allowedOrigins"_s).toStringList(),
             QStringList({u"http://localhost:3000"_s, u"https://tools.example:8443"_s}));
}

QUARRY_TEST_MAIN(TestUiSettingsClientKeys)
#include "tst_ui_settings_clientkeys.moc"
