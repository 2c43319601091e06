// Header redaction for everything Quarry shows about a request.
#include "telemetry/HeaderRedaction.h"

#include <QList>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

namespace {

bool isSecretHeader(const QByteArray &lowerName)
{
    static const QList<QByteArray> secret = {"authorization", "proxy-authorization", "x-amz-security-token",
                                             "x-api-key", "api-key", "cookie", "set-cookie",
                                             "x-amz-sso_bearer_token"};
    return secret.contains(lowerName);
}

} // namespace

QString displayableHeaderValue(const QByteArray &name, const QByteArray &value)
{
    const QByteArray lower = name.toLower();
    if (!isSecretHeader(lower))
        return QString::fromUtf8(value);
    // Keep the scheme: "Bearer" or "AWS4-HMAC-SHA256" tells how a request was authenticated.
    const qsizetype space = value.indexOf(' ');
    if (lower.endsWith("authorization") && space > 0)
        return QString::fromLatin1(value.left(space)) + u" <redacted>"_s;
    return u"<redacted>"_s;
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
