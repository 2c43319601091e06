// ConverseStream events -> Responses API events.
#include "providers/bedrock/responses/ResponsesStreamTranslator.h"

#include "providers/bedrock/responses/ResponsesOutput.h"
#include "util/JsonText.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

ResponsesStreamTranslator::ResponsesStreamTranslator(QJsonObject shell, ResponseMapping mapping,
                                                     QSet<QString> customTools,
                                                     bool includeEncryptedReasoning)
    : m_shell(std::move(shell)), m_mapping(std::move(mapping)), m_customTools(std::move(customTools)),
      m_includeEncrypted(includeEncryptedReasoning)
{}

QByteArray ResponsesStreamTranslator::event(const QString &type, QJsonObject fields)
{
    fields.insert(u"type"_s, type);
    fields.insert(u"sequence_number"_s, m_sequence++);
    return "event: "_ba + type.toUtf8() + "\ndata: "_ba +
           QJsonDocument(fields).toJson(QJsonDocument::Compact) + "\n\n"_ba;
}

// A *.delta event, written directly: one per text, reasoning or argument fragment, the bulk of a
// stream. partIndexField names the part index the event type has (content_index, summary_index).
QByteArray ResponsesStreamTranslator::deltaEvent(const char *type, const Block &block,
                                                 const char *partIndexField, const QString &delta)
{
    QByteArray data = "{\"type\":\"" + QByteArray(type)
                      + "\",\"sequence_number\":" + QByteArray::number(m_sequence++) + ",\"item_id\":";
    util::appendJsonString(data, block.itemId);
    data += ",\"output_index\":" + QByteArray::number(block.outputIndex);
    if (partIndexField)
        data += ",\"" + QByteArray(partIndexField) + "\":0";
    data += ",\"delta\":";
    util::appendJsonString(data, delta);
    return "event: " + QByteArray(type) + "\ndata: " + data + "}\n\n";
}

QByteArray ResponsesStreamTranslator::onEvent(const QString &eventType, const QByteArray &jsonPayload)
{
    if (m_error || m_finished)
        return {};
    const auto read = readConverseStreamEvent(jsonPayload);
    if (!read.ok())
        return fail(malformedStreamEvent(eventType));
    // Not "event": that is the member writing our events.
    const ConverseStreamEvent &converse = read.value();
    if (eventType == "messageStart"_L1) {
        if (std::exchange(m_started, true))
            return {};
        const QJsonObject inProgress =
            ResponsesOutput::response(m_shell, u"in_progress"_s, {}, QJsonValue::Null);
        // One statement each: the operands of + may be evaluated in either order, and the
        // sequence numbers must follow the events.
        QByteArray out = event(u"response.created"_s, {{u"response"_s, inProgress}});
        out += event(u"response.in_progress"_s, {{u"response"_s, inProgress}});
        return out;
    }
    if (eventType == "contentBlockStart"_L1)
        return onContentBlockStart(converse);
    if (eventType == "contentBlockDelta"_L1)
        return onContentBlockDelta(converse);
    if (eventType == "contentBlockStop"_L1)
        return onContentBlockStop(converse.blockIndex);
    if (eventType == "messageStop"_L1) {
        m_stopped = true;
        m_stopReason = converse.stopReason;
    } else if (eventType == "metadata"_L1) {
        m_usage = converse.usage;
    }
    return {};
}

QByteArray ResponsesStreamTranslator::openBlock(int index, Block::Kind kind, QJsonObject item)
{
    Block block;
    block.kind = kind;
    block.outputIndex = int(m_output.size() + m_blocks.size());
    block.itemId = item.value(u"id"_s).toString();
    m_blocks.insert(index, block);
    QByteArray out =
        event(u"response.output_item.added"_s, {{u"output_index"_s, block.outputIndex}, {u"item"_s, item}});
    if (kind == Block::Kind::Text) {
        out += event(u"response.content_part.added"_s,
                     {{u"item_id"_s, block.itemId},
                      {u"output_index"_s, block.outputIndex},
                      {u"content_index"_s, 0},
                      {u"part"_s, QJsonObject{{u"type"_s, u"output_text"_s},
                                              {u"text"_s, u""_s},
                                              {u"annotations"_s, QJsonArray{}}}}});
    } else if (kind == Block::Kind::Reasoning) {
        out += event(u"response.reasoning_summary_part.added"_s,
                     {{u"item_id"_s, block.itemId},
                      {u"output_index"_s, block.outputIndex},
                      {u"summary_index"_s, 0},
                      {u"part"_s, QJsonObject{{u"type"_s, u"summary_text"_s}, {u"text"_s, u""_s}}}});
    }
    return out;
}

