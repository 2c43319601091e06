// ProfileProviderFactory: the profile-resolution rules of the AWS CLI, one small function per source kind.
#include "aws/credentials/ProfileProviderFactory.h"

#include "aws/credentials/AssumeRoleProvider.h"
#include "aws/credentials/CredentialProcessProvider.h"
#include "aws/credentials/EnvironmentProvider.h"
#include "aws/credentials/SsoProvider.h"
#include "aws/credentials/StaticProfileProvider.h"
#include "aws/credentials/WebIdentityProvider.h"

using namespace Qt::StringLiterals;

namespace quarry::aws {

namespace {

using Made = Result<std::unique_ptr<CredentialProvider>>;

Made fail(const QString &message)
{
    return Made::failure(message);
}

template <typename T, typename... Args> Made make(Args &&...args)
{
    return Made(std::unique_ptr<CredentialProvider>(std::make_unique<T>(std::forward<Args>(args)...)));
}

} // namespace

ProfileProviderFactory::ProfileProviderFactory(AwsConfigFiles files, CredentialContext context)
    : m_files(std::move(files)), m_context(std::move(context))
{}

bool ProfileProviderFactory::hasCredentialSettings(const AwsProfile &profile)
{
    for (const QString &key : {u"role_arn"_s, u"sso_session"_s, u"sso_start_url"_s, u"credential_process"_s,
                               u"aws_access_key_id"_s, u"aws_secret_access_key"_s}) {
        if (profile.has(key))
            return true;
    }
    return false;
}

Made ProfileProviderFactory::create(const QString &profileName) const
{
    return create(profileName, {});
}

Made ProfileProviderFactory::create(const QString &name, QStringList visited) const
{
    const std::optional<AwsProfile> profile = m_files.profile(name);
    if (!profile)
        return fail(u"profile %1 is not in %2 or %3 (run `aws configure --profile %1`)"_s.arg(
            name, m_files.configPath(), m_files.credentialsPath()));
    if (visited.contains(name))
        return fail(
            u"profile %1: source_profile chain loops (%2)"_s.arg(name, (visited << name).join(u" -> "_s)));
    visited << name;
    if (profile->has(u"role_arn"_s) &&
        (profile->has(u"source_profile"_s) || profile->has(u"credential_source"_s)))
        return assumeRole(*profile, visited);
    if (profile->has(u"role_arn"_s) && profile->has(u"web_identity_token_file"_s))
        return webIdentity(*profile);
    if (profile->has(u"sso_session"_s) || profile->has(u"sso_start_url"_s))
        return sso(*profile);
    if (profile->has(u"credential_process"_s))
        return make<CredentialProcessProvider>(name, profile->value(u"credential_process"_s), m_context);
    if (StaticProfileProvider::hasStaticKeys(*profile))
        return make<StaticProfileProvider>(*profile);
    if (profile->has(u"role_arn"_s))
        return fail(
            u"profile %1: role_arn needs source_profile, credential_source or web_identity_token_file"_s.arg(
                name));
    return fail(
        u"profile %1 has no credentials: add aws_access_key_id/aws_secret_access_key, sso_session, "
        "role_arn or credential_process (`aws configure --profile %1` or `aws configure sso`)"_s.arg(name));
}

Made ProfileProviderFactory::roleSource(const AwsProfile &profile, const QStringList &visited,
                                        QString *sourceName) const
{
    const QString source = profile.value(u"source_profile"_s);
    if (source.isEmpty()) {
        const QString credentialSource = profile.value(u"credential_source"_s);
        if (credentialSource != u"Environment"_s)
            return fail(u"profile %1: credential_source %2 is not supported by Quarry (only Environment; "
                        "container and instance-metadata credentials are out of scope)"_s.arg(
                            profile.name, credentialSource));
        *sourceName = u"environment"_s;
        return make<EnvironmentProvider>(m_context.environment, EnvironmentProvider::Accept::KeysOnly);
    }
    *sourceName = u"profile "_s + source;
    // A profile that names itself as source uses its own static keys (as botocore does).
    if (source == profile.name && StaticProfileProvider::hasStaticKeys(profile))
        return make<StaticProfileProvider>(profile);
    return create(source, visited);
}

Made ProfileProviderFactory::assumeRole(const AwsProfile &profile, const QStringList &visited) const
{
    if (profile.has(u"mfa_serial"_s))
        return fail(u"profile %1 requires an MFA code (mfa_serial), which Quarry cannot prompt for: use a "
                    "credential_process helper such as aws-vault instead"_s.arg(profile.name));
    const Result<int> duration = durationSeconds(profile);
    if (!duration)
        return fail(duration.error());
    QString sourceName;
    Made source = roleSource(profile, visited, &sourceName);
    if (!source)
        return source;
    AssumeRoleParameters parameters{profile.value(u"role_arn"_s), sessionName(profile),
                                    profile.value(u"external_id"_s), *duration};
    return make<AssumeRoleProvider>(
        profile.name, std::move(parameters), std::move(*source), sourceName,
        StsClient(m_context, m_files.region(profile.name, m_context.environment)));
}

Made ProfileProviderFactory::webIdentity(const AwsProfile &profile) const
{
    const Result<int> duration = durationSeconds(profile);
    if (!duration)
        return fail(duration.error());
    AssumeRoleParameters parameters{profile.value(u"role_arn"_s), sessionName(profile), QString(), *duration};
    return make<WebIdentityProvider>(
        profile.name, m_context.expandHome(profile.value(u"web_identity_token_file"_s)),
        std::move(parameters), StsClient(m_context, m_files.region(profile.name, m_context.environment)));
}

Made ProfileProviderFactory::sso(const AwsProfile &profile) const
{
    SsoParameters parameters{profile.value(u"sso_start_url"_s), profile.value(u"sso_region"_s),
                             profile.value(u"sso_account_id"_s), profile.value(u"sso_role_name"_s),
                             profile.value(u"sso_start_url"_s)};
    if (const QString sessionName = profile.value(u"sso_session"_s); !sessionName.isEmpty()) {
        const std::optional<AwsProfile> session = m_files.ssoSession(sessionName);
        if (!session)
            return fail(u"profile %1: sso_session %2 has no [sso-session %2] section in %3"_s.arg(
                profile.name, sessionName, m_files.configPath()));
        parameters.startUrl = session->value(u"sso_start_url"_s);
        parameters.ssoRegion = session->value(u"sso_region"_s);
        parameters.cacheKey = sessionName;
    }
    if (parameters.startUrl.isEmpty() || parameters.ssoRegion.isEmpty() || parameters.accountId.isEmpty() ||
        parameters.roleName.isEmpty())
        return fail(u"profile %1: SSO needs sso_start_url, sso_region, sso_account_id and sso_role_name "
                    "(run `aws configure sso --profile %1`)"_s.arg(profile.name));
    return make<SsoProvider>(profile.name, std::move(parameters), m_context);
}

Result<int> ProfileProviderFactory::durationSeconds(const AwsProfile &profile) const
{
    if (!profile.has(u"duration_seconds"_s))
        return 0;
    bool ok = false;
    const int seconds = profile.value(u"duration_seconds"_s).toInt(&ok);
    if (!ok || seconds < 900 || seconds > 43200)
        return Result<int>::failure(
            u"profile %1: duration_seconds must be a whole number from 900 to 43200"_s.arg(profile.name));
    return seconds;
}

QString ProfileProviderFactory::sessionName(const AwsProfile &profile) const
{
    const QString configured = profile.value(u"role_session_name"_s);
    if (!configured.isEmpty())
        return configured;
    return u"quarry-session-%1"_s.arg(m_context.now().toSecsSinceEpoch());
}

} // namespace quarry::aws
