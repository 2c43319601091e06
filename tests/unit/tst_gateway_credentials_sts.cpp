// AssumeRole, web identity and SSO against fake STS/SSO endpoints on 127.0.0.1 that check what they
// receive (SigV4 for service sts, cross-checked with botocore; bearer token for SSO), plus the
// single-flight refresh counted on the fake.
#include "aws/AuthorizationHeader.h"
#include "aws/SigV4Signer.h"
#include "aws/SigV4Verifier.h"
#include "aws/credentials/CachingCredentialProvider.h"
#include "aws/credentials/DefaultCredentialChain.h"
#include "http/HttpServer.h"

#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>
#include <QUrlQuery>

#include <atomic>
#include <optional>

using namespace Qt::StringLiterals;
using namespace quarry::aws;
using quarry::Result;

namespace {

const QString kAccount = u"arn:aws:iam::123456789012:role/"_s;
const AwsCredentials kBase{u"AKIAIOSFODNN7EXAMPLE"_s, u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s, {}};
const AwsCredentials kEnv{u"AKIAENVEXAMPLE"_s, u"env-secret-example"_s, u"env-session-token"_s};
const QByteArray kSsoToken = "sso-access-token-example";
const QString kFakeExpiration = u"2030-01-01T00:00:00Z"_s;

struct Recorded
{
    QByteArray method;
    QByteArray path;
    QByteArray query;
    HeaderList headers;
    QByteArray body;

    QString form(const QString &key) const
    {
        return QUrlQuery(QString::fromUtf8(body)).queryItemValue(key, QUrl::FullyDecoded);
    }
    SignableRequest signable() const { return SignableRequest{method, path, query, headers, body}; }
};

// Shared by the handlers (worker threads) and the test (main thread).
struct FakeAws
{
    QMutex mutex;
    QList<Recorded> requests;
    std::atomic<int> stsCalls{0};
    std::atomic<int> delayMs{0};

    QList<Recorded> taken()
    {
        QMutexLocker lock(&mutex);
        return std::exchange(requests, {});
    }
};

// What the fake STS hands out for a role: deterministic, so the test knows the secrets.
AwsCredentials issuedFor(const QString &roleArn)
{
    const QString role = roleArn.section(u'/', -1);
    return AwsCredentials{u"ASIA"_s + role.toUpper(), u"secret-for-"_s + role, u"token-for-"_s + role};
}

QByteArray stsSuccess(const QString &action, const AwsCredentials &issued)
{
    return u"<%1Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><%1Result><Credentials>"
           "<AccessKeyId>%2</AccessKeyId><SecretAccessKey>%3</SecretAccessKey><SessionToken>%4</SessionToken>"
           "<Expiration>%5</Expiration></Credentials></%1Result></%1Response>"_s
               .arg(action, issued.accessKeyId, issued.secretAccessKey, issued.sessionToken, kFakeExpiration)
               .toUtf8();
}

class FakeAwsHandler final : public quarry::http::RequestHandler
{
public:
    explicit FakeAwsHandler(FakeAws *fake) : m_fake(fake) {}

    void handle(quarry::http::HttpRequest request,
                std::shared_ptr<quarry::http::ResponseWriter> writer) override
    {
        Recorded recorded{request.method, request.path, request.query, {}, request.body};
        for (const auto &header : request.headers)
            recorded.headers.append({header.name, header.value});
        {
            QMutexLocker lock(&m_fake->mutex);
            m_fake->requests.append(recorded);
        }
        if (request.path == "/federation/credentials")
            return sso(request, *writer);
        ++m_fake->stsCalls;
        const QString action = recorded.form(u"Action"_s);
        const QString roleArn = recorded.form(u"RoleArn"_s);
        const int status = roleArn.endsWith(u"/Denied"_s) ? 403 : 200;
        const QByteArray body = status == 200
                                    ? stsSuccess(action, issuedFor(roleArn))
                                    : u"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                                      "<Message>User is not authorized to perform: sts:AssumeRole on "
                                      "resource: %1</Message></Error></ErrorResponse>"_s.arg(roleArn)
                                          .toUtf8();
        QTimer::singleShot(m_fake->delayMs.load(), &m_context, [writer, status, body] {
            writer->respond(status, {{"Content-Type"_ba, "text/xml"_ba}}, body);
        });
    }

private:
    static void sso(const quarry::http::HttpRequest &request, quarry::http::ResponseWriter &writer)
    {
        if (request.header("x-amz-sso_bearer_token") != kSsoToken)
            return writer.respond(401, {}, R"({"message":"Session token not found or invalid"})"_ba);
        const QUrlQuery query(QString::fromUtf8(request.query));
        const QJsonObject role{
            {u"accessKeyId"_s, QString(u"ASIASSO"_s + query.queryItemValue(u"account_id"_s))},
            {u"secretAccessKey"_s, u"sso-secret"_s},
            {u"sessionToken"_s, u"sso-session-token"_s},
            {u"expiration"_s, QJsonValue(qint64(1893456000000))}}; // 2030-01-01T00:00:00Z
        writer.respond(
            200, {{"Content-Type"_ba, "application/json"_ba}},
            QJsonDocument(QJsonObject{{u"roleCredentials"_s, role}}).toJson(QJsonDocument::Compact));
    }

