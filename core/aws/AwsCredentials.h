// AwsCredentials: an access key pair (plus optional STS session token) used to sign requests.
#pragma once

#include <QString>

namespace quarry::aws {

// Holds secrets: never log or print secretAccessKey or sessionToken.
struct AwsCredentials
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; // empty for long-term keys

    bool isComplete() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
};

} // namespace quarry::aws
