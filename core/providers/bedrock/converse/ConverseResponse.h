// A Converse answer read once, into what every client API's response builder needs.
#pragma once

#include "providers/bedrock/converse/ReasoningConfig.h"
#include "util/Result.h"
#include "util/TokenUsage.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace quarry::bedrock {

class JsonReader;

struct ConverseText
{
    QString text;
};

struct ConverseToolUse
{
    QString id;
    QString name;
    QByteArray input; // the input object (or array) as compact JSON text; {} when it had none
};

// One block of output.message.content. Kinds no client API shows (images, documents, citations)
// are left out.
using ConverseBlock = std::variant<ConverseText, ConverseToolUse, ReasoningBlock>;

struct ConverseAnswer
{
    QList<ConverseBlock> content;
    QString stopReason;
    TokenUsage usage;
    // additionalModelResponseFields.stop_sequence: which stop sequence matched (Claude only).
    std::optional<QString> stopSequence;
};

// The answer, when it has output.message.content (an array) and a stopReason; otherwise an error
// naming what is missing or where the JSON breaks, for a 502.
Result<ConverseAnswer> parseConverseResponse(QByteArrayView bytes);

// A "toolUse" object ({"toolUseId","name","input"}) from the reader's next value, as both the answer
// and a stream's contentBlockStart carry it; nullopt when it is not an object or is empty.
std::optional<ConverseToolUse> readConverseToolUse(JsonReader &reader);
// "additionalModelResponseFields": which stop sequence matched (Claude only), when it says one.
std::optional<QString> readStopSequence(JsonReader &reader);

} // namespace quarry::bedrock
