// SecretId and SecretData: how a secret is named (Kubernetes namespace/name) and what it holds.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace quarry::secrets {

// key -> value, e.g. accessKey/secretKey/sessionToken, or Authorization for a Bedrock API key.
using SecretData = QMap<QString, QByteArray>;

struct SecretId
{
    QString ns;
    QString name;

    // "ns/name", as kubectl shows it; also the tail of the keychain item's key.
    QString toString() const { return ns + u'/' + name; }
    // Both parts present and free of '/', so toString() can be split back unambiguously.
    bool isValid() const
    {
        return !ns.isEmpty() && !name.isEmpty() && !ns.contains(u'/') && !name.contains(u'/');
    }

    friend bool operator==(const SecretId &, const SecretId &) = default;
};

} // namespace quarry::secrets
