// The typed form of an OpenAI Chat Completions request body, parsed strictly at the edge.
#pragma once

#include "providers/bedrock/converse/ConverseImage.h"
#include "providers/bedrock/converse/ReasoningConfig.h"
#include "providers/bedrock/openai/ResponseFormat.h"
#include "util/Result.h"

#include <QJsonObject>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::bedrock {

enum class ChatRole { System, Developer, User, Assistant, Tool };

// One piece of a message's content: text, or an image from a data: URL.
struct ContentPart
{
    enum class Kind { Text, Image };
    Kind kind = Kind::Text;
    QString text;
    ConverseImage image; // Kind::Image only
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
    // assistant only: earlier reasoning, replayed so multi-turn tool use with thinking stays
    // valid. From "thinking_blocks" (LiteLLM's shape), else "reasoning_content" +
    // "reasoning_signature"; reasoning without a signature is not replayed (Bedrock rejects it).
    QList<ReasoningBlock> reasoning;
};

// tools[] entry of type "function".
struct ToolDefinition
{
    QString name;
    QString description;
    QByteArray parameters; // JSON Schema, as compact text; {"type":"object","properties":{}} when absent
};

struct ToolChoice
{
    enum class Mode { Unset, Auto, Required, None, Named };
    Mode mode = Mode::Unset;
    QString name; // Mode::Named
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
    QList<ToolDefinition> tools;
    ToolChoice toolChoice;
    // additionalModelRequestFields.thinking: the client's "thinking" object as is, else one built
    // from reasoning_effort (see reasoning::budgetForEffort). Empty when no reasoning was asked.
    QJsonObject thinking;
    ResponseFormat responseFormat;
    // OpenAI parameters with no Bedrock meaning that were sent with an effective value and not
    // forwarded (logprobs, seed, penalties, user, ...), for the x-quarry-dropped-params header and
    // the traffic record. Also temperature/top_p when thinking is on: Anthropic rejects them then.
    QStringList droppedParameters;
    QStringList unknownFields; // top-level fields OpenAI does not define; the caller may report them
};

// Parses a client's /chat/completions body. Errors name the offending field, e.g.
// "messages[2].role: unknown role 'robot'", and are meant for a 400 response; a body that is not
// JSON gets "invalid JSON at offset N: ..." whatever else is wrong with it.
Result<ChatRequest> parseChatRequest(QByteArrayView body);

QString chatRoleName(ChatRole role);

} // namespace quarry::bedrock
