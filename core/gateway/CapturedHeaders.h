// Headers as the traffic inspector shows them: what went over the wire, credentials redacted.
#pragma once

#include "http/HttpRequest.h"
#include "telemetry/TrafficRecord.h"

#include <QList>
#include <QPair>
#include <QString>

namespace quarry::gateway {

telemetry::CapturedMessage::WireHeaders capturedHeaders(const http::HttpHeaders &headers);

} // namespace quarry::gateway
