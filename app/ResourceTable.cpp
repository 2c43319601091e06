// Rows and columns for `quarry get`.
#include "ResourceTable.h"

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

QString authOf(const config::BackendPolicies &policies)
{
    switch (policies.auth.kind) {
    case config::BackendAuth::Kind::SecretRef: return u"secret/"_s + policies.auth.secretName;
    case config::BackendAuth::Kind::AwsSecretRef: return u"aws secret/"_s + policies.auth.secretName;
    case config::BackendAuth::Kind::InlineKey: return u"inline key"_s;
    case config::BackendAuth::Kind::DefaultChain: break;
    }
    return u"default chain"_s;
}

QStringList backendRow(const config::AiBackend &backend)
{
    config::AiProvider provider;
    if (backend.provider)
        provider = *backend.provider;
    else if (!backend.groups.isEmpty() && !backend.groups.first().providers.isEmpty())
        provider = backend.groups.first().providers.first();
    const QString model = provider.bedrock.model.isEmpty() ? u"(from request)"_s : provider.bedrock.model;
    return {backend.meta.ns, backend.meta.name, model, provider.bedrock.region, authOf(backend.policies)};
}

QStringList routeRow(const config::HttpRoute &route)
{
    QStringList paths;
    QStringList backends;
    for (const auto &rule : route.rules) {
        for (const auto &match : rule.matches) {
            const QString type = match.path.type == config::PathMatch::Type::Exact        ? u"="_s
                                 : match.path.type == config::PathMatch::Type::PathPrefix ? QString()
                                                                                           : u"~"_s;
            paths.append(type + match.path.value);
        }
        for (const auto &ref : rule.backendRefs)
            backends.append(ref.name);
    }
    QStringList parents;
    for (const auto &parent : route.parentRefs)
        parents.append(parent.name);
    return {route.meta.ns, route.meta.name, parents.join(u','), paths.join(u','), backends.join(u',')};
}

QStringList gatewayRow(const config::Gateway &gateway)
{
    return {gateway.meta.ns, gateway.meta.name, gateway.bindAddress(), QString::number(gateway.port())};
}

} // namespace

void ResourceTable::add(const config::Resource &resource)
{
    if (const auto *backend = resource.as<config::AiBackend>())
        m_rows.append(backendRow(*backend));
    else if (const auto *route = resource.as<config::HttpRoute>())
        m_rows.append(routeRow(*route));
    else if (const auto *gateway = resource.as<config::Gateway>())
        m_rows.append(gatewayRow(*gateway));
    else if (const auto *configMap = resource.as<config::ConfigMap>())
        m_rows.append({configMap->meta.ns, configMap->meta.name, configMap->data.keys().join(u',')});
}

QStringList ResourceTable::headers(config::ResourceKind kind)
{
    switch (kind) {
    case config::ResourceKind::Backend: return {u"NAMESPACE"_s, u"NAME"_s, u"MODEL"_s, u"REGION"_s, u"AUTH"_s};
    case config::ResourceKind::HttpRoute:
        return {u"NAMESPACE"_s, u"NAME"_s, u"GATEWAY"_s, u"PATHS"_s, u"BACKENDS"_s};
    case config::ResourceKind::Gateway: return {u"NAMESPACE"_s, u"NAME"_s, u"ADDRESS"_s, u"PORT"_s};
    case config::ResourceKind::ConfigMap: return {u"NAMESPACE"_s, u"NAME"_s, u"KEYS"_s};
    case config::ResourceKind::Secret: return {u"NAMESPACE"_s, u"NAME"_s, u"KEYS"_s, u"UPDATED"_s};
    }
    return {};
}

QString ResourceTable::render(const QStringList &headers) const
{
    QList<QStringList> rows = m_rows;
    if (!headers.isEmpty())
        rows.prepend(headers);
    if (rows.isEmpty())
        return {};
    QList<qsizetype> widths(rows.first().size(), 0);
    for (const auto &row : rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }
    QString out;
    for (const auto &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row.at(i).leftJustified(widths[i] + 3) : row.at(i);
        out += line + u'\n';
    }
    return out;
}

} // namespace quarry::cli
