// OpenAI chat messages -> Converse "system", "messages", "toolConfig" and "inferenceConfig".
#include "providers/bedrock/openai/ConverseRequestBuilder.h"

#include "providers/bedrock/converse/ConverseTurns.h"
#include "providers/bedrock/converse/ToolSpec.h"
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

bool isSystemRole(ChatRole role)
{
    return role == ChatRole::System || role == ChatRole::Developer;
}

// The message's text and image parts as Converse blocks, appended to `blocks`.
void appendPartBlocks(QJsonArray &blocks, const ChatMessage &message, bool withImages = true)
{
    for (const ContentPart &part : message.content) {
        // Bedrock rejects blank text blocks ("text content blocks must be non-empty").
        if (part.kind == ContentPart::Kind::Text && !part.text.trimmed().isEmpty())
            blocks.append(QJsonObject{{u"text"_s, part.text}});
        else if (part.kind == ContentPart::Kind::Image && withImages)
            blocks.append(part.image.toConverseBlock());
    }
}

QString joinedText(const ChatMessage &message)
{
    QString text;
    for (const ContentPart &part : message.content) {
        if (part.kind == ContentPart::Kind::Text)
            text += part.text;
    }
    return text;
}

// Tool-call arguments arrive as JSON text; Converse wants the object itself.
QJsonObject toolUseBlock(const ToolCall &call, ToolNameMapper &names)
{
    const QJsonObject input = QJsonDocument::fromJson(call.arguments.toUtf8()).object();
    return QJsonObject{{u"toolUse"_s, QJsonObject{{u"toolUseId"_s, call.id},
                                                  {u"name"_s, names.toBedrock(call.name)},
                                                  {u"input"_s, input}}}};
}

// A result that is a JSON object or array goes as a {json} block so the model sees structure.
QJsonObject toolResultBlock(const ChatMessage &message)
{
    const QString text = joinedText(message);
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    QJsonObject content;
    if (document.isObject())
        content = QJsonObject{{u"json"_s, document.object()}};
    else if (document.isArray())
        content = QJsonObject{{u"json"_s, document.array()}};
    else
        content = QJsonObject{{u"text"_s, text.trimmed().isEmpty() ? u"(empty)"_s : text}};
    return QJsonObject{{u"toolResult"_s, QJsonObject{{u"toolUseId"_s, message.toolCallId},
                                                     {u"content"_s, QJsonArray{content}}}}};
}

QJsonArray contentBlocks(const ChatMessage &message, ToolNameMapper &names)
{
    if (message.role == ChatRole::Tool)
        return QJsonArray{toolResultBlock(message)};
    QJsonArray blocks;
    // Anthropic requires an assistant turn's reasoning to come before its text and tool use.
    for (const ReasoningBlock &reasoning : message.reasoning)
        blocks.append(reasoning.toConverseBlock());
    appendPartBlocks(blocks, message);
    for (const ToolCall &call : message.toolCalls)
        blocks.append(toolUseBlock(call, names));
    return blocks;
}

// Tool results travel in user turns in Converse.
QString converseRole(ChatRole role)
{
    return role == ChatRole::Assistant ? u"assistant"_s : u"user"_s;
}

QJsonArray converseMessages(const QList<ChatMessage> &messages, ToolNameMapper &names)
{
    ConverseTurns turns;
    for (const ChatMessage &message : messages) {
        if (!isSystemRole(message.role))
            turns.add(converseRole(message.role), contentBlocks(message, names));
    }
    return turns.take();
}

QJsonArray systemBlocks(const QList<ChatMessage> &messages)
{
    QJsonArray blocks;
    for (const ChatMessage &message : messages) {
        if (isSystemRole(message.role))
            appendPartBlocks(blocks, message, false); // system blocks cannot hold images
    }
    return blocks;
}

QJsonObject inferenceConfig(const ChatRequest &request)
{
    QJsonObject config;
    if (request.maxTokens)
        config.insert(u"maxTokens"_s, *request.maxTokens);
    if (request.temperature)
        config.insert(u"temperature"_s, *request.temperature);
    if (request.topP)
        config.insert(u"topP"_s, *request.topP);
    if (!request.stop.isEmpty())
        config.insert(u"stopSequences"_s, QJsonArray::fromStringList(request.stop));
    return config;
}

