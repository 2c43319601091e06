// Bedrock Runtime URLs and request signing.
#include "gateway/BedrockEndpoint.h"

#include "aws/SigV4Signer.h"

using namespace Qt::StringLiterals;

namespace quarry::gateway {

BedrockEndpoint BedrockEndpoint::forRegion(const QString &region)
{
    BedrockEndpoint endpoint;
    endpoint.region = region;
    endpoint.host = u"bedrock-runtime."_s % region % u".amazonaws.com"_s;
    return endpoint;
}

QByteArray BedrockEndpoint::hostHeader() const
{
    const int defaultPort = scheme == u"https"_s ? 443 : 80;
    QByteArray header = QUrl::toAce(host);
    if (header.isEmpty())
        header = host.toUtf8();
    if (host.contains(u':')) // IPv6 literal
        header = '[' + host.toUtf8() + ']';
    if (port != defaultPort)
        header += ':' + QByteArray::number(port);
    return header;
}

QUrl BedrockEndpoint::url(const QByteArray &encodedPath) const
{
    QByteArray prefix = pathPrefix.toUtf8();
    while (prefix.endsWith('/'))
        prefix.chop(1);
    return QUrl::fromEncoded(scheme.toLatin1() + "://" + hostHeader() + prefix + encodedPath, QUrl::StrictMode);
}

QNetworkRequest BedrockEndpoint::signedPost(const QByteArray &encodedPath, const QByteArray &body,
                                            const QByteArray &accept, const BedrockCredentials &credentials,
                                            const QDateTime &now,
                                            const QList<QPair<QByteArray, QByteArray>> &extraHeaders) const
{
    return signedRequest("POST", encodedPath, body, "application/json", accept, credentials, now, extraHeaders);
}

QNetworkRequest BedrockEndpoint::signedRequest(const QByteArray &method, const QByteArray &encodedPath,
                                               const QByteArray &body, const QByteArray &contentType,
                                               const QByteArray &accept, const BedrockCredentials &credentials,
                                               const QDateTime &now,
                                               const QList<QPair<QByteArray, QByteArray>> &extraHeaders) const
{
    const QUrl target = url(encodedPath);
    const bool hasBody = method != "GET";
    QNetworkRequest request(target);
    if (hasBody)
        request.setRawHeader("Content-Type", contentType);
    request.setRawHeader("Accept", accept);
    for (const auto &[name, value] : extraHeaders)
        request.setRawHeader(name, value);
    // HTTP/2 to Bedrock: one connection carries concurrent requests. The simulator speaks HTTP/1.1.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, scheme == u"https"_s);

    if (credentials.kind == BedrockCredentials::Kind::BearerToken) {
        request.setRawHeader("Authorization", "Bearer " + credentials.bearerToken.toUtf8());
        return request;
    }

    aws::SignableRequest toSign;
    toSign.method = method;
    toSign.path = target.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveQuery
                                   | QUrl::RemoveFragment);
    toSign.query = target.query(QUrl::FullyEncoded).toLatin1();
    toSign.headers = {{"host", hostHeader()}, {"accept", accept}};
    if (hasBody)
        toSign.headers.append({"content-type", contentType});
    for (const auto &[name, value] : extraHeaders)
        toSign.headers.append({name.toLower(), value});
    toSign.body = body;
    const aws::SigV4Signer signer(region, u"bedrock"_s);
    for (const auto &[name, value] : signer.sign(toSign, credentials.aws, now))
        request.setRawHeader(name, value);
    return request;
}

} // namespace quarry::gateway
