// The Credentials page stores values only through the SecretStore and lists only key names.
#include "pages/CredentialsPage.h"
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
