// The resource editors' YAML pane as a user meets it: colours that read on light and dark
// palettes, an apply error underlined at the field's line (its message on hover), field names
// completed from the CRD schemas, undo back to the saved text is no change, and a rename that
// moves the resource (asking first when something refers to the old name).
#include "Confirmations.h"
#include "TestSupport.h"

#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "editors/BackendForm.h"
#include "editors/ResourceBrowser.h"
#include "editors/ResourceEditor.h"
#include "editors/RouteForm.h"
#include "editors/YamlCompleter.h"
#include "editors/YamlEdit.h"
#include "editors/YamlHighlighter.h"
#include "editors/YamlOutline.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolTip>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;

namespace {

config::Resource seedBackend()
{
    const auto parsed =
        config::parseManifests(test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s));
    if (!parsed.ok() || parsed->size() != 1)
        qFatal("seed backend does not parse");
    return parsed->first();
}

int lineContaining(const QString &text, const QString &needle)
{
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).contains(needle))
            return i;
    }
    return -1;
}

// The colour the highlighter gave the character at `column` of `line`.
QColor colourAt(QPlainTextEdit *edit, int line, int column)
{
    const QTextBlock block = edit->document()->findBlockByNumber(line);
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (column >= range.start && column < range.start + range.length)
            return range.format.foreground().color();
    }
    return edit->palette().color(QPalette::Text);
}

// WCAG contrast ratio between two colours (1 to 21).
double contrast(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a) + 0.05, lb = luminance(b) + 0.05;
    return std::max(la, lb) / std::min(la, lb);
}

QPalette paletteWith(const QColor &base, const QColor &text)
{
    QPalette palette;
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::Text, text);
    return palette;
}

void placeCursor(QPlainTextEdit *edit, int line, int column)
{
    QTextCursor cursor(edit->document()->findBlockByNumber(line));
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, column);
    edit->setTextCursor(cursor);
}

QStringList backendNames(const config::ConfigStore &store)
{
    QStringList names;
    for (const auto &backend : store.snapshot().backends)
        names.append(backend.meta.name);
    return names;
}

// A backend with no policies yet: what a user completing `policies` under spec starts from.
const QString kBackend = uR"(apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: b
spec:
  ai:
    provider:
      bedrock:
        model: m
        region: us-east-1
)"_s;

const QString kRoute = uR"(apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
spec:
  rules:
  - matches:
    - path:
        value: /a
    backendRefs:
    - name: first
    - name: second
      weight: 2
  - backendRefs:
    - name: third
)"_s;

} // namespace

class TestUiYamlPane : public QObject
{
    Q_OBJECT

private slots:
    void outlineFindsTheLineOfAFieldPath();
    void coloursReadOnLightAndDarkPalettes();
    void applyErrorIsUnderlinedAtItsLine();
    void errorMessageIsShownOnceInWords();
    void completionOffersTheSchemaFieldsAtTheCursor();
    void typingAKeyOpensCompletionAndEnterInsertsIt();
    void undoingEveryEditIsNoChange();
    void renameMovesTheResource();
    void renameAsksWhenSomethingRefersToTheOldName();
};

void TestUiYamlPane::outlineFindsTheLineOfAFieldPath()
{
    const YamlOutline outline(kRoute);
    QCOMPARE(outline.lineOf(u"spec.rules[0].backendRefs[1].weight"_s),
             lineContaining(kRoute, u"weight: 2"_s));
    QCOMPARE(outline.lineOf(u"spec.rules[1].backendRefs[0].name"_s), lineContaining(kRoute, u"third"_s));
    QCOMPARE(outline.lineOf(u"spec.rules[0].matches[0].path.value"_s), lineContaining(kRoute, u"/a"_s));
    // A missing field: its parent's line.
    QCOMPARE(outline.lineOf(u"spec.rules[0].matches[0].path.type"_s), lineContaining(kRoute, u"- path:"_s));
    QCOMPARE(outline.lineOf(u"status.x"_s), -1);
    QCOMPARE(outline.parentAt(lineContaining(kRoute, u"weight"_s), 6),
             (QStringList{u"spec"_s, u"rules"_s, u"[]"_s, u"backendRefs"_s, u"[]"_s}));
    // Beside `weight`: the `name` on its item's first line; the other items' keys are not beside it.
    QCOMPARE(outline.siblingKeys(lineContaining(kRoute, u"weight"_s), 6), QStringList{u"name"_s});
    QCOMPARE(outline.siblingKeys(lineContaining(kRoute, u"- matches"_s), 4), QStringList{u"backendRefs"_s});
}

