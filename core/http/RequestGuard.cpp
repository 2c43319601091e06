// Host, Origin and Sec-Fetch-Site checks and CORS preflights; rejections are 403s in the OpenAI
// error shape so SDKs and browsers' consoles show the reason.
#include "http/RequestGuard.h"

#include "http/ResponseEncoder.h"

using namespace Qt::StringLiterals;

namespace quarry::http {

namespace {

// Header values may be any bytes; keep the message readable and bounded.
QString quoted(QByteArrayView value)
{
    constexpr qsizetype kMaxShown = 100;
    QString text = QString::fromLatin1(value.first(std::min(value.size(), kMaxShown)));
    if (value.size() > kMaxShown)
        text += u"..."_s;
    return text;
}

} // namespace

RequestGuard::RequestGuard(bool checkHost, QList<QByteArray> allowedOrigins, quint16 listeningPort)
    : m_checkHost(checkHost), m_allowedOrigins(std::move(allowedOrigins)),
      m_port(QByteArray::number(listeningPort))
{}

bool RequestGuard::isAllowedHost(QByteArrayView host) const
{
    QByteArrayView name = host;
    QByteArrayView port;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return false;
        name = host.first(close + 1);
        const QByteArrayView rest = host.sliced(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(':'))
                return false;
            port = rest.sliced(1);
        }
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        name = host.first(colon);
        port = host.sliced(colon + 1);
        if (port.isEmpty())
            return false;
    }
    if (!port.isEmpty() && port != QByteArrayView(m_port))
        return false;
    return name.compare("localhost", Qt::CaseInsensitive) == 0 || name == "127.0.0.1" || name == "[::1]";
}

std::optional<RequestGuard::Rejection> RequestGuard::check(const HttpRequest &request, int httpVersion,
                                                           int hostFieldCount) const
{
    if (hostFieldCount > 1) {
        return Rejection{400, ResponseEncoder::errorBody(u"The request has more than one Host header"_s,
                                                         "invalid_request_error"_L1, "bad_request"_L1)};
    }
    if (m_checkHost) {
        const QByteArray host = request.header("host");
        const bool missingAllowed = hostFieldCount == 0 && httpVersion < 11;
        if (!missingAllowed && !isAllowedHost(host)) {
            const QString message = u"Host header '"_s + quoted(host) +
                                    u"' is not allowed: Quarry only answers requests addressed to "
                                    "localhost (DNS-rebinding protection)"_s;
            return Rejection{
                403, ResponseEncoder::errorBody(message, "permission_error"_L1, "host_not_allowed"_L1)};
        }
    }
    for (const HttpHeader &header : request.headers) {
        if (header.name.compare("origin", Qt::CaseInsensitive) != 0)
            continue;
        if (!m_allowedOrigins.contains(header.value)) {
            const QString message = u"Origin '"_s + quoted(header.value) +
                                    u"' is not allowed: add it to the gateway's allowed origins "
                                    "to call Quarry from that web page"_s;
            return Rejection{
                403, ResponseEncoder::errorBody(message, "permission_error"_L1, "origin_not_allowed"_L1)};
        }
    }
    return checkCrossSite(request);
}

bool RequestGuard::isAllowedOrigin(const HttpRequest &request) const
{
    const QByteArray origin = request.header("origin");
    return !origin.isEmpty() && m_allowedOrigins.contains(origin);
}

// A browser marks every request it sends with Sec-Fetch-Site (Fetch Metadata, W3C; all current
// browsers). "cross-site" is another site's page, even for <img> or <form> requests that carry no
// Origin. "same-site" has no port: another localhost port (any local dev server) looks the same,
// so it passes only with an allowed Origin. "same-origin" and "none" (typed URL) pass; non-browser
// clients send no such header.
std::optional<RequestGuard::Rejection> RequestGuard::checkCrossSite(const HttpRequest &request) const
{
    const QByteArray site = request.header("sec-fetch-site").trimmed().toLower();
    const bool fromAnotherSite = site == "cross-site" || site == "same-site";
    if (fromAnotherSite && !isAllowedOrigin(request)) {
        const QString message =
            u"Sec-Fetch-Site '"_s + quoted(site) +
            u"': Quarry refuses requests a browser sends on behalf of another web page (cross-site request "
            "protection). To call Quarry from a web page, add its origin to the allowed origins "
            "(quarry serve --allow-origin http://localhost:3000, or QUARRY_ALLOWED_ORIGINS)"_s;
        return Rejection{403,
                         ResponseEncoder::errorBody(message, "permission_error"_L1, "cross_site_request"_L1)};
    }
    // Fetch spec, CORS-preflight request: OPTIONS with Access-Control-Request-Method. The Origin
    // was checked above, so only allowed origins get here with one.
    if (request.method == "OPTIONS" && !request.header("access-control-request-method").isEmpty()) {
        if (!isAllowedOrigin(request)) {
            const QString message =
                u"CORS preflight without an allowed Origin: add the page's origin to the allowed origins "
                "(quarry serve --allow-origin ORIGIN, or QUARRY_ALLOWED_ORIGINS)"_s;
            return Rejection{
                403, ResponseEncoder::errorBody(message, "permission_error"_L1, "origin_not_allowed"_L1)};
        }
        HttpHeaders headers = corsHeaders(request);
        headers.append({"Access-Control-Allow-Methods"_ba, "GET, POST, OPTIONS"_ba});
        // Echo what was asked for (bounded): SDKs send their own x-* headers and Authorization.
        const QByteArray asked = request.header("access-control-request-headers").left(1024);
        headers.append({"Access-Control-Allow-Headers"_ba, asked.isEmpty() ? "content-type"_ba : asked});
        headers.append({"Access-Control-Max-Age"_ba, QByteArray::number(CorsMaxAgeSeconds)});
        return Rejection{204, {}, std::move(headers)};
    }
    return std::nullopt;
}

HttpHeaders RequestGuard::corsHeaders(const HttpRequest &request) const
{
    if (!isAllowedOrigin(request))
        return {};
    return {{"Access-Control-Allow-Origin"_ba, request.header("origin")},
            {"Access-Control-Expose-Headers"_ba, "x-quarry-request-id"_ba},
            {"Vary"_ba, "Origin"_ba}};
}

} // namespace quarry::http
