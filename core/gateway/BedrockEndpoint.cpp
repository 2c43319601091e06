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
                                            const QDateTime &now) const
{
    QNetworkRequest request(url(encodedPath));
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Accept", accept);
    // Bedrock streams must not be decompressed or buffered by the HTTP stack.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, scheme == u"https"_s);

    if (credentials.kind == BedrockCredentials::Kind::BearerToken) {
        request.setRawHeader("Authorization", "Bearer " + credentials.bearerToken.toUtf8());
        return request;
    }

    aws::SignableRequest toSign;
    toSign.method = "POST";
    const QByteArray prefix = url(encodedPath).toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    toSign.path = prefix;
    toSign.headers = {{"host", hostHeader()}, {"content-type", "application/json"}, {"accept", accept}};
    toSign.body = body;
    const aws::SigV4Signer signer(region, u"bedrock"_s);
    for (const auto &[name, value] : signer.sign(toSign, credentials.aws, now))
        request.setRawHeader(name, value);
    return request;
}

} // namespace quarry::gateway
