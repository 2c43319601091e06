// The Credentials page against the real OS keychain while the gateway runs on its own thread, as
// the window has them: saving and removing a secret over and over never crashes, and each change
// is really in (or really gone from) the keychain. Opt-in, because it needs a keychain:
//   tests/keychain/run-with-keychain.sh env QUARRY_TEST_KEYCHAIN=1 QT_QPA_PLATFORM=offscreen
//       <build>/tests/tst_ui_credentials_keychain
#include "config/ConfigStore.h"
#include "gateway/GatewayController.h"
#include "simulator/BedrockSimulator.h"
#include "pages/CredentialsPage.h"
#include "secrets/BlockingSecrets.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretCatalog.h"

#include "Confirmations.h"
#include "TestSupport.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;

namespace {

// Made-up values in the shape of AWS's documented example keys.
const QString kAccessKey = u"AKIAIOSFODNN7EXAMPLE"_s;
const QString kSecretKey = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s;
// The secret the first-run config's backend uses, so the gateway reads it after every change.
const secrets::SecretId kId{u"agentgateway-system"_s, u"bedrock-secret"_s};

// libsecret's own CLI, not our code, says whether the item is in the keychain. Its output (the
// secret) is read into memory and compared, never printed.
std::optional<QByteArray> lookUpWithSecretTool()
{
    QProcess lookup;
    lookup.start(
        QStandardPaths::findExecutable(u"secret-tool"_s),
        {u"lookup"_s, u"server"_s, u"Quarry"_s, u"user"_s, secrets::KeychainSecretStore::itemKey(kId)});
    if (!lookup.waitForFinished(10000) || lookup.exitStatus() != QProcess::NormalExit)
        return QByteArray("<secret-tool did not finish>");
    if (lookup.exitCode() != 0)
        return std::nullopt; // not found
    return lookup.readAllStandardOutput();
}

QPushButton *buttonNamed(QWidget &parent, const QString &accessibleName)
{
    const auto buttons = parent.findChildren<QPushButton *>();
    for (QPushButton *button : buttons) {
        if (button->accessibleName() == accessibleName)
            return button;
    }
    return nullptr;
}

} // namespace

class TestUiCredentialsKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saveAndRemoveTwentyTimesWithTheGatewayRunning();
    void savedKeySignsTheNextRequest();
};

void TestUiCredentialsKeychain::saveAndRemoveTwentyTimesWithTheGatewayRunning()
{
    QUARRY_REQUIRE(qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") == u"1"_s,
                   "a real keychain; run: tests/keychain/run-with-keychain.sh env QUARRY_TEST_KEYCHAIN=1 "
                   "<build>/tests/tst_ui_credentials_keychain");
    QVERIFY2(!QStandardPaths::findExecutable(u"secret-tool"_s).isEmpty(),
             "secret-tool not found (apt install libsecret-tools; ./dev deps installs it)");

    // As app/GuiCommand.cpp sets them up, with a throwaway config dir.
    QTemporaryDir dir;
    gateway::GatewayOptions options;
    options.configDir = dir.path();
    options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0;
    gateway::GatewayController gateway(options);
    config::ConfigStore config(dir.path());
    QVERIFY(config.load().ok());
    secrets::KeychainSecretStore keychain;
    ui::UiContext context{&gateway, &config, &keychain, dir.path()};
    gateway.start();
    QTRY_COMPARE_WITH_TIMEOUT(gateway.state(), gateway::GatewayController::State::Running, 20000);

    ui::CredentialsPage page(context);
    page.resize(900, 600);
    page.show();
    auto *name = page.findChild<QLineEdit *>(u"secretName"_s);
    auto *accessKey = page.findChild<QLineEdit *>(u"accessKey"_s);
    auto *secretKey = page.findChild<QLineEdit *>(u"secretKey"_s);
    auto *save = page.findChild<QPushButton *>(u"save"_s);
    auto *list = page.findChild<QTableWidget *>(u"secrets"_s);
    auto *message = page.findChild<QLabel *>(u"message"_s);
    QPushButton *remove = buttonNamed(page, u"Remove secret"_s);
    QVERIFY(name && accessKey && secretKey && save && list && message && remove);
    QSignalSpy saved(&page, &ui::CredentialsPage::saveFinished);

    for (int round = 1; round <= 20; ++round) {
        const QString roundSecret = kSecretKey + QString::number(round); // each save really changes it
        name->setText(kId.name);
        QTest::keyClicks(accessKey, kAccessKey);
        QTest::keyClicks(secretKey, roundSecret);
        saved.clear();
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 15000);
        QVERIFY2(saved.first().first().toBool(),
                 qPrintable(u"round %1: %2"_s.arg(round).arg(saved.first().at(1).toString())));

        const auto stored = lookUpWithSecretTool();
        QVERIFY2(stored.has_value(), qPrintable(u"round %1: not in the keychain after Save"_s.arg(round)));
        QVERIFY2(stored->contains(roundSecret.toUtf8()) && stored->contains(kAccessKey.toUtf8()),
                 qPrintable(u"round %1: the keychain holds something else than was saved"_s.arg(round)));
        const secrets::ReadResult read = secrets::readBlocking(keychain, kId);
        QCOMPARE(read.outcome, secrets::ReadResult::Outcome::Found);
        QVERIFY(read.data.value(u"secretKey"_s) == roundSecret.toUtf8());

        QTRY_COMPARE(list->rowCount(), 1);
        list->selectRow(0);
        if (round == 1) { // Cancel keeps the secret
            const auto asked = test::answerConfirmation(u"confirmRemoveSecret"_s, QMessageBox::Cancel);
            QTest::mouseClick(remove, Qt::LeftButton);
            QVERIFY2(*asked, "Remove did not ask first");
            QCOMPARE(list->rowCount(), 1);
            QVERIFY(lookUpWithSecretTool().has_value());
        }
        const auto asked = test::answerConfirmation(u"confirmRemoveSecret"_s, QMessageBox::Yes);
        QTest::mouseClick(remove, Qt::LeftButton);
        QVERIFY(*asked);
        // The page has no removeFinished signal; it says "Removed …" and empties the list.
        QTRY_VERIFY2_WITH_TIMEOUT(message->text().startsWith(u"Removed "_s),
                                  qPrintable(u"round %1: %2"_s.arg(round).arg(message->text())), 15000);
        QCOMPARE(list->rowCount(), 0);
        QVERIFY2(!lookUpWithSecretTool().has_value(),
                 qPrintable(u"round %1: still in the keychain after Remove"_s.arg(round)));
        QVERIFY(!secrets::SecretCatalog(dir.path()).find(kId).has_value());
        QCOMPARE(gateway.state(), gateway::GatewayController::State::Running);
    }
    gateway.stop();
    QTRY_COMPARE_WITH_TIMEOUT(gateway.state(), gateway::GatewayController::State::Stopped, 10000);
}

