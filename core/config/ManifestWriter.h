// Typed resources -> manifests in the shape kubectl shows (apiVersion, kind, metadata, spec),
// only fields that are set, keys in a deterministic (alphabetical, as kubectl) order.
#pragma once

#include "config/Resources.h"
#include "config/SecretCodec.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace quarry::config {

class ManifestWriter
{
public:
    using SecretValues = SecretCodec::Values;

    // Redact (every CLI and window path): Secret values are "", an inline API key is
    // AiBackendCodec::kRedactedKey. Include is for resources.yaml itself and an explicit export
    // (none exists yet): with InlineKeys::restore it renders keys moved to the keychain as `key` again.
    static QJsonObject toJson(const Resource &resource, SecretValues secrets = SecretValues::Redact);
    // Multi-document YAML, '---' between documents.
    static QByteArray toYaml(const QList<Resource> &resources,
                             SecretValues secrets = SecretValues::Redact);
    // One object for one resource, else a kubectl-style `kind: List`.
    static QByteArray toJsonText(const QList<Resource> &resources,
                                 SecretValues secrets = SecretValues::Redact);

    // The store's order: gateways, backends, routes.
    static QList<Resource> resources(const ResourceSet &set);
};

} // namespace quarry::config
