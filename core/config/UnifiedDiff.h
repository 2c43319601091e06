// A unified diff of two texts, line by line, as `diff -u` prints it (`quarry diff`).
#pragma once

#include <QString>
#include <QStringList>

namespace quarry::config {

// Empty when the texts are equal; otherwise "--- fromName", "+++ toName" and hunks with
// `context` unchanged lines around each change.
QString unifiedDiff(const QStringList &from, const QStringList &to, const QString &fromName,
                    const QString &toName, int context = 3);

} // namespace quarry::config
