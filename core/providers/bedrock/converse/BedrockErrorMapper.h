// Maps Bedrock errors (HTTP responses and mid-stream exception frames) to OpenAI-shaped errors.
#pragma once

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

// An error as the client sees it: {"error":{"message","type","param":null,"code"}}.
struct ClientError
{
    int status = 500;
    QString type;    // OpenAI error type: rate_limit_error, permission_error, ...
    QString code;    // see mapBedrockError
    QString message; // Bedrock's own message text, unprefixed

    QByteArray toOpenAiJson() const;
};

// Maps a non-2xx Bedrock response. The exception name comes from the x-amzn-ErrorType header
// ("ThrottlingException:http://internal...") or else the body's "__type"; the message from the
// body's "message" or "Message". The upstream status is kept when it is an error status.
// code is the exception name without the "Exception" suffix in snake_case
// (ThrottlingException -> "throttling", ServiceQuotaExceededException -> "service_quota_exceeded").
ClientError mapBedrockError(int httpStatus, const QByteArray &errorTypeHeader, const QByteArray &body);

// Maps an exception frame from ConverseStream (":exception-type" e.g. "throttlingException").
// No HTTP status exists mid-stream, so status is the one Bedrock uses for that exception.
ClientError mapStreamException(const QString &exceptionType, const QByteArray &payload);

// An error Quarry itself raises (no route, no credentials, upstream unreachable, ...).
ClientError gatewayError(int status, QString type, QString code, QString message);

} // namespace quarry::bedrock
