// A CapturedMessage as stored in history: one versioned blob (QDataStream).
#pragma once

#include "telemetry/TrafficRecord.h"

#include <QByteArray>

namespace quarry::telemetry {

QByteArray encodeCapture(const CapturedMessage &message);
// An empty or unreadable blob gives an empty message.
CapturedMessage decodeCapture(const QByteArray &blob);

} // namespace quarry::telemetry
