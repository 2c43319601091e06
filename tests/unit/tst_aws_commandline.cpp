// credential_process command lines split as the AWS CLI splits them. The expected lists were printed
// by Python's shlex.split and botocore.compat._windows_shell_split (Debian's python3-botocore), the
// implementations botocore's ProcessProvider uses, not by Quarry's code.
#include "aws/credentials/CommandLineSplit.h"

#include <QTest>

using namespace Qt::StringLiterals;
using quarry::aws::CommandLineSplit;

class TestAwsCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void posix_data();
    void posix();
    void posixRefusesWhatShlexRefuses();
    void windows_data();
    void windows();
};

void TestAwsCommandLine::posix_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("quoted path with spaces")
        << uR"("/opt/my tools/helper" --profile dev)"_s
        << QStringList{u"/opt/my tools/helper"_s, u"--profile"_s, u"dev"_s};
    QTest::newRow("shell characters stay literal")
        << uR"(helper $HOME ';' '|' "a b" x\ y)"_s
        << QStringList{u"helper"_s, u"$HOME"_s, u";"_s, u"|"_s, u"a b"_s, u"x y"_s};
    QTest::newRow("escapes inside double quotes")
        << uR"(a "b \"c\" \$d \\e" 'f\g' )"_s << QStringList{u"a"_s, uR"(b "c" \$d \e)"_s, uR"(f\g)"_s};
    QTest::newRow("empty quotes are words")
        << uR"(cmd ""  '' tail)"_s << QStringList{u"cmd"_s, QString(), QString(), u"tail"_s};
    QTest::newRow("no operators, no substitution")
        << uR"(one;two|three&&four $(id) `id` *)"_s
        << QStringList{u"one;two|three&&four"_s, u"$(id)"_s, u"`id`"_s, u"*"_s};
    QTest::newRow("backslashes") << uR"(a\\b "c\nd")"_s << QStringList{uR"(a\b)"_s, uR"(c\nd)"_s};
    QTest::newRow("whitespace around") << u"  \t lead  trail \n"_s << QStringList{u"lead"_s, u"trail"_s};
}

void TestAwsCommandLine::posix()
{
    QFETCH(QString, command);
    QFETCH(QStringList, expected);
    const auto split = CommandLineSplit::posix(command);
    QVERIFY2(split.ok(), qPrintable(split.ok() ? QString() : split.error()));
    QCOMPARE(*split, expected);
}

void TestAwsCommandLine::posixRefusesWhatShlexRefuses()
{
    QVERIFY(!CommandLineSplit::posix(u"'unclosed"_s).ok()); // shlex: No closing quotation
    QVERIFY(!CommandLineSplit::posix(u"\"unclosed"_s).ok());
    QVERIFY(!CommandLineSplit::posix(u"trail\\"_s).ok()); // shlex: No escaped character
}

void TestAwsCommandLine::windows_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("program files") << uR"("C:\Program Files\helper.exe" --x)"_s
                                   << QStringList{uR"(C:\Program Files\helper.exe)"_s, u"--x"_s};
    QTest::newRow("backslash runs before quotes")
        << uR"(a\\\"b c\\"d e" f)"_s << QStringList{uR"(a\"b)"_s, uR"(c\d e)"_s, u"f"_s};
    QTest::newRow("literal backslashes, empty quotes")
        << uR"(a\\b "" x\)"_s << QStringList{uR"(a\\b)"_s, QString(), uR"(x\)"_s};
}

void TestAwsCommandLine::windows()
{
    QFETCH(QString, command);
    QFETCH(QStringList, expected);
    const auto split = CommandLineSplit::windows(command);
    QVERIFY(split.ok());
    QCOMPARE(*split, expected);
    QVERIFY(!CommandLineSplit::windows(u"\"unclosed"_s).ok());
}

QTEST_GUILESS_MAIN(TestAwsCommandLine)
#include "tst_aws_commandline.moc"
