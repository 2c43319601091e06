// WebIdentityProvider: an OIDC token file (EKS IRSA, GitHub Actions, ...) exchanged with STS
// AssumeRoleWithWebIdentity.
#pragma once

#include "aws/credentials/CredentialProvider.h"
#include "aws/credentials/StsClient.h"

namespace quarry::aws {

class WebIdentityProvider final : public CredentialProvider
{
public:
    // `profileName` empty = configured by AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN.
    WebIdentityProvider(QString profileName, QString tokenFile, AssumeRoleParameters parameters,
                        StsClient sts);

    void resolve(Callback done) override;

private:
    QString describe() const;

    QString m_profileName;
    QString m_tokenFile;
    AssumeRoleParameters m_parameters;
    StsClient m_sts;
};

} // namespace quarry::aws
