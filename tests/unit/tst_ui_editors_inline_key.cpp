// The window's Backends editor with an inline API key pasted as YAML: Save moves the key to the
// secret store (as `quarry apply` does, through ConfigStore), resources.yaml and the YAML pane
// show the reference afterwards, and with no keychain the Save fails and writes nothing.
#include "TestSupport.h"

#include "config/ConfigStore.h"
#include "config/InlineKeys.h"
#include "editors/BackendForm.h"
#include "editors/ResourceBrowser.h"
#include "editors/ResourceEditor.h"
#include "secrets/BlockingSecrets.h"
#include "secrets/InMemorySecretStore.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;

namespace {

const QString kKey = u"bedrock-api-key-value"_s; // in tests/data/secret-values.txt

const QString kBackend =
    u"apiVersion: agentgateway.dev/v1alpha1\nkind: AgentgatewayBackend\nmetadata:\n"
    "  name: pasted\n  namespace: agentgateway-system\nspec:\n  ai:\n    provider:\n"
    "      bedrock:\n        region: us-east-1\n  policies:\n    auth:\n      key: %1\n"_s.arg(kKey);

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Pastes the backend into the YAML pane of a new draft and waits until the editor has parsed it.
bool paste(ResourceBrowser &backends)
{
    backends.newResource();
    backends.editor()->yamlView()->setPlainText(kBackend);
    return QTest::qWaitFor([&backends] { return backends.editor()->resource().has_value(); }, 5000);
}

} // namespace

class TestUiEditorsInlineKey : public QObject
{
    Q_OBJECT

private slots:
    void saveMovesThePastedKeyToTheKeychain()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore keychain;
        config::ConfigStore store(dir.path());
        store.setSecretStore(&keychain);
        QVERIFY(store.load().ok());
        ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
        QVERIFY(paste(backends));
        // A form edit after the paste keeps the key (the pane is the user's own text until Save).
        QLineEdit *model = nullptr;
        for (auto *edit : backends.editor()->form()->findChildren<QLineEdit *>())
            model = edit->accessibleName() == u"Model"_s ? edit : model;
        QVERIFY(model);
        model->setFocus();
        QTest::keyClicks(model, u"amazon.titan-text-lite-v1"_s);
        QTRY_VERIFY_WITH_TIMEOUT(backends.editor()->resource().has_value(), 5000);
        QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));

        QVERIFY(!readFile(store.filePath()).contains(kKey.toUtf8()));
        QVERIFY(readFile(store.filePath()).contains("pasted-inline-key"));
        const auto stored =
            secrets::readBlocking(keychain, {u"agentgateway-system"_s, u"pasted-inline-key"_s});
        QCOMPARE(stored.data.value(config::InlineKeys::kSecretKey), kKey.toUtf8());
        QCOMPARE(store.snapshot().backends.last().provider->bedrock.model, u"amazon.titan-text-lite-v1"_s);
        // What the window shows now is the stored resource: the reference, not the key.
        QTRY_VERIFY_WITH_TIMEOUT(!backends.editor()->yamlView()->toPlainText().contains(kKey), 5000);
        QVERIFY(backends.editor()->yamlView()->toPlainText().contains(u"pasted-inline-key"_s));
    }

    void saveWithoutKeychainFailsAndWritesNothing()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore keychain;
        keychain.setFailure(u"the OS keychain did not answer"_s);
        config::ConfigStore store(dir.path());
        store.setSecretStore(&keychain);
        QVERIFY(store.load().ok());
        ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
        QVERIFY(paste(backends));
        QVERIFY(!backends.save());
        QVERIFY2(backends.statusLabel()->text().contains(u"keychain"_s),
                 qPrintable(backends.statusLabel()->text()));
        QVERIFY(!QFile::exists(store.filePath()));
        QCOMPARE(keychain.size(), 0);
    }
};

QUARRY_TEST_MAIN(TestUiEditorsInlineKey)
#include "tst_ui_editors_inline_key.moc"
