// StsClient: the two STS calls the credential chain needs, AssumeRole (SigV4) and AssumeRoleWithWebIdentity
// (unsigned).
#pragma once

#include "aws/AwsCredentials.h"
#include "aws/credentials/CredentialContext.h"
#include "aws/credentials/CredentialProvider.h"

#include <QUrl>

namespace quarry::aws {

struct AssumeRoleParameters
{
    QString roleArn;
    QString sessionName;
    QString externalId;      // empty = not sent
    int durationSeconds = 0; // 0 = not sent (STS default, one hour)
};

class StsClient
{
public:
    // `region` empty = the global endpoint (sts.amazonaws.com, signed for us-east-1); otherwise
    // the regional endpoint, as current AWS SDKs default to. Endpoint overrides come from the context.
    StsClient(CredentialContext context, QString region);

    QUrl endpoint() const;
    QString signingRegion() const;

    // Results carry no `source`; the caller names it.
    void assumeRole(const AssumeRoleParameters &parameters, const AwsCredentials &sourceCredentials,
                    CredentialProvider::Callback done) const;
    void assumeRoleWithWebIdentity(const AssumeRoleParameters &parameters, const QByteArray &webIdentityToken,
                                   CredentialProvider::Callback done) const;

    // Form body, exactly as sent (fields percent-encoded, in STS's documented order).
    static QByteArray assumeRoleBody(const AssumeRoleParameters &parameters);
    static QByteArray webIdentityBody(const AssumeRoleParameters &parameters, const QByteArray &token);

private:
    void post(const QByteArray &body, const AwsCredentials *signWith,
              CredentialProvider::Callback done) const;

    CredentialContext m_context;
    QString m_region;
};

} // namespace quarry::aws
