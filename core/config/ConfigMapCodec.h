// ConfigMap (v1) manifest <-> ConfigMap. Quarry reads one kind of ConfigMap: the CA bundle a
// backend's policies.tls.caCertificateRefs names (key `ca.crt`, PEM), as agentgateway does.
#pragma once

#include "config/FieldReader.h"
#include "config/Resources.h"

#include <QJsonObject>

namespace quarry::config {

class ConfigMapCodec
{
public:
    static ConfigMap decode(FieldReader &document);
    static QJsonObject encode(const ConfigMap &configMap);
};

} // namespace quarry::config
