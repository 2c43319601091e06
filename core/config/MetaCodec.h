// The parts every manifest shares: metadata, and the apiVersion/kind/metadata/spec envelope.
#pragma once

#include "config/FieldReader.h"
#include "config/Resources.h"

#include <QJsonObject>

namespace quarry::config {

class MetaCodec
{
public:
    // Reads "metadata" from a document; name is required, namespace defaults to kDefaultNamespace.
    // Read-only fields kubectl prints (uid, resourceVersion, ...) are accepted and dropped,
    // so `kubectl get -o yaml` output can be applied.
    static ObjectMeta decode(FieldReader &document);
    static QJsonObject encode(const ObjectMeta &meta);

    // Labels, annotations, a ConfigMap's data: string to string.
    static QJsonObject stringMapToJson(const QMap<QString, QString> &map);
    // The keys of a Secret's or ConfigMap's data, as Kubernetes allows them ([-._a-zA-Z0-9]+).
    static bool checkDataKeys(FieldReader &reader, const QString &field, const QMap<QString, QString> &map);

    static QJsonObject document(const QString &apiVersion, const QString &kind,
                                const ObjectMeta &meta, const QJsonObject &spec);
};

} // namespace quarry::config
