// Field names from the shipped CRD schemas (see CrdFields.h).
#include "editors/CrdFields.h"

#include "config/YamlCodec.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

QString schemaFile(config::ResourceKind kind)
{
    switch (kind) {
    case config::ResourceKind::Backend:
        return u":/quarry/schemas/agentgatewaybackends.yaml"_s;
    case config::ResourceKind::HttpRoute:
        return u":/quarry/schemas/httproutes.yaml"_s;
    default:
        return {};
    }
}

// The openAPIV3Schema of the version the API server stores (the one manifests are written in).
QJsonObject loadSchema(const QString &fileName)
{
    QFile file(fileName);
    if (fileName.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    const auto documents = config::YamlCodec::parse(file.readAll());
    if (!documents.ok() || documents->isEmpty())
        return {};
    const QJsonArray versions =
        documents->first().object.value(u"spec"_s).toObject().value(u"versions"_s).toArray();
    for (const auto &version : versions) {
        const QJsonObject object = version.toObject();
        if (object.value(u"storage"_s).toBool())
            return object.value(u"schema"_s).toObject().value(u"openAPIV3Schema"_s).toObject();
    }
    return {};
}

// Parsed once per kind, on the first completion: the schemas are large and most sessions never ask.
const QJsonObject &schemaFor(config::ResourceKind kind)
{
    static QHash<int, QJsonObject> cache;
    const int key = static_cast<int>(kind);
    if (!cache.contains(key))
        cache.insert(key, loadSchema(schemaFile(kind)));
    return cache[key];
}

} // namespace

QStringList CrdFields::at(config::ResourceKind kind, const QStringList &parent)
{
    if (parent == QStringList{u"metadata"_s}) // ObjectMeta has no schema in a CRD; these are the ones read
        return {u"annotations"_s, u"labels"_s, u"name"_s, u"namespace"_s};
    QJsonObject node = schemaFor(kind);
    for (const QString &part : parent) {
        if (part == u"[]"_s) {
            node = node.value(u"items"_s).toObject();
            continue;
        }
        const QJsonObject properties = node.value(u"properties"_s).toObject();
        node = properties.value(part).toObject();
    }
    QStringList names = node.value(u"properties"_s).toObject().keys();
    if (parent.isEmpty())
        names.removeAll(u"status"_s); // written by a controller, never by hand
    return names;
}

} // namespace quarry::ui