QByteArray ResponsesStreamTranslator::onContentBlockStart(const ConverseStreamEvent &event)
{
    const int index = event.blockIndex;
    if (!event.toolUseStart || m_blocks.contains(index))
        return {};
    const QString &bedrockName = event.toolUseStart->name;
    if (!m_mapping.jsonToolName.isEmpty() && bedrockName == m_mapping.jsonToolName) {
        m_jsonAnswerBlocks.insert(index); // its input is the answer: streamed as message text
        return {};
    }
    const QString name = m_mapping.toolNames.toClient(bedrockName);
    const bool custom = m_customTools.contains(name);
    const QString &callId = event.toolUseStart->id;
    const QString id = ResponsesOutput::newId(custom ? u"ctc"_s : u"fc"_s);
    QByteArray out = openBlock(index, Block::Kind::Call,
                               ResponsesOutput::callItem(id, callId, name, {}, custom, u"in_progress"_s));
    Block &block = m_blocks[index];
    block.callId = callId;
    block.name = name;
    block.custom = custom;
    return out;
}

QByteArray ResponsesStreamTranslator::textDelta(int index, const QString &text)
{
    QByteArray out;
    if (!m_blocks.contains(index)) {
        out += openBlock(index, Block::Kind::Text,
                         QJsonObject{{u"type"_s, u"message"_s},
                                     {u"id"_s, ResponsesOutput::newId(u"msg"_s)},
                                     {u"status"_s, u"in_progress"_s},
                                     {u"role"_s, u"assistant"_s},
                                     {u"content"_s, QJsonArray{}}});
    }
    Block &block = m_blocks[index];
    block.text += text;
    return out + deltaEvent("response.output_text.delta", block, "content_index", text);
}

QByteArray ResponsesStreamTranslator::onContentBlockDelta(const ConverseStreamEvent &event)
{
    const int index = event.blockIndex;
    if (event.text)
        return textDelta(index, *event.text);
    if (event.reasoning)
        return onReasoningDelta(index, *event.reasoning);
    if (!event.toolInput)
        return {};
    const QString &input = *event.toolInput;
    if (m_jsonAnswerBlocks.contains(index))
        return textDelta(index, input);
    const auto block = m_blocks.find(index);
    if (block == m_blocks.end() || block->kind != Block::Kind::Call)
        return {};
    block->text += input;
    if (block->custom)
        return {}; // the input is one JSON string; it is given whole when the call is done
    return deltaEvent("response.function_call_arguments.delta", *block, nullptr, input);
}

QByteArray ResponsesStreamTranslator::onReasoningDelta(int index, const ConverseStreamEvent::Reasoning &reasoning)
{
    QByteArray out;
    if (!m_blocks.contains(index)) {
        out += openBlock(index, Block::Kind::Reasoning,
                         QJsonObject{{u"type"_s, u"reasoning"_s},
                                     {u"id"_s, ResponsesOutput::newId(u"rs"_s)},
                                     {u"summary"_s, QJsonArray{}}});
    }
    Block &block = m_blocks[index];
    if (reasoning.text) {
        block.text += *reasoning.text;
        out += deltaEvent("response.reasoning_summary_text.delta", block, "summary_index", *reasoning.text);
    } else if (reasoning.signature) {
        block.reasoningBlock = {{u"type"_s, u"thinking"_s}, {u"signature"_s, *reasoning.signature}};
    } else if (reasoning.redactedContent) {
        block.reasoningBlock = {{u"type"_s, u"redacted_thinking"_s}, {u"data"_s, *reasoning.redactedContent}};
    }
    return out;
}

