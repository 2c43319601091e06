// Decides which credentials a backend uses: its auth policy's secret, an inline key, or (with no
// auth) the environment, as the AWS SDKs' default chain starts.
#pragma once

#include "config/Resources.h"
#include "gateway/BedrockCredentials.h"
#include "secrets/ReadResult.h"

#include <QHash>
#include <QProcessEnvironment>

namespace quarry::gateway {

// What the keychain said about each secret the backends reference, keyed by "namespace/name".
using LoadedSecrets = QHash<QString, secrets::ReadResult>;

class CredentialResolver
{
public:
    explicit CredentialResolver(QProcessEnvironment environment);

    BedrockCredentials resolve(const config::AiBackend &backend, const LoadedSecrets &secrets) const;

    // The secret ("namespace/name") a backend's auth policy names, if any.
    static std::optional<secrets::SecretId> referencedSecret(const config::AiBackend &backend);

private:
    BedrockCredentials fromSecret(const config::AiBackend &backend, const LoadedSecrets &secrets) const;
    BedrockCredentials fromEnvironment(const QString &backendName) const;

    QProcessEnvironment m_environment;
};

} // namespace quarry::gateway
