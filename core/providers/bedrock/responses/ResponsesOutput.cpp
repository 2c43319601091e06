// Output items and the response object of the Responses API.
#include "providers/bedrock/responses/ResponsesOutput.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

constexpr QLatin1StringView ReasoningPrefix{"quarry.v1."};

} // namespace

QString ResponsesOutput::newId(const QString &prefix)
{
    auto *random = QRandomGenerator::global();
    return prefix + u'_' + QString::number(random->generate64(), 16).rightJustified(16, u'0') +
           QString::number(random->generate(), 16).rightJustified(8, u'0');
}

QString ResponsesOutput::encodeReasoning(const QJsonArray &thinkingBlocks)
{
    const QByteArray json = QJsonDocument(thinkingBlocks).toJson(QJsonDocument::Compact);
    return ReasoningPrefix + QString::fromLatin1(json.toBase64(QByteArray::Base64UrlEncoding));
}

QJsonArray ResponsesOutput::decodeReasoning(const QString &encrypted)
{
    if (!encrypted.startsWith(ReasoningPrefix))
        return {};
    const auto decoded = QByteArray::fromBase64Encoding(encrypted.mid(ReasoningPrefix.size()).toLatin1(),
                                                        QByteArray::Base64UrlEncoding |
                                                            QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? QJsonDocument::fromJson(*decoded).array() : QJsonArray();
}

QJsonObject ResponsesOutput::reasoningItem(const QString &id, const QString &text, const QJsonArray &blocks,
                                           bool includeEncrypted)
{
    QJsonArray summary;
    if (!text.isEmpty())
        summary.append(QJsonObject{{u"type"_s, u"summary_text"_s}, {u"text"_s, text}});
    QJsonObject item{{u"type"_s, u"reasoning"_s}, {u"id"_s, id}, {u"summary"_s, summary}};
    if (includeEncrypted)
        item.insert(u"encrypted_content"_s, encodeReasoning(blocks));
    return item;
}

QJsonObject ResponsesOutput::messageItem(const QString &id, const QString &text, const QString &status)
{
    const QJsonObject part{
        {u"type"_s, u"output_text"_s}, {u"text"_s, text}, {u"annotations"_s, QJsonArray{}}};
    return {{u"type"_s, u"message"_s},
            {u"id"_s, id},
            {u"status"_s, status},
            {u"role"_s, u"assistant"_s},
            {u"content"_s, QJsonArray{part}}};
}

QJsonObject ResponsesOutput::callItem(const QString &id, const QString &callId, const QString &name,
                                      const QString &arguments, bool custom, const QString &status)
{
    if (custom) {
        const QString input =
            QJsonDocument::fromJson(arguments.toUtf8()).object().value(u"input"_s).toString();
        return {{u"type"_s, u"custom_tool_call"_s},
                {u"id"_s, id},
                {u"call_id"_s, callId},
                {u"name"_s, name},
                {u"input"_s, input},
                {u"status"_s, status}};
    }
    return {{u"type"_s, u"function_call"_s}, {u"id"_s, id},        {u"call_id"_s, callId}, {u"name"_s, name},
            {u"arguments"_s, arguments},     {u"status"_s, status}};
}

QJsonArray ResponsesOutput::itemsFromChatMessage(const QJsonObject &message, const QSet<QString> &customTools,
                                                 bool includeEncryptedReasoning,
                                                 QHash<QString, QJsonArray> *reasoningById)
{
    QJsonArray items;
    const QJsonArray thinking = message.value(u"thinking_blocks"_s).toArray();
    if (!thinking.isEmpty()) {
        const QString id = newId(u"rs"_s);
        reasoningById->insert(id, thinking);
        items.append(reasoningItem(id, message.value(u"reasoning_content"_s).toString(), thinking,
                                   includeEncryptedReasoning));
    }
    const QString text = message.value(u"content"_s).toString();
    if (!text.isEmpty())
        items.append(messageItem(newId(u"msg"_s), text, u"completed"_s));
    for (const QJsonValue &value : message.value(u"tool_calls"_s).toArray()) {
        const QJsonObject call = value.toObject();
        const QJsonObject function = call.value(u"function"_s).toObject();
        const QString name = function.value(u"name"_s).toString();
        const bool custom = customTools.contains(name);
        items.append(callItem(newId(custom ? u"ctc"_s : u"fc"_s), call.value(u"id"_s).toString(), name,
                              function.value(u"arguments"_s).toString(), custom, u"completed"_s));
    }
    return items;
}

QJsonObject ResponsesOutput::usage(const TokenUsage &usage)
{
    // Bedrock's input count excludes cache reads and writes; OpenAI's includes cached tokens.
    const qint64 input = usage.input + usage.cacheRead + usage.cacheWrite;
    return {{u"input_tokens"_s, input},
            {u"input_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, usage.cacheRead}}},
            {u"output_tokens"_s, usage.output},
            {u"output_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, 0}}},
            {u"total_tokens"_s, input + usage.output}};
}

TokenUsage ResponsesOutput::usageFromJson(const QJsonObject &usage)
{
    TokenUsage tokens;
    tokens.present = true;
    tokens.cacheRead = usage.value(u"input_tokens_details"_s).toObject().value(u"cached_tokens"_s).toInteger();
    tokens.input = qMax<qint64>(0, usage.value(u"input_tokens"_s).toInteger() - tokens.cacheRead);
    tokens.output = usage.value(u"output_tokens"_s).toInteger();
    return tokens;
}

QString ResponsesOutput::incompleteReasonFor(const QString &stopReason)
{
    if (stopReason == u"max_tokens"_s)
        return u"max_output_tokens"_s;
    if (stopReason == u"guardrail_intervened"_s || stopReason == u"content_filtered"_s)
        return u"content_filter"_s;
    return {};
}

QJsonObject ResponsesOutput::response(QJsonObject shell, const QString &status, const QJsonArray &output,
                                      const QJsonValue &usage, const QString &incompleteReason)
{
    shell.insert(u"status"_s, status);
    shell.insert(u"output"_s, output);
    shell.insert(u"usage"_s, usage);
    shell.insert(u"incomplete_details"_s, incompleteReason.isEmpty()
                                              ? QJsonValue(QJsonValue::Null)
                                              : QJsonValue(QJsonObject{{u"reason"_s, incompleteReason}}));
    if (!shell.contains(u"error"_s))
        shell.insert(u"error"_s, QJsonValue::Null);
    return shell;
}

QJsonArray ResponsesOutput::conversation(const QJsonArray &history, const QJsonArray &input,
                                         const QJsonArray &output,
                                         const QHash<QString, QJsonArray> &reasoningById)
{
    QJsonArray items = history;
    for (const QJsonValue &item : input)
        items.append(item);
    for (const QJsonValue &value : output) {
        QJsonObject item = value.toObject();
        const auto reasoning = reasoningById.constFind(item.value(u"id"_s).toString());
        if (reasoning != reasoningById.constEnd())
            item.insert(u"encrypted_content"_s, encodeReasoning(*reasoning));
        items.append(item);
    }
    return items;
}

} // namespace quarry::bedrock
