// Re-emits one ConverseStream answer as the Responses API's server-sent events: response.created
// and response.in_progress, then per output item output_item.added … output_item.done with the
// deltas between (output_text, function_call_arguments, reasoning_summary_text), and
// response.completed (or response.incomplete) carrying the whole response with its usage. Every
// event has its type as the SSE event name and a sequence_number. An exception, or a stream that
// ends before Bedrock finished the message, becomes response.failed followed by an error event,
// which the OpenAI SDKs raise.
#pragma once

#include "providers/bedrock/converse/BedrockErrorMapper.h"
#include "providers/bedrock/converse/ConverseStreamEvent.h"
#include "providers/bedrock/openai/ResponseMapping.h"
#include "util/TokenUsage.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include <optional>

namespace quarry::bedrock {

class ResponsesStreamTranslator
{
public:
    // shell: the response object before any output (id, model, created_at, echoed request fields).
    ResponsesStreamTranslator(QJsonObject shell, ResponseMapping mapping, QSet<QString> customTools,
                              bool includeEncryptedReasoning);

    QByteArray onEvent(const QString &eventType, const QByteArray &jsonPayload);
    QByteArray onException(const QString &exceptionType, const QByteArray &jsonPayload);
    QByteArray finish();

    const TokenUsage &usage() const { return m_usage; }
    const QString &stopReason() const { return m_stopReason; }
    bool failed() const { return m_error.has_value(); }
    const std::optional<ApiError> &error() const { return m_error; }
    // After a complete stream: the response's output items, and each reasoning item's blocks.
    const QJsonArray &output() const { return m_output; }
    const QHash<QString, QJsonArray> &reasoningById() const { return m_reasoningById; }

private:
    struct Block
    {
        enum class Kind { Text, Reasoning, Call };
        Kind kind = Kind::Text;
        int outputIndex = 0;
        QString itemId;
        QString text;   // text, reasoning text, or call arguments
        QString callId; // Call
        QString name;   // Call: the client's tool name
        bool custom = false;
        QJsonObject reasoningBlock; // Reasoning: {"type":"thinking",...} or redacted
    };

    QByteArray event(const QString &type, QJsonObject fields);
    QByteArray deltaEvent(const char *type, const Block &block, const char *partIndexField,
                          const QString &delta);
    QByteArray onContentBlockStart(const ConverseStreamEvent &event);
    QByteArray onContentBlockDelta(const ConverseStreamEvent &event);
    QByteArray onReasoningDelta(int index, const ConverseStreamEvent::Reasoning &reasoning);
    QByteArray onContentBlockStop(int index);
    QByteArray openBlock(int index, Block::Kind kind, QJsonObject item);
    QByteArray textDelta(int index, const QString &text);
    QByteArray fail(const ApiError &error);

    QJsonObject m_shell;
    ResponseMapping m_mapping;
    QSet<QString> m_customTools;
    bool m_includeEncrypted = false;
    int m_sequence = 0;
    bool m_started = false;
    bool m_stopped = false;
    bool m_finished = false;
    QHash<int, Block> m_blocks;   // by Converse contentBlockIndex, while open
    QSet<int> m_jsonAnswerBlocks; // the forced json_response tool: its input is the answer text
    QJsonArray m_output;          // closed items, in output_index order
    QHash<QString, QJsonArray> m_reasoningById;
    TokenUsage m_usage;
    QString m_stopReason;
    std::optional<ApiError> m_error;
};

} // namespace quarry::bedrock
