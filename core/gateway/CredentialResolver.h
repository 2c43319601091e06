// Decides which credentials a backend uses: its auth policy's secret, an inline key, or (with no
// auth) the environment, as the AWS SDKs' default chain starts.
#pragma once

#include "config/Resources.h"
#include "gateway/BedrockCredentials.h"
#include "aws/credentials/ResolvedCredentials.h"
#include "secrets/ReadResult.h"
#include "util/Result.h"

#include <QHash>

namespace quarry::gateway {

// What the keychain said about each secret the backends reference, keyed by "namespace/name".
using LoadedSecrets = QHash<QString, secrets::ReadResult>;
// What the AWS default credential chain gave for each profile backends use, keyed by
// defaultChainKey(): "" for the default profile selection, else the profile's name.
using ChainResults = QHash<QString, Result<aws::ResolvedCredentials>>;

// Everything credentials are resolved from, gathered asynchronously before a snapshot is built.
struct CredentialInputs
{
    LoadedSecrets secrets;
    ChainResults chains;
};

class CredentialResolver
{
public:

    BedrockCredentials resolve(const config::AiBackend &backend, const LoadedSecrets &secrets,
                               const ChainResults &chains) const;

    // Backends without auth use the AWS default credential chain, for the profile named by the
    // annotation quarry.dev/aws-profile (or AWS_PROFILE / "default"); nullopt for other auth.
    static std::optional<QString> defaultChainKey(const config::AiBackend &backend);

    // The secret ("namespace/name") a backend's auth policy names, if any.
    static std::optional<secrets::SecretId> referencedSecret(const config::AiBackend &backend);

private:
    BedrockCredentials fromSecret(const config::AiBackend &backend, const LoadedSecrets &secrets) const;
    static BedrockCredentials fromChain(const QString &backendName, const Result<aws::ResolvedCredentials> &result);
};

} // namespace quarry::gateway
