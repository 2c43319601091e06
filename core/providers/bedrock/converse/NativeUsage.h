// Token usage and stop reason read from native Bedrock responses (passthrough), for the traffic record.
#pragma once

#include "providers/bedrock/eventstream/EventStreamMessage.h"
#include "util/TokenUsage.h"

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

// Knows the shapes of Converse, ConverseStream, InvokeModel (Anthropic Messages, Amazon Titan,
// Amazon Nova, Meta Llama bodies) and InvokeModelWithResponseStream chunks. Anything it does not
// recognise leaves usage absent rather than guessing: the record then shows no tokens.
class NativeUsage
{
public:
    // Converse's JSON answer: "usage" and "stopReason".
    static NativeUsage fromConverse(const QByteArray &body);
    // InvokeModel's answer. The X-Amzn-Bedrock-Input/Output-Token-Count headers (empty when absent)
    // are the fallback for bodies that carry no counts.
    static NativeUsage fromInvoke(const QByteArray &body, const QByteArray &inputTokenHeader = {},
                                  const QByteArray &outputTokenHeader = {});

    // One decoded event of a converse-stream or invoke-with-response-stream answer, in order.
    void addStreamEvent(const EventStreamMessage &message);

    const TokenUsage &usage() const { return m_usage; }
    const QString &stopReason() const { return m_stopReason; }

private:
    void addConverseStreamEvent(const QString &eventType, const QByteArray &payload);
    void addInvokeChunk(const QByteArray &payload);
    void readInvokeBody(const QJsonObject &body);
    void readInvocationMetrics(const QJsonObject &metrics);
    void setCounts(qint64 input, qint64 output);

    TokenUsage m_usage;
    QString m_stopReason;
};

} // namespace quarry::bedrock
