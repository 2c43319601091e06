// Gateway (gateway.networking.k8s.io/v1) manifest <-> Gateway.
#pragma once

#include "config/FieldReader.h"
#include "config/Resources.h"

#include <QJsonObject>

namespace quarry::config {

class GatewayCodec
{
public:
    static inline const QString kApiVersion = QStringLiteral("gateway.networking.k8s.io/v1");

    static Gateway decode(FieldReader &document);
    static QJsonObject encode(const Gateway &gateway);
};

} // namespace quarry::config
