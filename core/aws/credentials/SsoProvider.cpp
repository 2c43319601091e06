// SsoProvider: reads the cached SSO access token and calls the portal's GetRoleCredentials with it.
#include "aws/credentials/SsoProvider.h"

#include "aws/credentials/AwsTime.h"
#include "aws/credentials/HttpCall.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace quarry::aws {

SsoProvider::SsoProvider(QString profileName, SsoParameters parameters, CredentialContext context)
    : m_profileName(std::move(profileName)), m_parameters(std::move(parameters)),
      m_context(std::move(context))
{}

QString SsoProvider::cacheFileName(const QString &cacheKey)
{
    return QString::fromLatin1(
               QCryptographicHash::hash(cacheKey.toUtf8(), QCryptographicHash::Sha1).toHex()) +
           u".json"_s;
}

QString SsoProvider::cacheFilePath() const
{
    return QDir(m_context.home()).filePath(u".aws/sso/cache/"_s + cacheFileName(m_parameters.cacheKey));
}

QUrl SsoProvider::endpoint() const
{
    const QUrl fallback(u"https://portal.sso.%1.amazonaws.com"_s.arg(m_parameters.ssoRegion));
    return m_context.endpoint(m_context.options.ssoEndpoint, u"SSO"_s, fallback);
}

QString SsoProvider::loginHint() const
{
    return u"profile %1: the SSO session expired — run `aws sso login --profile %1`"_s.arg(m_profileName);
}

Result<QByteArray> SsoProvider::readAccessToken() const
{
    // A missing, unreadable or expired cache entry all mean the same to the user: log in again.
    QFile file(cacheFilePath());
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(loginHint());
    const QJsonObject cache = QJsonDocument::fromJson(file.readAll()).object();
    const QString token = cache.value(u"accessToken"_s).toString();
    const QDateTime expiresAt = AwsTime::parseIso8601(cache.value(u"expiresAt"_s).toString());
    if (token.isEmpty() || !expiresAt.isValid() || expiresAt <= m_context.now())
        return Result<QByteArray>::failure(loginHint());
    return token.toUtf8();
}

namespace {

Result<ResolvedCredentials> parseRoleCredentials(const QByteArray &body)
{
    const QJsonObject role = QJsonDocument::fromJson(body).object().value(u"roleCredentials"_s).toObject();
    ResolvedCredentials resolved;
    resolved.aws.accessKeyId = role.value(u"accessKeyId"_s).toString();
    resolved.aws.secretAccessKey = role.value(u"secretAccessKey"_s).toString();
    resolved.aws.sessionToken = role.value(u"sessionToken"_s).toString();
    const qint64 expirationMs = role.value(u"expiration"_s).toInteger(0);
    if (!resolved.aws.isComplete() || expirationMs <= 0)
        return Result<ResolvedCredentials>::failure(u"GetRoleCredentials answered without roleCredentials"_s);
    resolved.expiration = QDateTime::fromMSecsSinceEpoch(expirationMs, QTimeZone::utc());
    return resolved;
}

} // namespace

void SsoProvider::resolve(Callback done)
{
    const Result<QByteArray> token = readAccessToken();
    if (!token)
        return done(Result<ResolvedCredentials>::failure(token.error()));
    QUrl url = endpoint();
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + u"/federation/credentials"_s);
    url.setQuery(QString::fromLatin1("role_name="_ba + QUrl::toPercentEncoding(m_parameters.roleName) +
                                     "&account_id="_ba + QUrl::toPercentEncoding(m_parameters.accountId)),
                 QUrl::StrictMode);
    QNetworkRequest request(url);
    request.setRawHeader("x-amz-sso_bearer_token", *token);
    const QString profile = m_profileName;
    const QString expired = loginHint();
    HttpCall::send(m_context.network, request, "GET", {}, m_context.options.httpTimeoutMs,
                   [=, done = std::move(done)](HttpOutcome outcome) {
                       const QString what = u"profile %1 (SSO): GetRoleCredentials"_s.arg(profile);
                       if (outcome.status == 401 || outcome.status == 403) // UnauthorizedException
                           return done(Result<ResolvedCredentials>::failure(expired));
                       if (outcome.status == 0)
                           return done(Result<ResolvedCredentials>::failure(what + u" is unreachable: "_s +
                                                                            outcome.networkError));
                       if (outcome.status != 200) {
                           const QString message =
                               QJsonDocument::fromJson(outcome.body).object().value(u"message"_s).toString();
                           return done(Result<ResolvedCredentials>::failure(
                               what + u" failed with HTTP %1 %2"_s.arg(outcome.status).arg(message)));
                       }
                       Result<ResolvedCredentials> result = parseRoleCredentials(outcome.body);
                       if (!result)
                           return done(Result<ResolvedCredentials>::failure(what + u": "_s + result.error()));
                       result->source = u"profile %1 (SSO)"_s.arg(profile);
                       done(std::move(result));
                   });
}

} // namespace quarry::aws
