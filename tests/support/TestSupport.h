// Helpers shared by the test suites: fixture paths, and skips that CTest reports as skips.
#pragma once

#include <QByteArray>
#include <QString>

namespace quarry::test {

// Absolute path of a file under tests/data.
QString dataPath(const QString &relative);

// The bytes of a file under tests/data; fails the current test if it is missing.
QByteArray readData(const QString &relative);

// The exit status of a suite that skipped something and failed nothing; tests/CMakeLists.txt sets
// it as every suite's SKIP_RETURN_CODE, so CTest lists the suite as skipped, never as passed.
inline constexpr int kSkipReturnCode = 77;

// True under CI=true: there every required suite must run, so a missing dependency fails.
bool everythingMustRun();

// Remembers that the suite skipped something (QUARRY_REQUIRE calls it).
void noteSkipped();

// What a suite's main returns: QTest's failure count, or kSkipReturnCode when nothing failed
// but something was skipped.
int exitCode(int failures);

} // namespace quarry::test

// The only way a suite may skip: when `available` is false, the current test function fails
// under CI=true ("... missing: <dependency>") and is skipped otherwise, and the suite then exits
// with kSkipReturnCode. `dependency` is a string literal naming what is missing and how to get it.
// Only suites whose main is QUARRY_TEST_MAIN / QUARRY_TEST_GUILESS_MAIN may use it.
#define QUARRY_REQUIRE(available, dependency)                                                          \
    do {                                                                                               \
        if (!(available)) {                                                                            \
            if (quarry::test::everythingMustRun())                                                     \
                QFAIL("CI=true requires every suite to run, and a dependency is missing: " dependency); \
            quarry::test::noteSkipped();                                                               \
            QSKIP(dependency);                                                                         \
        }                                                                                              \
    } while (false)

// QTEST_GUILESS_MAIN / QTEST_MAIN (widgets) with the exit status above.
#define QUARRY_TEST_GUILESS_MAIN(TestObject)                                                           \
    int main(int argc, char *argv[])                                                                   \
    {                                                                                                  \
        QCoreApplication app(argc, argv);                                                              \
        TestObject tc;                                                                                 \
        QTEST_SET_MAIN_SOURCE_PATH                                                                     \
        return quarry::test::exitCode(QTest::qExec(&tc, argc, argv));                                  \
    }
#define QUARRY_TEST_MAIN(TestObject)                                                                   \
    int main(int argc, char *argv[])                                                                   \
    {                                                                                                  \
        QApplication app(argc, argv);                                                                  \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                       \
        TestObject tc;                                                                                 \
        QTEST_SET_MAIN_SOURCE_PATH                                                                     \
        return quarry::test::exitCode(QTest::qExec(&tc, argc, argv));                                  \
    }
