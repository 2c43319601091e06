// Tests for the Export dialog: the preview is what `quarry export` writes for the chosen target and
// secrets mode, it follows config changes, and Save… writes exactly the preview.
#include "TestSupport.h"

#include "ExportDialog.h"
#include "UiContext.h"
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;

class TestUiExport : public QObject
{
    Q_OBJECT

private slots:
    void previewFollowsTargetSecretsAndNamespace()
    {
        QTemporaryDir dir;
        config::ConfigStore store(dir.path());
        QVERIFY(store.load().ok()); // the first-run defaults: the seed's Gateway, backend and route
        ui::UiContext context{nullptr, &store, nullptr, dir.path()};
        ui::ExportDialog dialog(context);

        QString text = dialog.preview()->toPlainText();
        QVERIFY(text.contains(u"apiVersion: agentgateway.dev/v1alpha1\nkind: AgentgatewayBackend"_s));
        QVERIFY(text.contains(u"kind: Secret"_s));
        QVERIFY(!text.contains(u"127.0.0.1\n"_s.prepend(u"value: "_s))); // the bind address is left out
        QVERIFY(dialog.summary()->text().contains(u"left out"_s));

        dialog.target()->setCurrentIndex(dialog.target()->findData(u"kgateway-v2.1"_s));
        text = dialog.preview()->toPlainText();
        QVERIFY(text.contains(u"kind: Backend\n"_s));
        QVERIFY(text.contains(u"type: AI"_s));

        dialog.secrets()->setCurrentIndex(dialog.secrets()->findData(u"kubectl"_s));
        dialog.ns()->setText(u"team-a"_s);
        text = dialog.preview()->toPlainText();
        QVERIFY(!text.contains(u"kind: Secret"_s));
        QVERIFY(text.contains(u"# kubectl create secret generic bedrock-secret -n team-a"_s));
        QVERIFY(!text.contains(u"namespace: agentgateway-system"_s));

        dialog.ns()->setText(u"Not A Namespace"_s);
        QVERIFY(dialog.summary()->text().contains(u"is not a namespace name"_s));
        QVERIFY(dialog.preview()->toPlainText().contains(u"namespace: agentgateway-system"_s));
    }

    void previewFollowsConfigChangesAndSaves()
    {
        QTemporaryDir dir;
        config::ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        ui::UiContext context{nullptr, &store, nullptr, dir.path()};
        ui::ExportDialog dialog(context);
        QVERIFY(!dialog.preview()->toPlainText().contains(u"name: claude"_s));

        const auto added = config::parseManifests("apiVersion: agentgateway.dev/v1alpha1\n"
                                                  "kind: AgentgatewayBackend\nmetadata: {name: claude}\n"
                                                  "spec: {ai: {provider: {bedrock: {region: us-west-2}}}}\n");
        QVERIFY(added.ok());
        QVERIFY(store.apply(*added).ok());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.preview()->toPlainText().contains(u"name: claude"_s), 5000);

        const QString path = dir.filePath(u"export.yaml"_s);
        QVERIFY(dialog.saveTo(path));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(saved.readAll()), dialog.preview()->toPlainText());
    }
};

QUARRY_TEST_MAIN(TestUiExport)
#include "tst_ui_export.moc"
