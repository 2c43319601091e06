// Coalesces streamed deltas into one insert per timer tick.
#include "widgets/StreamingTextView.h"

#include <QScrollBar>
#include <QTextCursor>

namespace quarry::ui {

StreamingTextView::StreamingTextView(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    m_timer.setInterval(FlushIntervalMs);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &StreamingTextView::flush);
}

void StreamingTextView::appendStreamed(const QString &text)
{
    m_pending += text;
    if (!m_timer.isActive())
        m_timer.start();
}

void StreamingTextView::appendBlock(const QString &text)
{
    flush();
    appendPlainText(text);
}

void StreamingTextView::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    QScrollBar *bar = verticalScrollBar();
    const bool following = bar->value() == bar->maximum(); // don't yank a reader who scrolled up
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(m_pending);
    m_pending.clear();
    if (following)
        bar->setValue(bar->maximum());
}

} // namespace quarry::ui
