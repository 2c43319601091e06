// Responses request -> Chat Completions request.
#include "providers/bedrock/responses/ResponsesRequest.h"

#include "providers/bedrock/responses/ResponsesOutput.h"
#include "util/StrictJson.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

using Fail = Result<ResponsesRequest>;

// A function tool for a custom (freeform) tool: its single input is a string.
QJsonObject customToolAsFunction(const QJsonObject &tool)
{
    QString description = tool.value(u"description"_s).toString();
    const QJsonObject format = tool.value(u"format"_s).toObject();
    if (format.value(u"type"_s).toString() == u"grammar"_s) {
        description += u"\n\nThe input must follow this %1 grammar:\n%2"_s.arg(
            format.value(u"syntax"_s).toString(), format.value(u"definition"_s).toString());
    }
    const QJsonObject parameters{
        {u"type"_s, u"object"_s},
        {u"properties"_s, QJsonObject{{u"input"_s, QJsonObject{{u"type"_s, u"string"_s}}}}},
        {u"required"_s, QJsonArray{u"input"_s}}};
    return {{u"type"_s, u"function"_s},
            {u"function"_s, QJsonObject{{u"name"_s, tool.value(u"name"_s)},
                                        {u"description"_s, description.trimmed()},
                                        {u"parameters"_s, parameters}}}};
}

Status readTools(const QJsonValue &value, QJsonArray *tools, QSet<QString> *customTools)
{
    if (!util::isSet(value))
        return Ok{};
    if (!value.isArray())
        return Status::failure(u"tools: must be an array"_s);
    const QJsonArray list = value.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject tool = list.at(i).toObject();
        const QString type = tool.value(u"type"_s).toString();
        if (tool.value(u"name"_s).toString().isEmpty() && (type == u"function"_s || type == u"custom"_s))
            return Status::failure(u"tools[%1].name: required"_s.arg(i));
        if (type == u"function"_s) {
            QJsonObject function{{u"name"_s, tool.value(u"name"_s)}};
            if (tool.contains(u"description"_s))
                function.insert(u"description"_s, tool.value(u"description"_s));
            if (tool.value(u"parameters"_s).isObject())
                function.insert(u"parameters"_s, tool.value(u"parameters"_s));
            tools->append(QJsonObject{{u"type"_s, u"function"_s}, {u"function"_s, function}});
        } else if (type == u"custom"_s) {
            tools->append(customToolAsFunction(tool));
            customTools->insert(tool.value(u"name"_s).toString());
        } else {
            return Status::failure(
                u"tools[%1].type: \"%2\" is one of OpenAI's hosted tools, which Bedrock does not have; "
                "Quarry takes \"function\" and \"custom\" tools"_s.arg(i)
                    .arg(type));
        }
    }
    return Ok{};
}

Result<QJsonValue> readToolChoice(const QJsonValue &value)
{
    if (value.isString())
        return QJsonValue(value.toString()); // auto, none, required: the same words in chat
    const QJsonObject choice = value.toObject();
    const QString type = choice.value(u"type"_s).toString();
    if (type == u"function"_s || type == u"custom"_s) {
        return QJsonValue(QJsonObject{{u"type"_s, u"function"_s},
                                      {u"function"_s, QJsonObject{{u"name"_s, choice.value(u"name"_s)}}}});
    }
    return Result<QJsonValue>::failure(u"tool_choice: \"%1\" is not supported; use auto, none, required or "
                                       "{\"type\":\"function\",\"name\":...}"_s.arg(type));
}

