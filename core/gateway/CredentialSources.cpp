// Secrets and credential chains, gathered asynchronously for a snapshot.
#include "gateway/CredentialSources.h"

#include "aws/credentials/DefaultCredentialChain.h"
#include "secrets/SecretStore.h"

#include <QNetworkAccessManager>

namespace quarry::gateway {

CredentialSources::CredentialSources(secrets::SecretStore &secretStore, QProcessEnvironment environment,
                                     QObject *parent)
    : QObject(parent), m_secretStore(secretStore), m_environment(std::move(environment)),
      m_network(new QNetworkAccessManager(this))
{
}

void CredentialSources::forEachAuth(const config::ResourceSet &resources,
                                    const std::function<void(const config::AiBackend &)> &visit)
{
    for (const auto &backend : resources.backends) {
        visit(backend);
        for (const auto &group : backend.groups) {
            for (const auto &provider : group.providers) {
                if (!provider.policies)
                    continue;
                config::AiBackend effective = backend;
                effective.policies.auth = provider.policies->auth;
                visit(effective);
            }
        }
    }
}

void CredentialSources::gather(const config::ResourceSet &resources, Progress progress)
{
    // A locked keychain must not hold back backends that do not use it, nor a slow
    // credential_process the ones that do.
    auto inputs = std::make_shared<CredentialInputs>();
    inputs->secretsPending = true;
    inputs->chainsPending = true;
    readSecrets(resources, [inputs, progress](LoadedSecrets secrets) {
        inputs->secrets = std::move(secrets);
        inputs->secretsPending = false;
        progress(*inputs, !inputs->chainsPending);
    });
    resolveChains(resources, [inputs, progress](ChainResults chains) {
        inputs->chains = std::move(chains);
        inputs->chainsPending = false;
        progress(*inputs, !inputs->secretsPending);
    });
}

void CredentialSources::readSecrets(const config::ResourceSet &resources, std::function<void(LoadedSecrets)> done)
{
    QList<secrets::SecretId> wanted;
    forEachAuth(resources, [&wanted](const config::AiBackend &backend) {
        const auto id = CredentialResolver::referencedSecret(backend);
        if (id && !wanted.contains(*id))
            wanted.append(*id);
    });
    auto loaded = std::make_shared<LoadedSecrets>();
    auto remaining = std::make_shared<qsizetype>(wanted.size());
    if (wanted.isEmpty())
        return done(*loaded);
    for (const auto &id : std::as_const(wanted)) {
        m_secretStore.read(id, [loaded, remaining, done, key = id.toString()](secrets::ReadResult result) {
            loaded->insert(key, std::move(result));
            if (--*remaining == 0)
                done(*loaded);
        });
    }
}

// Every profile a backend without auth uses, through its cached chain: the cache answers at once
// while the credentials are fresh and calls STS/SSO/credential_process when they are not.
void CredentialSources::resolveChains(const config::ResourceSet &resources, std::function<void(ChainResults)> done)
{
    QHash<QString, ChainSpec> chains;
    forEachAuth(resources, [&chains](const config::AiBackend &backend) {
        if (const auto spec = CredentialResolver::defaultChain(backend))
            chains.insert(spec->key(), *spec);
    });
    auto results = std::make_shared<ChainResults>();
    auto remaining = std::make_shared<qsizetype>(chains.size());
    if (chains.isEmpty())
        return done(*results);
    for (const ChainSpec &spec : std::as_const(chains)) {
        chainFor(spec).resolve([results, remaining, done, key = spec.key()](Result<aws::ResolvedCredentials> result) {
            results->insert(key, std::move(result));
            if (--*remaining == 0)
                done(*results);
        });
    }
}

aws::CachingCredentialProvider &CredentialSources::chainFor(const ChainSpec &spec)
{
    auto &chain = m_chains[spec.key()];
    if (!chain) {
        aws::CredentialContext context;
        context.network = m_network;
        context.environment = m_environment;
        context.options.stsEndpoint = spec.stsEndpoint;
        context.options.ssoEndpoint = spec.ssoEndpoint;
        chain = std::make_shared<aws::CachingCredentialProvider>(
            std::make_unique<aws::DefaultCredentialChain>(context, spec.profile));
    }
    return *chain;
}

void CredentialSources::invalidate(const config::AiBackend &backend)
{
    if (const auto spec = CredentialResolver::defaultChain(backend); spec && m_chains.contains(spec->key()))
        m_chains.value(spec->key())->invalidate();
}

QDateTime CredentialSources::soonestExpiry(const ChainResults &chains)
{
    QDateTime soonest;
    for (const auto &result : chains) {
        if (result.ok() && result->expires() && (!soonest.isValid() || result->expiration < soonest))
            soonest = result->expiration;
    }
    return soonest;
}

} // namespace quarry::gateway
