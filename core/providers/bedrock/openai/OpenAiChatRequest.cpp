// Strict parse of an OpenAI Chat Completions request into ChatRequest; errors name the field.
#include "providers/bedrock/openai/OpenAiChatRequest.h"

#include "util/StrictJson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

using util::elementPath;
using util::isSet;
using util::readInteger;
using util::readNumber;

// OpenAI fields with no Bedrock meaning. They are dropped and listed (never rejected, so SDKs
// that always send them keep working), unless their value is the one that changes nothing
// (e.g. parallel_tool_calls true: Bedrock models may call tools in parallel anyway).
struct DroppedField
{
    QLatin1StringView name;
    std::optional<bool> noOpValue;
};

const QList<DroppedField> &droppableFields()
{
    static const QList<DroppedField> fields = {
        {"logprobs"_L1, false},          {"top_logprobs"_L1, {}},         {"seed"_L1, {}},
        {"frequency_penalty"_L1, {}},    {"presence_penalty"_L1, {}},     {"user"_L1, {}},
        {"parallel_tool_calls"_L1, true}, {"metadata"_L1, {}},            {"logit_bias"_L1, {}},
        {"functions"_L1, {}},            {"function_call"_L1, {}},        {"modalities"_L1, {}},
        {"audio"_L1, {}},                {"prediction"_L1, {}},           {"service_tier"_L1, {}},
        {"store"_L1, false},             {"web_search_options"_L1, {}},   {"verbosity"_L1, {}},
        {"safety_identifier"_L1, {}},    {"prompt_cache_key"_L1, {}},
    };
    return fields;
}

const QStringList &handledFields()
{
    static const QStringList fields = {
        u"model"_s,       u"messages"_s,        u"stream"_s,     u"stream_options"_s,
        u"temperature"_s, u"top_p"_s,           u"max_tokens"_s, u"max_completion_tokens"_s,
        u"stop"_s,        u"n"_s,               u"tools"_s,      u"tool_choice"_s,
        u"thinking"_s,    u"reasoning_effort"_s, u"response_format"_s,
    };
    return fields;
}

Result<ChatRole> readRole(const QJsonValue &value, const QString &path)
{
    static const QList<std::pair<QString, ChatRole>> roles = {
        {u"system"_s, ChatRole::System}, {u"developer"_s, ChatRole::Developer},
        {u"user"_s, ChatRole::User},     {u"assistant"_s, ChatRole::Assistant},
        {u"tool"_s, ChatRole::Tool},
    };
    if (!value.isString())
        return Result<ChatRole>::failure(path % u".role: must be a string"_s);
    for (const auto &[name, role] : roles) {
        if (name == value.toString())
            return role;
    }
    return Result<ChatRole>::failure(path % u".role: unknown role '"_s % value.toString() % u'\'');
}

Result<ContentPart> readImagePart(const QJsonObject &part, const QString &path)
{
    // image_url is {"url": ...} in OpenAI's API; a bare string is accepted as some clients send it.
    const QJsonValue imageUrl = part.value("image_url"_L1);
    const QJsonValue url = imageUrl.isString() ? imageUrl : imageUrl.toObject().value("url"_L1);
    if (!url.isString())
        return Result<ContentPart>::failure(path % u".image_url.url: must be a string"_s);
    auto image = ConverseImage::fromDataUrl(url.toString());
    if (!image)
        return Result<ContentPart>::failure(path % u".image_url.url: "_s % image.error());
    return ContentPart{ContentPart::Kind::Image, {}, image.value()};
}

Result<ContentPart> readContentPart(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return Result<ContentPart>::failure(path % u": must be an object"_s);
    const QJsonObject part = value.toObject();
    const QJsonValue type = part.value("type"_L1);
    if (!type.isString())
        return Result<ContentPart>::failure(path % u".type: must be a string"_s);
    if (type.toString() == "image_url"_L1)
        return readImagePart(part, path);
    if (type.toString() != "text"_L1) {
        return Result<ContentPart>::failure(path % u".type: unsupported content part type '"_s %
                                            type.toString() % u"' (only 'text' and 'image_url' are supported)"_s);
    }
    if (!part.value("text"_L1).isString())
        return Result<ContentPart>::failure(path % u".text: must be a string"_s);
    return ContentPart{ContentPart::Kind::Text, part.value("text"_L1).toString(), {}};
}

