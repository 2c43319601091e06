// Gathers what the backends' credentials are resolved from: the keychain's secrets and the AWS
// default credential chain of each profile in use (cached, so STS/SSO/credential_process run only
// when temporary credentials near their expiry). Lives on the gateway service's thread.
#pragma once

#include "aws/credentials/CachingCredentialProvider.h"
#include "config/Resources.h"
#include "gateway/CredentialResolver.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace quarry::secrets {
class SecretStore;
}

namespace quarry::gateway {

class CredentialSources : public QObject
{
    Q_OBJECT
public:
    CredentialSources(secrets::SecretStore &secretStore, QProcessEnvironment environment, QObject *parent);

    // Reads the keychain and resolves the chains side by side. `progress` runs when the first of the
    // two has answered (the other marked pending), and again with `complete` once both have.
    using Progress = std::function<void(const CredentialInputs &inputs, bool complete)>;
    void gather(const config::ResourceSet &resources, Progress progress);
    // The next gather() asks this backend's credential chain afresh (Bedrock called them expired).
    void invalidate(const config::AiBackend &backend);

    // When the soonest of these temporary credentials expires; invalid when none do.
    static QDateTime soonestExpiry(const ChainResults &chains);

    // Each backend as it authenticates: itself, and once per group provider with its own auth.
    static void forEachAuth(const config::ResourceSet &resources, const std::function<void(const config::AiBackend &)> &visit);

private:
    void readSecrets(const config::ResourceSet &resources, std::function<void(LoadedSecrets)> done);
    void resolveChains(const config::ResourceSet &resources, std::function<void(ChainResults)> done);
    aws::CachingCredentialProvider &chainFor(const ChainSpec &spec);

    secrets::SecretStore &m_secretStore;
    QProcessEnvironment m_environment;
    QNetworkAccessManager *m_network; // STS and SSO calls
    QHash<QString, std::shared_ptr<aws::CachingCredentialProvider>> m_chains; // by ChainSpec::key()
};

} // namespace quarry::gateway
