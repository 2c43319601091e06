// Field-name completion for the YAML pane (see YamlCompleter.h).
#include "editors/YamlCompleter.h"

#include "editors/CrdFields.h"
#include "editors/YamlOutline.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextBlock>

using namespace Qt::StringLiterals;

namespace quarry::ui {

YamlCompleter::YamlCompleter(config::ResourceKind kind, QPlainTextEdit *editor)
    : QObject(editor), m_kind(kind), m_editor(editor), m_completer(new QCompleter(this))
{
    m_completer->setModel(new QStringListModel(m_completer));
    m_completer->setWidget(editor);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->popup()->setAccessibleName(u"Field names"_s);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &YamlCompleter::insert);
}

int YamlCompleter::keyWordStart() const
{
    const QTextCursor cursor = m_editor->textCursor();
    const QString line = cursor.block().text();
    const int column = cursor.positionInBlock();
    int start = column;
    while (start > 0 && (line.at(start - 1).isLetterOrNumber() || line.at(start - 1) == u'_'))
        --start;
    // Only spaces and list dashes before the word: a key goes here.
    for (int i = 0; i < start; ++i) {
        if (line.at(i) != u' ' && line.at(i) != u'-')
            return -1;
    }
    return start;
}

QStringList YamlCompleter::fieldsAtCursor() const
{
    const int start = keyWordStart();
    if (start < 0)
        return {};
    const QTextCursor cursor = m_editor->textCursor();
    const YamlOutline outline(m_editor->toPlainText());
    QStringList fields =
        CrdFields::at(m_kind, outline.parentAt(cursor.blockNumber(), cursor.positionInBlock()));
    for (const QString &written : outline.siblingKeys(cursor.blockNumber(), cursor.positionInBlock()))
        fields.removeAll(written); // a field is written once
    return fields;
}

void YamlCompleter::complete()
{
    const QStringList fields = fieldsAtCursor();
    if (fields.isEmpty()) {
        m_completer->popup()->hide();
        return;
    }
    const QTextCursor cursor = m_editor->textCursor();
    const QString typed =
        cursor.block().text().mid(keyWordStart(), cursor.positionInBlock() - keyWordStart());
    static_cast<QStringListModel *>(m_completer->model())->setStringList(fields);
    m_completer->setCompletionPrefix(typed);
    if (m_completer->completionCount() == 0 ||
        (m_completer->completionCount() == 1 && m_completer->currentCompletion() == typed)) {
        m_completer->popup()->hide(); // nothing fits, or the word is already complete
        return;
    }
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = m_editor->cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0) +
                  m_completer->popup()->verticalScrollBar()->sizeHint().width());
    m_completer->complete(rect);
}

bool YamlCompleter::keyPressing(QKeyEvent *event)
{
    if (m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Tab:
        case Qt::Key_Escape:
        case Qt::Key_Backtab:
            event->ignore(); // the completer's popup acts on these
            return true;
        default:
            break;
        }
    }
    if (event->key() == Qt::Key_Space && event->modifiers().testFlag(Qt::ControlModifier)) {
        complete();
        return true;
    }
    return false;
}

void YamlCompleter::keyPressed(QKeyEvent *event)
{
    const QString text = event->text();
    const bool wordChar = !text.isEmpty() && (text.front().isLetterOrNumber() || text.front() == u'_');
    if (wordChar || (m_completer->popup()->isVisible() && event->key() == Qt::Key_Backspace))
        complete();
    else if (!text.isEmpty())
        m_completer->popup()->hide();
}

void YamlCompleter::insert(const QString &field)
{
    QTextCursor cursor = m_editor->textCursor();
    const int start = keyWordStart();
    if (start < 0)
        return;
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, cursor.positionInBlock() - start);
    cursor.insertText(field + u": "_s);
    m_editor->setTextCursor(cursor);
}

} // namespace quarry::ui