// content is a string, an array of parts, or null/absent (assistant turns that only call tools).
Result<QList<ContentPart>> readContent(const QJsonValue &value, const QString &path, bool mayBeEmpty)
{
    using R = Result<QList<ContentPart>>;
    if (value.isString())
        return QList<ContentPart>{ContentPart{ContentPart::Kind::Text, value.toString(), {}}};
    if (value.isNull() || value.isUndefined()) {
        if (mayBeEmpty)
            return QList<ContentPart>{};
        return R::failure(path % u": required"_s);
    }
    if (!value.isArray())
        return R::failure(path % u": must be a string or an array of content parts"_s);
    QList<ContentPart> parts;
    const QJsonArray array = value.toArray();
    for (int i = 0; i < array.size(); ++i) {
        auto part = readContentPart(array.at(i), elementPath(path, i));
        if (!part)
            return R::failure(part.error());
        parts.append(part.value());
    }
    return parts;
}

Result<ToolCall> readToolCall(const QJsonValue &value, const QString &path)
{
    const QJsonObject call = value.toObject();
    const QJsonObject function = call.value("function"_L1).toObject();
    if (!value.isObject() || !call.value("id"_L1).isString())
        return Result<ToolCall>::failure(path % u".id: must be a string"_s);
    if (call.value("type"_L1).toString(u"function"_s) != "function"_L1)
        return Result<ToolCall>::failure(path % u".type: only 'function' tool calls are supported"_s);
    if (!function.value("name"_L1).isString())
        return Result<ToolCall>::failure(path % u".function.name: must be a string"_s);
    const QJsonValue arguments = function.value("arguments"_L1);
    if (!arguments.isString() && !arguments.isUndefined())
        return Result<ToolCall>::failure(path % u".function.arguments: must be a string"_s);
    return ToolCall{call.value("id"_L1).toString(), function.value("name"_L1).toString(),
                    arguments.toString()};
}

Result<QList<ToolCall>> readToolCalls(const QJsonValue &value, const QString &path)
{
    using R = Result<QList<ToolCall>>;
    if (value.isNull() || value.isUndefined())
        return QList<ToolCall>{};
    if (!value.isArray())
        return R::failure(path % u": must be an array"_s);
    QList<ToolCall> calls;
    const QJsonArray array = value.toArray();
    for (int i = 0; i < array.size(); ++i) {
        auto call = readToolCall(array.at(i), elementPath(path, i));
        if (!call)
            return R::failure(call.error());
        calls.append(call.value());
    }
    return calls;
}

// thinking_blocks: [{"type":"thinking","thinking","signature"} | {"type":"redacted_thinking","data"}]
QList<ReasoningBlock> readReasoning(const QJsonObject &object)
{
    QList<ReasoningBlock> blocks;
    for (const QJsonValue &value : object.value("thinking_blocks"_L1).toArray()) {
        const QJsonObject block = value.toObject();
        if (block.value("type"_L1).toString() == "redacted_thinking"_L1)
            blocks.append(ReasoningBlock{{}, {}, block.value("data"_L1).toString().toLatin1()});
        else if (!block.value("signature"_L1).toString().isEmpty())
            blocks.append(ReasoningBlock{block.value("thinking"_L1).toString(),
                                         block.value("signature"_L1).toString(), {}});
    }
    const QString signature = object.value("reasoning_signature"_L1).toString();
    if (blocks.isEmpty() && !signature.isEmpty())
        blocks.append(ReasoningBlock{object.value("reasoning_content"_L1).toString(), signature, {}});
    return blocks;
}

Result<ChatMessage> readMessage(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return Result<ChatMessage>::failure(path % u": must be an object"_s);
    const QJsonObject object = value.toObject();
    ChatMessage message;
    auto role = readRole(object.value("role"_L1), path);
    if (!role)
        return Result<ChatMessage>::failure(role.error());
    message.role = role.value();
    const bool isAssistant = message.role == ChatRole::Assistant;
    auto toolCalls = readToolCalls(object.value("tool_calls"_L1), path % u".tool_calls"_s);
    if (!toolCalls)
        return Result<ChatMessage>::failure(toolCalls.error());
    if (!isAssistant && !toolCalls->isEmpty())
        return Result<ChatMessage>::failure(path % u".tool_calls: only assistant messages make tool calls"_s);
    message.toolCalls = toolCalls.value();
    auto content = readContent(object.value("content"_L1), path % u".content"_s, isAssistant);
    if (!content)
        return Result<ChatMessage>::failure(content.error());
    message.content = content.value();
    message.name = object.value("name"_L1).toString();
    if (isAssistant)
        message.reasoning = readReasoning(object);
    if (message.role == ChatRole::Tool) {
        if (!object.value("tool_call_id"_L1).isString())
            return Result<ChatMessage>::failure(path % u".tool_call_id: must be a string"_s);
        message.toolCallId = object.value("tool_call_id"_L1).toString();
    }
    return message;
}

