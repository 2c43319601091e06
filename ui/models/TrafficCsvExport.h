// Writes requests to a CSV file (the columns of `quarry history -o csv`) on a pool thread, so the
// GUI thread neither formats thousands of rows nor waits for the disk.
#pragma once

#include "telemetry/HistoryQuery.h"

#include <QObject>

#include <functional>

namespace quarry::ui {

// `done` runs on the GUI thread, unless `context` is gone by then, with an empty string or why the
// file could not be written.
void exportTrafficCsv(QList<telemetry::HistoryEntry> entries, const QString &path, QObject *context,
                      std::function<void(const QString &error)> done);

} // namespace quarry::ui
