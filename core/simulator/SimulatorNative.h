// The simulator's native answers: InvokeModel bodies, InvokeModelWithResponseStream chunks, CountTokens.
#pragma once

#include "http/ResponseWriter.h"
#include "simulator/SimulatorNativeRequest.h"
#include "simulator/SimulatorReply.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace quarry::bedrock {

class SimulatorNative
{
public:
    // Anthropic's message JSON or Titan's {"inputTextTokenCount", "results"}, with Bedrock's
    // X-Amzn-Bedrock-Input-Token-Count / Output-Token-Count / Invocation-Latency headers.
    static void sendInvoke(http::ResponseWriter &writer, const QString &modelId,
                           const SimulatorNativeRequest &request, const SimulatorReply &reply,
                           qint64 latencyMs);

    static QByteArray invokeBody(const QString &modelId, const SimulatorNativeRequest &request,
                                 const SimulatorReply &reply);

    // Every frame of an invoke-with-response-stream answer, in order: `chunk` events whose
    // {"bytes"} is base64 of the model's own stream event; the last carries
    // "amazon-bedrock-invocationMetrics".
    static QList<QByteArray> streamFrames(const QString &modelId, const SimulatorNativeRequest &request,
                                          const SimulatorReply &reply, qint64 latencyMs);
    static http::HttpHeaders streamHeaders();

    // {"inputTokens": n}.
    static void sendCountTokens(http::ResponseWriter &writer, int inputTokens);

    // Bedrock counts tokens for Anthropic Claude models only (ids, profiles and ARNs naming one).
    static bool supportsCountTokens(const QString &modelId);
};

} // namespace quarry::bedrock
