// The gateway's headers, in the traffic record's shape.
#include "gateway/CapturedHeaders.h"

#include "telemetry/HeaderRedaction.h"

namespace quarry::gateway {

QList<QPair<QString, QString>> capturedHeaders(const http::HttpHeaders &headers)
{
    QList<QPair<QByteArray, QByteArray>> pairs;
    pairs.reserve(headers.size());
    for (const auto &header : headers)
        pairs.append({header.name, header.value});
    return telemetry::displayableHeaders(pairs);
}

} // namespace quarry::gateway
