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

    // What `get -o yaml` and the window show in place of an inline key (spec.policies.auth.key); a
    // manifest holding it is refused, so printed output applied again cannot store it as the key.
    static inline const QString kRedactedKey =
        QStringLiteral("<redacted: quarry keeps inline keys in the OS keychain>");

    // redactKeys: an inline key is written as kRedactedKey (everything but an explicit export).
    static QJsonObject encode(const AiBackend &backend, bool redactKeys = true);
};

} // namespace quarry::config
