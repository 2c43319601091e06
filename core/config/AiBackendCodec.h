// AgentgatewayBackend (v2.2) manifest <-> AiBackend, and the v2.1 Backend shape converted on import.
#pragma once

#include "config/FieldReader.h"
#include "config/Resources.h"

#include <QJsonObject>

namespace quarry::config {

class AiBackendCodec
{
public:
    static inline const QString kLegacyApiVersion = QStringLiteral("gateway.kgateway.dev/v1alpha1");

    // kind AgentgatewayBackend; apiVersion already checked by the caller and kept as given.
    static AiBackend decode(FieldReader &document, const QString &apiVersion);
    // kind Backend (kgateway v2.1): spec.type AI, spec.ai.llm.bedrock -> the v2.2 model.
    static AiBackend decodeLegacy(FieldReader &document);

    static QJsonObject encode(const AiBackend &backend);
};

} // namespace quarry::config
