// Bedrock prompt caching: which models take cache points, and where to put them in a Converse body.
#pragma once

#include <QJsonObject>
#include <QString>

namespace quarry::bedrock {

// policies.ai.promptCaching, with the CRD's defaults.
struct PromptCachingPolicy
{
    bool cacheSystem = true;
    bool cacheMessages = true;
    bool cacheTools = false;
    qint64 minTokens = 1024;
};

namespace promptcaching {

// Models Bedrock documents prompt caching for (Bedrock user guide, "Prompt caching for faster
// model inference", supported models table): Anthropic Claude 3.5 Haiku, Claude 3.7 Sonnet and
// the Claude 4.x family (Sonnet 4/4.5, Opus 4/4.1, Haiku 4.5), and Amazon Nova Micro, Lite, Pro
// and Premier. Matched on the model id inside inference-profile ids ("us.", "global.") and
// ARNs; application inference profile ARNs do not name the model, so they get no cache points.
bool modelSupportsPromptCaching(const QString &model);
// Nova caches system and messages only; a cachePoint among tools is Claude-only.
bool modelCachesTools(const QString &model);

// A rough prompt size (characters / 4) used for the minTokens threshold: a cache point on a
// prefix shorter than the model's minimum is ignored by Bedrock, and writing costs extra.
qint64 estimateTokens(const QJsonObject &converse);

// Adds {"cachePoint":{"type":"default"}} at the end of "system", of toolConfig.tools and of the
// last user message, as the policy allows, only for models that support caching, only when the
// prompt is estimated at >= minTokens, never into an empty list, never twice in a row, and never
// beyond Bedrock's limit of 4 cache points per request (points already present count).
void addCachePoints(QJsonObject &converse, const QString &model, const PromptCachingPolicy &policy);

} // namespace promptcaching
} // namespace quarry::bedrock
