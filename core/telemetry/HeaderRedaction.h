// Which header values may be shown: credentials and signatures never are, anywhere.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace quarry::telemetry {

// The value as it may be displayed: "Bearer <redacted>", "AWS4-HMAC-SHA256 <redacted>", ...
QString displayableHeaderValue(const QByteArray &name, const QByteArray &value);

QList<QPair<QString, QString>> displayableHeaders(const QList<QPair<QByteArray, QByteArray>> &headers);

} // namespace quarry::telemetry
