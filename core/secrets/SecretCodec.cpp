// SecretCodec: SecretData <-> the bytes of one keychain item.
#include "secrets/SecretCodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QString>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

namespace {

const QString kBase64Marker = u"base64"_s;

bool isUtf8Text(const QByteArray &bytes)
{
    // A lossless round trip means no invalid sequences were replaced with U+FFFD.
    return QString::fromUtf8(bytes).toUtf8() == bytes;
}

} // namespace

QByteArray SecretCodec::encode(const SecretData &data)
{
    QJsonObject object;
    for (auto it = data.cbegin(); it != data.cend(); ++it) {
        if (isUtf8Text(it.value()))
            object.insert(it.key(), QString::fromUtf8(it.value()));
        else
            object.insert(it.key(), QJsonObject{{kBase64Marker, QString::fromLatin1(it.value().toBase64())}});
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Result<SecretData> SecretCodec::decode(const QByteArray &bytes)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Result<SecretData>::failure(
            u"the keychain item is not a Quarry secret (expected a JSON object)"_s);

    SecretData data;
    const QJsonObject object = doc.object();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QJsonValue value = it.value();
        if (value.isString()) {
            data.insert(it.key(), value.toString().toUtf8());
            continue;
        }
        const QJsonValue encoded = value.toObject().value(kBase64Marker);
        const auto decoded = QByteArray::fromBase64Encoding(encoded.toString().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (!value.isObject() || !encoded.isString() || !decoded)
            return Result<SecretData>::failure(
                u"the keychain item has a malformed value for key \"%1\""_s.arg(it.key()));
        data.insert(it.key(), *decoded);
    }
    return data;
}

} // namespace quarry::secrets
