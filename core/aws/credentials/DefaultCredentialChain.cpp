// DefaultCredentialChain: decides which provider applies, then lets it resolve.
#include "aws/credentials/DefaultCredentialChain.h"

#include "aws/credentials/AwsConfigFiles.h"
#include "aws/credentials/EnvironmentProvider.h"
#include "aws/credentials/ProfileProviderFactory.h"
#include "aws/credentials/StsClient.h"
#include "aws/credentials/WebIdentityProvider.h"

using namespace Qt::StringLiterals;

namespace quarry::aws {

namespace {

using Made = Result<std::unique_ptr<CredentialProvider>>;

const QString kNothingFound =
    u"no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_BEARER_TOKEN_BEDROCK, "
    "configure a profile (`aws configure`, `aws configure sso` then `aws sso login`), or name a profile with "
    "the quarry.dev/aws-profile annotation (container and instance-metadata credentials are not used)"_s;

} // namespace

DefaultCredentialChain::DefaultCredentialChain(CredentialContext context, QString explicitProfile)
    : m_context(std::move(context)), m_explicitProfile(std::move(explicitProfile))
{}

Made DefaultCredentialChain::environmentWebIdentity() const
{
    const QProcessEnvironment &env = m_context.environment;
    const QString tokenFile = env.value(u"AWS_WEB_IDENTITY_TOKEN_FILE"_s);
    const QString roleArn = env.value(u"AWS_ROLE_ARN"_s);
    if (tokenFile.isEmpty() || roleArn.isEmpty())
        return Made::failure(kNothingFound);
    QString sessionName = env.value(u"AWS_ROLE_SESSION_NAME"_s);
    if (sessionName.isEmpty())
        sessionName = u"quarry-session-%1"_s.arg(m_context.now().toSecsSinceEpoch());
    const QString region = env.value(u"AWS_REGION"_s, env.value(u"AWS_DEFAULT_REGION"_s));
    return Made(std::make_unique<WebIdentityProvider>(QString(), m_context.expandHome(tokenFile),
                                                      AssumeRoleParameters{roleArn, sessionName, {}, 0},
                                                      StsClient(m_context, region)));
}

Made DefaultCredentialChain::select() const
{
    const QProcessEnvironment &env = m_context.environment;
    if (m_explicitProfile.isEmpty() && EnvironmentProvider::isConfigured(env))
        return Made(std::make_unique<EnvironmentProvider>(env));
    const Result<AwsConfigFiles> files = AwsConfigFiles::load(m_context);
    if (!files)
        return Made::failure(u"AWS shared config: "_s + files.error());
    const bool named = !m_explicitProfile.isEmpty() || !env.value(u"AWS_PROFILE"_s).isEmpty() ||
                       !env.value(u"AWS_DEFAULT_PROFILE"_s).isEmpty();
    const QString name =
        m_explicitProfile.isEmpty() ? AwsConfigFiles::selectedProfile(env) : m_explicitProfile;
    const std::optional<AwsProfile> profile = files->profile(name);
    // A profile someone named must work; an absent or credential-less "default" lets the chain go on.
    if (named || (profile && ProfileProviderFactory::hasCredentialSettings(*profile)))
        return ProfileProviderFactory(*files, m_context).create(name);
    return environmentWebIdentity();
}

void DefaultCredentialChain::resolve(Callback done)
{
    Made selected = select();
    if (!selected)
        return done(Result<ResolvedCredentials>::failure(selected.error()));
    // Shared and captured so the provider lives until its answer arrives.
    std::shared_ptr<CredentialProvider> provider = std::move(*selected);
    provider->resolve(
        [provider, done = std::move(done)](Result<ResolvedCredentials> result) { done(std::move(result)); });
}

} // namespace quarry::aws
