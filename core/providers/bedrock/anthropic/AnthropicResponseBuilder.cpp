// Converse response JSON -> Anthropic Messages message JSON.
#include "providers/bedrock/anthropic/AnthropicResponseBuilder.h"
#include "providers/bedrock/converse/ConverseUsage.h"

#include "providers/bedrock/converse/ConverseResponse.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

QJsonObject reasoningBlock(const QJsonObject &reasoning)
{
    if (reasoning.value("redactedContent"_L1).isString()) {
        return QJsonObject{{u"type"_s, u"redacted_thinking"_s},
                           {u"data"_s, reasoning.value("redactedContent"_L1).toString()}};
    }
    const QJsonObject text = reasoning.value("reasoningText"_L1).toObject();
    return QJsonObject{{u"type"_s, u"thinking"_s},
                       {u"thinking"_s, text.value("text"_L1).toString()},
                       {u"signature"_s, text.value("signature"_L1).toString()}};
}

} // namespace

AnthropicResponseBuilder::AnthropicResponseBuilder(QString messageId, QString model,
                                                   ToolNameMapper toolNames)
    : m_id(messageIdFor(messageId)), m_model(std::move(model)), m_toolNames(std::move(toolNames))
{}

QString AnthropicResponseBuilder::stopReasonFor(const QString &bedrockStopReason)
{
    static const QStringList kept = {u"end_turn"_s, u"max_tokens"_s, u"stop_sequence"_s, u"tool_use"_s,
                                     u"model_context_window_exceeded"_s};
    if (kept.contains(bedrockStopReason))
        return bedrockStopReason;
    if (bedrockStopReason == "guardrail_intervened"_L1 || bedrockStopReason == "content_filtered"_L1)
        return u"refusal"_s;
    return u"end_turn"_s;
}

QString AnthropicResponseBuilder::messageIdFor(const QString &id)
{
    return id.startsWith("msg_"_L1) ? id : u"msg_"_s % id;
}

QJsonObject AnthropicResponseBuilder::usageJson(const TokenUsage &usage)
{
    return QJsonObject{{u"input_tokens"_s, usage.input},
                       {u"output_tokens"_s, usage.output},
                       {u"cache_creation_input_tokens"_s, usage.cacheWrite},
                       {u"cache_read_input_tokens"_s, usage.cacheRead}};
}

TokenUsage AnthropicResponseBuilder::usageFromJson(const QJsonObject &usage)
{
    TokenUsage tokens;
    tokens.present = true;
    tokens.input = usage.value("input_tokens"_L1).toInteger();
    tokens.output = usage.value("output_tokens"_L1).toInteger();
    tokens.cacheWrite = usage.value("cache_creation_input_tokens"_L1).toInteger();
    tokens.cacheRead = usage.value("cache_read_input_tokens"_L1).toInteger();
    return tokens;
}

QJsonArray AnthropicResponseBuilder::contentFrom(const QJsonArray &converseContent,
                                                 const ToolNameMapper &names, QString *text)
{
    QJsonArray content;
    for (const QJsonValue &value : converseContent) {
        const QJsonObject block = value.toObject();
        if (block.value("text"_L1).isString()) {
            content.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, block.value("text"_L1)}});
            if (text)
                *text += block.value("text"_L1).toString();
        } else if (block.value("toolUse"_L1).isObject()) {
            const QJsonObject use = block.value("toolUse"_L1).toObject();
            content.append(QJsonObject{{u"type"_s, u"tool_use"_s},
                                       {u"id"_s, use.value("toolUseId"_L1)},
                                       {u"name"_s, names.toClient(use.value("name"_L1).toString())},
                                       {u"input"_s, use.value("input"_L1).toObject()}});
        } else if (block.value("reasoningContent"_L1).isObject()) {
            content.append(reasoningBlock(block.value("reasoningContent"_L1).toObject()));
        }
    }
    return content;
}

Result<AnthropicMessageResult> AnthropicResponseBuilder::build(const QByteArray &converseResponse) const
{
    auto root = parseConverseResponse(converseResponse);
    if (!root)
        return Result<AnthropicMessageResult>::failure(root.error());
    AnthropicMessageResult result;
    const QJsonArray content = contentFrom(root->value("output"_L1)["message"_L1]["content"_L1].toArray(),
                                           m_toolNames, &result.text);
    result.bedrockStopReason = root->value("stopReason"_L1).toString();
    result.stopReason = stopReasonFor(result.bedrockStopReason);
    result.usage = converseUsage(root->value("usage"_L1));
    // Converse reports which stop sequence matched only in Claude's additional response fields.
    const QJsonValue stopSequence = root->value("additionalModelResponseFields"_L1)["stop_sequence"_L1];
    const QJsonObject body{{u"id"_s, m_id},
                           {u"type"_s, u"message"_s},
                           {u"role"_s, u"assistant"_s},
                           {u"model"_s, m_model},
                           {u"content"_s, content},
                           {u"stop_reason"_s, result.stopReason},
                           {u"stop_sequence"_s, stopSequence.isString() ? stopSequence : QJsonValue()},
                           {u"usage"_s, usageJson(result.usage)}};
    result.json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return result;
}

} // namespace quarry::bedrock
