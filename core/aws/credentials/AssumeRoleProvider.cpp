// AssumeRoleProvider: resolve the source, then one signed AssumeRole call; errors say which step failed.
#include "aws/credentials/AssumeRoleProvider.h"

using namespace Qt::StringLiterals;

namespace quarry::aws {

AssumeRoleProvider::AssumeRoleProvider(QString profileName, AssumeRoleParameters parameters,
                                       std::unique_ptr<CredentialProvider> source, QString sourceName,
                                       StsClient sts)
    : m_profileName(std::move(profileName)), m_parameters(std::move(parameters)), m_source(std::move(source)),
      m_sourceName(std::move(sourceName)), m_sts(std::move(sts))
{}

void AssumeRoleProvider::resolve(Callback done)
{
    // Only values are captured: the STS reply may arrive after this provider is rebuilt.
    const QString profile = m_profileName;
    const AssumeRoleParameters parameters = m_parameters;
    const QString sourceName = m_sourceName;
    const StsClient sts = m_sts;
    m_source->resolve([=, done = std::move(done)](Result<ResolvedCredentials> source) mutable {
        const QString what = u"profile %1: assuming role %2"_s.arg(profile, parameters.roleArn);
        if (!source)
            return done(Result<ResolvedCredentials>::failure(what + u" needs the credentials of "_s +
                                                             sourceName + u", which failed: "_s +
                                                             source.error()));
        if (source->kind != ResolvedCredentials::SigV4)
            return done(Result<ResolvedCredentials>::failure(what + u" needs access keys from "_s +
                                                             sourceName + u", not a Bedrock API key"_s));
        sts.assumeRole(
            parameters, source->aws, [=, done = std::move(done)](Result<ResolvedCredentials> role) {
                if (!role)
                    return done(Result<ResolvedCredentials>::failure(
                        what + u" via "_s + sourceName + u" failed: "_s + role.error() +
                        u" (check role_arn, the role's trust policy and the source credentials)"_s));
                role->source =
                    u"profile %1 (assume role %2 via %3)"_s.arg(profile, parameters.roleArn, sourceName);
                done(std::move(role));
            });
    });
}

} // namespace quarry::aws
