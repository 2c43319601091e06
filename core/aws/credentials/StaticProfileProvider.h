// StaticProfileProvider: aws_access_key_id/aws_secret_access_key(/aws_session_token) stored in a profile.
#pragma once

#include "aws/credentials/AwsProfile.h"
#include "aws/credentials/CredentialProvider.h"

namespace quarry::aws {

class StaticProfileProvider final : public CredentialProvider
{
public:
    explicit StaticProfileProvider(AwsProfile profile);

    static bool hasStaticKeys(const AwsProfile &profile);

    // Synchronous underneath; `done` is called before resolve() returns.
    void resolve(Callback done) override;
    Result<ResolvedCredentials> resolveNow() const;

private:
    AwsProfile m_profile;
};

} // namespace quarry::aws
