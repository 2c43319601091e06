// Errors the gateway itself answers with (no route, no credentials, upstream unreachable...),
// in the OpenAI error shape every client SDK understands.
#pragma once

#include "gateway/BedrockCredentials.h"

#include <QByteArray>
#include <QString>

namespace quarry::gateway {

struct GatewayError
{
    int status = 500;
    QString type;    // OpenAI error type: invalid_request_error, authentication_error, ...
    QString code;    // machine-readable: route_not_found, missing_credentials, ...
    QString message; // says what happened and what to do

    QByteArray toJson() const;          // OpenAI's shape: {"error":{"message","type","code"}}
    QByteArray toAnthropicJson() const; // Anthropic's: {"type":"error","error":{"type","message"}}

    static GatewayError badRequest(const QString &code, const QString &message);
    // Why a backend cannot be called: 401 when it has no credentials, 503 while the keychain or a
    // credential chain has not answered.
    static GatewayError unusableCredentials(const BedrockCredentials &credentials);
};

} // namespace quarry::gateway
