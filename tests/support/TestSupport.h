// Helpers shared by the test suites: fixture paths and throwaway directories.
#pragma once

#include <QByteArray>
#include <QString>

namespace quarry::test {

// Absolute path of a file under tests/data.
QString dataPath(const QString &relative);

// The bytes of a file under tests/data; fails the current test if it is missing.
QByteArray readData(const QString &relative);

} // namespace quarry::test