    FakeAws *m_fake;
    QObject m_context;
};

QByteArray why(const Result<ResolvedCredentials> &result)
{
    return result ? QByteArray() : result.error().toUtf8();
}

} // namespace

class TestGatewayCredentialsSts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void assumeRoleIsSignedForSts();
    void chainedRolesUseEachStepsCredentials();
    void credentialSourceEnvironment();
    void stsErrorNamesProfileRoleAndReason();
    void webIdentityFromProfile();
    void webIdentityFromEnvironment();
    void ssoSessionProfile();
    void legacySsoProfile();
    void ssoExpiredOrMissingTokenTellsHowToLogIn();
    void ssoRejectedTokenTellsHowToLogIn();
    void fiftyConcurrentResolvesMakeOneStsCall();

private:
    CredentialContext context() const;
    Result<ResolvedCredentials> resolve(CredentialProvider &provider);
    Result<ResolvedCredentials> resolveProfile(const QString &profile);
    void writeFile(const QString &relative, const QByteArray &text);
    void writeSsoCache(const QString &cacheKey, const QDateTime &expiresAt);
    void checkSignature(const Recorded &request, const AwsCredentials &signer, const QByteArray &region);
    void checkWithBotocore(const Recorded &request, const AwsCredentials &signer);

    FakeAws m_fake;
    std::unique_ptr<quarry::http::HttpServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
    QNetworkAccessManager m_network;
    QProcessEnvironment m_env;
    bool m_haveBotocore = false;
};

