// Warnings about a resource set: dangling references (routes to backends that do not exist,
// backends whose auth names a secret the keychain catalogue does not list, or whose TLS names a
// ConfigMap without a ca.crt) and fields Quarry
// accepts but does not apply (NotApplied: kept in the file and for export to a cluster, so they
// are never dropped, but the desktop gateway does not act on them). Warnings, not errors: kubectl
// applies such objects too, and the missing piece may well be created next.
#pragma once

#include "config/Resources.h"

#include <QList>
#include <QSet>
#include <QString>

namespace quarry::config {

struct ReferenceWarning
{
    enum class Problem { MissingBackend, MissingSecret, MissingConfigMap, NotApplied };

    ResourceKind kind = ResourceKind::HttpRoute; // the resource that holds the reference
    QString ns;
    QString name;
    Problem problem = Problem::MissingBackend;
    QString target;  // what it names, "namespace/name" (empty for NotApplied)
    QString path;    // the field, e.g. spec.rules[0].backendRefs[1].name
    QString message; // one sentence for a person, without the resource's own name

    bool isAbout(ResourceKind resourceKind, const QString &resourceNs, const QString &resourceName) const
    {
        return kind == resourceKind && ns == resourceNs && name == resourceName;
    }
};

class ReferenceCheck
{
public:
    // knownSecrets: "namespace/name" of every secret in the catalogue (names only, no values).
    // Pure: reads nothing but its arguments. Warnings come in resource order, routes first.
    static QList<ReferenceWarning> check(const ResourceSet &resources, const QSet<QString> &knownSecrets);
};

} // namespace quarry::config
