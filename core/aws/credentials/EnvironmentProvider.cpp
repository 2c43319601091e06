// EnvironmentProvider: reads credentials from the process environment, as every AWS SDK does first.
#include "aws/credentials/EnvironmentProvider.h"

using namespace Qt::StringLiterals;

namespace quarry::aws {

EnvironmentProvider::EnvironmentProvider(QProcessEnvironment environment, Accept accept)
    : m_environment(std::move(environment)), m_accept(accept)
{}

bool EnvironmentProvider::isConfigured(const QProcessEnvironment &environment, Accept accept)
{
    if (accept == Accept::KeysOrBearer && !environment.value(u"AWS_BEARER_TOKEN_BEDROCK"_s).isEmpty())
        return true;
    return !environment.value(u"AWS_ACCESS_KEY_ID"_s).isEmpty() ||
           !environment.value(u"AWS_SECRET_ACCESS_KEY"_s).isEmpty();
}

Result<ResolvedCredentials> EnvironmentProvider::resolveNow() const
{
    ResolvedCredentials resolved;
    // The Bedrock API key wins: the AWS SDKs prefer it for Bedrock when it is set.
    const QString bearer = m_environment.value(u"AWS_BEARER_TOKEN_BEDROCK"_s).trimmed();
    if (m_accept == Accept::KeysOrBearer && !bearer.isEmpty()) {
        resolved.kind = ResolvedCredentials::BearerToken;
        resolved.bearerToken = bearer;
        resolved.source = u"environment (AWS_BEARER_TOKEN_BEDROCK)"_s;
        return resolved;
    }
    resolved.aws.accessKeyId = m_environment.value(u"AWS_ACCESS_KEY_ID"_s).trimmed();
    resolved.aws.secretAccessKey = m_environment.value(u"AWS_SECRET_ACCESS_KEY"_s).trimmed();
    resolved.aws.sessionToken = m_environment.value(u"AWS_SESSION_TOKEN"_s).trimmed();
    if (resolved.aws.accessKeyId.isEmpty() && resolved.aws.secretAccessKey.isEmpty())
        return Result<ResolvedCredentials>::failure(
            u"environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"_s);
    if (!resolved.aws.isComplete())
        return Result<ResolvedCredentials>::failure(
            u"environment: only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; set both"_s);
    resolved.source = u"environment"_s;
    return resolved;
}

void EnvironmentProvider::resolve(Callback done)
{
    done(resolveNow());
}

} // namespace quarry::aws
