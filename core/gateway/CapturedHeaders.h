// Headers as the traffic inspector shows them: what went over the wire, credentials redacted.
#pragma once

#include "http/HttpRequest.h"
#include "telemetry/TrafficRecord.h"

namespace quarry::gateway {

telemetry::HeaderBlock capturedHeaders(const http::HttpHeaders &headers);

} // namespace quarry::gateway
