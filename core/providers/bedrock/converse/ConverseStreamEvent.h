// A ConverseStream event's JSON payload, read once with the pull reader into what the three stream
// translators (OpenAI chat, Anthropic Messages, Responses) use. A QJsonDocument per event was most
// of what relaying a delta cost.
#pragma once

#include "providers/bedrock/converse/ApiError.h"
#include "providers/bedrock/converse/ConverseResponse.h"
#include "util/Result.h"
#include "util/TokenUsage.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace quarry::bedrock {

struct ConverseStreamEvent
{
    int blockIndex = 0; // "contentBlockIndex": contentBlockStart, contentBlockDelta, contentBlockStop

    // contentBlockStart: the tool call the block starts ("start": {"toolUse": ...}); none for text.
    std::optional<ConverseToolUse> toolUseStart;

    // contentBlockDelta ("delta"): Bedrock sends one of these per event.
    std::optional<QString> text;      // "text"
    std::optional<QString> toolInput; // "toolUse": {"input": a fragment of the input's JSON text}
    struct Reasoning                  // "reasoningContent": one of the three
    {
        std::optional<QString> text;
        std::optional<QString> signature;
        std::optional<QString> redactedContent; // base64
    };
    std::optional<Reasoning> reasoning;

    // messageStop
    QString stopReason;
    std::optional<QString> stopSequence; // "additionalModelResponseFields": {"stop_sequence": ...}

    // metadata: not present when the event has no "usage" object
    TokenUsage usage;
};

// Any event's payload; members of the wrong kind are left out, as members newer than this code
// are. An error (where the JSON breaks, or that it is not an object) for a payload that is not one
// JSON object.
Result<ConverseStreamEvent> readConverseStreamEvent(QByteArrayView payload);

// What each stream translator ends the stream with when that read refuses an event's payload.
ApiError malformedStreamEvent(const QString &eventType);

} // namespace quarry::bedrock
