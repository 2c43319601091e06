// Tests for ConfigStore: first-run defaults, apply/remove persisted atomically, live reload,
// read-modify-write from disk under the cross-process lock, owner-only modes.
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "util/ConfigDirLock.h"

#include "TestSupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSaveFile>
#include <QSysInfo>
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
    static QFile::Permissions modeOf(const QString &path)
    {
        // The owner bits only: QFile also reports ReadUser etc. for the current user.
        constexpr QFile::Permissions kModeBits =
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::WriteGroup |
            QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
        return QFile::permissions(path) & kModeBits;
    }
    static QByteArray route(const QString &name)
    {
        return u"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: %1\n"
               u"spec:\n  parentRefs:\n  - name: agentgateway\n  rules:\n  - matches:\n    - path:\n"
               u"        type: PathPrefix\n        value: /%1\n    backendRefs:\n    - name: bedrock\n"
               u"      group: gateway.kgateway.dev\n      kind: AgentgatewayBackend\n"_s.arg(name)
            .toUtf8();
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

    // The user hand-edited resources.yaml into something that does not load while the window had
    // the old configuration in memory: saving in the window must not replace their file.
    void applyOverBrokenFileIsRefused()
    {
        QTemporaryDir dir;
        ConfigStore window(dir.path());
        QVERIFY(window.load().ok());
        QVERIFY(window.apply(manifests(kClaudeBackend)).ok());
        QByteArray broken = readFile(window.filePath());
        broken.replace("region: us-west-2", "regoin: us-west-2");
        writeExternally(window.filePath(), broken);

        const auto applied = window.apply(manifests(route(u"extra"_s)));
        QVERIFY(!applied.ok());
        QVERIFY2(applied.error().contains(window.filePath()), qPrintable(applied.error()));
        QVERIFY2(applied.error().contains(u"unknown field \"spec.ai.provider.bedrock.regoin\""_s),
                 qPrintable(applied.error()));
        QCOMPARE(readFile(window.filePath()), broken);

        const auto removed = window.remove(ResourceKind::Backend, kDefaultNamespace, u"bedrock"_s);
        QVERIFY(!removed.ok());
        QVERIFY2(removed.error().contains(u"regoin"_s), qPrintable(removed.error()));
        QCOMPARE(readFile(window.filePath()), broken);
    }

    // Loaded, then another writer (`quarry apply`, a text editor) changed the file, then applied:
    // the other change is still there afterwards.
    void changeOnDiskSinceLoadIsKept()
    {
        QTemporaryDir dir;
        ConfigStore window(dir.path());
        QVERIFY(window.load().ok());
        QVERIFY(window.apply(manifests(route(u"first"_s))).ok());

        ConfigStore cli(dir.path());
        QVERIFY(cli.load().ok());
        QVERIFY(cli.apply(manifests(route(u"from-cli"_s))).ok());
        QByteArray edited = readFile(window.filePath());
        edited.replace("value: /first", "value: /edited-by-hand");
        writeExternally(window.filePath(), edited);

        // No event loop ran: the window's snapshot still is the set it loaded.
        QCOMPARE(window.snapshot().routes.size(), 2);
        QVERIFY(window.apply(manifests(kClaudeBackend)).ok());
        ConfigStore reopened(dir.path());
        QVERIFY(reopened.load().ok());
        const ResourceSet set = reopened.snapshot();
        QCOMPARE(set.backends.size(), 2);
        QStringList routes;
        for (const HttpRoute &r : set.routes)
            routes.append(r.meta.name + u'=' + r.rules.first().matches.first().path.value);
        QCOMPARE(routes, (QStringList{u"bedrock=/bedrock"_s, u"first=/edited-by-hand"_s, u"from-cli=/from-cli"_s}));
        QVERIFY(window.snapshot() == set); // and the window now shows what is on disk

        // remove() too starts from the disk: it neither restores nor misses the other writer's route.
        QVERIFY(cli.apply(manifests(route(u"later"_s))).ok());
        QVERIFY(window.remove(ResourceKind::HttpRoute, kDefaultNamespace, u"first"_s).ok());
        QVERIFY(reopened.load().ok());
        QCOMPARE(reopened.snapshot().routes.size(), 3);
        QCOMPARE(reopened.snapshot().routes.last().meta.name, u"later"_s);
    }

    void configDirAndFilesAreOwnerOnly()
    {
        QTemporaryDir parent;
        const QString fresh = parent.filePath(u"fresh/quarry"_s);
        ConfigStore store(fresh);
        QVERIFY(store.load().ok());
        QVERIFY(store.apply(manifests(kClaudeBackend)).ok());
        QCOMPARE(modeOf(fresh), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(modeOf(store.filePath()), QFile::ReadOwner | QFile::WriteOwner);

        // An existing directory and file with looser modes are tightened by the next write.
        const QString loose = parent.filePath(u"loose"_s);
        QVERIFY(QDir().mkpath(loose));
        QFile file(QDir(loose).filePath(u"resources.yaml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(readFile(store.filePath()));
        file.close();
        QVERIFY(QFile::setPermissions(loose, QFile::Permissions(0x7755)));
        QVERIFY(file.setPermissions(QFile::Permissions(0x6644)));
        ConfigStore existing(loose);
        QVERIFY(existing.load().ok());
        QVERIFY(existing.apply(manifests(route(u"extra"_s))).ok());
        QCOMPARE(modeOf(loose), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(modeOf(file.fileName()), QFile::ReadOwner | QFile::WriteOwner);

        // The lock file, while held.
        quarry::ConfigDirLock lock(loose);
        QVERIFY(lock.acquire(1000).ok());
        QCOMPARE(modeOf(quarry::ConfigDirLock::lockPath(loose)), QFile::ReadOwner | QFile::WriteOwner);
    }

    void heldLockTimesOutWithClearError()
    {
        QTemporaryDir dir;
        ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        QVERIFY(store.apply(manifests(kClaudeBackend)).ok());
        const QByteArray before = readFile(store.filePath());
        quarry::ConfigDirLock other(dir.path()); // another quarry in the middle of a change
        QVERIFY(other.acquire(1000).ok());

        store.setLockTimeout(300);
        const auto applied = store.apply(manifests(route(u"extra"_s)));
        QVERIFY(!applied.ok());
        QVERIFY2(applied.error().contains(u"another quarry process holds the configuration lock"_s),
                 qPrintable(applied.error()));
        const auto removed = store.remove(ResourceKind::Backend, kDefaultNamespace, u"claude"_s);
        QVERIFY(!removed.ok());
        QCOMPARE(readFile(store.filePath()), before);
    }

    // A quarry killed while holding the lock leaves the lock file; the next one takes it over.
    void staleLockOfDeadProcessIsRecovered()
    {
        QTemporaryDir dir;
        QProcess gone;
        gone.start(u"true"_s, {});
        QVERIFY(gone.waitForStarted());
        const qint64 pid = gone.processId();
        QVERIFY(gone.waitForFinished());
        QFile lock(quarry::ConfigDirLock::lockPath(dir.path()));
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write(QByteArray::number(pid) + "\nquarry\n" + QSysInfo::machineHostName().toUtf8() + "\n");
        lock.close();

        ConfigStore store(dir.path());
        QVERIFY(store.load().ok());
        store.setLockTimeout(5000);
        QElapsedTimer timer;
        timer.start();
        const auto applied = store.apply(manifests(kClaudeBackend));
        QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.error()));
        QVERIFY2(timer.elapsed() < 3000, "waited for a lock whose owner is dead");
        QVERIFY(!QFile::exists(lock.fileName())); // released after the write
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
