// The simulator's reading of native request bodies: InvokeModel (Anthropic Messages or Titan) and
// CountTokens.
#pragma once

#include "simulator/SimulatorConverseRequest.h"
#include "util/Result.h"

#include <QByteArray>

namespace quarry::bedrock {

struct SimulatorNativeRequest
{
    enum class Family {
        Anthropic, // {"anthropic_version", "max_tokens", "messages", ...}
        Titan,     // {"inputText", "textGenerationConfig"}; any body without "messages"
        Converse,  // CountTokens' {"input": {"converse": {...}}}
    };

    Family family = Family::Titan;
    // The conversation in the shape SimulatorReply composes its answer from.
    SimulatorConverseRequest conversation;

    // Error messages are those of Bedrock's ValidationException for the same mistake.
    static Result<SimulatorNativeRequest> parseInvoke(const QByteArray &body);
    // {"input": {"converse": {...}}} or {"input": {"invokeModel": {"body": "<JSON as a string>"}}}.
    static Result<SimulatorNativeRequest> parseCountTokens(const QByteArray &body);

    // Words in the system prompt and every message: the simulator's input token count.
    int inputWords() const;
};

} // namespace quarry::bedrock
