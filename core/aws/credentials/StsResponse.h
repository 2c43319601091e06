// StsResponse: the XML answers of STS AssumeRole / AssumeRoleWithWebIdentity, as typed credentials or an
// error.
#pragma once

#include "aws/credentials/ResolvedCredentials.h"
#include "util/Result.h"

#include <QByteArray>

namespace quarry::aws {

class StsResponse
{
public:
    // Success: <Credentials><AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/></Credentials>.
    // Failure: "STS <Code>: <Message>" from <Error>, or the HTTP status when the body is not STS XML.
    // `source` is left empty for the caller.
    static Result<ResolvedCredentials> parse(int httpStatus, const QByteArray &body);
};

} // namespace quarry::aws
