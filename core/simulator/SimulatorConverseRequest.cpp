// Converse request parsing for the simulator, with Bedrock's validation messages.
#include "simulator/SimulatorConverseRequest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

using Parsed = Result<SimulatorConverseRequest>;

QString textOfBlocks(const QJsonArray &blocks)
{
    QStringList parts;
    for (const QJsonValue &block : blocks) {
        if (block[u"text"].isString())
            parts.append(block[u"text"].toString());
    }
    return parts.join(u' ');
}

int wordsIn(const QString &text)
{
    return int(text.split(u' ', Qt::SkipEmptyParts).size());
}

// Walks the prompt in cache order, hashing blocks and counting words, so each cachePoint gets
// a key for the simulator's prompt cache. Real Bedrock caches by prefix the same way.
class PrefixHasher
{
public:
    void add(const QJsonValue &block, int words)
    {
        m_prefix += QJsonDocument(QJsonArray{block}).toJson(QJsonDocument::Compact);
        m_words += words;
    }
    void mark(SimulatorConverseRequest &out) const
    {
        out.cachePrefixes.append({QCryptographicHash::hash(m_prefix, QCryptographicHash::Sha256), m_words});
    }

private:
    QByteArray m_prefix;
    int m_words = 0;
};

QString imageMarker(const QJsonObject &image)
{
    const QByteArray bytes = QByteArray::fromBase64(image[u"source"][u"bytes"].toString().toLatin1());
    return u"[image %1 %2 bytes]"_s.arg(image[u"format"].toString()).arg(bytes.size());
}

QString toolResultText(const QJsonObject &result)
{
    QStringList parts;
    for (const QJsonValue &block : result[u"content"].toArray()) {
        if (block[u"text"].isString())
            parts.append(block[u"text"].toString());
        else if (block[u"json"].isObject())
            parts.append(QString::fromUtf8(QJsonDocument(block[u"json"].toObject()).toJson(QJsonDocument::Compact)));
        else if (block[u"json"].isArray())
            parts.append(QString::fromUtf8(QJsonDocument(block[u"json"].toArray()).toJson(QJsonDocument::Compact)));
    }
    return parts.join(u' ');
}

// Reads one message's blocks into `message`, feeding the prefix hasher.
void readBlocks(const QJsonArray &blocks, SimulatorConverseRequest::Message &message, PrefixHasher &hasher,
                SimulatorConverseRequest &out)
{
    QStringList texts;
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QJsonObject block = blocks[i].toObject();
        int words = 0;
        if (block[u"text"].isString()) {
            texts.append(block[u"text"].toString());
            words = wordsIn(texts.last());
        } else if (block[u"image"].isObject()) {
            texts.append(imageMarker(block[u"image"].toObject()));
            words = wordsIn(texts.last());
        } else if (block[u"toolUse"].isObject()) {
            ++message.toolUses;
        } else if (block[u"toolResult"].isObject()) {
            ++message.toolResults;
            words = wordsIn(toolResultText(block[u"toolResult"].toObject()));
            out.extraInputWords += words;
        } else if (block[u"reasoningContent"].isObject() && i == 0) {
            message.startsWithReasoning = true;
        } else if (block[u"cachePoint"].isObject()) {
            hasher.mark(out);
            continue;
        }
        hasher.add(block, words);
    }
    message.text = texts.join(u' ');
}

QString notNull(const QString &field)
{
    return u"1 validation error detected: Value null at '%1' failed to satisfy constraint: Member must not be null"_s
        .arg(field);
}

// Roles must be user/assistant, start with user and alternate, as Bedrock insists.
std::optional<QString> checkRoles(const QList<SimulatorConverseRequest::Message> &messages)
{
    if (messages.isEmpty() || messages.first().role != u"user")
        return u"A conversation must start with a user message. Try again with a conversation that starts "
               "with a user message."_s;
    for (qsizetype i = 1; i < messages.size(); ++i) {
        if (messages[i].role == messages[i - 1].role)
            return u"A conversation must alternate between user and assistant roles. Make sure the "
                   "conversation alternates between user and assistant roles and try again."_s;
    }
    return std::nullopt;
}

