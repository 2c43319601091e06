// A CapturedMessage as stored in history: one versioned blob. Version 2 (written now) is
// length-prefixed bytes; version 1 (QDataStream, UTF-16 strings) is still read.
#pragma once

#include "telemetry/TrafficRecord.h"

#include <QByteArray>

namespace quarry::telemetry {

QByteArray encodeCapture(const CapturedMessage &message);
// An empty or unreadable blob gives an empty message.
CapturedMessage decodeCapture(const QByteArray &blob);

} // namespace quarry::telemetry
