// The tokens one model call used. One type from Bedrock's answer through every client API's usage
// object to the traffic record, the console and history.
#pragma once

#include <QtGlobal>

namespace quarry {

struct TokenUsage
{
    qint64 input = 0;      // input tokens read without the prompt cache (Bedrock's inputTokens)
    qint64 output = 0;     // generated tokens
    qint64 cacheRead = 0;  // input tokens read from the prompt cache
    qint64 cacheWrite = 0; // input tokens written to the prompt cache
    bool present = false;  // false when the answer carried no usage at all

    // Every input token, cached or not: what OpenAI calls prompt_tokens.
    qint64 promptTotal() const { return input + cacheRead + cacheWrite; }
    qint64 total() const { return promptTotal() + output; }
};

} // namespace quarry
