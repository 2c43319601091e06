// What the pickers on the Backends and Routes forms offer: names read from the config store, the
// keychain catalogue (names only) and ~/.aws/config. Filled by the ResourceBrowser on every refresh.
#pragma once

#include "config/Resources.h"

#include <QStringList>

namespace quarry::ui {

struct FormChoices
{
    config::ResourceSet resources; // the stored set: backends, ConfigMaps, other routes
    QString gatewayName = QStringLiteral("agentgateway");
    QStringList secrets;     // "namespace/name" from the keychain catalogue
    QStringList awsProfiles; // profile names from ~/.aws/config and ~/.aws/credentials

    // Sorted names from "namespace/name" keys: "name" in `ns`; keys elsewhere as "namespace/name"
    // when the reference may cross namespaces, else left out.
    static QStringList namesIn(const QStringList &keys, const QString &ns, bool crossNamespace);
    QStringList backends(const QString &ns) const;   // backendRefs may name another namespace
    QStringList configMaps(const QString &ns) const; // caCertificateRefs: same namespace only
    QStringList secretsIn(const QString &ns) const { return namesIn(secrets, ns, false); }
};

} // namespace quarry::ui
