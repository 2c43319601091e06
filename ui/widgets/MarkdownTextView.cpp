// Text wraps anywhere when it must (a long URL), so the view never asks for more width than it has.
#include "widgets/MarkdownTextView.h"

#include <QResizeEvent>
#include <QTextDocument>
#include <QtMath>

namespace quarry::ui {

MarkdownTextView::MarkdownTextView(QWidget *parent) : QTextBrowser(parent)
{
    setOpenExternalLinks(true);
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    viewport()->setAutoFillBackground(false); // the transcript's background shows through
    document()->setDocumentMargin(2);
}

void MarkdownTextView::setMarkdownText(const QString &markdown)
{
    if (markdown == m_markdown)
        return;
    m_markdown = markdown;
    setMarkdown(markdown);
    fitHeight();
}

QSize MarkdownTextView::sizeHint() const
{
    return {40, height()};
}

QSize MarkdownTextView::minimumSizeHint() const
{
    return {40, height()};
}

void MarkdownTextView::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);
    if (event->size().width() != event->oldSize().width())
        fitHeight();
}

void MarkdownTextView::fitHeight()
{
    document()->setTextWidth(viewport()->width());
    const int height = qCeil(document()->size().height()) + 2 * frameWidth();
    if (height != this->height())
        setFixedHeight(height);
}

} // namespace quarry::ui