Result<QStringList> readStop(const QJsonValue &value)
{
    if (value.isString())
        return QStringList{value.toString()};
    if (!value.isArray())
        return Result<QStringList>::failure(u"stop: must be a string or an array of strings"_s);
    QStringList stops;
    const QJsonArray array = value.toArray();
    for (int i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString())
            return Result<QStringList>::failure(elementPath(u"stop"_s, i) % u": must be a string"_s);
        stops.append(array.at(i).toString());
    }
    return stops;
}

Status readStreamFields(const QJsonObject &object, ChatRequest &request)
{
    const QJsonValue stream = object.value("stream"_L1);
    if (isSet(stream) && !stream.isBool())
        return Status::failure(u"stream: must be a boolean"_s);
    request.stream = stream.toBool();
    const QJsonValue options = object.value("stream_options"_L1);
    if (!isSet(options))
        return Ok{};
    if (!options.isObject())
        return Status::failure(u"stream_options: must be an object"_s);
    const QJsonValue includeUsage = options.toObject().value("include_usage"_L1);
    if (isSet(includeUsage) && !includeUsage.isBool())
        return Status::failure(u"stream_options.include_usage: must be a boolean"_s);
    request.includeUsage = includeUsage.toBool();
    return Ok{};
}

Status readSamplingFields(const QJsonObject &object, ChatRequest &request)
{
    if (isSet(object.value("temperature"_L1))) {
        auto value = readNumber(object.value("temperature"_L1), u"temperature"_s);
        if (!value)
            return Status::failure(value.error());
        request.temperature = value.value();
    }
    if (isSet(object.value("top_p"_L1))) {
        auto value = readNumber(object.value("top_p"_L1), u"top_p"_s);
        if (!value)
            return Status::failure(value.error());
        request.topP = value.value();
    }
    if (isSet(object.value("stop"_L1))) {
        auto value = readStop(object.value("stop"_L1));
        if (!value)
            return Status::failure(value.error());
        request.stop = value.value();
    }
    return Ok{};
}

Status readLimitFields(const QJsonObject &object, ChatRequest &request)
{
    // max_completion_tokens replaced max_tokens in OpenAI's API, so it wins when both are sent.
    for (const QLatin1StringView key : {"max_tokens"_L1, "max_completion_tokens"_L1}) {
        if (!isSet(object.value(key)))
            continue;
        auto value = readInteger(object.value(key), QString(key), 1);
        if (!value)
            return Status::failure(value.error());
        request.maxTokens = value.value();
    }
    if (isSet(object.value("n"_L1))) {
        auto n = readInteger(object.value("n"_L1), u"n"_s, 1);
        if (!n)
            return Status::failure(n.error());
        if (n.value() > 1)
            return Status::failure(u"n: only 1 choice per request is supported"_s);
    }
    return Ok{};
}

Result<ToolDefinition> readTool(const QJsonValue &value, const QString &path)
{
    const QJsonObject tool = value.toObject();
    if (!value.isObject() || tool.value("type"_L1).toString(u"function"_s) != "function"_L1)
        return Result<ToolDefinition>::failure(path % u".type: only 'function' tools are supported"_s);
    const QJsonObject function = tool.value("function"_L1).toObject();
    if (function.value("name"_L1).toString().isEmpty())
        return Result<ToolDefinition>::failure(path % u".function.name: must be a non-empty string"_s);
    const QJsonValue parameters = function.value("parameters"_L1);
    if (isSet(parameters) && !parameters.isObject())
        return Result<ToolDefinition>::failure(path % u".function.parameters: must be an object"_s);
    ToolDefinition definition{function.value("name"_L1).toString(), function.value("description"_L1).toString(),
                              parameters.toObject()};
    // Bedrock requires an input schema; OpenAI lets a function take no parameters.
    if (definition.parameters.isEmpty())
        definition.parameters = QJsonObject{{u"type"_s, u"object"_s}, {u"properties"_s, QJsonObject{}}};
    return definition;
}

Result<ToolChoice> readToolChoice(const QJsonValue &value)
{
    using Mode = ToolChoice::Mode;
    if (!isSet(value))
        return ToolChoice{};
    if (value.isString()) {
        const QString mode = value.toString();
        if (mode == "auto"_L1)
            return ToolChoice{Mode::Auto, {}};
        if (mode == "required"_L1)
            return ToolChoice{Mode::Required, {}};
        if (mode == "none"_L1)
            return ToolChoice{Mode::None, {}};
        return Result<ToolChoice>::failure(u"tool_choice: must be auto, required, none or a named function"_s);
    }
    const QString name = value.toObject().value("function"_L1)["name"_L1].toString();
    if (name.isEmpty())
        return Result<ToolChoice>::failure(u"tool_choice.function.name: must be a non-empty string"_s);
    return ToolChoice{Mode::Named, name};
}