void TestUiYamlPane::coloursReadOnLightAndDarkPalettes()
{
    const QString yaml = u"---\n# a comment\nspec:\n  name: \"x\"\n  port: 8080\n  on: true\n"_s;
    for (const QPalette &palette : {paletteWith(Qt::white, Qt::black),
                                    paletteWith(QColor(0x1e, 0x1e, 0x1e), QColor(0xdd, 0xdd, 0xdd))}) {
        YamlEdit edit(config::ResourceKind::Backend);
        edit.setPalette(palette);
        edit.setPlainText(yaml);
        const QColor base = palette.color(QPalette::Base);
        const QColor key = colourAt(&edit, 3, 2), string = colourAt(&edit, 3, 9),
                     number = colourAt(&edit, 4, 8), boolean = colourAt(&edit, 5, 6),
                     comment = colourAt(&edit, 1, 3);
        // Each kind has its own colour, and each reads on the background (WCAG large-text 3:1).
        const QList<QColor> colours{key, string, number, boolean, comment};
        for (int i = 0; i < colours.size(); ++i) {
            QVERIFY2(contrast(colours.at(i), base) >= 3.0,
                     qPrintable(u"role %1: %2 on %3"_s.arg(i).arg(colours.at(i).name(), base.name())));
            for (int j = i + 1; j < colours.size(); ++j)
                QVERIFY2(colours.at(i) != colours.at(j),
                         qPrintable(u"roles %1 and %2 look alike"_s.arg(i).arg(j)));
        }
        QCOMPARE(key, edit.highlighter()->format(YamlHighlighter::Role::Key).foreground().color());
        const QTextBlock separator = edit.document()->firstBlock();
        QVERIFY(!separator.layout()->formats().isEmpty());
        QCOMPARE(separator.layout()->formats().first().format.fontWeight(), int(QFont::Bold));
    }
}

void TestUiYamlPane::applyErrorIsUnderlinedAtItsLine()
{
    ResourceEditor editor(new BackendForm);
    editor.setResource(seedBackend());
    QString yaml = editor.yamlView()->toPlainText();
    yaml.replace(u"us-east-1"_s, u"US_EAST_1"_s);
    editor.yamlView()->setPlainText(yaml);
    editor.syncFromYaml();
    QVERIFY(!editor.error().isEmpty());

    const int regionLine = lineContaining(yaml, u"region:"_s);
    QVERIFY(regionLine > 0);
    YamlEdit *view = editor.yamlView();
    QCOMPARE(view->errorLine(), regionLine);
    const auto selections = view->extraSelections();
    QCOMPARE(selections.size(), 1);
    QCOMPARE(selections.first().cursor.block().blockNumber(), regionLine);
    QCOMPARE(selections.first().format.underlineStyle(), QTextCharFormat::WaveUnderline);
    QCOMPARE(selections.first().cursor.selectedText().trimmed(), yaml.split(u'\n').at(regionLine).trimmed());

    // Hovering the line says why.
    editor.resize(900, 500);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    const QRect lineRect = view->cursorRect(QTextCursor(view->document()->findBlockByNumber(regionLine)));
    const QPoint at = lineRect.center() + QPoint(20, 0);
    QHelpEvent hover(QEvent::ToolTip, at, view->viewport()->mapToGlobal(at));
    QApplication::sendEvent(view->viewport(), &hover);
    QTRY_COMPARE_WITH_TIMEOUT(QToolTip::text(), editor.error(), 2000);

    // Fixed: the underline goes.
    yaml.replace(u"US_EAST_1"_s, u"eu-west-1"_s);
    view->setPlainText(yaml);
    editor.syncFromYaml();
    QVERIFY(editor.error().isEmpty());
    QCOMPARE(view->errorLine(), -1);
    QVERIFY(view->extraSelections().isEmpty());

    // An error from the form is underlined in the YAML too.
    auto *region = editor.form()->findChildren<QLineEdit *>().at(0);
    for (QLineEdit *edit : editor.form()->findChildren<QLineEdit *>()) {
        if (edit->accessibleName() == u"Region"_s)
            region = edit;
    }
    region->setFocus();
    region->selectAll();
    QTest::keyClicks(region, u"Bad Region"_s);
    QCOMPARE(view->errorLine(), lineContaining(view->toPlainText(), u"region:"_s));
}

