// One error type for every client API: Bedrock's failures (HTTP or mid-stream) and Quarry's own
// refusals are one value, rendered in the shape of the API the client speaks.
#pragma once

#include <QByteArray>
#include <QString>

namespace quarry::bedrock {

struct ApiError
{
    int status = 500;
    QString type;    // OpenAI's error type: invalid_request_error, rate_limit_error, api_error, ...
    QString code;    // machine-readable: throttling, route_not_found, missing_credentials, ...
    QString message; // says what happened and what to do (Bedrock's own text when it sent one)

    // A client request Quarry refuses before calling Bedrock (bad field, unsupported model, ...).
    static ApiError badRequest(QString code, QString message);

    // OpenAI (chat, Responses, embeddings, models): {"error":{"message","type","param":null,"code"}}.
    QByteArray toOpenAiJson() const;
    // Anthropic Messages: {"type":"error","error":{"type","message"}}; in a stream an "error" event.
    QByteArray toAnthropicJson() const;
    QByteArray toAnthropicSse() const;
    // Native Bedrock clients (AWS SDKs): {"message"} with the exception name in x-amzn-ErrorType.
    QByteArray toBedrockJson() const;
    QByteArray bedrockExceptionName() const;

    // Anthropic's type follows the status (the SDKs pick their exception class from both):
    // 400 invalid_request_error, 401 authentication_error, 403 permission_error, 404 not_found_error,
    // 413 request_too_large, 429 rate_limit_error, 503 and 529 overloaded_error, other 4xx
    // invalid_request_error, anything else api_error.
    QString anthropicType() const;
};

} // namespace quarry::bedrock
