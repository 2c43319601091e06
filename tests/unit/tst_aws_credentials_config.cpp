// Parsing ~/.aws/config and ~/.aws/credentials as the AWS CLI does, from fixtures in tests/data/aws.
#include "aws/credentials/AwsConfigFiles.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::aws;

namespace {

// QVERIFY2 evaluates its message even on success, so it must not call error() on a value.
template <typename T> QByteArray why(const quarry::Result<T> &result)
{
    return result ? QByteArray() : result.error().toUtf8();
}

} // namespace

class TestAwsCredentialsConfig : public QObject
{
    Q_OBJECT

private slots:
    void profilesFromBothFiles();
    void credentialsFileWinsOverConfigFile();
    void nestedSubSectionsDoNotLeak();
    void ssoSessions();
    void continuationLines();
    void regionPrecedence();
    void selectedProfile();
    void envOverridesFilePathsWithTildeExpansion();
    void defaultPathsUnderHome();
    void missingFilesAreEmpty();
    void crlfLineEndings();
    void malformedFileNamesFileAndLine();

private:
    static AwsConfigFiles fixtures();
};

AwsConfigFiles TestAwsCredentialsConfig::fixtures()
{
    const auto files = AwsConfigFiles::fromText(quarry::test::readData(u"aws/config"_s),
                                                quarry::test::readData(u"aws/credentials"_s));
    if (!files)
        qFatal("fixtures do not parse: %s", qPrintable(files.error()));
    return *files;
}

void TestAwsCredentialsConfig::profilesFromBothFiles()
{
    const AwsConfigFiles files = fixtures();
    // "[notaprofile]" only counts in the credentials file; "[profile literal]" there is named literally.
    QCOMPARE(files.profileNames(),
             (QStringList{u"default"_s, u"dev"_s, u"legacy-sso"_s, u"multiline"_s, u"notaprofile"_s,
                          u"prod"_s, u"profile literal"_s, u"spaced"_s, u"sso-dev"_s}));
    QCOMPARE(files.profile(u"notaprofile"_s)->value(u"aws_access_key_id"_s), u"AKIAISAPROFILEHERE"_s);
    QCOMPARE(files.profile(u"spaced"_s)->value(u"region"_s), u"ap-southeast-2"_s);
    QCOMPARE(files.profile(u"prod"_s)->value(u"role_arn"_s), u"arn:aws:iam::123456789012:role/Prod"_s);
    QCOMPARE(files.profile(u"prod"_s)->value(u"external_id"_s), u"ext-123"_s);
    QVERIFY(!files.profile(u"literal"_s));
    QVERIFY(!files.profile(u"nope"_s));
    // Values from both files merge into one default profile.
    QCOMPARE(files.profile(u"default"_s)->value(u"region"_s), u"us-west-2"_s);
    QCOMPARE(files.profile(u"default"_s)->value(u"aws_access_key_id"_s), u"AKIAIOSFODNN7EXAMPLE"_s);
}

void TestAwsCredentialsConfig::credentialsFileWinsOverConfigFile()
{
    const auto dev = fixtures().profile(u"dev"_s);
    QVERIFY(dev);
    QCOMPARE(dev->value(u"aws_access_key_id"_s), u"AKIAFROMCREDENTIALS"_s);
    QCOMPARE(dev->value(u"region"_s), u"us-gov-west-1"_s);
    QCOMPARE(dev->value(u"role_session_name"_s), u"dev-session"_s); // only in config: kept
}

void TestAwsCredentialsConfig::nestedSubSectionsDoNotLeak()
{
    const auto files = AwsConfigFiles::fromText(quarry::test::readData(u"aws/config"_s), {});
    QVERIFY(files);
    const auto dev = files->profile(u"dev"_s);
    QCOMPARE(dev->value(u"region"_s), u"eu-central-1"_s);
    QCOMPARE(dev->value(u"s3"_s), QString());
    QVERIFY(!dev->values.contains(u"max_concurrent_requests"_s));
}

void TestAwsCredentialsConfig::ssoSessions()
{
    const AwsConfigFiles files = fixtures();
    const auto corp = files.ssoSession(u"corp"_s);
    QVERIFY(corp);
    QCOMPARE(corp->value(u"sso_start_url"_s), u"https://corp.awsapps.com/start"_s);
    QCOMPARE(corp->value(u"sso_region"_s), u"eu-west-1"_s);
    QVERIFY(!files.profile(u"corp"_s)); // an sso-session is not a profile
    QCOMPARE(files.profile(u"sso-dev"_s)->value(u"sso_session"_s), u"corp"_s);
}

void TestAwsCredentialsConfig::continuationLines()
{
    // Python's ConfigParser (hence the CLI) joins indented continuation lines with '\n'.
    QCOMPARE(fixtures().profile(u"multiline"_s)->value(u"credential_process"_s),
             u"/usr/bin/helper\n--with-continuation"_s);
}

