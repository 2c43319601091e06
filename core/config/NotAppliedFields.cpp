// Which accepted fields the gateway ignores, checked field by field.
#include "config/NotAppliedFields.h"

using namespace Qt::StringLiterals;

namespace quarry::config {

namespace {

class Collector
{
public:
    Collector(ResourceKind kind, const ObjectMeta &meta, QList<ReferenceWarning> &warnings)
        : m_kind(kind), m_meta(meta), m_warnings(warnings)
    {}

    void add(const QString &path, const QString &what)
    {
        ReferenceWarning warning;
        warning.kind = m_kind;
        warning.ns = m_meta.ns;
        warning.name = m_meta.name;
        warning.problem = ReferenceWarning::Problem::NotApplied;
        warning.path = path;
        warning.message = path + u" is kept (and exported) but not applied by Quarry: "_s + what;
        m_warnings.append(warning);
    }

private:
    ResourceKind m_kind;
    const ObjectMeta &m_meta;
    QList<ReferenceWarning> &m_warnings;
};

void checkGateway(const Gateway &gateway, QList<ReferenceWarning> &warnings)
{
    Collector found(ResourceKind::Gateway, gateway.meta, warnings);
    for (qsizetype i = 0; i < gateway.listeners.size(); ++i) {
        if (!gateway.listeners.at(i).hostname.isEmpty())
            found.add(u"spec.listeners[%1].hostname"_s.arg(i), u"the listener answers for any host name"_s);
    }
}

void checkRoute(const HttpRoute &route, QList<ReferenceWarning> &warnings)
{
    Collector found(ResourceKind::HttpRoute, route.meta, warnings);
    if (!route.hostnames.isEmpty())
        found.add(u"spec.hostnames"_s, u"routes match by path, method and headers whatever the Host"_s);
    for (qsizetype r = 0; r < route.rules.size(); ++r) {
        const RouteRule &rule = route.rules.at(r);
        if (!rule.filters.isEmpty())
            found.add(u"spec.rules[%1].filters"_s.arg(r), u"requests reach the backend unchanged"_s);
        if (rule.requestTimeoutMs || rule.backendRequestTimeoutMs)
            found.add(u"spec.rules[%1].timeouts"_s.arg(r),
                      u"the backend's spec.policies.http.requestTimeout bounds each Bedrock call"_s);
    }
}

void checkBackend(const AiBackend &backend, QList<ReferenceWarning> &warnings)
{
    Collector found(ResourceKind::Backend, backend.meta, warnings);
    const BackendPolicies &policies = backend.policies;
    // caCertificateRefs, insecureSkipVerify and sni are applied (gateway/upstream/UpstreamTls).
    if (policies.tls.contains(u"mtlsCertificateRef"_s))
        found.add(u"spec.policies.tls.mtlsCertificateRef"_s, u"no client certificate is sent"_s);
    if (policies.tls.contains(u"verifySubjectAltNames"_s))
        found.add(u"spec.policies.tls.verifySubjectAltNames"_s,
                  u"the certificate is checked against the host name (or sni)"_s);
    if (policies.tls.contains(u"alpnProtocols"_s))
        found.add(u"spec.policies.tls.alpnProtocols"_s, u"Bedrock is called over HTTP/1.1"_s);
    if (!policies.httpVersion.isEmpty())
        found.add(u"spec.policies.http.version"_s, u"Bedrock is called over HTTP/1.1"_s);
    if (policies.connectTimeoutMs)
        found.add(u"spec.policies.tcp.connectTimeout"_s, u"the request timeout covers connecting too"_s);
}

} // namespace

void NotAppliedFields::check(const ResourceSet &resources, QList<ReferenceWarning> &warnings)
{
    for (const HttpRoute &route : resources.routes)
        checkRoute(route, warnings);
    for (const AiBackend &backend : resources.backends)
        checkBackend(backend, warnings);
    for (const Gateway &gateway : resources.gateways)
        checkGateway(gateway, warnings);
}

} // namespace quarry::config
