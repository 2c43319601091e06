// The typed form of an OpenAI Chat Completions request body, parsed strictly at the edge.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::bedrock {

enum class ChatRole { System, Developer, User, Assistant, Tool };

// One piece of a message's content. Only text for now; images etc. become new kinds.
struct ContentPart
{
    enum class Kind { Text };
    Kind kind = Kind::Text;
    QString text;
};

// A function call the assistant made earlier in the conversation (assistant.tool_calls[]).
struct ToolCall
{
    QString id;
    QString name;
    QString arguments; // a JSON document as text, exactly as the client sent it
};

struct ChatMessage
{
    ChatRole role = ChatRole::User;
    QList<ContentPart> content;
    QString name;              // optional participant name; Converse has no place for it
    QList<ToolCall> toolCalls; // assistant only
    QString toolCallId;        // tool only: which call this message answers
};

struct ChatRequest
{
    QString model; // may be empty: the backend's model then decides
    QList<ChatMessage> messages;
    bool stream = false;
    bool includeUsage = false; // stream_options.include_usage
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<qint64> maxTokens; // max_completion_tokens, else max_tokens
    QStringList stop;
    QStringList ignoredFields; // known OpenAI fields that are accepted but not forwarded yet
    QStringList unknownFields; // top-level fields OpenAI does not define; the caller may report them
};

// Parses a client's /chat/completions body. Errors name the offending field, e.g.
// "messages[2].role: unknown role 'robot'", and are meant for a 400 response.
Result<ChatRequest> parseChatRequest(const QByteArray &body);

QString chatRoleName(ChatRole role);

} // namespace quarry::bedrock
