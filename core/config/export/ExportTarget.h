// The cluster flavours `quarry export` writes for, and the backend resource each one expects.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace quarry::config {

enum class ExportTarget {
    Agentgateway, // the released agentgateway.dev/v1alpha1 AgentgatewayBackend
    KgatewayV22,  // the same shape under gateway.kgateway.dev (the seed's manifests)
    KgatewayV21,  // kgateway v2.1's Backend with spec.type AI and ai.llm.bedrock
};

// "agentgateway", "kgateway-v2.2", "kgateway-v2.1".
std::optional<ExportTarget> parseExportTarget(QStringView name);
QString exportTargetName(ExportTarget target);
QStringList exportTargetNames();

// The backend's API group and Kind on that target (what HTTPRoute backendRefs name).
QString backendGroup(ExportTarget target);
QString backendKind(ExportTarget target);

} // namespace quarry::config
