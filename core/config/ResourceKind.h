// Names of the resource kinds: the Kubernetes Kind, the plural kubectl prints, the CLI spellings.
#pragma once

#include "config/Resources.h"

#include <QString>
#include <QStringView>

#include <optional>

namespace quarry::config {

// "backend(s)|agentgatewaybackend(s)", "route(s)|httproute(s)", "gateway(s)", "configmap(s)|cm",
// "secret(s)";
// case-insensitive, as kubectl accepts them.
std::optional<ResourceKind> parseResourceKind(QStringView cliName);

// The manifest Kind: "Gateway", "HTTPRoute", "AgentgatewayBackend", "Secret".
QString kindName(ResourceKind kind);

// The plural kubectl uses in messages: "gateways", "httproutes", "backends", "secrets".
QString pluralName(ResourceKind kind);

} // namespace quarry::config
