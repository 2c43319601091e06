// Maps Bedrock errors (HTTP responses and mid-stream exception frames) to ApiErrors.
#pragma once

#include "providers/bedrock/converse/ApiError.h"

#include <QByteArray>

namespace quarry::bedrock {

// Maps a non-2xx Bedrock response. The exception name comes from the x-amzn-ErrorType header
// ("ThrottlingException:http://internal...") or else the body's "__type"; the message from the
// body's "message" or "Message". The upstream status is kept when it is an error status.
// code is the exception name without the "Exception" suffix in snake_case
// (ThrottlingException -> "throttling", ServiceQuotaExceededException -> "service_quota_exceeded").
ApiError mapBedrockError(int httpStatus, const QByteArray &errorTypeHeader, const QByteArray &body);

// Maps an exception frame from ConverseStream (":exception-type" e.g. "throttlingException").
// No HTTP status exists mid-stream, so status is the one Bedrock uses for that exception.
ApiError mapStreamException(const QString &exceptionType, const QByteArray &payload);

} // namespace quarry::bedrock
