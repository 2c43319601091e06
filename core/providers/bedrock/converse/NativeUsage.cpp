// Reads token counts out of native Bedrock answers, whichever model family produced them.
#include "providers/bedrock/converse/NativeUsage.h"
#include "providers/bedrock/converse/ConverseUsage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

qint64 count(const QJsonObject &object, const QString &key)
{
    return static_cast<qint64>(object.value(key).toDouble(0));
}

// An optional header count: nullopt when absent or not a number.
std::optional<qint64> headerCount(const QByteArray &value)
{
    bool ok = false;
    const qint64 number = value.trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(number) : std::nullopt;
}

} // namespace

void NativeUsage::setCounts(qint64 input, qint64 output)
{
    m_usage.present = true;
    m_usage.input = input;
    m_usage.output = output;
}

NativeUsage NativeUsage::fromConverse(const QByteArray &body)
{
    const QJsonObject object = objectOf(body);
    NativeUsage result;
    result.m_usage = converseUsage(object.value(u"usage"_s));
    result.m_stopReason = object.value(u"stopReason"_s).toString();
    return result;
}

NativeUsage NativeUsage::fromInvoke(const QByteArray &body, const QByteArray &inputTokenHeader,
                                    const QByteArray &outputTokenHeader)
{
    NativeUsage result;
    result.readInvokeBody(objectOf(body));
    if (!result.m_usage.present) {
        const auto input = headerCount(inputTokenHeader);
        const auto output = headerCount(outputTokenHeader);
        if (input || output)
            result.setCounts(input.value_or(0), output.value_or(0));
    }
    return result;
}

// The model-specific InvokeModel bodies (and the JSON inside each streamed chunk, which uses the
// same field names for the families that report usage per chunk).
void NativeUsage::readInvokeBody(const QJsonObject &body)
{
    // Anthropic Messages: usage.input_tokens/output_tokens, cache counts beside them.
    const QJsonObject anthropic = body.value(u"usage"_s).toObject();
    if (anthropic.contains(u"input_tokens"_s) || anthropic.contains(u"output_tokens"_s)) {
        setCounts(count(anthropic, u"input_tokens"_s), count(anthropic, u"output_tokens"_s));
        m_usage.cacheRead = count(anthropic, u"cache_read_input_tokens"_s);
        m_usage.cacheWrite = count(anthropic, u"cache_creation_input_tokens"_s);
        m_stopReason = body.value(u"stop_reason"_s).toString(m_stopReason);
        return;
    }
    // Amazon Nova: usage.inputTokens/outputTokens, stopReason.
    if (anthropic.contains(u"inputTokens"_s) || anthropic.contains(u"outputTokens"_s)) {
        setCounts(count(anthropic, u"inputTokens"_s), count(anthropic, u"outputTokens"_s));
        m_usage.cacheRead = count(anthropic, u"cacheReadInputTokenCount"_s);
        m_usage.cacheWrite = count(anthropic, u"cacheWriteInputTokenCount"_s);
        m_stopReason = body.value(u"stopReason"_s).toString(m_stopReason);
        return;
    }
    // Amazon Titan Text: inputTextTokenCount and results[].tokenCount.
    if (body.contains(u"inputTextTokenCount"_s) && body.value(u"results"_s).isArray()) {
        qint64 output = 0;
        for (const QJsonValue &result : body.value(u"results"_s).toArray()) {
            output += count(result.toObject(), u"tokenCount"_s);
            m_stopReason = result.toObject().value(u"completionReason"_s).toString(m_stopReason);
        }
        setCounts(count(body, u"inputTextTokenCount"_s), output);
        return;
    }
    // Meta Llama: prompt_token_count/generation_token_count.
    if (body.contains(u"prompt_token_count"_s) || body.contains(u"generation_token_count"_s)) {
        setCounts(count(body, u"prompt_token_count"_s), count(body, u"generation_token_count"_s));
        m_stopReason = body.value(u"stop_reason"_s).toString(m_stopReason);
    }
}

void NativeUsage::addStreamEvent(const EventStreamMessage &message)
{
    if (message.headerString(u":message-type"_s) != u"event"_s)
        return;
    const QString eventType = message.headerString(u":event-type"_s);
    if (eventType == u"chunk"_s)
        addInvokeChunk(message.payload);
    else
        addConverseStreamEvent(eventType, message.payload);
}

void NativeUsage::addConverseStreamEvent(const QString &eventType, const QByteArray &payload)
{
    const QJsonObject event = objectOf(payload);
    if (eventType == u"messageStop"_s)
        m_stopReason = event.value(u"stopReason"_s).toString(m_stopReason);
    else if (eventType == u"metadata"_s && event.contains(u"usage"_s))
        m_usage = converseUsage(event.value(u"usage"_s));
}

// A chunk's payload is {"bytes": base64 of the model's own stream event}.
void NativeUsage::addInvokeChunk(const QByteArray &payload)
{
    const QByteArray bytes = objectOf(payload).value(u"bytes"_s).toString().toLatin1();
    const QJsonObject chunk = objectOf(QByteArray::fromBase64(bytes));
    const QString type = chunk.value(u"type"_s).toString();
    if (type == u"message_start"_s) {
        readInvokeBody(chunk.value(u"message"_s).toObject());
    } else if (type == u"message_delta"_s) {
        // Anthropic's message_delta usage is cumulative: it replaces the output count so far.
        const QJsonObject usage = chunk.value(u"usage"_s).toObject();
        if (usage.contains(u"output_tokens"_s))
            setCounts(usage.contains(u"input_tokens"_s) ? count(usage, u"input_tokens"_s) : m_usage.input,
                      count(usage, u"output_tokens"_s));
        m_stopReason = chunk.value(u"delta"_s).toObject().value(u"stop_reason"_s).toString(m_stopReason);
    } else if (chunk.contains(u"metadata"_s)) {
        readInvokeBody(chunk.value(u"metadata"_s).toObject()); // Nova's stream metadata {usage}
    } else if (chunk.contains(u"messageStop"_s)) {
        m_stopReason = chunk.value(u"messageStop"_s).toObject().value(u"stopReason"_s).toString(m_stopReason);
    } else if (chunk.contains(u"totalOutputTextTokenCount"_s)) {
        // Titan: running totals in every chunk, the completion reason in the last one.
        setCounts(count(chunk, u"inputTextTokenCount"_s), count(chunk, u"totalOutputTextTokenCount"_s));
        m_stopReason = chunk.value(u"completionReason"_s).toString(m_stopReason);
    }
    // Bedrock adds its own totals to the last chunk of every model family; they win.
    const QJsonValue metrics = chunk.value(u"amazon-bedrock-invocationMetrics"_s);
    if (metrics.isObject())
        readInvocationMetrics(metrics.toObject());
}

void NativeUsage::readInvocationMetrics(const QJsonObject &metrics)
{
    if (!metrics.contains(u"inputTokenCount"_s) && !metrics.contains(u"outputTokenCount"_s))
        return;
    setCounts(count(metrics, u"inputTokenCount"_s), count(metrics, u"outputTokenCount"_s));
    if (metrics.contains(u"cacheReadInputTokenCount"_s))
        m_usage.cacheRead = count(metrics, u"cacheReadInputTokenCount"_s);
    if (metrics.contains(u"cacheWriteInputTokenCount"_s))
        m_usage.cacheWrite = count(metrics, u"cacheWriteInputTokenCount"_s);
}

} // namespace quarry::bedrock
