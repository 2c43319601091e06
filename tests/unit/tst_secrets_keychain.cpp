// Tests for KeychainSecretStore against a real OS keychain. Opt-in, because it touches one:
//   tests/keychain/run-with-keychain.sh env QUARRY_TEST_KEYCHAIN=1 <build>/tests/tst_secrets_keychain
//   tests/keychain/run-without-keychain.sh env QUARRY_TEST_NO_KEYCHAIN=1 <build>/tests/tst_secrets_keychain
//   tests/keychain/run-with-locked-keychain.sh env QUARRY_TEST_LOCKED_KEYCHAIN=1
//   <build>/tests/tst_secrets_keychain
// The scripts run it in a private D-Bus session with a throwaway HOME, never your own keyring.
#include "secrets/BlockingSecrets.h"
#include "secrets/KeychainSecretStore.h"

#include "TestSupport.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace quarry::secrets;
using quarry::Status;
using Outcome = ReadResult::Outcome;

namespace {

// A per-run service name, so a run can never collide with (or clobber) a real Quarry item.
QString testService()
{
    return u"QuarryTest-%1"_s.arg(QCoreApplication::applicationPid());
}

QByteArray bigValue()
{
    QByteArray value;
    for (int i = 0; value.size() < 4096; ++i)
        value += QByteArray::number(i * 2654435761u, 36);
    return value.left(4096);
}

// Every file under dir whose bytes contain needle: where a plain-text fallback would have put it.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            hits.append(file.fileName());
    }
    return hits;
}

// Answers from chains running on several threads, collected under a lock.
class Tally
{
public:
    void add(const QString &problem)
    {
        QMutexLocker lock(&m_mutex);
        ++m_done;
        if (!problem.isEmpty())
            m_problems.append(problem);
    }
    int done() const
    {
        QMutexLocker lock(&m_mutex);
        return m_done;
    }
    QStringList problems() const
    {
        QMutexLocker lock(&m_mutex);
        return m_problems;
    }

private:
    mutable QMutex m_mutex;
    int m_done = 0;
    QStringList m_problems;
};

// Runs `count` chains one after another on the store's thread (write, read back, remove, read
// again), as a user saving and removing keys does; the other thread's chains run at the same
// time. Each chain adds one entry to tally: empty, or its first problem (never a secret value).
// The keychain is often idle between two operations, so each thread starts jobs itself: that is
// when QtKeychain's executor, living on the other thread, touched jobs already deleted here.
void churn(SecretStore *store, const QString &ns, int first, int count, Tally *tally)
{
    if (first >= count)
        return;
    const SecretId id{ns, u"s%1"_s.arg(first)};
    const SecretData data{{u"v"_s, u"%1-value-%2"_s.arg(ns).arg(first).toUtf8()}};
    const auto next = [=](const QString &problem) {
        tally->add(problem);
        churn(store, ns, first + 1, count, tally);
    };
    store->write(id, data, [=](Status written) {
        if (!written.ok())
            return next(u"write %1: %2"_s.arg(id.toString(), written.error()));
        store->read(id, [=](ReadResult got) {
            if (got.outcome != Outcome::Found || got.data != data)
                return next(u"read %1: outcome %2, right value: %3 %4"_s.arg(id.toString())
                                .arg(int(got.outcome))
                                .arg(got.data == data)
                                .arg(got.error));
            store->remove(id, [=](Status removed) {
                if (!removed.ok())
                    return next(u"remove %1: %2"_s.arg(id.toString(), removed.error()));
                store->read(id, [=](ReadResult gone) {
                    next(gone.outcome == Outcome::NotFound
                             ? QString()
                             : u"read after remove %1: outcome %2"_s.arg(id.toString())
                                   .arg(int(gone.outcome)));
                });
            });
        });
    });
}

// Left by run-with-locked-keychain.sh in its locked login keyring, under service "Quarry".
const SecretId kLockedItem{u"agentgateway-system"_s, u"bedrock-secret"_s};

bool lockedRequested()
{
    return qEnvironmentVariable("QUARRY_TEST_LOCKED_KEYCHAIN") == u"1"_s;
}

} // namespace

