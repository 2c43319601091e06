// Decides which credentials a backend uses: its auth policy's secret, an inline key, or (with no
// auth) the environment, as the AWS SDKs' default chain starts.
#pragma once

#include "config/Resources.h"
#include "gateway/BedrockCredentials.h"
#include "aws/credentials/ResolvedCredentials.h"
#include "secrets/ReadResult.h"
#include "util/Result.h"

#include <QHash>
#include <QUrl>

namespace quarry::gateway {

// What the keychain said about each secret the backends reference, keyed by "namespace/name".
using LoadedSecrets = QHash<QString, secrets::ReadResult>;
// Which AWS default credential chain a backend without auth uses: the profile named by the
// annotation quarry.dev/aws-profile (empty: AWS_PROFILE or "default"), and STS / SSO endpoints from
// quarry.dev/sts-endpoint and quarry.dev/sso-endpoint (partitions, FIPS, tests), which win over
// AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_SSO.
struct ChainSpec
{
    QString profile;
    QUrl stsEndpoint;
    QUrl ssoEndpoint;

    QString key() const;
};

// What each chain in use gave, keyed by ChainSpec::key().
using ChainResults = QHash<QString, Result<aws::ResolvedCredentials>>;

// Everything credentials are resolved from, gathered asynchronously before a snapshot is built.
// Either half may still be on its way: the gateway serves what it has meanwhile.
struct CredentialInputs
{
    LoadedSecrets secrets;
    ChainResults chains;
    bool secretsPending = false; // the keychain has not answered yet
    bool chainsPending = false;  // the AWS credential chains have not answered yet
};

class CredentialResolver
{
public:

    BedrockCredentials resolve(const config::AiBackend &backend, const CredentialInputs &inputs) const;

    // The chain a backend without auth uses; nullopt for other auth.
    static std::optional<ChainSpec> defaultChain(const config::AiBackend &backend);

    // The secret ("namespace/name") a backend's auth policy names, if any.
    static std::optional<secrets::SecretId> referencedSecret(const config::AiBackend &backend);

private:
    BedrockCredentials fromSecret(const config::AiBackend &backend, const CredentialInputs &inputs) const;
    static BedrockCredentials fromChain(const QString &backendName, const Result<aws::ResolvedCredentials> &result);
};

} // namespace quarry::gateway