void TestUiYamlPane::errorMessageIsShownOnceInWords()
{
    ResourceEditor editor(new BackendForm);
    editor.setResource(seedBackend());
    editor.show();
    QString yaml = editor.yamlView()->toPlainText();
    yaml.replace(u"us-east-1"_s, u"US_EAST_1"_s);
    editor.yamlView()->setPlainText(yaml);
    editor.syncFromYaml();
    const QString error = editor.error();
    QVERIFY2(error.contains(u"region such as us-east-1"_s), qPrintable(error));
    QVERIFY2(!error.contains(u"^["_s), qPrintable(error)); // no pattern shown to people
    // Written out once: under the YAML that was typed, not again under the form.
    QVERIFY(editor.yamlErrorLabel()->isVisible());
    QVERIFY(!editor.formErrorLabel()->isVisible());
}

void TestUiYamlPane::completionOffersTheSchemaFieldsAtTheCursor()
{
    ResourceEditor editor(new BackendForm);
    YamlEdit *view = editor.yamlView();
    // A new line under spec, two spaces in: the fields of an AgentgatewayBackend's spec, less the
    // ones already written.
    const int specLine = lineContaining(kBackend, u"spec:"_s);
    QStringList lines = kBackend.split(u'\n');
    lines.insert(specLine + 1, u"  "_s);
    view->setPlainText(lines.join(u'\n'));
    placeCursor(view, specLine + 1, 2);
    QStringList fields = view->completer()->fieldsAtCursor();
    QVERIFY2(fields.contains(u"policies"_s), qPrintable(fields.join(u", "_s)));
    QVERIFY(fields.contains(u"static"_s));
    QVERIFY(!fields.contains(u"ai"_s));     // written below
    QVERIFY(!fields.contains(u"region"_s)); // not at this level

    // Deeper: under spec.ai.provider.bedrock the Bedrock fields.
    const int modelLine = lineContaining(view->toPlainText(), u"model:"_s);
    placeCursor(view, modelLine, 8);
    fields = view->completer()->fieldsAtCursor();
    QVERIFY2(fields.contains(u"guardrail"_s), qPrintable(fields.join(u", "_s)));
    QVERIFY(!fields.contains(u"region"_s)); // written on the next line

    // At the top: the document's own fields, and metadata's.
    placeCursor(view, 0, 0);
    QVERIFY(view->completer()->fieldsAtCursor().contains(u"apiVersion"_s));
    const int nameLine = lineContaining(view->toPlainText(), u"name: b"_s);
    placeCursor(view, nameLine, 2);
    QVERIFY(view->completer()->fieldsAtCursor().contains(u"namespace"_s));
    // After a colon is a value's place: nothing to offer.
    placeCursor(view, nameLine, view->document()->findBlockByNumber(nameLine).text().size());
    QVERIFY(view->completer()->fieldsAtCursor().isEmpty());

    // An HTTPRoute: inside a rule's list item, the rule's fields.
    ResourceEditor routes(new RouteForm);
    routes.yamlView()->setPlainText(kRoute);
    placeCursor(routes.yamlView(), lineContaining(kRoute, u"backendRefs:"_s), 4);
    fields = routes.yamlView()->completer()->fieldsAtCursor();
    QVERIFY2(fields.contains(u"filters"_s) && fields.contains(u"timeouts"_s),
             qPrintable(fields.join(u", "_s)));
    QVERIFY(!fields.contains(u"matches"_s)); // on the item's first line already
}

