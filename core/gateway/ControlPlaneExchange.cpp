// Forwards the control plane's read operations, re-signed.
#include "gateway/ControlPlaneExchange.h"

#include "aws/SigV4Canonical.h"
#include "gateway/ModelsExchange.h"
#include "gateway/RouteType.h"
#include "providers/bedrock/converse/BedrockErrorMapper.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

struct ControlPlanePath
{
    QByteArray collection; // "/foundation-models" or "/inference-profiles"
    QString id;            // decoded; empty for a list
};

// The path ends in {collection} or {collection}/{id}, whatever prefix the route put before it.
std::optional<ControlPlanePath> parseControlPlanePath(QByteArrayView path)
{
    while (path.endsWith('/'))
        path.chop(1);
    for (const QByteArrayView collection : controlPlaneCollections()) {
        if (path.endsWith(collection))
            return ControlPlanePath{collection.toByteArray(), {}};
        const qsizetype slash = path.lastIndexOf('/');
        if (slash > 0 && path.first(slash).endsWith(collection) && slash + 1 < path.size()) {
            const QString id = QUrl::fromPercentEncoding(path.sliced(slash + 1).toByteArray());
            return ControlPlanePath{collection.toByteArray(), id};
        }
    }
    return std::nullopt;
}

} // namespace

void ControlPlaneExchange::begin()
{
    if (request().method != "GET") {
        return failNative(
            {403, u"permission_error"_s, u"control_plane_read_only"_s,
             u"Quarry forwards only Bedrock's read-only model catalogue (GET foundation-models "
             "and inference-profiles); %1 %2 would change your AWS account, so it is refused."_s.arg(
                 record().method, record().path)});
    }
    const auto path = parseControlPlanePath(request().path);
    if (!path) {
        return failNative({400, u"invalid_request_error"_s, u"bad_path"_s,
                           u"%1 is not a foundation model or inference profile path."_s.arg(record().path)});
    }
    if (!backendReady())
        return;
    record().model = path->id;

    QByteArray encodedPath = path->collection;
    if (!path->id.isEmpty())
        encodedPath += '/' + QUrl::toPercentEncoding(path->id); // canonical, as it is signed
    // The client's query (maxResults, nextToken, byProvider, ...) in SigV4's canonical form, so what
    // is sent is exactly what is signed.
    if (const QByteArray query = aws::SigV4Canonical::query(request().query); !query.isEmpty())
        encodedPath += '?' + query;
    // Built per provider, so a failover to another region reads that region's catalogue.
    const auto build = [encodedPath](const BackendTarget &provider) {
        UpstreamRequest call;
        call.method = "GET";
        call.encodedPath = encodedPath;
        call.endpoint = ModelsExchange::controlPlaneFor(provider.endpoint);
        return call;
    };
    UpstreamCall::Handlers handlers;
    handlers.responseHead = [this](const QList<QPair<QByteArray, QByteArray>> &headers) {
        keepUpstreamHeaders(headers);
    };
    handlers.finished = [this](int status, const QByteArray &body, const QByteArray &errorType,
                               const std::optional<bedrock::ApiError> &failure) {
        onFinished(status, body, errorType, failure);
    };
    callBedrock(build, std::move(handlers));
}

void ControlPlaneExchange::onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                                      const std::optional<bedrock::ApiError> &failure)
{
    if (failure)
        return failNative(*failure);
    forwardResponseHeaders();
    if (status >= 400)
        record().error = bedrock::mapBedrockError(status, errorType, body).message;
    respond(status, upstreamHeader("content-type", "application/json"), body);
}

} // namespace quarry::gateway
