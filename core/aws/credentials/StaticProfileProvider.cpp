// StaticProfileProvider: long-term (or pasted temporary) keys written in the shared files.
#include "aws/credentials/StaticProfileProvider.h"

using namespace Qt::StringLiterals;

namespace quarry::aws {

StaticProfileProvider::StaticProfileProvider(AwsProfile profile) : m_profile(std::move(profile)) {}

bool StaticProfileProvider::hasStaticKeys(const AwsProfile &profile)
{
    return profile.has(u"aws_access_key_id"_s) || profile.has(u"aws_secret_access_key"_s);
}

Result<ResolvedCredentials> StaticProfileProvider::resolveNow() const
{
    ResolvedCredentials resolved;
    resolved.aws.accessKeyId = m_profile.value(u"aws_access_key_id"_s);
    resolved.aws.secretAccessKey = m_profile.value(u"aws_secret_access_key"_s);
    resolved.aws.sessionToken = m_profile.value(u"aws_session_token"_s);
    if (!resolved.aws.isComplete())
        return Result<ResolvedCredentials>::failure(
            u"profile %1: aws_access_key_id and aws_secret_access_key must both be set "
            "(run `aws configure --profile %1`)"_s.arg(m_profile.name));
    resolved.source = u"profile %1 (static keys)"_s.arg(m_profile.name);
    return resolved;
}

void StaticProfileProvider::resolve(Callback done)
{
    done(resolveNow());
}

} // namespace quarry::aws
