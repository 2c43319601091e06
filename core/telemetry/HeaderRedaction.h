// Which header values may be shown: credentials and signatures never are, anywhere.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace quarry::telemetry {

// The value as it may be kept: credentials replaced ("Bearer <redacted>", "AWS4-HMAC-SHA256
// <redacted>", ...), any other value the same bytes, shared.
QByteArray redactedHeaderValue(const QByteArray &name, const QByteArray &value);
// The value as it may be displayed: redactedHeaderValue() as text.
QString displayableHeaderValue(const QByteArray &name, const QByteArray &value);

QList<QPair<QString, QString>> displayableHeaders(const QList<QPair<QByteArray, QByteArray>> &headers);

} // namespace quarry::telemetry
