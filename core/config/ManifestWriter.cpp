// Typed resources -> manifests in the shape kubectl shows.
#include "config/ManifestWriter.h"

#include "config/AiBackendCodec.h"
#include "config/ConfigMapCodec.h"
#include "config/GatewayCodec.h"
#include "config/HttpRouteCodec.h"
#include "config/YamlCodec.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::config {

QJsonObject ManifestWriter::toJson(const Resource &resource, SecretValues secrets)
{
    if (const auto *gateway = resource.as<Gateway>())
        return GatewayCodec::encode(*gateway);
    if (const auto *route = resource.as<HttpRoute>())
        return HttpRouteCodec::encode(*route);
    if (const auto *backend = resource.as<AiBackend>())
        return AiBackendCodec::encode(*backend, secrets == SecretValues::Redact);
    if (const auto *configMap = resource.as<ConfigMap>())
        return ConfigMapCodec::encode(*configMap);
    return SecretCodec::encode(*resource.as<SecretManifest>(), secrets);
}

QByteArray ManifestWriter::toYaml(const QList<Resource> &resources, SecretValues secrets)
{
    QList<QJsonObject> documents;
    for (const Resource &resource : resources)
        documents.append(toJson(resource, secrets));
    return YamlCodec::write(documents);
}

QByteArray ManifestWriter::toJsonText(const QList<Resource> &resources, SecretValues secrets)
{
    if (resources.size() == 1)
        return QJsonDocument(toJson(resources.first(), secrets)).toJson(QJsonDocument::Indented);
    QJsonArray items;
    for (const Resource &resource : resources)
        items.append(toJson(resource, secrets));
    const QJsonObject list{{u"apiVersion"_s, u"v1"_s}, {u"kind"_s, u"List"_s}, {u"items"_s, items}};
    return QJsonDocument(list).toJson(QJsonDocument::Indented);
}

QList<Resource> ManifestWriter::resources(const ResourceSet &set)
{
    QList<Resource> list;
    for (const Gateway &gateway : set.gateways)
        list.append(Resource{gateway, {}});
    // A backend's CA bundle comes before the backend, as `kubectl apply` would want it.
    for (const ConfigMap &configMap : set.configMaps)
        list.append(Resource{configMap, {}});
    for (const AiBackend &backend : set.backends)
        list.append(Resource{backend, {}});
    for (const HttpRoute &route : set.routes)
        list.append(Resource{route, {}});
    return list;
}

} // namespace quarry::config
