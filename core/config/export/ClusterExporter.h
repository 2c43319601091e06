// `quarry export` and the Export dialog: the stored resources rendered for a cluster — Gateway and
// HTTPRoute as they are, backends in the target's shape, Secrets as placeholders — with the
// desktop-only settings left out and said so (DesktopOnly), never copied in silence.
#pragma once

#include "config/Resources.h"
#include "config/export/ExportTarget.h"
#include "config/export/ExportedManifests.h"

#include <QHash>
#include <QStringList>

namespace quarry::config {

struct ExportOptions
{
    enum class Secrets { Manifest, Kubectl };

    ExportTarget target = ExportTarget::Agentgateway;
    QString ns; // empty: every resource keeps its namespace
    Secrets secrets = Secrets::Manifest;
    // The key names (never values) of the user's Secrets, by "namespace/name", from the catalogue.
    QHash<QString, QStringList> secretKeys;
};

class ClusterExporter
{
public:
    static ExportedManifests run(const ResourceSet &resources, const ExportOptions &options);
};

} // namespace quarry::config
