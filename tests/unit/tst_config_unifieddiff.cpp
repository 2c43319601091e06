// Tests for unifiedDiff (`quarry diff`), checked by GNU patch, a reader not written here: the diff
// of any two texts, applied to the first with no fuzz and no offset, gives the second.
#include "config/UnifiedDiff.h"

#include "TestSupport.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::config;

class TestConfigUnifiedDiff : public QObject
{
    Q_OBJECT

private:
    static void write(const QString &path, const QStringList &lines)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (const QString &line : lines)
            file.write(line.toUtf8() + '\n');
    }

    static QStringList read(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {u"<unreadable>"_s};
        QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
        lines.removeLast(); // after the final newline
        return lines;
    }

    // Lines from a small alphabet, so the two sides share many lines in many orders.
    static QStringList randomLines(QRandomGenerator &random)
    {
        QStringList lines;
        const int count = int(random.bounded(30));
        for (int i = 0; i < count; ++i)
            lines.append(u"line %1"_s.arg(random.bounded(8)));
        return lines;
    }

private slots:
    void equalTextsGiveNoDiff()
    {
        QCOMPARE(unifiedDiff({u"a"_s, u"b"_s}, {u"a"_s, u"b"_s}, u"x"_s, u"y"_s), QString());
        QCOMPARE(unifiedDiff({}, {}, u"x"_s, u"y"_s), QString());
    }

    void hunkAsDiffPrintsIt()
    {
        const QStringList from{u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s, u"6"_s, u"7"_s, u"8"_s, u"9"_s};
        QStringList to = from;
        to[4] = u"five"_s;
        QCOMPARE(unifiedDiff(from, to, u"live/a"_s, u"merged/a"_s),
                 u"--- live/a\n+++ merged/a\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"_s);
        // A new object: diff -u numbers an empty range by the line before it.
        QCOMPARE(unifiedDiff({}, {u"a"_s, u"b"_s}, u"x"_s, u"y"_s),
                 u"--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n"_s);
    }

    void patchTurnsTheFirstTextIntoTheSecond()
    {
        QUARRY_REQUIRE(!QStandardPaths::findExecutable(u"patch"_s).isEmpty(),
                       "GNU patch (Debian package patch)");
        QTemporaryDir dir;
        QRandomGenerator random(20261201);
        for (int round = 0; round < 300; ++round) {
            const QStringList from = randomLines(random);
            const QStringList to = randomLines(random);
            const QString diff = unifiedDiff(from, to, u"a"_s, u"b"_s);
            if (from == to) {
                QVERIFY(diff.isEmpty());
                continue;
            }
            write(dir.filePath(u"from"_s), from);
            QProcess patch;
            patch.setWorkingDirectory(dir.path());
            // No fuzz, and (below) no offset: every hunk must apply exactly where it says.
            patch.start(u"patch"_s, {u"-F0"_s, u"-o"_s, u"out"_s, u"from"_s});
            QVERIFY(patch.waitForStarted(5000));
            patch.write(diff.toUtf8());
            patch.closeWriteChannel();
            QVERIFY(patch.waitForFinished(5000));
            const QString said =
                QString::fromUtf8(patch.readAllStandardOutput() + patch.readAllStandardError());
            QVERIFY2(patch.exitCode() == 0 && !said.contains(u"offset"_s), qPrintable(diff + said));
            QVERIFY2(read(dir.filePath(u"out"_s)) == to, qPrintable(diff));
        }
    }
};

QUARRY_TEST_GUILESS_MAIN(TestConfigUnifiedDiff)
#include "tst_config_unifieddiff.moc"
