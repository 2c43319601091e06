// Secret (v1) manifest <-> SecretManifest. The config module never stores these: they go to the keychain.
#include "config/SecretCodec.h"

#include "config/MetaCodec.h"

using namespace Qt::StringLiterals;

namespace quarry::config {
SecretManifest SecretCodec::decode(FieldReader &document)
{
    document.allowOnly({"apiVersion", "kind", "metadata", "type", "stringData", "data", "immutable"});
    SecretManifest secret;
    secret.meta = MetaCodec::decode(document);
    secret.type = document.string(u"type"_s);
    document.boolean(u"immutable"_s);
    const QMap<QString, QString> data = document.stringMap(u"data"_s);
    const QMap<QString, QString> stringData = document.stringMap(u"stringData"_s);
    if (!MetaCodec::checkDataKeys(document, u"data"_s, data) ||
        !MetaCodec::checkDataKeys(document, u"stringData"_s, stringData))
        return secret;
    for (auto it = data.begin(); it != data.end(); ++it) {
        auto decoded = QByteArray::fromBase64Encoding(it.value().toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            document.failField(u"data."_s + it.key(), u"illegal base64 data"_s); // value not echoed
            return secret;
        }
        secret.data.insert(it.key(), *decoded);
    }
    for (auto it = stringData.begin(); it != stringData.end(); ++it)
        secret.data.insert(it.key(), it.value().toUtf8());
    return secret;
}

QJsonObject SecretCodec::encode(const SecretManifest &secret, Values values)
{
    QJsonObject data;
    for (auto it = secret.data.begin(); it != secret.data.end(); ++it) {
        data.insert(it.key(), values == Values::Include ? QString::fromLatin1(it.value().toBase64())
                                                        : QString());
    }
    QJsonObject object{{u"apiVersion"_s, u"v1"_s},
                       {u"kind"_s, u"Secret"_s},
                       {u"metadata"_s, MetaCodec::encode(secret.meta)}};
    if (!secret.type.isEmpty())
        object.insert(u"type"_s, secret.type);
    if (!data.isEmpty())
        object.insert(u"data"_s, data);
    return object;
}

} // namespace quarry::config
