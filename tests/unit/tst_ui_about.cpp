// Help → About Quarry: the version CMake's project(VERSION) gave, Quarry's licence, and the
// third-party notices with each bundled library's licence.
#include "TestSupport.h"

#include "AboutDialog.h"

#include <QLabel>
#include <QTest>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextTable>

using namespace Qt::StringLiterals;
using namespace quarry::ui;

class TestUiAbout : public QObject
{
    Q_OBJECT

private slots:
    void showsVersionAndLicence();
    void listsThirdPartyLicences();
};

void TestUiAbout::showsVersionAndLicence()
{
    AboutDialog dialog;
    const QString heading = dialog.heading()->text();
    QVERIFY2(heading.contains(u"Quarry " QUARRY_VERSION ""_s), qPrintable(heading));
    QVERIFY2(heading.contains(u"Apache License 2.0"_s), qPrintable(heading));
}

void TestUiAbout::listsThirdPartyLicences()
{
    AboutDialog dialog;
    QTextDocument *notices = dialog.notices()->document();
    // Each library a package bundles, with the licence Debian's copyright file gives for it.
    const std::pair<QString, QString> expected[] = {
        {u"Qt 6"_s, u"LGPL-3.0"_s}, {u"QtKeychain"_s, u"BSD-2-Clause"_s},
        {u"yaml-cpp"_s, u"MIT"_s},  {u"OpenSSL 3"_s, u"Apache-2.0"_s},
        {u"Boost"_s, u"BSL-1.0"_s}, {u"libsecret"_s, u"LGPL-2.1"_s},
        {u"zlib"_s, u"Zlib"_s},
    };
    for (const auto &[library, licence] : expected) {
        // The notices are a table (library | used for | licence | source): the licence cell of the
        // library's row.
        const QTextCursor found = notices->find(library);
        QVERIFY2(!found.isNull(), qPrintable(u"no notice for "_s + library));
        QTextTable *table = found.currentTable();
        QVERIFY2(table, qPrintable(library + u" is not in the notices table"_s));
        const int row = table->cellAt(found).row();
        QTextCursor cell = table->cellAt(row, 2).firstCursorPosition();
        cell.setPosition(table->cellAt(row, 2).lastCursorPosition().position(), QTextCursor::KeepAnchor);
        QVERIFY2(cell.selectedText().contains(licence), qPrintable(library + u": "_s + cell.selectedText()));
    }
}

QTEST_MAIN(TestUiAbout)
#include "tst_ui_about.moc"