class TestSecretsKeychain : public QObject
{
    Q_OBJECT
private slots:
    void roundTripOverwriteRemove();
    void secretsAreSeparate();
    void itemIsReadableByOtherTools();
    void noKeychainFailsClearly();
    void concurrentFromTwoThreads();
    void lockedKeychainReadTimesOut();
    void lockedKeychainWriteAndRemoveTimeOut();
    void lockedKeychainQueueIsBounded();
};

void TestSecretsKeychain::roundTripOverwriteRemove()
{
    QUARRY_REQUIRE(qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") == u"1"_s,
                   "a real keychain; run: tests/keychain/run-with-keychain.sh env "
                   "QUARRY_TEST_KEYCHAIN=1 <build>/tests/tst_secrets_keychain");
    KeychainSecretStore store(testService());
    const SecretId id{u"default"_s, u"bedrock-secret"_s};
    const SecretData data{
        {u"accessKey"_s, "AKIAIOSFODNN7EXAMPLE"_ba},
        {u"secretKey"_s, u"wJalr-pässwörd-密钥-🔑"_s.toUtf8()},
        {u"sessionToken"_s, bigValue()},
    };
    QCOMPARE(data.value(u"sessionToken"_s).size(), 4096);

    QCOMPARE(readBlocking(store, id).outcome, Outcome::NotFound);
    const auto written = writeBlocking(store, id, data);
    QVERIFY2(written.ok(), qPrintable(written ? QString() : written.error()));
    ReadResult got = readBlocking(store, id);
    QVERIFY2(got.outcome == Outcome::Found, qPrintable(got.error));
    QCOMPARE(got.data, data);

    // A fresh store (as after a restart) sees the same item.
    KeychainSecretStore again(testService());
    QCOMPARE(readBlocking(again, id).data, data);

    const SecretData replacement{{u"Authorization"_s, "Bearer bedrock-api-key"_ba}};
    QVERIFY(writeBlocking(store, id, replacement).ok());
    got = readBlocking(store, id);
    QCOMPARE(got.outcome, Outcome::Found);
    QCOMPARE(got.data, replacement); // old keys are gone, not merged

    QVERIFY(removeBlocking(store, id).ok());
    QCOMPARE(readBlocking(store, id).outcome, Outcome::NotFound);
    const auto removedAgain = removeBlocking(store, id);
    QVERIFY2(removedAgain.ok(), qPrintable(removedAgain ? QString() : removedAgain.error()));
}

void TestSecretsKeychain::secretsAreSeparate()
{
    QUARRY_REQUIRE(qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") == u"1"_s,
                   "a real keychain; see roundTripOverwriteRemove");
    KeychainSecretStore store(testService());
    KeychainSecretStore otherService(testService() + u"-other"_s);
    const SecretId a{u"team-a"_s, u"key"_s};
    const SecretId b{u"team-b"_s, u"key"_s};
    QVERIFY(writeBlocking(store, a, {{u"k"_s, "a"_ba}}).ok());
    QVERIFY(writeBlocking(store, b, {{u"k"_s, "b"_ba}}).ok());
    QCOMPARE(readBlocking(store, a).data.value(u"k"_s), "a"_ba);
    QCOMPARE(readBlocking(store, b).data.value(u"k"_s), "b"_ba);
    QCOMPARE(readBlocking(otherService, a).outcome, Outcome::NotFound);
    QVERIFY(removeBlocking(store, a).ok());
    QCOMPARE(readBlocking(store, b).outcome, Outcome::Found); // removing one leaves the other
    QVERIFY(removeBlocking(store, b).ok());
}

