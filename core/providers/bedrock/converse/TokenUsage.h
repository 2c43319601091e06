// Token counts Bedrock reports for one call, and their OpenAI "usage" form.
#pragma once

#include <QJsonObject>
#include <QJsonValue>

namespace quarry::bedrock {

struct TokenUsage
{
    qint64 input = 0;
    qint64 output = 0;
    qint64 total = 0;
    qint64 cacheRead = 0;
    qint64 cacheWrite = 0;
    bool present = false; // false when Bedrock sent no usage at all

    // From a Converse "usage" object: {inputTokens, outputTokens, totalTokens,
    // cacheReadInputTokens, cacheWriteInputTokens}. Missing counts stay 0.
    static TokenUsage fromConverse(const QJsonValue &usage)
    {
        TokenUsage result;
        if (!usage.isObject())
            return result;
        const QJsonObject object = usage.toObject();
        const auto count = [&object](QLatin1StringView key) {
            return static_cast<qint64>(object.value(key).toDouble(0));
        };
        result.present = true;
        result.input = count(QLatin1StringView("inputTokens"));
        result.output = count(QLatin1StringView("outputTokens"));
        result.total = count(QLatin1StringView("totalTokens"));
        result.cacheRead = count(QLatin1StringView("cacheReadInputTokens"));
        result.cacheWrite = count(QLatin1StringView("cacheWriteInputTokens"));
        if (result.total == 0)
            result.total = result.input + result.output;
        return result;
    }

    // OpenAI's usage object. OpenAI's prompt_tokens include cached tokens, while Converse's
    // inputTokens do not, so the cached counts are added back in. Cache reads are
    // prompt_tokens_details.cached_tokens (OpenAI's field); cache writes have no OpenAI field
    // and go in "cache_creation_input_tokens", the name LiteLLM (and Anthropic) use.
    QJsonObject toOpenAi() const
    {
        const qint64 prompt = input + cacheRead + cacheWrite;
        QJsonObject object{
            {QLatin1StringView("prompt_tokens"), prompt},
            {QLatin1StringView("completion_tokens"), output},
            {QLatin1StringView("total_tokens"), prompt + output},
        };
        if (cacheRead > 0) {
            object.insert(QLatin1StringView("prompt_tokens_details"),
                          QJsonObject{{QLatin1StringView("cached_tokens"), cacheRead}});
        }
        if (cacheWrite > 0)
            object.insert(QLatin1StringView("cache_creation_input_tokens"), cacheWrite);
        return object;
    }
};

} // namespace quarry::bedrock
