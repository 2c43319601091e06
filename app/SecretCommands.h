// Secrets from the CLI: values go to the OS keychain, key names to the catalog, nothing else.
#pragma once

#include "config/Resources.h"
#include "ResourceTable.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace quarry::cli {

Status storeSecret(const QString &configDir, const config::SecretManifest &secret);
// Removes the keychain item and the catalogue entry, whichever exist; says which (for the user).
Result<QString> deleteSecret(const QString &configDir, const QString &ns, const QString &name);
// `quarry get secrets`: key names and when they changed, never values.
void listSecrets(const QString &configDir, const QString &ns, const QString &name, QList<QJsonObject> &objects,
                 ResourceTable &table);

} // namespace quarry::cli
