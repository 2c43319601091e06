// Strict parse of an Anthropic Messages request into AnthropicRequest; errors name the field.
#include "providers/bedrock/anthropic/AnthropicMessagesRequest.h"

#include "util/StrictJson.h"

#include <QJsonArray>
#include <QJsonValue>

#include <cmath>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

using util::elementPath;
using util::isSet;
using util::readInteger;
using util::readString;

// Fields Anthropic defines that have no Converse equivalent. Accepted (SDKs and Claude Code send
// them) and reported to the caller, never silently dropped.
const QStringList &droppableFields()
{
    static const QStringList fields = {u"metadata"_s, u"service_tier"_s, u"container"_s,
                                       u"context_management"_s, u"mcp_servers"_s};
    return fields;
}

const QStringList &handledFields()
{
    static const QStringList fields = {
        u"model"_s, u"max_tokens"_s, u"system"_s,         u"messages"_s, u"stream"_s,      u"temperature"_s,
        u"top_p"_s, u"top_k"_s,      u"stop_sequences"_s, u"tools"_s,    u"tool_choice"_s, u"thinking"_s};
    return fields;
}

// cache_control {type: "ephemeral", ttl?} marks a prompt-caching breakpoint after the block.
Result<bool> readCacheControl(const QJsonObject &object, const QString &path)
{
    const QJsonValue value = object.value("cache_control"_L1);
    if (!isSet(value))
        return false;
    if (!value.isObject() || value["type"_L1].toString() != "ephemeral"_L1)
        return Result<bool>::failure(path % u".cache_control.type: must be 'ephemeral'"_s);
    return true;
}

Result<AnthropicImage> readImage(const QJsonObject &block, const QString &path)
{
    using R = Result<AnthropicImage>;
    const QJsonObject source = block.value("source"_L1).toObject();
    const QString type = source.value("type"_L1).toString();
    if (type == "url"_L1 || type == "file"_L1) {
        return R::failure(path % u".source.type: '"_s % type %
                          u"' image sources are not supported; send the image as base64 "
                          "(Quarry never fetches URLs on a client's behalf)"_s);
    }
    if (type != "base64"_L1)
        return R::failure(path % u".source.type: must be 'base64'"_s);
    static const QStringList formats = {u"png"_s, u"jpeg"_s, u"gif"_s, u"webp"_s};
    const QString mediaType = source.value("media_type"_L1).toString();
    const QString format = mediaType.startsWith("image/"_L1) ? mediaType.mid(6) : QString();
    if (!formats.contains(format)) {
        return R::failure(path % u".source.media_type: must be one of image/png, image/jpeg, "
                                 "image/gif, image/webp"_s);
    }
    if (!source.value("data"_L1).isString() || source.value("data"_L1).toString().isEmpty())
        return R::failure(path % u".source.data: must be a non-empty base64 string"_s);
    return AnthropicImage{format, source.value("data"_L1).toString()};
}

Result<QList<AnthropicResultPart>> readToolResultContent(const QJsonValue &value, const QString &path)
{
    using R = Result<QList<AnthropicResultPart>>;
    if (!isSet(value))
        return QList<AnthropicResultPart>{};
    if (value.isString())
        return QList<AnthropicResultPart>{AnthropicResultPart{false, value.toString(), {}}};
    if (!value.isArray())
        return R::failure(path % u": must be a string or an array of content blocks"_s);
    QList<AnthropicResultPart> parts;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject block = array.at(i).toObject();
        const QString type = block.value("type"_L1).toString();
        if (type == "text"_L1 && block.value("text"_L1).isString()) {
            parts.append(AnthropicResultPart{false, block.value("text"_L1).toString(), {}});
        } else if (type == "image"_L1) {
            auto image = readImage(block, elementPath(path, i));
            if (!image)
                return R::failure(image.error());
            parts.append(AnthropicResultPart{true, {}, image.value()});
        } else {
            return R::failure(elementPath(path, i) % u".type: must be 'text' (with a string 'text') or 'image'"_s);
        }
    }
    return parts;
}

Status readToolUse(const QJsonObject &object, const QString &path, AnthropicBlock &block)
{
    for (const QLatin1StringView key : {"id"_L1, "name"_L1}) {
        auto value = readString(object, key, path);
        if (!value)
            return Status::failure(value.error());
        (key == "id"_L1 ? block.id : block.name) = value.value();
    }
    if (!object.value("input"_L1).isObject())
        return Status::failure(path % u".input: must be an object"_s);
    block.input = object.value("input"_L1).toObject();
    return Ok{};
}