void TestGatewayCredentialsSts::initTestCase()
{
    m_server = std::make_unique<quarry::http::HttpServer>(
        [this] { return std::make_unique<FakeAwsHandler>(&m_fake); }, quarry::http::ServerOptions{});
    const auto listening = m_server->listen(QHostAddress::LocalHost, 0);
    QVERIFY(listening);
    QProcess probe;
    probe.start(u"/usr/bin/python3"_s, {u"-c"_s, u"import botocore"_s});
    m_haveBotocore =
        probe.waitForFinished(30000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
    if (!m_haveBotocore)
        qWarning("botocore for /usr/bin/python3 is missing: the botocore cross-check is skipped");
}

void TestGatewayCredentialsSts::init()
{
    m_fake.taken();
    m_fake.stsCalls = 0;
    m_fake.delayMs = 0;
    m_env = QProcessEnvironment();
    m_home = std::make_unique<QTemporaryDir>();
    writeFile(u".aws/credentials"_s, "[base]\naws_access_key_id = " + kBase.accessKeyId.toUtf8() +
                                         "\naws_secret_access_key = " + kBase.secretAccessKey.toUtf8() +
                                         "\n");
    writeFile(u".aws/config"_s, R"([profile roleB]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = base
external_id = ext-B
role_session_name = sess-B
duration_seconds = 1800
region = eu-west-1

[profile roleC]
role_arn = arn:aws:iam::123456789012:role/C
source_profile = roleB
role_session_name = sess-C

[profile denied]
role_arn = arn:aws:iam::123456789012:role/Denied
source_profile = base
region = us-west-2

[profile envrole]
role_arn = arn:aws:iam::123456789012:role/FromEnv
credential_source = Environment
region = ap-northeast-1

[profile webid]
role_arn = arn:aws:iam::123456789012:role/Web
web_identity_token_file = ~/token.jwt
role_session_name = web-sess

[profile sso-dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 444455556666
sso_role_name = ReadOnly
)"_ba);
}

CredentialContext TestGatewayCredentialsSts::context() const
{
    CredentialContext context;
    context.network = const_cast<QNetworkAccessManager *>(&m_network);
    context.environment = m_env;
    context.homeDir = m_home->path();
    const QUrl fake(u"http://127.0.0.1:%1/"_s.arg(m_server->serverPort()));
    context.options.stsEndpoint = fake;
    context.options.ssoEndpoint = fake;
    return context;
}

Result<ResolvedCredentials> TestGatewayCredentialsSts::resolve(CredentialProvider &provider)
{
    std::optional<Result<ResolvedCredentials>> outcome;
    provider.resolve([&outcome](Result<ResolvedCredentials> result) { outcome = std::move(result); });
    QElapsedTimer timer;
    timer.start();
    while (!outcome && timer.elapsed() < 20000)
        QTest::qWait(5);
    return outcome ? *outcome : Result<ResolvedCredentials>::failure(u"test: no answer in time"_s);
}

Result<ResolvedCredentials> TestGatewayCredentialsSts::resolveProfile(const QString &profile)
{
    DefaultCredentialChain chain(context(), profile);
    return resolve(chain);
}

void TestGatewayCredentialsSts::writeFile(const QString &relative, const QByteArray &text)
{
    const QString path = m_home->filePath(relative);
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

void TestGatewayCredentialsSts::writeSsoCache(const QString &cacheKey, const QDateTime &expiresAt)
{
    // The file name `aws sso login` uses: SHA-1 (hex) of the session name or, for legacy
    // profiles, of the start URL (botocore's SSOTokenLoader._generate_cache_key).
    const QString name =
        QString::fromLatin1(QCryptographicHash::hash(cacheKey.toUtf8(), QCryptographicHash::Sha1).toHex());
    const QJsonObject cache{{u"startUrl"_s, u"https://corp.awsapps.com/start"_s},
                            {u"region"_s, u"eu-west-1"_s},
                            {u"accessToken"_s, QString::fromLatin1(kSsoToken)},
                            {u"expiresAt"_s, expiresAt.toString(Qt::ISODate)}};
    writeFile(u".aws/sso/cache/"_s + name + u".json"_s, QJsonDocument(cache).toJson());
}

void TestGatewayCredentialsSts::checkSignature(const Recorded &request, const AwsCredentials &signer,
                                               const QByteArray &region)
{
    const auto auth = AuthorizationHeader::parse(SigV4Signer::headerValue(request.headers, "authorization"));
    QVERIFY2(auth, "AssumeRole carried no parsable Authorization header");
    QCOMPARE(auth->accessKeyId, signer.accessKeyId);
    QCOMPARE(auth->service, "sts"_ba);
    QCOMPARE(auth->region, region);
    QCOMPARE(SigV4Signer::headerValue(request.headers, "x-amz-security-token"), signer.sessionToken.toUtf8());
    const auto lookup = [&signer](const QString &keyId) {
        return keyId == signer.accessKeyId ? std::optional(signer.secretAccessKey) : std::nullopt;
    };
    const VerifyResult verdict =
        SigV4Verifier::verify(request.signable(), lookup, QDateTime::currentDateTimeUtc(), u"sts"_s);
    QVERIFY2(verdict.ok, qPrintable(verdict.errorType + u": "_s + verdict.message));
}

// botocore signs the exact request the fake received; its Authorization must be the one we sent.
void TestGatewayCredentialsSts::checkWithBotocore(const Recorded &request, const AwsCredentials &signer)
{
    if (!m_haveBotocore)
        return;
    const auto auth = AuthorizationHeader::parse(SigV4Signer::headerValue(request.headers, "authorization"));
    QVERIFY(auth);
    QJsonArray headers; // the signed ones botocore does not add itself
    for (const QByteArray &name : auth->signedHeaders) {
        if (name != "host" && name != "x-amz-date" && name != "x-amz-security-token")
            headers.append(QJsonArray{QString::fromLatin1(name),
                                      QString::fromUtf8(SigV4Signer::headerValue(request.headers, name))});
    }
    const QJsonObject input{
        {u"method"_s, QString::fromLatin1(request.method)},
        {u"url"_s,
         QString(u"http://"_s + QString::fromUtf8(SigV4Signer::headerValue(request.headers, "host")) +
                 QString::fromUtf8(request.path))},
        {u"headers"_s, headers},
        {u"body"_s, QString::fromUtf8(request.body)},
        {u"accessKeyId"_s, signer.accessKeyId},
        {u"secretAccessKey"_s, signer.secretAccessKey},
        {u"sessionToken"_s, signer.sessionToken},
        {u"region"_s, QString::fromLatin1(auth->region)},
        {u"service"_s, u"sts"_s},
        {u"timestamp"_s, QString::fromLatin1(SigV4Signer::headerValue(request.headers, "x-amz-date"))},
    };
    QProcess python;
    python.start(u"/usr/bin/python3"_s,
                 {QDir::cleanPath(quarry::test::dataPath(u"../integration/botocore_sigv4_check.py"_s))});
    python.write(QJsonDocument(input).toJson(QJsonDocument::Compact));
    python.closeWriteChannel();
    QVERIFY(python.waitForFinished(60000));
    QCOMPARE(python.exitCode(), 0);
    const QJsonObject theirs = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    QCOMPARE(theirs.value(u"headers"_s).toObject().value(u"Authorization"_s).toString().toUtf8(),
             SigV4Signer::headerValue(request.headers, "authorization"));
}

void TestGatewayCredentialsSts::assumeRoleIsSignedForSts()
{
    const auto result = resolveProfile(u"roleB"_s);
    QVERIFY2(result, why(result).constData());
    const AwsCredentials issued = issuedFor(kAccount + u"B"_s);
    QCOMPARE(result->aws.accessKeyId, issued.accessKeyId);
    QCOMPARE(result->aws.secretAccessKey, issued.secretAccessKey);
    QCOMPARE(result->aws.sessionToken, issued.sessionToken);
    QCOMPARE(result->expiration, QDateTime(QDate(2030, 1, 1), QTime(0, 0), QTimeZone::utc()));
    QCOMPARE(result->source,
             u"profile roleB (assume role arn:aws:iam::123456789012:role/B via profile base)"_s);

    const QList<Recorded> requests = m_fake.taken();
    QCOMPARE(requests.size(), 1);
    const Recorded &sts = requests.first();
    QCOMPARE(sts.method, "POST"_ba);
    QCOMPARE(sts.form(u"Action"_s), u"AssumeRole"_s);
    QCOMPARE(sts.form(u"Version"_s), u"2011-06-15"_s);
    QCOMPARE(sts.form(u"RoleArn"_s), kAccount + u"B"_s);
    QCOMPARE(sts.form(u"RoleSessionName"_s), u"sess-B"_s);
    QCOMPARE(sts.form(u"ExternalId"_s), u"ext-B"_s);
    QCOMPARE(sts.form(u"DurationSeconds"_s), u"1800"_s);
    checkSignature(sts, kBase, "eu-west-1");
    checkWithBotocore(sts, kBase);
}

void TestGatewayCredentialsSts::chainedRolesUseEachStepsCredentials()
{
    const auto result = resolveProfile(u"roleC"_s);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, issuedFor(kAccount + u"C"_s).accessKeyId);
    QCOMPARE(result->source,
             u"profile roleC (assume role arn:aws:iam::123456789012:role/C via profile roleB)"_s);

    const QList<Recorded> requests = m_fake.taken();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[0].form(u"RoleArn"_s), kAccount + u"B"_s);
    checkSignature(requests[0], kBase, "eu-west-1");
    checkWithBotocore(requests[0], kBase);
    // The second call is signed with role B's temporary credentials, session token included;
    // roleC has no region, so the global endpoint's signing region applies.
    QCOMPARE(requests[1].form(u"RoleArn"_s), kAccount + u"C"_s);
    QCOMPARE(requests[1].form(u"RoleSessionName"_s), u"sess-C"_s);
    QVERIFY(requests[1].form(u"ExternalId"_s).isEmpty());
    const AwsCredentials roleB = issuedFor(kAccount + u"B"_s);
    checkSignature(requests[1], roleB, "us-east-1");
    checkWithBotocore(requests[1], roleB);
}

void TestGatewayCredentialsSts::credentialSourceEnvironment()
{
    m_env.insert(u"AWS_ACCESS_KEY_ID"_s, kEnv.accessKeyId);
    m_env.insert(u"AWS_SECRET_ACCESS_KEY"_s, kEnv.secretAccessKey);
    m_env.insert(u"AWS_SESSION_TOKEN"_s, kEnv.sessionToken);
    const auto result = resolveProfile(u"envrole"_s);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->source,
             u"profile envrole (assume role arn:aws:iam::123456789012:role/FromEnv via environment)"_s);
    const QList<Recorded> requests = m_fake.taken();
    QCOMPARE(requests.size(), 1);
    checkSignature(requests[0], kEnv, "ap-northeast-1");
    checkWithBotocore(requests[0], kEnv);
}