Status readToolFields(const QJsonObject &object, ChatRequest &request)
{
    const QJsonValue tools = object.value("tools"_L1);
    if (isSet(tools) && !tools.isArray())
        return Status::failure(u"tools: must be an array"_s);
    const QJsonArray array = tools.toArray();
    for (int i = 0; i < array.size(); ++i) {
        auto tool = readTool(array.at(i), elementPath(u"tools"_s, i));
        if (!tool)
            return Status::failure(tool.error());
        request.tools.append(tool.value());
    }
    auto choice = readToolChoice(object.value("tool_choice"_L1));
    if (!choice)
        return Status::failure(choice.error());
    request.toolChoice = choice.value();
    const bool named = request.toolChoice.mode == ToolChoice::Mode::Named;
    if (named && std::none_of(request.tools.cbegin(), request.tools.cend(),
                              [&](const ToolDefinition &t) { return t.name == request.toolChoice.name; }))
        return Status::failure(u"tool_choice.function.name: no tool named '"_s % request.toolChoice.name % u"'"_s);
    return Ok{};
}

// "thinking" (Anthropic's object) wins over reasoning_effort. Anthropic rejects temperature
// other than 1 and top_p below 0.95 with thinking on, so those are dropped and listed.
Status readReasoningFields(const QJsonObject &object, ChatRequest &request)
{
    const QJsonValue thinking = object.value("thinking"_L1);
    const QJsonValue effort = object.value("reasoning_effort"_L1);
    if (thinking.isObject()) {
        if (thinking.toObject().value("type"_L1).toString() != "disabled"_L1)
            request.thinking = thinking.toObject();
    } else if (isSet(thinking)) {
        return Status::failure(u"thinking: must be an object"_s);
    } else if (effort.isString()) {
        auto budget = reasoning::budgetForEffort(effort.toString());
        if (!budget)
            return Status::failure(budget.error());
        if (budget.value())
            request.thinking = reasoning::enabledThinking(*budget.value());
    } else if (isSet(effort)) {
        return Status::failure(u"reasoning_effort: must be a string"_s);
    }
    if (request.thinking.isEmpty())
        return Ok{};
    if (request.temperature && *request.temperature != 1.0) {
        request.temperature.reset();
        request.droppedParameters.append(u"temperature"_s);
    }
    if (request.topP && *request.topP < 0.95) {
        request.topP.reset();
        request.droppedParameters.append(u"top_p"_s);
    }
    return Ok{};
}

Status readResponseFormat(const QJsonObject &object, ChatRequest &request)
{
    auto format = ResponseFormat::parse(object.value("response_format"_L1));
    if (!format)
        return Status::failure(format.error());
    request.responseFormat = format.value();
    return Ok{};
}

void listOtherFields(const QJsonObject &object, ChatRequest &request)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (handledFields().contains(it.key()))
            continue;
        const auto &dropped = droppableFields();
        const auto known = std::find_if(dropped.cbegin(), dropped.cend(),
                                        [&](const DroppedField &field) { return field.name == it.key(); });
        if (known == dropped.cend())
            request.unknownFields.append(it.key());
        else if (!it.value().isNull() && !(known->noOpValue && it.value() == QJsonValue(*known->noOpValue)))
            request.droppedParameters.append(it.key());
    }
}

} // namespace

Result<ChatRequest> readChatRequest(const QJsonObject &object)
{
    ChatRequest request;
    const QJsonValue model = object.value("model"_L1);
    if (util::isSet(model) && !model.isString())
        return Result<ChatRequest>::failure(u"model: must be a string"_s);
    request.model = model.toString();
    for (const auto &step :
         {util::readNonEmptyList(object.value("messages"_L1), u"messages"_s, readMessage, request.messages),
          readStreamFields(object, request),
          readSamplingFields(object, request), readLimitFields(object, request), readToolFields(object, request),
          readReasoningFields(object, request), readResponseFormat(object, request)}) {
        if (!step)
            return Result<ChatRequest>::failure(step.error());
    }
    listOtherFields(object, request);
    return request;
}

Result<ChatRequest> parseChatRequest(const QByteArray &body)
{
    const auto object = util::parseJsonBody(body);
    if (!object.ok())
        return Result<ChatRequest>::failure(object.error());
    return readChatRequest(*object);
}

QString chatRoleName(ChatRole role)
{
    switch (role) {
    case ChatRole::System:
        return u"system"_s;
    case ChatRole::Developer:
        return u"developer"_s;
    case ChatRole::User:
        return u"user"_s;
    case ChatRole::Assistant:
        return u"assistant"_s;
    case ChatRole::Tool:
        return u"tool"_s;
    }
    return {};
}

} // namespace quarry::bedrock