Status readToolResult(const QJsonObject &object, const QString &path, AnthropicBlock &block)
{
    auto id = readString(object, "tool_use_id"_L1, path);
    if (!id)
        return Status::failure(id.error());
    block.id = id.value();
    const QJsonValue isError = object.value("is_error"_L1);
    if (isSet(isError) && !isError.isBool())
        return Status::failure(path % u".is_error: must be a boolean"_s);
    block.isError = isError.toBool();
    auto content = readToolResultContent(object.value("content"_L1), path % u".content"_s);
    if (!content)
        return Status::failure(content.error());
    block.result = content.value();
    return Ok{};
}

// Reads the fields of one block kind into block. Unknown kinds are refused by the caller.
Status readBlockFields(const QString &type, const QJsonObject &object, const QString &path,
                       AnthropicBlock &block)
{
    if (type == "text"_L1) {
        auto text = readString(object, "text"_L1, path);
        block.text = text ? text.value() : QString();
        return text ? Status(Ok{}) : Status::failure(text.error());
    }
    if (type == "image"_L1) {
        auto image = readImage(object, path);
        block.image = image ? image.value() : AnthropicImage{};
        return image ? Status(Ok{}) : Status::failure(image.error());
    }
    if (type == "tool_use"_L1)
        return readToolUse(object, path, block);
    if (type == "tool_result"_L1)
        return readToolResult(object, path, block);
    if (type == "thinking"_L1) {
        auto thinking = readString(object, "thinking"_L1, path);
        auto signature = readString(object, "signature"_L1, path);
        block.text = thinking ? thinking.value() : QString();
        block.signature = signature ? signature.value() : QString();
        return !thinking ? Status::failure(thinking.error())
                         : (signature ? Status(Ok{}) : Status::failure(signature.error()));
    }
    auto data = readString(object, "data"_L1, path); // redacted_thinking
    block.text = data ? data.value() : QString();
    return data ? Status(Ok{}) : Status::failure(data.error());
}

Result<AnthropicBlock> readBlock(const QJsonValue &value, const QString &path, bool assistant)
{
    using R = Result<AnthropicBlock>;
    static const QList<std::pair<QString, AnthropicBlock::Kind>> kinds = {
        {u"text"_s, AnthropicBlock::Kind::Text},
        {u"image"_s, AnthropicBlock::Kind::Image},
        {u"tool_use"_s, AnthropicBlock::Kind::ToolUse},
        {u"tool_result"_s, AnthropicBlock::Kind::ToolResult},
        {u"thinking"_s, AnthropicBlock::Kind::Thinking},
        {u"redacted_thinking"_s, AnthropicBlock::Kind::RedactedThinking},
    };
    if (!value.isObject())
        return R::failure(path % u": must be an object"_s);
    const QJsonObject object = value.toObject();
    const QString type = object.value("type"_L1).toString();
    const auto kind =
        std::find_if(kinds.begin(), kinds.end(), [&](const auto &k) { return k.first == type; });
    if (kind == kinds.end()) {
        return R::failure(
            path % u".type: unsupported content block type '"_s % type %
            u"' (supported: text, image, tool_use, tool_result, thinking, redacted_thinking)"_s);
    }
    AnthropicBlock block;
    block.kind = kind->second;
    const bool assistantOnly = block.kind == AnthropicBlock::Kind::ToolUse ||
                               block.kind == AnthropicBlock::Kind::Thinking ||
                               block.kind == AnthropicBlock::Kind::RedactedThinking;
    if (assistantOnly != assistant && block.kind != AnthropicBlock::Kind::Text) {
        return R::failure(path % u".type: '"_s % type % u"' blocks belong in "_s %
                          (assistantOnly ? u"assistant"_s : u"user"_s) % u" messages"_s);
    }
    if (auto fields = readBlockFields(type, object, path, block); !fields)
        return R::failure(fields.error());
    auto cache = readCacheControl(object, path);
    if (!cache)
        return R::failure(cache.error());
    block.cacheControl = cache.value();
    return block;
}

