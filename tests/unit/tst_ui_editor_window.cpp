// The Backends form inside the window, with a running gateway (simulator): "New secret…" opens the
// Credentials page with the name filled in, and the model picker lists what the gateway's
// /v1/models returns (ListFoundationModels / ListInferenceProfiles, here answered by the simulator).
#include "TestSupport.h"

#include "MainWindow.h"
#include "UiContext.h"
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "editors/BackendForm.h"
#include "editors/Picker.h"
#include "editors/ResourceBrowser.h"
#include "editors/ResourceEditor.h"
#include "gateway/GatewayController.h"
#include "pages/BackendsPage.h"
#include "pages/CredentialsPage.h"
#include "secrets/InMemorySecretStore.h"

#include "FormFields.h"

#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;
using quarry::test::field;

class TestUiEditorWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void newSecretOpensCredentialsWithTheName();
    void modelPickerListsWhatTheGatewayLists();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<gateway::GatewayController> m_gateway;
    std::unique_ptr<config::ConfigStore> m_store;
    std::unique_ptr<secrets::InMemorySecretStore> m_secrets;
    UiContext m_context;
};

void TestUiEditorWindow::initTestCase()
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/quarry-test-bus"); // no keychain: simulator
    m_dir = std::make_unique<QTemporaryDir>();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
    m_store = std::make_unique<config::ConfigStore>(m_dir->path());
    QVERIFY(m_store->load().ok()); // defaults: route /bedrock -> backend bedrock
    // The seed's backend without a fixed model, so /v1/models lists the Region's models.
    QByteArray manifest = test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s);
    manifest.replace("        model: \"amazon.titan-text-lite-v1\"\n", "");
    const auto parsed = config::parseManifests(manifest);
    QVERIFY(parsed.ok());
    QVERIFY(m_store->apply(*parsed).ok());

    gateway::GatewayOptions options;
    options.configDir = m_dir->path();
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0;
    options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
    options.environment = QProcessEnvironment();
    m_gateway = std::make_unique<gateway::GatewayController>(options);
    m_secrets = std::make_unique<secrets::InMemorySecretStore>();
    m_context = UiContext{m_gateway.get(), m_store.get(), m_secrets.get(), m_dir->path()};
    m_gateway->start();
    QTRY_VERIFY2_WITH_TIMEOUT(m_gateway->state() == gateway::GatewayController::State::Running,
                              qPrintable(m_gateway->lastError()), 10000);
}

void TestUiEditorWindow::cleanupTestCase()
{
    m_gateway.reset();
    m_store.reset();
    m_secrets.reset();
    m_dir.reset();
}

void TestUiEditorWindow::newSecretOpensCredentialsWithTheName()
{
    MainWindow window(m_context);
    window.show();
    auto *backends = qobject_cast<BackendsPage *>(window.page(MainWindow::Backends));
    QVERIFY(backends);
    window.showPage(MainWindow::Backends);
    QWidget *form = backends->browser()->editor()->form();
    auto *secret = field<Picker>(form, u"Secret name"_s);
    secret->setText(u"team-key"_s);
    const int newEntry = secret->count() - 1;
    secret->setCurrentIndex(newEntry);
    Q_EMIT secret->activated(newEntry);

    QCOMPARE(window.currentPage(), MainWindow::Credentials);
    QWidget *credentials = window.page(MainWindow::Credentials);
    QCOMPARE(field<QLineEdit>(credentials, u"Secret name"_s)->text(), u"team-key"_s);
    QCOMPARE(field<QLineEdit>(credentials, u"Secret namespace"_s)->text(), u"agentgateway-system"_s);
}

void TestUiEditorWindow::modelPickerListsWhatTheGatewayLists()
{
    MainWindow window(m_context);
    auto *backends = qobject_cast<BackendsPage *>(window.page(MainWindow::Backends));
    QVERIFY(backends);
    auto *model = field<Picker>(backends->browser()->editor()->form(), u"Model"_s);
    window.show();
    window.showPage(MainWindow::Backends);
    model->showPopup(); // the user opens the list
    // An inference profile: the simulator lists it, the offline (price table) list does not.
    QTRY_VERIFY2_WITH_TIMEOUT(model->choices().contains(u"us.anthropic.claude-3-7-sonnet-20250219-v1:0"_s),
                              qPrintable(model->toolTip()), 10000);
    QVERIFY2(model->toolTip().contains(u"listed by Bedrock"_s), qPrintable(model->toolTip()));
    QVERIFY(model->text().isEmpty()); // listing never changes what the backend says
}

QTEST_MAIN(TestUiEditorWindow)
#include "tst_ui_editor_window.moc"
