// credential_process helpers and the default chain's choice of source, without any network.
#include "aws/credentials/CredentialProcessProvider.h"
#include "aws/credentials/DefaultCredentialChain.h"

#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <optional>

using namespace Qt::StringLiterals;
using namespace quarry::aws;
using quarry::Result;

namespace {

Result<ResolvedCredentials> resolveAndWait(CredentialProvider &provider, int timeoutMs = 10000)
{
    std::optional<Result<ResolvedCredentials>> outcome;
    provider.resolve([&outcome](Result<ResolvedCredentials> result) { outcome = std::move(result); });
    QElapsedTimer timer;
    timer.start();
    while (!outcome && timer.elapsed() < timeoutMs)
        QTest::qWait(10);
    return outcome ? *outcome : Result<ResolvedCredentials>::failure(u"test: no answer in time"_s);
}

QString script(const QString &name)
{
    return u"/bin/sh '"_s + quarry::test::dataPath(u"aws/"_s + name) + u"'"_s;
}

QByteArray why(const Result<ResolvedCredentials> &result)
{
    return result ? QByteArray() : result.error().toUtf8();
}

} // namespace

class TestAwsCredentialsProcess : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void processPrintsCredentials();
    void processFailureShowsStderrNotStdout();
    void processGarbageOutputIsNotEchoed();
    void processTimeout();
    void processCannotStart();
    void processArgumentsAreNotInterpreted();
    void versionMustBeOne();

    void environmentKeysComeFirst();
    void bearerTokenPreferredForBedrock();
    void partialEnvironmentKeysAreAnError();
    void explicitProfileSkipsEnvironment();
    void awsProfileSelectsProfile();
    void profileWithCredentialProcess();
    void namedProfileMissing();
    void nothingConfigured();
    void sourceProfileLoopIsReported();
    void mfaIsExplained();

private:
    CredentialContext context() const;
    void writeConfig(const QByteArray &config, const QByteArray &credentials = {});

    std::unique_ptr<QTemporaryDir> m_home;
};

void TestAwsCredentialsProcess::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(QDir(m_home->path()).mkpath(u".aws"_s));
}

CredentialContext TestAwsCredentialsProcess::context() const
{
    CredentialContext context;
    context.homeDir = m_home->path();
    context.environment = QProcessEnvironment();
    context.environment.insert(u"PATH"_s, u"/usr/bin:/bin"_s);
    return context;
}

void TestAwsCredentialsProcess::writeConfig(const QByteArray &config, const QByteArray &credentials)
{
    for (const auto &[name, text] :
         {std::pair{u".aws/config"_s, config}, std::pair{u".aws/credentials"_s, credentials}}) {
        QFile file(m_home->filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    }
}

void TestAwsCredentialsProcess::processPrintsCredentials()
{
    CredentialContext ctx = context();
    ctx.environment.insert(u"QUARRY_TEST_SUFFIX"_s,
                           u"from-env"_s); // the helper sees the context's environment
    CredentialProcessProvider provider(u"dev"_s, script(u"process_ok.sh"_s), ctx);
    const auto result = resolveAndWait(provider);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, u"ASIAPROCESSEXAMPLE"_s);
    QCOMPARE(result->aws.secretAccessKey, u"process-secret-from-env"_s);
    QCOMPARE(result->aws.sessionToken, u"process-token"_s);
    QCOMPARE(result->expiration, QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), QTimeZone::utc()));
    QCOMPARE(result->source, u"profile dev (credential_process)"_s);
}

void TestAwsCredentialsProcess::processFailureShowsStderrNotStdout()
{
    CredentialProcessProvider provider(u"corp"_s, script(u"process_fail.sh"_s), context());
    const auto result = resolveAndWait(provider);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(u"profile corp"_s), qPrintable(result.error()));
    QVERIFY2(result.error().contains(u"exit code 3"_s), qPrintable(result.error()));
    QVERIFY2(result.error().contains(u"run aws-vault login corp"_s), qPrintable(result.error()));
    QVERIFY(!result.error().contains(u"STDOUT-SECRET"_s));
    QVERIFY(!result.error().contains(u"AKIALEAKED"_s));
}

void TestAwsCredentialsProcess::processGarbageOutputIsNotEchoed()
{
    CredentialProcessProvider provider(u"dev"_s, script(u"process_garbage.sh"_s), context());
    const auto result = resolveAndWait(provider);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(u"JSON"_s), qPrintable(result.error()));
    QVERIFY(!result.error().contains(u"GARBAGE"_s));
}

