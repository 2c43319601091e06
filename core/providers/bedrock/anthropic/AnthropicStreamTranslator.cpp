// ConverseStream events -> Anthropic Messages server-sent events.
#include "providers/bedrock/anthropic/AnthropicStreamTranslator.h"

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
    const auto read = readConverseStreamEvent(jsonPayload);
    if (!read.ok())
        return fail(malformedStreamEvent(eventType));
    const ConverseStreamEvent &event = read.value();
    if (eventType == "messageStart"_L1)
        return ensureMessageStart();
    if (eventType == "contentBlockStart"_L1)
        return onContentBlockStart(event);
    if (eventType == "contentBlockDelta"_L1)
        return onContentBlockDelta(event);
    if (eventType == "contentBlockStop"_L1)
        return onContentBlockStop(event);
    if (eventType == "messageStop"_L1)
        return onMessageStop(event);
    if (eventType == "metadata"_L1) {
        m_usage = event.usage;
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

QByteArray AnthropicStreamTranslator::onContentBlockStart(const ConverseStreamEvent &event)
{
    if (!event.toolUseStart || m_indexes.contains(event.blockIndex))
        return {};
    return openBlock(event.blockIndex,
                     {{u"type"_s, u"tool_use"_s},
                      {u"id"_s, event.toolUseStart->id},
                      {u"name"_s, m_toolNames.toClient(event.toolUseStart->name)},
                      {u"input"_s, QJsonObject{}}});
}

QByteArray AnthropicStreamTranslator::onContentBlockDelta(const ConverseStreamEvent &event)
{
    const int index = event.blockIndex;
    if (event.text) {
        m_text += *event.text;
        QByteArray out;
        if (!m_indexes.contains(index))
            out = openBlock(index, {{u"type"_s, u"text"_s}, {u"text"_s, u""_s}});
        return out + delta(index, fragment("text_delta", "text", *event.text));
    }
    if (event.toolInput && m_indexes.contains(index))
        return delta(index, fragment("input_json_delta", "partial_json", *event.toolInput));
    if (event.reasoning)
        return onReasoningDelta(index, *event.reasoning);
    return {};
}

QByteArray AnthropicStreamTranslator::onReasoningDelta(int index, const ConverseStreamEvent::Reasoning &reasoning)
{
    if (reasoning.redactedContent) {
        // Redacted thinking is opaque and arrives whole: Anthropic sends it in the start event.
        if (m_indexes.contains(index))
            return {};
        return openBlock(index, {{u"type"_s, u"redacted_thinking"_s}, {u"data"_s, *reasoning.redactedContent}});
    }
    QByteArray out;
    if (!m_indexes.contains(index))
        out = openBlock(index, {{u"type"_s, u"thinking"_s}, {u"thinking"_s, u""_s}, {u"signature"_s, u""_s}});
    if (reasoning.text)
        out += delta(index, fragment("thinking_delta", "thinking", *reasoning.text));
    else if (reasoning.signature)
        out += delta(index, fragment("signature_delta", "signature", *reasoning.signature));
    return out;
}

QByteArray AnthropicStreamTranslator::onContentBlockStop(const ConverseStreamEvent &event)
{
    const auto index = m_indexes.constFind(event.blockIndex);
    if (index == m_indexes.constEnd() || *index != m_openIndex)
        return {};
    return closeOpenBlock();
}

QByteArray AnthropicStreamTranslator::onMessageStop(const ConverseStreamEvent &event)
{
    m_stopped = true;
    m_bedrockStopReason = event.stopReason;
    m_stopReason = AnthropicResponseBuilder::stopReasonFor(m_bedrockStopReason);
    m_stopSequence = event.stopSequence ? QJsonValue(*event.stopSequence) : QJsonValue();
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
