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
    const QJsonObject message = choice.value("message"_L1).toObject();
    m_text = message.value("content"_L1).toString();
    m_reasoning = message.value("reasoning_content"_L1).toString();
    readOpenAiToolCalls(message.value("tool_calls"_L1).toArray());
    m_finishReason = choice.value("finish_reason"_L1).toString();
    readOpenAiUsage(object);
}

void ChatResponseReader::readAnthropicBody(const QJsonObject &message)
{
    for (const QJsonValue &value : message.value("content"_L1).toArray()) {
        const QJsonObject block = value.toObject();
        const QString type = block.value("type"_L1).toString();
        if (type == u"text"_s)
            m_text += block.value("text"_L1).toString();
        else if (type == u"thinking"_s)
            m_reasoning += block.value("thinking"_L1).toString();
        else if (type == u"tool_use"_s && m_toolCalls.size() < MaxToolCalls)
            m_toolCalls.append({block.value("id"_L1).toString(), block.value("name"_L1).toString(),
                                QString::fromUtf8(QJsonDocument(block.value("input"_L1).toObject())
                                                      .toJson(QJsonDocument::Compact))});
    }
    m_finishReason = message.value("stop_reason"_L1).toString();
    if (message.value("usage"_L1).isObject())
        m_usage = bedrock::AnthropicResponseBuilder::usageFromJson(message.value("usage"_L1).toObject());
}

void ChatResponseReader::readResponsesBody(const QJsonObject &response)
{
    for (const QJsonValue &value : response.value("output"_L1).toArray()) {
        const QJsonObject item = value.toObject();
        const QString type = item.value("type"_L1).toString();
        if (type == u"message"_s) {
            for (const QJsonValue &part : item.value("content"_L1).toArray()) {
                if (part.toObject().value("type"_L1).toString() == u"output_text"_s)
                    m_text += part.toObject().value("text"_L1).toString();
            }
        } else if (type == u"reasoning"_s) {
            for (const QJsonValue &part : item.value("summary"_L1).toArray())
                m_reasoning += part.toObject().value("text"_L1).toString();
        }
    }
    readResponsesToolCalls(response);
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
    const QJsonObject delta = choice.value("delta"_L1).toObject();
    m_reasoning += delta.value("reasoning_content"_L1).toString();
    readOpenAiToolCalls(delta.value("tool_calls"_L1).toArray());
    const QJsonValue content = delta.value("content"_L1);
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
    if (type == u"content_block_start"_s) {
        const QJsonObject block = event.value("content_block"_L1).toObject();
        if (block.value("type"_L1).toString() == u"tool_use"_s && m_toolCalls.size() < MaxToolCalls)
            m_toolCalls.append({block.value("id"_L1).toString(), block.value("name"_L1).toString(), {}});
        return {};
    }
    if (type == u"content_block_delta"_s) {
        const QJsonObject delta = event.value("delta"_L1).toObject();
        const QString deltaType = delta.value("type"_L1).toString();
        if (deltaType == u"thinking_delta"_s)
            m_reasoning += delta.value("thinking"_L1).toString();
        else if (deltaType == u"input_json_delta"_s && !m_toolCalls.isEmpty())
            m_toolCalls.last().arguments += delta.value("partial_json"_L1).toString();
        if (deltaType != u"text_delta"_s)
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
    if (type == u"response.reasoning_summary_text.delta"_s || type == u"response.reasoning_text.delta"_s) {
        m_reasoning += event.value("delta"_L1).toString();
        return {};
    }
    if (type == u"response.completed"_s || type == u"response.incomplete"_s || type == u"response.failed"_s) {
        const QJsonObject response = event.value("response"_L1).toObject();
        m_finishReason = response.value("status"_L1).toString();
        if (response.value("usage"_L1).isObject())
            m_usage = bedrock::ResponsesOutput::usageFromJson(response.value("usage"_L1).toObject());
        readResponsesToolCalls(response); // whole in the final response: no need to join argument deltas
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

void ChatResponseReader::readOpenAiToolCalls(const QJsonArray &calls)
{
    // Streamed calls come in pieces keyed by "index": the first piece has id and name, the rest
    // add to the arguments. A whole answer's calls have no index: their position is it.
    for (qsizetype position = 0; position < calls.size(); ++position) {
        const QJsonObject call = calls.at(position).toObject();
        const int index = call.value("index"_L1).toInt(int(position));
        if (index < 0 || index >= MaxToolCalls)
            continue;
        while (m_toolCalls.size() <= index)
            m_toolCalls.append(ChatToolCall{});
        ChatToolCall &known = m_toolCalls[index];
        const QJsonObject function = call.value("function"_L1).toObject();
        if (call.value("id"_L1).isString())
            known.id = call.value("id"_L1).toString();
        if (function.value("name"_L1).isString())
            known.name = function.value("name"_L1).toString();
        known.arguments += function.value("arguments"_L1).toString();
    }
}

void ChatResponseReader::readResponsesToolCalls(const QJsonObject &response)
{
    m_toolCalls.clear();
    for (const QJsonValue &value : response.value("output"_L1).toArray()) {
        const QJsonObject item = value.toObject();
        if (item.value("type"_L1).toString() == u"function_call"_s && m_toolCalls.size() < MaxToolCalls)
            m_toolCalls.append({item.value("call_id"_L1).toString(), item.value("name"_L1).toString(),
                                item.value("arguments"_L1).toString()});
    }
}

void ChatResponseReader::readOpenAiUsage(const QJsonObject &object)
{
    const QJsonValue usage = object.value("usage"_L1);
    if (!usage.isObject())
        return;
    m_usage = bedrock::fromOpenAiUsage(usage.toObject());
}

std::optional<double> ChatResponseReader::streamedCostUsd() const
{
    static constexpr QStringView Prefix = u"x-quarry-cost-usd ";
    const QString comment = m_parser.lastComment();
    if (!comment.startsWith(Prefix))
        return std::nullopt;
    bool ok = false;
    const double cost = QStringView(comment).sliced(Prefix.size()).toDouble(&ok);
    return ok && cost >= 0 ? std::optional(cost) : std::nullopt;
}

} // namespace quarry::client