void TestGatewayCredentialsSts::stsErrorNamesProfileRoleAndReason()
{
    const auto result = resolveProfile(u"denied"_s);
    QVERIFY(!result);
    const QString error = result.error();
    QVERIFY2(error.startsWith(u"profile denied: assuming role arn:aws:iam::123456789012:role/Denied"_s),
             qPrintable(error));
    QVERIFY2(error.contains(u"STS AccessDenied: User is not authorized to perform: sts:AssumeRole"_s),
             qPrintable(error));
    QVERIFY(!error.contains(kBase.secretAccessKey));
}

void TestGatewayCredentialsSts::webIdentityFromProfile()
{
    writeFile(u"token.jwt"_s, "eyJhbGciOiJSUzI1NiJ9.web-identity-payload.signature\n");
    const auto result = resolveProfile(u"webid"_s);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, issuedFor(kAccount + u"Web"_s).accessKeyId);
    QCOMPARE(result->source, u"profile webid (web identity, role arn:aws:iam::123456789012:role/Web)"_s);
    const QList<Recorded> requests = m_fake.taken();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].form(u"Action"_s), u"AssumeRoleWithWebIdentity"_s);
    QCOMPARE(requests[0].form(u"WebIdentityToken"_s),
             u"eyJhbGciOiJSUzI1NiJ9.web-identity-payload.signature"_s);
    QCOMPARE(requests[0].form(u"RoleSessionName"_s), u"web-sess"_s);
    QVERIFY(SigV4Signer::headerValue(requests[0].headers, "authorization").isNull()); // unsigned call
}

