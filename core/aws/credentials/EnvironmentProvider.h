// EnvironmentProvider: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN and
// AWS_BEARER_TOKEN_BEDROCK.
#pragma once

#include "aws/credentials/CredentialProvider.h"

#include <QProcessEnvironment>

namespace quarry::aws {

class EnvironmentProvider final : public CredentialProvider
{
public:
    enum class Accept { KeysOrBearer, KeysOnly };

    // KeysOnly is for `credential_source = Environment`, whose result signs an STS call.
    explicit EnvironmentProvider(QProcessEnvironment environment, Accept accept = Accept::KeysOrBearer);

    // Whether the environment holds anything this provider would use (even partially).
    static bool isConfigured(const QProcessEnvironment &environment, Accept accept = Accept::KeysOrBearer);

    // Synchronous underneath; `done` is called before resolve() returns.
    void resolve(Callback done) override;
    Result<ResolvedCredentials> resolveNow() const;

private:
    QProcessEnvironment m_environment;
    Accept m_accept;
};

} // namespace quarry::aws
