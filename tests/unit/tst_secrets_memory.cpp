// Tests for InMemorySecretStore, the blocking helpers and SecretCatalog (which must never hold values).
#include "secrets/BlockingSecrets.h"
#include "secrets/InMemorySecretStore.h"
#include "secrets/SecretCatalog.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::secrets;
using Outcome = ReadResult::Outcome;

class TestSecretsMemory : public QObject
{
    Q_OBJECT
private slots:
    void writeReadRemove();
    void overwriteReplacesAllKeys();
    void secretsAreSeparatedByNamespace();
    void callbacksAreNotReentrant();
    void invalidIdsFail();
    void injectedFailureChangesNothing();
    void catalogUpsertFindRemove();
    void catalogNeverContainsValues();
    void catalogSurvivesReopenAndMissingDir();
    void catalogRefusesToClobberACorruptFile();
};

void TestSecretsMemory::writeReadRemove()
{
    InMemorySecretStore store;
    const SecretId id{u"default"_s, u"bedrock-secret"_s};
    const SecretData data{{u"accessKey"_s, "AKIAEXAMPLE"_ba}, {u"secretKey"_s, "s3cr3t"_ba}};

    QCOMPARE(readBlocking(store, id).outcome, Outcome::NotFound);
    QVERIFY(writeBlocking(store, id, data).ok());
    const ReadResult got = readBlocking(store, id);
    QCOMPARE(got.outcome, Outcome::Found);
    QCOMPARE(got.data, data);

    QVERIFY(removeBlocking(store, id).ok());
    QCOMPARE(readBlocking(store, id).outcome, Outcome::NotFound);
    QVERIFY(removeBlocking(store, id).ok()); // removing a missing secret is fine
}

void TestSecretsMemory::overwriteReplacesAllKeys()
{
    InMemorySecretStore store;
    const SecretId id{u"default"_s, u"aws"_s};
    QVERIFY(writeBlocking(store, id, {{u"accessKey"_s, "A"_ba}, {u"sessionToken"_s, "T"_ba}}).ok());
    QVERIFY(writeBlocking(store, id, {{u"accessKey"_s, "B"_ba}}).ok());
    const SecretData expected{{u"accessKey"_s, "B"_ba}};
    QCOMPARE(readBlocking(store, id).data, expected);
}

void TestSecretsMemory::secretsAreSeparatedByNamespace()
{
    InMemorySecretStore store;
    QVERIFY(writeBlocking(store, {u"team-a"_s, u"key"_s}, {{u"k"_s, "a"_ba}}).ok());
    QCOMPARE(readBlocking(store, {u"team-b"_s, u"key"_s}).outcome, Outcome::NotFound);
    QCOMPARE(readBlocking(store, {u"team-a"_s, u"key"_s}).data.value(u"k"_s), "a"_ba);
}

void TestSecretsMemory::callbacksAreNotReentrant()
{
    InMemorySecretStore store;
    bool called = false;
    store.write({u"ns"_s, u"n"_s}, {}, [&](quarry::Status) { called = true; });
    QVERIFY(!called); // a caller holding a lock while calling write() must not be re-entered
    QTRY_VERIFY(called);
}

void TestSecretsMemory::invalidIdsFail()
{
    InMemorySecretStore store;
    QVERIFY(!writeBlocking(store, {u""_s, u"n"_s}, {}).ok());
    QVERIFY(!writeBlocking(store, {u"a/b"_s, u"n"_s}, {}).ok());
    QCOMPARE(readBlocking(store, {u"ns"_s, u""_s}).outcome, Outcome::Failed);
    QCOMPARE(store.size(), 0);
}

