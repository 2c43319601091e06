// The typed form of an Anthropic Messages request body (/v1/messages, /count_tokens), parsed strictly.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::bedrock {

// A base64 image as Anthropic sends it; only "base64" sources exist past the parser.
struct AnthropicImage
{
    QString format;     // Converse's: png, jpeg, gif, webp
    QString base64Data; // kept encoded: Converse's JSON form carries bytes as base64 too
};

// One block of a tool_result's content: text or an image.
struct AnthropicResultPart
{
    bool isImage = false;
    QString text;
    AnthropicImage image;
};

struct AnthropicBlock
{
    enum class Kind { Text, Image, ToolUse, ToolResult, Thinking, RedactedThinking };
    Kind kind = Kind::Text;
    QString text;      // Text; Thinking: the thinking text; RedactedThinking: the opaque data
    QString signature; // Thinking
    AnthropicImage image;
    QString id;                        // ToolUse: id; ToolResult: tool_use_id
    QString name;                      // ToolUse
    QByteArray input;                  // ToolUse: a JSON object, as the client wrote it (compacted)
    QList<AnthropicResultPart> result; // ToolResult
    bool isError = false;              // ToolResult
    bool cacheControl = false;         // a cache_control breakpoint follows this block
};

struct AnthropicMessage
{
    bool assistant = false; // Anthropic has only user and assistant turns
    QList<AnthropicBlock> content;
};

struct AnthropicTool
{
    QString name;
    QString description;
    QByteArray inputSchema; // a JSON object, as the client wrote it (compacted)
    bool cacheControl = false;
};

struct AnthropicToolChoice
{
    enum class Type { Auto, Any, Tool, None };
    Type type = Type::Auto;
    QString name; // Type::Tool only
};

struct AnthropicRequest
{
    QString model; // may be empty: the backend's model then decides
    qint64 maxTokens = 0;
    QList<AnthropicBlock> system; // text blocks only
    QList<AnthropicMessage> messages;
    bool stream = false;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<qint64> topK;
    QStringList stopSequences;
    QList<AnthropicTool> tools;
    std::optional<AnthropicToolChoice> toolChoice;
    std::optional<qint64> thinkingBudget; // thinking {type: enabled, budget_tokens}
    QStringList droppedFields; // Anthropic fields accepted but with no Converse meaning (metadata, ...)
};

enum class AnthropicEndpoint { Messages, CountTokens };

// Parses a client's /v1/messages (or /v1/messages/count_tokens) body. Errors name the field, e.g.
// "messages[1].content[0].source.type: ..." and are meant for a 400 invalid_request_error. Invalid
// JSON anywhere is reported first; otherwise the first field error in body order.
// max_tokens is required for Messages (as Anthropic requires it) and ignored for CountTokens.
Result<AnthropicRequest> parseAnthropicRequest(QByteArrayView body,
                                               AnthropicEndpoint endpoint = AnthropicEndpoint::Messages);

} // namespace quarry::bedrock
