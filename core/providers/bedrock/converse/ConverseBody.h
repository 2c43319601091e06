// The body of a Converse / ConverseStream request, typed, as the client API translators build it
// (OpenAI chat and Responses, Anthropic Messages), and written to JSON text in one pass. Building
// it as Qt JSON and serialising that cost ~35,000 instructions of a chat request's ~265,000.
// The policies that edit Converse JSON (prompt guard, the backend's prompt, cache points,
// guardrail) read this text back, so only backends that set them pay for a parse.
#pragma once

#include "providers/bedrock/converse/ConverseImage.h"
#include "providers/bedrock/converse/ReasoningConfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::bedrock {

// An item of a toolResult's content.
struct ConverseResultItem
{
    enum class Kind { Text, Json, Image };
    Kind kind = Kind::Text;
    QString text;        // Text
    QByteArray json;     // Json: a JSON object or array, as text
    ConverseImage image; // Image
};

// One content block of a turn or of "system".
struct ConverseContent
{
    enum class Kind { Text, Image, ToolUse, ToolResult, Reasoning, CachePoint };
    Kind kind = Kind::Text;
    QString text;                     // Text
    ConverseImage image;              // Image
    QString toolUseId;                // ToolUse, ToolResult
    QString toolName;                 // ToolUse: a Bedrock name (ToolNameMapper)
    QByteArray input;                 // ToolUse: a JSON object, as text
    QList<ConverseResultItem> result; // ToolResult
    bool isError = false;             // ToolResult: status "error"
    ReasoningBlock reasoning;         // Reasoning

    static ConverseContent ofText(const QString &text);
    static ConverseContent ofImage(const ConverseImage &image);
    static ConverseContent ofToolUse(const QString &id, const QString &name, const QByteArray &input);
    static ConverseContent ofToolResult(const QString &toolUseId, const QList<ConverseResultItem> &result,
                                        bool isError);
    static ConverseContent ofReasoning(const ReasoningBlock &reasoning);
    static ConverseContent cachePoint();
};

struct ConverseTurn
{
    bool assistant = false;
    QList<ConverseContent> content;
};

// toolConfig.tools[]: a toolSpec, or a cache point after the tools before it.
struct ConverseTool
{
    QString name; // a Bedrock name (ToolNameMapper)
    QString description;
    QByteArray schema; // inputSchema.json: a JSON object, as text
    bool cachePoint = false;
};

struct ConverseToolChoice
{
    enum class Mode { Unset, Auto, Any, Tool };
    Mode mode = Mode::Unset;
    QString name; // Mode::Tool: a Bedrock name
};

struct ConverseBody
{
    QList<ConverseTurn> messages;
    QList<ConverseContent> system;
    // inferenceConfig
    std::optional<qint64> maxTokens;
    std::optional<double> temperature;
    std::optional<double> topP;
    QStringList stopSequences;
    // toolConfig, left out when there are no tools
    QList<ConverseTool> tools;
    ConverseToolChoice toolChoice;
    // additionalModelRequestFields (thinking, top_k, anthropic_beta): model-specific and rare, so
    // kept as Qt JSON.
    QJsonObject additionalFields;

    // Appends a turn. Converse requires user and assistant turns to alternate, so the blocks of
    // consecutive turns with the same role are merged into one turn (OpenAI and Anthropic both
    // allow such runs, e.g. tool results followed by a user's text). A turn without blocks is
    // dropped, which may make its neighbours mergeable.
    void addTurn(bool assistant, QList<ConverseContent> content);
    // Puts `thinking` into additionalModelRequestFields.thinking. Anthropic requires max_tokens >
    // budget_tokens, so maxTokens is raised when it is not: to budget + the client's maxTokens
    // (the answer keeps the room the client asked for), or to budget + 4096 when the client set none.
    void applyThinking(const QJsonObject &thinking);
    // The tool names the turns' toolUse blocks call, in order of first use, without repeats.
    QStringList toolUseNames() const;

    // Compact JSON text, ready to sign and send. The model is not part of it: it goes in the URL
    // (see ModelId.h).
    QByteArray toJson() const;
};

} // namespace quarry::bedrock
