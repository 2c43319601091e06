// The Credentials page stores values only through the SecretStore and lists only key names; its
// Test says which endpoint answered and never calls a simulator answer a credential check.
#include "gateway/GatewayController.h"
#include "pages/CredentialsPage.h"
#include "simulator/BedrockSimulator.h"
#include "secrets/InMemorySecretStore.h"
#include "secrets/SecretCatalog.h"

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;

namespace {

// Made-up values in the shape of AWS's documented example keys.
const QString kAccessKey = u"AKIAIOSFODNN7EXAMPLE"_s;
const QString kSecretKey = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s;
const QString kApiKey = u"bedrock-api-key-for-the-test"_s;

// Backend "bedrock" names a secret nobody created (the simulator answers for it); backend "real"
// takes a Bedrock API key from the environment and goes to a Bedrock endpoint (a BedrockSimulator
// standing in for AWS, at a host override); route /broken names a backend that does not exist.
QByteArray testConfig(quint16 bedrockPort)
{
    return QStringLiteral(R"(apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: agentgateway
spec:
  gatewayClassName: agentgateway
  listeners:
  - name: http
    port: 8080
    protocol: HTTP
---
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: bedrock
spec:
  ai:
    provider:
      bedrock:
        model: amazon.titan-text-lite-v1
        region: us-east-1
  policies:
    auth:
      secretRef:
        name: bedrock-secret
---
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: real
spec:
  ai:
    provider:
      bedrock:
        model: amazon.titan-text-lite-v1
        region: us-east-1
      host: 127.0.0.1
      port: %1
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bedrock
spec:
  parentRefs:
  - name: agentgateway
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /bedrock
    backendRefs:
    - name: bedrock
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: real
spec:
  parentRefs:
  - name: agentgateway
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /real
    backendRefs:
    - name: real
---
apiVersion: gateway.networking.k8s.io/v1
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
)").arg(bedrockPort).toUtf8();
}

int rowOf(QTableWidget *table, const QString &backend)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0) && table->item(row, 0)->text() == backend)
            return row;
    }
    return -1;
}

} // namespace

