// AssumeRoleProvider: role_arn profiles — source credentials (another provider) exchanged with STS
// AssumeRole.
#pragma once

#include "aws/credentials/CredentialProvider.h"
#include "aws/credentials/StsClient.h"

#include <memory>

namespace quarry::aws {

class AssumeRoleProvider final : public CredentialProvider
{
public:
    // `sourceName` says where the source credentials come from, for messages: "profile dev",
    // "environment". Chained roles are an AssumeRoleProvider whose source is another one.
    AssumeRoleProvider(QString profileName, AssumeRoleParameters parameters,
                       std::unique_ptr<CredentialProvider> source, QString sourceName, StsClient sts);

    void resolve(Callback done) override;

private:
    QString m_profileName;
    AssumeRoleParameters m_parameters;
    std::unique_ptr<CredentialProvider> m_source;
    QString m_sourceName;
    StsClient m_sts;
};

} // namespace quarry::aws
