// The gateway's headers, in the traffic record's shape.
#include "gateway/CapturedHeaders.h"

namespace quarry::gateway {

telemetry::HeaderBlock capturedHeaders(const http::HttpHeaders &headers)
{
    qsizetype bytes = 0;
    for (const auto &header : headers)
        bytes += header.name.size() + header.value.size();
    telemetry::HeaderBlock block;
    block.reserve(headers.size(), bytes);
    for (const auto &header : headers)
        block.append(header.name, header.value);
    return block;
}

} // namespace quarry::gateway
