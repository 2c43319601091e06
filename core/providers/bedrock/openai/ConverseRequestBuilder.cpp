// OpenAI chat messages -> Converse "system", "messages", "toolConfig" and "inferenceConfig".
#include "providers/bedrock/openai/ConverseRequestBuilder.h"

#include "providers/bedrock/json/JsonReader.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

bool isSystemRole(ChatRole role)
{
    return role == ChatRole::System || role == ChatRole::Developer;
}

// The message's text and image parts as Converse blocks, appended to `blocks`.
void appendPartBlocks(QList<ConverseContent> &blocks, const ChatMessage &message, bool withImages = true)
{
    for (const ContentPart &part : message.content) {
        // Bedrock rejects blank text blocks ("text content blocks must be non-empty").
        if (part.kind == ContentPart::Kind::Text && !part.text.trimmed().isEmpty())
            blocks.append(ConverseContent::ofText(part.text));
        else if (part.kind == ContentPart::Kind::Image && withImages)
            blocks.append(ConverseContent::ofImage(part.image));
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

// `text` as compact JSON when it is one JSON object (or, with `orArray`, array), else nothing.
std::optional<QByteArray> compactJson(const QString &text, bool orArray)
{
    const QByteArray utf8 = text.toUtf8();
    JsonReader reader(utf8);
    const JsonReader::Kind kind = reader.peek();
    if (kind != JsonReader::Kind::Object && !(orArray && kind == JsonReader::Kind::Array))
        return std::nullopt;
    QByteArray compact = reader.readCompact();
    if (!reader.finish())
        return std::nullopt;
    return compact;
}

// Tool-call arguments arrive as JSON text; Converse wants the object itself ({} when they are not one).
ConverseContent toolUseBlock(const ToolCall &call, ToolNameMapper &names)
{
    return ConverseContent::ofToolUse(call.id, names.toBedrock(call.name),
                                      compactJson(call.arguments, false).value_or("{}"_ba));
}

// A result that is a JSON object or array goes as a {json} block so the model sees structure.
ConverseContent toolResultBlock(const ChatMessage &message)
{
    const QString text = joinedText(message);
    ConverseResultItem item;
    if (auto json = compactJson(text, true)) {
        item.kind = ConverseResultItem::Kind::Json;
        item.json = std::move(*json);
    } else {
        item.text = text.trimmed().isEmpty() ? u"(empty)"_s : text;
    }
    return ConverseContent::ofToolResult(message.toolCallId, {item}, false);
}

QList<ConverseContent> contentBlocks(const ChatMessage &message, ToolNameMapper &names)
{
    if (message.role == ChatRole::Tool)
        return {toolResultBlock(message)};
    QList<ConverseContent> blocks;
    // Anthropic requires an assistant turn's reasoning to come before its text and tool use.
    for (const ReasoningBlock &reasoning : message.reasoning)
        blocks.append(ConverseContent::ofReasoning(reasoning));
    appendPartBlocks(blocks, message);
    for (const ToolCall &call : message.toolCalls)
        blocks.append(toolUseBlock(call, names));
    return blocks;
}

// Tool results travel in user turns in Converse.
void addTurns(ConverseBody &body, const QList<ChatMessage> &messages, ToolNameMapper &names)
{
    for (const ChatMessage &message : messages) {
        if (!isSystemRole(message.role))
            body.addTurn(message.role == ChatRole::Assistant, contentBlocks(message, names));
    }
}

QList<ConverseContent> systemBlocks(const QList<ChatMessage> &messages)
{
    QList<ConverseContent> blocks;
    for (const ChatMessage &message : messages) {
        if (isSystemRole(message.role))
            appendPartBlocks(blocks, message, false); // system blocks cannot hold images
    }
    return blocks;
}

// Tool calls or results: their blocks make Converse ask for a toolConfig.
bool historyHasToolBlocks(const QList<ChatMessage> &messages)
{
    return std::any_of(messages.cbegin(), messages.cend(), [](const ChatMessage &message) {
        return message.role == ChatRole::Tool || (!isSystemRole(message.role) && !message.toolCalls.isEmpty());
    });
}

ConverseToolChoice toolChoiceFor(const ToolChoice &choice, ToolNameMapper &names)
{
    using Mode = ConverseToolChoice::Mode;
    switch (choice.mode) {
    case ToolChoice::Mode::Auto:
        return {Mode::Auto, {}};
    case ToolChoice::Mode::Required:
        return {Mode::Any, {}};
    case ToolChoice::Mode::Named:
        return {Mode::Tool, names.toBedrock(choice.name)};
    case ToolChoice::Mode::Unset:
    case ToolChoice::Mode::None:
        break;
    }
    return {};
}

void addTools(ConverseBody &body, const ChatRequest &request, ToolNameMapper &names)
{
    const bool offerTools = !request.tools.isEmpty() && request.toolChoice.mode != ToolChoice::Mode::None;
    if (offerTools) {
        for (const ToolDefinition &tool : request.tools)
            body.tools.append(
                ConverseTool{names.toBedrock(tool.name), tool.description, tool.parameters, false});
        body.toolChoice = toolChoiceFor(request.toolChoice, names);
    } else if (historyHasToolBlocks(request.messages)) {
        for (const QString &name : body.toolUseNames())
            body.tools.append(ConverseTool{name, u"A tool used earlier in this conversation."_s,
                                           R"({"type":"object"})"_ba, false});
    }
}

ConverseBody build(const ChatRequest &request, ToolNameMapper &names)
{
    ConverseBody body;
    addTurns(body, request.messages, names);
    body.system = systemBlocks(request.messages);
    body.maxTokens = request.maxTokens;
    body.temperature = request.temperature;
    body.topP = request.topP;
    body.stopSequences = request.stop;
    addTools(body, request, names);
    // Anthropic refuses a forced tool while thinking, so the JSON tool is only offered then.
    const bool forceJsonTool = request.tools.isEmpty() && request.thinking.isEmpty();
    request.responseFormat.addForcedTool(body, forceJsonTool);
    if (!request.thinking.isEmpty())
        body.applyThinking(request.thinking);
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
