// Converse response JSON -> OpenAI chat.completion JSON.
#include "providers/bedrock/ChatCompletionBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

struct AssistantOutput
{
    QString text;
    QJsonArray toolCalls;
};

// Converse toolUse.input is an object; OpenAI function.arguments is that object as JSON text.
QJsonObject toolCallFrom(const QJsonObject &toolUse)
{
    const QByteArray arguments =
        QJsonDocument(toolUse.value("input"_L1).toObject()).toJson(QJsonDocument::Compact);
    return QJsonObject{{u"id"_s, toolUse.value("toolUseId"_L1).toString()},
                       {u"type"_s, u"function"_s},
                       {u"function"_s, QJsonObject{{u"name"_s, toolUse.value("name"_L1).toString()},
                                                   {u"arguments"_s, QString::fromUtf8(arguments)}}}};
}

// Text and tool calls are translated; other block kinds (reasoning, images) are skipped for now.
AssistantOutput readContent(const QJsonArray &content)
{
    AssistantOutput output;
    for (const QJsonValue &value : content) {
        const QJsonObject block = value.toObject();
        if (block.value("text"_L1).isString())
            output.text += block.value("text"_L1).toString();
        else if (block.value("toolUse"_L1).isObject())
            output.toolCalls.append(toolCallFrom(block.value("toolUse"_L1).toObject()));
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
    return message;
}

Result<QJsonObject> parseResponse(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        return Result<QJsonObject>::failure(u"Converse response: invalid JSON at offset "_s %
                                            QString::number(error.offset) % u": "_s % error.errorString());
    }
    const QJsonObject root = document.object();
    const QJsonValue content = root.value("output"_L1)["message"_L1]["content"_L1];
    if (!document.isObject() || !content.isArray())
        return Result<QJsonObject>::failure(u"Converse response: output.message.content missing"_s);
    if (!root.value("stopReason"_L1).isString())
        return Result<QJsonObject>::failure(u"Converse response: stopReason missing"_s);
    return root;
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
    auto root = parseResponse(converseResponse);
    if (!root)
        return Result<ChatCompletion>::failure(root.error());
    const AssistantOutput output =
        readContent(root->value("output"_L1)["message"_L1]["content"_L1].toArray());
    ChatCompletion completion;
    completion.text = output.text;
    completion.stopReason = root->value("stopReason"_L1).toString();
    completion.finishReason = finishReasonFor(completion.stopReason);
    completion.usage = TokenUsage::fromConverse(root->value("usage"_L1));
    const QJsonObject choice{{u"index"_s, 0},
                             {u"message"_s, messageJson(output)},
                             {u"finish_reason"_s, completion.finishReason},
                             {u"logprobs"_s, QJsonValue::Null}};
    QJsonObject body{{u"id"_s, chatCompletionId(m_meta.id)},
                     {u"object"_s, u"chat.completion"_s},
                     {u"created"_s, m_meta.created},
                     {u"model"_s, m_meta.model},
                     {u"choices"_s, QJsonArray{choice}}};
    if (completion.usage.present)
        body.insert(u"usage"_s, completion.usage.toOpenAi());
    completion.json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return completion;
}

} // namespace quarry::bedrock
