// The Converse request body and its JSON writer (shapes from the Bedrock API reference, Converse).
#include "providers/bedrock/converse/ConverseBody.h"

#include "util/JsonText.h"

#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

// Room for the answer when thinking takes the whole max_tokens the client did not set.
constexpr qint64 AnswerRoomWhenUnset = 4096;

void appendNumber(QByteArray &out, double value)
{
    out += std::isfinite(value) ? QByteArray::number(value, 'g', QLocale::FloatingPointShortest) : "null"_ba;
}

constexpr char CachePointJson[] = "{\"cachePoint\":{\"type\":\"default\"}}";

// The elements of a JSON array (without its brackets), comma-separated, each written by appendItem.
template <typename List, typename AppendItem>
void appendElements(QByteArray &out, const List &items, AppendItem appendItem)
{
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ',';
        appendItem(out, items.at(i));
    }
}

// Starts a member: a comma before every member but the first.
void appendKey(QByteArray &out, bool &first, const char *quotedKey)
{
    if (!first)
        out += ',';
    first = false;
    out += quotedKey;
}

void appendImage(QByteArray &out, const ConverseImage &image)
{
    out += "{\"image\":{\"format\":";
    util::appendJsonString(out, image.format);
    out += ",\"source\":{\"bytes\":";
    util::appendJsonString(out, QByteArrayView(image.base64)); // the client's, and not always checked
    out += "}}}";
}

void appendReasoning(QByteArray &out, const ReasoningBlock &reasoning)
{
    if (!reasoning.redactedContent.isEmpty()) {
        out += "{\"reasoningContent\":{\"redactedContent\":";
        util::appendJsonString(out, QByteArrayView(reasoning.redactedContent));
        out += "}}";
        return;
    }
    out += "{\"reasoningContent\":{\"reasoningText\":{\"text\":";
    util::appendJsonString(out, reasoning.text);
    // The signature must travel back unchanged or Claude rejects the next turn.
    if (!reasoning.signature.isEmpty()) {
        out += ",\"signature\":";
        util::appendJsonString(out, reasoning.signature);
    }
    out += "}}}";
}

void appendText(QByteArray &out, const QString &text)
{
    out += "{\"text\":";
    util::appendJsonString(out, text);
    out += '}';
}

void appendResultItem(QByteArray &out, const ConverseResultItem &item)
{
    switch (item.kind) {
    case ConverseResultItem::Kind::Text:
        appendText(out, item.text);
        break;
    case ConverseResultItem::Kind::Json:
        out += "{\"json\":" + item.json + '}';
        break;
    case ConverseResultItem::Kind::Image:
        appendImage(out, item.image);
        break;
    }
}

void appendToolResult(QByteArray &out, const ConverseContent &block)
{
    out += "{\"toolResult\":{\"toolUseId\":";
    util::appendJsonString(out, block.toolUseId);
    out += ",\"content\":[";
    appendElements(out, block.result, appendResultItem);
    out += ']';
    if (block.isError)
        out += ",\"status\":\"error\"";
    out += "}}";
}

void appendContent(QByteArray &out, const ConverseContent &block)
{
    switch (block.kind) {
    case ConverseContent::Kind::Text:
        appendText(out, block.text);
        break;
    case ConverseContent::Kind::Image:
        appendImage(out, block.image);
        break;
    case ConverseContent::Kind::ToolUse:
        out += "{\"toolUse\":{\"toolUseId\":";
        util::appendJsonString(out, block.toolUseId);
        out += ",\"name\":";
        util::appendJsonString(out, block.toolName);
        out += ",\"input\":" + block.input + "}}";
        break;
    case ConverseContent::Kind::ToolResult:
        appendToolResult(out, block);
        break;
    case ConverseContent::Kind::Reasoning:
        appendReasoning(out, block.reasoning);
        break;
    case ConverseContent::Kind::CachePoint:
        out += CachePointJson;
        break;
    }
}

void appendBlocks(QByteArray &out, const QList<ConverseContent> &blocks)
{
    out += '[';
    appendElements(out, blocks, appendContent);
    out += ']';
}

void appendTool(QByteArray &out, const ConverseTool &tool)
{
    if (tool.cachePoint) {
        out += CachePointJson;
        return;
    }
    out += "{\"toolSpec\":{\"name\":";
    util::appendJsonString(out, tool.name);
    if (!tool.description.isEmpty()) { // Bedrock rejects an empty description
        out += ",\"description\":";
        util::appendJsonString(out, tool.description);
    }
    out += ",\"inputSchema\":{\"json\":" + tool.schema + "}}}";
}

