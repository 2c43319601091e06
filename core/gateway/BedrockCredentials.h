// The credentials one backend signs its Bedrock calls with, and where they came from.
#pragma once

#include "aws/AwsCredentials.h"

#include <QDateTime>
#include <QString>

namespace quarry::gateway {

struct BedrockCredentials
{
    enum class Kind { Missing, SigV4, BearerToken };

    Kind kind = Kind::Missing;
    aws::AwsCredentials aws;  // Kind::SigV4
    QString bearerToken;      // Kind::BearerToken (a Bedrock API key)
    QString source;           // "secret default/bedrock-secret", "environment", ... never a value
    QDateTime expiration;     // temporary credentials: when they stop working; invalid = never
    QString problem;          // Kind::Missing: what is wrong and what to do, shown to the client

    bool usable() const { return kind != Kind::Missing; }
};

} // namespace quarry::gateway