Result<QList<AnthropicBlock>> readBlocks(const QJsonValue &value, const QString &path, bool assistant)
{
    using R = Result<QList<AnthropicBlock>>;
    if (value.isString()) {
        AnthropicBlock text;
        text.text = value.toString();
        return QList<AnthropicBlock>{text};
    }
    if (!value.isArray())
        return R::failure(path % u": must be a string or an array of content blocks"_s);
    QList<AnthropicBlock> blocks;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto block = readBlock(array.at(i), elementPath(path, i), assistant);
        if (!block)
            return R::failure(block.error());
        blocks.append(block.value());
    }
    return blocks;
}

Result<AnthropicMessage> readMessage(const QJsonValue &value, const QString &path)
{
    using R = Result<AnthropicMessage>;
    if (!value.isObject())
        return R::failure(path % u": must be an object"_s);
    const QString role = value["role"_L1].toString();
    if (role != "user"_L1 && role != "assistant"_L1)
        return R::failure(path % u".role: must be 'user' or 'assistant'"_s);
    AnthropicMessage message;
    message.assistant = role == "assistant"_L1;
    auto content = readBlocks(value["content"_L1], path % u".content"_s, message.assistant);
    if (!content)
        return R::failure(content.error());
    message.content = content.value();
    return message;
}

Status readSystem(const QJsonValue &value, AnthropicRequest &request)
{
    if (!isSet(value))
        return Ok{};
    auto blocks = readBlocks(value, u"system"_s, false);
    if (!blocks)
        return Status::failure(blocks.error());
    for (qsizetype i = 0; i < blocks->size(); ++i) {
        if (blocks->at(i).kind != AnthropicBlock::Kind::Text)
            return Status::failure(elementPath(u"system"_s, i) % u".type: system blocks must be 'text'"_s);
    }
    request.system = blocks.value();
    return Ok{};
}

Result<AnthropicTool> readTool(const QJsonValue &value, const QString &path)
{
    using R = Result<AnthropicTool>;
    const QJsonObject object = value.toObject();
    const QString type = object.value("type"_L1).toString(u"custom"_s);
    if (type != "custom"_L1) {
        return R::failure(path % u".type: server tool '"_s % type %
                          u"' is not available through Bedrock Converse"_s);
    }
    AnthropicTool tool;
    auto name = readString(object, "name"_L1, path);
    if (!name || name->isEmpty())
        return R::failure(path % u".name: must be a non-empty string"_s);
    tool.name = name.value();
    const QJsonValue description = object.value("description"_L1);
    if (isSet(description) && !description.isString())
        return R::failure(path % u".description: must be a string"_s);
    tool.description = description.toString();
    if (!object.value("input_schema"_L1).isObject())
        return R::failure(path % u".input_schema: must be an object"_s);
    tool.inputSchema = object.value("input_schema"_L1).toObject();
    auto cache = readCacheControl(object, path);
    if (!cache)
        return R::failure(cache.error());
    tool.cacheControl = cache.value();
    return tool;
}

Status readTools(const QJsonValue &value, AnthropicRequest &request)
{
    if (!isSet(value))
        return Ok{};
    if (!value.isArray())
        return Status::failure(u"tools: must be an array"_s);
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto tool = readTool(array.at(i), elementPath(u"tools"_s, i));
        if (!tool)
            return Status::failure(tool.error());
        request.tools.append(tool.value());
    }
    return Ok{};
}

Status readToolChoice(const QJsonValue &value, AnthropicRequest &request)
{
    if (!isSet(value))
        return Ok{};
    static const QList<std::pair<QString, AnthropicToolChoice::Type>> types = {
        {u"auto"_s, AnthropicToolChoice::Type::Auto},
        {u"any"_s, AnthropicToolChoice::Type::Any},
        {u"tool"_s, AnthropicToolChoice::Type::Tool},
        {u"none"_s, AnthropicToolChoice::Type::None},
    };
    const QString type = value["type"_L1].toString();
    for (const auto &[name, kind] : types) {
        if (name != type)
            continue;
        AnthropicToolChoice choice{kind, value["name"_L1].toString()};
        if (kind == AnthropicToolChoice::Type::Tool && choice.name.isEmpty())
            return Status::failure(u"tool_choice.name: required when type is 'tool'"_s);
        request.toolChoice = choice;
        return Ok{};
    }
    return Status::failure(u"tool_choice.type: must be one of auto, any, tool, none"_s);
}

