// The stored resources rendered for a cluster.
#include "config/export/ClusterExporter.h"

#include "config/AiBackendCodec.h"
#include "config/ConfigMapCodec.h"
#include "config/GatewayCodec.h"
#include "config/HttpRouteCodec.h"
#include "config/InlineKeys.h"
#include "config/export/DesktopOnly.h"
#include "config/export/LegacyBackendShape.h"
#include "config/export/SecretPlaceholders.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

QString orDefault(const QString &ns, const QString &fallback)
{
    return ns.isEmpty() ? fallback : ns;
}

// -n: every resource moves to that namespace, and so does every reference between them.
void relocate(ResourceSet &set, const QString &ns)
{
    for (Gateway &gateway : set.gateways)
        gateway.meta.ns = ns;
    for (AiBackend &backend : set.backends)
        backend.meta.ns = ns;
    for (ConfigMap &configMap : set.configMaps)
        configMap.meta.ns = ns;
    for (HttpRoute &route : set.routes) {
        route.meta.ns = ns;
        for (ParentRef &parent : route.parentRefs) {
            if (!parent.ns.isEmpty())
                parent.ns = ns;
        }
        for (RouteRule &rule : route.rules) {
            for (BackendRef &ref : rule.backendRefs) {
                if (!ref.ns.isEmpty())
                    ref.ns = ns;
            }
        }
    }
}

class Exporter
{
public:
    Exporter(const ExportOptions &options) : m_options(options) {}

    ExportedManifests run(ResourceSet set)
    {
        if (!m_options.ns.isEmpty())
            relocate(set, m_options.ns);
        ExportedManifests out;
        QList<ExportedDocument> backends;
        QList<AiBackend> cleaned;
        for (AiBackend backend : std::as_const(set.backends)) {
            backends.append(exportBackend(backend, out.warnings));
            cleaned.append(backend);
            m_backendNames.insert(backend.meta.ns + u'/' + backend.meta.name);
        }
        for (Gateway gateway : std::as_const(set.gateways))
            out.documents.append(exportGateway(gateway, out.warnings));
        for (const SecretReference &reference : SecretPlaceholders::referencedBy(cleaned)) {
            const QStringList keys = SecretPlaceholders::keysFor(reference, m_options.secretKeys);
            if (m_options.secrets == ExportOptions::Secrets::Manifest)
                out.documents.append(SecretPlaceholders::manifest(reference, keys));
            else
                out.secretCommands.append(SecretPlaceholders::kubectlCommand(reference, keys));
        }
        // The CA bundles backends' policies.tls trusts go as they are: certificates are public.
        for (const ConfigMap &configMap : std::as_const(set.configMaps))
            out.documents.append({{}, ConfigMapCodec::encode(configMap)});
        out.documents.append(backends);
        for (HttpRoute route : std::as_const(set.routes))
            out.documents.append(exportRoute(route));
        out.header = header();
        return out;
    }

private:
    const ExportOptions &m_options;
    QSet<QString> m_backendNames; // "namespace/name" of the exported backends

    QStringList header() const
    {
        const QString backend = m_options.target == ExportTarget::Agentgateway
                                    ? u"AgentgatewayBackend (agentgateway.dev/v1alpha1)"_s
                                : m_options.target == ExportTarget::KgatewayV22
                                    ? u"AgentgatewayBackend (gateway.kgateway.dev/v1alpha1)"_s
                                    : u"Backend (gateway.kgateway.dev/v1alpha1, type AI)"_s;
        return {
            u"Exported by Quarry for %1: Gateway and HTTPRoute (gateway.networking.k8s.io/v1), %2."_s.arg(
                exportTargetName(m_options.target), backend),
            u"Needs the Gateway API CRDs and %1's CRDs on the cluster; then `kubectl apply -f` this file."_s
                .arg(m_options.target == ExportTarget::Agentgateway ? u"agentgateway"_s : u"kgateway"_s)};
    }

    ExportedDocument exportGateway(Gateway &gateway, QStringList &warnings) const
    {
        ExportedDocument document;
        document.comments = DesktopOnly::takeAnnotations(gateway.meta);
        if (!gateway.addresses.isEmpty()) {
            // On the desktop addresses are the bind address; on a cluster they ask the controller
            // for that address, which a loopback or LAN address can never be.
            QStringList values;
            for (const GatewayAddress &address : std::as_const(gateway.addresses))
                values.append(address.value);
            warnings.append(
                u"gateway %1: spec.addresses (%2) is where Quarry listens on this machine; left out, "
                "so the cluster assigns the Gateway's address"_s.arg(gateway.meta.name,
                                                                     values.join(u", "_s)));
            gateway.addresses.clear();
        }
        document.object = GatewayCodec::encode(gateway);
        return document;
    }

    ExportedDocument exportBackend(AiBackend &backend, QStringList &warnings) const
    {
        // resources.yaml never holds an inline key (apply moves it to the keychain), but if one got
        // here it becomes the same secretRef the store would have written: its value is dropped now.
        InlineKeys::extract(backend);
        ExportedDocument document;
        document.comments = DesktopOnly::takeAnnotations(backend.meta);
        const QString name = u"backend "_s + backend.meta.name;
        if (backend.provider) {
            if (QString dropped = DesktopOnly::dropLoopbackEndpoint(*backend.provider, name);
                !dropped.isEmpty())
                warnings.append(dropped);
        }
        bool usesPodRole = backend.policies.auth.kind == BackendAuth::Kind::DefaultChain;
        for (AiProviderGroup &group : backend.groups) {
            for (AiProvider &provider : group.providers) {
                const QString where = name + u" provider "_s + provider.name;
                if (QString dropped = DesktopOnly::dropLoopbackEndpoint(provider, where); !dropped.isEmpty())
                    warnings.append(dropped);
                usesPodRole = usesPodRole || (provider.policies && provider.policies->auth.kind ==
                                                                       BackendAuth::Kind::DefaultChain);
            }
        }
        if (usesPodRole)
            document.comments.append(DesktopOnly::podIdentityComment());
        if (m_options.target == ExportTarget::KgatewayV21) {
            document.object = LegacyBackendShape::encode(backend, warnings);
        } else {
            backend.apiVersion = m_options.target == ExportTarget::Agentgateway
                                     ? AiBackend::kApiVersionAgentgateway
                                     : AiBackend::kApiVersionKgateway;
            document.object = AiBackendCodec::encode(backend, true);
        }
        return document;
    }

    ExportedDocument exportRoute(HttpRoute &route) const
    {
        ExportedDocument document;
        document.comments = DesktopOnly::takeAnnotations(route.meta);
        // Quarry resolves a bare backendRef name to its backend; a cluster reads a ref without group
        // and kind as a Service, so refs to exported backends name the target's group and kind.
        for (RouteRule &rule : route.rules) {
            for (BackendRef &ref : rule.backendRefs) {
                const bool ours =
                    ref.kind.isEmpty() || ref.kind == "AgentgatewayBackend"_L1 || ref.kind == "Backend"_L1;
                if (ours && m_backendNames.contains(orDefault(ref.ns, route.meta.ns) + u'/' + ref.name)) {
                    ref.group = backendGroup(m_options.target);
                    ref.kind = backendKind(m_options.target);
                }
            }
        }
        document.object = HttpRouteCodec::encode(route);
        return document;
    }
};

} // namespace

ExportedManifests ClusterExporter::run(const ResourceSet &resources, const ExportOptions &options)
{
    return Exporter(options).run(resources);
}

} // namespace quarry::config
