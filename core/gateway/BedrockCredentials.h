// The credentials one backend signs its Bedrock calls with, and where they came from.
#pragma once

#include "aws/AwsCredentials.h"
#include "providers/bedrock/converse/ApiError.h"

#include <QDateTime>
#include <QString>

namespace quarry::gateway {

struct BedrockCredentials
{
    // Missing: nothing usable (the client gets 401). Waiting: the keychain or a credential chain has
    // not answered yet, or not in time (503: the request may well work a moment later).
    enum class Kind { Missing, Waiting, SigV4, BearerToken };

    Kind kind = Kind::Missing;
    aws::AwsCredentials aws;  // Kind::SigV4
    QString bearerToken;      // Kind::BearerToken (a Bedrock API key)
    QString source;           // "secret default/bedrock-secret", "environment", ... never a value
    QDateTime expiration;     // temporary credentials: when they stop working; invalid = never
    QString problem;          // Missing/Waiting: what is wrong and what to do, shown to the client
    QString problemCode;      // Missing/Waiting: the error code the client gets (missing_credentials, ...)
    // What the client is told instead of `problem` when that holds local detail (credential_process
    // stderr, file paths) meant for Quarry's log and window only; empty: `problem` is fine to send.
    QString clientProblem;

    bool usable() const { return kind == Kind::SigV4 || kind == Kind::BearerToken; }
    int problemStatus() const { return kind == Kind::Waiting ? 503 : 401; }

    // Why these credentials cannot be used, as the client is told: 401 when there are none, 503
    // while the keychain or a credential chain has not answered. Any local process or web page can
    // reach the gateway, so it carries the short message; the details stay in the log and window.
    bedrock::ApiError clientError() const
    {
        const int status = problemStatus();
        return {status, status == 401 ? QStringLiteral("authentication_error") : QStringLiteral("api_error"),
                problemCode.isEmpty() ? QStringLiteral("missing_credentials") : problemCode,
                clientProblem.isEmpty() ? problem : clientProblem};
    }
};

} // namespace quarry::gateway
