// The listener's settings that come from the environment.
#include "http/ServerOptions.h"

#include <QUrl>

namespace quarry::http {

QList<QByteArray> ServerOptions::environmentAllowedOrigins()
{
    QList<QByteArray> origins;
    for (const QByteArray &item : qgetenv("QUARRY_ALLOWED_ORIGINS").split(',')) {
        if (const QByteArray origin = item.trimmed(); !origin.isEmpty())
            origins.append(origin);
    }
    return origins;
}

bool ServerOptions::isOrigin(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty() && url.path().isEmpty() && !url.hasQuery() && !url.hasFragment()
           && url.userInfo().isEmpty() && !text.contains(u',');
}

} // namespace quarry::http