Status readThinking(const QJsonValue &value, AnthropicRequest &request)
{
    if (!isSet(value))
        return Ok{};
    const QString type = value["type"_L1].toString();
    if (type == "disabled"_L1)
        return Ok{};
    if (type != "enabled"_L1)
        return Status::failure(u"thinking.type: must be 'enabled' or 'disabled'"_s);
    auto budget = readInteger(value["budget_tokens"_L1], u"thinking.budget_tokens"_s, 1024);
    if (!budget)
        return Status::failure(budget.error());
    request.thinkingBudget = budget.value();
    return Ok{};
}

Status readOptionalNumber(const QJsonObject &object, QLatin1StringView key, std::optional<double> &out)
{
    const QJsonValue value = object.value(key);
    if (!isSet(value))
        return Ok{};
    auto number = util::readNumber(value, QString(key));
    if (!number)
        return Status::failure(number.error());
    out = *number;
    return Ok{};
}

Status readSampling(const QJsonObject &object, AnthropicRequest &request)
{
    for (const auto &step : {readOptionalNumber(object, "temperature"_L1, request.temperature),
                             readOptionalNumber(object, "top_p"_L1, request.topP)}) {
        if (!step)
            return step;
    }
    if (isSet(object.value("top_k"_L1))) {
        auto topK = readInteger(object.value("top_k"_L1), u"top_k"_s, 0);
        if (!topK)
            return Status::failure(topK.error());
        request.topK = topK.value();
    }
    const QJsonValue stops = object.value("stop_sequences"_L1);
    if (!isSet(stops))
        return Ok{};
    if (!stops.isArray())
        return Status::failure(u"stop_sequences: must be an array of strings"_s);
    for (qsizetype i = 0; i < stops.toArray().size(); ++i) {
        if (!stops.toArray().at(i).isString())
            return Status::failure(elementPath(u"stop_sequences"_s, i) % u": must be a string"_s);
        request.stopSequences.append(stops.toArray().at(i).toString());
    }
    return Ok{};
}

Status readScalars(const QJsonObject &object, AnthropicEndpoint endpoint, AnthropicRequest &request)
{
    const QJsonValue model = object.value("model"_L1);
    if (isSet(model) && !model.isString())
        return Status::failure(u"model: must be a string"_s);
    request.model = model.toString();
    const QJsonValue stream = object.value("stream"_L1);
    if (isSet(stream) && !stream.isBool())
        return Status::failure(u"stream: must be a boolean"_s);
    request.stream = stream.toBool() && endpoint == AnthropicEndpoint::Messages;
    if (endpoint == AnthropicEndpoint::CountTokens)
        return Ok{};
    if (!isSet(object.value("max_tokens"_L1)))
        return Status::failure(u"max_tokens: required"_s);
    auto maxTokens = readInteger(object.value("max_tokens"_L1), u"max_tokens"_s, 1);
    if (!maxTokens)
        return Status::failure(maxTokens.error());
    request.maxTokens = maxTokens.value();
    return Ok{};
}

// Anthropic itself refuses unknown fields ("Extra inputs are not permitted"); so does Quarry.
Status checkFieldNames(const QJsonObject &object, AnthropicEndpoint endpoint, AnthropicRequest &request)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (handledFields().contains(it.key()))
            continue;
        if (droppableFields().contains(it.key()) ||
            (endpoint == AnthropicEndpoint::CountTokens && it.key() == "max_tokens"_L1)) {
            if (!it.value().isNull())
                request.droppedFields.append(it.key());
            continue;
        }
        return Status::failure(it.key() % u": unknown field"_s);
    }
    return Ok{};
}

} // namespace

Result<AnthropicRequest> readAnthropicRequest(const QJsonObject &object, AnthropicEndpoint endpoint)
{
    AnthropicRequest request;
    for (const auto &step :
         {checkFieldNames(object, endpoint, request), readScalars(object, endpoint, request),
          readSystem(object.value("system"_L1), request),
          util::readNonEmptyList(object.value("messages"_L1), u"messages"_s, readMessage, request.messages),
          readTools(object.value("tools"_L1), request),
          readToolChoice(object.value("tool_choice"_L1), request),
          readThinking(object.value("thinking"_L1), request), readSampling(object, request)}) {
        if (!step)
            return Result<AnthropicRequest>::failure(step.error());
    }
    return request;
}

Result<AnthropicRequest> parseAnthropicRequest(const QByteArray &body, AnthropicEndpoint endpoint)
{
    const auto object = util::parseJsonBody(body);
    if (!object.ok())
        return Result<AnthropicRequest>::failure(object.error());
    return readAnthropicRequest(*object, endpoint);
}

} // namespace quarry::bedrock
