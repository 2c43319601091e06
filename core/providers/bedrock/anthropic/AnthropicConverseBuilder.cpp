// Anthropic Messages request -> Converse "system", "messages", "toolConfig", "inferenceConfig".
#include "providers/bedrock/anthropic/AnthropicConverseBuilder.h"

#include "providers/bedrock/converse/ConverseTurns.h"
#include "providers/bedrock/converse/ToolSpec.h"
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

QJsonObject cachePoint()
{
    return QJsonObject{{u"cachePoint"_s, QJsonObject{{u"type"_s, u"default"_s}}}};
}

// A cache point must follow real content: never first in a list, never doubled.
void appendCachePoint(QJsonArray &blocks)
{
    if (!blocks.isEmpty() && !blocks.last().toObject().contains("cachePoint"_L1))
        blocks.append(cachePoint());
}

QJsonObject imageBlock(const AnthropicImage &image)
{
    return QJsonObject{{u"image"_s, QJsonObject{{u"format"_s, image.format},
                                                {u"source"_s, QJsonObject{{u"bytes"_s, image.base64Data}}}}}};
}

QJsonObject toolResultBlock(const AnthropicBlock &block)
{
    QJsonArray content;
    for (const AnthropicResultPart &part : block.result) {
        if (part.isImage)
            content.append(imageBlock(part.image));
        else if (!part.text.trimmed().isEmpty())
            content.append(QJsonObject{{u"text"_s, part.text}});
    }
    // Converse needs some content; an empty result (allowed by Anthropic) gets a placeholder.
    if (content.isEmpty())
        content.append(QJsonObject{{u"text"_s, u"(empty)"_s}});
    QJsonObject result{{u"toolUseId"_s, block.id}, {u"content"_s, content}};
    if (block.isError)
        result.insert(u"status"_s, u"error"_s);
    return QJsonObject{{u"toolResult"_s, result}};
}

// One Anthropic block -> its Converse block; an empty object when it is dropped (blank text).
QJsonObject converseBlock(const AnthropicBlock &block, const ToolNameMapper &names)
{
    switch (block.kind) {
    case AnthropicBlock::Kind::Text:
        if (block.text.trimmed().isEmpty())
            return {};
        return QJsonObject{{u"text"_s, block.text}};
    case AnthropicBlock::Kind::Image:
        return imageBlock(block.image);
    case AnthropicBlock::Kind::ToolUse:
        return QJsonObject{{u"toolUse"_s, QJsonObject{{u"toolUseId"_s, block.id},
                                                      {u"name"_s, names.toBedrock(block.name)},
                                                      {u"input"_s, block.input}}}};
    case AnthropicBlock::Kind::ToolResult:
        return toolResultBlock(block);
    case AnthropicBlock::Kind::Thinking: {
        // The signature must travel back unchanged or Claude rejects the next turn.
        const QJsonObject text{{u"text"_s, block.text}, {u"signature"_s, block.signature}};
        return QJsonObject{{u"reasoningContent"_s, QJsonObject{{u"reasoningText"_s, text}}}};
    }
    case AnthropicBlock::Kind::RedactedThinking:
        return QJsonObject{{u"reasoningContent"_s, QJsonObject{{u"redactedContent"_s, block.text}}}};
    }
    return {};
}

QJsonArray converseBlocks(const QList<AnthropicBlock> &blocks, const ToolNameMapper &names)
{
    QJsonArray out;
    for (const AnthropicBlock &block : blocks) {
        const QJsonObject converted = converseBlock(block, names);
        if (!converted.isEmpty())
            out.append(converted);
        if (block.cacheControl)
            appendCachePoint(out);
    }
    return out;
}

QJsonArray converseMessages(const QList<AnthropicMessage> &messages, const ToolNameMapper &names)
{
    ConverseTurns turns;
    for (const AnthropicMessage &message : messages)
        turns.add(message.assistant ? u"assistant"_s : u"user"_s, converseBlocks(message.content, names));
    return turns.take();
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

QJsonArray toolList(const AnthropicRequest &request, const ToolNameMapper &names)
{
    QJsonArray tools;
    for (const AnthropicTool &tool : request.tools) {
        tools.append(toolSpec(names.toBedrock(tool.name), tool.description, tool.inputSchema));
        if (tool.cacheControl)
            appendCachePoint(tools);
    }
    if (!tools.isEmpty())
        return tools;
    const QJsonObject anyObject{{u"type"_s, u"object"_s}, {u"properties"_s, QJsonObject{}}};
    for (const QString &name : historyToolNames(request))
        tools.append(toolSpec(names.toBedrock(name), {}, anyObject));
    return tools;
}

QJsonObject toolConfig(const AnthropicRequest &request, const ToolNameMapper &names)
{
    using Type = AnthropicToolChoice::Type;
    const bool none = request.toolChoice && request.toolChoice->type == Type::None;
    if (none && !hasToolBlocks(request))
        return {};
    const QJsonArray tools = toolList(request, names);
    if (tools.isEmpty())
        return {};
    QJsonObject config{{u"tools"_s, tools}};
    if (!request.toolChoice || none || request.tools.isEmpty())
        return config;
    switch (request.toolChoice->type) {
    case Type::Auto:
        config.insert(u"toolChoice"_s, QJsonObject{{u"auto"_s, QJsonObject{}}});
        break;
    case Type::Any:
        config.insert(u"toolChoice"_s, QJsonObject{{u"any"_s, QJsonObject{}}});
        break;
    case Type::Tool: {
        const QJsonObject tool{{u"name"_s, names.toBedrock(request.toolChoice->name)}};
        config.insert(u"toolChoice"_s, QJsonObject{{u"tool"_s, tool}});
        break;
    }
    case Type::None:
        break;
    }
    return config;
}

QJsonObject inferenceConfig(const AnthropicRequest &request)
{
    QJsonObject config;
    if (request.maxTokens > 0)
        config.insert(u"maxTokens"_s, request.maxTokens);
    if (request.temperature)
        config.insert(u"temperature"_s, *request.temperature);
    if (request.topP)
        config.insert(u"topP"_s, *request.topP);
    if (!request.stopSequences.isEmpty())
        config.insert(u"stopSequences"_s, QJsonArray::fromStringList(request.stopSequences));
    return config;
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
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
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
    out.body.insert(u"messages"_s, converseMessages(request.messages, out.toolNames));
    const QJsonArray system = converseBlocks(request.system, out.toolNames);
    if (!system.isEmpty())
        out.body.insert(u"system"_s, system);
    const QJsonObject inference = inferenceConfig(request);
    if (!inference.isEmpty())
        out.body.insert(u"inferenceConfig"_s, inference);
    const QJsonObject tools = toolConfig(request, out.toolNames);
    if (!tools.isEmpty())
        out.body.insert(u"toolConfig"_s, tools);
    const QJsonObject additional = additionalFields(request, out.forwardedBetas);
    if (!additional.isEmpty())
        out.body.insert(u"additionalModelRequestFields"_s, additional);
    return out;
}

} // namespace quarry::bedrock
