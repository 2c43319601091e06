// OpenAI chat messages -> Converse "system", "messages" and "inferenceConfig".
#include "providers/bedrock/ConverseRequestBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

bool isSystemRole(ChatRole role)
{
    return role == ChatRole::System || role == ChatRole::Developer;
}

QJsonArray textBlocks(const ChatMessage &message)
{
    QJsonArray blocks;
    for (const ContentPart &part : message.content) {
        // Bedrock rejects blank text blocks ("text content blocks must be non-empty").
        if (part.kind == ContentPart::Kind::Text && !part.text.trimmed().isEmpty())
            blocks.append(QJsonObject{{u"text"_s, part.text}});
    }
    return blocks;
}

// Tool-call arguments arrive as JSON text; Converse wants the object itself.
QJsonObject toolUseBlock(const ToolCall &call)
{
    const QJsonObject input = QJsonDocument::fromJson(call.arguments.toUtf8()).object();
    return QJsonObject{
        {u"toolUse"_s, QJsonObject{{u"toolUseId"_s, call.id}, {u"name"_s, call.name}, {u"input"_s, input}}}};
}

QJsonArray contentBlocks(const ChatMessage &message)
{
    QJsonArray blocks = textBlocks(message);
    if (message.role == ChatRole::Tool) {
        QJsonArray resultContent =
            blocks.isEmpty() ? QJsonArray{QJsonObject{{u"text"_s, u"(empty)"_s}}} : blocks;
        return QJsonArray{QJsonObject{{u"toolResult"_s, QJsonObject{{u"toolUseId"_s, message.toolCallId},
                                                                    {u"content"_s, resultContent}}}}};
    }
    for (const ToolCall &call : message.toolCalls)
        blocks.append(toolUseBlock(call));
    return blocks;
}

// Tool results travel in user turns in Converse.
QString converseRole(ChatRole role)
{
    return role == ChatRole::Assistant ? u"assistant"_s : u"user"_s;
}

QJsonArray converseMessages(const QList<ChatMessage> &messages)
{
    QJsonArray turns;
    QString lastRole;
    QJsonArray pending;
    for (const ChatMessage &message : messages) {
        if (isSystemRole(message.role))
            continue;
        const QJsonArray blocks = contentBlocks(message);
        if (blocks.isEmpty()) // dropping an empty turn may make its neighbours mergeable
            continue;
        const QString role = converseRole(message.role);
        if (role != lastRole && !pending.isEmpty()) {
            turns.append(QJsonObject{{u"role"_s, lastRole}, {u"content"_s, pending}});
            pending = QJsonArray{};
        }
        lastRole = role;
        for (const QJsonValue &block : blocks)
            pending.append(block);
    }
    if (!pending.isEmpty())
        turns.append(QJsonObject{{u"role"_s, lastRole}, {u"content"_s, pending}});
    return turns;
}

QJsonArray systemBlocks(const QList<ChatMessage> &messages)
{
    QJsonArray blocks;
    for (const ChatMessage &message : messages) {
        if (!isSystemRole(message.role))
            continue;
        for (const QJsonValue &block : textBlocks(message))
            blocks.append(block);
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

} // namespace

QJsonObject buildConverseRequest(const ChatRequest &request)
{
    QJsonObject body{{u"messages"_s, converseMessages(request.messages)}};
    const QJsonArray system = systemBlocks(request.messages);
    if (!system.isEmpty())
        body.insert(u"system"_s, system);
    const QJsonObject config = inferenceConfig(request);
    if (!config.isEmpty())
        body.insert(u"inferenceConfig"_s, config);
    return body;
}

QByteArray buildConverseBody(const ChatRequest &request)
{
    return QJsonDocument(buildConverseRequest(request)).toJson(QJsonDocument::Compact);
}

} // namespace quarry::bedrock
