// Turns a Converse response into an OpenAI chat.completion (the non-streaming reply).
#pragma once

#include "providers/bedrock/openai/ResponseMapping.h"
#include "util/TokenUsage.h"
#include "util/Result.h"

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

// The message carries, besides content and tool_calls (tool names restored to the client's):
//   reasoning_content  the reasoning text (LiteLLM's and DeepSeek's field name)
//   thinking_blocks    [{"type":"thinking","thinking","signature"} | {"type":"redacted_thinking","data"}]
//                      LiteLLM's shape; sending the message back as is replays the reasoning.
// usage adds prompt_tokens_details.cached_tokens (cache reads) and cache_creation_input_tokens
// (cache writes, LiteLLM's name); see openAiUsage().
// Converse stopReason -> OpenAI finish_reason: end_turn/stop_sequence -> "stop",
// max_tokens -> "length", tool_use -> "tool_calls", guardrail_intervened/content_filtered ->
// "content_filter", anything else -> "stop".
QString finishReasonFor(const QString &stopReason);

// "chatcmpl-" + id, unless the caller's id already carries the prefix.
QString chatCompletionId(const QString &id);

// The values the caller chooses, so responses are deterministic under test.
struct CompletionMeta
{
    QString id;         // without or with the "chatcmpl-" prefix
    QString model;      // echoed as "model"
    qint64 created = 0; // unix seconds
};

struct ChatCompletion
{
    QByteArray json;      // the chat.completion body for the client
    QString text;         // all text blocks joined, for logs and telemetry
    QString stopReason;   // Bedrock's
    QString finishReason; // OpenAI's
    TokenUsage usage;
};

class ChatCompletionBuilder
{
public:
    // mapping: from buildConverseRequest(request).mapping; empty = nothing to undo.
    explicit ChatCompletionBuilder(CompletionMeta meta, ResponseMapping mapping = {})
        : m_meta(std::move(meta)), m_mapping(std::move(mapping))
    {}

    // Fails when the body is not a Converse response ({"output":{"message":{...}},"stopReason"}).
    Result<ChatCompletion> build(const QByteArray &converseResponse) const;

private:
    CompletionMeta m_meta;
    ResponseMapping m_mapping;
};

} // namespace quarry::bedrock
