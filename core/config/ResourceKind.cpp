// Names of the resource kinds: the Kubernetes Kind, the plural kubectl prints, the CLI spellings.
#include "config/ResourceKind.h"

using namespace Qt::StringLiterals;

namespace quarry::config {

std::optional<ResourceKind> parseResourceKind(QStringView cliName)
{
    const QString name = cliName.toString().toLower();
    auto is = [&name](QLatin1StringView singular) {
        return name == singular || name == singular + u's';
    };
    if (is("backend"_L1) || is("agentgatewaybackend"_L1))
        return ResourceKind::Backend;
    if (is("route"_L1) || is("httproute"_L1))
        return ResourceKind::HttpRoute;
    if (is("gateway"_L1))
        return ResourceKind::Gateway;
    if (is("configmap"_L1) || name == "cm"_L1)
        return ResourceKind::ConfigMap;
    if (is("secret"_L1))
        return ResourceKind::Secret;
    return std::nullopt;
}

QString kindName(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Gateway:
        return u"Gateway"_s;
    case ResourceKind::HttpRoute:
        return u"HTTPRoute"_s;
    case ResourceKind::Backend:
        return u"AgentgatewayBackend"_s;
    case ResourceKind::ConfigMap:
        return u"ConfigMap"_s;
    case ResourceKind::Secret:
        return u"Secret"_s;
    }
    return {};
}

QString pluralName(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Gateway:
        return u"gateways"_s;
    case ResourceKind::HttpRoute:
        return u"httproutes"_s;
    case ResourceKind::Backend:
        return u"backends"_s;
    case ResourceKind::ConfigMap:
        return u"configmaps"_s;
    case ResourceKind::Secret:
        return u"secrets"_s;
    }
    return {};
}

} // namespace quarry::config
