// Response bodies and headers shaped like Bedrock Runtime's: errors, Converse JSON, stream events.
#pragma once

#include "http/HttpRequest.h"
#include "http/ResponseWriter.h"
#include "simulator/SimulatorReply.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace quarry::bedrock {

class SimulatorResponses
{
public:
    // status, "x-amzn-ErrorType: <type>:http://internal.amazon.com/coral/com.amazon.bedrock/",
    // x-amzn-RequestId and a {"message": ...} body.
    static void sendError(http::ResponseWriter &writer, int status, const QString &errorType,
                          const QString &message);

    static void sendConverse(http::ResponseWriter &writer, const SimulatorReply &reply, qint64 latencyMs);

    // Headers that start a converse-stream response.
    static http::HttpHeaders streamHeaders();

    // Event payloads, each with Bedrock's "p" padding field.
    static QByteArray messageStartEvent();
    static QByteArray deltaEvent(const QString &text, int contentBlockIndex = 0);
    static QByteArray contentBlockStopEvent(int contentBlockIndex = 0);
    // Every frame between messageStart and messageStop, in order: reasoning deltas (text, then
    // signature), the text one word per delta, each toolUse (contentBlockStart, its input in two
    // fragments); a contentBlockStop after each block. Block indexes count from 0.
    static QList<QByteArray> contentFrames(const SimulatorReply &reply);
    static QByteArray messageStopEvent(const QString &stopReason);
    static QByteArray metadataEvent(const SimulatorReply &reply, qint64 latencyMs);
    static QByteArray throttlingExceptionFrame();

    static QByteArray newRequestId();
};

} // namespace quarry::bedrock
