// Cache-point placement for Bedrock prompt caching.
#include "providers/bedrock/converse/PromptCaching.h"

#include <QJsonArray>
#include <algorithm>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::bedrock::promptcaching {
namespace {

constexpr int MaximumCachePoints = 4;

QJsonObject cachePoint()
{
    return QJsonObject{{u"cachePoint"_s, QJsonObject{{u"type"_s, u"default"_s}}}};
}

bool isCachePoint(const QJsonValue &block)
{
    return block.toObject().contains("cachePoint"_L1);
}

int countCachePoints(const QJsonArray &blocks)
{
    return int(std::count_if(blocks.begin(), blocks.end(), [](const QJsonValue &block) { return isCachePoint(block); }));
}

int countAll(const QJsonObject &converse)
{
    int count = countCachePoints(converse.value("system"_L1).toArray())
                + countCachePoints(converse.value("toolConfig"_L1)["tools"_L1].toArray());
    for (const QJsonValue &message : converse.value("messages"_L1).toArray())
        count += countCachePoints(message[u"content"].toArray());
    return count;
}

// Appends a cache point unless the list is empty or already ends with one.
bool appendTo(QJsonArray &blocks, int &budget)
{
    if (budget <= 0 || blocks.isEmpty() || isCachePoint(blocks.last()))
        return false;
    blocks.append(cachePoint());
    --budget;
    return true;
}

} // namespace

bool modelSupportsPromptCaching(const QString &model)
{
    static const QRegularExpression supported(
        u"(anthropic\\.claude-3-5-haiku|anthropic\\.claude-3-7-sonnet|anthropic\\.claude-(sonnet|opus|haiku)-4"
        "|amazon\\.nova-(micro|lite|pro|premier))"_s);
    return supported.match(model).hasMatch();
}

bool modelCachesTools(const QString &model)
{
    return modelSupportsPromptCaching(model) && model.contains("anthropic."_L1);
}

qint64 estimateTokens(const QJsonObject &converse)
{
    QJsonObject prompt = converse;
    prompt.remove(u"inferenceConfig"_s);
    prompt.remove(u"additionalModelRequestFields"_s);
    return QJsonDocument(prompt).toJson(QJsonDocument::Compact).size() / 4;
}

void addCachePoints(QJsonObject &converse, const QString &model, const PromptCachingPolicy &policy)
{
    if (!modelSupportsPromptCaching(model) || estimateTokens(converse) < policy.minTokens)
        return;
    int budget = MaximumCachePoints - countAll(converse);
    if (policy.cacheSystem) {
        QJsonArray system = converse.value("system"_L1).toArray();
        if (appendTo(system, budget))
            converse.insert(u"system"_s, system);
    }
    if (policy.cacheTools && modelCachesTools(model)) {
        QJsonObject toolConfig = converse.value("toolConfig"_L1).toObject();
        QJsonArray tools = toolConfig.value("tools"_L1).toArray();
        if (appendTo(tools, budget)) {
            toolConfig.insert(u"tools"_s, tools);
            converse.insert(u"toolConfig"_s, toolConfig);
        }
    }
    if (!policy.cacheMessages)
        return;
    QJsonArray messages = converse.value("messages"_L1).toArray();
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        QJsonObject message = messages.at(i).toObject();
        if (message.value("role"_L1).toString() != "user"_L1)
            continue;
        QJsonArray content = message.value("content"_L1).toArray();
        if (appendTo(content, budget)) {
            message.insert(u"content"_s, content);
            messages.replace(i, message);
            converse.insert(u"messages"_s, messages);
        }
        return;
    }
}

} // namespace quarry::bedrock::promptcaching
