// Turns a Converse response into an Anthropic Messages "message" object (the non-streaming reply).
#pragma once

#include "providers/bedrock/converse/ConverseResponse.h"
#include "providers/bedrock/converse/ToolNameMapper.h"
#include "util/TokenUsage.h"
#include "util/Result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace quarry::bedrock {

struct AnthropicMessageResult
{
    QByteArray json; // the message body for the client
    QString text;    // all text blocks joined, for logs and telemetry
    QString bedrockStopReason;
    QString stopReason; // Anthropic's
    TokenUsage usage;
};

class AnthropicResponseBuilder
{
public:
    // messageId gets a "msg_" prefix unless it has one; model is echoed; toolNames restores the
    // client's tool names (see ToolNameMapper).
    AnthropicResponseBuilder(QString messageId, QString model, ToolNameMapper toolNames = {});

    // Fails when the body is not a Converse response ({"output":{"message":{...}},"stopReason"}).
    Result<AnthropicMessageResult> build(const QByteArray &converseResponse) const;

    // Converse stopReason -> Anthropic stop_reason: end_turn, max_tokens, stop_sequence and
    // tool_use keep their names; guardrail_intervened and content_filtered become "refusal"
    // (Anthropic's own reason for a reply cut short on safety grounds, which the SDKs know, and
    // which tells the client the answer is not a normal end); model_context_window_exceeded is
    // kept (Anthropic has it too); anything newer becomes end_turn.
    static QString stopReasonFor(const QString &bedrockStopReason);
    // "msg_" + id unless already prefixed.
    static QString messageIdFor(const QString &id);
    // Anthropic's usage object from Converse's counts. Both APIs count input tokens without the
    // cached ones, so the numbers carry over unchanged.
    static QJsonObject usageJson(const TokenUsage &usage);
    // The reverse, for clients reading an Anthropic answer (`quarry chat`).
    static TokenUsage usageFromJson(const QJsonObject &usage);
    // Converse content blocks -> Anthropic content blocks; text is appended to *text.
    static QJsonArray contentFrom(const QList<ConverseBlock> &converseContent, const ToolNameMapper &names,
                                  QString *text);

private:
    QString m_id;
    QString m_model;
    ToolNameMapper m_toolNames;
};

} // namespace quarry::bedrock
