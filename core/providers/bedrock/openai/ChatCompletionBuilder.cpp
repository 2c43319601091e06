// Converse response JSON -> OpenAI chat.completion JSON.
#include "providers/bedrock/openai/ChatCompletionBuilder.h"
#include "providers/bedrock/openai/OpenAiUsage.h"

#include "providers/bedrock/converse/ConverseResponse.h"
#include "providers/bedrock/converse/ReasoningConfig.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

struct AssistantOutput
{
    QString text;
    QString reasoning;
    QJsonArray thinkingBlocks;
    QJsonArray toolCalls;
    bool jsonAnswer = false; // the forced json_response tool answered
};

QJsonObject toolCallFrom(const ConverseToolUse &toolUse, const ToolNameMapper &names)
{
    // OpenAI's function.arguments is Converse's input object as JSON text.
    return QJsonObject{{u"id"_s, toolUse.id},
                       {u"type"_s, u"function"_s},
                       {u"function"_s, QJsonObject{{u"name"_s, names.toClient(toolUse.name)},
                                                   {u"arguments"_s, QString::fromUtf8(toolUse.input)}}}};
}

void addReasoning(AssistantOutput &output, const ReasoningBlock &block)
{
    if (!block.redactedContent.isEmpty()) {
        output.thinkingBlocks.append(QJsonObject{{u"type"_s, u"redacted_thinking"_s},
                                                 {u"data"_s, QString::fromLatin1(block.redactedContent)}});
        return;
    }
    output.reasoning += block.text;
    output.thinkingBlocks.append(
        QJsonObject{{u"type"_s, u"thinking"_s}, {u"thinking"_s, block.text}, {u"signature"_s, block.signature}});
}

AssistantOutput readContent(const QList<ConverseBlock> &content, const ResponseMapping &mapping)
{
    AssistantOutput output;
    for (const ConverseBlock &block : content) {
        if (const auto *text = std::get_if<ConverseText>(&block)) {
            output.text += text->text;
        } else if (const auto *use = std::get_if<ConverseToolUse>(&block)) {
            if (!mapping.jsonToolName.isEmpty() && use->name == mapping.jsonToolName) {
                output.text += QString::fromUtf8(use->input);
                output.jsonAnswer = true;
            } else {
                output.toolCalls.append(toolCallFrom(*use, mapping.toolNames));
            }
        } else {
            addReasoning(output, std::get<ReasoningBlock>(block));
        }
    }
    return output;
}

QJsonObject messageJson(const AssistantOutput &output)
{
    QJsonObject message{{u"role"_s, u"assistant"_s}};
    // OpenAI sends content null when the assistant only calls tools.
    const bool noText = output.text.isEmpty() && !output.toolCalls.isEmpty();
    message.insert(u"content"_s, noText ? QJsonValue(QJsonValue::Null) : QJsonValue(output.text));
    if (!output.toolCalls.isEmpty())
        message.insert(u"tool_calls"_s, output.toolCalls);
    if (!output.thinkingBlocks.isEmpty()) {
        message.insert(u"reasoning_content"_s, output.reasoning);
        message.insert(u"thinking_blocks"_s, output.thinkingBlocks);
    }
    return message;
}

// The assistant's message as JSON: a plain text answer (most of them) written directly, anything
// with tool calls or reasoning through messageJson().
void appendMessage(QByteArray &json, const AssistantOutput &output)
{
    if (!output.toolCalls.isEmpty() || !output.thinkingBlocks.isEmpty()) {
        json += QJsonDocument(messageJson(output)).toJson(QJsonDocument::Compact);
        return;
    }
    json += "{\"role\":\"assistant\",\"content\":";
    util::appendJsonString(json, output.text);
    json += '}';
}

} // namespace

QString finishReasonFor(const QString &stopReason)
{
    if (stopReason == "max_tokens"_L1)
        return u"length"_s;
    if (stopReason == "tool_use"_L1)
        return u"tool_calls"_s;
    if (stopReason == "guardrail_intervened"_L1 || stopReason == "content_filtered"_L1)
        return u"content_filter"_s;
    return u"stop"_s; // end_turn, stop_sequence, and reasons newer than this code
}

QString chatCompletionId(const QString &id)
{
    return id.startsWith("chatcmpl-"_L1) ? id : u"chatcmpl-"_s % id;
}

Result<ChatCompletion> ChatCompletionBuilder::build(const QByteArray &converseResponse) const
{
    auto answer = parseConverseResponse(converseResponse);
    if (!answer)
        return Result<ChatCompletion>::failure(answer.error());
    const AssistantOutput output = readContent(answer->content, m_mapping);
    ChatCompletion completion;
    completion.text = output.text;
    completion.stopReason = answer->stopReason;
    completion.finishReason = finishReasonFor(completion.stopReason);
    // The forced JSON tool is how the answer was produced, not a call the client must make.
    if (output.jsonAnswer && output.toolCalls.isEmpty() && completion.finishReason == "tool_calls"_L1)
        completion.finishReason = u"stop"_s;
    completion.usage = answer->usage;
    // Written directly (util/JsonText.h): this runs for every non-stream answer.
    QByteArray &json = completion.json;
    json.reserve(256 + 3 * completion.text.size());
    json += "{\"id\":";
    util::appendJsonString(json, chatCompletionId(m_meta.id));
    json += ",\"object\":\"chat.completion\",\"created\":" + QByteArray::number(m_meta.created) + ",\"model\":";
    util::appendJsonString(json, m_meta.model);
    json += ",\"choices\":[{\"index\":0,\"message\":";
    appendMessage(json, output);
    json += ",\"finish_reason\":";
    util::appendJsonString(json, completion.finishReason);
    json += ",\"logprobs\":null}]";
    if (completion.usage.present)
        json += ",\"usage\":" + openAiUsageJson(completion.usage);
    json += '}';
    return completion;
}

} // namespace quarry::bedrock
