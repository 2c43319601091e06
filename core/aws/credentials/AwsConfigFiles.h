// AwsConfigFiles: ~/.aws/config and ~/.aws/credentials as the AWS CLI reads them (profiles, sso-sessions,
// region).
#pragma once

#include "aws/credentials/AwsProfile.h"
#include "aws/credentials/CredentialContext.h"
#include "util/Result.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace quarry::aws {

class AwsConfigFiles
{
public:
    // Reads AWS_CONFIG_FILE (default ~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (default
    // ~/.aws/credentials). A missing file is empty; an unreadable or malformed one is an error
    // naming the file.
    static Result<AwsConfigFiles> load(const CredentialContext &context);
    // From file contents; `configText` uses "[profile x]" sections, `credentialsText` uses "[x]".
    static Result<AwsConfigFiles> fromText(const QByteArray &configText, const QByteArray &credentialsText);

    // AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
    static QString selectedProfile(const QProcessEnvironment &environment);

    // The profile with credentials-file values winning over config-file values.
    std::optional<AwsProfile> profile(const QString &name) const;
    std::optional<AwsProfile> ssoSession(const QString &name) const;
    QStringList profileNames() const; // sorted

    // AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region`; empty when none is set.
    QString region(const QString &profileName, const QProcessEnvironment &environment) const;

    QString configPath() const { return m_configPath; }
    QString credentialsPath() const { return m_credentialsPath; }

private:
    Status addConfig(const QByteArray &text);
    Status addCredentials(const QByteArray &text);

    QHash<QString, AwsProfile> m_profiles;
    QHash<QString, AwsProfile> m_ssoSessions;
    QString m_configPath;
    QString m_credentialsPath;
};

} // namespace quarry::aws