void appendToolChoice(QByteArray &out, const ConverseToolChoice &choice)
{
    switch (choice.mode) {
    case ConverseToolChoice::Mode::Auto:
        out += ",\"toolChoice\":{\"auto\":{}}";
        break;
    case ConverseToolChoice::Mode::Any:
        out += ",\"toolChoice\":{\"any\":{}}";
        break;
    case ConverseToolChoice::Mode::Tool:
        out += ",\"toolChoice\":{\"tool\":{\"name\":";
        util::appendJsonString(out, choice.name);
        out += "}}";
        break;
    case ConverseToolChoice::Mode::Unset:
        break;
    }
}

} // namespace

ConverseContent ConverseContent::ofText(const QString &text)
{
    ConverseContent block;
    block.text = text;
    return block;
}

ConverseContent ConverseContent::ofImage(const ConverseImage &image)
{
    ConverseContent block;
    block.kind = Kind::Image;
    block.image = image;
    return block;
}

ConverseContent ConverseContent::ofToolUse(const QString &id, const QString &name, const QByteArray &input)
{
    ConverseContent block;
    block.kind = Kind::ToolUse;
    block.toolUseId = id;
    block.toolName = name;
    block.input = input;
    return block;
}

ConverseContent ConverseContent::ofToolResult(const QString &toolUseId,
                                              const QList<ConverseResultItem> &result, bool isError)
{
    ConverseContent block;
    block.kind = Kind::ToolResult;
    block.toolUseId = toolUseId;
    block.result = result;
    block.isError = isError;
    return block;
}

ConverseContent ConverseContent::ofReasoning(const ReasoningBlock &reasoning)
{
    ConverseContent block;
    block.kind = Kind::Reasoning;
    block.reasoning = reasoning;
    return block;
}

ConverseContent ConverseContent::cachePoint()
{
    ConverseContent block;
    block.kind = Kind::CachePoint;
    return block;
}

void ConverseBody::addTurn(bool assistant, QList<ConverseContent> content)
{
    if (content.isEmpty())
        return;
    if (!messages.isEmpty() && messages.last().assistant == assistant)
        messages.last().content += std::move(content);
    else
        messages.append(ConverseTurn{assistant, std::move(content)});
}

void ConverseBody::applyThinking(const QJsonObject &thinking)
{
    additionalFields.insert(QStringLiteral("thinking"), thinking);
    const auto budget = static_cast<qint64>(thinking.value(QLatin1StringView("budget_tokens")).toDouble(0));
    if (budget <= 0)
        return;
    const qint64 requested = maxTokens.value_or(0);
    if (requested <= budget)
        maxTokens = budget + (requested > 0 ? requested : AnswerRoomWhenUnset);
}

QStringList ConverseBody::toolUseNames() const
{
    QStringList names;
    for (const ConverseTurn &turn : messages) {
        for (const ConverseContent &block : turn.content) {
            if (block.kind == ConverseContent::Kind::ToolUse && !names.contains(block.toolName))
                names.append(block.toolName);
        }
    }
    return names;
}

QByteArray ConverseBody::toJson() const
{
    QByteArray out;
    out.reserve(256);
    out += "{\"messages\":[";
    appendElements(out, messages, [](QByteArray &json, const ConverseTurn &turn) {
        json += turn.assistant ? "{\"role\":\"assistant\",\"content\":" : "{\"role\":\"user\",\"content\":";
        appendBlocks(json, turn.content);
        json += '}';
    });
    out += ']';
    if (!system.isEmpty()) {
        out += ",\"system\":";
        appendBlocks(out, system);
    }
    if (maxTokens || temperature || topP || !stopSequences.isEmpty()) {
        out += ",\"inferenceConfig\":{";
        bool first = true;
        if (maxTokens) {
            appendKey(out, first, "\"maxTokens\":");
            out += QByteArray::number(*maxTokens);
        }
        if (temperature) {
            appendKey(out, first, "\"temperature\":");
            appendNumber(out, *temperature);
        }
        if (topP) {
            appendKey(out, first, "\"topP\":");
            appendNumber(out, *topP);
        }
        if (!stopSequences.isEmpty()) {
            appendKey(out, first, "\"stopSequences\":[");
            appendElements(out, stopSequences,
                           [](QByteArray &json, const QString &stop) { util::appendJsonString(json, stop); });
            out += ']';
        }
        out += '}';
    }
    if (!tools.isEmpty()) {
        out += ",\"toolConfig\":{\"tools\":[";
        appendElements(out, tools, appendTool);
        out += ']';
        appendToolChoice(out, toolChoice);
        out += '}';
    }
    if (!additionalFields.isEmpty())
        out += ",\"additionalModelRequestFields\":" +
               QJsonDocument(additionalFields).toJson(QJsonDocument::Compact);
    out += '}';
    return out;
}

} // namespace quarry::bedrock
