// Where an upstream connection goes and how: sockets are pooled and reused per destination.
#pragma once

#include "gateway/upstream/UpstreamTls.h"

#include <QString>

namespace quarry::gateway::upstream {

struct Destination
{
    QString scheme; // "https" or "http"
    QString host;
    int port = 0;
    UpstreamTls tls; // used for https only

    bool secure() const { return scheme == QStringLiteral("https"); }
    // Sockets made for one key are never handed to a call for another.
    QString poolKey() const
    {
        return scheme + QStringLiteral("://") + host + u':' + QString::number(port) +
               (secure() ? u' ' + tls.fingerprint() : QString());
    }
};

} // namespace quarry::gateway::upstream
