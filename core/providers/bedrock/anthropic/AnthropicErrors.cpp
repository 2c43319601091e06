// Anthropic error bodies and SSE error events from Bedrock errors and Quarry's own refusals.
#include "providers/bedrock/anthropic/AnthropicErrors.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

QByteArray AnthropicError::toJson() const
{
    const QJsonObject error{{u"type"_s, type}, {u"message"_s, message}};
    return QJsonDocument(QJsonObject{{u"type"_s, u"error"_s}, {u"error"_s, error}})
        .toJson(QJsonDocument::Compact);
}

QByteArray AnthropicError::toSse() const
{
    return "event: error\ndata: "_ba + toJson() + "\n\n"_ba;
}

QString AnthropicError::typeForStatus(int status)
{
    switch (status) {
    case 400:
        return u"invalid_request_error"_s;
    case 401:
        return u"authentication_error"_s;
    case 403:
        return u"permission_error"_s;
    case 404:
        return u"not_found_error"_s;
    case 413:
        return u"request_too_large"_s;
    case 429:
        return u"rate_limit_error"_s;
    case 503:
    case 529:
        return u"overloaded_error"_s;
    default:
        break;
    }
    // 408 (ModelTimeout) and 424 (ModelError) are Bedrock's side failing, not the client's.
    if (status >= 400 && status < 500 && status != 408 && status != 424)
        return u"invalid_request_error"_s;
    return u"api_error"_s;
}

AnthropicError AnthropicError::fromClientError(const ClientError &error)
{
    return AnthropicError{error.status, typeForStatus(error.status), error.message};
}

AnthropicError AnthropicError::fromBedrock(int httpStatus, const QByteArray &errorTypeHeader,
                                           const QByteArray &body)
{
    return fromClientError(mapBedrockError(httpStatus, errorTypeHeader, body));
}

AnthropicError AnthropicError::invalidRequest(QString message)
{
    return AnthropicError{400, u"invalid_request_error"_s, std::move(message)};
}

} // namespace quarry::bedrock
