// The simulator's deterministic answer to a Converse request: text, stop reason, token usage.
#pragma once

#include "providers/bedrock/SimulatorConverseRequest.h"
#include "providers/bedrock/SimulatorFaults.h"

#include <QString>
#include <QStringList>

namespace quarry::bedrock {

struct SimulatorReply
{
    // How many words of the last user message are echoed back.
    static constexpr int EchoedWords = 40;

    QString text;
    QString stopReason;   // "end_turn" | "max_tokens" | "stop_sequence"
    int inputTokens = 0;  // words in system + all messages
    int outputTokens = 0; // words in text

    // "Simulated reply from <modelId>: <first 40 words of the last user message>", then cut by
    // stop sequences and maxTokens; "[sim:words:<n>]" makes it exactly n words instead.
    static SimulatorReply compose(const QString &modelId, const SimulatorConverseRequest &request,
                                  const SimulatorFaults &faults);

    // The text cut into one piece per word (with the whitespace after it); joined they give text.
    QStringList deltas() const;

    static int wordCount(const QString &text);
};

} // namespace quarry::bedrock
