// One Converse tool definition: {"toolSpec": {"name", "description", "inputSchema": {"json"}}}.
#pragma once

#include <QJsonObject>
#include <QString>

namespace quarry::bedrock {

// `name` must already be a Bedrock name (ToolNameMapper). An empty description is left out:
// Bedrock rejects it.
QJsonObject toolSpec(const QString &name, const QString &description, const QJsonObject &schema);

} // namespace quarry::bedrock