void TestUiYamlPane::typingAKeyOpensCompletionAndEnterInsertsIt()
{
    ResourceEditor editor(new BackendForm);
    editor.resize(900, 500);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    YamlEdit *view = editor.yamlView();
    view->setPlainText(kBackend);
    const int specLine = lineContaining(kBackend, u"spec:"_s);
    view->setFocus();
    placeCursor(view, specLine, 5);
    QTest::keyClick(view, Qt::Key_Return);
    QTest::keyClicks(view, u"  pol"_s);
    QAbstractItemView *popup = view->completer()->completer()->popup();
    QTRY_VERIFY_WITH_TIMEOUT(popup->isVisible(), 2000);
    QCOMPARE(popup->currentIndex().data().toString(), u"policies"_s);
    QTest::keyClick(popup, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!popup->isVisible(), 2000);
    QCOMPARE(view->document()->findBlockByNumber(specLine + 1).text(), u"  policies: "_s);
}

void TestUiYamlPane::undoingEveryEditIsNoChange()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok());
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    YamlEdit *view = backends.editor()->yamlView();
    auto *saveButton = backends.findChild<QPushButton *>();
    for (QPushButton *button : backends.findChildren<QPushButton *>()) {
        if (button->text() == u"&Save"_s)
            saveButton = button;
    }
    QVERIFY(!backends.editor()->isModified());
    view->setFocus();
    placeCursor(view, lineContaining(view->toPlainText(), u"model:"_s), 0);
    QTest::keyClicks(view, u"# note"_s);
    QTest::keyClick(view, Qt::Key_Return);
    QVERIFY(backends.editor()->isModified());
    QCOMPARE(backends.statusLabel()->text(), u"Unsaved changes"_s);
    QVERIFY(saveButton->isEnabled());

    while (view->document()->isUndoAvailable())
        view->undo();
    QVERIFY(!backends.editor()->isModified());
    QVERIFY(backends.statusLabel()->text().isEmpty());
    QVERIFY(!saveButton->isEnabled());
}

void TestUiYamlPane::renameMovesTheResource()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok());
    QByteArray manifest = test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s);
    manifest.replace("name: bedrock\n", "name: spare\n");
    QVERIFY(store.apply(*config::parseManifests(manifest)).ok()); // nothing refers to "spare"
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    QVERIFY(backends.select(u"agentgateway-system/spare"_s));

    QString yaml = backends.editor()->yamlView()->toPlainText();
    yaml.replace(u"name: spare"_s, u"name: renamed"_s);
    backends.editor()->yamlView()->setPlainText(yaml);
    QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));

    QStringList names = backendNames(store);
    names.sort();
    QCOMPARE(names, (QStringList{u"bedrock"_s, u"renamed"_s}));
    QCOMPARE(backends.currentKey(), u"agentgateway-system/renamed"_s);
    QCOMPARE(backends.list()->count(), 2);
}

void TestUiYamlPane::renameAsksWhenSomethingRefersToTheOldName()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok()); // defaults: route bedrock -> backend bedrock
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    QVERIFY(backends.select(u"agentgateway-system/bedrock"_s));
    QString yaml = backends.editor()->yamlView()->toPlainText();
    yaml.replace(u"name: bedrock\n"_s, u"name: moved\n"_s);

    // Declined: nothing changes.
    backends.editor()->yamlView()->setPlainText(yaml);
    auto asked = quarry::test::answerConfirmation(u"confirmRename"_s, QMessageBox::Cancel);
    QVERIFY(!backends.save());
    QVERIFY(*asked);
    QCOMPARE(backendNames(store), QStringList{u"bedrock"_s});

    // Confirmed: moved, and the route's reference now dangles (as the user was told).
    asked = quarry::test::answerConfirmation(u"confirmRename"_s, QMessageBox::Yes);
    QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));
    QVERIFY(*asked);
    QCOMPARE(backendNames(store), QStringList{u"moved"_s});
}

QTEST_MAIN(TestUiYamlPane)
#include "tst_ui_yamlpane.moc"
