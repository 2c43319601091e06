// The parts every manifest shares: metadata, and the apiVersion/kind/metadata/spec envelope.
#include "config/MetaCodec.h"

using namespace Qt::StringLiterals;

namespace quarry::config {
ObjectMeta MetaCodec::decode(FieldReader &document)
{
    // RFC 1123 subdomain / label, as Kubernetes requires for names and namespaces.
    static const QRegularExpression kName(
        u"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"_s);
    static const QRegularExpression kNamespace(u"^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$"_s);
    ObjectMeta meta;
    auto metadata = document.child(u"metadata"_s, FieldReader::Required);
    if (!metadata)
        return meta;
    // What `kubectl get -o yaml` prints besides name, namespace, labels and annotations is the
    // cluster's bookkeeping: accepted, so such output applies as it is, and not kept.
    metadata->allowOnly({"name", "namespace", "labels", "annotations", "uid", "resourceVersion", "generation",
                         "creationTimestamp", "managedFields", "finalizers", "ownerReferences", "selfLink",
                         "deletionTimestamp", "deletionGracePeriodSeconds", "generateName"});
    meta.name = metadata->patternString(u"name"_s, kName, FieldReader::Required);
    if (metadata->has(u"namespace"_s))
        meta.ns = metadata->patternString(u"namespace"_s, kNamespace);
    meta.labels = metadata->stringMap(u"labels"_s);
    meta.annotations = metadata->stringMap(u"annotations"_s);
    // kubectl's copy of the whole manifest as last applied: a stale duplicate once imported.
    meta.annotations.remove(u"kubectl.kubernetes.io/last-applied-configuration"_s);
    return meta;
}

QJsonObject MetaCodec::encode(const ObjectMeta &meta)
{
    QJsonObject object{{u"name"_s, meta.name}, {u"namespace"_s, meta.ns}};
    if (!meta.labels.isEmpty())
        object.insert(u"labels"_s, stringMapToJson(meta.labels));
    if (!meta.annotations.isEmpty())
        object.insert(u"annotations"_s, stringMapToJson(meta.annotations));
    return object;
}

QJsonObject MetaCodec::document(const QString &apiVersion, const QString &kind,
                                const ObjectMeta &meta, const QJsonObject &spec)
{
    return QJsonObject{{u"apiVersion"_s, apiVersion},
                       {u"kind"_s, kind},
                       {u"metadata"_s, encode(meta)},
                       {u"spec"_s, spec}};
}

QJsonObject MetaCodec::stringMapToJson(const QMap<QString, QString> &map)
{
    QJsonObject object;
    for (auto it = map.begin(); it != map.end(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

bool MetaCodec::checkDataKeys(FieldReader &reader, const QString &field, const QMap<QString, QString> &map)
{
    static const QRegularExpression kKey(u"^[-._a-zA-Z0-9]+$"_s);
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!kKey.match(it.key()).hasMatch()) {
            reader.failField(field, u"invalid key \"%1\": must match %2"_s.arg(it.key(), kKey.pattern()));
            return false;
        }
    }
    return true;
}

} // namespace quarry::config
