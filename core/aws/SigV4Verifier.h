// SigV4Verifier: checks a SigV4-signed request the way AWS does, with AWS's error types and messages.
#pragma once

#include "aws/SignableRequest.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <optional>

namespace quarry::aws {

struct VerifyResult
{
    bool ok = false;
    int httpStatus = 403;
    QString errorType; // e.g. "InvalidSignatureException"; empty when ok
    QString message;
    QString accessKeyId; // from the Credential scope, when it could be parsed
};

// Used by the built-in Bedrock simulator to check what Quarry sends, like AWS does.
class SigV4Verifier
{
public:
    using SecretLookup = std::function<std::optional<QString>(const QString &accessKeyId)>;

    // Allowed difference between the request's X-Amz-Date and now, as AWS allows.
    static constexpr qint64 kMaxClockSkewSeconds = 5 * 60;

    static VerifyResult verify(const SignableRequest &received, const SecretLookup &lookup,
                               const QDateTime &now, const QString &expectedService);
};

} // namespace quarry::aws