QByteArray ResponsesStreamTranslator::onContentBlockStop(int index)
{
    const auto found = m_blocks.find(index);
    if (found == m_blocks.end())
        return {};
    const Block block = *found;
    m_blocks.erase(found);
    const QJsonObject where{{u"item_id"_s, block.itemId}, {u"output_index"_s, block.outputIndex}};
    QJsonObject item;
    QByteArray out;
    switch (block.kind) {
    case Block::Kind::Text: {
        item = ResponsesOutput::messageItem(block.itemId, block.text, u"completed"_s);
        QJsonObject done = where;
        done.insert(u"content_index"_s, 0);
        QJsonObject textDone = done;
        textDone.insert(u"text"_s, block.text);
        out += event(u"response.output_text.done"_s, textDone);
        done.insert(u"part"_s, item.value(u"content"_s).toArray().first());
        out += event(u"response.content_part.done"_s, done);
        break;
    }
    case Block::Kind::Reasoning: {
        QJsonObject thinking = block.reasoningBlock;
        if (thinking.value(u"type"_s).toString() == u"thinking"_s)
            thinking.insert(u"thinking"_s, block.text);
        const QJsonArray blocks = thinking.isEmpty() ? QJsonArray() : QJsonArray{thinking};
        m_reasoningById.insert(block.itemId, blocks);
        item = ResponsesOutput::reasoningItem(block.itemId, block.text, blocks, m_includeEncrypted);
        QJsonObject done = where;
        done.insert(u"summary_index"_s, 0);
        QJsonObject textDone = done;
        textDone.insert(u"text"_s, block.text);
        out += event(u"response.reasoning_summary_text.done"_s, textDone);
        done.insert(u"part"_s, QJsonObject{{u"type"_s, u"summary_text"_s}, {u"text"_s, block.text}});
        out += event(u"response.reasoning_summary_part.done"_s, done);
        break;
    }
    case Block::Kind::Call: {
        item = ResponsesOutput::callItem(block.itemId, block.callId, block.name, block.text, block.custom,
                                         u"completed"_s);
        QJsonObject done = where;
        if (block.custom) {
            done.insert(u"input"_s, item.value(u"input"_s));
            out += event(u"response.custom_tool_call_input.done"_s, done);
        } else {
            done.insert(u"arguments"_s, block.text);
            out += event(u"response.function_call_arguments.done"_s, done);
        }
        break;
    }
    }
    // Items close in output_index order (Bedrock closes one block before it starts the next).
    m_output.append(item);
    return out +
           event(u"response.output_item.done"_s, {{u"output_index"_s, block.outputIndex}, {u"item"_s, item}});
}

QByteArray ResponsesStreamTranslator::onException(const QString &exceptionType, const QByteArray &jsonPayload)
{
    if (m_error || m_finished)
        return {};
    return fail(mapStreamException(exceptionType, jsonPayload));
}

QByteArray ResponsesStreamTranslator::finish()
{
    if (m_error || m_finished)
        return {};
    if (!m_stopped) {
        return fail(ApiError{502, u"api_error"_s, u"incomplete_stream"_s,
                                 u"Bedrock's stream ended before the message was complete"_s});
    }
    QByteArray out;
    while (!m_blocks.isEmpty()) // blocks Bedrock never closed
        out += onContentBlockStop(m_blocks.constBegin().key());
    m_finished = true;
    const QString incomplete = ResponsesOutput::incompleteReasonFor(m_stopReason);
    const QString status = incomplete.isEmpty() ? u"completed"_s : u"incomplete"_s;
    const QJsonObject response =
        ResponsesOutput::response(m_shell, status, m_output, ResponsesOutput::usage(m_usage), incomplete);
    return out + event(u"response."_s + status, {{u"response"_s, response}});
}

QByteArray ResponsesStreamTranslator::fail(const ApiError &error)
{
    m_error = error;
    QJsonObject failed = ResponsesOutput::response(m_shell, u"failed"_s, m_output, QJsonValue::Null);
    failed.insert(u"error"_s, QJsonObject{{u"code"_s, error.code}, {u"message"_s, error.message}});
    QByteArray out = event(u"response.failed"_s, {{u"response"_s, failed}});
    out += event(u"error"_s,
                 {{u"code"_s, error.code}, {u"message"_s, error.message}, {u"param"_s, QJsonValue::Null}});
    return out;
}

} // namespace quarry::bedrock
