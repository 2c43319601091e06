// Builds the simulator's Bedrock-shaped responses and event-stream frames.
#include "simulator/SimulatorResponses.h"

#include "providers/bedrock/eventstream/EventStreamEncoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Real Bedrock pads each event with a "p" field of varying length so frame sizes do not leak
// the text; clients must ignore it. Deterministic here: the length follows the payload's.
QByteArray event(const QString &eventType, QJsonObject payload)
{
    static const QString alphabet = u"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"_s;
    const qsizetype length = 4 + compact(payload).size() % 23;
    payload.insert(u"p"_s, alphabet.left(length));
    return EventStreamEncoder::encodeEvent(eventType, compact(payload));
}

QJsonObject usageObject(const SimulatorReply &reply)
{
    QJsonObject usage{{u"inputTokens"_s, reply.inputTokens},
                      {u"outputTokens"_s, reply.outputTokens},
                      {u"totalTokens"_s,
                       reply.inputTokens + reply.outputTokens + reply.cacheReadTokens + reply.cacheWriteTokens}};
    if (reply.cacheReadTokens > 0 || reply.cacheWriteTokens > 0) {
        usage.insert(u"cacheReadInputTokens"_s, reply.cacheReadTokens);
        usage.insert(u"cacheWriteInputTokens"_s, reply.cacheWriteTokens);
    }
    return usage;
}

QByteArray compactInput(const QJsonObject &input)
{
    return QJsonDocument(input).toJson(QJsonDocument::Compact);
}

QJsonArray contentArray(const SimulatorReply &reply)
{
    QJsonArray content;
    if (!reply.reasoningText.isEmpty()) {
        const QJsonObject reasoningText{{u"text"_s, reply.reasoningText}, {u"signature"_s, reply.reasoningSignature}};
        content.append(QJsonObject{{u"reasoningContent"_s, QJsonObject{{u"reasoningText"_s, reasoningText}}}});
    }
    if (!reply.text.isEmpty() || reply.toolUses.isEmpty())
        content.append(QJsonObject{{u"text"_s, reply.text}});
    for (const SimulatorReply::ToolUse &use : reply.toolUses) {
        content.append(QJsonObject{{u"toolUse"_s, QJsonObject{{u"toolUseId"_s, use.id},
                                                               {u"name"_s, use.name},
                                                               {u"input"_s, use.input}}}});
    }
    return content;
}

} // namespace

QByteArray SimulatorResponses::newRequestId()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

void SimulatorResponses::sendError(http::ResponseWriter &writer, int status, const QString &errorType,
                                   const QString &message)
{
    const QByteArray type = errorType.toUtf8() + ":http://internal.amazon.com/coral/com.amazon.bedrock/"_ba;
    const http::HttpHeaders headers{{"Content-Type"_ba, "application/json"_ba},
                                    {"x-amzn-RequestId"_ba, newRequestId()},
                                    {"x-amzn-ErrorType"_ba, type}};
    writer.respond(status, headers, compact(QJsonObject{{u"message"_s, message}}));
}

void SimulatorResponses::sendConverse(http::ResponseWriter &writer, const SimulatorReply &reply,
                                      qint64 latencyMs)
{
    const QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, contentArray(reply)}};
    QJsonObject body{{u"output"_s, QJsonObject{{u"message"_s, message}}},
                     {u"stopReason"_s, reply.stopReason},
                     {u"usage"_s, usageObject(reply)},
                     {u"metrics"_s, QJsonObject{{u"latencyMs"_s, latencyMs}}}};
    if (!reply.trace.isEmpty())
        body.insert(u"trace"_s, reply.trace);
    const http::HttpHeaders headers{{"Content-Type"_ba, "application/json"_ba},
                                    {"x-amzn-RequestId"_ba, newRequestId()}};
    writer.respond(200, headers, compact(body));
}

http::HttpHeaders SimulatorResponses::streamHeaders()
{
    return {{"Content-Type"_ba, "application/vnd.amazon.eventstream"_ba},
            {"x-amzn-RequestId"_ba, newRequestId()}};
}

QByteArray SimulatorResponses::messageStartEvent()
{
    return event(u"messageStart"_s, QJsonObject{{u"role"_s, u"assistant"_s}});
}

QByteArray SimulatorResponses::deltaEvent(const QString &text, int contentBlockIndex)
{
    return event(u"contentBlockDelta"_s, QJsonObject{{u"contentBlockIndex"_s, contentBlockIndex},
                                                     {u"delta"_s, QJsonObject{{u"text"_s, text}}}});
}

QByteArray SimulatorResponses::contentBlockStopEvent(int contentBlockIndex)
{
    return event(u"contentBlockStop"_s, QJsonObject{{u"contentBlockIndex"_s, contentBlockIndex}});
}

QList<QByteArray> SimulatorResponses::contentFrames(const SimulatorReply &reply)
{
    QList<QByteArray> frames;
    int index = 0;
    const auto delta = [&index](const QJsonObject &body) {
        return event(u"contentBlockDelta"_s, QJsonObject{{u"contentBlockIndex"_s, index}, {u"delta"_s, body}});
    };
    if (!reply.reasoningText.isEmpty()) {
        frames.append(delta({{u"reasoningContent"_s, QJsonObject{{u"text"_s, reply.reasoningText}}}}));
        frames.append(delta({{u"reasoningContent"_s, QJsonObject{{u"signature"_s, reply.reasoningSignature}}}}));
        frames.append(contentBlockStopEvent(index++));
    }
    if (!reply.text.isEmpty() || reply.toolUses.isEmpty()) {
        for (const QString &piece : reply.deltas())
            frames.append(deltaEvent(piece, index));
        frames.append(contentBlockStopEvent(index++));
    }
    for (const SimulatorReply::ToolUse &use : reply.toolUses) {
        const QJsonObject start{{u"toolUse"_s, QJsonObject{{u"toolUseId"_s, use.id}, {u"name"_s, use.name}}}};
        frames.append(event(u"contentBlockStart"_s, {{u"contentBlockIndex"_s, index}, {u"start"_s, start}}));
        const QString input = QString::fromUtf8(compactInput(use.input));
        for (const QString &fragment : {input.left(input.size() / 2), input.mid(input.size() / 2)})
            frames.append(delta({{u"toolUse"_s, QJsonObject{{u"input"_s, fragment}}}}));
        frames.append(contentBlockStopEvent(index++));
    }
    return frames;
}

QByteArray SimulatorResponses::messageStopEvent(const QString &stopReason)
{
    return event(u"messageStop"_s, QJsonObject{{u"stopReason"_s, stopReason}});
}

QByteArray SimulatorResponses::metadataEvent(const SimulatorReply &reply, qint64 latencyMs)
{
    QJsonObject payload{{u"usage"_s, usageObject(reply)}, {u"metrics"_s, QJsonObject{{u"latencyMs"_s, latencyMs}}}};
    if (!reply.trace.isEmpty())
        payload.insert(u"trace"_s, reply.trace);
    return event(u"metadata"_s, payload);
}

QByteArray SimulatorResponses::throttlingExceptionFrame()
{
    const QJsonObject body{{u"message"_s, u"Too many requests, please wait before trying again."_s}};
    return EventStreamEncoder::encodeException(u"throttlingException"_s, compact(body));
}

} // namespace quarry::bedrock
