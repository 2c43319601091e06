// Bedrock Runtime URLs and request signing.
#include "gateway/BedrockEndpoint.h"

#include "aws/SigV4Signer.h"

#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

BedrockEndpoint BedrockEndpoint::forRegion(const QString &region)
{
    BedrockEndpoint endpoint;
    endpoint.region = region;
    endpoint.host = u"bedrock-runtime."_s % region % u".amazonaws.com"_s;
    return endpoint;
}

namespace {

// Already what QUrl::toAce() would make of it (lower-case ASCII letters, digits, dots and dashes:
// amazonaws.com names, IPv4 addresses). toAce() runs the IDNA machinery on those too, and the
// Host header is made for every request.
bool isAsciiHostName(const QString &host)
{
    return std::all_of(host.begin(), host.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'-';
    });
}

} // namespace

QByteArray BedrockEndpoint::hostHeader() const
{
    const int defaultPort = scheme == u"https"_s ? 443 : 80;
    QByteArray header = isAsciiHostName(host) ? host.toLatin1() : QUrl::toAce(host);
    if (header.isEmpty())
        header = host.toUtf8();
    if (host.contains(u':')) // IPv6 literal
        header = '[' + host.toUtf8() + ']';
    if (port != defaultPort)
        header += ':' + QByteArray::number(port);
    return header;
}

namespace {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One value per name, as an HTTP client's "set header" keeps it: a later value replaces an earlier
// one in its place (a forwarded header cannot sneak in a second X-Amz-Date or Authorization).
void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value)
{
    for (auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return;
        }
    }
    headers.append({name, value});
}

// The provider's path override as it goes on the request line: what a URL path may hold stays,
// anything else (a space, a non-ASCII letter) is percent-encoded; no trailing slash.
QByteArray encodedPrefix(const QString &pathPrefix)
{
    QByteArray prefix = QUrl::toPercentEncoding(pathPrefix, "/!$&'()*+,;=:@%");
    while (prefix.endsWith('/'))
        prefix.chop(1);
    return prefix;
}

} // namespace

BedrockEndpoint::SignedRequest BedrockEndpoint::signedRequest(const QByteArray &method, const QByteArray &encodedPath,
                                                              const QByteArray &body, const QByteArray &contentType,
                                                              const QByteArray &accept,
                                                              const BedrockCredentials &credentials,
                                                              const QDateTime &now,
                                                              const HeaderList &extraHeaders) const
{
    const bool hasBody = method != "GET";
    const QByteArray host = hostHeader();
    SignedRequest request;
    request.target = pathPrefix.isEmpty() ? encodedPath : encodedPrefix(pathPrefix) + encodedPath;
    if (request.target.isEmpty() || request.target.front() != '/')
        request.target.prepend('/');
    request.headers.reserve(6 + extraHeaders.size());
    request.headers.append({"Host", host});
    if (hasBody)
        request.headers.append({"Content-Type", contentType});
    request.headers.append({"Accept", accept});
    for (const auto &[name, value] : extraHeaders)
        setHeader(request.headers, name, value);

    if (credentials.kind == BedrockCredentials::Kind::BearerToken) {
        setHeader(request.headers, "Authorization", "Bearer " + credentials.bearerToken.toUtf8());
        return request;
    }

    aws::SignableRequest toSign;
    toSign.method = method;
    const qsizetype queryStart = request.target.indexOf('?');
    toSign.path = queryStart < 0 ? request.target : request.target.first(queryStart);
    toSign.query = queryStart < 0 ? QByteArray() : request.target.sliced(queryStart + 1);
    toSign.headers = request.headers; // every header sent is signed (the signer lowercases names)
    toSign.body = body;
    const aws::SigV4Signer signer(region, u"bedrock"_s);
    for (const auto &[name, value] : signer.sign(toSign, credentials.aws, now))
        setHeader(request.headers, name, value);
    return request;
}

} // namespace quarry::gateway
