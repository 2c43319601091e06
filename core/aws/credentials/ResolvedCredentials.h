// ResolvedCredentials: what a credential source produced — SigV4 keys or a Bedrock API key — and where from.
#pragma once

#include "aws/AwsCredentials.h"

#include <QDateTime>
#include <QString>

namespace quarry::aws {

// Holds secrets: only `kind`, `expiration` and `source` may be logged or shown.
struct ResolvedCredentials
{
    enum Kind { SigV4, BearerToken };

    Kind kind = SigV4;
    AwsCredentials aws;   // when kind == SigV4
    QString bearerToken;  // when kind == BearerToken (AWS_BEARER_TOKEN_BEDROCK)
    QDateTime expiration; // invalid = never expires
    // Where they came from, e.g. "profile dev (SSO)"; names only, never values.
    QString source;

    bool expires() const { return expiration.isValid(); }
};

} // namespace quarry::aws
