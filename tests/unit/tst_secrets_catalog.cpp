// Tests for SecretCatalog's read-modify-write: concurrent writers lose nothing (the config lock),
// a held lock is reported, and the catalogue and its directory are private to their owner.
#include "secrets/SecretCatalog.h"
#include "util/ConfigDirLock.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::secrets;

class TestSecretsCatalog : public QObject
{
    Q_OBJECT

private slots:
    void concurrentPutsLoseNothing();
    void heldLockIsReported();
    void catalogIsOwnerOnly();
};

// Each thread stands for one `quarry create secret` (its own SecretCatalog, its own lock object).
void TestSecretsCatalog::concurrentPutsLoseNothing()
{
    QTemporaryDir dir;
    constexpr int kWriters = 8;
    constexpr int kEach = 15;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int writer = 0; writer < kWriters; ++writer) {
        threads.emplace_back(QThread::create([path = dir.path(), writer] {
            SecretCatalog catalog(path);
            for (int i = 0; i < kEach; ++i) {
                const SecretId id{u"default"_s, u"w%1-s%2"_s.arg(writer).arg(i)};
                if (const Status put = catalog.put({id, {u"k"_s}, {}}); !put.ok())
                    qWarning("put %s failed: %s", qPrintable(id.toString()), qPrintable(put.error()));
            }
        }));
        threads.back()->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait(60'000));
    QCOMPARE(SecretCatalog(dir.path()).entries().size(), kWriters * kEach);

    // And removals, concurrently, leave exactly the others.
    threads.clear();
    for (int writer = 0; writer < kWriters; writer += 2) {
        threads.emplace_back(QThread::create([path = dir.path(), writer] {
            SecretCatalog catalog(path);
            for (int i = 0; i < kEach; ++i)
                catalog.remove({u"default"_s, u"w%1-s%2"_s.arg(writer).arg(i)});
        }));
        threads.back()->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait(60'000));
    QCOMPARE(SecretCatalog(dir.path()).entries().size(), kWriters / 2 * kEach);
}

void TestSecretsCatalog::heldLockIsReported()
{
    QTemporaryDir dir;
    SecretCatalog catalog(dir.path());
    QVERIFY(catalog.put({{u"default"_s, u"kept"_s}, {u"k"_s}, {}}).ok());
    ConfigDirLock other(dir.path());
    QVERIFY(other.acquire(1000).ok());
    catalog.setLockTimeout(300);
    const Status put = catalog.put({{u"default"_s, u"new"_s}, {u"k"_s}, {}});
    QVERIFY(!put.ok());
    QVERIFY2(put.error().contains(u"another quarry process holds the configuration lock"_s),
             qPrintable(put.error()));
    QVERIFY(!catalog.remove({u"default"_s, u"kept"_s}).ok());
    QCOMPARE(catalog.entries().size(), 1);
}

void TestSecretsCatalog::catalogIsOwnerOnly()
{
    constexpr QFile::Permissions kModeBits = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                             QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                             QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QTemporaryDir parent;
    const QString dir = parent.filePath(u"quarry"_s);
    SecretCatalog catalog(dir);
    QVERIFY(catalog.put({{u"default"_s, u"a"_s}, {u"k"_s}, {}}).ok());
    QCOMPARE(QFile::permissions(dir) & kModeBits, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QCOMPARE(QFile::permissions(catalog.filePath()) & kModeBits, QFile::ReadOwner | QFile::WriteOwner);

    // Made by an older version with the umask's modes: tightened on the next write.
    QVERIFY(QFile::setPermissions(dir, QFile::Permissions(0x7755)));
    QVERIFY(QFile::setPermissions(catalog.filePath(), QFile::Permissions(0x6644)));
    QVERIFY(catalog.remove({u"default"_s, u"a"_s}).ok());
    QCOMPARE(QFile::permissions(dir) & kModeBits, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QCOMPARE(QFile::permissions(catalog.filePath()) & kModeBits, QFile::ReadOwner | QFile::WriteOwner);
}

QTEST_GUILESS_MAIN(TestSecretsCatalog)
#include "tst_secrets_catalog.moc"
