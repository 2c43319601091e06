// Turns chat answers, streamed or not, into typed results for the console and `quarry chat`.
// Shapes: OpenAI chat completions and chat.completion.chunk events; Anthropic's message and its
// stream events (docs.anthropic.com/en/api/messages-streaming); OpenAI's response object and its
// response.* stream events (platform.openai.com/docs/api-reference/responses-streaming); Bedrock's
// Converse answer and ConverseStream's event frames.
#include "client/ChatResponseReader.h"

#include "providers/bedrock/anthropic/AnthropicResponseBuilder.h"
#include "providers/bedrock/converse/ConverseUsage.h"
#include "providers/bedrock/openai/OpenAiUsage.h"
#include "providers/bedrock/responses/ResponsesOutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::client {

QString ChatResponseReader::feedStream(QByteArrayView bytes)
{
    QString produced;
    for (const SseEvent &event : m_parser.feed(bytes)) {
        if (m_api == ChatApi::OpenAiChat && event.data == u"[DONE]") {
            m_done = true;
            continue;
        }
        const QJsonDocument document = QJsonDocument::fromJson(event.data.toUtf8());
        if (!document.isObject())
            continue; // not an event this client understands; keep reading
        const QJsonObject object = document.object();
        if (readError(object))
            continue;
        if (m_api == ChatApi::AnthropicMessages)
            produced += readAnthropicEvent(object);
        else if (m_api == ChatApi::Responses)
            produced += readResponsesEvent(object);
        else
            produced += readOpenAiChunk(object);
    }
    m_text += produced;
    return produced;
}

QString ChatResponseReader::feedEventStream(QByteArrayView bytes)
{
    QString produced;
    m_frames.feed(bytes);
    while (auto message = m_frames.next()) {
        if (!message->ok()) {
            m_error = u"The event stream was malformed: "_s + message->error();
            break;
        }
        const QJsonObject payload = QJsonDocument::fromJson(message->value().payload).object();
        if (message->value().headerString(u":message-type"_s) == u"exception"_s) {
            m_error = message->value().headerString(u":exception-type"_s) + u": "_s +
                      payload.value("message"_L1).toString();
            continue;
        }
        produced += readConverseEvent(message->value().headerString(u":event-type"_s), payload);
    }
    m_text += produced;
    return produced;
}

QString ChatResponseReader::readConverseEvent(const QString &type, const QJsonObject &event)
{
    if (type == u"contentBlockDelta"_s) {
        const QJsonValue text = event.value("delta"_L1).toObject().value("text"_L1);
        if (!text.isString())
            return {}; // reasoning, tool input: not the answer's text
        ++m_deltas;
        return text.toString();
    }
    if (type == u"messageStop"_s)
        m_finishReason = event.value("stopReason"_L1).toString();
    else if (type == u"metadata"_s) {
        m_usage = bedrock::converseUsage(event.value("usage"_L1));
        m_done = true; // the stream's last event
    }
    return {};
}

void ChatResponseReader::readBody(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (object.isEmpty() && !body.isEmpty()) {
        m_error = u"The answer was not JSON: "_s + QString::fromUtf8(body.left(200));
        return;
    }
    if (m_api == ChatApi::Converse) {
        readConverseBody(object);
        return;
    }
    if (readError(object))
        return;
    if (m_api == ChatApi::AnthropicMessages)
        readAnthropicBody(object);
    else if (m_api == ChatApi::Responses)
        readResponsesBody(object);
    else
        readOpenAiBody(object);
}

void ChatResponseReader::readOpenAiBody(const QJsonObject &object)
{
    const QJsonObject choice = object.value("choices"_L1).toArray().first().toObject();
    m_text = choice.value("message"_L1).toObject().value("content"_L1).toString();
    m_finishReason = choice.value("finish_reason"_L1).toString();
    readOpenAiUsage(object);
}

void ChatResponseReader::readAnthropicBody(const QJsonObject &message)
{
    for (const QJsonValue &block : message.value("content"_L1).toArray()) {
        if (block.toObject().value("type"_L1).toString() == u"text"_s)
            m_text += block.toObject().value("text"_L1).toString();
    }
    m_finishReason = message.value("stop_reason"_L1).toString();
    if (message.value("usage"_L1).isObject())
        m_usage = bedrock::AnthropicResponseBuilder::usageFromJson(message.value("usage"_L1).toObject());
}

void ChatResponseReader::readResponsesBody(const QJsonObject &response)
{
    for (const QJsonValue &item : response.value("output"_L1).toArray()) {
        if (item.toObject().value("type"_L1).toString() != u"message"_s)
            continue;
        for (const QJsonValue &part : item.toObject().value("content"_L1).toArray()) {
            if (part.toObject().value("type"_L1).toString() == u"output_text"_s)
                m_text += part.toObject().value("text"_L1).toString();
        }
    }
    m_finishReason = response.value("status"_L1).toString();
    if (response.value("usage"_L1).isObject())
        m_usage = bedrock::ResponsesOutput::usageFromJson(response.value("usage"_L1).toObject());
}