class TestUiCredentials : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void savesAwsKeysToTheStoreAndOnlyNamesToTheCatalog()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore store;
        ui::UiContext context{nullptr, nullptr, &store, dir.path()};
        ui::CredentialsPage page(context);
        page.findChild<QLineEdit *>(u"secretName"_s)->setText(u"bedrock-secret"_s);
        auto *secretKey = page.findChild<QLineEdit *>(u"secretKey"_s);
        QCOMPARE(secretKey->echoMode(), QLineEdit::Password); // masked by default
        QTest::keyClicks(page.findChild<QLineEdit *>(u"accessKey"_s), kAccessKey);
        QTest::keyClicks(secretKey, kSecretKey);
        page.findChild<QCheckBox *>(u"reveal"_s)->setChecked(true);
        QCOMPARE(secretKey->echoMode(), QLineEdit::Normal);

        QSignalSpy saved(&page, &ui::CredentialsPage::saveFinished);
        QTest::mouseClick(page.findChild<QPushButton *>(u"save"_s), Qt::LeftButton);
        QVERIFY(saved.wait(5000));
        QVERIFY2(saved.first().first().toBool(), qPrintable(saved.first().at(1).toString()));

        // The value went into the store...
        bool read = false;
        store.read({u"agentgateway-system"_s, u"bedrock-secret"_s}, [&](secrets::ReadResult result) {
            QCOMPARE(result.outcome, secrets::ReadResult::Outcome::Found);
            QCOMPARE(result.data.value(u"accessKey"_s), kAccessKey.toUtf8());
            QCOMPARE(result.data.value(u"secretKey"_s), kSecretKey.toUtf8());
            QVERIFY(!result.data.contains(u"sessionToken"_s)); // left empty: not stored
            read = true;
        });
        QTRY_VERIFY(read);

        // ...and the catalog (and the list on screen) hold its key names only.
        const auto entry = secrets::SecretCatalog(dir.path()).find({u"agentgateway-system"_s, u"bedrock-secret"_s});
        QVERIFY(entry.has_value());
        QCOMPARE(entry->keys, (QStringList{u"accessKey"_s, u"secretKey"_s}));
        QFile catalog(secrets::SecretCatalog(dir.path()).filePath());
        QVERIFY(catalog.open(QIODevice::ReadOnly));
        const QByteArray onDisk = catalog.readAll();
        QVERIFY(!onDisk.contains(kAccessKey.toUtf8()));
        QVERIFY(!onDisk.contains(kSecretKey.toUtf8()));
        auto *list = page.findChild<QTableWidget *>(u"secrets"_s);
        QCOMPARE(list->rowCount(), 1);
        QCOMPARE(list->item(0, 0)->text(), u"agentgateway-system/bedrock-secret"_s);
        QCOMPARE(list->item(0, 1)->text(), u"accessKey, secretKey"_s);
        // The form forgets the values once they are stored, and masks again.
        QVERIFY(secretKey->text().isEmpty());
        QCOMPARE(secretKey->echoMode(), QLineEdit::Password);
        // Selected, it offers to replace the values it holds, and only those.
        list->selectRow(0);
        QCOMPARE(secretKey->placeholderText(), u"enter the new value"_s);
        QCOMPARE(page.findChild<QLineEdit *>(u"accessKey"_s)->placeholderText(), u"enter the new value"_s);
        QCOMPARE(page.findChild<QLineEdit *>(u"sessionToken"_s)->placeholderText(), QString());
    }

    // Saving from the keyboard leaves the keyboard on Save (disabled while the keychain writes,
    // which moved it to the next button), ready for the next action.
    void keyboardStaysOnSaveAndNewGoesToName()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore store;
        ui::UiContext context{nullptr, nullptr, &store, dir.path()};
        ui::CredentialsPage page(context);
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.findChild<QLineEdit *>(u"secretName"_s)->setText(u"bedrock-secret"_s);
        page.findChild<QLineEdit *>(u"accessKey"_s)->setText(kAccessKey);
        page.findChild<QLineEdit *>(u"secretKey"_s)->setText(kSecretKey);
        auto *save = page.findChild<QPushButton *>(u"save"_s);
        save->setFocus();
        QSignalSpy saved(&page, &ui::CredentialsPage::saveFinished);
        QTest::keyClick(save, Qt::Key_Space);
        QVERIFY(saved.wait(5000));
        QVERIFY2(saved.first().first().toBool(), qPrintable(saved.first().at(1).toString()));
        QVERIFY2(save->hasFocus(), QApplication::focusWidget() ? qPrintable(QApplication::focusWidget()->objectName()) : "no focus");

        // New puts the keyboard in Name, its text selected: typing replaces the last name.
        auto *name = page.findChild<QLineEdit *>(u"secretName"_s);
        QTest::mouseClick(page.findChild<QPushButton *>(u"newSecret"_s), Qt::LeftButton);
        QVERIFY(name->hasFocus());
        QTest::keyClicks(QApplication::focusWidget(), u"second"_s);
        QCOMPARE(name->text(), u"second"_s);
    }

    void savesABedrockApiKeyAsAuthorization()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore store;
        ui::UiContext context{nullptr, nullptr, &store, dir.path()};
        ui::CredentialsPage page(context);
        page.findChild<QLineEdit *>(u"secretName"_s)->setText(u"api-key"_s);
        QTest::mouseClick(page.findChild<QRadioButton *>(u"apiKeyKind"_s), Qt::LeftButton);
        page.findChild<QLineEdit *>(u"apiKey"_s)->setText(u"bedrock-api-key-example"_s);
        QSignalSpy saved(&page, &ui::CredentialsPage::saveFinished);
        page.save();
        QVERIFY(saved.wait(5000));
        const auto entry = secrets::SecretCatalog(dir.path()).find({u"agentgateway-system"_s, u"api-key"_s});
        QVERIFY(entry.has_value());
        QCOMPARE(entry->keys, QStringList{u"Authorization"_s});
    }

    void keychainFailureIsShownAndNothingIsListed()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore store;
        store.setFailure(u"no OS keychain is available (no Secret Service on the session bus)"_s);
        ui::UiContext context{nullptr, nullptr, &store, dir.path()};
        ui::CredentialsPage page(context);
        page.findChild<QLineEdit *>(u"secretName"_s)->setText(u"bedrock-secret"_s);
        page.findChild<QLineEdit *>(u"accessKey"_s)->setText(kAccessKey);
        page.findChild<QLineEdit *>(u"secretKey"_s)->setText(kSecretKey);
        QSignalSpy saved(&page, &ui::CredentialsPage::saveFinished);
        page.save();
        QVERIFY(saved.wait(5000));
        QVERIFY(!saved.first().first().toBool());
        const QString message = page.findChild<QLabel *>(u"message"_s)->text();
        QVERIFY2(message.contains(u"no OS keychain is available"_s), qPrintable(message));
        QVERIFY(!message.contains(kSecretKey));
        QCOMPARE(store.size(), 0);
        QVERIFY(secrets::SecretCatalog(dir.path()).entries().isEmpty());
        QVERIFY(!QFile::exists(secrets::SecretCatalog(dir.path()).filePath()));
        // The values stay in the form so the user can retry.
        QCOMPARE(page.findChild<QLineEdit *>(u"secretKey"_s)->text(), kSecretKey);
    }

    // A gateway with one simulated backend, one that goes to "Bedrock", and a route to nothing.
    void testSaysWhichEndpointAnswered()
    {
        // No Secret Service, whatever the machine has: "bedrock"'s secret cannot be read, so the
        // simulator answers for it.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/quarry-test-bus");
        QTemporaryDir dir;
        bedrock::BedrockSimulator aws; // stands in for Amazon Bedrock: the gateway sees an endpoint
        aws.addApiKey(kApiKey);
        QVERIFY(aws.listen().ok());
        QFile config(dir.filePath(u"resources.yaml"_s));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(testConfig(aws.port()));
        config.close();

        gateway::GatewayOptions options;
        options.configDir = dir.path();
        options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
        options.listenAddress = QHostAddress(QHostAddress::LocalHost);
        options.listenPort = 0;
        options.environment = QProcessEnvironment();
        options.environment.insert(u"AWS_BEARER_TOKEN_BEDROCK"_s, kApiKey);
        gateway::GatewayController gateway(options);
        gateway.start();
        QTRY_COMPARE_WITH_TIMEOUT(gateway.state(), gateway::GatewayController::State::Running, 20000);
        secrets::InMemorySecretStore store;
        ui::UiContext context{&gateway, nullptr, &store, dir.path()};
        ui::CredentialsPage page(context);
        auto *backends = page.findChild<QTableWidget *>(u"backends"_s);
        const QString simulated = u"agentgateway-system/bedrock"_s, real = u"agentgateway-system/real"_s;
        QTRY_VERIFY(rowOf(backends, real) >= 0);
        // The form offers the secret "bedrock" references and nobody created, ready to fill in
        // (a name shown only as grey placeholder text would fail Save).
        QCOMPARE(page.findChild<QLineEdit *>(u"secretName"_s)->text(), u"bedrock-secret"_s);
        QCOMPARE(page.findChild<QLineEdit *>(u"secretNamespace"_s)->text(), u"agentgateway-system"_s);

        // The backend whose secret does not exist: the simulator answers, and that is no check.
        QSignalSpy tested(&page, &ui::CredentialsPage::testFinished);
        page.testBackend(simulated);
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.first().at(0).toString(), simulated);
        QVERIFY(!tested.first().at(1).toBool());
        QCOMPARE(tested.first().at(2).toString(), u"The simulator answered — no AWS credentials were checked."_s);
        const QString simulatedResult = backends->item(rowOf(backends, simulated), 5)->text();
        QVERIFY2(!simulatedResult.startsWith(u"OK"_s), qPrintable(simulatedResult));

        // The backend with credentials: the Bedrock endpoint accepted them, and the page says so.
        tested.clear();
        page.testBackend(real);
        QVERIFY(tested.wait(20000));
        QVERIFY2(tested.first().at(1).toBool(), qPrintable(tested.first().at(2).toString()));
        QCOMPARE(backends->item(rowOf(backends, real), 5)->text(),
                 u"OK — Amazon Bedrock accepted backend agentgateway-system/real's credentials (HTTP 200)."_s);

        // The route to a backend that does not exist: "backend not found", not a credentials problem.
        const int missing = rowOf(backends, u"agentgateway-system/nowhere"_s);
        QVERIFY(missing >= 0);
        QVERIFY2(backends->item(missing, 2)->text().startsWith(u"backend not found"_s),
                 qPrintable(backends->item(missing, 2)->text()));
        QVERIFY(!backends->item(missing, 2)->text().contains(u"credentials"_s));
    }

    void incompleteFormIsRefusedWithoutTouchingTheStore()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore store;
        ui::UiContext context{nullptr, nullptr, &store, dir.path()};
        ui::CredentialsPage page(context);
        page.findChild<QLineEdit *>(u"secretName"_s)->setText(u"bedrock-secret"_s);
        page.findChild<QLineEdit *>(u"accessKey"_s)->setText(kAccessKey);
        page.save();
        QTest::qWait(50);
        QVERIFY(page.findChild<QLabel *>(u"message"_s)->text().contains(u"secret access key"_s));
        QCOMPARE(store.size(), 0);
    }
};

QTEST_MAIN(TestUiCredentials)
#include "tst_ui_credentials.moc"