std::optional<QString> parseMessages(const QJsonValue &value, SimulatorConverseRequest &out, PrefixHasher &hasher)
{
    if (value.isUndefined() || value.isNull())
        return notNull(u"messages"_s);
    if (!value.isArray())
        return u"Malformed input request: #/messages: expected type: JSONArray, please reformat your input "
               "and try again."_s;
    const QJsonArray messages = value.toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString role = messages[i][u"role"].toString();
        if (role != u"user" && role != u"assistant")
            return u"1 validation error detected: Value '%1' at 'messages.%2.member.role' failed to satisfy "
                   "constraint: Member must satisfy enum value set: [user, assistant]"_s.arg(role)
                       .arg(i + 1);
        if (!messages[i][u"content"].isArray())
            return notNull(u"messages.%1.member.content"_s.arg(i + 1));
        SimulatorConverseRequest::Message message;
        message.role = role;
        readBlocks(messages[i][u"content"].toArray(), message, hasher, out);
        out.messages.append(message);
    }
    return checkRoles(out.messages);
}

std::optional<QString> parseInferenceConfig(const QJsonObject &config, SimulatorConverseRequest &out)
{
    if (config.contains(u"maxTokens")) {
        const int maxTokens = config[u"maxTokens"].toInt(0);
        if (maxTokens < 1)
            return u"1 validation error detected: Value '%1' at 'inferenceConfig.maxTokens' failed to "
                   u"satisfy "
                   "constraint: Member must have value greater than or equal to 1"_s.arg(maxTokens);
        out.maxTokens = maxTokens;
    }
    for (const QJsonValue &stop : config[u"stopSequences"].toArray()) {
        if (!stop.toString().isEmpty())
            out.stopSequences.append(stop.toString());
    }
    return std::nullopt;
}

void parseTools(const QJsonObject &toolConfig, SimulatorConverseRequest &out, PrefixHasher &hasher)
{
    for (const QJsonValue &tool : toolConfig[u"tools"].toArray()) {
        if (tool[u"cachePoint"].isObject()) {
            hasher.mark(out);
            continue;
        }
        const QJsonObject spec = tool[u"toolSpec"].toObject();
        const int words = wordsIn(spec[u"name"].toString()) + wordsIn(spec[u"description"].toString());
        out.tools.append({spec[u"name"].toString(), spec[u"inputSchema"][u"json"].toObject()});
        out.extraInputWords += words;
        hasher.add(tool, words);
    }
    out.forcedTool = toolConfig[u"toolChoice"][u"tool"][u"name"].toString();
}

void parseSystem(const QJsonArray &system, SimulatorConverseRequest &out, PrefixHasher &hasher)
{
    for (const QJsonValue &block : system) {
        if (block[u"cachePoint"].isObject())
            hasher.mark(out);
        else
            hasher.add(block, wordsIn(block[u"text"].toString()));
    }
    out.system = textOfBlocks(system);
}

// What Bedrock (and Anthropic behind it) refuse about tool blocks and thinking.
std::optional<QString> checkToolsAndThinking(const SimulatorConverseRequest &request)
{
    const bool toolBlocks = std::any_of(request.messages.cbegin(), request.messages.cend(),
                                        [](const auto &m) { return m.toolUses > 0 || m.toolResults > 0; });
    if (toolBlocks && request.tools.isEmpty())
        return u"The toolConfig field must be defined when using toolUse and toolResult content blocks."_s;
    for (qsizetype i = 0; request.thinking && i < request.messages.size(); ++i) {
        const auto &message = request.messages[i];
        if (message.role == u"assistant" && message.toolUses > 0 && !message.startsWithReasoning)
            return u"messages.%1.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
                   "`tool_use`. When `thinking` is enabled, a final `assistant` message must start with a "
                   "thinking block. We recommend you include thinking blocks from previous turns."_s.arg(i);
    }
    return std::nullopt;
}

} // namespace

Result<SimulatorConverseRequest> SimulatorConverseRequest::parse(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Parsed::failure(u"Malformed input request, please reformat your input and try again."_s);
    const QJsonObject root = document.object();
    SimulatorConverseRequest request;
    PrefixHasher hasher;
    parseTools(root[u"toolConfig"].toObject(), request, hasher);
    parseSystem(root[u"system"].toArray(), request, hasher);
    if (auto problem = parseMessages(root[u"messages"], request, hasher))
        return Parsed::failure(*problem);
    if (auto problem = parseInferenceConfig(root[u"inferenceConfig"].toObject(), request))
        return Parsed::failure(*problem);
    const QJsonValue thinking = root[u"additionalModelRequestFields"][u"thinking"];
    request.thinking = thinking.isObject() && thinking[u"type"].toString() != u"disabled";
    request.guardrail = root[u"guardrailConfig"].toObject();
    if (auto problem = checkToolsAndThinking(request))
        return Parsed::failure(*problem);
    return request;
}

QString SimulatorConverseRequest::lastUserText() const
{
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->role == u"user")
            return it->text;
    }
    return {};
}

} // namespace quarry::bedrock