// text.format -> response_format.
Result<QJsonValue> readTextFormat(const QJsonValue &text)
{
    const QJsonObject format = text.toObject().value(u"format"_s).toObject();
    const QString type = format.value(u"type"_s).toString(u"text"_s);
    if (type == u"text"_s)
        return QJsonValue();
    if (type == u"json_object"_s)
        return QJsonValue(QJsonObject{{u"type"_s, u"json_object"_s}});
    if (type == u"json_schema"_s) {
        QJsonObject schema{{u"name"_s, format.value(u"name"_s).toString(u"response"_s)},
                           {u"schema"_s, format.value(u"schema"_s)}};
        if (format.contains(u"strict"_s))
            schema.insert(u"strict"_s, format.value(u"strict"_s));
        return QJsonValue(QJsonObject{{u"type"_s, u"json_schema"_s}, {u"json_schema"_s, schema}});
    }
    return Result<QJsonValue>::failure(u"text.format.type: unknown format \"%1\""_s.arg(type));
}

// The request-level fields, checked and turned into their chat equivalents.
Status readOptions(const QJsonObject &object, ResponsesRequest &request)
{
    QJsonObject &chat = request.chatFields;
    chat.insert(u"model"_s, object.value(u"model"_s).toString());
    QJsonArray tools;
    if (const Status read = readTools(object.value(u"tools"_s), &tools, &request.customTools); !read.ok())
        return read;
    if (!tools.isEmpty())
        chat.insert(u"tools"_s, tools);
    if (object.contains(u"tool_choice"_s)) {
        const auto choice = readToolChoice(object.value(u"tool_choice"_s));
        if (!choice.ok())
            return Status::failure(choice.error());
        chat.insert(u"tool_choice"_s, *choice);
    }
    if (object.contains(u"max_output_tokens"_s))
        chat.insert(u"max_completion_tokens"_s, object.value(u"max_output_tokens"_s));
    for (const QString &same : {u"temperature"_s, u"top_p"_s}) {
        if (object.contains(same))
            chat.insert(same, object.value(same));
    }
    if (object.contains(u"text"_s)) {
        const auto format = readTextFormat(object.value(u"text"_s));
        if (!format.ok())
            return Status::failure(format.error());
        if (!format->isUndefined())
            chat.insert(u"response_format"_s, *format);
    }
    const QJsonValue effort = object.value(u"reasoning"_s).toObject().value(u"effort"_s);
    if (effort.isString())
        chat.insert(u"reasoning_effort"_s, effort);
    return Ok{};
}

// One content part of a message item, as a chat content part.
Result<QJsonObject> readPart(const QJsonObject &part, const QString &where)
{
    const QString type = part.value(u"type"_s).toString();
    if (type == u"input_text"_s || type == u"output_text"_s || type == u"refusal"_s) {
        const QString text = part.value(type == u"refusal"_s ? u"refusal"_s : u"text"_s).toString();
        return QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, text}};
    }
    if (type == u"input_image"_s) {
        if (!part.value(u"image_url"_s).isString())
            return Result<QJsonObject>::failure(
                where + u".image_url: required (a data: URL; uploaded files are OpenAI's, not Bedrock's)"_s);
        return QJsonObject{{u"type"_s, u"image_url"_s},
                           {u"image_url"_s, QJsonObject{{u"url"_s, part.value(u"image_url"_s)}}}};
    }
    return Result<QJsonObject>::failure(where + u".type: \"%1\" is not supported here"_s.arg(type));
}

// Builds the chat messages, keeping each item's place in the conversation. The reasoning, text and
// calls of one assistant turn arrive as separate items, in that order: they join one message.
class MessageBuilder
{
public:
    Status add(const QJsonObject &item, const QString &where)
    {
        const QString type = item.value(u"type"_s).toString(u"message"_s);
        if (type == u"message"_s)
            return addMessage(item, where);
        if (type == u"function_call"_s || type == u"custom_tool_call"_s) {
            addCall(item, type == u"custom_tool_call"_s);
            return Ok{};
        }
        if (type == u"function_call_output"_s || type == u"custom_tool_call_output"_s) {
            addOutput(item);
            return Ok{};
        }
        if (type == u"reasoning"_s) {
            // Replayed from what this gateway wrote; anything else (another provider's, or none)
            // cannot be verified by Bedrock and is left out.
            const QJsonArray blocks =
                ResponsesOutput::decodeReasoning(item.value(u"encrypted_content"_s).toString());
            if (!blocks.isEmpty())
                newAssistant().insert(u"thinking_blocks"_s, blocks);
            return Ok{};
        }
        return Status::failure(where + u".type: \"%1\" is not supported (item references need OpenAI's "
                                       "stored items; send the items themselves)"_s.arg(type));
    }

