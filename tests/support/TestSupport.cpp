// Helpers shared by the test suites.
#include "TestSupport.h"

#include <QFile>
#include <QTest>

#include <atomic>

namespace quarry::test {

namespace {
std::atomic<bool> s_skipped{false};
} // namespace

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

bool everythingMustRun()
{
    return qEnvironmentVariable("CI") == QStringLiteral("true");
}

void noteSkipped()
{
    s_skipped = true;
}

int exitCode(int failures)
{
    return failures == 0 && s_skipped ? kSkipReturnCode : failures;
}

} // namespace quarry::test
