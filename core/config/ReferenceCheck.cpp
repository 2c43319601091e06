// Finds routes to missing backends and backends to missing secrets; NotAppliedFields adds the rest.
#include "config/ReferenceCheck.h"

#include "config/NotAppliedFields.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace quarry::config {

namespace {

void checkRoutes(const ResourceSet &resources, QList<ReferenceWarning> &warnings)
{
    QSet<QString> backends;
    for (const AiBackend &backend : resources.backends)
        backends.insert(backend.meta.ns + u'/' + backend.meta.name);
    for (const HttpRoute &route : resources.routes) {
        for (qsizetype r = 0; r < route.rules.size(); ++r) {
            const auto &refs = route.rules.at(r).backendRefs;
            for (qsizetype b = 0; b < refs.size(); ++b) {
                const BackendRef &ref = refs.at(b);
                const QString target = (ref.ns.isEmpty() ? route.meta.ns : ref.ns) + u'/' + ref.name;
                if (backends.contains(target))
                    continue;
                ReferenceWarning warning;
                warning.kind = ResourceKind::HttpRoute;
                warning.ns = route.meta.ns;
                warning.name = route.meta.name;
                warning.problem = ReferenceWarning::Problem::MissingBackend;
                warning.target = target;
                warning.path = u"spec.rules[%1].backendRefs[%2].name"_s.arg(r).arg(b);
                warning.message = u"backend %1 not found: requests this rule sends there fail until an "
                                  u"AgentgatewayBackend of that name exists"_s.arg(target);
                warnings.append(warning);
            }
        }
    }
}

// policies: the manifest path of the policies block the auth sits in.
void checkAuth(const AiBackend &backend, const BackendAuth &auth, const QString &policies,
               const QSet<QString> &knownSecrets, QList<ReferenceWarning> &warnings)
{
    if (auth.kind != BackendAuth::Kind::SecretRef && auth.kind != BackendAuth::Kind::AwsSecretRef)
        return;
    const QString path =
        policies + (auth.kind == BackendAuth::Kind::AwsSecretRef ? u".auth.aws.secretRef.name"_s
                                                                 : u".auth.secretRef.name"_s);
    // Secrets are looked up in the backend's own namespace, as the gateway resolves them.
    const QString target = backend.meta.ns + u'/' + auth.secretName;
    if (knownSecrets.contains(target))
        return;
    ReferenceWarning warning;
    warning.kind = ResourceKind::Backend;
    warning.ns = backend.meta.ns;
    warning.name = backend.meta.name;
    warning.problem = ReferenceWarning::Problem::MissingSecret;
    warning.target = target;
    warning.path = path;
    warning.message =
        u"secret %1 not found in the keychain: create it with `quarry create secret generic %2 -n %3 "
        u"--from-literal=...` or on the Credentials page"_s.arg(target, auth.secretName, backend.meta.ns);
    warnings.append(warning);
}

// policies.tls.caCertificateRefs: a ConfigMap in the backend's namespace with a ca.crt.
void checkCaBundle(const ResourceSet &resources, const AiBackend &backend, QList<ReferenceWarning> &warnings)
{
    const QJsonArray refs = backend.policies.tls.value(u"caCertificateRefs"_s).toArray();
    if (refs.isEmpty())
        return;
    const QString name = refs.first().toObject().value(u"name"_s).toString();
    const auto found = resources.find(ResourceKind::ConfigMap, backend.meta.ns, name);
    if (found && found->as<ConfigMap>()->data.contains(u"ca.crt"_s))
        return;
    ReferenceWarning warning;
    warning.kind = ResourceKind::Backend;
    warning.ns = backend.meta.ns;
    warning.name = backend.meta.name;
    warning.problem = ReferenceWarning::Problem::MissingConfigMap;
    warning.target = backend.meta.ns + u'/' + name;
    warning.path = u"spec.policies.tls.caCertificateRefs[0].name"_s;
    warning.message = (found ? u"ConfigMap %1 has no ca.crt"_s : u"ConfigMap %1 not found"_s).arg(warning.target) +
                      u": calls to this backend fail until a ConfigMap of that name holds the CA "
                      "certificate (PEM) under ca.crt"_s;
    warnings.append(warning);
}

void checkBackends(const ResourceSet &resources, const QSet<QString> &knownSecrets,
                   QList<ReferenceWarning> &warnings)
{
    for (const AiBackend &backend : resources.backends) {
        checkCaBundle(resources, backend, warnings);
        checkAuth(backend, backend.policies.auth, u"spec.policies"_s, knownSecrets, warnings);
        for (qsizetype g = 0; g < backend.groups.size(); ++g) {
            const auto &providers = backend.groups.at(g).providers;
            for (qsizetype p = 0; p < providers.size(); ++p) {
                if (!providers.at(p).policies)
                    continue;
                checkAuth(backend, providers.at(p).policies->auth,
                          u"spec.ai.groups[%1].providers[%2].policies"_s.arg(g).arg(p), knownSecrets,
                          warnings);
            }
        }
    }
}

} // namespace

QList<ReferenceWarning> ReferenceCheck::check(const ResourceSet &resources, const QSet<QString> &knownSecrets)
{
    QList<ReferenceWarning> warnings;
    checkRoutes(resources, warnings);
    checkBackends(resources, knownSecrets, warnings);
    NotAppliedFields::check(resources, warnings);
    return warnings;
}

} // namespace quarry::config