void TestGatewayCredentialsSts::webIdentityFromEnvironment()
{
    writeFile(u"irsa/token"_s, "env-web-identity-token");
    m_env.insert(u"AWS_WEB_IDENTITY_TOKEN_FILE"_s, m_home->filePath(u"irsa/token"_s));
    m_env.insert(u"AWS_ROLE_ARN"_s, kAccount + u"Irsa"_s);
    m_env.insert(u"AWS_ROLE_SESSION_NAME"_s, u"irsa-session"_s);
    DefaultCredentialChain chain(context()); // no profile named, no "default" profile: falls through
    const auto result = resolve(chain);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->source, u"web identity (role arn:aws:iam::123456789012:role/Irsa)"_s);
    const QList<Recorded> requests = m_fake.taken();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].form(u"WebIdentityToken"_s), u"env-web-identity-token"_s);
    QCOMPARE(requests[0].form(u"RoleSessionName"_s), u"irsa-session"_s);
}

void TestGatewayCredentialsSts::ssoSessionProfile()
{
    writeSsoCache(u"corp"_s, QDateTime::currentDateTimeUtc().addSecs(3600));
    const auto result = resolveProfile(u"sso-dev"_s);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, u"ASIASSO111122223333"_s);
    QCOMPARE(result->aws.sessionToken, u"sso-session-token"_s);
    QCOMPARE(result->expiration, QDateTime(QDate(2030, 1, 1), QTime(0, 0), QTimeZone::utc()));
    QCOMPARE(result->source, u"profile sso-dev (SSO)"_s);
    const QList<Recorded> requests = m_fake.taken();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests[0].method, "GET"_ba);
    QCOMPARE(requests[0].path, "/federation/credentials"_ba);
    const QUrlQuery query(QString::fromUtf8(requests[0].query));
    QCOMPARE(query.queryItemValue(u"role_name"_s), u"Developer"_s);
    QCOMPARE(query.queryItemValue(u"account_id"_s), u"111122223333"_s);
    QCOMPARE(SigV4Signer::headerValue(requests[0].headers, "x-amz-sso_bearer_token"), kSsoToken);
}

