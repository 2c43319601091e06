// HTTPRoute (gateway.networking.k8s.io/v1) manifest <-> HttpRoute.
#pragma once

#include "config/FieldReader.h"
#include "config/Resources.h"

#include <QJsonObject>

namespace quarry::config {

class HttpRouteCodec
{
public:
    static inline const QString kApiVersion = QStringLiteral("gateway.networking.k8s.io/v1");

    // A rule without matches gets the Gateway API default, PathPrefix "/".
    static HttpRoute decode(FieldReader &document);
    static QJsonObject encode(const HttpRoute &route);
};

} // namespace quarry::config
