// Host and Origin checks; rejections are 403s in the OpenAI error shape so SDKs show the reason.
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
    return std::nullopt;
}

} // namespace quarry::http