void TestAwsCredentialsProcess::processTimeout()
{
    CredentialContext ctx = context();
    ctx.options.processTimeoutMs = 700;
    CredentialProcessProvider provider(u"slow"_s, script(u"process_hang.sh"_s), ctx);
    QElapsedTimer timer;
    timer.start();
    const auto result = resolveAndWait(provider);
    QVERIFY(!result);
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY2(result.error().contains(u"did not finish"_s), qPrintable(result.error()));
    QVERIFY2(result.error().contains(u"waiting for MFA device"_s), qPrintable(result.error()));
}

void TestAwsCredentialsProcess::processCannotStart()
{
    CredentialProcessProvider provider(u"dev"_s, u"/nonexistent/helper --flag"_s, context());
    const auto result = resolveAndWait(provider);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(u"profile dev: credential_process could not be started"_s),
             qPrintable(result.error()));
    QVERIFY2(result.error().contains(u"/nonexistent/helper"_s), qPrintable(result.error()));
}

// The command line is split as the AWS CLI splits it and run without a shell: a quoted path with
// spaces is one program, and $HOME, ;, | and $(...) reach it as literal arguments (through
// /bin/sh -c, ; would run a second command and $HOME would be expanded).
void TestAwsCredentialsProcess::processArgumentsAreNotInterpreted()
{
    const QString dir = m_home->filePath(u"my helpers"_s);
    QVERIFY(QDir().mkpath(dir));
    const QString helper = dir + u"/print args.sh"_s;
    QFile file(helper);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Writes its arguments one per line to the file named by the first, then prints credentials.
    file.write(
        "#!/bin/sh\nout=$1; shift\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$out\"\n"
        "printf '{\"Version\": 1, \"AccessKeyId\": \"ASIAARGS\", \"SecretAccessKey\": \"args-secret\"}'\n");
    file.close();
    QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QString out = m_home->filePath(u"args.txt"_s);
    const QString command = u"'%1' '%2' $HOME ';' touch\\ pwned '|' \"a b\" $(id) `id`"_s.arg(helper, out);
    CredentialProcessProvider provider(u"dev"_s, command, context());
    const auto result = resolveAndWait(provider);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, u"ASIAARGS"_s);
    QFile written(out);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(written.readAll()).split(u'\n', Qt::SkipEmptyParts),
             (QStringList{u"$HOME"_s, u";"_s, u"touch pwned"_s, u"|"_s, u"a b"_s, u"$(id)"_s, u"`id`"_s}));
}

void TestAwsCredentialsProcess::versionMustBeOne()
{
    const auto result = CredentialProcessProvider::parseOutput(
        R"({"Version": 2, "AccessKeyId": "AKIAV2", "SecretAccessKey": "V2-SECRET"})", u"dev"_s);
    QVERIFY(!result);
    QVERIFY(result.error().contains(u"Version"_s));
    QVERIFY(!result.error().contains(u"V2-SECRET"_s));
    const auto noExpiry = CredentialProcessProvider::parseOutput(
        R"({"Version": 1, "AccessKeyId": "AKIAV1", "SecretAccessKey": "s"})", u"dev"_s);
    QVERIFY(noExpiry);
    QVERIFY(!noExpiry->expiration.isValid()); // long-term keys never expire
}

void TestAwsCredentialsProcess::environmentKeysComeFirst()
{
    writeConfig({}, "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = p\n");
    CredentialContext ctx = context();
    ctx.environment.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIAENV"_s);
    ctx.environment.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"env-secret"_s);
    ctx.environment.insert(u"AWS_SESSION_TOKEN"_s, u"env-token"_s);
    DefaultCredentialChain chain(ctx);
    const auto result = resolveAndWait(chain);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, u"AKIAENV"_s);
    QCOMPARE(result->aws.sessionToken, u"env-token"_s);
    QCOMPARE(result->source, u"environment"_s);

    ctx.environment.remove(u"AWS_ACCESS_KEY_ID"_s);
    ctx.environment.remove(u"AWS_SECRET_ACCESS_KEY"_s);
    DefaultCredentialChain fromFile(ctx);
    const auto fallback = resolveAndWait(fromFile);
    QVERIFY2(fallback, why(fallback).constData());
    QCOMPARE(fallback->aws.accessKeyId, u"AKIAPROFILE"_s);
    QCOMPARE(fallback->source, u"profile default (static keys)"_s);
}

