// The YAML pane's editor (see YamlEdit.h).
#include "editors/YamlEdit.h"

#include "editors/FieldError.h"
#include "editors/YamlCompleter.h"
#include "editors/YamlHighlighter.h"
#include "editors/YamlOutline.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QRegularExpression>
#include <QTextBlock>
#include <QToolTip>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

// The line a message is about, 0-based; -1 when it names none.
int lineOfMessage(const QString &message, const QString &yaml)
{
    if (const QString path = FieldError::pathIn(message); !path.isEmpty())
        return YamlOutline(yaml).lineOf(path);
    static const QRegularExpression kLine(u"\\bline (\\d+)\\b"_s); // YamlCodec's syntax errors
    const auto match = kLine.match(message);
    return match.hasMatch() ? match.captured(1).toInt() - 1 : -1;
}

} // namespace

YamlEdit::YamlEdit(config::ResourceKind kind, QWidget *parent)
    : QPlainTextEdit(parent), m_highlighter(new YamlHighlighter(this)),
      m_completer(new YamlCompleter(kind, this))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabChangesFocus(true); // keyboard users can leave the editor with Tab
}

void YamlEdit::markError(const QString &message)
{
    m_errorMessage = message;
    m_errorLine = message.isEmpty() ? -1 : lineOfMessage(message, toPlainText());
    if (m_errorLine >= document()->blockCount())
        m_errorLine = -1;
    updateMark();
}

void YamlEdit::updateMark()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (m_errorLine >= 0) {
        const QTextBlock block = document()->findBlockByNumber(m_errorLine);
        const QString text = block.text();
        int first = 0;
        while (first < text.size() && text.at(first).isSpace())
            ++first;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(block);
        selection.cursor.setPosition(block.position() + first);
        selection.cursor.setPosition(block.position() + std::max<int>(text.size(), first + 1),
                                     QTextCursor::KeepAnchor);
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        // No palette role is red: a red that reads on light and dark bases alike, and a faint tint
        // of it behind the line, since a thin wave alone is easy to miss.
        const QColor red(0xe0, 0x44, 0x3e);
        selection.format.setUnderlineColor(red);
        selection.format.setBackground(QColor(red.red(), red.green(), red.blue(), 40));
        selection.format.setToolTip(m_errorMessage);
        selections.append(selection);
    }
    setExtraSelections(selections);
}

void YamlEdit::keyPressEvent(QKeyEvent *event)
{
    if (m_completer->keyPressing(event))
        return;
    QPlainTextEdit::keyPressEvent(event);
    m_completer->keyPressed(event);
}

bool YamlEdit::viewportEvent(QEvent *event)
{
    // Hovering the underlined line says what is wrong there.
    if (event->type() == QEvent::ToolTip && m_errorLine >= 0) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QTextCursor at = cursorForPosition(help->pos());
        if (at.blockNumber() == m_errorLine) {
            QToolTip::showText(help->globalPos(), m_errorMessage, this);
            return true;
        }
        QToolTip::hideText();
    }
    return QPlainTextEdit::viewportEvent(event);
}

} // namespace quarry::ui
