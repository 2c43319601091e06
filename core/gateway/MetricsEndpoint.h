// GET /metrics on the gateway's listener (DESIGN §5): reserved, answered before any HTTPRoute is
// matched, and only to clients on this machine.
#pragma once

#include "http/HttpRequest.h"
#include "http/ResponseWriter.h"
#include "telemetry/GatewayMetrics.h"

namespace quarry::gateway {

class MetricsEndpoint
{
public:
    static constexpr QByteArrayView Path = "/metrics";

    static bool isMetricsRequest(const http::HttpRequest &request) { return request.path == Path; }

    // The Prometheus exposition to a loopback client's GET; 403 to any other client, 405 to other
    // methods. No client key is asked for: the page holds counts, model names and timings, never a
    // prompt or a credential, and only this machine can read it.
    static void answer(const http::HttpRequest &request, http::ResponseWriter &writer,
                       const telemetry::GatewayMetrics &metrics);

    // Loopback, including IPv4 loopback written as an IPv4-mapped IPv6 address (::ffff:127.0.0.1).
    static bool isLoopbackPeer(const QHostAddress &peer);
};

} // namespace quarry::gateway
