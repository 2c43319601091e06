// ConverseStream events -> Anthropic Messages server-sent events.
#include "providers/bedrock/anthropic/AnthropicStreamTranslator.h"
#include "providers/bedrock/converse/ConverseUsage.h"

#include "providers/bedrock/anthropic/AnthropicResponseBuilder.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

QByteArray sse(QLatin1StringView event, const QJsonObject &data)
{
    return "event: "_ba + QByteArray(event.data(), event.size()) + "\ndata: "_ba +
           QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n"_ba;
}

// {"type": type, field: text}: the text, thinking, signature and tool-input fragments that make
// up most of a stream, written directly rather than through a QJsonObject per delta.
QByteArray fragment(const char *type, const char *field, const QString &text)
{
    QByteArray json = "{\"type\":\"" + QByteArray(type) + "\",\"" + QByteArray(field) + "\":";
    util::appendJsonString(json, text);
    return json + '}';
}

int blockIndexOf(const QJsonObject &payload)
{
    return payload.value("contentBlockIndex"_L1).toInt();
}

} // namespace

AnthropicStreamTranslator::AnthropicStreamTranslator(QString messageId, QString model,
                                                     ToolNameMapper toolNames)
    : m_id(AnthropicResponseBuilder::messageIdFor(messageId)), m_model(std::move(model)),
      m_toolNames(std::move(toolNames))
{}

