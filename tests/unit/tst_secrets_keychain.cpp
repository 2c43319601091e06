// Tests for KeychainSecretStore against a real OS keychain. Opt-in, because it touches one:
//   tests/keychain/run-with-keychain.sh env QUARRY_TEST_KEYCHAIN=1 <build>/tests/tst_secrets_keychain
//   tests/keychain/run-without-keychain.sh env QUARRY_TEST_NO_KEYCHAIN=1 <build>/tests/tst_secrets_keychain
// Both scripts run it in a private D-Bus session with a throwaway HOME, never your own keyring.
#include "secrets/BlockingSecrets.h"
#include "secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::secrets;
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

} // namespace

class TestSecretsKeychain : public QObject
{
    Q_OBJECT
private slots:
    void roundTripOverwriteRemove();
    void secretsAreSeparate();
    void itemIsReadableByOtherTools();
    void noKeychainFailsClearly();
};

void TestSecretsKeychain::roundTripOverwriteRemove()
{
    if (qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") != u"1"_s)
        QSKIP("needs a real keychain; run: tests/keychain/run-with-keychain.sh env "
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
    if (qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") != u"1"_s)
        QSKIP("needs a real keychain; see roundTripOverwriteRemove");
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
    if (qEnvironmentVariable("QUARRY_TEST_KEYCHAIN") != u"1"_s)
        QSKIP("needs a real keychain; see roundTripOverwriteRemove");
    const QString secretTool = QStandardPaths::findExecutable(u"secret-tool"_s);
    if (secretTool.isEmpty())
        QSKIP("secret-tool (libsecret-tools) is not installed");
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
    if (qEnvironmentVariable("QUARRY_TEST_NO_KEYCHAIN") != u"1"_s)
        QSKIP("needs a session without a keychain; run: tests/keychain/run-without-keychain.sh env "
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

QTEST_GUILESS_MAIN(TestSecretsKeychain)
#include "tst_secrets_keychain.moc"
