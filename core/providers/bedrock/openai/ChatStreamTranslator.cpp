// ConverseStream events -> OpenAI chat.completion.chunk server-sent events.
#include "providers/bedrock/openai/ChatStreamTranslator.h"
#include "providers/bedrock/openai/OpenAiUsage.h"

#include "providers/bedrock/openai/ChatCompletionBuilder.h"
#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

QByteArray jsonText(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray toolCallDelta(int index, const QJsonObject &fields)
{
    QJsonObject call = fields;
    call.insert(u"index"_s, index);
    return jsonText(QJsonObject{{u"tool_calls"_s, QJsonArray{call}}});
}

// {"content": text} or {"reasoning_content": text}, written directly: one per text delta, the
// bulk of every stream.
QByteArray textDelta(const char *field, const QString &text)
{
    QByteArray json = "{\"" + QByteArray(field) + "\":";
    util::appendJsonString(json, text);
    return json + '}';
}

} // namespace

ChatStreamTranslator::ChatStreamTranslator(QString id, QString model, qint64 created, bool includeUsage,
                                           ResponseMapping mapping)
    : m_id(chatCompletionId(id)), m_model(std::move(model)), m_created(created), m_includeUsage(includeUsage),
      m_mapping(std::move(mapping))
{
    // Every chunk starts with the same fields: written once, not per delta.
    m_chunkStart = "{\"id\":";
    util::appendJsonString(m_chunkStart, m_id);
    m_chunkStart += ",\"object\":\"chat.completion.chunk\",\"created\":" + QByteArray::number(m_created)
                    + ",\"model\":";
    util::appendJsonString(m_chunkStart, m_model);
}

QByteArray ChatStreamTranslator::onEvent(const QString &eventType, const QByteArray &jsonPayload)
{
    if (m_error || m_finished)
        return {};
    const auto read = readConverseStreamEvent(jsonPayload);
    if (!read.ok())
        return fail(malformedStreamEvent(eventType));
    const ConverseStreamEvent &event = read.value();
    if (eventType == "messageStart"_L1)
        return onMessageStart();
    if (eventType == "contentBlockStart"_L1)
        return onContentBlockStart(event);
    if (eventType == "contentBlockDelta"_L1)
        return onContentBlockDelta(event);
    if (eventType == "messageStop"_L1)
        return onMessageStop(event);
    if (eventType == "metadata"_L1)
        return onMetadata(event);
    return {}; // contentBlockStop, and event types newer than this code
}

QByteArray ChatStreamTranslator::onException(const QString &exceptionType, const QByteArray &jsonPayload)
{
    if (m_error || m_finished)
        return {};
    return fail(mapStreamException(exceptionType, jsonPayload));
}

QByteArray ChatStreamTranslator::finish()
{
    if (m_error || m_finished)
        return {};
    if (!m_stopped) {
        return fail(ApiError{502, u"api_error"_s, u"incomplete_stream"_s,
                                 u"Bedrock's stream ended before the message was complete"_s});
    }
    m_finished = true;
    return "data: [DONE]\n\n"_ba;
}

QByteArray ChatStreamTranslator::onMessageStart()
{
    return chunk(R"({"role":"assistant","content":""})");
}

QByteArray ChatStreamTranslator::onContentBlockStart(const ConverseStreamEvent &event)
{
    if (!event.toolUseStart)
        return {};
    const ConverseToolUse &toolUse = *event.toolUseStart;
    if (!m_mapping.jsonToolName.isEmpty() && toolUse.name == m_mapping.jsonToolName) {
        m_jsonAnswerBlocks.insert(event.blockIndex);
        return {};
    }
    const int index = static_cast<int>(m_toolCallIndex.size());
    m_toolCallIndex.insert(event.blockIndex, index);
    const QJsonObject function{{u"name"_s, m_mapping.toolNames.toClient(toolUse.name)}, {u"arguments"_s, u""_s}};
    return chunk(toolCallDelta(index, {{u"id"_s, toolUse.id}, {u"type"_s, u"function"_s}, {u"function"_s, function}}));
}

QByteArray ChatStreamTranslator::onContentBlockDelta(const ConverseStreamEvent &event)
{
    if (event.text) {
        m_text += *event.text;
        return chunk(textDelta("content", *event.text));
    }
    if (event.reasoning)
        return onReasoningDelta(*event.reasoning);
    if (event.toolInput && m_jsonAnswerBlocks.contains(event.blockIndex)) {
        m_text += *event.toolInput;
        return chunk(textDelta("content", *event.toolInput));
    }
    const auto index = m_toolCallIndex.constFind(event.blockIndex);
    if (event.toolInput && index != m_toolCallIndex.constEnd()) {
        const QJsonObject function{{u"arguments"_s, *event.toolInput}};
        return chunk(toolCallDelta(*index, {{u"function"_s, function}}));
    }
    return {}; // delta kinds newer than this code
}

QByteArray ChatStreamTranslator::onReasoningDelta(const ConverseStreamEvent::Reasoning &reasoning)
{
    if (reasoning.text) {
        m_reasoning += *reasoning.text;
        return chunk(textDelta("reasoning_content", *reasoning.text));
    }
    QJsonObject block;
    if (reasoning.signature) {
        block = QJsonObject{{u"type"_s, u"thinking"_s}, {u"thinking"_s, u""_s}, {u"signature"_s, *reasoning.signature}};
    } else if (reasoning.redactedContent) {
        block = QJsonObject{{u"type"_s, u"redacted_thinking"_s}, {u"data"_s, *reasoning.redactedContent}};
    } else {
        return {};
    }
    return chunk(jsonText(QJsonObject{{u"thinking_blocks"_s, QJsonArray{block}}}));
}

QByteArray ChatStreamTranslator::onMessageStop(const ConverseStreamEvent &event)
{
    m_stopped = true;
    m_stopReason = event.stopReason;
    m_finishReason = finishReasonFor(m_stopReason);
    // The forced JSON tool produced the answer itself; there is no call for the client to make.
    if (!m_jsonAnswerBlocks.isEmpty() && m_toolCallIndex.isEmpty() && m_finishReason == "tool_calls"_L1)
        m_finishReason = u"stop"_s;
    return chunk("{}", m_finishReason);
}

QByteArray ChatStreamTranslator::onMetadata(const ConverseStreamEvent &event)
{
    m_usage = event.usage;
    if (!m_includeUsage || !m_usage.present)
        return {};
    // OpenAI's final usage chunk: no choices, usage filled in.
    return sseChunk("[]", openAiUsageJson(m_usage));
}

QByteArray ChatStreamTranslator::fail(const ApiError &error)
{
    m_error = error;
    return "data: "_ba + error.toOpenAiJson() + "\n\n"_ba;
}

QByteArray ChatStreamTranslator::chunk(const QByteArray &deltaJson, const QString &finishReason) const
{
    QByteArray choices = "[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":";
    if (finishReason.isEmpty())
        choices += "null";
    else
        util::appendJsonString(choices, finishReason);
    choices += ",\"logprobs\":null}]";
    // With include_usage, OpenAI sends "usage": null on every chunk before the last.
    return sseChunk(choices, m_includeUsage ? "null"_ba : QByteArray());
}

QByteArray ChatStreamTranslator::sseChunk(const QByteArray &choicesJson, const QByteArray &usageJson) const
{
    QByteArray event = "data: " + m_chunkStart + ",\"choices\":" + choicesJson;
    if (!usageJson.isEmpty())
        event += ",\"usage\":" + usageJson;
    return event + "}\n\n";
}

} // namespace quarry::bedrock
