// Header redaction for everything Quarry shows about a request.
#include "telemetry/HeaderRedaction.h"

#include "util/NameMatch.h"

#include <QList>

namespace quarry::telemetry {

QByteArray redactedHeaderValue(const QByteArray &name, const QByteArray &value)
{
    if (!util::isOneOfIgnoringCase(name, {"authorization", "proxy-authorization", "x-amz-security-token",
                                          "x-api-key", "api-key", "cookie", "set-cookie",
                                          "x-amz-sso_bearer_token"}))
        return value;
    // Keep the scheme: "Bearer" or "AWS4-HMAC-SHA256" tells how a request was authenticated.
    const qsizetype space = value.indexOf(' ');
    if (util::isOneOfIgnoringCase(name, {"authorization", "proxy-authorization"}) && space > 0)
        return value.left(space) + " <redacted>";
    return "<redacted>";
}

QString displayableHeaderValue(const QByteArray &name, const QByteArray &value)
{
    return QString::fromUtf8(redactedHeaderValue(name, value));
}

QList<QPair<QString, QString>> displayableHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QList<QPair<QString, QString>> shown;
    shown.reserve(headers.size());
    for (const auto &[name, value] : headers)
        shown.append({QString::fromLatin1(name), displayableHeaderValue(name, value)});
    return shown;
}

} // namespace quarry::telemetry
