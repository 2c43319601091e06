// Tests for ConfigStore: first-run defaults, apply/remove persisted atomically, live reload.
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"

#include "TestSupport.h"

#include <QFile>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace quarry::config;

class TestConfigStore : public QObject
{
    Q_OBJECT

private:
    static QList<Resource> manifests(const QByteArray &yaml)
    {
        const auto result = parseManifests(yaml);
        return result.ok() ? result.value() : QList<Resource>{};
    }
    static QByteArray readFile(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
    static void writeExternally(const QString &path, const QByteArray &bytes)
    {
        QSaveFile file(path); // another process replaces the file the same way
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        QVERIFY(file.commit());
    }
    static const QByteArray kClaudeBackend;

private slots:
    void missingFileGivesFirstRunDefaults()
    {
        QTemporaryDir dir;
        ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        const ResourceSet set = store.snapshot();
        QCOMPARE(set.gateways.size(), 1);
        QCOMPARE(set.gateways.first().meta.name, u"agentgateway"_s);
        QCOMPARE(set.gateways.first().port(), 8080);
        QCOMPARE(set.gateways.first().bindAddress(), u"127.0.0.1"_s);
        QCOMPARE(set.backends.size(), 1);
        QCOMPARE(set.backends.first().meta.name, u"bedrock"_s);
        QCOMPARE(set.backends.first().provider->bedrock.model, u"amazon.titan-text-lite-v1"_s);
        QCOMPARE(set.backends.first().provider->bedrock.region, u"us-east-1"_s);
        QCOMPARE(set.backends.first().policies.auth.kind, BackendAuth::Kind::SecretRef);
        QCOMPARE(set.backends.first().policies.auth.secretName, u"bedrock-secret"_s);
        QCOMPARE(set.routes.size(), 1);
        const RouteRule &rule = set.routes.first().rules.first();
        QCOMPARE(rule.matches.first().path.value, u"/bedrock"_s);
        QCOMPARE(rule.backendRefs.first().name, u"bedrock"_s);
        QCOMPARE(rule.backendRefs.first().kind, u"AgentgatewayBackend"_s);
        QCOMPARE(set.routes.first().parentRefs.first().name, u"agentgateway"_s);
        QVERIFY(!QFile::exists(store.filePath())); // nothing written until something is applied
    }

    void seedManifestsReplaceTheDefaults()
    {
        QTemporaryDir dir;
        ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        QVERIFY(store.apply(manifests(quarry::test::readData(u"config/seed-backend-v2.1.yaml"_s))).ok());
        QCOMPARE(store.snapshot().backends.size(), 1); // same (namespace, name): updated in place
    }

    void applyThenReloadFromDisk()
    {
        QTemporaryDir dir;
        ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        QSignalSpy changed(&store, &ConfigStore::changed);
        const auto status = store.apply(manifests(kClaudeBackend));
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(status.error()));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(store.snapshot().backends.size(), 2);

        ConfigStore reopened(dir.path());
        QVERIFY(reopened.load().ok());
        QVERIFY(reopened.snapshot() == store.snapshot());
        QCOMPARE(reopened.snapshot().backends.at(1).provider->bedrock.region, u"us-west-2"_s);
    }

    void secretsAreNeverWritten()
    {
        QTemporaryDir dir;
        ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        const QByteArray yaml = quarry::test::readData(u"config/seed-secret-apikey.yaml"_s) + "---\n"_ba
                                + kClaudeBackend;
        QVERIFY(store.apply(manifests(yaml)).ok());
        const QByteArray onDisk = readFile(store.filePath());
        QVERIFY(onDisk.contains("claude"));
        QVERIFY(!onDisk.contains("BEDROCK_API_KEY"));
        QVERIFY(!onDisk.contains("kind: Secret"));
    }

