// Inline API keys (spec.policies.auth.key): apply moves them to the secret store and keeps a
// reference, resources.yaml and printed manifests never hold them, a store that fails writes
// nothing, and only an explicit export renders them back. Also: the credential endpoints' TLS rule.
#include "config/ConfigStore.h"
#include "config/InlineKeys.h"
#include "config/ManifestParser.h"
#include "config/ManifestWriter.h"
#include "secrets/BlockingSecrets.h"
#include "secrets/InMemorySecretStore.h"
#include "secrets/SecretCatalog.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::config;

namespace {

// Listed in tests/data/secret-values.txt: the sweep fails the run if it is written out anywhere.
const QString kKey = u"bedrock-api-key-for-the-test"_s;
const QString kGroupKey = u"bedrock-api-key-example"_s;

QByteArray backendYaml(const QString &key, const QString &annotations = {})
{
    return (u"apiVersion: agentgateway.dev/v1alpha1\nkind: AgentgatewayBackend\nmetadata:\n  name: claude\n"
            "  namespace: team\n"_s +
            (annotations.isEmpty() ? QString() : u"  annotations:\n"_s + annotations) +
            u"spec:\n  ai:\n    provider:\n      bedrock:\n        region: us-east-1\n"
            "  policies:\n    auth:\n      key: \"%1\"\n"_s.arg(key))
        .toUtf8();
}

QList<Resource> parsed(const QByteArray &yaml)
{
    const auto result = parseManifests(yaml);
    if (!result.ok())
        qWarning("%s", qPrintable(result.error()));
    return result.ok() ? *result : QList<Resource>{};
}

AiBackend groupBackend()
{
    AiBackend backend = *parsed(backendYaml(kKey)).first().as<AiBackend>();
    AiProvider first;
    first.name = u"primary"_s;
    first.policies = BackendPolicies{};
    first.policies->auth = {BackendAuth::Kind::InlineKey, {}, kGroupKey};
    AiProvider second;
    second.name = u"secondary"_s;
    backend.provider.reset();
    backend.groups = {AiProviderGroup{{first, second}}};
    return backend;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QFile::Permissions modeOf(const QString &path)
{
    constexpr QFile::Permissions kModeBits = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                             QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                             QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    return QFile::permissions(path) & kModeBits;
}

} // namespace

class TestConfigInlineKeys : public QObject
{
    Q_OBJECT

private slots:
    void extractLeavesReferences()
    {
        AiBackend backend = groupBackend();
        const auto moved = InlineKeys::extract(backend);
        QCOMPARE(moved.size(), 2);
        QCOMPARE(moved.at(0).secretName, u"claude-inline-key"_s);
        QCOMPARE(moved.at(0).value, kKey);
        QCOMPARE(moved.at(1).secretName, u"claude-primary-inline-key"_s);
        QCOMPARE(moved.at(1).value, kGroupKey);
        QCOMPARE(backend.policies.auth.kind, BackendAuth::Kind::SecretRef);
        QCOMPARE(backend.policies.auth.secretName, u"claude-inline-key"_s);
        QVERIFY(backend.policies.auth.inlineKey.isEmpty());
        QCOMPARE(backend.groups.first().providers.first().policies->auth.secretName,
                 u"claude-primary-inline-key"_s);
        QCOMPARE(InlineKeys::secretNames(backend),
                 (QStringList{u"claude-inline-key"_s, u"claude-primary-inline-key"_s}));
        QVERIFY(!InlineKeys::hasInlineKey(backend));
        const QByteArray yaml =
            ManifestWriter::toYaml({Resource{backend, {}}}, ManifestWriter::SecretValues::Include);
        QVERIFY(!yaml.contains(kKey.toUtf8()));
        QVERIFY(!yaml.contains(kGroupKey.toUtf8()));
    }