QByteArray AnthropicStreamTranslator::onEvent(const QString &eventType, const QByteArray &jsonPayload)
{
    if (m_error || m_finished)
        return {};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(jsonPayload, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fail({502, u"api_error"_s, u"bad_upstream_event"_s,
                     u"Bedrock sent a malformed "_s % eventType % u" event"_s});
    const QJsonObject payload = document.object();
    if (eventType == "messageStart"_L1)
        return ensureMessageStart();
    if (eventType == "contentBlockStart"_L1)
        return onContentBlockStart(payload);
    if (eventType == "contentBlockDelta"_L1)
        return onContentBlockDelta(payload);
    if (eventType == "contentBlockStop"_L1)
        return onContentBlockStop(payload);
    if (eventType == "messageStop"_L1)
        return onMessageStop(payload);
    if (eventType == "metadata"_L1) {
        m_usage = converseUsage(payload.value("usage"_L1));
        return m_stopped ? completeMessage() : QByteArray();
    }
    return {}; // event types newer than this code
}

QByteArray AnthropicStreamTranslator::onException(const QString &exceptionType, const QByteArray &jsonPayload)
{
    if (m_error || m_finished)
        return {};
    return fail(mapStreamException(exceptionType, jsonPayload));
}

QByteArray AnthropicStreamTranslator::finish()
{
    if (m_error || m_finished)
        return {};
    if (!m_stopped)
        return fail({502, u"api_error"_s, u"incomplete_stream"_s,
                     u"Bedrock's stream ended before the message was complete"_s});
    return completeMessage(); // metadata never came: the usage stays zero
}

QByteArray AnthropicStreamTranslator::ensureMessageStart()
{
    if (m_started)
        return {};
    m_started = true;
    // Converse has not reported any usage yet; message_delta carries the real counts.
    const QJsonObject message{{u"id"_s, m_id},
                              {u"type"_s, u"message"_s},
                              {u"role"_s, u"assistant"_s},
                              {u"model"_s, m_model},
                              {u"content"_s, QJsonArray{}},
                              {u"stop_reason"_s, QJsonValue::Null},
                              {u"stop_sequence"_s, QJsonValue::Null},
                              {u"usage"_s, AnthropicResponseBuilder::usageJson(TokenUsage{})}};
    return sse("message_start"_L1, {{u"type"_s, u"message_start"_s}, {u"message"_s, message}});
}

QByteArray AnthropicStreamTranslator::openBlock(int converseIndex, const QJsonObject &contentBlock)
{
    QByteArray out = ensureMessageStart() + closeOpenBlock();
    const int index = static_cast<int>(m_indexes.size());
    m_indexes.insert(converseIndex, index);
    m_openIndex = index;
    return out + sse("content_block_start"_L1, {{u"type"_s, u"content_block_start"_s},
                                                {u"index"_s, index},
                                                {u"content_block"_s, contentBlock}});
}

QByteArray AnthropicStreamTranslator::closeOpenBlock()
{
    if (m_openIndex < 0)
        return {};
    const int index = std::exchange(m_openIndex, -1);
    return sse("content_block_stop"_L1, {{u"type"_s, u"content_block_stop"_s}, {u"index"_s, index}});
}

QByteArray AnthropicStreamTranslator::delta(int converseIndex, const QByteArray &deltaJson) const
{
    return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"
           + QByteArray::number(m_indexes.value(converseIndex)) + ",\"delta\":" + deltaJson + "}\n\n";
}

QByteArray AnthropicStreamTranslator::onContentBlockStart(const QJsonObject &payload)
{
    const QJsonObject toolUse = payload.value("start"_L1)["toolUse"_L1].toObject();
    if (toolUse.isEmpty() || m_indexes.contains(blockIndexOf(payload)))
        return {};
    return openBlock(blockIndexOf(payload),
                     {{u"type"_s, u"tool_use"_s},
                      {u"id"_s, toolUse.value("toolUseId"_L1).toString()},
                      {u"name"_s, m_toolNames.toClient(toolUse.value("name"_L1).toString())},
                      {u"input"_s, QJsonObject{}}});
}

QByteArray AnthropicStreamTranslator::onContentBlockDelta(const QJsonObject &payload)
{
    const int index = blockIndexOf(payload);
    const QJsonObject converseDelta = payload.value("delta"_L1).toObject();
    if (converseDelta.value("text"_L1).isString()) {
        const QString text = converseDelta.value("text"_L1).toString();
        m_text += text;
        QByteArray out;
        if (!m_indexes.contains(index))
            out = openBlock(index, {{u"type"_s, u"text"_s}, {u"text"_s, u""_s}});
        return out + delta(index, fragment("text_delta", "text", text));
    }
    const QJsonValue input = converseDelta.value("toolUse"_L1)["input"_L1];
    if (input.isString() && m_indexes.contains(index))
        return delta(index, fragment("input_json_delta", "partial_json", input.toString()));
    if (converseDelta.value("reasoningContent"_L1).isObject())
        return onReasoningDelta(index, converseDelta.value("reasoningContent"_L1).toObject());
    return {};
}

QByteArray AnthropicStreamTranslator::onReasoningDelta(int index, const QJsonObject &reasoning)
{
    if (reasoning.value("redactedContent"_L1).isString()) {
        // Redacted thinking is opaque and arrives whole: Anthropic sends it in the start event.
        if (m_indexes.contains(index))
            return {};
        return openBlock(index, {{u"type"_s, u"redacted_thinking"_s},
                                 {u"data"_s, reasoning.value("redactedContent"_L1).toString()}});
    }
    QByteArray out;
    if (!m_indexes.contains(index))
        out = openBlock(index, {{u"type"_s, u"thinking"_s}, {u"thinking"_s, u""_s}, {u"signature"_s, u""_s}});
    if (reasoning.value("text"_L1).isString()) {
        out += delta(index, fragment("thinking_delta", "thinking", reasoning.value("text"_L1).toString()));
    } else if (reasoning.value("signature"_L1).isString()) {
        const QString signature = reasoning.value("signature"_L1).toString();
        out += delta(index, fragment("signature_delta", "signature", signature));
    }
    return out;
}

QByteArray AnthropicStreamTranslator::onContentBlockStop(const QJsonObject &payload)
{
    const auto index = m_indexes.constFind(blockIndexOf(payload));
    if (index == m_indexes.constEnd() || *index != m_openIndex)
        return {};
    return closeOpenBlock();
}

QByteArray AnthropicStreamTranslator::onMessageStop(const QJsonObject &payload)
{
    m_stopped = true;
    m_bedrockStopReason = payload.value("stopReason"_L1).toString();
    m_stopReason = AnthropicResponseBuilder::stopReasonFor(m_bedrockStopReason);
    const QJsonValue sequence = payload.value("additionalModelResponseFields"_L1)["stop_sequence"_L1];
    m_stopSequence = sequence.isString() ? sequence : QJsonValue();
    // message_delta waits for the usage in the metadata event that follows.
    return ensureMessageStart() + closeOpenBlock();
}

QByteArray AnthropicStreamTranslator::completeMessage()
{
    m_finished = true;
    const QJsonObject messageDelta{{u"stop_reason"_s, m_stopReason}, {u"stop_sequence"_s, m_stopSequence}};
    return sse("message_delta"_L1, {{u"type"_s, u"message_delta"_s},
                                    {u"delta"_s, messageDelta},
                                    {u"usage"_s, AnthropicResponseBuilder::usageJson(m_usage)}}) +
           sse("message_stop"_L1, {{u"type"_s, u"message_stop"_s}});
}

QByteArray AnthropicStreamTranslator::fail(const ApiError &error)
{
    m_error = error;
    return error.toAnthropicSse();
}

} // namespace quarry::bedrock
