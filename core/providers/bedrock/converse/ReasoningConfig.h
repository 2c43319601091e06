// Extended thinking ("reasoning") in Converse: the request field and the reasoningContent blocks.
#pragma once

#include "util/Result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace quarry::bedrock {

// One reasoning block of an assistant turn: text + signature, or a redacted (encrypted) block.
struct ReasoningBlock
{
    QString text;
    QString signature;
    QByteArray redactedContent; // base64, as Converse JSON carries it; set only for redacted blocks
};

namespace reasoning {

// OpenAI reasoning_effort -> Anthropic thinking budget_tokens. The numbers follow LiteLLM's
// mapping for Claude on Bedrock; 1024 is the smallest budget Anthropic accepts.
//   minimal, low -> 1024   medium -> 4096   high -> 16384   none -> no thinking (nullopt)
// Unknown efforts fail with a message for a 400.
Result<std::optional<qint64>> budgetForEffort(const QString &effort);

// {"type":"enabled","budget_tokens":budget}
QJsonObject enabledThinking(qint64 budgetTokens);

} // namespace reasoning
} // namespace quarry::bedrock
