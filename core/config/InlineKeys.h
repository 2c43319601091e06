// Inline API keys (spec.policies.auth.key) moved out of resources.yaml: each becomes a Secret in the
// OS keychain and the backend keeps a secretRef to it, so the file and `get -o yaml` never hold it.
#pragma once

#include "config/Resources.h"

#include <QHash>
#include <QList>
#include <QString>

namespace quarry::config {

// The reference's shape: a generated Secret "<backend>-inline-key" ("<backend>-<provider>-inline-key"
// for a group provider's own auth) holding the key under "Authorization", the key agentgateway's own
// secretRef reads a Bedrock API key from, so credential resolution and a cluster export need nothing
// new. The annotation lists those names, so export can tell them from Secrets the user made and
// render them back as `key`, and `delete backend` removes them with it.
class InlineKeys
{
public:
    static inline const QString kAnnotation = QStringLiteral("quarry.dev/inline-key-secrets");
    static inline const QString kSecretKey = QStringLiteral("Authorization");

    struct Moved
    {
        QString backend; // the backend's name
        QString ns;
        QString secretName;
        QString value; // a credential: never log it
    };

    // Rewrites every inline key of the backend into a secretRef to its generated Secret and records
    // the names in kAnnotation; returns what must go to the keychain (empty: nothing was inline).
    static QList<Moved> extract(AiBackend &backend);
    // The same over a list of resources (only backends change).
    static QList<Moved> extract(QList<Resource> &resources);
    static bool hasInlineKey(const AiBackend &backend);

    // The generated Secrets the backend refers to (kAnnotation), in its namespace.
    static QStringList secretNames(const AiBackend &backend);

    // For an explicit export only: secretRefs to generated Secrets become `key` again, with the
    // values read from the keychain (by secret name); refs whose value is not given stay refs.
    static void restore(AiBackend &backend, const QHash<QString, QString> &values);

    // The generated name for the backend's own auth (provider empty) or a group provider's.
    static QString secretNameFor(const QString &backendName, const QString &provider = {});
};

} // namespace quarry::config
