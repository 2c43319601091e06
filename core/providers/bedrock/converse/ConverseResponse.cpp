// A Converse answer read with the pull reader: this runs for every non-stream answer.
#include "providers/bedrock/converse/ConverseResponse.h"

#include "providers/bedrock/converse/ConverseUsage.h"
#include "providers/bedrock/json/JsonReader.h"

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

// {"reasoningText":{"text","signature"}} or {"redactedContent":"base64"}; nullopt when empty.
std::optional<ReasoningBlock> readReasoning(JsonReader &reader)
{
    ReasoningBlock block;
    bool any = false;
    reader.readObject([&](QByteArrayView key) {
        any = true;
        if (key == "redactedContent") {
            if (const auto redacted = reader.readString())
                block.redactedContent = redacted->toLatin1();
        } else if (key == "reasoningText") {
            reader.readObject([&](QByteArrayView field) {
                if (field == "text")
                    block.text = reader.readString().value_or(QString());
                else if (field == "signature")
                    block.signature = reader.readString().value_or(QString());
            });
        }
    });
    return any ? std::optional(block) : std::nullopt;
}

std::optional<ConverseBlock> readBlock(JsonReader &reader)
{
    std::optional<ConverseBlock> block;
    reader.readObject([&](QByteArrayView key) {
        if (key == "text") {
            if (auto text = reader.readString())
                block = ConverseText{std::move(*text)};
        } else if (key == "toolUse") {
            if (auto use = readConverseToolUse(reader))
                block = std::move(*use);
        } else if (key == "reasoningContent") {
            if (auto reasoning = readReasoning(reader))
                block = std::move(*reasoning);
        }
    });
    return block;
}

// output.message.content; false when there is no such array.
bool readOutput(JsonReader &reader, QList<ConverseBlock> &content)
{
    bool found = false;
    reader.readObject([&](QByteArrayView key) {
        if (key != "message")
            return;
        reader.readObject([&](QByteArrayView field) {
            if (field != "content")
                return;
            found = reader.readArray([&] {
                if (auto block = readBlock(reader))
                    content.append(std::move(*block));
            });
        });
    });
    return found;
}

} // namespace

// An empty object names no call.
std::optional<ConverseToolUse> readConverseToolUse(JsonReader &reader)
{
    ConverseToolUse use;
    bool any = false;
    reader.readObject([&](QByteArrayView key) {
        any = true;
        if (key == "toolUseId")
            use.id = reader.readString().value_or(QString());
        else if (key == "name")
            use.name = reader.readString().value_or(QString());
        else if (key == "input" &&
                 (reader.peek() == JsonReader::Kind::Object || reader.peek() == JsonReader::Kind::Array))
            use.input = reader.readCompact();
    });
    if (use.input.isEmpty())
        use.input = "{}";
    return any ? std::optional(use) : std::nullopt;
}

std::optional<QString> readStopSequence(JsonReader &reader)
{
    std::optional<QString> sequence;
    reader.readObject([&](QByteArrayView field) {
        if (field == "stop_sequence")
            sequence = reader.readString();
    });
    return sequence;
}

Result<ConverseAnswer> parseConverseResponse(QByteArrayView bytes)
{
    JsonReader reader(bytes);
    ConverseAnswer answer;
    bool hasContent = false;
    bool hasStopReason = false;
    reader.readObject([&](QByteArrayView key) {
        if (key == "output") {
            hasContent = readOutput(reader, answer.content);
        } else if (key == "stopReason") {
            const auto stopReason = reader.readString();
            hasStopReason = stopReason.has_value();
            answer.stopReason = stopReason.value_or(QString());
        } else if (key == "usage") {
            answer.usage = readConverseUsage(reader);
        } else if (key == "additionalModelResponseFields") {
            answer.stopSequence = readStopSequence(reader);
        }
    });
    if (!reader.finish())
        return Result<ConverseAnswer>::failure(u"Converse response: "_s + reader.error());
    if (!hasContent)
        return Result<ConverseAnswer>::failure(u"Converse response: output.message.content missing"_s);
    if (!hasStopReason)
        return Result<ConverseAnswer>::failure(u"Converse response: stopReason missing"_s);
    return answer;
}

} // namespace quarry::bedrock
