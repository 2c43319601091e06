// ProfileProviderFactory: picks the credential provider a profile describes, following source_profile chains.
#pragma once

#include "aws/credentials/AwsConfigFiles.h"
#include "aws/credentials/CredentialContext.h"
#include "aws/credentials/CredentialProvider.h"

#include <memory>

namespace quarry::aws {

class ProfileProviderFactory
{
public:
    ProfileProviderFactory(AwsConfigFiles files, CredentialContext context);

    // Whether the profile has any setting that yields credentials (a profile with only `region`
    // does not, and the default chain then moves on).
    static bool hasCredentialSettings(const AwsProfile &profile);

    // In order: role_arn + source_profile/credential_source (AssumeRole), role_arn +
    // web_identity_token_file, sso_session/sso_start_url, credential_process, static keys.
    Result<std::unique_ptr<CredentialProvider>> create(const QString &profileName) const;

private:
    using Made = Result<std::unique_ptr<CredentialProvider>>;

    Made create(const QString &profileName, QStringList visited) const;
    Made assumeRole(const AwsProfile &profile, const QStringList &visited) const;
    Made roleSource(const AwsProfile &profile, const QStringList &visited, QString *sourceName) const;
    Made webIdentity(const AwsProfile &profile) const;
    Made sso(const AwsProfile &profile) const;
    Result<int> durationSeconds(const AwsProfile &profile) const;
    QString sessionName(const AwsProfile &profile) const;

    AwsConfigFiles m_files;
    CredentialContext m_context;
};

} // namespace quarry::aws