void TestAwsCredentialsProcess::bearerTokenPreferredForBedrock()
{
    CredentialContext ctx = context();
    ctx.environment.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIAENV"_s);
    ctx.environment.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"env-secret"_s);
    ctx.environment.insert(u"AWS_BEARER_TOKEN_BEDROCK"_s, u"bedrock-api-key-value"_s);
    DefaultCredentialChain chain(ctx);
    const auto result = resolveAndWait(chain);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->kind, ResolvedCredentials::BearerToken);
    QCOMPARE(result->bearerToken, u"bedrock-api-key-value"_s);
    QVERIFY(!result->source.contains(u"bedrock-api-key-value"_s));
}

void TestAwsCredentialsProcess::partialEnvironmentKeysAreAnError()
{
    writeConfig({}, "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = p\n");
    CredentialContext ctx = context();
    ctx.environment.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIAENV"_s);
    DefaultCredentialChain chain(ctx);
    const auto result = resolveAndWait(chain);
    QVERIFY(!result); // as botocore: a half-set environment is a mistake, not a reason to use another source
    QVERIFY2(result.error().contains(u"AWS_SECRET_ACCESS_KEY"_s), qPrintable(result.error()));
}

void TestAwsCredentialsProcess::explicitProfileSkipsEnvironment()
{
    writeConfig("[profile team]\nregion = us-east-1\n",
                "[team]\naws_access_key_id = AKIATEAM\naws_secret_access_key = t\n");
    CredentialContext ctx = context();
    ctx.environment.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIAENV"_s);
    ctx.environment.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"env-secret"_s);
    DefaultCredentialChain chain(ctx, u"team"_s);
    const auto result = resolveAndWait(chain);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, u"AKIATEAM"_s);
    QCOMPARE(result->source, u"profile team (static keys)"_s);
}

void TestAwsCredentialsProcess::awsProfileSelectsProfile()
{
    writeConfig({}, "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n"
                    "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = o\n");
    CredentialContext ctx = context();
    ctx.environment.insert(u"AWS_PROFILE"_s, u"other"_s);
    DefaultCredentialChain chain(ctx);
    const auto result = resolveAndWait(chain);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, u"AKIAOTHER"_s);
}

void TestAwsCredentialsProcess::profileWithCredentialProcess()
{
    // credential_process wins over static keys in the same profile (the order Quarry documents).
    writeConfig("[profile helper]\ncredential_process = " + script(u"process_ok.sh"_s).toUtf8() +
                "\naws_access_key_id = AKIASTATIC\naws_secret_access_key = s\n");
    DefaultCredentialChain chain(context(), u"helper"_s);
    const auto result = resolveAndWait(chain);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, u"ASIAPROCESSEXAMPLE"_s);
    QCOMPARE(result->source, u"profile helper (credential_process)"_s);
}

void TestAwsCredentialsProcess::namedProfileMissing()
{
    writeConfig("[default]\nregion = us-east-1\n");
    DefaultCredentialChain chain(context(), u"ghost"_s);
    const auto result = resolveAndWait(chain);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(u"profile ghost is not in"_s), qPrintable(result.error()));
    QVERIFY2(result.error().contains(u"aws configure --profile ghost"_s), qPrintable(result.error()));
}

void TestAwsCredentialsProcess::nothingConfigured()
{
    writeConfig("[default]\nregion = us-east-1\n"); // a region alone is no credential
    DefaultCredentialChain chain(context());
    const auto result = resolveAndWait(chain);
    QVERIFY(!result);
    QVERIFY2(result.error().startsWith(u"no AWS credentials found"_s), qPrintable(result.error()));
    QVERIFY(result.error().contains(u"aws sso login"_s));
}

void TestAwsCredentialsProcess::sourceProfileLoopIsReported()
{
    writeConfig("[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
                "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n");
    DefaultCredentialChain chain(context(), u"a"_s);
    const auto result = resolveAndWait(chain);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(u"a -> b -> a"_s), qPrintable(result.error()));
}

void TestAwsCredentialsProcess::mfaIsExplained()
{
    writeConfig("[profile m]\nrole_arn = arn:aws:iam::1:role/M\nsource_profile = base\nmfa_serial = "
                "arn:aws:iam::1:mfa/me\n",
                "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n");
    DefaultCredentialChain chain(context(), u"m"_s);
    const auto result = resolveAndWait(chain);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(u"mfa_serial"_s), qPrintable(result.error()));
}

QTEST_GUILESS_MAIN(TestAwsCredentialsProcess)
#include "tst_aws_credentials_process.moc"
