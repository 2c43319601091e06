// The gateway's headers, in the traffic record's shape.
#include "gateway/CapturedHeaders.h"

namespace quarry::gateway {

telemetry::CapturedMessage::WireHeaders capturedHeaders(const http::HttpHeaders &headers)
{
    telemetry::CapturedMessage::WireHeaders pairs;
    pairs.reserve(headers.size());
    for (const auto &header : headers)
        pairs.append({header.name, header.value});
    return pairs;
}

} // namespace quarry::gateway
