// ConfigMap (v1) manifest <-> ConfigMap.
#include "config/ConfigMapCodec.h"

#include "config/MetaCodec.h"

using namespace Qt::StringLiterals;

namespace quarry::config {

ConfigMap ConfigMapCodec::decode(FieldReader &document)
{
    document.allowOnly({"apiVersion", "kind", "metadata", "data", "binaryData", "immutable"});
    ConfigMap configMap;
    configMap.meta = MetaCodec::decode(document);
    document.boolean(u"immutable"_s);
    if (document.has(u"binaryData"_s))
        document.failField(u"binaryData"_s, u"not supported: put PEM text (ca.crt) under data"_s);
    configMap.data = document.stringMap(u"data"_s);
    MetaCodec::checkDataKeys(document, u"data"_s, configMap.data);
    return configMap;
}

QJsonObject ConfigMapCodec::encode(const ConfigMap &configMap)
{
    const QJsonObject data = MetaCodec::stringMapToJson(configMap.data);
    QJsonObject object{{u"apiVersion"_s, u"v1"_s},
                       {u"kind"_s, u"ConfigMap"_s},
                       {u"metadata"_s, MetaCodec::encode(configMap.meta)}};
    if (!data.isEmpty())
        object.insert(u"data"_s, data);
    return object;
}

} // namespace quarry::config