    // `get -o yaml|json` and the window's YAML pane (SecretValues::Redact) print a placeholder for a
    // key still inline (a hand-edited resources.yaml), and that placeholder is refused on apply.
    void printedManifestsNeverHoldTheKey()
    {
        const Resource resource{groupBackend(), {}};
        for (const QByteArray &printed :
             {ManifestWriter::toYaml({resource}), ManifestWriter::toJsonText({resource})}) {
            QVERIFY(!printed.contains(kKey.toUtf8()));
            QVERIFY(!printed.contains(kGroupKey.toUtf8()));
            QVERIFY(printed.contains("redacted"));
        }
        QVERIFY(ManifestWriter::toYaml({resource}, ManifestWriter::SecretValues::Include)
                    .contains(kKey.toUtf8()));
        const auto reapplied = parseManifests(ManifestWriter::toYaml({resource}));
        QVERIFY(!reapplied.ok());
        QVERIFY2(reapplied.error().contains(u"policies.auth.key: is the placeholder"_s),
                 qPrintable(reapplied.error()));
    }

    void applyMovesTheKeyToTheStore()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore store;
        ConfigStore config(dir.path() + u"/config"_s);
        config.setSecretStore(&store);
        QVERIFY(config.load().ok());
        const Status applied = config.apply(parsed(backendYaml(kKey)));
        QVERIFY2(applied.ok(), qPrintable(applied.ok() ? QString() : applied.error()));

        const QByteArray file = readFile(config.filePath());
        QVERIFY(!file.isEmpty());
        QVERIFY(!file.contains(kKey.toUtf8()));
        QVERIFY(file.contains("claude-inline-key"));
        QVERIFY(file.contains(InlineKeys::kAnnotation.toUtf8()));
        QCOMPARE(modeOf(config.configDir()), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(modeOf(config.filePath()), QFile::ReadOwner | QFile::WriteOwner);

        const auto read = secrets::readBlocking(store, {u"team"_s, u"claude-inline-key"_s});
        QCOMPARE(read.outcome, secrets::ReadResult::Outcome::Found);
        QCOMPARE(read.data.value(InlineKeys::kSecretKey), kKey.toUtf8());
        const auto listed =
            secrets::SecretCatalog(config.configDir()).find({u"team"_s, u"claude-inline-key"_s});
        QVERIFY(listed);
        QCOMPARE(listed->keys, QStringList{InlineKeys::kSecretKey});
        QCOMPARE(config.snapshot().backends.last().policies.auth.kind, BackendAuth::Kind::SecretRef);

        // Applying it again (a new key) replaces the stored one: the generated Secret is the backend's.
        QVERIFY(config.apply(parsed(backendYaml(kGroupKey))).ok());
        QCOMPARE(secrets::readBlocking(store, {u"team"_s, u"claude-inline-key"_s})
                     .data.value(InlineKeys::kSecretKey),
                 kGroupKey.toUtf8());
        QVERIFY(!readFile(config.filePath()).contains(kGroupKey.toUtf8()));
    }

    // A keychain that does not take the key (locked, absent) fails the apply, and resources.yaml
    // is left exactly as it was: the key is not lost, it is still in the user's manifest.
    void failingStoreWritesNothing()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore store;
        ConfigStore config(dir.path());
        config.setSecretStore(&store);
        QVERIFY(config.load().ok());
        QVERIFY(
            config.apply({Resource{ConfigStore::defaults().gateways.first(), {}}}).ok()); // the file exists
        const QByteArray before = readFile(config.filePath());
        store.setFailure(u"the OS keychain did not answer"_s);
        const Status applied = config.apply(parsed(backendYaml(kKey)));
        QVERIFY(!applied.ok());
        QVERIFY2(applied.error().contains(u"nothing was applied"_s), qPrintable(applied.error()));
        QVERIFY2(applied.error().contains(u"did not answer"_s), qPrintable(applied.error()));
        QVERIFY(!applied.error().contains(kKey));
        QCOMPARE(readFile(config.filePath()), before);
        QCOMPARE(store.size(), 0);
        QVERIFY(!secrets::SecretCatalog(dir.path()).find({u"team"_s, u"claude-inline-key"_s}));
    }

    void noStoreRefusesInlineKeys()
    {
        QTemporaryDir dir;
        ConfigStore config(dir.path());
        QVERIFY(config.load().ok());
        const Status applied = config.apply(parsed(backendYaml(kKey)));
        QVERIFY(!applied.ok());
        QVERIFY2(applied.error().contains(u"keychain"_s), qPrintable(applied.error()));
        QVERIFY(!QFile::exists(config.filePath()));
        // preview (--dry-run=server, diff) shows what apply would store: the reference.
        const auto preview = config.preview(parsed(backendYaml(kKey)));
        QVERIFY(preview.ok());
        QCOMPARE(preview->backends.last().policies.auth.secretName, u"claude-inline-key"_s);
    }

