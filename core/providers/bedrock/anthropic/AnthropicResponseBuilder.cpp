// Converse response JSON -> Anthropic Messages message JSON.
#include "providers/bedrock/anthropic/AnthropicResponseBuilder.h"

#include "providers/bedrock/converse/ConverseResponse.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

QJsonObject thinkingBlock(const ReasoningBlock &reasoning)
{
    if (!reasoning.redactedContent.isEmpty()) {
        return QJsonObject{{u"type"_s, u"redacted_thinking"_s},
                           {u"data"_s, QString::fromLatin1(reasoning.redactedContent)}};
    }
    return QJsonObject{
        {u"type"_s, u"thinking"_s}, {u"thinking"_s, reasoning.text}, {u"signature"_s, reasoning.signature}};
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

QJsonArray AnthropicResponseBuilder::contentFrom(const QList<ConverseBlock> &converseContent,
                                                 const ToolNameMapper &names, QString *text)
{
    QJsonArray content;
    for (const ConverseBlock &block : converseContent) {
        if (const auto *part = std::get_if<ConverseText>(&block)) {
            content.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, part->text}});
            if (text)
                *text += part->text;
        } else if (const auto *use = std::get_if<ConverseToolUse>(&block)) {
            content.append(QJsonObject{{u"type"_s, u"tool_use"_s},
                                       {u"id"_s, use->id},
                                       {u"name"_s, names.toClient(use->name)},
                                       {u"input"_s, QJsonDocument::fromJson(use->input).object()}});
        } else {
            content.append(thinkingBlock(std::get<ReasoningBlock>(block)));
        }
    }
    return content;
}

Result<AnthropicMessageResult> AnthropicResponseBuilder::build(const QByteArray &converseResponse) const
{
    auto answer = parseConverseResponse(converseResponse);
    if (!answer)
        return Result<AnthropicMessageResult>::failure(answer.error());
    AnthropicMessageResult result;
    const QJsonArray content = contentFrom(answer->content, m_toolNames, &result.text);
    result.bedrockStopReason = answer->stopReason;
    result.stopReason = stopReasonFor(result.bedrockStopReason);
    result.usage = answer->usage;
    // Converse reports which stop sequence matched only in Claude's additional response fields.
    const QJsonValue stopSequence = answer->stopSequence ? QJsonValue(*answer->stopSequence) : QJsonValue();
    const QJsonObject body{{u"id"_s, m_id},
                           {u"type"_s, u"message"_s},
                           {u"role"_s, u"assistant"_s},
                           {u"model"_s, m_model},
                           {u"content"_s, content},
                           {u"stop_reason"_s, result.stopReason},
                           {u"stop_sequence"_s, stopSequence},
                           {u"usage"_s, usageJson(result.usage)}};
    result.json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return result;
}

} // namespace quarry::bedrock
