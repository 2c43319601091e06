// Forwards the control plane's read operations, re-signed.
#include "gateway/ControlPlaneExchange.h"

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

// The client's query (maxResults, nextToken, byProvider, typeEquals, ...) with every name and value
// percent-encoded as SigV4's canonical query expects, so what is sent is exactly what was signed.
QByteArray canonicalQuery(const QByteArray &query)
{
    QByteArrayList pairs;
    for (const QByteArray &pair : query.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        const QByteArray name =
            QByteArray::fromPercentEncoding(pair.first(equals < 0 ? pair.size() : equals));
        const QByteArray value =
            equals < 0 ? QByteArray() : QByteArray::fromPercentEncoding(pair.sliced(equals + 1));
        pairs.append(QUrl::toPercentEncoding(QString::fromUtf8(name)) + '=' +
                     QUrl::toPercentEncoding(QString::fromUtf8(value)));
    }
    return pairs.join('&');
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
    if (const QByteArray query = canonicalQuery(request().query); !query.isEmpty())
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
                               const std::optional<GatewayError> &failure) {
        onFinished(status, body, errorType, failure);
    };
    callBedrock(build, std::move(handlers));
}

void ControlPlaneExchange::onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                                      const std::optional<GatewayError> &failure)
{
    if (failure)
        return failNative(*failure);
    forwardResponseHeaders();
    if (status >= 400)
        record().error = bedrock::mapBedrockError(status, errorType, body).message;
    respond(status, upstreamHeader("content-type", "application/json"), body);
}

} // namespace quarry::gateway