void TestSecretsMemory::injectedFailureChangesNothing()
{
    InMemorySecretStore store;
    const SecretId id{u"ns"_s, u"n"_s};
    store.setFailure(u"no keychain"_s);
    const auto status = writeBlocking(store, id, {{u"k"_s, "v"_ba}});
    QVERIFY(!status.ok());
    QCOMPARE(status.error(), u"no keychain"_s);
    const ReadResult read = readBlocking(store, id);
    QCOMPARE(read.outcome, Outcome::Failed);
    QCOMPARE(read.error, u"no keychain"_s);
    store.setFailure(std::nullopt);
    QCOMPARE(readBlocking(store, id).outcome, Outcome::NotFound);
}

void TestSecretsMemory::catalogUpsertFindRemove()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SecretCatalog catalog(dir.path());
    QVERIFY(catalog.entries().isEmpty());

    const SecretId b{u"default"_s, u"b"_s};
    const SecretId a{u"default"_s, u"a"_s};
    QVERIFY(catalog.put({b, {u"Authorization"_s}, {}}).ok());
    QVERIFY(catalog.put({a, {u"accessKey"_s, u"secretKey"_s}, {}}).ok());
    QVERIFY(catalog.put({b, {u"accessKey"_s}, {}}).ok()); // upsert, not a duplicate

    const auto entries = catalog.entries();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).id, a); // listed in name order, like kubectl
    QCOMPARE(catalog.find(b)->keys, QStringList{u"accessKey"_s});
    QVERIFY(catalog.find(b)->updated.isValid());
    QVERIFY(qAbs(catalog.find(b)->updated.secsTo(QDateTime::currentDateTimeUtc())) < 60);

    QVERIFY(catalog.remove(b).ok());
    QVERIFY(!catalog.find(b));
    QVERIFY(catalog.remove(b).ok());
    QCOMPARE(catalog.entries().size(), 1);
}

void TestSecretsMemory::catalogNeverContainsValues()
{
    // The flow `quarry create secret` follows: value to the store, key names to the catalog.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    InMemorySecretStore store;
    SecretCatalog catalog(dir.path());
    const SecretId id{u"default"_s, u"bedrock-secret"_s};
    const SecretData data{{u"accessKey"_s, "AKIAVALUEMARKER123"_ba},
                          {u"secretKey"_s, "wJalrXUtnFEMI-VALUE-MARKER"_ba}};
    QVERIFY(writeBlocking(store, id, data).ok());
    QVERIFY(catalog.put({id, data.keys(), {}}).ok());

    QFile file(catalog.filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.contains("bedrock-secret"));
    QVERIFY(bytes.contains("accessKey"));
    QVERIFY(!bytes.contains("AKIAVALUEMARKER123"));
    QVERIFY(!bytes.contains("wJalrXUtnFEMI-VALUE-MARKER"));
    QVERIFY(!bytes.contains("VALUE"));
}

void TestSecretsMemory::catalogSurvivesReopenAndMissingDir()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString nested = dir.filePath(u"not/yet/there"_s);
    const SecretId id{u"default"_s, u"x"_s};
    QVERIFY(SecretCatalog(nested).put({id, {u"k"_s}, {}}).ok());
    const auto entry = SecretCatalog(nested).find(id); // a fresh object reads the file
    QVERIFY(entry);
    QCOMPARE(entry->keys, QStringList{u"k"_s});
    // No leftover temporary files from the atomic write.
    QCOMPARE(QDir(nested).entryList(QDir::Files), QStringList{u"secrets.json"_s});
}

void TestSecretsMemory::catalogRefusesToClobberACorruptFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SecretCatalog catalog(dir.path());
    QFile file(catalog.filePath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ not json");
    file.close();

    QVERIFY(catalog.entries().isEmpty());
    const auto status = catalog.put({{u"default"_s, u"x"_s}, {u"k"_s}, {}});
    QVERIFY(!status.ok());
    QVERIFY(status.error().contains(u"secrets.json"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), "{ not json"_ba); // the user's file is left for them to fix
}

QTEST_GUILESS_MAIN(TestSecretsMemory)
#include "tst_secrets_memory.moc"
