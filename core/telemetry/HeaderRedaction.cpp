// Header redaction for everything Quarry shows about a request.
#include "telemetry/HeaderRedaction.h"

#include <QList>

#include <initializer_list>

namespace quarry::telemetry {

namespace {

// Compared without a lower-cased copy, and by length first: this runs for every header of every
// captured message, and most headers are none of these.
bool isOneOf(QByteArrayView name, std::initializer_list<QByteArrayView> lowercaseNames)
{
    for (QByteArrayView candidate : lowercaseNames) {
        if (name.size() == candidate.size() && name.compare(candidate, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QByteArray redactedHeaderValue(const QByteArray &name, const QByteArray &value)
{
    if (!isOneOf(name, {"authorization", "proxy-authorization", "x-amz-security-token", "x-api-key", "api-key",
                        "cookie", "set-cookie", "x-amz-sso_bearer_token"}))
        return value;
    // Keep the scheme: "Bearer" or "AWS4-HMAC-SHA256" tells how a request was authenticated.
    const qsizetype space = value.indexOf(' ');
    if (isOneOf(name, {"authorization", "proxy-authorization"}) && space > 0)
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
