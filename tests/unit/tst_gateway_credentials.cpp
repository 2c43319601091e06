// Which credentials a backend signs with, and what a client is told when it has none: the status
// and error code per cause (401 missing, 503 keychain not answering), in the OpenAI and Anthropic
// error shapes. (There is no Responses error shape yet: Responses clients get the OpenAI shape.)
#include "gateway/CredentialResolver.h"
#include "providers/bedrock/converse/ApiError.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using gateway::BedrockCredentials;
using gateway::CredentialInputs;
using gateway::CredentialResolver;
using bedrock::ApiError;
using Kind = gateway::BedrockCredentials::Kind;

namespace {

config::AiBackend backendWith(config::BackendAuth::Kind kind, const QString &secretOrKey = {})
{
    config::AiBackend backend;
    backend.meta.ns = u"team"_s;
    backend.meta.name = u"claude"_s;
    backend.policies.auth.kind = kind;
    if (kind == config::BackendAuth::Kind::InlineKey)
        backend.policies.auth.inlineKey = secretOrKey;
    else
        backend.policies.auth.secretName = secretOrKey;
    return backend;
}

CredentialInputs withSecret(const secrets::ReadResult &read)
{
    CredentialInputs inputs;
    inputs.secrets.insert(u"team/bedrock-secret"_s, read);
    return inputs;
}

QJsonObject errorOf(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(u"error"_s).toObject();
}

} // namespace

class TestGatewayCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accessKeysSignWithSigV4();
    void apiKeyWithOrWithoutBearer_data();
    void apiKeyWithOrWithoutBearer();
    void awsSecretRefIgnoresAuthorization();
    void secretWithoutKeysSaysHowToStoreThem();
    void missingSecretIs401();
    void unreadableSecretIs401WithTheReason();
    void silentKeychainIs503();
    void keychainNotAskedYetIs503();
    void inlineKeyIsABearerToken();
    void defaultChainPendingThenMissing();
    void defaultChainFoundCredentials();
    void chainFailureDetailStaysOutOfTheClientMessage();
    void errorInOpenAiShape();
};

void TestGatewayCredentials::accessKeysSignWithSigV4()
{
    const auto credentials = CredentialResolver().resolve(
        backendWith(config::BackendAuth::Kind::SecretRef, u"bedrock-secret"_s),
        withSecret(secrets::ReadResult::found({{u"accessKey"_s, "AKIATEST0000000001 "},
                                               {u"secretKey"_s, "test-secret"},
                                               {u"sessionToken"_s, "token"}})));
    QCOMPARE(credentials.kind, Kind::SigV4);
    QVERIFY(credentials.usable());
    QCOMPARE(credentials.aws.accessKeyId, u"AKIATEST0000000001"_s); // pasted with a trailing space
    QCOMPARE(credentials.aws.secretAccessKey, u"test-secret"_s);
    QCOMPARE(credentials.aws.sessionToken, u"token"_s);
    QCOMPARE(credentials.source, u"secret team/bedrock-secret"_s);
}

void TestGatewayCredentials::apiKeyWithOrWithoutBearer_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::newRow("bare key") << QByteArray("ABSKexamplekey");
    QTest::newRow("Bearer key") << QByteArray("Bearer ABSKexamplekey");
    QTest::newRow("bearer key, spaces") << QByteArray("  bearer   ABSKexamplekey\n");
}

// A Bedrock API key in Authorization wins over access keys, with its scheme taken off once.
void TestGatewayCredentials::apiKeyWithOrWithoutBearer()
{
    QFETCH(QByteArray, stored);
    const auto credentials = CredentialResolver().resolve(
        backendWith(config::BackendAuth::Kind::SecretRef, u"bedrock-secret"_s),
        withSecret(secrets::ReadResult::found(
            {{u"Authorization"_s, stored}, {u"accessKey"_s, "AKIAIGNORED"}, {u"secretKey"_s, "ignored"}})));
    QCOMPARE(credentials.kind, Kind::BearerToken);
    QCOMPARE(credentials.bearerToken, u"ABSKexamplekey"_s);
}

// aws.secretRef means access keys: an Authorization entry there is not used as an API key.
void TestGatewayCredentials::awsSecretRefIgnoresAuthorization()
{
    const auto backend = backendWith(config::BackendAuth::Kind::AwsSecretRef, u"bedrock-secret"_s);
    const auto keyed = CredentialResolver().resolve(
        backend,
        withSecret(secrets::ReadResult::found(
            {{u"Authorization"_s, "ABSKexamplekey"}, {u"accessKey"_s, "AKIA1"}, {u"secretKey"_s, "s"}})));
    QCOMPARE(keyed.kind, Kind::SigV4);
    const auto onlyKey = CredentialResolver().resolve(
        backend, withSecret(secrets::ReadResult::found({{u"Authorization"_s, "ABSKexamplekey"}})));
    QCOMPARE(onlyKey.kind, Kind::Missing);
    QCOMPARE(onlyKey.problemStatus(), 401);
}

