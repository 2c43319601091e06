// Builds the simulator's InvokeModel, InvokeModelWithResponseStream and CountTokens answers.
#include "simulator/SimulatorNative.h"

#include "providers/bedrock/eventstream/EventStreamEncoder.h"
#include "simulator/SimulatorResponses.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Titan's names for the stop reasons Anthropic and Converse share.
QString titanReason(const QString &stopReason)
{
    if (stopReason == u"max_tokens"_s)
        return u"LENGTH"_s;
    if (stopReason == u"stop_sequence"_s)
        return u"STOP_CRITERIA_MET"_s;
    return u"FINISH"_s;
}

QJsonObject anthropicMessage(const QString &modelId, const QJsonArray &content, const QJsonValue &stopReason,
                             const QJsonObject &usage)
{
    return {{u"id"_s,
             QString(u"msg_bdrk_sim"_s + QString::fromLatin1(SimulatorResponses::newRequestId().left(8)))},
            {u"type"_s, u"message"_s},
            {u"role"_s, u"assistant"_s},
            {u"model"_s, modelId},
            {u"content"_s, content},
            {u"stop_reason"_s, stopReason},
            {u"stop_sequence"_s, QJsonValue::Null},
            {u"usage"_s, usage}};
}

// One `chunk` event. Real Bedrock pads payloads with "p" so sizes do not leak the text.
QByteArray chunk(const QJsonObject &modelEvent)
{
    const QByteArray bytes = compact(modelEvent).toBase64();
    const QJsonObject payload{{u"bytes"_s, QString::fromLatin1(bytes)},
                              {u"p"_s, QString(4 + bytes.size() % 17, u'x')}};
    return EventStreamEncoder::encodeEvent(u"chunk"_s, compact(payload));
}

QJsonObject invocationMetrics(const SimulatorReply &reply, qint64 latencyMs)
{
    return {{u"inputTokenCount"_s, reply.inputTokens},
            {u"outputTokenCount"_s, reply.outputTokens},
            {u"invocationLatency"_s, latencyMs},
            {u"firstByteLatency"_s, latencyMs}};
}

QList<QByteArray> anthropicFrames(const QString &modelId, const SimulatorReply &reply, qint64 latencyMs)
{
    QList<QByteArray> frames;
    const QJsonObject startUsage{{u"input_tokens"_s, reply.inputTokens}, {u"output_tokens"_s, 1}};
    frames.append(
        chunk({{u"type"_s, u"message_start"_s},
               {u"message"_s, anthropicMessage(modelId, QJsonArray{}, QJsonValue::Null, startUsage)}}));
    frames.append(chunk({{u"type"_s, u"content_block_start"_s},
                         {u"index"_s, 0},
                         {u"content_block"_s, QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u""_s}}}}));
    for (const QString &delta : reply.deltas()) {
        frames.append(chunk({{u"type"_s, u"content_block_delta"_s},
                             {u"index"_s, 0},
                             {u"delta"_s, QJsonObject{{u"type"_s, u"text_delta"_s}, {u"text"_s, delta}}}}));
    }
    frames.append(chunk({{u"type"_s, u"content_block_stop"_s}, {u"index"_s, 0}}));
    frames.append(chunk({{u"type"_s, u"message_delta"_s},
                         {u"delta"_s, QJsonObject{{u"stop_reason"_s, reply.stopReason},
                                                  {u"stop_sequence"_s, QJsonValue::Null}}},
                         {u"usage"_s, QJsonObject{{u"output_tokens"_s, reply.outputTokens}}}}));
    frames.append(chunk({{u"type"_s, u"message_stop"_s},
                         {u"amazon-bedrock-invocationMetrics"_s, invocationMetrics(reply, latencyMs)}}));
    return frames;
}

// Titan streams running totals per chunk; the last names the completion reason.
QList<QByteArray> titanFrames(const SimulatorReply &reply, qint64 latencyMs)
{
    QList<QByteArray> frames;
    const QStringList deltas = reply.deltas();
    int words = 0;
    for (qsizetype i = 0; i < deltas.size(); ++i) {
        const bool last = i == deltas.size() - 1;
        QJsonObject event{
            {u"outputText"_s, deltas.at(i)},
            {u"index"_s, 0},
            {u"totalOutputTextTokenCount"_s, ++words},
            {u"completionReason"_s, last ? QJsonValue(titanReason(reply.stopReason)) : QJsonValue::Null},
            {u"inputTextTokenCount"_s, reply.inputTokens}};
        if (last)
            event.insert(u"amazon-bedrock-invocationMetrics"_s, invocationMetrics(reply, latencyMs));
        frames.append(chunk(event));
    }
    return frames;
}

} // namespace

QByteArray SimulatorNative::invokeBody(const QString &modelId, const SimulatorNativeRequest &request,
                                       const SimulatorReply &reply)
{
    if (request.family == SimulatorNativeRequest::Family::Anthropic) {
        const QJsonArray content{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, reply.text}}};
        const QJsonObject usage{{u"input_tokens"_s, reply.inputTokens},
                                {u"output_tokens"_s, reply.outputTokens}};
        return compact(anthropicMessage(modelId, content, reply.stopReason, usage));
    }
    const QJsonObject result{{u"tokenCount"_s, reply.outputTokens},
                             {u"outputText"_s, reply.text},
                             {u"completionReason"_s, titanReason(reply.stopReason)}};
    return compact({{u"inputTextTokenCount"_s, reply.inputTokens}, {u"results"_s, QJsonArray{result}}});
}

void SimulatorNative::sendInvoke(http::ResponseWriter &writer, const QString &modelId,
                                 const SimulatorNativeRequest &request, const SimulatorReply &reply,
                                 qint64 latencyMs)
{
    const http::HttpHeaders headers{
        {"Content-Type"_ba, "application/json"_ba},
        {"x-amzn-RequestId"_ba, SimulatorResponses::newRequestId()},
        {"X-Amzn-Bedrock-Input-Token-Count"_ba, QByteArray::number(reply.inputTokens)},
        {"X-Amzn-Bedrock-Output-Token-Count"_ba, QByteArray::number(reply.outputTokens)},
        {"X-Amzn-Bedrock-Invocation-Latency"_ba, QByteArray::number(latencyMs)}};
    writer.respond(200, headers, invokeBody(modelId, request, reply));
}

QList<QByteArray> SimulatorNative::streamFrames(const QString &modelId, const SimulatorNativeRequest &request,
                                                const SimulatorReply &reply, qint64 latencyMs)
{
    if (request.family == SimulatorNativeRequest::Family::Anthropic)
        return anthropicFrames(modelId, reply, latencyMs);
    return titanFrames(reply, latencyMs);
}

http::HttpHeaders SimulatorNative::streamHeaders()
{
    return {{"Content-Type"_ba, "application/vnd.amazon.eventstream"_ba},
            {"x-amzn-RequestId"_ba, SimulatorResponses::newRequestId()},
            {"X-Amzn-Bedrock-Content-Type"_ba, "application/json"_ba}};
}

void SimulatorNative::sendCountTokens(http::ResponseWriter &writer, int inputTokens)
{
    const http::HttpHeaders headers{{"Content-Type"_ba, "application/json"_ba},
                                    {"x-amzn-RequestId"_ba, SimulatorResponses::newRequestId()}};
    writer.respond(200, headers, compact({{u"inputTokens"_s, inputTokens}}));
}

bool SimulatorNative::supportsCountTokens(const QString &modelId)
{
    return modelId.contains(u"anthropic.claude"_s);
}

} // namespace quarry::bedrock
