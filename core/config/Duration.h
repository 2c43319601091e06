// Go/Gateway API durations ("30s", "1m30s", "500ms") <-> milliseconds.
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace quarry::config {

// The pattern the CRDs enforce: ^([0-9]{1,5}(h|m|s|ms)){1,4}$. nullopt when it doesn't match.
std::optional<qint64> parseDuration(QStringView text);

// The shortest such string for a number of milliseconds, e.g. 90000 -> "1m30s", 0 -> "0s".
QString formatDuration(qint64 milliseconds);

} // namespace quarry::config
