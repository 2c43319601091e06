// StsClient: form-encoded Query API POSTs to STS, signed with SigV4 service "sts" where STS requires it.
#include "aws/credentials/StsClient.h"

#include "aws/SigV4Signer.h"
#include "aws/credentials/HttpCall.h"
#include "aws/credentials/StsResponse.h"

#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace quarry::aws {

namespace {

constexpr char kFormType[] = "application/x-www-form-urlencoded; charset=utf-8";

QByteArray field(const char *name, const QString &value)
{
    return '&' + QByteArray(name) + '=' + QUrl::toPercentEncoding(value);
}

QByteArray commonFields(const char *action, const AssumeRoleParameters &parameters)
{
    QByteArray body = "Action="_ba + action + "&Version=2011-06-15"_ba;
    body += field("RoleArn", parameters.roleArn);
    body += field("RoleSessionName", parameters.sessionName);
    if (parameters.durationSeconds > 0)
        body += field("DurationSeconds", QString::number(parameters.durationSeconds));
    return body;
}

// The Host value QNetworkAccessManager will send, which is what must be signed.
QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    const int defaultPort = url.scheme() == u"https"_s ? 443 : 80;
    if (url.port() != -1 && url.port() != defaultPort)
        host += ':' + QByteArray::number(url.port());
    return host;
}

} // namespace

StsClient::StsClient(CredentialContext context, QString region)
    : m_context(std::move(context)), m_region(std::move(region))
{}

QString StsClient::signingRegion() const
{
    return m_region.isEmpty() ? u"us-east-1"_s : m_region;
}

QUrl StsClient::endpoint() const
{
    QUrl fallback(u"https://sts.amazonaws.com/"_s);
    if (!m_region.isEmpty()) {
        const QString suffix = m_region.startsWith(u"cn-"_s) ? u"amazonaws.com.cn"_s : u"amazonaws.com"_s;
        fallback = QUrl(u"https://sts.%1.%2/"_s.arg(m_region, suffix));
    }
    return m_context.endpoint(m_context.options.stsEndpoint, u"STS"_s, fallback);
}

QByteArray StsClient::assumeRoleBody(const AssumeRoleParameters &parameters)
{
    QByteArray body = commonFields("AssumeRole", parameters);
    if (!parameters.externalId.isEmpty())
        body += field("ExternalId", parameters.externalId);
    return body;
}

QByteArray StsClient::webIdentityBody(const AssumeRoleParameters &parameters, const QByteArray &token)
{
    return commonFields("AssumeRoleWithWebIdentity", parameters) +
           field("WebIdentityToken", QString::fromUtf8(token.trimmed()));
}

void StsClient::assumeRole(const AssumeRoleParameters &parameters, const AwsCredentials &sourceCredentials,
                           CredentialProvider::Callback done) const
{
    post(assumeRoleBody(parameters), &sourceCredentials, std::move(done));
}

void StsClient::assumeRoleWithWebIdentity(const AssumeRoleParameters &parameters,
                                          const QByteArray &webIdentityToken,
                                          CredentialProvider::Callback done) const
{
    post(webIdentityBody(parameters, webIdentityToken), nullptr, std::move(done));
}

void StsClient::post(const QByteArray &body, const AwsCredentials *signWith,
                     CredentialProvider::Callback done) const
{
    QUrl url = endpoint();
    if (url.path().isEmpty())
        url.setPath(u"/"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Content-Type", kFormType);
    if (signWith) {
        SignableRequest signable{"POST",
                                 url.path(QUrl::FullyEncoded).toUtf8(),
                                 QByteArray(),
                                 {{"host", hostHeader(url)}, {"content-type", kFormType}},
                                 body};
        const SigV4Signer signer(signingRegion(), u"sts"_s);
        for (const auto &[name, value] : signer.sign(signable, *signWith, m_context.now()))
            request.setRawHeader(name, value);
    }
    const QString where = url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    HttpCall::send(m_context.network, request, "POST", body, m_context.options.httpTimeoutMs,
                   [where, done = std::move(done)](HttpOutcome outcome) {
                       if (outcome.status == 0)
                           return done(Result<ResolvedCredentials>::failure(
                               u"STS at %1 is unreachable: %2"_s.arg(where, outcome.networkError)));
                       done(StsResponse::parse(outcome.status, outcome.body));
                   });
}

} // namespace quarry::aws