void TestSecretsKeychain::itemIsReadableByOtherTools()
{
    // libsecret's own CLI, not our reader, finds the item under the documented service and key.
    QUARRY_REQUIRE(qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") == u"1"_s,
                   "a real keychain; see roundTripOverwriteRemove");
    const QString secretTool = QStandardPaths::findExecutable(u"secret-tool"_s);
    QUARRY_REQUIRE(!secretTool.isEmpty(), "secret-tool: apt install libsecret-tools (./dev deps installs it)");
    KeychainSecretStore store(testService());
    const SecretId id{u"default"_s, u"bedrock-secret"_s};
    QVERIFY(writeBlocking(store, id, {{u"Authorization"_s, u"Bearer ключ"_s.toUtf8()}}).ok());

    QProcess lookup;
    lookup.start(secretTool,
                 {u"lookup"_s, u"server"_s, testService(), u"user"_s, u"secret/default/bedrock-secret"_s});
    QVERIFY(lookup.waitForFinished(10000));
    QCOMPARE(lookup.exitCode(), 0);
    const QJsonObject item = QJsonDocument::fromJson(lookup.readAllStandardOutput()).object();
    QCOMPARE(item.value(u"Authorization"_s).toString(), u"Bearer ключ"_s);
    QVERIFY(removeBlocking(store, id).ok());
}

void TestSecretsKeychain::noKeychainFailsClearly()
{
    QUARRY_REQUIRE(qEnvironmentVariable("QUARRY_TEST_NO_KEYCHAIN") == u"1"_s,
                   "a session without a keychain; run: tests/keychain/run-without-keychain.sh env "
                   "QUARRY_TEST_NO_KEYCHAIN=1 <build>/tests/tst_secrets_keychain");
    KeychainSecretStore store(testService());
    const SecretId id{u"default"_s, u"bedrock-secret"_s};
    const QByteArray marker = "QUARRY-NO-FALLBACK-MARKER-7f3a";

    const auto status = writeBlocking(store, id, {{u"secretKey"_s, marker}});
    QVERIFY(!status.ok());
    QVERIFY2(status.error().startsWith(u"no OS keychain is available"_s), qPrintable(status.error()));
    QVERIFY(status.error().contains(u"Secret Service"_s));
    QVERIFY(status.error().endsWith(u"the secret was not stored"_s));
    QVERIFY(!status.error().contains(QString::fromLatin1(marker)));

    const ReadResult read = readBlocking(store, id);
    QCOMPARE(read.outcome, Outcome::Failed); // "could not look", not "not there"
    QVERIFY(read.error.startsWith(u"no OS keychain is available"_s));

    // Nothing was written in plain text anywhere a fallback would use.
    for (const char *var : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}) {
        const QString dir = qEnvironmentVariable(var);
        if (!dir.isEmpty())
            QCOMPARE(filesContaining(dir, marker), QStringList());
    }
}

void TestSecretsKeychain::concurrentFromTwoThreads()
{
    // The window's store (GUI thread) and the gateway's (its own thread) used the keychain at the
    // same time: QtKeychain's one JobExecutor is not thread-safe, and the app crashed.
    QUARRY_REQUIRE(qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") == u"1"_s,
                   "a real keychain; see roundTripOverwriteRemove");
    constexpr int chains = 40; // per thread: 320 keychain operations
    Tally tally;

    // The other thread uses the keychain first, as the gateway does when the window opens; then
    // both threads work at once.
    QThread other;
    other.setObjectName(u"test-other-thread"_s);
    other.start();
    auto *context = new QObject;
    context->moveToThread(&other);
    std::atomic<bool> warmedUp = false;
    QMetaObject::invokeMethod(context, [context, &tally, &warmedUp] {
        auto *store = new KeychainSecretStore(testService(), context); // created on `other`
        readBlocking(*store, {u"other"_s, u"warm-up"_s});
        warmedUp = true;
        churn(store, u"other"_s, 0, chains, &tally);
    });
    QTRY_VERIFY_WITH_TIMEOUT(warmedUp, 10000);
    KeychainSecretStore mine(testService());
    churn(&mine, u"main"_s, 0, chains, &tally);

    QTRY_COMPARE_WITH_TIMEOUT(tally.done(), 2 * chains, 60000);
    QCOMPARE(tally.problems(), QStringList());
    QMetaObject::invokeMethod(context, [context] { delete context; }); // its store with it, on `other`
    other.quit();
    QVERIFY(other.wait(10000));
}

