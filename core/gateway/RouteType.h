// The API a request speaks, picked from the path left after the HTTPRoute's prefix (DESIGN.md §5).
#pragma once

#include <QByteArrayView>
#include <QString>

namespace quarry::gateway {

enum class RouteType {
    Completions,         // OpenAI Chat Completions
    Messages,            // Anthropic Messages
    AnthropicTokenCount, // Anthropic count_tokens
    Models,              // OpenAI model list
    Embeddings,
    Responses,           // OpenAI Responses
    Passthrough,         // native Bedrock /model/{id}/{operation}
    Unknown,
};

// `suffix` is the path after the matched prefix, e.g. "" or "/v1/chat/completions".
RouteType routeTypeForSuffix(QByteArrayView method, QByteArrayView suffix);

// The names agentgateway uses in policies.ai.routes ("Completions", "Messages", ...).
QString routeTypeName(RouteType type);

} // namespace quarry::gateway
