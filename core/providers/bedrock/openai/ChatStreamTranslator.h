// Re-emits one ConverseStream response, event by event, as OpenAI chat.completion.chunk SSE.
#pragma once

#include "providers/bedrock/converse/BedrockErrorMapper.h"
#include "providers/bedrock/converse/ConverseStreamEvent.h"
#include "providers/bedrock/openai/ResponseMapping.h"
#include "util/TokenUsage.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace quarry::bedrock {

// One per stream. Feed it decoded event-stream messages in order; send what it returns at once.
// Once an exception has been translated the stream is failed: later events produce nothing and
// finish() does not claim success with [DONE].
//
// Tool calls: contentBlockStart(toolUse) -> delta.tool_calls[{index,id,type,function{name,arguments:""}}],
// then each input fragment -> delta.tool_calls[{index,function{arguments}}]; index counts tool calls
// from 0. Renamed tools get their client names back; the forced json_response tool (response_format)
// streams as delta.content and ends with finish_reason "stop". Reasoning text ->
// delta.reasoning_content; its signature -> delta.thinking_blocks[{type:"thinking",thinking:"",signature}]
// (LiteLLM's shape), redacted reasoning -> delta.thinking_blocks[{type:"redacted_thinking",data}].
class ChatStreamTranslator
{
public:
    // id gets a "chatcmpl-" prefix unless it has one; includeUsage = stream_options.include_usage.
    ChatStreamTranslator(QString id, QString model, qint64 created, bool includeUsage,
                         ResponseMapping mapping = {});

    // An event message (":event-type" messageStart, contentBlockDelta, ...) -> SSE bytes, maybe none.
    QByteArray onEvent(const QString &eventType, const QByteArray &jsonPayload);
    // An exception message (":exception-type" throttlingException, ...) -> an SSE error event
    // {"error":{...}} that the OpenAI Python and JS SDKs raise as APIError.
    QByteArray onException(const QString &exceptionType, const QByteArray &jsonPayload);
    // The upstream stream ended: "data: [DONE]" after a complete stream; an error event if it ended
    // before messageStop (a cut connection must not look like success); nothing after a failure.
    QByteArray finish();

    const TokenUsage &usage() const { return m_usage; }
    const QString &stopReason() const { return m_stopReason; }
    const QString &finishReason() const { return m_finishReason; }
    const QString &outputText() const { return m_text; }
    const QString &reasoningText() const { return m_reasoning; }
    bool failed() const { return m_error.has_value(); }
    const std::optional<ApiError> &error() const { return m_error; }

private:
    QByteArray onMessageStart();
    QByteArray onContentBlockStart(const ConverseStreamEvent &event);
    QByteArray onContentBlockDelta(const ConverseStreamEvent &event);
    QByteArray onReasoningDelta(const ConverseStreamEvent::Reasoning &reasoning);
    QByteArray onMessageStop(const ConverseStreamEvent &event);
    QByteArray onMetadata(const ConverseStreamEvent &event);
    QByteArray fail(const ApiError &error);
    // One chat.completion.chunk event; its delta as JSON text, finish_reason null when empty.
    QByteArray chunk(const QByteArray &deltaJson, const QString &finishReason = {}) const;
    QByteArray sseChunk(const QByteArray &choicesJson, const QByteArray &usageJson) const;

    QString m_id;
    QString m_model;
    qint64 m_created = 0;
    QByteArray m_chunkStart; // {"id":…,"object":"chat.completion.chunk","created":…,"model":…
    bool m_includeUsage = false;
    bool m_stopped = false;  // messageStop seen
    bool m_finished = false; // finish() already answered
    TokenUsage m_usage;
    QString m_stopReason;
    QString m_finishReason;
    QString m_text;
    QString m_reasoning;
    ResponseMapping m_mapping;
    QHash<int, int> m_toolCallIndex; // Converse contentBlockIndex -> OpenAI tool_calls[].index
    QSet<int> m_jsonAnswerBlocks;    // content blocks of the forced json_response tool
    std::optional<ApiError> m_error;
};

} // namespace quarry::bedrock