void ChatResponseReader::readConverseBody(const QJsonObject &answer)
{
    if (!answer.contains("output"_L1)) {
        // Bedrock's errors are {"message": ...}, their type in a header.
        m_error = answer.value("message"_L1).toString(u"The answer had no output"_s);
        return;
    }
    const QJsonObject message = answer.value("output"_L1).toObject().value("message"_L1).toObject();
    for (const QJsonValue &block : message.value("content"_L1).toArray()) {
        if (block.toObject().value("text"_L1).isString())
            m_text += block.toObject().value("text"_L1).toString();
    }
    m_finishReason = answer.value("stopReason"_L1).toString();
    if (answer.value("usage"_L1).isObject())
        m_usage = bedrock::converseUsage(answer.value("usage"_L1));
}

QString ChatResponseReader::readOpenAiChunk(const QJsonObject &chunk)
{
    readOpenAiUsage(chunk);
    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    if (choices.isEmpty())
        return {};
    const QJsonObject choice = choices.first().toObject();
    if (choice.value("finish_reason"_L1).isString())
        m_finishReason = choice.value("finish_reason"_L1).toString();
    const QJsonValue content = choice.value("delta"_L1).toObject().value("content"_L1);
    if (!content.isString())
        return {};
    ++m_deltas;
    return content.toString();
}

QString ChatResponseReader::readAnthropicEvent(const QJsonObject &event)
{
    const QString type = event.value("type"_L1).toString();
    if (type == u"message_start"_s) {
        readAnthropicBody(event.value("message"_L1).toObject()); // no text yet; the input count
        return {};
    }
    if (type == u"content_block_delta"_s) {
        const QJsonObject delta = event.value("delta"_L1).toObject();
        if (delta.value("type"_L1).toString() != u"text_delta"_s)
            return {}; // thinking, tool input: not the answer's text
        ++m_deltas;
        return delta.value("text"_L1).toString();
    }
    if (type == u"message_delta"_s) {
        m_finishReason = event.value("delta"_L1).toObject().value("stop_reason"_L1).toString();
        // Its usage is cumulative; fields it leaves out keep message_start's values.
        const QJsonObject usage = event.value("usage"_L1).toObject();
        TokenUsage tokens = m_usage.value_or(TokenUsage{});
        const TokenUsage update = bedrock::AnthropicResponseBuilder::usageFromJson(usage);
        tokens.present = true;
        tokens.output = update.output;
        if (usage.contains("input_tokens"_L1))
            tokens.input = update.input;
        if (usage.contains("cache_read_input_tokens"_L1))
            tokens.cacheRead = update.cacheRead;
        if (usage.contains("cache_creation_input_tokens"_L1))
            tokens.cacheWrite = update.cacheWrite;
        m_usage = tokens;
    } else if (type == u"message_stop"_s) {
        m_done = true;
    }
    return {};
}

QString ChatResponseReader::readResponsesEvent(const QJsonObject &event)
{
    const QString type = event.value("type"_L1).toString();
    if (type == u"response.output_text.delta"_s) {
        ++m_deltas;
        return event.value("delta"_L1).toString();
    }
    if (type == u"response.completed"_s || type == u"response.incomplete"_s || type == u"response.failed"_s) {
        const QJsonObject response = event.value("response"_L1).toObject();
        m_finishReason = response.value("status"_L1).toString();
        if (response.value("usage"_L1).isObject())
            m_usage = bedrock::ResponsesOutput::usageFromJson(response.value("usage"_L1).toObject());
        readError(response);
        m_done = true;
    }
    return {};
}

bool ChatResponseReader::readError(const QJsonObject &object)
{
    // {"error": {...}} in every API's error body; Anthropic's and Responses' stream error events
    // are {"type": "error", "error": {...}} and {"type": "error", "message": ...}.
    const QJsonValue error = object.value("error"_L1);
    const bool errorEvent = object.value("type"_L1).toString() == u"error"_s;
    if ((error.isUndefined() || error.isNull()) && !errorEvent)
        return false;
    if (error.isObject())
        m_error = error.toObject().value("message"_L1).toString();
    else if (error.isString())
        m_error = error.toString();
    else
        m_error = object.value("message"_L1).toString();
    if (m_error.isEmpty())
        m_error = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    return true;
}

void ChatResponseReader::readOpenAiUsage(const QJsonObject &object)
{
    const QJsonValue usage = object.value("usage"_L1);
    if (!usage.isObject())
        return;
    m_usage = bedrock::fromOpenAiUsage(usage.toObject());
}

} // namespace quarry::client