// Names of the tools the history calls, in order of first use, deduplicated.
QStringList historyToolNames(const QJsonArray &turns)
{
    QStringList names;
    for (const QJsonValue &turn : turns) {
        for (const QJsonValue &block : turn[u"content"].toArray()) {
            const QString name = block[u"toolUse"][u"name"].toString();
            if (!name.isEmpty() && !names.contains(name))
                names.append(name);
        }
    }
    return names;
}

// Tool calls or results: their blocks make Converse ask for a toolConfig.
bool historyHasToolBlocks(const QList<ChatMessage> &messages)
{
    return std::any_of(messages.cbegin(), messages.cend(), [](const ChatMessage &message) {
        return message.role == ChatRole::Tool || (!isSystemRole(message.role) && !message.toolCalls.isEmpty());
    });
}

QJsonObject toolChoiceJson(const ToolChoice &choice, ToolNameMapper &names)
{
    switch (choice.mode) {
    case ToolChoice::Mode::Auto:
        return QJsonObject{{u"auto"_s, QJsonObject{}}};
    case ToolChoice::Mode::Required:
        return QJsonObject{{u"any"_s, QJsonObject{}}};
    case ToolChoice::Mode::Named:
        return QJsonObject{{u"tool"_s, QJsonObject{{u"name"_s, names.toBedrock(choice.name)}}}};
    case ToolChoice::Mode::Unset:
    case ToolChoice::Mode::None:
        break;
    }
    return {};
}

QJsonObject toolConfig(const ChatRequest &request, const QJsonArray &turns, ToolNameMapper &names)
{
    QJsonArray tools;
    const bool offerTools = !request.tools.isEmpty() && request.toolChoice.mode != ToolChoice::Mode::None;
    if (offerTools) {
        for (const ToolDefinition &tool : request.tools)
            tools.append(toolSpec(names.toBedrock(tool.name), tool.description, tool.parameters));
    } else if (historyHasToolBlocks(request.messages)) {
        for (const QString &name : historyToolNames(turns))
            tools.append(toolSpec(name, u"A tool used earlier in this conversation."_s,
                                  QJsonObject{{u"type"_s, u"object"_s}}));
    }
    if (tools.isEmpty())
        return {};
    QJsonObject config{{u"tools"_s, tools}};
    const QJsonObject choice = offerTools ? toolChoiceJson(request.toolChoice, names) : QJsonObject{};
    if (!choice.isEmpty())
        config.insert(u"toolChoice"_s, choice);
    return config;
}

QJsonObject build(const ChatRequest &request, ToolNameMapper &names)
{
    const QJsonArray turns = converseMessages(request.messages, names);
    QJsonObject body{{u"messages"_s, turns}};
    const QJsonArray system = systemBlocks(request.messages);
    if (!system.isEmpty())
        body.insert(u"system"_s, system);
    const QJsonObject config = inferenceConfig(request);
    if (!config.isEmpty())
        body.insert(u"inferenceConfig"_s, config);
    const QJsonObject tools = toolConfig(request, turns, names);
    if (!tools.isEmpty())
        body.insert(u"toolConfig"_s, tools);
    // Anthropic refuses a forced tool while thinking, so the JSON tool is only offered then.
    const bool forceJsonTool = request.tools.isEmpty() && request.thinking.isEmpty();
    request.responseFormat.addForcedTool(body, forceJsonTool);
    if (!request.thinking.isEmpty())
        reasoning::applyThinking(body, request.thinking);
    return body;
}

} // namespace

ConverseRequest buildConverseRequest(const ChatRequest &request)
{
    ConverseRequest converse;
    converse.body = build(request, converse.mapping.toolNames);
    if (request.responseFormat.wantsJson())
        converse.mapping.jsonToolName = QString(ResponseFormat::ToolName);
    return converse;
}

} // namespace quarry::bedrock