    void invalidApplyChangesNothing()
    {
        QTemporaryDir dir;
        ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        QVERIFY(store.apply(manifests(kClaudeBackend)).ok());
        const QByteArray before = readFile(store.filePath());
        const ResourceSet snapshot = store.snapshot();

        // Built in code (as the GUI would) with a region the CRD pattern rejects.
        AiBackend bad = snapshot.backends.first();
        bad.provider->bedrock.region = u"US EAST"_s;
        QSignalSpy changed(&store, &ConfigStore::changed);
        const auto status = store.apply({Resource{bad, {}}});
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(u"spec.ai.provider.bedrock.region"_s), qPrintable(status.error()));
        QCOMPARE(readFile(store.filePath()), before);
        QVERIFY(store.snapshot() == snapshot);
        QCOMPARE(changed.size(), 0);
    }

    void failedWriteChangesNothing()
    {
        QTemporaryDir dir;
        const QString notADirectory = dir.filePath(u"file"_s);
        {
            QFile file(notADirectory);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        ConfigStore store(notADirectory);
        store.load(); // defaults; the directory can't be created
        const ResourceSet before = store.snapshot();
        QVERIFY(!store.apply(manifests(kClaudeBackend)).ok());
        QVERIFY(store.snapshot() == before);
    }

    void externalRewriteIsPickedUp()
    {
        QTemporaryDir dir;
        ConfigStore serving(dir.path());
        QVERIFY(serving.load().ok());
        QVERIFY(serving.apply({}).ok());
        QSignalSpy changed(&serving, &ConfigStore::changed);
        QSignalSpy failed(&serving, &ConfigStore::loadFailed);

        ConfigStore cli(dir.path()); // `quarry apply` in another process
        QVERIFY(cli.load().ok());
        QVERIFY(cli.apply(manifests(kClaudeBackend)).ok());

        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(serving.snapshot().backends.size(), 2);
        QCOMPARE(serving.snapshot().backends.at(1).meta.name, u"claude"_s);

        // And again: the watch survives the rename that replaced the file.
        QVERIFY(cli.remove(ResourceKind::Backend, kDefaultNamespace, u"claude"_s).ok());
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 5000);
        QCOMPARE(serving.snapshot().backends.size(), 1);
    }

    void invalidExternalRewriteKeepsOldConfig()
    {
        QTemporaryDir dir;
        ConfigStore serving(dir.path());
        QVERIFY(serving.load().ok());
        QVERIFY(serving.apply(manifests(kClaudeBackend)).ok());
        const ResourceSet before = serving.snapshot();
        QSignalSpy changed(&serving, &ConfigStore::changed);
        QSignalSpy failed(&serving, &ConfigStore::loadFailed);

        QByteArray broken = readFile(serving.filePath());
        broken.replace("region: us-west-2", "regoin: us-west-2");
        writeExternally(serving.filePath(), broken);

        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
        QVERIFY2(failed.first().first().toString().contains(u"unknown field \"spec.ai.provider.bedrock.regoin\""_s),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(changed.size(), 0);
        QVERIFY(serving.snapshot() == before);
    }

    void removeAndNotFound()
    {
        QTemporaryDir dir;
        ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        QVERIFY(store.remove(ResourceKind::HttpRoute, u"agentgateway-system"_s, u"bedrock"_s).ok());
        QCOMPARE(store.snapshot().routes.size(), 0);
        ConfigStore reopened(dir.path());
        QVERIFY(reopened.load().ok());
        QCOMPARE(reopened.snapshot().routes.size(), 0);
        QCOMPARE(reopened.snapshot().backends.size(), 1);

        const auto missing = store.remove(ResourceKind::Backend, kDefaultNamespace, u"x"_s);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error(), u"backends \"x\" not found"_s);
    }

    void invalidFileFailsLoad()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(u"resources.yaml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: v1\nkind: Nope\n");
        file.close();
        ConfigStore store(dir.path());
        const auto status = store.load();
        QVERIFY(!status.ok());
        QVERIFY(status.error().contains(u"resources.yaml"_s));
    }

    void defaultConfigDirHonoursEnvironment()
    {
        qputenv("QUARRY_CONFIG_DIR", "/tmp/quarry-test-config");
        QCOMPARE(ConfigStore::defaultConfigDir(), u"/tmp/quarry-test-config"_s);
        qunsetenv("QUARRY_CONFIG_DIR");
        QVERIFY(!ConfigStore::defaultConfigDir().isEmpty());
    }
};

const QByteArray TestConfigStore::kClaudeBackend =
    "apiVersion: agentgateway.dev/v1alpha1\nkind: AgentgatewayBackend\nmetadata:\n  name: claude\n"
    "spec:\n  ai:\n    provider:\n      bedrock:\n        model: us.anthropic.claude-sonnet-4-20250514-v1:0\n"
    "        region: us-west-2\n"_ba;

QTEST_GUILESS_MAIN(TestConfigStore)
#include "tst_config_store.moc"
