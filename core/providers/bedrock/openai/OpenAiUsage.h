// Token usage in OpenAI's "usage" shape (chat completions), both ways.
#pragma once

#include "util/TokenUsage.h"

#include <QByteArray>
#include <QJsonObject>

namespace quarry::bedrock {

// OpenAI's prompt_tokens include cached tokens, while Converse's inputTokens do not, so the cached
// counts are added back in. Cache reads are prompt_tokens_details.cached_tokens (OpenAI's field);
// cache writes have no OpenAI field and go in "cache_creation_input_tokens", the name LiteLLM (and
// Anthropic) use.
// Written as JSON text: every non-stream answer carries it (util/JsonText.h says why).
inline QByteArray openAiUsageJson(const TokenUsage &usage)
{
    QByteArray json = "{\"prompt_tokens\":" + QByteArray::number(usage.promptTotal())
                      + ",\"completion_tokens\":" + QByteArray::number(usage.output)
                      + ",\"total_tokens\":" + QByteArray::number(usage.total());
    if (usage.cacheRead > 0)
        json += ",\"prompt_tokens_details\":{\"cached_tokens\":" + QByteArray::number(usage.cacheRead) + '}';
    if (usage.cacheWrite > 0)
        json += ",\"cache_creation_input_tokens\":" + QByteArray::number(usage.cacheWrite);
    return json + '}';
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