void TestSecretsKeychain::lockedKeychainReadTimesOut()
{
    QUARRY_REQUIRE(lockedRequested(), "a locked keychain; run: tests/keychain/run-with-locked-keychain.sh env "
                                      "QUARRY_TEST_LOCKED_KEYCHAIN=1 <build>/tests/tst_secrets_keychain");
    // The item run-with-locked-keychain.sh left in the locked login keyring.
    KeychainSecretStore store(u"Quarry"_s);
    QCOMPARE(store.timeout(), KeychainSecretStore::DefaultTimeout);
    store.setTimeout(std::chrono::milliseconds(1500));
    QElapsedTimer clock;
    clock.start();
    const ReadResult got = readBlocking(store, kLockedItem);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(got.outcome, Outcome::NoAnswer); // not "not there", not "denied": nothing answered
    QVERIFY2(got.error.startsWith(u"the OS keychain did not answer within 1.5 s (is it locked"_s),
             qPrintable(got.error));
    QVERIFY2(got.error.endsWith(u"the secret could not be read"_s), qPrintable(got.error));
    QVERIFY2(elapsed >= 1400 && elapsed < 4000, qPrintable(QString::number(elapsed)));

    // The stuck job is still inside the keychain; the next one waits behind it and gets its own
    // deadline, not a hang.
    clock.restart();
    QCOMPARE(readBlocking(store, kLockedItem).outcome, Outcome::NoAnswer);
    QVERIFY2(clock.elapsed() < 4000, qPrintable(QString::number(clock.elapsed())));
}

void TestSecretsKeychain::lockedKeychainWriteAndRemoveTimeOut()
{
    QUARRY_REQUIRE(lockedRequested(), "a locked keychain; see lockedKeychainReadTimesOut");
    // QUARRY_KEYCHAIN_TIMEOUT_MS is how a whole process (the app under test) shortens it.
    qputenv("QUARRY_KEYCHAIN_TIMEOUT_MS", "1000");
    KeychainSecretStore store(u"Quarry"_s);
    qunsetenv("QUARRY_KEYCHAIN_TIMEOUT_MS");
    QCOMPARE(store.timeout(), std::chrono::milliseconds(1000));
    const SecretId id{u"default"_s, u"new-one"_s};
    QElapsedTimer clock;
    clock.start();
    const Status written = writeBlocking(store, id, {{u"k"_s, "v"_ba}});
    QVERIFY(!written.ok());
    QVERIFY2(written.error().startsWith(u"the OS keychain did not answer within 1 s"_s),
             qPrintable(written.error()));
    QVERIFY(written.error().endsWith(u"the secret may not have been stored"_s));
    const Status removed = removeBlocking(store, id);
    QVERIFY(!removed.ok());
    QVERIFY2(removed.error().startsWith(u"the OS keychain did not answer within 1 s"_s),
             qPrintable(removed.error()));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

void TestSecretsKeychain::lockedKeychainQueueIsBounded()
{
    QUARRY_REQUIRE(lockedRequested(), "a locked keychain; see lockedKeychainReadTimesOut");
    // A caller that keeps asking a keychain that never answers cannot make the queue grow: past
    // the cap, requests are refused at once; the rest end at their deadline. Every callback runs.
    KeychainSecretStore store(u"Quarry"_s);
    store.setTimeout(std::chrono::milliseconds(1500));
    constexpr int asked = 400;
    int noAnswer = 0;
    int refused = 0;
    for (int i = 0; i < asked; ++i) {
        store.read(kLockedItem, [&](ReadResult got) {
            if (got.outcome == Outcome::NoAnswer)
                ++noAnswer;
            else if (got.outcome == Outcome::Failed && got.error.contains(u"already waiting"_s))
                ++refused;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(noAnswer + refused, asked, 5000);
    QVERIFY2(refused >= asked - 256, qPrintable(u"%1 refused"_s.arg(refused)));
}

QUARRY_TEST_GUILESS_MAIN(TestSecretsKeychain)
#include "tst_secrets_keychain.moc"
