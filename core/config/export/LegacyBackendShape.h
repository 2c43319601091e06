// kgateway v2.1's Backend (spec.type AI, ai.llm.bedrock or ai.priorityGroups) from the model.
// v2.1 has fewer fields than v2.2: what it lacks is reported as a warning, never dropped in silence.
#pragma once

#include "config/Resources.h"

#include <QJsonObject>
#include <QStringList>

namespace quarry::config {

class LegacyBackendShape
{
public:
    static QJsonObject encode(const AiBackend &backend, QStringList &warnings);
};

} // namespace quarry::config
