// Route types by path suffix.
#include "gateway/RouteType.h"

#include <QByteArray>
#include <QList>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

bool isPassthrough(QByteArrayView suffix)
{
    // /model/{modelId}/{operation}; the id is one percent-encoded segment.
    if (!suffix.startsWith("/model/"))
        return false;
    const QByteArrayView rest = suffix.sliced(7);
    const qsizetype slash = rest.indexOf('/');
    if (slash <= 0)
        return false;
    const QByteArrayView operation = rest.sliced(slash + 1);
    static const QList<QByteArrayView> operations = {"converse", "converse-stream", "invoke",
                                                     "invoke-with-response-stream", "count-tokens"};
    return operations.contains(operation);
}

// {collection} or {collection}/{one segment}; which methods are allowed is the exchange's business.
bool isControlPlane(QByteArrayView suffix)
{
    for (const QByteArrayView collection : controlPlaneCollections()) {
        if (suffix == collection)
            return true;
        if (suffix.startsWith(collection) && suffix.size() > collection.size() + 1 &&
            suffix[collection.size()] == '/' && !suffix.sliced(collection.size() + 1).contains('/'))
            return true;
    }
    return false;
}

} // namespace

const QList<QByteArrayView> &controlPlaneCollections()
{
    static const QList<QByteArrayView> collections = {"/foundation-models", "/inference-profiles"};
    return collections;
}

RouteType routeTypeForSuffix(QByteArrayView method, QByteArrayView suffix)
{
    QByteArrayView path = suffix;
    while (path.endsWith('/'))
        path.chop(1);
    if (path.isEmpty() || path == "/v1/chat/completions" || path == "/chat/completions")
        return RouteType::Completions;
    if (path == "/v1/messages")
        return RouteType::Messages;
    if (path == "/v1/messages/count_tokens")
        return RouteType::AnthropicTokenCount;
    if ((path == "/v1/models" || path == "/models") && method == "GET")
        return RouteType::Models;
    if (path == "/v1/embeddings" || path == "/embeddings")
        return RouteType::Embeddings;
    if (path == "/v1/responses" || path == "/responses")
        return RouteType::Responses;
    if (isPassthrough(path))
        return RouteType::Passthrough;
    if (isControlPlane(path))
        return RouteType::ControlPlane;
    return RouteType::Unknown;
}

QString routeTypeName(RouteType type)
{
    switch (type) {
    case RouteType::Completions:
        return u"Completions"_s;
    case RouteType::Messages:
        return u"Messages"_s;
    case RouteType::AnthropicTokenCount:
        return u"AnthropicTokenCount"_s;
    case RouteType::Models:
        return u"Models"_s;
    case RouteType::Embeddings:
        return u"Embeddings"_s;
    case RouteType::Responses:
        return u"Responses"_s;
    case RouteType::Passthrough:
        return u"Passthrough"_s;
    case RouteType::ControlPlane:
        return u"ControlPlane"_s;
    case RouteType::Unknown:
        break;
    }
    return u"Unknown"_s;
}

RouteType routeTypeNamed(const QString &name)
{
    for (int i = 0; i < int(RouteType::Unknown); ++i) {
        if (routeTypeName(RouteType(i)) == name)
            return RouteType(i);
    }
    return RouteType::Unknown;
}

} // namespace quarry::gateway
