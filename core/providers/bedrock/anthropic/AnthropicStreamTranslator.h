// Re-emits one ConverseStream response, event by event, as Anthropic Messages SSE.
#pragma once

#include "providers/bedrock/converse/BedrockErrorMapper.h"
#include "providers/bedrock/converse/ConverseStreamEvent.h"
#include "providers/bedrock/converse/ToolNameMapper.h"
#include "util/TokenUsage.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace quarry::bedrock {

// One per stream. Feed it decoded event-stream messages in order; send what it returns at once.
// The output is Anthropic's event sequence: message_start, then per content block
// content_block_start / content_block_delta... / content_block_stop, then message_delta (stop
// reason and usage) and message_stop.
// - Converse reports usage only in its final "metadata" event, after messageStop, so
//   message_start carries zero counts and message_delta carries the real ones (input, output
//   and cache counts; the SDKs take them from message_delta). message_delta and message_stop are
//   therefore sent on metadata, or by finish() with zero usage if metadata never came.
// - Converse sends contentBlockStart only for tool use; text and reasoning blocks are opened on
//   their first delta. Block indexes are Converse's, renumbered densely in order of appearance
//   (the SDKs append on content_block_start and address blocks by index).
// - An exception frame becomes "event: error" with Anthropic's error type, and no message_stop
//   follows, so the SDKs raise instead of returning a truncated message.
class AnthropicStreamTranslator
{
public:
    AnthropicStreamTranslator(QString messageId, QString model, ToolNameMapper toolNames = {});

    // An event message (":event-type" messageStart, contentBlockDelta, ...) -> SSE bytes, maybe none.
    QByteArray onEvent(const QString &eventType, const QByteArray &jsonPayload);
    // An exception message (":exception-type" throttlingException, ...) -> an SSE error event.
    QByteArray onException(const QString &exceptionType, const QByteArray &jsonPayload);
    // The upstream stream ended: completes the message if metadata was missing; an error event if
    // Bedrock's stream ended before messageStop; nothing after a failure or when already complete.
    QByteArray finish();

    const TokenUsage &usage() const { return m_usage; }
    const QString &stopReason() const { return m_bedrockStopReason; } // Bedrock's
    const QString &anthropicStopReason() const { return m_stopReason; }
    const QString &outputText() const { return m_text; }
    bool failed() const { return m_error.has_value(); }
    const std::optional<ApiError> &error() const { return m_error; }

private:
    QByteArray onContentBlockStart(const ConverseStreamEvent &event);
    QByteArray onContentBlockDelta(const ConverseStreamEvent &event);
    QByteArray onReasoningDelta(int converseIndex, const ConverseStreamEvent::Reasoning &reasoning);
    QByteArray onContentBlockStop(const ConverseStreamEvent &event);
    QByteArray onMessageStop(const ConverseStreamEvent &event);
    QByteArray completeMessage();
    QByteArray ensureMessageStart();
    QByteArray openBlock(int converseIndex, const QJsonObject &contentBlock);
    QByteArray closeOpenBlock();
    QByteArray delta(int converseIndex, const QByteArray &deltaJson) const; // a content_block_delta event
    QByteArray fail(const ApiError &error);

    QString m_id;
    QString m_model;
    ToolNameMapper m_toolNames;
    bool m_started = false;    // message_start sent
    bool m_stopped = false;    // messageStop seen
    bool m_finished = false;   // message_stop sent
    QHash<int, int> m_indexes; // Converse contentBlockIndex -> Anthropic index
    int m_openIndex = -1;      // the Anthropic block between its start and stop, if any
    TokenUsage m_usage;
    QString m_bedrockStopReason;
    QString m_stopReason;
    QJsonValue m_stopSequence;
    QString m_text;
    std::optional<ApiError> m_error;
};

} // namespace quarry::bedrock
