// Answering /metrics: the loopback check, the method check and the exposition.
#include "gateway/MetricsEndpoint.h"

#include "providers/bedrock/converse/ApiError.h"

using namespace Qt::StringLiterals;

namespace quarry::gateway {

bool MetricsEndpoint::isLoopbackPeer(const QHostAddress &peer)
{
    bool isIpv4 = false;
    const quint32 ipv4 = peer.toIPv4Address(&isIpv4);
    return isIpv4 ? QHostAddress(ipv4).isLoopback() : peer.isLoopback();
}

void MetricsEndpoint::answer(const http::HttpRequest &request, http::ResponseWriter &writer,
                             const telemetry::GatewayMetrics &metrics)
{
    const http::HttpHeaders json{{"Content-Type", "application/json"}};
    if (!isLoopbackPeer(request.peer.address)) {
        const bedrock::ApiError refused{
            403, u"permission_error"_s, u"metrics_loopback_only"_s,
            u"/metrics is only served to clients on this machine (%1 is not a loopback address): run the "
            "scraper (Prometheus, an OpenTelemetry collector) on the machine Quarry runs on."_s.arg(
                request.peer.address.toString())};
        return writer.respond(refused.status, json, refused.toOpenAiJson());
    }
    if (request.method != "GET") {
        const bedrock::ApiError wrongMethod{
            405, u"invalid_request_error"_s, u"method_not_allowed"_s,
            u"/metrics takes GET, not %1."_s.arg(QString::fromLatin1(request.method))};
        return writer.respond(wrongMethod.status, json + http::HttpHeaders{{"Allow", "GET"}},
                              wrongMethod.toOpenAiJson());
    }
    writer.respond(200, {{"Content-Type", telemetry::PrometheusText::ContentType.toByteArray()}},
                   metrics.render());
}

} // namespace quarry::gateway
