// ConverseStream event payloads read with the pull reader: this runs for every relayed delta.
#include "providers/bedrock/converse/ConverseStreamEvent.h"

#include "providers/bedrock/converse/ConverseUsage.h"
#include "providers/bedrock/json/JsonReader.h"

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

// {"text"} | {"signature"} | {"redactedContent"}; nullopt when not an object.
std::optional<ConverseStreamEvent::Reasoning> readReasoningDelta(JsonReader &reader)
{
    ConverseStreamEvent::Reasoning reasoning;
    const bool isObject = reader.readObject([&](QByteArrayView key) {
        if (key == "text")
            reasoning.text = reader.readString();
        else if (key == "signature")
            reasoning.signature = reader.readString();
        else if (key == "redactedContent")
            reasoning.redactedContent = reader.readString();
    });
    return isObject ? std::optional(reasoning) : std::nullopt;
}

void readDelta(JsonReader &reader, ConverseStreamEvent &event)
{
    reader.readObject([&](QByteArrayView key) {
        if (key == "text") {
            event.text = reader.readString();
        } else if (key == "toolUse") {
            reader.readObject([&](QByteArrayView field) {
                if (field == "input")
                    event.toolInput = reader.readString();
            });
        } else if (key == "reasoningContent") {
            event.reasoning = readReasoningDelta(reader);
        }
    });
}

} // namespace

Result<ConverseStreamEvent> readConverseStreamEvent(QByteArrayView payload)
{
    JsonReader reader(payload);
    ConverseStreamEvent event;
    if (reader.peek() != JsonReader::Kind::Object)
        return Result<ConverseStreamEvent>::failure(u"the event is not a JSON object"_s);
    reader.readObject([&](QByteArrayView key) {
        if (key == "contentBlockIndex") {
            event.blockIndex = int(reader.readInteger().value_or(0));
        } else if (key == "start") {
            reader.readObject([&](QByteArrayView field) {
                if (field == "toolUse")
                    event.toolUseStart = readConverseToolUse(reader);
            });
        } else if (key == "delta") {
            readDelta(reader, event);
        } else if (key == "stopReason") {
            event.stopReason = reader.readString().value_or(QString());
        } else if (key == "additionalModelResponseFields") {
            event.stopSequence = readStopSequence(reader);
        } else if (key == "usage") {
            event.usage = readConverseUsage(reader);
        }
    });
    if (!reader.finish())
        return Result<ConverseStreamEvent>::failure(reader.error());
    return event;
}

ApiError malformedStreamEvent(const QString &eventType)
{
    return {502, u"api_error"_s, u"bad_upstream_event"_s, u"Bedrock sent a malformed "_s + eventType + u" event"_s};
}

} // namespace quarry::bedrock
