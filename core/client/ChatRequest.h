// A chat request as the console and `quarry chat` build it: JSON in the client API chosen (OpenAI
// chat completions, Anthropic Messages or OpenAI Responses) for the listener, or curl text.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace quarry::client {

// The client API a request speaks, i.e. which route type of the gateway it goes through.
enum class ChatApi {
    OpenAiChat,        // {route}: OpenAI chat completions
    AnthropicMessages, // {route}/v1/messages
    Responses,         // {route}/v1/responses
};

// `quarry chat --api` names: "openai", "anthropic", "responses"; nullopt for any other.
std::optional<ChatApi> chatApiNamed(const QString &name);

struct ChatMessage
{
    QString role; // "user", "assistant"
    QString content;
};

struct ChatRequest
{
    // Anthropic requires max_tokens; this is sent when maxTokens is unset.
    static constexpr int DefaultAnthropicMaxTokens = 4096;

    QUrl url; // the route: http://127.0.0.1:8080/bedrock
    ChatApi api = ChatApi::OpenAiChat;
    QString model; // empty: the backend's configured model decides (sent as "", like the seed)
    QString system;
    QList<ChatMessage> messages;
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    bool stream = true;

    // Where it is sent: url, plus the API's path under the route (none for OpenAI chat).
    QUrl endpoint() const;
    QByteArray toJson() const;
    // The headers the client sets (the transport adds Host, Content-Length, User-Agent...).
    QList<QPair<QByteArray, QByteArray>> headers() const;
    // A shell command that sends the same request: endpoint(), headers() and toJson() byte for byte
    // (POSIX single-quote escaping).
    QString toCurl() const;

private:
    QByteArray openAiChatJson() const;
    QByteArray anthropicJson() const;
    QByteArray responsesJson() const;
};

} // namespace quarry::client
