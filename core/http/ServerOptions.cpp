// The listener's settings that come from the environment.
#include "http/ServerOptions.h"

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

} // namespace quarry::http
