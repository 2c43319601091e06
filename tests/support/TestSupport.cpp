// Helpers shared by the test suites.
#include "TestSupport.h"

#include <QFile>
#include <QTest>

namespace quarry::test {

QString dataPath(const QString &relative)
{
    return QStringLiteral(QUARRY_TEST_DATA_DIR) + QLatin1Char('/') + relative;
}

QByteArray readData(const QString &relative)
{
    QFile file(dataPath(relative));
    if (!file.open(QIODevice::ReadOnly)) {
        QTest::qFail(qPrintable(QStringLiteral("missing fixture ") + relative), __FILE__, __LINE__);
        return {};
    }
    return file.readAll();
}

} // namespace quarry::test