    void addSystem(const QString &text)
    {
        append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, text}});
    }

    QJsonArray messages() const
    {
        QJsonArray array;
        for (const QJsonObject &message : m_messages)
            array.append(message);
        return array;
    }

private:
    Status addMessage(const QJsonObject &item, const QString &where)
    {
        const QString role = item.value(u"role"_s).toString();
        if (role != u"user"_s && role != u"system"_s && role != u"developer"_s && role != u"assistant"_s)
            return Status::failure(where + u".role: must be user, assistant, system or developer"_s);
        QJsonValue content = item.value(u"content"_s);
        if (content.isArray()) {
            QJsonArray parts;
            const QJsonArray list = content.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                const auto part = readPart(list.at(i).toObject(), where + u".content[%1]"_s.arg(i));
                if (!part.ok())
                    return Status::failure(part.error());
                parts.append(*part);
            }
            content = parts;
        } else if (!content.isString()) {
            return Status::failure(where + u".content: must be a string or an array of parts"_s);
        }
        if (role != u"assistant"_s) {
            append(QJsonObject{{u"role"_s, role}, {u"content"_s, content}});
            return Ok{};
        }
        // After its reasoning, the turn's text; a second text starts a new turn.
        QJsonObject &assistant = openAssistant() && openAssistant()->value(u"content"_s).isNull() &&
                                         !openAssistant()->contains(u"tool_calls"_s)
                                     ? *openAssistant()
                                     : newAssistant();
        assistant.insert(u"content"_s, content);
        return Ok{};
    }

    void addCall(const QJsonObject &item, bool custom)
    {
        // A custom tool's input travels as the one string argument of its function form.
        const QString arguments =
            custom ? QString::fromUtf8(
                         QJsonDocument(QJsonObject{{u"input"_s, item.value(u"input"_s).toString()}})
                             .toJson(QJsonDocument::Compact))
                   : item.value(u"arguments"_s).toString();
        QJsonObject &assistant = openAssistant() ? *openAssistant() : newAssistant();
        QJsonArray calls = assistant.value(u"tool_calls"_s).toArray();
        calls.append(QJsonObject{
            {u"id"_s, item.value(u"call_id"_s)},
            {u"type"_s, u"function"_s},
            {u"function"_s, QJsonObject{{u"name"_s, item.value(u"name"_s)}, {u"arguments"_s, arguments}}}});
        assistant.insert(u"tool_calls"_s, calls);
    }

    void addOutput(const QJsonObject &item)
    {
        QJsonValue output = item.value(u"output"_s);
        if (output.isArray()) { // content parts: their text, joined
            QString text;
            for (const QJsonValue &part : output.toArray())
                text += part.toObject().value(u"text"_s).toString();
            output = text;
        }
        append(QJsonObject{{u"role"_s, u"tool"_s},
                           {u"tool_call_id"_s, item.value(u"call_id"_s)},
                           {u"content"_s, output.toString()}});
    }

    QJsonObject *openAssistant() { return m_assistantOpen ? &m_messages.last() : nullptr; }

    QJsonObject &newAssistant()
    {
        m_messages.append(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, QJsonValue::Null}});
        m_assistantOpen = true;
        return m_messages.last();
    }

    void append(const QJsonObject &message)
    {
        m_messages.append(message);
        m_assistantOpen = false;
    }

    QList<QJsonObject> m_messages;
    bool m_assistantOpen = false; // the last message is an assistant turn still taking items
};

} // namespace

Result<ResponsesRequest> ResponsesRequest::parse(const QByteArray &body)
{
    const auto object = util::parseJsonBody(body);
    if (!object.ok())
        return Result<ResponsesRequest>::failure(object.error());
    return read(*object);
}

