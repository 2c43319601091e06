// Rendering one ApiError in each client API's shape.
#include "providers/bedrock/converse/ApiError.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

ApiError ApiError::badRequest(QString code, QString message)
{
    return {400, u"invalid_request_error"_s, std::move(code), std::move(message)};
}

QByteArray ApiError::toOpenAiJson() const
{
    const QJsonObject error{
        {u"message"_s, message}, {u"type"_s, type}, {u"param"_s, QJsonValue::Null}, {u"code"_s, code}};
    return compact({{u"error"_s, error}});
}

QByteArray ApiError::toAnthropicJson() const
{
    const QJsonObject error{{u"type"_s, anthropicType()}, {u"message"_s, message}};
    return compact({{u"type"_s, u"error"_s}, {u"error"_s, error}});
}

QByteArray ApiError::toAnthropicSse() const
{
    return "event: error\ndata: "_ba + toAnthropicJson() + "\n\n"_ba;
}

QByteArray ApiError::toBedrockJson() const
{
    return compact({{u"message"_s, message}});
}

QByteArray ApiError::bedrockExceptionName() const
{
    switch (status) {
    case 400:
        return "ValidationException";
    case 401:
        return "UnrecognizedClientException";
    case 403:
        return "AccessDeniedException";
    case 404:
        return "ResourceNotFoundException";
    case 429:
        return "ThrottlingException";
    case 502:
    case 503:
        return "ServiceUnavailableException";
    case 504:
        return "ModelTimeoutException";
    default:
        return "InternalServerException";
    }
}

QString ApiError::anthropicType() const
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

} // namespace quarry::bedrock
