// Builds the Bedrock Converse / ConverseStream body from a parsed Anthropic Messages request.
#pragma once

#include "providers/bedrock/anthropic/AnthropicMessagesRequest.h"
#include "providers/bedrock/converse/ConverseBody.h"
#include "providers/bedrock/converse/ToolNameMapper.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace quarry::bedrock {

struct AnthropicConverseRequest
{
    ConverseBody body;        // the model goes in the URL (see ModelId.h)
    ToolNameMapper toolNames; // to restore client tool names in the answer
    QStringList forwardedBetas;   // anthropic-beta flags sent as additionalModelRequestFields
    QStringList droppedBetas;     // flags Bedrock does not accept; the caller reports them

    QByteArray toJson() const; // compact, ready to sign and send
};

// Mapping, in short (details at each helper):
// - system text blocks -> "system"; messages -> "messages" with consecutive same-role turns
//   merged (Converse requires alternation); blank text blocks dropped (Bedrock rejects them).
// - image (base64) -> image{format, source{bytes}}; tool_use -> toolUse; tool_result ->
//   toolResult (status "error" when is_error); thinking -> reasoningContent.reasoningText
//   {text, signature}; redacted_thinking -> reasoningContent.redactedContent.
// - cache_control on any block, system block or tool -> a {"cachePoint":{"type":"default"}}
//   right after it.
// - tools -> toolConfig.tools[].toolSpec; tool_choice auto/any/tool -> toolChoice; "none" has no
//   Converse form, so tools are left out entirely unless the conversation already holds tool
//   blocks (Bedrock then demands a toolConfig). Tool history without tools gets stand-in specs
//   with an empty object schema, avoiding "toolConfig field must be defined".
// - max_tokens, temperature, top_p, stop_sequences -> inferenceConfig; top_k and thinking ->
//   additionalModelRequestFields; anthropic-beta header values -> additionalModelRequestFields
//   .anthropic_beta, keeping only the flags Bedrock documents for Claude (acceptedBetas()).
class AnthropicConverseBuilder
{
public:
    // betaHeaderValues: every anthropic-beta header value, each possibly comma-separated.
    explicit AnthropicConverseBuilder(const QList<QByteArray> &betaHeaderValues = {});

    AnthropicConverseRequest build(const AnthropicRequest &request) const;

    // The anthropic-beta flags Bedrock's Claude models accept (Bedrock rejects the request with
    // a ValidationException for any other flag, and Claude Code sends several such flags).
    static const QStringList &acceptedBetas();

private:
    QStringList m_betas;
};

} // namespace quarry::bedrock