void TestGatewayCredentials::secretWithoutKeysSaysHowToStoreThem()
{
    const auto credentials = CredentialResolver().resolve(
        backendWith(config::BackendAuth::Kind::SecretRef, u"bedrock-secret"_s),
        withSecret(secrets::ReadResult::found({{u"accessKey"_s, "AKIAONLYHALF"}})));
    QCOMPARE(credentials.kind, Kind::Missing);
    QCOMPARE(credentials.problemStatus(), 401);
    QCOMPARE(credentials.problemCode, u"missing_credentials"_s);
    QVERIFY2(credentials.problem.contains(u"quarry create secret generic bedrock-secret -n team"_s),
             qPrintable(credentials.problem));
}

void TestGatewayCredentials::missingSecretIs401()
{
    const auto backend = backendWith(config::BackendAuth::Kind::SecretRef, u"bedrock-secret"_s);
    for (const auto &inputs : {withSecret(secrets::ReadResult::notFound()), CredentialInputs{}}) {
        const auto credentials = CredentialResolver().resolve(backend, inputs);
        QCOMPARE(credentials.kind, Kind::Missing);
        const ApiError error = credentials.clientError();
        QCOMPARE(error.status, 401);
        QCOMPARE(error.type, u"authentication_error"_s);
        QCOMPARE(error.code, u"missing_credentials"_s);
        QVERIFY2(error.message.contains(u"not in the keychain"_s), qPrintable(error.message));
        QVERIFY(error.message.contains(u"quarry create secret generic bedrock-secret"_s));
    }
}

void TestGatewayCredentials::unreadableSecretIs401WithTheReason()
{
    const auto credentials = CredentialResolver().resolve(
        backendWith(config::BackendAuth::Kind::SecretRef, u"bedrock-secret"_s),
        withSecret(secrets::ReadResult::failed(u"the item is not valid JSON"_s)));
    const ApiError error = credentials.clientError();
    QCOMPARE(error.status, 401);
    QCOMPARE(error.code, u"missing_credentials"_s);
    QVERIFY2(error.message.contains(u"the item is not valid JSON"_s), qPrintable(error.message));
}

// A keychain that did not answer may well answer a moment later: 503, not "no credentials".
void TestGatewayCredentials::silentKeychainIs503()
{
    const auto credentials =
        CredentialResolver().resolve(backendWith(config::BackendAuth::Kind::SecretRef, u"bedrock-secret"_s),
                                     withSecret(secrets::ReadResult::noAnswer(u"no answer within 10 s"_s)));
    QCOMPARE(credentials.kind, Kind::Waiting);
    const ApiError error = credentials.clientError();
    QCOMPARE(error.status, 503);
    QCOMPARE(error.type, u"api_error"_s);
    QCOMPARE(error.code, u"keychain_unavailable"_s);
    QVERIFY2(error.message.contains(u"Unlock it"_s), qPrintable(error.message));
}

void TestGatewayCredentials::keychainNotAskedYetIs503()
{
    CredentialInputs inputs;
    inputs.secretsPending = true;
    const auto credentials = CredentialResolver().resolve(
        backendWith(config::BackendAuth::Kind::SecretRef, u"bedrock-secret"_s), inputs);
    QCOMPARE(credentials.clientError().status, 503);
    QCOMPARE(credentials.problemCode, u"keychain_unavailable"_s);
}

void TestGatewayCredentials::inlineKeyIsABearerToken()
{
    const auto credentials = CredentialResolver().resolve(
        backendWith(config::BackendAuth::Kind::InlineKey, u"Bearer ABSKinline"_s), CredentialInputs{});
    QCOMPARE(credentials.kind, Kind::BearerToken);
    QCOMPARE(credentials.bearerToken, u"ABSKinline"_s);
    QVERIFY(!credentials.source.contains(u"ABSKinline"_s)); // the source names where, never what
}

