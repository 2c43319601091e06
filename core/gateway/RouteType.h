// The API a request speaks, picked from the path left after the HTTPRoute's prefix (DESIGN.md §5).
#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace quarry::gateway {

enum class RouteType {
    Completions,         // OpenAI Chat Completions
    Messages,            // Anthropic Messages
    AnthropicTokenCount, // Anthropic count_tokens
    Models,              // OpenAI model list
    Embeddings,
    Responses,    // OpenAI Responses
    Passthrough,  // native Bedrock /model/{id}/{operation}
    ControlPlane, // Bedrock's model catalogue: /foundation-models[/{id}], /inference-profiles[/{id}]
    Unknown,
};

// `suffix` is the path after the matched prefix, e.g. "" or "/v1/chat/completions".
RouteType routeTypeForSuffix(QByteArrayView method, QByteArrayView suffix);

// The control plane's collections, as they end a ControlPlane path.
const QList<QByteArrayView> &controlPlaneCollections();

// The names agentgateway uses in policies.ai.routes ("Completions", "Messages", ...).
QString routeTypeName(RouteType type);
// The reverse: Unknown for a name that is none of them.
RouteType routeTypeNamed(const QString &name);

} // namespace quarry::gateway
