// Headers as the traffic inspector shows them: what went over the wire, credentials redacted.
#pragma once

#include "http/HttpRequest.h"

#include <QList>
#include <QPair>
#include <QString>

namespace quarry::gateway {

QList<QPair<QString, QString>> capturedHeaders(const http::HttpHeaders &headers);

} // namespace quarry::gateway