void TestGatewayCredentials::defaultChainPendingThenMissing()
{
    const auto backend = backendWith(config::BackendAuth::Kind::DefaultChain);
    CredentialInputs inputs;
    inputs.chainsPending = true;
    const auto pending = CredentialResolver().resolve(backend, inputs);
    QCOMPARE(pending.kind, Kind::Waiting);
    QCOMPARE(pending.clientError().status, 503);
    QCOMPARE(pending.problemCode, u"credentials_pending"_s);

    inputs.chainsPending = false;
    inputs.chains.insert(CredentialResolver::defaultChain(backend)->key(),
                         Result<aws::ResolvedCredentials>::failure(u"no AWS_ACCESS_KEY_ID, no ~/.aws"_s));
    const auto missing = CredentialResolver().resolve(backend, inputs);
    QCOMPARE(missing.kind, Kind::Missing);
    const ApiError error = missing.clientError();
    QCOMPARE(error.status, 401);
    QVERIFY2(missing.problem.contains(u"no AWS_ACCESS_KEY_ID, no ~/.aws"_s),
             qPrintable(missing.problem));                                     // the log's
    QVERIFY2(!error.message.contains(u"~/.aws"_s), qPrintable(error.message)); // not the client's
    QVERIFY2(error.message.contains(u"team/claude"_s), qPrintable(error.message));
}

// credential_process's stderr (up to 2,000 characters) and the paths in it stay in Quarry's log and
// window; the client hears which backend and that credential_process failed, in a line.
void TestGatewayCredentials::chainFailureDetailStaysOutOfTheClientMessage()
{
    const auto backend = backendWith(config::BackendAuth::Kind::DefaultChain);
    CredentialInputs inputs;
    const QString stderrText = u"Traceback: /home/me/.local/bin/helper line 3 "_s + QString(1900, u'x');
    inputs.chains.insert(
        CredentialResolver::defaultChain(backend)->key(),
        Result<aws::ResolvedCredentials>::failure(
            u"profile dev: credential_process failed (exit code 1); stderr: "_s + stderrText));
    const auto missing = CredentialResolver().resolve(backend, inputs);
    QVERIFY(missing.problem.contains(stderrText)); // for the log and the window
    const ApiError error = missing.clientError();
    QCOMPARE(error.status, 401);
    QVERIFY2(!error.message.contains(u"/home/me"_s), qPrintable(error.message));
    QVERIFY2(error.message.size() < 200, qPrintable(error.message));
    QVERIFY2(error.message.contains(u"credential_process failed"_s), qPrintable(error.message));
    QVERIFY2(error.message.contains(u"team/claude"_s), qPrintable(error.message));
    QVERIFY(!QString::fromUtf8(error.toOpenAiJson()).contains(u"/home/me"_s));
    QVERIFY(!QString::fromUtf8(error.toAnthropicJson()).contains(u"/home/me"_s));

    // An expired SSO login keeps its one actionable line.
    inputs.chains.insert(CredentialResolver::defaultChain(backend)->key(),
                         Result<aws::ResolvedCredentials>::failure(
                             u"profile sso: the SSO login in /home/me/.aws/sso/cache/abc.json expired; run "
                             "aws sso login --profile sso"_s));
    const ApiError sso = CredentialResolver().resolve(backend, inputs).clientError();
    QVERIFY2(sso.message.contains(u"aws sso login --profile sso"_s), qPrintable(sso.message));
    QVERIFY2(!sso.message.contains(u"/home/me"_s), qPrintable(sso.message));
}

void TestGatewayCredentials::defaultChainFoundCredentials()
{
    auto backend = backendWith(config::BackendAuth::Kind::DefaultChain);
    backend.meta.annotations.insert(u"quarry.dev/aws-profile"_s, u"work"_s);
    const auto chain = CredentialResolver::defaultChain(backend);
    QVERIFY(chain);
    QCOMPARE(chain->profile, u"work"_s);
    aws::ResolvedCredentials found;
    found.aws.accessKeyId = u"AKIACHAIN"_s;
    found.aws.secretAccessKey = u"chain-secret"_s;
    found.source = u"profile work"_s;
    CredentialInputs inputs;
    inputs.chains.insert(chain->key(), found);
    const auto credentials = CredentialResolver().resolve(backend, inputs);
    QCOMPARE(credentials.kind, Kind::SigV4);
    QCOMPARE(credentials.aws.accessKeyId, u"AKIACHAIN"_s);
    QCOMPARE(credentials.source, u"profile work"_s);
    // Another profile's answer is not this backend's.
    backend.meta.annotations.insert(u"quarry.dev/aws-profile"_s, u"other"_s);
    QVERIFY(!CredentialResolver().resolve(backend, inputs).usable());
}

void TestGatewayCredentials::errorInOpenAiShape()
{
    const ApiError error{404, u"invalid_request_error"_s, u"route_not_found"_s, u"No route for /x"_s};
    const QJsonObject body = errorOf(error.toOpenAiJson());
    QCOMPARE(body.value(u"message"_s).toString(), u"No route for /x"_s);
    QCOMPARE(body.value(u"type"_s).toString(), u"invalid_request_error"_s);
    QCOMPARE(body.value(u"code"_s).toString(), u"route_not_found"_s);
}

QTEST_GUILESS_MAIN(TestGatewayCredentials)
#include "tst_gateway_credentials.moc"
