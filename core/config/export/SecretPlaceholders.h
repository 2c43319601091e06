// The Secrets exported backends refer to, as manifests with placeholder values or as
// `kubectl create secret generic` commands that read the values from environment variables.
// Only key names are ever known here: values stay in the desktop's keychain.
#pragma once

#include "config/Resources.h"
#include "config/export/ExportedManifests.h"

#include <QHash>
#include <QList>
#include <QStringList>

namespace quarry::config {

struct SecretReference
{
    QString ns;
    QString name;
    BackendAuth::Kind kind = BackendAuth::Kind::SecretRef;
    QString usedBy; // the backend's name, for the comment
    bool operator==(const SecretReference &) const = default;
};

class SecretPlaceholders
{
public:
    // Every Secret the backends refer to (their own auth and their group providers'), once each.
    static QList<SecretReference> referencedBy(const QList<AiBackend> &backends);

    // The key names: the ones the user's Secret holds when known (`known`, by "namespace/name"),
    // else those agentgateway reads for that reference (an API key, or AWS access keys).
    static QStringList keysFor(const SecretReference &reference, const QHash<QString, QStringList> &known);

    // The environment variable a key's value is expected in (AWS_ACCESS_KEY_ID for accessKey, ...).
    static QString environmentVariable(const QString &key);

    // A v1 Secret with each key's value "${VARIABLE}", ready for envsubst.
    static ExportedDocument manifest(const SecretReference &reference, const QStringList &keys);
    static QString kubectlCommand(const SecretReference &reference, const QStringList &keys);
};

} // namespace quarry::config
