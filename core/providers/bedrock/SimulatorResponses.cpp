// Builds the simulator's Bedrock-shaped responses and event-stream frames.
#include "providers/bedrock/SimulatorResponses.h"

#include "providers/bedrock/EventStreamEncoder.h"

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
    return QJsonObject{{u"inputTokens"_s, reply.inputTokens},
                       {u"outputTokens"_s, reply.outputTokens},
                       {u"totalTokens"_s, reply.inputTokens + reply.outputTokens}};
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
    const QJsonObject message{{u"role"_s, u"assistant"_s},
                              {u"content"_s, QJsonArray{QJsonObject{{u"text"_s, reply.text}}}}};
    const QJsonObject body{{u"output"_s, QJsonObject{{u"message"_s, message}}},
                           {u"stopReason"_s, reply.stopReason},
                           {u"usage"_s, usageObject(reply)},
                           {u"metrics"_s, QJsonObject{{u"latencyMs"_s, latencyMs}}}};
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

QByteArray SimulatorResponses::deltaEvent(const QString &text)
{
    return event(u"contentBlockDelta"_s,
                 QJsonObject{{u"contentBlockIndex"_s, 0}, {u"delta"_s, QJsonObject{{u"text"_s, text}}}});
}

QByteArray SimulatorResponses::contentBlockStopEvent()
{
    return event(u"contentBlockStop"_s, QJsonObject{{u"contentBlockIndex"_s, 0}});
}

QByteArray SimulatorResponses::messageStopEvent(const QString &stopReason)
{
    return event(u"messageStop"_s, QJsonObject{{u"stopReason"_s, stopReason}});
}

QByteArray SimulatorResponses::metadataEvent(const SimulatorReply &reply, qint64 latencyMs)
{
    return event(u"metadata"_s, QJsonObject{{u"usage"_s, usageObject(reply)},
                                            {u"metrics"_s, QJsonObject{{u"latencyMs"_s, latencyMs}}}});
}

QByteArray SimulatorResponses::throttlingExceptionFrame()
{
    const QJsonObject body{{u"message"_s, u"Too many requests, please wait before trying again."_s}};
    return EventStreamEncoder::encodeException(u"throttlingException"_s, compact(body));
}

} // namespace quarry::bedrock
