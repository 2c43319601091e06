// Token usage as Bedrock's Converse API reports it.
#pragma once

#include "providers/bedrock/json/JsonReader.h"
#include "util/TokenUsage.h"

#include <QJsonObject>
#include <QJsonValue>

namespace quarry::bedrock {

// The count a member of a Converse "usage" object holds: inputTokens, outputTokens,
// cacheReadInputTokens, cacheWriteInputTokens (totalTokens is their sum); nullptr for others.
inline qint64 *converseUsageCount(TokenUsage &usage, QByteArrayView key)
{
    if (key == "inputTokens")
        return &usage.input;
    if (key == "outputTokens")
        return &usage.output;
    if (key == "cacheReadInputTokens")
        return &usage.cacheRead;
    if (key == "cacheWriteInputTokens")
        return &usage.cacheWrite;
    return nullptr;
}

// From a Converse "usage" object. Missing counts stay 0; a missing object leaves usage absent.
inline TokenUsage converseUsage(const QJsonValue &usage)
{
    TokenUsage result;
    if (!usage.isObject())
        return result;
    result.present = true;
    const QJsonObject object = usage.toObject();
    for (auto member = object.constBegin(); member != object.constEnd(); ++member) {
        if (qint64 *count = converseUsageCount(result, member.key().toLatin1()))
            *count = member.value().toInteger();
    }
    return result;
}

// The same, from the reader's next value.
inline TokenUsage readConverseUsage(JsonReader &reader)
{
    TokenUsage result;
    result.present = reader.readObject([&](QByteArrayView key) {
        if (qint64 *count = converseUsageCount(result, key))
            *count = reader.readInteger().value_or(0);
    });
    return result;
}

} // namespace quarry::bedrock
