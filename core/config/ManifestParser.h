// Manifest text (multi-document YAML, as users paste into `quarry apply -f`) -> typed resources.
#pragma once

#include "config/Resources.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>

namespace quarry::config {

// All or nothing: the first problem fails the whole input, e.g.
//   AgentgatewayBackend "bedrock": unknown field "spec.ai.provider.bedrock.modle"
// A v2.1 Backend comes back as an AiBackend with convertedFrom == "Backend v2.1".
// A `kind: List` (kubectl get -o yaml of several objects) is expanded into its items.
Result<QList<Resource>> parseManifests(const QByteArray &yaml);

// The same, from JSON (one object or a List), as `kubectl get -o json` prints it.
Result<QList<Resource>> parseManifestJson(const QByteArray &json);

} // namespace quarry::config