void TestAwsCredentialsConfig::regionPrecedence()
{
    const AwsConfigFiles files = fixtures();
    QProcessEnvironment env;
    QCOMPARE(files.region(u"default"_s, env), u"us-west-2"_s);
    QCOMPARE(files.region(u"nope"_s, env), QString());
    env.insert(u"AWS_DEFAULT_REGION"_s, u"eu-north-1"_s);
    QCOMPARE(files.region(u"default"_s, env), u"eu-north-1"_s);
    env.insert(u"AWS_REGION"_s, u"ap-south-1"_s);
    QCOMPARE(files.region(u"default"_s, env), u"ap-south-1"_s);
}

void TestAwsCredentialsConfig::selectedProfile()
{
    QProcessEnvironment env;
    QCOMPARE(AwsConfigFiles::selectedProfile(env), u"default"_s);
    env.insert(u"AWS_DEFAULT_PROFILE"_s, u"legacy"_s);
    QCOMPARE(AwsConfigFiles::selectedProfile(env), u"legacy"_s);
    env.insert(u"AWS_PROFILE"_s, u"dev"_s);
    QCOMPARE(AwsConfigFiles::selectedProfile(env), u"dev"_s);
}

void TestAwsCredentialsConfig::envOverridesFilePathsWithTildeExpansion()
{
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(u"elsewhere"_s));
    QVERIFY(QFile::copy(quarry::test::dataPath(u"aws/config"_s), home.filePath(u"elsewhere/cfg"_s)));
    QVERIFY(QFile::copy(quarry::test::dataPath(u"aws/credentials"_s), home.filePath(u"elsewhere/creds"_s)));
    CredentialContext context;
    context.homeDir = home.path();
    context.environment = QProcessEnvironment();
    context.environment.insert(u"AWS_CONFIG_FILE"_s, u"~/elsewhere/cfg"_s);
    context.environment.insert(u"AWS_SHARED_CREDENTIALS_FILE"_s, u"~/elsewhere/creds"_s);
    const auto files = AwsConfigFiles::load(context);
    QVERIFY2(files, why(files).constData());
    QCOMPARE(files->configPath(), home.filePath(u"elsewhere/cfg"_s));
    QCOMPARE(files->profile(u"dev"_s)->value(u"aws_access_key_id"_s), u"AKIAFROMCREDENTIALS"_s);
    QCOMPARE(files->profile(u"prod"_s)->value(u"source_profile"_s), u"dev"_s);
}

void TestAwsCredentialsConfig::defaultPathsUnderHome()
{
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(u".aws"_s));
    QVERIFY(QFile::copy(quarry::test::dataPath(u"aws/config"_s), home.filePath(u".aws/config"_s)));
    CredentialContext context;
    context.homeDir = home.path();
    context.environment = QProcessEnvironment();
    const auto files = AwsConfigFiles::load(context);
    QVERIFY2(files, why(files).constData());
    QCOMPARE(files->profile(u"dev"_s)->value(u"aws_access_key_id"_s), u"AKIAFROMCONFIGFILE"_s);
    QVERIFY(!files->profile(u"notaprofile"_s));
}

void TestAwsCredentialsConfig::missingFilesAreEmpty()
{
    QTemporaryDir home;
    CredentialContext context;
    context.homeDir = home.path();
    context.environment = QProcessEnvironment();
    const auto files = AwsConfigFiles::load(context);
    QVERIFY(files);
    QVERIFY(files->profileNames().isEmpty());
}

void TestAwsCredentialsConfig::crlfLineEndings()
{
    const auto files = AwsConfigFiles::fromText(quarry::test::readData(u"aws/config_crlf"_s), {});
    QVERIFY(files);
    QCOMPARE(files->profile(u"default"_s)->value(u"region"_s), u"sa-east-1"_s);
    QCOMPARE(files->profile(u"default"_s)->value(u"aws_access_key_id"_s), u"AKIACRLF"_s);
}

void TestAwsCredentialsConfig::malformedFileNamesFileAndLine()
{
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(u".aws"_s));
    QVERIFY(QFile::copy(quarry::test::dataPath(u"aws/config_malformed"_s), home.filePath(u".aws/config"_s)));
    CredentialContext context;
    context.homeDir = home.path();
    context.environment = QProcessEnvironment();
    const auto files = AwsConfigFiles::load(context);
    QVERIFY(!files);
    QVERIFY2(files.error().contains(home.filePath(u".aws/config"_s)), qPrintable(files.error()));
    QVERIFY2(files.error().contains(u"line 3"_s), qPrintable(files.error()));
}

QTEST_GUILESS_MAIN(TestAwsCredentialsConfig)
#include "tst_aws_credentials_config.moc"