    // A Secret the user made under the generated name is never overwritten.
    void userSecretOfTheSameNameIsKept()
    {
        QTemporaryDir dir;
        secrets::InMemorySecretStore store;
        QVERIFY(secrets::SecretCatalog(dir.path())
                    .put({{u"team"_s, u"claude-inline-key"_s}, {u"accessKey"_s}, {}})
                    .ok());
        ConfigStore config(dir.path());
        config.setSecretStore(&store);
        QVERIFY(config.load().ok());
        const Status applied = config.apply(parsed(backendYaml(kKey)));
        QVERIFY(!applied.ok());
        QVERIFY2(applied.error().contains(u"already exists"_s), qPrintable(applied.error()));
        QCOMPARE(store.size(), 0);
    }

    // The explicit export (no command uses it yet): references to generated Secrets become `key`.
    void restoreRendersTheKeyForAnExport()
    {
        AiBackend backend = groupBackend();
        InlineKeys::extract(backend);
        AiBackend partly = backend;
        InlineKeys::restore(partly, {{u"claude-inline-key"_s, kKey}});
        QCOMPARE(partly.policies.auth.kind, BackendAuth::Kind::InlineKey);
        QCOMPARE(partly.meta.annotations.value(InlineKeys::kAnnotation), u"claude-primary-inline-key"_s);
        InlineKeys::restore(backend,
                            {{u"claude-inline-key"_s, kKey}, {u"claude-primary-inline-key"_s, kGroupKey}});
        QVERIFY(!backend.meta.annotations.contains(InlineKeys::kAnnotation));
        const QByteArray exported =
            ManifestWriter::toYaml({Resource{backend, {}}}, ManifestWriter::SecretValues::Include);
        QVERIFY(exported.contains(kKey.toUtf8()));
        QVERIFY(exported.contains(kGroupKey.toUtf8()));
        QVERIFY(!exported.contains("inline-key"));
        // A user's own secretRef is not an inline key, whatever the annotation claims.
        AiBackend forged = *parsed(backendYaml(kKey)).first().as<AiBackend>();
        forged.policies.auth = {BackendAuth::Kind::SecretRef, u"bedrock-secret"_s, {}};
        forged.meta.annotations.insert(InlineKeys::kAnnotation, u"bedrock-secret"_s);
        QVERIFY(InlineKeys::secretNames(forged).isEmpty());
    }

    void credentialEndpointsNeedTls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("https") << u"https://sts.us-gov-west-1.amazonaws.com"_s << true;
        QTest::newRow("http remote") << u"http://sts.example.com"_s << false;
        QTest::newRow("http remote ip") << u"http://10.0.0.5:8080"_s << false;
        QTest::newRow("http 127.0.0.1") << u"http://127.0.0.1:4566"_s << true;
        QTest::newRow("http 127.8.9.10") << u"http://127.8.9.10"_s << true;
        QTest::newRow("http localhost") << u"http://localhost:9000/"_s << true;
        QTest::newRow("http ::1") << u"http://[::1]:9000"_s << true;
        QTest::newRow("http localhost.evil") << u"http://localhost.example.com"_s << false;
        QTest::newRow("ftp") << u"ftp://127.0.0.1"_s << false;
        QTest::newRow("not a url") << u"sts"_s << false;
    }

    void credentialEndpointsNeedTls()
    {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        for (const QString &annotation : {u"quarry.dev/sts-endpoint"_s, u"quarry.dev/sso-endpoint"_s}) {
            const QByteArray yaml =
                u"apiVersion: agentgateway.dev/v1alpha1\nkind: AgentgatewayBackend\nmetadata:\n  name: b\n"
                "  annotations:\n    %1: \"%2\"\nspec:\n  ai:\n    provider:\n      bedrock:\n        region: us-east-1\n"_s
                    .arg(annotation, url)
                    .toUtf8();
            const auto result = parseManifests(yaml);
            QCOMPARE(result.ok(), accepted);
            if (!accepted)
                QVERIFY2(result.error().contains(annotation), qPrintable(result.error()));
        }
    }
};

QTEST_GUILESS_MAIN(TestConfigInlineKeys)
#include "tst_config_inline_keys.moc"
