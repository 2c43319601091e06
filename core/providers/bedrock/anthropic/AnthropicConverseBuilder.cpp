// Anthropic Messages request -> Converse "system", "messages", "toolConfig", "inferenceConfig".
#include "providers/bedrock/anthropic/AnthropicConverseBuilder.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

// A cache point must follow real content: never first in a list, never doubled.
void appendCachePoint(QList<ConverseContent> &blocks)
{
    if (!blocks.isEmpty() && blocks.last().kind != ConverseContent::Kind::CachePoint)
        blocks.append(ConverseContent::cachePoint());
}

ConverseImage converseImage(const AnthropicImage &image)
{
    return ConverseImage{image.format, image.base64Data.toUtf8()};
}

ConverseContent toolResultBlock(const AnthropicBlock &block)
{
    QList<ConverseResultItem> items;
    for (const AnthropicResultPart &part : block.result) {
        if (part.isImage)
            items.append({ConverseResultItem::Kind::Image, {}, {}, converseImage(part.image)});
        else if (!part.text.trimmed().isEmpty())
            items.append({ConverseResultItem::Kind::Text, part.text, {}, {}});
    }
    // Converse needs some content; an empty result (allowed by Anthropic) gets a placeholder.
    if (items.isEmpty())
        items.append({ConverseResultItem::Kind::Text, u"(empty)"_s, {}, {}});
    return ConverseContent::ofToolResult(block.id, items, block.isError);
}

// One Anthropic block -> its Converse block; nothing when it is dropped (blank text).
std::optional<ConverseContent> converseBlock(const AnthropicBlock &block, const ToolNameMapper &names)
{
    switch (block.kind) {
    case AnthropicBlock::Kind::Text:
        if (block.text.trimmed().isEmpty())
            return std::nullopt;
        return ConverseContent::ofText(block.text);
    case AnthropicBlock::Kind::Image:
        return ConverseContent::ofImage(converseImage(block.image));
    case AnthropicBlock::Kind::ToolUse:
        return ConverseContent::ofToolUse(block.id, names.toBedrock(block.name), block.input);
    case AnthropicBlock::Kind::ToolResult:
        return toolResultBlock(block);
    case AnthropicBlock::Kind::Thinking:
        // The signature must travel back unchanged or Claude rejects the next turn.
        return ConverseContent::ofReasoning(ReasoningBlock{block.text, block.signature, {}});
    case AnthropicBlock::Kind::RedactedThinking:
        return ConverseContent::ofReasoning(ReasoningBlock{{}, {}, block.text.toUtf8()});
    }
    return std::nullopt;
}

QList<ConverseContent> converseBlocks(const QList<AnthropicBlock> &blocks, const ToolNameMapper &names)
{
    QList<ConverseContent> out;
    for (const AnthropicBlock &block : blocks) {
        if (auto converted = converseBlock(block, names))
            out.append(std::move(*converted));
        if (block.cacheControl)
            appendCachePoint(out);
    }
    return out;
}

// Tool names used in the conversation, in order, without repeats.
QStringList historyToolNames(const AnthropicRequest &request)
{
    QStringList names;
    for (const AnthropicMessage &message : request.messages) {
        for (const AnthropicBlock &block : message.content) {
            if (block.kind == AnthropicBlock::Kind::ToolUse && !names.contains(block.name))
                names.append(block.name);
        }
    }
    return names;
}

bool hasToolBlocks(const AnthropicRequest &request)
{
    for (const AnthropicMessage &message : request.messages) {
        for (const AnthropicBlock &block : message.content) {
            if (block.kind == AnthropicBlock::Kind::ToolUse || block.kind == AnthropicBlock::Kind::ToolResult)
                return true;
        }
    }
    return false;
}

QList<ConverseTool> toolList(const AnthropicRequest &request, const ToolNameMapper &names)
{
    QList<ConverseTool> tools;
    for (const AnthropicTool &tool : request.tools) {
        tools.append(ConverseTool{names.toBedrock(tool.name), tool.description, tool.inputSchema, false});
        if (tool.cacheControl)
            tools.append(ConverseTool{{}, {}, {}, true});
    }
    if (!tools.isEmpty())
        return tools;
    for (const QString &name : historyToolNames(request))
        tools.append(
            ConverseTool{names.toBedrock(name), {}, R"({"type":"object","properties":{}})"_ba, false});
    return tools;
}

