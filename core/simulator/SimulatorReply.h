// The simulator's deterministic answer to a Converse request: text, stop reason, token usage.
#pragma once

#include "simulator/SimulatorConverseRequest.h"
#include "simulator/SimulatorFaults.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace quarry::bedrock {

struct SimulatorReply
{
    // How many words of the last user message are echoed back.
    static constexpr int EchoedWords = 40;

    struct ToolUse
    {
        QString id;
        QString name;
        QJsonObject input;
    };

    QString text;
    QString stopReason;   // "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "guardrail_intervened"
    int inputTokens = 0;  // words in system + all messages (+ tool specs, tool results), minus cached
    int outputTokens = 0; // words in text and reasoning, plus one per tool use
    int cacheReadTokens = 0;
    int cacheWriteTokens = 0;
    QString reasoningText;      // set when thinking was enabled: comes before the text
    QString reasoningSignature; // "sim-signature-<number of messages>"
    QList<ToolUse> toolUses;
    QJsonObject trace; // {"guardrail":{...guardrailConfig}} when a guardrail was configured

    // In order of precedence:
    // - "[sim:guardrail]" in the last user message: a refusal with stopReason guardrail_intervened;
    // - tools offered and the last user turn has no toolResult: a toolUse of the forced tool (else
    //   the first), input built from the schema's required properties (strings "sim", numbers 1,
    //   booleans true), stopReason tool_use; "[sim:parallel-tools]" makes two toolUse blocks;
    // - the last user turn has toolResults: "Tool results received: <n>";
    // - otherwise "Simulated reply from <modelId>: <first 40 words of the last user message>", cut
    //   by stop sequences and maxTokens; "[sim:words:<n>]" makes it exactly n words instead.
    // Thinking adds reasoningText "Simulated reasoning."; cache points give cache usage
    // (SimulatorPromptCache).
    static SimulatorReply compose(const QString &modelId, const SimulatorConverseRequest &request,
                                  const SimulatorFaults &faults);

    // The text cut into one piece per word (with the whitespace after it); joined they give text.
    QStringList deltas() const;

    static int wordCount(const QString &text);
};

} // namespace quarry::bedrock
