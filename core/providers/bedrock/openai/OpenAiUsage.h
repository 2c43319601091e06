// Token usage in OpenAI's "usage" shape (chat completions), both ways.
#pragma once

#include "util/TokenUsage.h"

#include <QJsonObject>

namespace quarry::bedrock {

// OpenAI's prompt_tokens include cached tokens, while Converse's inputTokens do not, so the cached
// counts are added back in. Cache reads are prompt_tokens_details.cached_tokens (OpenAI's field);
// cache writes have no OpenAI field and go in "cache_creation_input_tokens", the name LiteLLM (and
// Anthropic) use.
inline QJsonObject openAiUsage(const TokenUsage &usage)
{
    QJsonObject object{
        {QLatin1StringView("prompt_tokens"), usage.promptTotal()},
        {QLatin1StringView("completion_tokens"), usage.output},
        {QLatin1StringView("total_tokens"), usage.total()},
    };
    if (usage.cacheRead > 0) {
        object.insert(QLatin1StringView("prompt_tokens_details"),
                      QJsonObject{{QLatin1StringView("cached_tokens"), usage.cacheRead}});
    }
    if (usage.cacheWrite > 0)
        object.insert(QLatin1StringView("cache_creation_input_tokens"), usage.cacheWrite);
    return object;
}

// The reverse, for clients of an OpenAI-shaped answer (the console): cached counts are taken back
// out of prompt_tokens so that input means the same as in Bedrock's usage.
inline TokenUsage fromOpenAiUsage(const QJsonObject &object)
{
    TokenUsage usage;
    usage.present = true;
    usage.output = object.value(QLatin1StringView("completion_tokens")).toInteger();
    usage.cacheRead = object.value(QLatin1StringView("prompt_tokens_details"))
                          .toObject()
                          .value(QLatin1StringView("cached_tokens"))
                          .toInteger();
    usage.cacheWrite = object.value(QLatin1StringView("cache_creation_input_tokens")).toInteger();
    usage.input = qMax<qint64>(0, object.value(QLatin1StringView("prompt_tokens")).toInteger() -
                                      usage.cacheRead - usage.cacheWrite);
    return usage;
}

} // namespace quarry::bedrock
