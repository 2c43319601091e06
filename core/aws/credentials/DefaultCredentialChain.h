// DefaultCredentialChain: the AWS SDK default credential chain (environment, profile, environment web
// identity).
#pragma once

#include "aws/credentials/CredentialContext.h"
#include "aws/credentials/CredentialProvider.h"

#include <memory>

namespace quarry::aws {

// Container (ECS/EKS Pod Identity) and EC2 instance-metadata providers are out of scope: Quarry
// is a desktop app. Files are re-read on every resolve(), so wrap the chain in a
// CachingCredentialProvider.
class DefaultCredentialChain final : public CredentialProvider
{
public:
    // `explicitProfile` (the backend annotation quarry.dev/aws-profile) starts the chain at that
    // profile and skips the environment; empty = the SDK order with AWS_PROFILE or "default".
    explicit DefaultCredentialChain(CredentialContext context, QString explicitProfile = {});

    void resolve(Callback done) override;

    // The provider resolve() would use now, or why there is none.
    Result<std::unique_ptr<CredentialProvider>> select() const;

private:
    Result<std::unique_ptr<CredentialProvider>> environmentWebIdentity() const;

    CredentialContext m_context;
    QString m_explicitProfile;
};

} // namespace quarry::aws
