// A chat request as the console and `quarry chat` build it: JSON in the client API chosen (OpenAI
// chat completions, Anthropic Messages, OpenAI Responses or Bedrock's native Converse) for the
// listener, or curl text.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace quarry::client {

// The client API a request speaks, i.e. which route type of the gateway it goes through.
enum class ChatApi {
    OpenAiChat,        // {route}: OpenAI chat completions
    AnthropicMessages, // {route}/v1/messages
    Responses,         // {route}/v1/responses
    Converse,          // {route}/model/{id}/converse or converse-stream: Bedrock's own API, as AWS SDKs call it
};

// `quarry chat --api` names: "openai", "anthropic", "responses"; nullopt for any other.
std::optional<ChatApi> chatApiNamed(const QString &name);

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// A request as it goes on the wire: what the console's raw editor shows and edits, and what
// ChatClient sends. `api` says how to read the answer.
struct RawRequest
{
    ChatApi api = ChatApi::OpenAiChat;
    QUrl url;
    HeaderList headers; // the transport adds Host, Content-Length...
    QByteArray body;

    // A shell command that sends the same bytes (POSIX single-quote escaping).
    QString toCurl() const;
    // The body asks for a stream ("stream": true, or Converse's converse-stream path).
    bool streams() const;
};

struct ChatMessage
{
    QString role; // "user", "assistant"
    QString content;
    // Attached images as data: URLs (data:image/png;base64,...), sent before the text in each
    // API's own image part; Bedrock takes png, jpeg, gif and webp.
    QStringList images;
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
    // Sent as `x-quarry-simulate: true`: the desktop app's gateway answers from its built-in
    // simulator, whatever the backend's credentials (GatewayOptions::simulateOnRequest).
    bool simulate = false;

    // Where it is sent: url, plus the API's path under the route (none for OpenAI chat). Converse
    // names the model in the path: `model` percent-encoded, as the AWS SDKs encode it.
    QUrl endpoint() const;
    QByteArray toJson() const;
    // The headers the client sets (the transport adds Host, Content-Length, User-Agent...).
    HeaderList headers() const;
    // endpoint(), headers() and toJson(): what ChatClient sends.
    RawRequest toRaw() const;
    // A shell command that sends the same request: toRaw() byte for byte.
    QString toCurl() const { return toRaw().toCurl(); }

private:
    QByteArray openAiChatJson() const;
    QByteArray anthropicJson() const;
    QByteArray responsesJson() const;
    QByteArray converseJson() const;
};

} // namespace quarry::client