void addTools(ConverseBody &body, const AnthropicRequest &request, const ToolNameMapper &names)
{
    using Type = AnthropicToolChoice::Type;
    using Mode = ConverseToolChoice::Mode;
    const bool none = request.toolChoice && request.toolChoice->type == Type::None;
    if (none && !hasToolBlocks(request))
        return;
    body.tools = toolList(request, names);
    if (body.tools.isEmpty() || !request.toolChoice || none || request.tools.isEmpty())
        return;
    switch (request.toolChoice->type) {
    case Type::Auto:
        body.toolChoice = {Mode::Auto, {}};
        break;
    case Type::Any:
        body.toolChoice = {Mode::Any, {}};
        break;
    case Type::Tool:
        body.toolChoice = {Mode::Tool, names.toBedrock(request.toolChoice->name)};
        break;
    case Type::None:
        break;
    }
}

QJsonObject additionalFields(const AnthropicRequest &request, const QStringList &betas)
{
    QJsonObject fields;
    if (request.topK)
        fields.insert(u"top_k"_s, *request.topK);
    if (request.thinkingBudget) {
        fields.insert(u"thinking"_s,
                      QJsonObject{{u"type"_s, u"enabled"_s}, {u"budget_tokens"_s, *request.thinkingBudget}});
    }
    if (!betas.isEmpty())
        fields.insert(u"anthropic_beta"_s, QJsonArray::fromStringList(betas));
    return fields;
}

QStringList toolNamesOf(const AnthropicRequest &request)
{
    QStringList names;
    for (const AnthropicTool &tool : request.tools)
        names.append(tool.name);
    names.append(historyToolNames(request));
    if (request.toolChoice && !request.toolChoice->name.isEmpty())
        names.append(request.toolChoice->name);
    return names;
}

} // namespace

QByteArray AnthropicConverseRequest::toJson() const
{
    return body.toJson();
}

AnthropicConverseBuilder::AnthropicConverseBuilder(const QList<QByteArray> &betaHeaderValues)
{
    for (const QByteArray &value : betaHeaderValues) {
        for (const QByteArray &flag : value.split(',')) {
            const QString trimmed = QString::fromUtf8(flag.trimmed());
            if (!trimmed.isEmpty() && !m_betas.contains(trimmed))
                m_betas.append(trimmed);
        }
    }
}

const QStringList &AnthropicConverseBuilder::acceptedBetas()
{
    // From the Bedrock user guide, "Anthropic Claude Messages API" request parameters.
    static const QStringList betas = {
        u"computer-use-2024-10-22"_s,
        u"computer-use-2025-01-24"_s,
        u"token-efficient-tools-2025-02-19"_s,
        u"interleaved-thinking-2025-05-14"_s,
        u"output-128k-2025-02-19"_s,
        u"dev-full-thinking-2025-05-14"_s,
        u"context-1m-2025-08-07"_s,
        u"context-management-2025-06-27"_s,
    };
    return betas;
}

AnthropicConverseRequest AnthropicConverseBuilder::build(const AnthropicRequest &request) const
{
    AnthropicConverseRequest out;
    out.toolNames = ToolNameMapper(toolNamesOf(request));
    for (const QString &beta : m_betas)
        (acceptedBetas().contains(beta) ? out.forwardedBetas : out.droppedBetas).append(beta);
    for (const AnthropicMessage &message : request.messages)
        out.body.addTurn(message.assistant, converseBlocks(message.content, out.toolNames));
    out.body.system = converseBlocks(request.system, out.toolNames);
    if (request.maxTokens > 0)
        out.body.maxTokens = request.maxTokens;
    out.body.temperature = request.temperature;
    out.body.topP = request.topP;
    out.body.stopSequences = request.stopSequences;
    addTools(out.body, request, out.toolNames);
    out.body.additionalFields = additionalFields(request, out.forwardedBetas);
    return out;
}

} // namespace quarry::bedrock
