// Converse response JSON -> OpenAI chat.completion JSON.
#include "providers/bedrock/openai/ChatCompletionBuilder.h"
#include "providers/bedrock/openai/OpenAiUsage.h"
#include "providers/bedrock/converse/ConverseUsage.h"

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

// Converse toolUse.input is an object; OpenAI function.arguments is that object as JSON text.
QString inputText(const QJsonObject &toolUse)
{
    const QJsonValue input = toolUse.value("input"_L1);
    const QJsonDocument document = input.isArray() ? QJsonDocument(input.toArray()) : QJsonDocument(input.toObject());
    return QString::fromUtf8(document.toJson(QJsonDocument::Compact));
}

QJsonObject toolCallFrom(const QJsonObject &toolUse, const ToolNameMapper &names)
{
    const QString name = names.toClient(toolUse.value("name"_L1).toString());
    return QJsonObject{{u"id"_s, toolUse.value("toolUseId"_L1).toString()},
                       {u"type"_s, u"function"_s},
                       {u"function"_s, QJsonObject{{u"name"_s, name}, {u"arguments"_s, inputText(toolUse)}}}};
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

AssistantOutput readContent(const QJsonArray &content, const ResponseMapping &mapping)
{
    AssistantOutput output;
    for (const QJsonValue &value : content) {
        const QJsonObject block = value.toObject();
        const QJsonObject toolUse = block.value("toolUse"_L1).toObject();
        if (block.value("text"_L1).isString()) {
            output.text += block.value("text"_L1).toString();
        } else if (!toolUse.isEmpty() && !mapping.jsonToolName.isEmpty()
                   && toolUse.value("name"_L1).toString() == mapping.jsonToolName) {
            output.text += inputText(toolUse);
            output.jsonAnswer = true;
        } else if (!toolUse.isEmpty()) {
            output.toolCalls.append(toolCallFrom(toolUse, mapping.toolNames));
        } else if (const auto reasoning = ReasoningBlock::fromConverseBlock(block)) {
            addReasoning(output, *reasoning);
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
    auto root = parseConverseResponse(converseResponse);
    if (!root)
        return Result<ChatCompletion>::failure(root.error());
    const AssistantOutput output =
        readContent(root->value("output"_L1)["message"_L1]["content"_L1].toArray(), m_mapping);
    ChatCompletion completion;
    completion.text = output.text;
    completion.stopReason = root->value("stopReason"_L1).toString();
    completion.finishReason = finishReasonFor(completion.stopReason);
    // The forced JSON tool is how the answer was produced, not a call the client must make.
    if (output.jsonAnswer && output.toolCalls.isEmpty() && completion.finishReason == "tool_calls"_L1)
        completion.finishReason = u"stop"_s;
    completion.usage = converseUsage(root->value("usage"_L1));
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