// The whole way a user's key takes: typed into the window, stored in the keychain, read by the
// gateway, and used to sign the next request, which a stand-in for Bedrock that knows only that
// key accepts. Before the save and after the removal the simulator answers instead.
void TestUiCredentialsKeychain::savedKeySignsTheNextRequest()
{
    QUARRY_REQUIRE(qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") == u"1"_s,
                   "a real keychain; run: tests/keychain/run-with-keychain.sh env QUARRY_TEST_KEYCHAIN=1 "
                   "<build>/tests/tst_ui_credentials_keychain");
    bedrock::BedrockSimulator bedrock; // plays Amazon Bedrock for this one identity
    bedrock.addIdentity(kAccessKey, kSecretKey);
    QVERIFY(bedrock.listen().ok());

    QTemporaryDir dir;
    config::ConfigStore config(dir.path());
    QVERIFY(config.load().ok());
    config::AiBackend backend = config.snapshot().backends.first(); // secretRef bedrock-secret
    backend.provider->host = u"127.0.0.1"_s;
    backend.provider->port = bedrock.port();
    QVERIFY(config.apply({config::Resource{backend, {}}}).ok());
    gateway::GatewayOptions options;
    options.configDir = dir.path();
    options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;
    options.listenAddress = QHostAddress(QHostAddress::LocalHost);
    options.listenPort = 0;
    gateway::GatewayController gateway(options);
    secrets::KeychainSecretStore keychain;
    ui::UiContext context{&gateway, &config, &keychain, dir.path()};
    gateway.start();
    QTRY_COMPARE_WITH_TIMEOUT(gateway.state(), gateway::GatewayController::State::Running, 20000);

    QNetworkAccessManager network;
    const auto answeredBy = [&network, &gateway]() -> QByteArray {
        QNetworkRequest request(QUrl(u"http://"_s + gateway.address() + u"/bedrock"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        std::unique_ptr<QNetworkReply> reply(
            network.post(request, R"({"model":"","messages":[{"role":"user","content":"who answers?"}]})"));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!finished.wait(15000))
            return QByteArray("no answer");
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        return QByteArray::number(status) + QByteArray(" ") + reply->rawHeader("x-quarry-upstream");
    };
    QTRY_COMPARE_WITH_TIMEOUT(answeredBy(), QByteArray("200 simulator"), 10000);

    ui::CredentialsPage page(context);
    page.show();
    auto *name = page.findChild<QLineEdit *>(u"secretName"_s);
    auto *accessKey = page.findChild<QLineEdit *>(u"accessKey"_s);
    auto *secretKey = page.findChild<QLineEdit *>(u"secretKey"_s);
    auto *save = page.findChild<QPushButton *>(u"save"_s);
    auto *list = page.findChild<QTableWidget *>(u"secrets"_s);
    QPushButton *remove = buttonNamed(page, u"Remove secret"_s);
    QVERIFY(name && accessKey && secretKey && save && list && remove);
    QSignalSpy saved(&page, &ui::CredentialsPage::saveFinished);
    name->setText(kId.name);
    QTest::keyClicks(accessKey, kAccessKey);
    QTest::keyClicks(secretKey, kSecretKey);
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 15000);
    QVERIFY(saved.first().first().toBool());
    // Only the saved key opens the stand-in: a 200 from it proves the gateway signed with it.
    QTRY_COMPARE_WITH_TIMEOUT(answeredBy(), QByteArray("200 bedrock"), 10000);

    QTRY_COMPARE(list->rowCount(), 1);
    list->selectRow(0);
    test::answerConfirmation(u"confirmRemoveSecret"_s, QMessageBox::Yes);
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(answeredBy(), QByteArray("200 simulator"), 10000);
}

QUARRY_TEST_MAIN(TestUiCredentialsKeychain)
#include "tst_ui_credentials_keychain.moc"
