// Errors in the Anthropic Messages API's shape: {"type":"error","error":{"type","message"}}.
#pragma once

#include "providers/bedrock/converse/BedrockErrorMapper.h"

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

// An error as an Anthropic client sees it. The SDKs pick their exception class from the HTTP
// status and show error.type/error.message; in a stream they raise on an "error" event.
struct AnthropicError
{
    int status = 500;
    QString type;    // invalid_request_error, authentication_error, permission_error, ...
    QString message; // Bedrock's own text, or Quarry's

    QByteArray toJson() const; // {"type":"error","error":{"type":..,"message":..}}
    QByteArray toSse() const;  // "event: error\ndata: <toJson()>\n\n"

    // Anthropic's type for an HTTP status: 400 invalid_request_error, 401 authentication_error,
    // 403 permission_error, 404 not_found_error, 413 request_too_large, 429 rate_limit_error,
    // 503 and 529 overloaded_error (Bedrock's ServiceUnavailable is Anthropic's "overloaded"),
    // other 4xx invalid_request_error, anything else api_error.
    static QString typeForStatus(int status);

    // From the gateway's mapped Bedrock error (HTTP response or stream exception); the status is
    // kept, the type follows it.
    static AnthropicError fromClientError(const ClientError &error);
    // A non-2xx Bedrock response (see mapBedrockError).
    static AnthropicError fromBedrock(int httpStatus, const QByteArray &errorTypeHeader,
                                      const QByteArray &body);
    // A client request Quarry refuses before calling Bedrock (bad field, unsupported model, ...).
    static AnthropicError invalidRequest(QString message);
};

} // namespace quarry::bedrock