Result<ResponsesRequest> ResponsesRequest::read(const QJsonObject &object)
{
    ResponsesRequest request;
    const QJsonValue input = object.value(u"input"_s);
    if (input.isString()) {
        request.input = QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, input}}};
    } else if (input.isArray()) {
        request.input = input.toArray();
    } else if (!input.isUndefined()) {
        return Fail::failure(u"input: must be a string or an array of items"_s);
    }
    for (const QString &refused : {u"background"_s, u"conversation"_s, u"prompt"_s}) {
        const QJsonValue value = object.value(refused);
        if (util::isSet(value) && value != QJsonValue(false)) {
            return Fail::failure(u"%1: OpenAI-hosted state Bedrock does not have; keep the conversation with "
                                 "previous_response_id or by sending the items"_s.arg(refused));
        }
    }
    request.instructions = object.value(u"instructions"_s).toString();
    request.previousResponseId = object.value(u"previous_response_id"_s).toString();
    request.store = object.value(u"store"_s).toBool(true);
    request.stream = object.value(u"stream"_s).toBool(false);
    for (const QJsonValue &include : object.value(u"include"_s).toArray())
        request.includeEncryptedReasoning |= include.toString() == u"reasoning.encrypted_content"_s;
    if (const Status options = readOptions(object, request); !options.ok())
        return Fail::failure(options.error());
    if (request.input.isEmpty() && request.previousResponseId.isEmpty())
        return Fail::failure(u"input: required"_s);

    static const QStringList echoed{u"instructions"_s,
                                    u"tools"_s,
                                    u"tool_choice"_s,
                                    u"temperature"_s,
                                    u"top_p"_s,
                                    u"max_output_tokens"_s,
                                    u"previous_response_id"_s,
                                    u"reasoning"_s,
                                    u"text"_s,
                                    u"store"_s,
                                    u"metadata"_s,
                                    u"parallel_tool_calls"_s};
    for (const QString &field : echoed) {
        if (object.contains(field))
            request.echo.insert(field, object.value(field));
    }
    // Used above: the rest is either known and without Bedrock meaning, or unknown; both are named.
    static const QStringList read{u"model"_s,      u"input"_s,        u"stream"_s, u"include"_s,
                                  u"background"_s, u"conversation"_s, u"prompt"_s};
    for (auto it = object.begin(); it != object.end(); ++it) {
        const bool used =
            read.contains(it.key()) ||
            (echoed.contains(it.key()) && it.key() != u"metadata"_s && it.key() != u"parallel_tool_calls"_s);
        if (!used && !it.value().isNull())
            request.droppedParameters.append(it.key());
    }
    return request;
}

Result<ChatRequest> ResponsesRequest::toChatRequest(const QJsonArray &history) const
{
    MessageBuilder builder;
    if (!instructions.isEmpty())
        builder.addSystem(instructions);
    const auto addAll = [&builder](const QJsonArray &items, const QString &name) -> Status {
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (!items.at(i).isObject())
                return Status::failure(u"%1[%2]: must be an object"_s.arg(name).arg(i));
            if (const Status added = builder.add(items.at(i).toObject(), u"%1[%2]"_s.arg(name).arg(i));
                !added.ok())
                return added;
        }
        return Ok{};
    };
    if (const Status added = addAll(history, u"previous response"_s); !added.ok())
        return Result<ChatRequest>::failure(added.error());
    if (const Status added = addAll(input, u"input"_s); !added.ok())
        return Result<ChatRequest>::failure(added.error());

    QJsonObject chat = chatFields;
    chat.insert(u"messages"_s, builder.messages());
    // One chat reader for both APIs: the Responses path pays for writing its chat body out.
    auto parsed = parseChatRequest(QJsonDocument(chat).toJson(QJsonDocument::Compact));
    if (!parsed.ok())
        return parsed;
    parsed->stream = stream;
    return parsed;
}

} // namespace quarry::bedrock
