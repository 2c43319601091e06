// Secret (v1) manifest <-> SecretManifest. The config module never stores these: they go to the keychain.
#pragma once

#include "config/FieldReader.h"
#include "config/Resources.h"

#include <QJsonObject>

namespace quarry::config {

class SecretCodec
{
public:
    enum class Values { Redact, Include };

    // stringData and base64-decoded data merged; stringData wins, as in Kubernetes.
    static SecretManifest decode(FieldReader &document);
    // Values::Redact writes every value as "" so a printed Secret shows its keys only.
    static QJsonObject encode(const SecretManifest &secret, Values values);
};

} // namespace quarry::config
