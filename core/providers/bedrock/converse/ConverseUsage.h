// Token usage as Bedrock's Converse API reports it.
#pragma once

#include "util/TokenUsage.h"

#include <QJsonObject>
#include <QJsonValue>

namespace quarry::bedrock {

// From a Converse "usage" object: {inputTokens, outputTokens, totalTokens, cacheReadInputTokens,
// cacheWriteInputTokens}. Missing counts stay 0; a missing object leaves usage absent.
inline TokenUsage converseUsage(const QJsonValue &usage)
{
    TokenUsage result;
    if (!usage.isObject())
        return result;
    const QJsonObject object = usage.toObject();
    const auto count = [&object](QLatin1StringView key) { return object.value(key).toInteger(); };
    result.present = true;
    result.input = count(QLatin1StringView("inputTokens"));
    result.output = count(QLatin1StringView("outputTokens"));
    result.cacheRead = count(QLatin1StringView("cacheReadInputTokens"));
    result.cacheWrite = count(QLatin1StringView("cacheWriteInputTokens"));
    return result;
}

} // namespace quarry::bedrock
