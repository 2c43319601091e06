// Manifest text (multi-document YAML, as users paste into `quarry apply -f`) -> typed resources.
#include "config/ManifestParser.h"

#include "config/AiBackendCodec.h"
#include "config/FieldReader.h"
#include "config/GatewayCodec.h"
#include "config/HttpRouteCodec.h"
#include "config/ConfigMapCodec.h"
#include "config/SecretCodec.h"
#include "config/YamlCodec.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

const QString kGatewayApi = u"gateway.networking.k8s.io/v1"_s;

QString describe(const QJsonObject &object, const QString &kind, const QString &where)
{
    const QJsonValue name = object.value(u"metadata"_s).toObject().value(u"name"_s);
    if (name.isString() && !name.toString().isEmpty())
        return u"%1 \"%2\""_s.arg(kind, name.toString());
    return u"%1 (%2)"_s.arg(kind, where);
}

std::optional<Resource> decodeKnownKind(FieldReader &reader, const QString &kind,
                                        const QString &apiVersion)
{
    Resource resource;
    if (kind == "Gateway"_L1 && apiVersion == kGatewayApi) {
        resource.object = GatewayCodec::decode(reader);
    } else if (kind == "HTTPRoute"_L1 && apiVersion == kGatewayApi) {
        resource.object = HttpRouteCodec::decode(reader);
    } else if (kind == "AgentgatewayBackend"_L1
               && (apiVersion == AiBackend::kApiVersionAgentgateway
                   || apiVersion == AiBackend::kApiVersionKgateway)) {
        resource.object = AiBackendCodec::decode(reader, apiVersion);
    } else if (kind == "Backend"_L1 && apiVersion == AiBackendCodec::kLegacyApiVersion) {
        resource.object = AiBackendCodec::decodeLegacy(reader);
        resource.convertedFrom = u"Backend v2.1"_s;
    } else if (kind == "ConfigMap"_L1 && apiVersion == "v1"_L1) {
        resource.object = ConfigMapCodec::decode(reader);
    } else if (kind == "Secret"_L1 && apiVersion == "v1"_L1) {
        resource.object = SecretCodec::decode(reader);
    } else {
        return std::nullopt;
    }
    return resource;
}

Status decodeDocument(const QJsonObject &object, const QString &where, QList<Resource> &out);

Status decodeList(const QJsonObject &object, const QString &where, QList<Resource> &out)
{
    const QJsonArray items = object.value(u"items"_s).toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString itemWhere = u"%1, items[%2]"_s.arg(where).arg(i);
        if (!items.at(i).isObject())
            return Status::failure(itemWhere + u": expected an object"_s);
        if (Status status = decodeDocument(items.at(i).toObject(), itemWhere, out); !status)
            return status;
    }
    return Ok{};
}

Status decodeDocument(const QJsonObject &object, const QString &where, QList<Resource> &out)
{
    const QJsonValue kindValue = object.value(u"kind"_s);
    const QJsonValue apiValue = object.value(u"apiVersion"_s);
    if (!kindValue.isString() || !apiValue.isString())
        return Status::failure(where + u": apiVersion and kind must be set (strings)"_s);
    const QString kind = kindValue.toString();
    const QString apiVersion = apiValue.toString();
    if (kind == "List"_L1 && apiVersion == "v1"_L1)
        return decodeList(object, where, out);
    FieldReader reader(object);
    const std::optional<Resource> resource = decodeKnownKind(reader, kind, apiVersion);
    if (!resource) {
        return Status::failure(
            u"%1: no kind \"%2\" is known in version \"%3\"; Quarry understands Gateway and HTTPRoute "
            "(gateway.networking.k8s.io/v1), AgentgatewayBackend (agentgateway.dev/v1alpha1 or "
            "gateway.kgateway.dev/v1alpha1), Backend (gateway.kgateway.dev/v1alpha1), ConfigMap (v1) and Secret (v1)"_s
                .arg(where, kind, apiVersion));
    }
    if (!reader.ok())
        return Status::failure(describe(object, kind, where) + u": "_s + reader.error());
    out.append(*resource);
    return Ok{};
}

} // namespace

Result<QList<Resource>> parseManifests(const QByteArray &yaml)
{
    const auto documents = YamlCodec::parse(yaml);
    if (!documents)
        return Result<QList<Resource>>::failure(documents.error());
    QList<Resource> resources;
    for (const YamlDocument &document : *documents) {
        const QString where = u"document %1, line %2"_s.arg(document.index).arg(document.line);
        if (Status status = decodeDocument(document.object, where, resources); !status)
            return Result<QList<Resource>>::failure(status.error());
    }
    return resources;
}

Result<QList<Resource>> parseManifestJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Result<QList<Resource>>::failure(
            u"JSON syntax error at offset %1: %2"_s.arg(error.offset).arg(error.errorString()));
    if (!document.isObject())
        return Result<QList<Resource>>::failure(u"expected a JSON object"_s);
    QList<Resource> resources;
    if (Status status = decodeDocument(document.object(), u"document 1"_s, resources); !status)
        return Result<QList<Resource>>::failure(status.error());
    return resources;
}

} // namespace quarry::config
