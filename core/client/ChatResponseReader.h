// Reads a chat answer (SSE stream or one JSON body) into text, usage and finish reason, in the
// shape of the client API it was asked in: OpenAI chat completions, Anthropic Messages or Responses.
#pragma once

#include "client/ChatRequest.h"
#include "client/SseParser.h"
#include "providers/bedrock/eventstream/EventStreamDecoder.h"
#include "util/TokenUsage.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

class QJsonArray;
class QJsonObject;

namespace quarry::client {

// A function the model asked to call: OpenAI tool_calls, Anthropic tool_use, Responses function_call.
struct ChatToolCall
{
    QString id;
    QString name;
    QString arguments; // JSON text, as the model wrote it (streamed in pieces, joined)
};

class ChatResponseReader
{
public:
    static constexpr int MaxToolCalls = 128; // an index beyond it is not kept (a stream cannot grow it)

    explicit ChatResponseReader(ChatApi api = ChatApi::OpenAiChat) : m_api(api) {}

    // Feeds part of an SSE stream; returns the answer text these bytes completed (maybe empty).
    QString feedStream(QByteArrayView bytes);
    // Feeds part of Converse's binary event stream (application/vnd.amazon.eventstream).
    QString feedEventStream(QByteArrayView bytes);
    // Reads a whole non-streamed body (an answer or an error object).
    void readBody(const QByteArray &body);

    QString text() const { return m_text; }
    QString finishReason() const { return m_finishReason; }
    // The model's reasoning, when it shows it: OpenAI-style reasoning_content, Anthropic thinking,
    // Responses reasoning text. Never part of text().
    QString reasoning() const { return m_reasoning; }
    QList<ChatToolCall> toolCalls() const { return m_toolCalls; }
    std::optional<TokenUsage> usage() const { return m_usage; }
    // What Quarry priced a streamed answer at: its closing ": x-quarry-cost-usd N" comment.
    std::optional<double> streamedCostUsd() const;
    QString error() const { return m_error; } // the server's own message, when it sent one
    // The stream's last event was seen: "[DONE]", message_stop, or response.completed (or its
    // incomplete/failed siblings).
    bool done() const { return m_done; }
    int deltaCount() const { return m_deltas; }

private:
    // Each returns the answer text the event carried.
    QString readOpenAiChunk(const QJsonObject &chunk);
    QString readAnthropicEvent(const QJsonObject &event);
    QString readResponsesEvent(const QJsonObject &event);
    void readOpenAiBody(const QJsonObject &object);
    void readAnthropicBody(const QJsonObject &message);
    void readResponsesBody(const QJsonObject &response);
    void readConverseBody(const QJsonObject &answer);
    QString readConverseEvent(const QString &type, const QJsonObject &event);
    bool readError(const QJsonObject &object);
    void readOpenAiUsage(const QJsonObject &object);
    void readOpenAiToolCalls(const QJsonArray &calls);
    void readResponsesToolCalls(const QJsonObject &response);

    ChatApi m_api;
    SseParser m_parser;
    bedrock::EventStreamDecoder m_frames;
    QString m_text;
    QString m_finishReason;
    QString m_reasoning;
    QList<ChatToolCall> m_toolCalls; // bounded by the answer: at most MaxToolCalls
    std::optional<TokenUsage> m_usage;
    QString m_error;
    bool m_done = false;
    int m_deltas = 0;
};

} // namespace quarry::client
