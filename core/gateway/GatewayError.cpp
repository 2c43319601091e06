// Gateway-originated error responses.
#include "gateway/GatewayError.h"

#include "providers/bedrock/anthropic/AnthropicErrors.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

QByteArray GatewayError::toJson() const
{
    const QJsonObject error{{u"message"_s, message}, {u"type"_s, type}, {u"code"_s, code}};
    return QJsonDocument(QJsonObject{{u"error"_s, error}}).toJson(QJsonDocument::Compact);
}

QByteArray GatewayError::toAnthropicJson() const
{
    return bedrock::AnthropicError{status, bedrock::AnthropicError::typeForStatus(status), message}.toJson();
}

GatewayError GatewayError::badRequest(const QString &code, const QString &message)
{
    return {400, u"invalid_request_error"_s, code, message};
}

// Any local process or web page can reach the gateway: the client gets the short message, the
// details (stderr of credential_process, paths under ~/.aws) stay in the log and the window.
GatewayError GatewayError::unusableCredentials(const BedrockCredentials &credentials)
{
    const int status = credentials.problemStatus();
    return {status, status == 401 ? u"authentication_error"_s : u"api_error"_s,
            credentials.problemCode.isEmpty() ? u"missing_credentials"_s : credentials.problemCode,
            credentials.clientProblem.isEmpty() ? credentials.problem : credentials.clientProblem};
}

} // namespace quarry::gateway