void TestGatewayCredentialsSts::legacySsoProfile()
{
    writeSsoCache(u"https://legacy.awsapps.com/start"_s, QDateTime::currentDateTimeUtc().addSecs(3600));
    const auto result = resolveProfile(u"legacy"_s);
    QVERIFY2(result, why(result).constData());
    QCOMPARE(result->aws.accessKeyId, u"ASIASSO444455556666"_s);
}

void TestGatewayCredentialsSts::ssoExpiredOrMissingTokenTellsHowToLogIn()
{
    const QString expected =
        u"profile sso-dev: the SSO session expired — run `aws sso login --profile sso-dev`"_s;
    const auto missing = resolveProfile(u"sso-dev"_s);
    QVERIFY(!missing);
    QCOMPARE(missing.error(), expected);
    writeSsoCache(u"corp"_s, QDateTime::currentDateTimeUtc().addSecs(-60));
    const auto expired = resolveProfile(u"sso-dev"_s);
    QVERIFY(!expired);
    QCOMPARE(expired.error(), expected);
    QCOMPARE(m_fake.taken().size(), 0); // an expired token is not even sent
}

void TestGatewayCredentialsSts::ssoRejectedTokenTellsHowToLogIn()
{
    writeSsoCache(u"corp"_s, QDateTime::currentDateTimeUtc().addSecs(3600));
    // Replace the token with one the portal does not know (e.g. revoked on the server side).
    const QString path =
        m_home->filePath(u".aws/sso/cache/"_s) +
        QString::fromLatin1(QCryptographicHash::hash("corp", QCryptographicHash::Sha1).toHex()) + u".json"_s;
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray text = file.readAll().replace(kSsoToken, "revoked-token");
    file.close();
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
    file.close();
    const auto result = resolveProfile(u"sso-dev"_s);
    QVERIFY(!result);
    QCOMPARE(result.error(),
             u"profile sso-dev: the SSO session expired — run `aws sso login --profile sso-dev`"_s);
}

void TestGatewayCredentialsSts::fiftyConcurrentResolvesMakeOneStsCall()
{
    QDateTime now(QDate(2029, 12, 31), QTime(23, 0),
                  QTimeZone::utc()); // fake credentials expire at 2030-01-01
    CredentialContext ctx = context();
    ctx.clock = [&now] { return now; };
    CachingCredentialProvider cache(std::make_unique<DefaultCredentialChain>(ctx, u"roleB"_s),
                                    [&now] { return now; });
    m_fake.delayMs = 200; // every caller arrives while the one STS call is in flight

    const auto burst = [&cache] {
        auto keys = std::make_shared<QStringList>();
        for (int i = 0; i < 50; ++i)
            cache.resolve(
                [keys](Result<ResolvedCredentials> r) { keys->append(r ? r->aws.accessKeyId : r.error()); });
        return keys;
    };
    const QString roleB = issuedFor(kAccount + u"B"_s).accessKeyId;
    const QList<std::pair<QTime, int>> rounds = {
        {QTime(23, 0), 1},  // first use: one call
        {QTime(23, 50), 1}, // still outside the 5-minute margin: cached
        {QTime(23, 56), 2}, // within the margin: one refresh for all 50
    };
    for (const auto &[time, expectedCalls] : rounds) {
        now = QDateTime(QDate(2029, 12, 31), time, QTimeZone::utc());
        const auto keys = burst();
        QTRY_COMPARE_WITH_TIMEOUT(keys->size(), 50, 20000);
        QCOMPARE(keys->count(roleB), 50);
        QCOMPARE(m_fake.stsCalls.load(), expectedCalls);
    }
}

QTEST_GUILESS_MAIN(TestGatewayCredentialsSts)
#include "tst_gateway_credentials_sts.moc"
